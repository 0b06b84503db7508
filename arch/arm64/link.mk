# arm64 firmware: partita.elf and the raw Image for -kernel.
# Included by scripts/Makefile.build once the object lists are known.

PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
arch-targets := $(BUILD)/partita.elf $(BUILD)/Image
arch-image := $(BUILD)/partita.elf

ifeq ($(wildcard $(PICOLIBC)/picolibc.specs),)
$(error picolibc for aarch64 is missing: run 'make deps' (scripts/deps.sh))
endif

# picolibc's headers and local-exec TLS come from its specs file. Our own
# code is freestanding-clean but links picolibc's string and printf code.
CFLAGS += --specs=$(PICOLIBC)/picolibc.specs -fno-pie -fno-pic \
	-ffunction-sections -fdata-sections -mcmodel=small
LDFLAGS += --specs=$(PICOLIBC)/picolibc.specs -nostartfiles -static \
	-no-pie -Wl,--gc-sections -Wl,--fatal-warnings
CPPFLAGS += -I$(DEPS_DIR)/usr/include
LIBS += $(DEPS_DIR)/usr/lib/$(target-triple)/libfdt.a
$(lib-objs) $(head-objs): | $(DEPS_DIR)/.fetched

# Runs with the MMU off: no unaligned accesses, no FP/SIMD, no library
# calls the compiler might invent.
$(BUILD)/arch/arm64/mmu.o: CFLAGS += -mstrict-align -mgeneral-regs-only \
	-fno-tree-loop-distribute-patterns

# partita.elf itself: the firmware link rule in scripts/Makefile.build.
firmware-libs := $(LIBPARTITA) $(LIBS)

$(BUILD)/Image: $(BUILD)/partita.elf
	$(call quiet,OBJCOPY,$@)$(OBJCOPY) -O binary $< $@
