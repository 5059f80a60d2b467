#!/bin/sh
# One GDB session against quartz-sim (tests/sim/gdb/CMakeLists.txt):
#   gdb_session.sh QUARTZ_SIM GDB ELF DIR NAME [quartz-sim options...]
# starts `quartz-sim --gdb 0 --gdb-wait` (port 0: any free port, so that
# parallel tests never collide; the server prints the one it got), runs
# gdb-multiarch in batch mode on DIR/NAME.gdb, and checks DIR/NAME.expect:
#   gdb: REGEX       a line of GDB's output matches (grep -E)
#   gdb-not: REGEX   no line of GDB's output matches
#   console: REGEX   a line of the firmware's console (USART2) matches
# Every wait is bounded (timeout).
set -u
sim=$1 gdb=$2 elf=$3 dir=$4 name=$5
shift 5
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$sim" --gdb 0 --gdb-wait --console "$work/console.txt" "$@" "$elf" 2>"$work/sim.err" &
pid=$!
port=
i=0
while [ $i -lt 100 ] && [ -z "$port" ]; do
    port=$(sed -n 's/.*GDB server on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/sim.err")
    [ -n "$port" ] || sleep 0.1
    i=$((i + 1))
done
if [ -z "$port" ]; then
    echo "FAIL: quartz-sim printed no GDB port"
    cat "$work/sim.err"
    exit 1
fi

timeout 60 "$gdb" -nx -q -batch -ex "set confirm off" -ex "target extended-remote :$port" \
    -x "$dir/$name.gdb" "$elf" >"$work/gdb.out" 2>&1
gdb_rc=$?
# The simulator ends on `kill`, or runs to its --until after `detach`.
i=0
while [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: quartz-sim still runs 30 s after GDB ended"
    fail=1
else
    wait "$pid"
    sim_rc=$?
    pid=
fi

echo "--- gdb (exit $gdb_rc) ---"
cat "$work/gdb.out"
echo "--- console ---"
cat "$work/console.txt" 2>/dev/null
echo "--- quartz-sim stderr (exit ${sim_rc:-running}) ---"
cat "$work/sim.err"
echo "---"

fail=${fail:-0}
[ "$gdb_rc" -eq 0 ] || { echo "FAIL: gdb exited with $gdb_rc"; fail=1; }
[ "${sim_rc:-1}" -eq 0 ] || { echo "FAIL: quartz-sim exited with ${sim_rc:-?}"; fail=1; }
while IFS= read -r line; do
    case "$line" in
    "gdb: "*)
        grep -Eq -- "${line#gdb: }" "$work/gdb.out" || { echo "FAIL: gdb output lacks /${line#gdb: }/"; fail=1; } ;;
    "gdb-not: "*)
        ! grep -Eq -- "${line#gdb-not: }" "$work/gdb.out" || { echo "FAIL: gdb output has /${line#gdb-not: }/"; fail=1; } ;;
    "console: "*)
        grep -Eq -- "${line#console: }" "$work/console.txt" || { echo "FAIL: console lacks /${line#console: }/"; fail=1; } ;;
    esac
done <"$dir/$name.expect"
[ $fail -eq 0 ] && echo "PASS: $name"
exit $fail
