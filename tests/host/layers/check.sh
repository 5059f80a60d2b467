#!/bin/sh
# check.sh FW_DIR
# Builds the probes of tests/host/layers/CMakeLists.txt in the firmware tree
# (lists in FW_DIR/layer-probes.txt). Denied: the plain probe builds, the
# register probe fails for want of stm32f446/regs.h. Allowed (chip HAL,
# board): both build.
set -u
fw=$1
list=$fw/layer-probes.txt
if [ ! -f "$list" ]; then
    echo "layers: no $list (configure the firmware tree first)"; exit 1
fi
denied=$(sed -n 's/^denied //p' "$list")
allowed=$(sed -n 's/^allowed //p' "$list")
if [ -z "$denied" ] || [ -z "$allowed" ]; then
    echo "layers: $list names no denied or no allowed target"; exit 1
fi
status=0
build() { # target -> output in $out, status in $rc
    out=$(cmake --build "$fw" --target "$1" 2>&1)
    rc=$?
}
for t in $denied $allowed; do
    build "layer_probe_${t}_plain"
    if [ $rc -ne 0 ]; then
        echo "layers: $t: the plain probe does not build:"; printf '%s\n' "$out" | tail -20
        status=1
    fi
done
for t in $denied; do
    build "layer_probe_${t}_regs"
    if [ $rc -eq 0 ]; then
        echo "layers: $t: includes stm32f446/regs.h and builds; chip registers must be private"
        status=1
    elif ! printf '%s\n' "$out" | grep -q "stm32f446/regs.h: No such file"; then
        echo "layers: $t: failed, but not for the chip include:"; printf '%s\n' "$out" | tail -20
        status=1
    else
        echo "layers: $t: cannot include stm32f446/regs.h (ok)"
    fi
done
for t in $allowed; do
    build "layer_probe_${t}_regs"
    if [ $rc -ne 0 ]; then
        echo "layers: $t: must see the chip registers, does not:"; printf '%s\n' "$out" | tail -20
        status=1
    else
        echo "layers: $t: sees stm32f446/regs.h (control, ok)"
    fi
done
exit $status
