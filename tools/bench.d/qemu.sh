#!/bin/sh
# Emulation speed on the busy-loop image (tests/qemu/busy): million guest
# instructions per wall-clock second on QEMU netduinoplus2 (plain TCG, no
# icount, so QEMU runs as fast as it can) and on quartz-sim, headless, with
# the same ELF (100 M iterations of the same five instructions on both).
# Prints "metric value unit budget cmp" lines (see tools/bench).
#
# Instructions are counted, not assumed: the loop body of busy_loop is read
# from the disassembly (from the backward branch's target to the branch) and
# multiplied by the iteration count the image prints.
set -eu
: "${FW_DIR:?}" "${HOST_DIR:?}" "${SRC_DIR:?}"

elf=$FW_DIR/tests/qemu/busy/busy.elf
[ -f "$elf" ] || { echo "qemu.sh: no busy image $elf" >&2; exit 1; }

tmp=$(mktemp -d)
qpid=""
cleanup() {
    [ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# Loop instructions per iteration and the instructions outside the loop.
arm-none-eabi-objdump -d "$elf" | awk '
    function hex(s,    i, v) {
        v = 0
        for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return v
    }
    /^[0-9a-f]+ <busy_loop>:/ { inside = 1; next }
    inside && /^$/ { exit }
    inside && /^ *[0-9a-f]+:/ {
        addr = $1; sub(":", "", addr)
        n++; a[n] = hex(addr)
        if ($0 ~ /\tb(ne|eq|cs|cc|mi|pl|hi|ls|ge|lt|gt|le)(\.n|\.w)?\t/) {
            target = $0; sub(/.*\t/, "", target); split(target, t, " ")
            branch = n; branch_target = hex(t[1])
        }
    }
    END {
        if (!branch) { print "qemu.sh: no loop branch in busy_loop" > "/dev/stderr"; exit 1 }
        for (i = 1; i <= n; i++) {
            if (a[i] >= branch_target && i <= branch) body++; else other++
        }
        print body, other
    }' >"$tmp/count"
read -r body other <"$tmp/count"

# QEMU: time from the "start" line to the "done" line, read as they arrive.
# One line per run (BENCH_RUNS, default 5): tools/bench judges the median and
# keeps min and max beside it.
qemu=$(command -v qemu-system-arm) || { echo "qemu.sh: qemu-system-arm not found" >&2; exit 1; }
runs=${BENCH_RUNS:-5}
qemu_once() {
    rm -f "$tmp/serial"
    mkfifo "$tmp/serial"
    timeout 120 "$qemu" -M netduinoplus2 -nographic -monitor none -serial null -serial stdio \
        -kernel "$elf" </dev/null >"$tmp/serial" 2>"$tmp/qemu.log" &
    qpid=$!
    iterations=""; t_start=""; t_done=""
    while IFS= read -r line; do
        now=$(date +%s%N)
        line=$(printf '%s' "$line" | tr -d '\r')
        case "$line" in
            "busy iterations="*) iterations=${line#busy iterations=} ;;
            start) t_start=$now ;;
            done) t_done=$now; break ;;
        esac
    done <"$tmp/serial"
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    qpid=""
    if [ -z "$iterations" ] || [ -z "$t_start" ] || [ -z "$t_done" ]; then
        echo "qemu.sh: busy image did not finish on QEMU" >&2
        cat "$tmp/qemu.log" >&2
        exit 1
    fi
    echo "$iterations $((t_done - t_start))"
}
for i in $(seq "$runs"); do
    qemu_once >"$tmp/qrun"
    read -r iterations ns <"$tmp/qrun"
    instructions=$((iterations * body + other))
    echo "qemu.sh: $iterations iterations x $body instructions = $instructions on QEMU in $((ns / 1000000)) ms" >&2
    echo "$ns" >>"$tmp/qemu_ns"
    awk -v i="$instructions" -v ns="$ns" 'BEGIN { printf "qemu_mips_busy %.1f MIPS - - wall\n", i / (ns / 1e9) / 1e6 }'
done

# quartz-sim: the same ELF, the whole headless run (load, run, and the final
# WFI, which skips straight to --until with nothing pending: the loop takes
# about 44 s of virtual time at the 16 MHz reset clock, a second or two of
# wall time). The start-up (a few ms) is counted, which slightly favours QEMU.
sim=$HOST_DIR/sim/quartz-sim
if [ ! -x "$sim" ]; then
    echo "qemu.sh: no $sim, sim_mips_busy not measured" >&2
    exit 0
fi
for i in $(seq "$runs"); do
    t0=$(date +%s%N)
    timeout 120 "$sim" --until 600s --console "$tmp/sim.txt" "$elf"
    t1=$(date +%s%N)
    if ! tr -d '\r' <"$tmp/sim.txt" | grep -qx done; then
        echo "qemu.sh: busy image did not finish on quartz-sim" >&2
        exit 1
    fi
    sim_iterations=$(tr -d '\r' <"$tmp/sim.txt" | sed -n 's/^busy iterations=//p')
    sim_instructions=$((sim_iterations * body + other))
    ns=$((t1 - t0))
    echo "qemu.sh: $sim_iterations iterations x $body instructions = $sim_instructions on quartz-sim in $((ns / 1000000)) ms" >&2
    # The ratio pairs run i on quartz-sim with run i on QEMU.
    qns=$(sed -n "${i}p" "$tmp/qemu_ns")
    awk -v i="$sim_instructions" -v ns="$ns" -v qi="$instructions" -v qns="$qns" 'BEGIN {
        s = i / (ns / 1e9) / 1e6; q = qi / (qns / 1e9) / 1e6
        printf "sim_mips_busy %.1f MIPS - - wall\n", s
        printf "sim_qemu_mips_ratio %.3f x - - wall\n", s / q
    }'
done
