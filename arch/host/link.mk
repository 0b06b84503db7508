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
