#!/bin/sh
# `make run APP=shell` in a real terminal: quartz-sim --interactive on the
# shell image inside a detached tmux (private server); Tab sends the keys
# to the console, "help" and Enter go to the shell, its answer appears in
# the console pane; Tab again and q quit with status 0.
# Usage: shell_tui.sh QUARTZ_SIM shell.elf
set -eu
sim=$1
elf=$2
server="qsim-shell-$$"
dir=$(mktemp -d /tmp/qsim-shell-XXXXXX)
t() { tmux -L "$server" "$@"; }
cleanup() { t kill-server 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
fail() {
    echo "shell_tui: $*"
    echo "---- screen ----"
    cat "$dir/screen" 2>/dev/null || true
    exit 1
}
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        t capture-pane -t board -p > "$dir/screen" 2>/dev/null || true
        grep -q -- "$1" "$dir/screen" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
t new-session -d -s board -x 160 -y 60 \
    "'$sim' --interactive '$elf'; echo \"exit=\$?\" > '$dir/status'; sleep 60"
wait_for "nsh>" || fail "no shell prompt"
wait_for "keys: board (Tab: console)" || fail "no key mode in the status line"
t send-keys -t board Tab
wait_for "KEYS TO CONSOLE" || fail "Tab did not switch the keys to the console"
t send-keys -t board 'h' 'e' 'l' 'p' Enter
wait_for "crash           run a process" || fail "the shell did not answer help"
t send-keys -t board q
sleep 0.3
[ ! -f "$dir/status" ] || fail "q quit while keys went to the console"
t send-keys -t board Tab
wait_for "keys: board" || fail "Tab did not switch back"
t send-keys -t board q
i=0
while [ ! -f "$dir/status" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "exit=0" "$dir/status" || fail "quartz-sim did not end with status 0"
