#!/bin/sh
# The interactive board in a real terminal: runs QUARTZ_SIM --interactive
# FIRMWARE inside a detached tmux (private server), presses space, checks
# the screen, quits with q and checks that the program ended with status 0.
# Usage: tui_tmux.sh QUARTZ_SIM FIRMWARE.elf|bare [TEXT-EXPECTED-AFTER-SPACE]
# ("bare": a 92-byte ARM image, enough for the stand-in fake_qsim.c)
set -eu
sim=$1
elf=$2
expect_after_press=${3:-}
server="qsim-tui-$$"
dir=$(mktemp -d /tmp/qsim-tui-XXXXXX)
t() { tmux -L "$server" "$@"; }
cleanup() { t kill-server 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
if [ "$elf" = bare ]; then
    elf="$dir/bare.elf"
    # Elf32_Ehdr: ELFCLASS32, ELFDATA2LSB; ET_EXEC (2); EM_ARM (40); e_version 1;
    # e_phoff 52, e_ehsize 52, e_phentsize 32, e_phnum 1
    printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\002\000\050\000' > "$elf"
    printf '\001\000\000\000\000\000\000\000\064\000\000\000\000\000\000\000' >> "$elf"
    printf '\000\000\000\000\064\000\040\000\001\000\000\000\000\000\000\000' >> "$elf"
    # Elf32_Phdr: PT_LOAD from file offset 84 to 0x08000000, 8 bytes (the vector table)
    printf '\001\000\000\000\124\000\000\000\000\000\000\010\000\000\000\010' >> "$elf"
    printf '\010\000\000\000\010\000\000\000\005\000\000\000\004\000\000\000' >> "$elf"
    head -c 8 /dev/zero >> "$elf"
fi

fail() {
    echo "tui_tmux: $*"
    echo "---- screen ----"
    cat "$dir/screen" 2>/dev/null || true
    exit 1
}

# Waits up to ~5 s for the screen to contain $1.
wait_for() {
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
    "'$sim' --interactive '$elf'; echo \"exit=\$?\" > '$dir/status'; sleep 60"
wait_for "console (USART2)" || fail "no board on the screen"
grep -q "quartz-sim" "$dir/screen" || fail "no title"
grep -q "space: press B1" "$dir/screen" || fail "no key help"
grep -q "HCLK" "$dir/screen" || fail "no status line"
# Full-size view in 160x50: the OLED box is 128 cells wide between corners.
grep -q "┌$(printf '─%.0s' $(seq 128))┐" "$dir/screen" || fail "OLED box is not 128 columns"
wait_for "speed [0-9]" || fail "no speed figure after a second"

t send-keys -t board ' '
if [ -n "$expect_after_press" ]; then
    wait_for "$expect_after_press" || fail "no '$expect_after_press' after pressing B1"
fi

t send-keys -t board q
i=0
# The shell creates the status file before it writes to it: wait for the line.
while ! grep -q "exit=" "$dir/status" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "exit=" "$dir/status" 2>/dev/null || fail "q did not end the program"
grep -q "exit=0" "$dir/status" || fail "ended with $(cat "$dir/status")"
echo "tui_tmux: ok"
