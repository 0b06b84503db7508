/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal interfaces of the arm64 boot path (arch/arm64 only). */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <stdbool.h>
#include <stdint.h>

/* mmu.c: build the boot identity map and turn MMU and caches on; a
 * secondary CPU only turns them on, on the same tables. */
void arm64_mmu_enable(void);
void arm64_mmu_enable_this_cpu(void);

/* setup.c: C entry after the MMU is on; never returns. */
void arm64_start(uint64_t fdt_pa) __attribute__((noreturn));

/* pl011.c: console from the device tree (/chosen/stdout-path, else the
 * first arm,pl011), or QEMU virt's UART0 if the tree says nothing. */
void arm64_console_init(const void *fdt);
void arm64_console_puts(const char *s);

/* psci.c: the conduit (hvc or smc) from the /psci node, then SYSTEM_OFF.
 * Falls back to a WFI loop if PSCI is missing or returns. */
void arm64_psci_init(const void *fdt);
void arm64_psci_system_off(void) __attribute__((noreturn));
/* psci.c: CPU_ON of the CPU with this MPIDR at entry (physical), x0 =
 * context; PSCI's return code (0 = success). */
int64_t arm64_psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);

/* GICv2 has eight CPU interfaces: the most CPUs guests can use. */
#define ARM64_MAX_CPUS 8

/* smp.c: the CPUs in the device tree; at EL2, the GIC as well. */
void arm64_smp_init(const void *fdt, bool el2);

/* gic.c: the real GIC's part Partita uses (see there). */
#define ARM64_GIC_SGI_KICK      0
#define ARM64_GIC_PPI_HYP_TIMER 26
#define ARM64_GIC_PPI_VIRT_TIMER 27
#define ARM64_GIC_PPI_MAINTENANCE 25
/* SPIs: INTIDs 32 to 1019 (GIC binding: type 0, number INTID - 32). */
#define ARM64_GIC_FIRST_SPI     32
#define ARM64_GIC_NR_SPIS       988
bool arm64_gic_probe(const void *fdt);
bool arm64_gic_present(void);
uint8_t arm64_gic_cpu_init(void);       /* this CPU's interface bit */
void arm64_gic_sgi(uint8_t cpu_mask, unsigned sgi);
void arm64_gic_route_spi(unsigned intid, uint8_t cpu_mask);
/* GICD_ITARGETSR of one SPI only. */
void arm64_gic_target_spi(unsigned intid, uint8_t cpu_mask);
/* GICD_ICENABLER (masked) or GICD_ISENABLER of one SPI. */
void arm64_gic_mask_spi(unsigned intid, bool masked);
/* Device interrupts' handlers (irq.c), as the bus_env hooks. */
bool arm64_irq_connect(void *opaque, const uint32_t spec[3],
		       void (*handler)(void *arg), void *arg);
void arm64_irq_unmask(void *opaque, const uint32_t spec[3]);
unsigned arm64_gic_ack(uint32_t *iar);
void arm64_gic_eoi(uint32_t iar);
void arm64_gic_eoi_keep_active(uint32_t iar);

#endif
