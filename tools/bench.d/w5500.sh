#!/bin/sh
# W5500 figures (issue 15): w5500_flash_bytes, the driver's objects
# (drivers/w5500/w5500.c and w5500_net.c: chip access, reset, detection,
# the net.h socket operations) before the link drops anything, text + data,
# as kernel.sh counts the kernel; dhcp_flash_bytes, the DHCP client
# (drivers/w5500/dhcp.c) the same way. Deterministic: one run.
set -eu
dir=$FW_DIR/drivers/CMakeFiles/quartz_w5500.dir/w5500
for f in w5500.c.obj w5500_net.c.obj dhcp.c.obj; do
    if [ ! -f "$dir/$f" ]; then
        echo "w5500.sh: no $dir/$f (firmware tree not built)" >&2
        exit 1
    fi
done
arm-none-eabi-size "$dir/w5500.c.obj" "$dir/w5500_net.c.obj" |
    awk 'NR > 1 { flash += $1 + $2 } END { printf "w5500_flash_bytes %d bytes 4096 le\n", flash }'
arm-none-eabi-size "$dir/dhcp.c.obj" |
    awk 'NR > 1 { flash += $1 + $2 } END { printf "dhcp_flash_bytes %d bytes 2048 le\n", flash }'
