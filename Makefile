# quartz front door. Two CMake trees: firmware (cross, arm-none-eabi) and
# host (quartz-sim, unit tests, checks). See README.md.
BUILD   ?= build
FW      := $(BUILD)/fw
HOST    := $(BUILD)/host
APP     ?= stopwatch
ELF     ?= $(FW)/apps/$(APP)/$(APP).elf
SHARED  ?= $(abspath ../shared)
# ST's SVD, only to re-check chip/stm32f446/stm32f446.facts (default: $(SHARED)/svd/STM32F446.svd if there)
SVD     ?=
GEN     := -G Ninja
CTEST_ARGS ?=
# quartz-sim options for make run, e.g. SIM_ARGS="--env T=21.5C,P=1013.25hPa,H=45% --detach bme280@10s"
SIM_ARGS ?=
# SANITIZE=1: host code, quartz-sim and every host test built with ASan and
# UBSan in their own tree (the firmware images are shared): make test SANITIZE=1
SANITIZE ?= 0
HOST_FLAGS :=
ifeq ($(SANITIZE),1)
HOST       := $(BUILD)/host-san
HOST_FLAGS := -DQUARTZ_SANITIZE=ON
endif

.PHONY: all firmware host run debug debug-board test size bench flash clean bootstrap

all: host

bootstrap:
	@tools/bootstrap

firmware: bootstrap
	@cmake -S . -B $(FW) $(GEN) -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
	    -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@cmake --build $(FW)

host: firmware
	@cmake -S . -B $(HOST) $(GEN) -DQUARTZ_FW_DIR=$(abspath $(FW)) \
	    -DQUARTZ_SHARED_DIR=$(SHARED) -DQUARTZ_SVD_FILE=$(if $(SVD),$(abspath $(SVD))) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON $(HOST_FLAGS) >/dev/null
	@cmake --build $(HOST)
	@tools/merge-compile-commands $(FW) $(HOST) > compile_commands.json

# The sensor node needs a broker: tools/run-sensor-node starts a private
# mosquitto (or uses BROKER=HOST:PORT) and shows its messages beside the board.
BROKER ?=
RUN_BOARD = $(HOST)/sim/quartz-sim --interactive
ifeq ($(APP),sensor-node)
RUN_BOARD = BROKER='$(BROKER)' tools/run-sensor-node $(HOST)/sim/quartz-sim
endif

run: host
	@if [ ! -f "$(ELF)" ]; then echo "make run: no image $(ELF) (APP=$(APP)); images: $$(ls $(FW)/apps 2>/dev/null)"; exit 2; fi
	@$(RUN_BOARD) $(SIM_ARGS) $(ELF)

# GDB on quartz-sim (docs/debugging.md): the CPU held at reset until
# gdb-multiarch attaches, stopped at main; quitting GDB ends the simulator.
debug: host
	@if [ ! -f "$(ELF)" ]; then echo "make debug: no image $(ELF) (APP=$(APP)); images: $$(ls $(FW)/apps 2>/dev/null)"; exit 2; fi
	@tools/debug-sim $(HOST)/sim/quartz-sim $(ELF)

# The same on the real board through OpenOCD and the Nucleo's ST-LINK.
debug-board: firmware
	@tools/debug-board $(ELF)

test: host
	@cd $(HOST) && ctest --output-on-failure $(CTEST_ARGS)

size: firmware
	@tools/size-report $(FW)

bench: host
	@tools/bench $(FW) $(HOST) $(BUILD)/bench.json

flash: firmware
	@tools/flash $(ELF)

clean:
	rm -rf $(BUILD) compile_commands.json
