/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal interfaces of the arm64 boot path (arch/arm64 only). */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <stdint.h>

/* mmu.c: build the boot identity map and turn MMU and caches on. */
void arm64_mmu_enable(void);

/* setup.c: C entry after the MMU is on; never returns. */
void arm64_start(uint64_t fdt_pa) __attribute__((noreturn));

/* pl011.c: console from the device tree (/chosen/stdout-path, else the
 * first arm,pl011), or QEMU virt's UART0 if the tree says nothing. */
void pl011_init(const void *fdt);
void pl011_puts(const char *s);

/* psci.c: the conduit (hvc or smc) from the /psci node, then SYSTEM_OFF.
 * Falls back to a WFI loop if PSCI is missing or returns. */
void psci_init(const void *fdt);
void psci_system_off(void) __attribute__((noreturn));

#endif
