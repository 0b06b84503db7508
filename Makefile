# SPDX-License-Identifier: GPL-2.0-or-later
#
# Partita top-level Makefile.
#
#   make <name>_defconfig      configure from configs/<name>_defconfig
#   make                       build what the configuration says
#   make run                   build and boot the arm64 firmware on QEMU virt
#   make check                 every test: host, qemu-user, defconfigs, QEMU boots
#   make help                  everything else
#
# Builds are out of tree: O=DIR (default build/$(ARCH)). ARCH is host, arm64
# or s390x; a defconfig named <arch>_* picks its ARCH by itself, and later
# invocations read ARCH from $(O)/.config. Kernel-style object lists live in
# each directory's Makefile: obj-$(CONFIG_FOO) += foo.o, obj-y += subdir/.

PARTITA_VERSION := 0.1.0
export PARTITA_VERSION

srctree := $(CURDIR)
PYTHON := /usr/bin/python3
# kconfiglib's tools are Python modules of Debian's python3-kconfiglib.
KCONFIG_TOOLS := /usr/lib/python3/dist-packages

MAKEFLAGS += --no-print-directory -rR
.SUFFIXES:

ifneq ($(V),1)
Q := @
quiet = @printf '  %-8s %s\n' '$(1)' '$(2)';
else
Q :=
quiet =
endif

# ---------------------------------------------------------------------------
# Targets that need no configuration.

no-config-goals := help check check-% run run-s390x bench fuzz clean distclean deps docs
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(no-config-goals),$(MAKECMDGOALS)),)
no-config := 1
endif
endif

defconfig-goal := $(filter %_defconfig,$(MAKECMDGOALS))

ifeq ($(origin O),command line)
BUILD := $(patsubst %/,%,$(O))
else
ifneq ($(defconfig-goal),)
ARCH ?= $(firstword $(subst _, ,$(notdir $(defconfig-goal))))
endif
ARCH ?= host
BUILD := build/$(ARCH)
endif

export KCONFIG_CONFIG := $(BUILD)/.config
export KCONFIG_AUTOHEADER := $(BUILD)/include/generated/autoconf.h
AUTOCONF := $(KCONFIG_AUTOHEADER)
kconfig = $(Q)srctree=$(srctree) PYTHONPATH=$(KCONFIG_TOOLS) $(PYTHON)

.PHONY: all help check run run-s390x bench fuzz clean distclean deps docs menuconfig olddefconfig savedefconfig
all:

help:
	@echo 'Partita $(PARTITA_VERSION)'
	@echo
	@echo 'Configuration (O=DIR picks the build directory, default build/<arch>):'
	@echo '  <name>_defconfig  - configure from configs/<name>_defconfig:'
	@$(foreach f,$(sort $(notdir $(wildcard configs/*_defconfig))),echo '                      $(f)';)
	@echo '  menuconfig        - edit the configuration in a terminal menu'
	@echo '  olddefconfig      - refresh .config after Kconfig changed, new symbols at defaults'
	@echo '  savedefconfig     - write the minimal configuration to $$(O)/defconfig'
	@echo
	@echo 'Building:'
	@echo '  all (default)     - build the configured target into $$(O)'
	@echo '  unit-tests        - build the cmocka unit tests for the configured (host) build'
	@echo '  V=1               - show full commands'
	@echo
	@echo 'Running and testing:'
	@echo '  run               - build arm64_virt_defconfig and boot it on qemu-system-aarch64'
	@echo '  run-s390x         - build s390x_defconfig and boot it on qemu-system-s390x (zPCI, CCW)'
	@echo '  check             - every test; ends with the line "N passed, N failed"'
	@echo '  bench             - performance figures (medians; see docs/performance.md)'
	@echo '  fuzz              - libFuzzer on the option parser and the /partitions manifest'
	@echo '                      (FUZZ_SECONDS each, default 60; clang, build/fuzz)'
	@echo '  deps              - install the Debian packages the build needs (scripts/deps.sh)'
	@echo '  docs              - regenerate docs/kconfig.md from the Kconfig help'
	@echo '  clean / distclean - remove $$(O) / every build directory'

deps:
	$(Q)bash scripts/deps.sh

# The configuration reference is generated from the Kconfig help texts;
# make check fails when it is out of date.
docs:
	$(Q)srctree=$(srctree) PARTITA_VERSION=$(PARTITA_VERSION) \
		PYTHONPATH=$(KCONFIG_TOOLS) $(PYTHON) scripts/kconfig-doc.py docs/kconfig.md
	@echo "  DOC      docs/kconfig.md"

run:
	$(Q)bash scripts/deps.sh --quiet
	$(Q)bash scripts/run-qemu.sh arm64

run-s390x:
	$(Q)bash scripts/deps.sh --quiet
	$(Q)bash scripts/run-qemu.sh s390x

check:
	$(Q)bash scripts/check.sh

bench:
	$(Q)bash scripts/bench.sh

fuzz:
	$(Q)bash scripts/fuzz.sh

clean:
	$(Q)rm -rf $(BUILD)

distclean:
	$(Q)rm -rf build

# ---------------------------------------------------------------------------
# Configuration.

KCONFIG_FILES := $(shell find $(srctree) -name Kconfig -not -path '$(srctree)/build/*')

%_defconfig:
	@test -f configs/$@ || { echo "partita: no such defconfig: configs/$@" >&2; \
		echo "  available: $(notdir $(wildcard configs/*_defconfig))" >&2; exit 1; }
	$(Q)mkdir -p $(BUILD)
	$(kconfig) scripts/kconfig.py defconfig configs/$@
	@echo "  CONFIG   $(BUILD)/.config from configs/$@"

menuconfig: | $(KCONFIG_CONFIG)
	$(Q)MENUCONFIG_STYLE=aquatic srctree=$(srctree) PYTHONPATH=$(KCONFIG_TOOLS) \
		$(PYTHON) $(KCONFIG_TOOLS)/menuconfig.py Kconfig
	$(kconfig) scripts/kconfig.py genconfig

olddefconfig:
	$(kconfig) scripts/kconfig.py olddefconfig

savedefconfig:
	$(kconfig) scripts/kconfig.py savedefconfig $(BUILD)/defconfig

ifeq ($(no-config)$(defconfig-goal),)
ifeq ($(filter menuconfig olddefconfig savedefconfig,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(KCONFIG_CONFIG)),)
$(error $(BUILD) is not configured: run 'make <name>_defconfig' first (see 'make help'))
endif
include $(KCONFIG_CONFIG)

# The configuration says what ARCH is; a contradicting ARCH= is a mistake.
config-arch := $(patsubst "%",%,$(CONFIG_ARCH))
ifneq ($(origin ARCH),file)
ifneq ($(origin ARCH),undefined)
ifneq ($(ARCH),$(config-arch))
$(error ARCH=$(ARCH) but $(KCONFIG_CONFIG) is configured for $(config-arch))
endif
endif
endif
override ARCH := $(config-arch)

$(AUTOCONF): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	$(kconfig) scripts/kconfig.py olddefconfig

# A Kconfig file newer than .config (a new symbol, a changed default):
# .config is an included makefile, so GNU make remakes it first and reads
# the fresh one before building anything. Without this the first build
# after such a change used the stale one (objects of a now-needed
# directory missing at the link).
$(KCONFIG_CONFIG): $(KCONFIG_FILES)
	$(kconfig) scripts/kconfig.py olddefconfig
	@touch $@

include scripts/Makefile.build
endif
endif
