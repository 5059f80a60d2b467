#!/bin/sh
# `make run APP=sensor-node` in a real terminal: tools/run-sensor-node in a
# detached tmux (private server), twice, after checking that quartz-sim
# refuses a --pane file that is not there (exit 2):
#  1. 80x24, no broker given: it starts its own mosquitto; an env message
#     the board publishes shows in the pane below the console within 20 s;
#     q ends it with status 0, and its broker, its subscriber and its
#     temporary folder are gone;
#  2. 140x40, BROKER= a mosquitto this script runs: no broker of its own;
#     the board's env message and one sent with mosquitto_pub show in the
#     pane beside the OLED; Ctrl-C ends it (status 130), everything it
#     started is gone, and the given broker still runs.
# Usage: run_node_tmux.sh tools/run-sensor-node QUARTZ_SIM ELF
# ELF: the sensor-node image, which publishes quartz/<id>/env by itself, or
# tests/sim/mqtt-net's client, told over its console to connect and publish.
set -eu
runner=$1
sim=$2
elf=$3
server="qsim-node-$$"
dir=$(mktemp -d /tmp/qsim-node-XXXXXX)
mkdir "$dir/tmp"
t() { tmux -L "$server" "$@"; }
own_broker=
cleanup() {
    t kill-server 2>/dev/null || true
    if [ -n "$own_broker" ]; then kill "$own_broker" 2>/dev/null || true; wait "$own_broker" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
fail() {
    echo "run_node_tmux: $*"
    echo "---- screen ----"
    cat "$dir/screen" 2>/dev/null || true
    exit 1
}
# Waits up to $2 tenths of a second for the screen to match the regular expression $1.
wait_for() {
    i=0
    while [ $i -lt "$2" ]; do
        t capture-pane -t board -p > "$dir/screen" 2>/dev/null || true
        grep -q -- "$1" "$dir/screen" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# The processes whose command line contains $1.
procs() {
    for f in /proc/[0-9]*/cmdline; do
        { tr '\0' ' ' < "$f"; } 2>/dev/null | grep -q -- "$1" && echo "${f%/cmdline}"
    done
    return 0
}
# What the runner started: the board and a broker name its temporary folder, the subscriber the port.
leftovers() {
    procs "$dir/tmp/quartz-run-"
    procs "mosquitto_sub -h 127.0.0.1 -p $1 "
}
listening() {
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q "^ *[0-9]*: [0-9A-F]*:$(printf '%04X' "$1") [0-9A-F]*:0000 0A"
}

# The board's command line: the client image needs its console lines.
case $(basename "$elf") in
mqtt-net-client.elf)
    sim_args="--rx 'c quartz-tui u p 60\\r\\n@300ms' --rx 'p1 quartz/quartz-tui/env {\"seq\":0,\"t\":21.53}\\r\\n@2s'"
    env_line='quartz/quartz-tui/env {"seq":0,"t":21.53}' ;;
*)
    sim_args=
    env_line='quartz/quartz-[0-9a-f]*/env {"seq":[0-9]*,"uptime_ms"' ;;
esac
# $1: BROKER value or empty. The status file is written when the runner ends.
start() {
    # Like make, the shell around the runner outlives Ctrl-C and reports its status.
    cat > "$dir/go.sh" <<EOF
trap : INT
TMPDIR='$dir/tmp' BROKER='$1' '$runner' '$sim' $sim_args '$elf'
echo "exit=\$?" > '$dir/status'
sleep 60
EOF
    rm -f "$dir/status"
    t new-session -d -s board -x "$2" -y "$3" "sh '$dir/go.sh'"
}
wait_status() {
    i=0
    while ! grep -q "exit=" "$dir/status" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    grep -q "exit=$1" "$dir/status" 2>/dev/null || fail "ended with '$(cat "$dir/status" 2>/dev/null)', expected exit=$1"
}

# 0. quartz-sim itself: a --pane file that is not there is bad usage (exit 2), said on stderr.
t new-session -d -s board -x 80 -y 24 \
    "'$sim' --interactive --pane '$dir/none' '$elf' 2> '$dir/err'; echo \"exit=\$?\" > '$dir/status'; sleep 60"
wait_status 2
grep -q "^quartz-sim: --pane $dir/none: No such file or directory" "$dir/err" || fail "no --pane error: $(cat "$dir/err")"
t kill-session -t board

# 1. A broker of its own, 80x24: the pane under the console.
start "" 80 24
wait_for "MQTT quartz/# at 127.0.0.1:[0-9]* (private mosquitto)" 100 || fail "no pane header"
port=$(sed -n 's|.*MQTT quartz/# at 127.0.0.1:\([0-9]*\) .*|\1|p' "$dir/screen")
[ -n "$(procs "mosquitto -c $dir/tmp/quartz-run-")" ] || fail "no mosquitto started from the runner's temporary folder"
[ -n "$(procs "mosquitto_sub -h 127.0.0.1 -p $port ")" ] || fail "no mosquitto_sub on port $port"
wait_for "^[0-9:]* $env_line" 200 || fail "no env message in the pane within 20 s"
grep -q "console (USART2)" "$dir/screen" || fail "no console beside the pane"
t send-keys -t board q
wait_status 0
[ -z "$(leftovers "$port")" ] || fail "left running after q: $(leftovers "$port")"
[ -z "$(ls "$dir/tmp")" ] || fail "temporary folder left: $(ls "$dir/tmp")"
t kill-session -t board

# 2. The user's broker (BROKER=HOST:PORT), 140x40 (73 columns beside the Braille OLED): the pane beside the OLED.
port=$(( 30000 + ($$ * 7) % 30000 ))
while listening "$port"; do port=$((port + 1)); done
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$dir/broker.conf"
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$mosquitto" -c "$dir/broker.conf" > "$dir/broker.log" 2>&1 &
own_broker=$!
i=0
while ! listening "$port" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
listening "$port" || fail "the test's own mosquitto did not start: $(cat "$dir/broker.log")"
start "127.0.0.1:$port" 140 40
wait_for "┐ MQTT quartz/# at 127.0.0.1:$port (BROKER)" 100 || fail "no pane header beside the OLED"
wait_for "│ [0-9:]* $env_line" 200 || fail "no env message beside the OLED within 20 s"
[ -z "$(procs "mosquitto -c $dir/tmp/")" ] || fail "a broker was started although BROKER was given"
mosquitto_pub -h 127.0.0.1 -p "$port" -t quartz/from-test/cmd -m '{"led":1}'
wait_for "│ [0-9:]* quartz/from-test/cmd {\"led\":1}" 50 || fail "a message published by mosquitto_pub did not show"
t send-keys -t board C-c
wait_status 130
[ -z "$(leftovers "$port")" ] || fail "left running after Ctrl-C: $(leftovers "$port")"
[ -z "$(ls "$dir/tmp")" ] || fail "temporary folder left after Ctrl-C: $(ls "$dir/tmp")"
kill -0 "$own_broker" 2>/dev/null || fail "the runner stopped the broker it was given"
echo "run_node_tmux: ok"
