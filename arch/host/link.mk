# Included by scripts/Makefile.build once the object lists are known.
arch-targets := $(BUILD)/partita
arch-image := $(BUILD)/partita

ifeq ($(native),1)
LIBS += -lfdt
else
CPPFLAGS += -I$(DEPS_DIR)/usr/include
LIBS += $(DEPS_DIR)/usr/lib/$(target-triple)/libfdt.a
$(lib-objs) $(head-objs): | $(DEPS_DIR)/.fetched
endif

$(BUILD)/partita: $(head-objs) $(LIBPARTITA)
	$(call quiet,LD,$@)$(CC) $(LDFLAGS) -o $@ $(head-objs) $(LIBPARTITA) $(LIBS)

# The built-in board's device tree, compiled and included as a blob.
DEFAULT_DTB := $(BUILD)/arch/host/default-board.dtb
$(DEFAULT_DTB): $(srctree)/arch/host/sim/default-board.dts
	@command -v dtc >/dev/null || { echo "partita: dtc not found: run 'make deps' (device-tree-compiler)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(call quiet,DTC,$@)dtc -q -I dts -O dtb -o $@ $<
$(BUILD)/arch/host/default-dtb.o: $(DEFAULT_DTB)
$(BUILD)/arch/host/default-dtb.o: ASFLAGS += -DDEFAULT_DTB='"$(abspath $(DEFAULT_DTB))"'
