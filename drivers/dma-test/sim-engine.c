// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulated board's DMA engine (arch/host/sim/dma-engine.c), as PCI
 * 1234:51d0 with its registers in BAR0 or as a "partita,sim-dma" platform
 * device with them in region 0: source, destination, length, GO; the
 * status latches done or fault, and a fault's address.
 */
#include <partita/dma-test/dma-test.h>
#include <partita/pci.h>
#include <partita/sim/dma-engine.h>
#include <partita/vfio/pci.h>
#include <partita/vfio/platform.h>
#include <string.h>

static bool __attribute__((unused))
is_compatible(const char *list, size_t len, const char *want)
{
	for (size_t off = 0; off < len; off += strlen(list + off) + 1)
		if (!strcmp(list + off, want))
			return true;
	return false;
}

static bool sim_probe(struct dma_tester *t)
{
#if IS_ENABLED(CONFIG_VFIO_PCI)
	if (t->target.kind == BUS_PCI) {
		struct vfio_pci_device *vpci = t->target.dev;
		uint8_t cmd[2] = { PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0 };

		if (vpci->vendor_id != 0x1234 || vpci->device_id != 0x51d0 ||
		    !vpci->bars[0].size)
			return false;
		vfio_pci_write_config(vpci, PCI_COMMAND, cmd, 2);
		t->regs = vpci->bars[0].addr;
		return true;
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	if (t->target.kind == BUS_PLATFORM) {
		struct vfio_platform_device *vplat = t->target.dev;

		if (!is_compatible(vplat->compat, vplat->compat_len,
				   "partita,sim-dma") ||
		    !vplat->nregions || !vplat->regions[0].size)
			return false;
		t->regs = vplat->regions[0].addr;
		return true;
	}
#endif
	return false;
}

static enum dma_test_result sim_copy(struct dma_tester *t, uint64_t src,
				     uint64_t dst, uint64_t len)
{
	AddressSpace *as = t->target.as;
	uint64_t st;

	address_space_stq_le(as, t->regs + SIM_DMA_REG_SRC, src);
	address_space_stq_le(as, t->regs + SIM_DMA_REG_DST, dst);
	address_space_stq_le(as, t->regs + SIM_DMA_REG_LEN, len);
	address_space_stq_le(as, t->regs + SIM_DMA_REG_CMD, SIM_DMA_CMD_GO);
	st = address_space_ldq_le(as, t->regs + SIM_DMA_REG_STATUS, NULL);
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	/* The completion interrupt: serviced, so the next one arrives. */
	if (t->target.kind == BUS_PLATFORM) {
		struct vfio_platform_device *vplat = t->target.dev;

		for (unsigned i = 0; i < vplat->nirqs; i++)
			if (vplat->irqs[i].active)
				vfio_platform_eoi(vplat, vplat->irqs[i].line);
	}
#endif
	return st == SIM_DMA_DONE ? DMA_TEST_DONE : DMA_TEST_FAULT;
}

static bool sim_last_fault(struct dma_tester *t, uint64_t *addr)
{
	AddressSpace *as = t->target.as;

	if (address_space_ldq_le(as, t->regs + SIM_DMA_REG_STATUS, NULL) !=
	    SIM_DMA_FAULT)
		return false;
	*addr = address_space_ldq_le(as, t->regs + SIM_DMA_REG_FAULT, NULL);
	return true;
}

const struct dma_test_driver dma_test_sim_engine = {
	.name = "sim-dma",
	.probe = sim_probe,
	.copy = sim_copy,
	.last_fault = sim_last_fault,
};
