// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PSCI SYSTEM_OFF (function 0x84000008, PSCI 0.2+) and CPU_ON (0xc4000003,
 * to start the CPUs guests run on). The conduit is the
 * /psci node's "method": "hvc" when a hypervisor (QEMU without EL2) owns
 * PSCI, "smc" when firmware at EL3 or QEMU's EL2 emulation does.
 */
#include "arm64.h"
#include <partita/fdt-util.h>
#include <partita/log.h>
#include <stdbool.h>

#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008UL
#define PSCI_0_2_FN64_CPU_ON   0xc4000003UL
#define PSCI_RET_NOT_SUPPORTED (-1)

enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

static enum psci_conduit conduit = PSCI_NONE;

void arm64_psci_init(const void *fdt)
{
	int node;

	if (!fdt)
		return;
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0) {
		pr_warn("psci: no PSCI 0.2+ node in the device tree");
		return;
	}
	if (fdt_util_prop_is(fdt, node, "method", "hvc"))
		conduit = PSCI_HVC;
	else if (fdt_util_prop_is(fdt, node, "method", "smc"))
		conduit = PSCI_SMC;
	else
		pr_warn("psci: unknown conduit in the /psci method property");
}

int64_t arm64_psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	register uint64_t x0 __asm__("x0") = PSCI_0_2_FN64_CPU_ON;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = context;

	if (conduit == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :: "memory");
	else if (conduit == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :: "memory");
	else
		return PSCI_RET_NOT_SUPPORTED;
	return (int64_t)x0;
}

void arm64_psci_system_off(void)
{
	register unsigned long x0 __asm__("x0") = PSCI_0_2_FN_SYSTEM_OFF;

	if (conduit == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
	else if (conduit == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) :: "memory");
	/* No PSCI, or SYSTEM_OFF returned: park the CPU. */
	pr_err("psci: SYSTEM_OFF failed; halting");
	for (;;)
		__asm__ volatile("wfi");
}
