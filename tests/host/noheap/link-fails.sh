#!/bin/sh
# link-fails.sh SRC_DIR WORK_DIR "expected message" source.c [extra flags...]
# Links a firmware image the way quartz_add_image does (runtime sources,
# chip linker script) and passes only when the link FAILS and the linker
# printed the expected readable message.
set -u
SRC=$1 WORK=$2 EXPECT=$3 MAIN=$4
shift 4
CC=${CC_ARM:-arm-none-eabi-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "link-fails: $CC not found (tools/bootstrap installs gcc-arm-none-eabi)"
    exit 1
fi
mkdir -p "$WORK"
out="$WORK/$(basename "$MAIN" .c).elf"
log="$WORK/$(basename "$MAIN" .c).log"
rm -f "$out"
"$CC" -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -Wall -Wextra -Werror \
    -ffunction-sections -fdata-sections -ffreestanding \
    -I"$SRC/include" -I"$SRC/arch/cortex-m/include" -I"$SRC/chip/stm32f446/include" \
    -I"$SRC/chip/stm32f446/public" -DNVIC_PRIO_BITS=4U -DQUARTZ_FILE_ID=0 \
    -nostartfiles --specs=nano.specs -Wl,--gc-sections \
    -T"$SRC/chip/stm32f446/stm32f446.ld" -L"$SRC/arch/cortex-m" \
    "$SRC/arch/cortex-m/startup.c" "$SRC/arch/cortex-m/fault.c" "$SRC/arch/cortex-m/fault_entry.S" \
    "$SRC/chip/stm32f446/vectors.c" "$MAIN" "$@" -o "$out" >"$log" 2>&1
rc=$?
cat "$log"
if [ $rc -eq 0 ]; then
    echo "link-fails: FAIL: $MAIN linked, but it must not"
    exit 1
fi
if ! grep -qF "$EXPECT" "$log"; then
    echo "link-fails: FAIL: the link failed without the message: $EXPECT"
    exit 1
fi
echo "link-fails: ok, the link failed with: $EXPECT"
