/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device tree a guest is handed in x0 (virt/guest-dt.c), written
 * with libfdt as Linux's arm64 boot protocol expects one
 * (Documentation/arch/arm64/booting.rst, the devicetree bindings):
 *
 *   / (#address-cells = #size-cells = 2, compatible "partita,guest")
 *   /memory@<ram-addr>    device_type "memory", reg = the partition's RAM
 *   /cpus/cpu@<n>         n = 0..cpus-1: device_type "cpu", compatible
 *                         "arm,armv8", reg = the vCPU's MPIDR affinity (n),
 *                         enable-method "psci"
 *   /psci                 "arm,psci-1.0" "arm,psci-0.2", method smc|hvc
 *   /timer                "arm,armv8-timer" (no interrupts yet: there is
 *                         no interrupt controller until the virtual GIC)
 *   /apb-pclk             a 24 MHz fixed clock (the PL011 binding needs
 *                         its uartclk and apb_pclk)
 *   /pl011@<addr>         "arm,pl011" "arm,primecell", reg, clocks
 *   /chosen               stdout-path = the PL011, bootargs when given
 */
#ifndef PARTITA_VIRT_GUEST_DT_H
#define PARTITA_VIRT_GUEST_DT_H

#include <partita/error.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_DT_MAX_CPUS 64

struct guest_dt {
	uint64_t ram_addr, ram_size;
	unsigned cpus;
	uint64_t uart_addr;          /* the PL011's page in the partition */
	const char *psci_method;     /* "smc" or "hvc" */
	const char *bootargs;        /* or NULL */
	uint64_t initrd_start, initrd_end;   /* /chosen/linux,initrd-*; 0: none */
	/* The GICv2 (arm,cortex-a15-gic): distributor and CPU interface;
	 * 0 = none (no interrupt controller, no timer interrupts). */
	uint64_t gicd_addr, gicc_addr;
	/* A generic ECAM PCI host for bus 0 (0 = none) and its memory
	 * window, split in a 32-bit half and a 64-bit prefetchable half. */
	uint64_t ecam_addr, window_base, window_size;
	/* The bus's interrupt-map: which function's pin raises which SPI
	 * (INTID) of the GIC. */
	struct guest_dt_intx {
		unsigned slot, fn, pin, spi;
	} intx[32];
	unsigned nintx;
};

/* Write it into buf (size bytes); false (errp) when it does not fit or
 * the description is wrong (no CPU, too many, a method other than smc
 * or hvc, no RAM). The blob is packed. */
bool guest_dt_build(void *buf, size_t size, const struct guest_dt *g,
		    Error **errp);

#endif
