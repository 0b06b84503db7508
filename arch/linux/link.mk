# SPDX-License-Identifier: GPL-2.0-or-later
# Included by scripts/Makefile.build once the object lists are known.
# Static, so that the program runs where nothing else is installed (the
# VM's initramfs of tests/system/linux-vm-tests.sh).
arch-targets := $(BUILD)/partita
arch-image := $(BUILD)/partita

$(BUILD)/partita: $(head-objs) $(LIBPARTITA)
	$(call quiet,LD,$@)$(CC) $(LDFLAGS) -static -o $@ $(head-objs) $(LIBPARTITA) $(LIBS)
