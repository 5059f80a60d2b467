#!/bin/sh
# compile_fail.sh CC SOURCE INCLUDE_DIRS...
# Each mistake in compile_fail.c must fail the build with its message.
set -u
cc=$1 src=$2
shift 2
inc=""
for d in "$@"; do inc="$inc -I$d"; done
status=0
check() { # define expected-message
    # shellcheck disable=SC2086
    out=$("$cc" -std=gnu11 -fsyntax-only -Wall -Wextra -Werror $inc -D"$1" "$src" 2>&1)
    if [ $? -eq 0 ]; then
        echo "compile_fail: -D$1 built, it must not"; status=1
    elif ! printf '%s\n' "$out" | grep -q "$2"; then
        echo "compile_fail: -D$1 failed without \"$2\":"; printf '%s\n' "$out" | head -20; status=1
    else
        echo "compile_fail: -D$1 refused: $2"
    fi
}
# shellcheck disable=SC2086
if ! "$cc" -std=gnu11 -fsyntax-only -Wall -Wextra -Werror $inc "$src"; then
    echo "compile_fail: the control program does not build"; exit 1
fi
check BAD_LOCK "resource shared is not declared for this task"
check BAD_SPAWN "this task is not a declared spawner of b"
check NO_DISPATCHER "software task b: no dispatcher at its priority"
check SPAWN_AT_ABOVE_TIMER "caller runs above APP_MONO_PRIO"
exit $status
