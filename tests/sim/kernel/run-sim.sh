#!/bin/sh
# run-sim.sh QUARTZ_SIM IMAGE.elf EXPECTED.txt OUT.txt UNTIL [IGNORE_REGEX]
# Runs a kernel image headless on quartz-sim until virtual time UNTIL,
# takes its USART2 log up to END, drops lines matching IGNORE_REGEX (values
# that depend on the cycle model) and compares with the expected transcript
# (the same file the QEMU run is compared with, for the shared scenarios).
set -u
sim=$1 elf=$2 expected=$3 out=$4 until=$5 ignore=${6:-}
[ -f "$elf" ] || { echo "run-sim.sh: no image $elf (build the firmware tree first)"; exit 1; }
"$sim" --until "$until" --console "$out.raw" "$elf"
rc=$?
if [ $rc -ne 0 ]; then
    echo "run-sim.sh: quartz-sim exited with $rc"
    cat "$out.raw" 2>/dev/null
    exit 1
fi
tr -d '\r' <"$out.raw" | sed '/^END$/q' >"$out.full"
if [ -n "$ignore" ]; then
    grep -E -v "$ignore" "$out.full" >"$out"
else
    cp "$out.full" "$out"
fi
if ! grep -q '^END$' "$out"; then
    echo "run-sim.sh: $(basename "$elf") did not reach END by $until; log:"
    cat "$out"
    exit 1
fi
if ! diff -u "$expected" "$out"; then
    echo "run-sim.sh: transcript of $(basename "$elf") differs from $expected"
    exit 1
fi
echo "run-sim.sh: $(basename "$elf") matches $(basename "$expected")"
