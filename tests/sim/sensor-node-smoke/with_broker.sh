#!/bin/bash
# Run a command with a mosquitto on a free loopback port (sourced by
# smoke.sh and tools/bench.d/sensor_node.sh). Sets BROKER_PORT and
# BROKER_PID; broker_stop ends it (by its pid).
broker_start() {
    local tries=0
    while [ $tries -lt 20 ]; do
        tries=$((tries + 1))
        BROKER_PORT=$((20000 + RANDOM % 30000))
        mosquitto -p "$BROKER_PORT" >"${BROKER_LOG:-/dev/null}" 2>&1 &
        BROKER_PID=$!
        local i=0
        while [ $i -lt 20 ]; do # up to 1 s: listening, or exited (port taken)
            kill -0 "$BROKER_PID" 2>/dev/null || break
            if mosquitto_pub -p "$BROKER_PORT" -t quartz/probe -n 2>/dev/null; then
                return 0
            fi
            sleep 0.05
            i=$((i + 1))
        done
        kill "$BROKER_PID" 2>/dev/null
        wait "$BROKER_PID" 2>/dev/null
    done
    echo "with_broker.sh: no mosquitto could start" >&2
    return 1
}

broker_stop() {
    kill "$BROKER_PID" 2>/dev/null
    wait "$BROKER_PID" 2>/dev/null
}
