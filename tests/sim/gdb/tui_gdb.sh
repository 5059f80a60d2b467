#!/bin/sh
# The terminal board and GDB together: quartz-sim --interactive --gdb 0
# --gdb-wait in a detached tmux (private server), gdb-multiarch in batch
# mode driving it. While GDB holds the target the board still draws and
# says so; B1 pressed from GDB starts the stopwatch on the board; after
# detach it runs on; q quits with status 0. Every wait is bounded.
# Usage: tui_gdb.sh QUARTZ_SIM GDB stopwatch.elf
set -u
sim=$1 gdb=$2 elf=$3
server="qsim-tuigdb-$$"
dir=$(mktemp -d /tmp/qsim-tuigdb-XXXXXX)
t() { tmux -L "$server" "$@"; }
cleanup() { t kill-server 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
fail() {
    echo "tui_gdb: $*"
    for f in gdb.out halted.screen running.screen screen; do
        echo "---- $f ----"
        cat "$dir/$f" 2>/dev/null
    done
    exit 1
}
wait_for() { # $1: text on the screen, within ~5 s
    i=0
    while [ $i -lt 50 ]; do
        t capture-pane -t board -p > "$dir/screen" 2>/dev/null || true
        grep -q -- "$1" "$dir/screen" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

t new-session -d -s board -x 160 -y 50 \
    "'$sim' --interactive --gdb 0 --gdb-wait '$elf' 2>'$dir/err'; echo \"exit=\$?\" > '$dir/status'; sleep 60"
port=
i=0
while [ $i -lt 50 ] && [ -z "$port" ]; do
    port=$(sed -n 's/.*GDB server on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$dir/err" 2>/dev/null)
    [ -n "$port" ] || sleep 0.1
    i=$((i + 1))
done
[ -n "$port" ] || fail "no GDB port"

cat > "$dir/session.gdb" <<GDB
break main
continue
shell sleep 0.5
shell tmux -L $server capture-pane -t board -p > $dir/halted.screen
monitor press B1
delete
break TIM2_IRQHandler
continue
info registers pc
delete
detach
GDB
timeout 60 "$gdb" -nx -q -batch -ex "target extended-remote :$port" -x "$dir/session.gdb" "$elf" \
    >"$dir/gdb.out" 2>&1 || fail "gdb failed"
grep -q "^Breakpoint 1, 0x[0-9a-f]* in main" "$dir/gdb.out" || fail "no stop at main"
grep -q "in TIM2_IRQHandler" "$dir/gdb.out" || fail "no stop in TIM2_IRQHandler"
grep -q "console (USART2)" "$dir/halted.screen" || fail "no board drawn while GDB held the target"
grep -q "halted by GDB" "$dir/halted.screen" || fail "the status line does not say GDB holds the target"
# Detached: the stopwatch runs on (started by the press from GDB).
wait_for "running" || fail "the console does not show the stopwatch running"
cp "$dir/screen" "$dir/running.screen"
grep -q "halted by GDB" "$dir/running.screen" && fail "still shown halted after detach"
t send-keys -t board q
i=0
while [ $i -lt 50 ] && [ ! -s "$dir/status" ]; do
    sleep 0.1
    i=$((i + 1))
done
grep -q "exit=0" "$dir/status" 2>/dev/null || fail "quartz-sim did not quit with 0: $(cat "$dir/status" 2>/dev/null)"
echo "PASS: tui_gdb"
