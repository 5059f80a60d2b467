#!/bin/sh
# run-qemu.sh RUNNER IMAGE.elf EXPECTED.txt OUT.txt
# Runs a kernel scenario image on QEMU netduinoplus2 through the shared
# runner (tests/qemu/run-qemu: USART2 capture, deterministic -icount, stops
# at END) and compares the log with the expected transcript.
set -u
runner=$1 elf=$2 expected=$3 out=$4
[ -f "$elf" ] || { echo "run-qemu.sh: no image $elf (build the firmware tree first)"; exit 1; }
sh "$runner" --timeout 30 "$elf" | tr -d '\r' >"$out"
if ! grep -q '^END$' "$out"; then
    echo "run-qemu.sh: $(basename "$elf") did not reach END; log so far:"
    cat "$out"
    exit 1
fi
if ! diff -u "$expected" "$out"; then
    echo "run-qemu.sh: transcript of $(basename "$elf") differs from $expected"
    exit 1
fi
echo "run-qemu.sh: $(basename "$elf") matches $(basename "$expected")"
