# A RISC-V microkernel whose page faults are served by a user-level pager.
#
#   make run [APP=prog.c] [FILES=dir] [TRACE=1] [BOOT_ARGS=...] [QEMU_EXTRA=...]
#                                            boot, run the demo (or prog.c), exit;
#                                            FILES: dir's files on a disk, and its servers
#   make test                                host tests + every QEMU test
#   make bench                               BENCH lines (instruction counts)
#   make conformance PAGER=pager.c           the pager conformance test against pager.c
#   make gdb [APP=prog.c] [FILES=dir]        QEMU halted, gdb attached
#   make deps                                the Debian packages the build needs

CROSS    ?= riscv64-unknown-elf-
CC       := $(CROSS)gcc
QEMU     ?= qemu-system-riscv64
B        := build
ARCHFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
WARN     := -Wall -Wextra -Werror
OPT      := -O2 -g
Q        ?= @

KERNEL_CFLAGS := $(ARCHFLAGS) $(OPT) $(WARN) -ffreestanding -fno-builtin -nostdlib \
	-fno-pic -Iarch/riscv -Ikernel -Ikernel/include

# User programs: picolibc, soft-float, our own crt0 and link script.
USER_INC    := -Ilib/include -Ikernel/include -Iservers/libpager
USER_CFLAGS := $(ARCHFLAGS) $(OPT) --specs=picolibc.specs $(USER_INC) -ffunction-sections
# Linking names the plain ISA so that gcc picks picolibc's rv64imac/lp64 multilib.
USER_LDFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany --specs=picolibc.specs \
	-nostartfiles -T lib/user.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments
# All of lib/ goes in (so that its sbrk, _exit, stdout win over picolibc's);
# --gc-sections then drops what the program does not use.
USER_LIBS := -Wl,--whole-archive $(B)/libuser.a -Wl,--no-whole-archive \
	-Wl,--start-group -lc -lgcc -Wl,--end-group

KERNEL_SRC := $(wildcard arch/riscv/*.S arch/riscv/*.c kernel/*.c)
KERNEL_OBJ := $(patsubst %,$(B)/%.o,$(basename $(KERNEL_SRC)))
LIB_SRC    := $(wildcard lib/*.c lib/*.S servers/libpager/*.c)
LIB_OBJ    := $(patsubst %,$(B)/%.o,$(basename $(LIB_SRC)))
VM_SRC     := $(wildcard pager/vm/*.c)
PAGER_SRC  := $(wildcard pager/*.c) $(VM_SRC)
PAGER_OBJ  := $(patsubst %,$(B)/%.o,$(basename $(PAGER_SRC)))

# The servers init starts (its -s options) when the boot has a disk, in
# order: the block driver - and, when it lands, the file server (add fs here).
DISK_SERVERS := virtio_blk fs
SERVER_ARGS  := $(foreach s,$(DISK_SERVERS),-s $(s))

# Programs in the boot image. The VM server must be the archive's first file.
PROGRAMS   := init demo $(DISK_SERVERS)
SYSTESTS   := $(basename $(notdir $(wildcard tests/sys/*.c)))
KTESTS     := $(basename $(notdir $(wildcard tests/kernel/*.c)))
PAGERS     := $(basename $(notdir $(wildcard servers/pagers/*.c)))
BENCHES    := $(basename $(notdir $(wildcard tests/bench/*.c)))
HEADERS    := $(wildcard arch/riscv/*.h kernel/*.h kernel/include/uapi/*.h lib/include/*.h \
	lib/include/*/*.h pager/*.h pager/vm/*.h servers/libpager/*.h tests/*/*.h)

.PHONY: all run test bench gdb deps clean host-test check-tools conformance FORCE
.SECONDARY:

all: $(B)/kernel.elf $(B)/boot.tar

# ---- set-up --------------------------------------------------------------

DEPS_PKGS := gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf opensbi qemu-system-misc \
	gdb-multiarch
deps:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq $(DEPS_PKGS) >/dev/null && echo "deps: installed"; \
	else \
		echo "run as root: apt-get install -y $(DEPS_PKGS)"; exit 1; \
	fi

# Installs what is missing before anything that needs the cross tools.
check-tools:
	@command -v $(CC) >/dev/null && command -v $(QEMU) >/dev/null && \
		[ -d /usr/lib/picolibc/riscv64-unknown-elf ] || $(MAKE) --no-print-directory deps

# ---- the kernel ----------------------------------------------------------

$(B)/arch/%.o: arch/%.S $(HEADERS) | check-tools
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(B)/arch/%.o: arch/%.c $(HEADERS) | check-tools
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(B)/kernel/%.o: kernel/%.c $(HEADERS) | check-tools
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/kernel.elf: $(KERNEL_OBJ) arch/riscv/kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -T arch/riscv/kernel.ld -Wl,--no-warn-rwx-segments \
		$(KERNEL_OBJ) -lgcc -o $@

# ---- user space ----------------------------------------------------------

$(B)/pager/%.o: EXTRA_INC := -Ipager -Ipager/vm
$(B)/%.o: %.c $(HEADERS) | check-tools
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_CFLAGS) $(EXTRA_INC) $(WARN) -c $< -o $@
$(B)/%.o: %.S | check-tools
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/libuser.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

$(B)/bin/%: $(B)/libuser.a lib/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) $(filter %.o,$^) $(USER_LIBS) -o $@

# The VM server lives at 16 MiB and init at 8 MiB: their addresses never
# overlap a program's, so gdb and tools/profile can tell them apart.
$(B)/bin/vmserver: $(PAGER_OBJ)
$(B)/bin/vmserver: USER_LDFLAGS += -Wl,--defsym=__text_base=0x1000000
$(B)/bin/init: $(B)/servers/init/init.o
$(B)/bin/init: USER_LDFLAGS += -Wl,--defsym=__text_base=0x800000
$(B)/bin/demo: $(B)/servers/demo/demo.o
$(B)/bin/virtio_blk: $(B)/servers/virtio_blk/virtio_blk.o
$(B)/bin/fs: $(B)/servers/fs/fs.o
$(foreach t,$(SYSTESTS),$(eval $(B)/bin/test_$(t): $(B)/tests/sys/$(t).o))
$(foreach t,$(KTESTS),$(eval $(B)/bin/ktest_$(t): $(B)/tests/kernel/$(t).o))
$(foreach t,$(BENCHES),$(eval $(B)/bin/bench_$(t): $(B)/tests/bench/$(t).o))

# Each pager of servers/pagers/ runs as a program (pager_NAME) and, linked
# with the conformance harness, as conformance_NAME: compiled with its main
# renamed, as libpager.h's PAGER_CONFORMANCE says.
UNDER_TEST  := -Dmain=pager_own_main
HARNESS_OBJ := $(B)/tests/pager/conformance.o
$(B)/tests/pager/%.o: EXTRA_INC := -Itests/sys
$(B)/under-test/%.o: servers/pagers/%.c $(HEADERS) | check-tools
	@mkdir -p $(dir $@)
	@echo "  CC      $< (under test)"
	$(Q)$(CC) $(USER_CFLAGS) $(WARN) $(UNDER_TEST) -c $< -o $@
$(foreach p,$(PAGERS),$(eval $(B)/bin/pager_$(p): $(B)/servers/pagers/$(p).o))
$(foreach p,$(PAGERS),$(eval $(B)/bin/conformance_$(p): $(HARNESS_OBJ) $(B)/under-test/$(p).o))

# The boot image: a ustar archive, the VM server first.
$(B)/boot.tar: $(B)/bin/vmserver $(addprefix $(B)/bin/,$(PROGRAMS)) \
		$(addprefix $(B)/bin/test_,$(SYSTESTS)) $(addprefix $(B)/bin/bench_,$(BENCHES)) \
		$(addprefix $(B)/bin/pager_,$(PAGERS)) $(addprefix $(B)/bin/conformance_,$(PAGERS))
	@echo "  TAR     $@"
	$(Q)tools/mkinitrd $@ $^

# An outside program, compiled against lib/ with warnings that do not stop it.
# Always rebuilt: APP may name another file with an older date than the last one.
ifdef APP
ifeq ($(wildcard $(APP)),)
$(error APP=$(APP): no such file (a C source: make run APP=path/to/prog.c))
endif
$(B)/app/app.o: $(APP) $(HEADERS) FORCE | check-tools
	@mkdir -p $(dir $@)
	@echo "  CC      $(APP)"
	$(Q)$(CC) $(USER_CFLAGS) -Wall -Wextra -c $< -o $@
$(B)/app/app: $(B)/app/app.o $(B)/libuser.a lib/user.ld
	$(Q)$(CC) $(USER_LDFLAGS) $< $(USER_LIBS) -o $@
$(B)/app.tar: $(B)/bin/vmserver $(B)/bin/init $(B)/app/app \
		$(if $(FILES),$(addprefix $(B)/bin/,$(DISK_SERVERS)))
	$(Q)tools/mkinitrd $@ $^
RUN_IMAGE := $(B)/app.tar
RUN_ARGS  := app
else
RUN_IMAGE := $(B)/boot.tar
RUN_ARGS  := demo
endif
# FILES=dir: a disk of dir's files (tools/mkdisk), made afresh for each run
# (the last run may have written to it), and the servers that serve it.
ifdef FILES
$(B)/disk.img: FORCE
	@mkdir -p $(dir $@)
	$(Q)tools/mkdisk $@ "$(FILES)"
RUN_DISK := $(B)/disk.img
RUN_ARGS := $(SERVER_ARGS) $(RUN_ARGS)
endif

# An outside pager under the conformance test, compiled as APP is. (Only a
# .c file: PAGER is often set in the environment, to less.)
TESTED_PAGER := $(filter %.c,$(PAGER))
ifneq ($(TESTED_PAGER),)
ifeq ($(wildcard $(TESTED_PAGER)),)
$(error PAGER=$(TESTED_PAGER): no such file)
endif
$(B)/conformance/pager.o: $(TESTED_PAGER) $(HEADERS) FORCE | check-tools
	@mkdir -p $(dir $@)
	@echo "  CC      $(TESTED_PAGER) (under test)"
	$(Q)$(CC) $(USER_CFLAGS) -Wall -Wextra $(UNDER_TEST) -c $< -o $@
$(B)/conformance/conformance: $(HARNESS_OBJ) $(B)/conformance/pager.o $(B)/libuser.a lib/user.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) $(HARNESS_OBJ) $(B)/conformance/pager.o $(USER_LIBS) -o $@
$(B)/conformance.tar: $(B)/bin/vmserver $(B)/bin/init $(B)/conformance/conformance
	$(Q)tools/mkinitrd $@ $^
endif
# BOOT_ARGS=...: options for the VM server (pager_timeout=MS, collapse=lazy, ...);
# TRACE=1 adds trace=1: it prints one line per fault.
ifeq ($(TRACE),1)
override BOOT_ARGS += trace=1
endif

# ---- running -------------------------------------------------------------

run: $(B)/kernel.elf $(RUN_IMAGE) $(RUN_DISK)
	@tools/qemu-run --timeout 120 $(if $(RUN_DISK),--disk $(RUN_DISK)) $(B)/kernel.elf \
		$(RUN_IMAGE) "$(strip $(BOOT_ARGS) $(RUN_ARGS))" $(QEMU_EXTRA)

gdb: $(B)/kernel.elf $(RUN_IMAGE) $(RUN_DISK)
	@tools/qemu-run --timeout 0 --gdb $(if $(RUN_DISK),--disk $(RUN_DISK)) $(B)/kernel.elf \
		$(RUN_IMAGE) "$(strip $(BOOT_ARGS) $(RUN_ARGS))" $(QEMU_EXTRA)

conformance: $(B)/kernel.elf $(if $(TESTED_PAGER),$(B)/conformance.tar)
	@[ -n "$(TESTED_PAGER)" ] || { echo "usage: make conformance PAGER=path/to/pager.c"; exit 2; }
	@tools/qemu-run --timeout 120 $(B)/kernel.elf $(B)/conformance.tar \
		"$(strip $(BOOT_ARGS) conformance)" $(QEMU_EXTRA)

# ---- tests and benchmarks ------------------------------------------------

HOST_CC     := gcc
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Ipager/vm -Itests/host
HOST_TESTS  := $(basename $(notdir $(wildcard tests/host/test_*.c)))
HOST_SUPPORT := $(filter-out tests/host/test_%.c,$(wildcard tests/host/*.c))

$(B)/host/%: tests/host/%.c $(VM_SRC) $(HOST_SUPPORT) $(wildcard pager/vm/*.h tests/host/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(VM_SRC) $(HOST_SUPPORT) -o $@

host-test: $(addprefix $(B)/host/,$(HOST_TESTS))

KTEST_IMAGES := $(foreach t,$(KTESTS),$(B)/ktest_$(t).tar)
$(B)/ktest_%.tar: $(B)/bin/ktest_%
	$(Q)tools/mkinitrd $@ $<

test: all host-test $(KTEST_IMAGES)
	@tools/run-tests $(B) "$(HOST_TESTS)" "$(SYSTESTS)" "$(KTESTS)" "$(PAGERS)" "$(SERVER_ARGS)"

bench: $(B)/kernel.elf $(B)/boot.tar
	@tools/run-bench $(B)

clean:
	rm -rf $(B)
