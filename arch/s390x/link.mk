# s390x firmware: partita.elf, loaded by QEMU's -kernel.
# Included by scripts/Makefile.build once the object lists are known.

arch-targets := $(BUILD)/partita.elf
arch-image := $(BUILD)/partita.elf

# Freestanding: Debian has no C library for bare s390x, so lib/libc
# supplies the pieces. Vector registers stay off (the boot path does not
# enable them); all 16 FP registers are enabled by head.S.
LIBC_INC := $(srctree)/lib/libc/include
CPPFLAGS := -nostdinc -isystem $(LIBC_INC) \
	-isystem $(shell $(CC) -print-file-name=include) $(CPPFLAGS)
CFLAGS += -ffreestanding -fno-pie -fno-pic -mno-vx -mpacked-stack \
	-ffunction-sections -fdata-sections -fno-stack-protector
LDFLAGS += -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--fatal-warnings \
	-Wl,--build-id=none

# The libc must not have its loops turned into calls to itself.
$(filter $(BUILD)/lib/libc/%,$(lib-objs)): CFLAGS += -fno-tree-loop-distribute-patterns

# partita.elf itself: the firmware link rule in scripts/Makefile.build.
# libgcc for the odd helper GCC calls (128-bit arithmetic).
firmware-libs := -Wl,--start-group $(LIBPARTITA) -lgcc -Wl,--end-group
