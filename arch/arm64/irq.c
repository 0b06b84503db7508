// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device interrupts' handlers: the board's bus_env hooks (irq_connect,
 * irq_unmask) and arch_irq_handle(). A device's SPI is level-sensitive:
 * arch_cpu_irq() masks it at the distributor and ends it before its
 * handler runs (Linux's handle_level_irq, without the unmask after), so
 * it cannot fire again until the handler's owner unmasks it, which
 * vfio-pci does when the partition has ended the interrupt.
 */
#include <partita/arch/cpus.h>
#include <stddef.h>
#include "arm64.h"

static struct {
	void (*fn)(void *arg);
	void *arg;
} handlers[ARM64_GIC_NR_SPIS];

/* GIC binding: type 0 is an SPI, INTID 32 + number. */
static bool spec_spi(const uint32_t spec[3], unsigned *i)
{
	if (spec[0] != 0 || spec[1] >= ARM64_GIC_NR_SPIS)
		return false;
	*i = spec[1];
	return true;
}

bool arm64_irq_connect(void *opaque, const uint32_t spec[3],
		       void (*handler)(void *arg), void *arg)
{
	unsigned i;

	(void)opaque;
	if (!spec_spi(spec, &i))
		return false;
	handlers[i].fn = handler;
	handlers[i].arg = handler ? arg : NULL;
	return true;
}

void arm64_irq_unmask(void *opaque, const uint32_t spec[3])
{
	unsigned i;

	(void)opaque;
	if (spec_spi(spec, &i))
		arm64_gic_mask_spi(ARM64_GIC_FIRST_SPI + i, false);
}

bool arch_irq_handle(unsigned irq)
{
	unsigned i = irq - ARM64_GIC_FIRST_SPI;

	if (irq < ARM64_GIC_FIRST_SPI || i >= ARM64_GIC_NR_SPIS || !handlers[i].fn)
		return false;
	handlers[i].fn(handlers[i].arg);
	return true;
}
