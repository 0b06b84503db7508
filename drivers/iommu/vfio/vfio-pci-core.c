// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-pci bus driver: a PCI function's regions and interrupts. */
#include <partita/errno.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/vfio/vfio-pci-core.h>
#include <string.h>

static struct pci_func *to_func(struct device *dev)
{
	return vfio_core_device_priv(dev);
}

/* What a BAR register reads when nothing was written: its type bits. */
static uint32_t bar_flags(const struct pci_bar *bar)
{
	return (bar->mem64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
	       (bar->prefetch ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
}

static bool bar_is_upper_half(const struct pci_func *f, unsigned i)
{
	return i > 0 && f->bars[i - 1].size && f->bars[i - 1].mem64;
}

/* A virtual BAR register reads back what was written, masked by the
 * BAR's size, with its type bits; the upper half of a 64-bit BAR the
 * upper address bits. Writing all ones therefore sizes the BAR. */
static uint32_t vbar_read(const struct pci_func *f, unsigned i)
{
	if (bar_is_upper_half(f, i)) {
		uint64_t mask = ~(f->bars[i - 1].size - 1);

		return f->vbar[i] & (uint32_t)(mask >> 32);
	}
	if (!f->bars[i].size)
		return 0;
	return (f->vbar[i] & (uint32_t)~(f->bars[i].size - 1) & ~0xfu) |
	       bar_flags(&f->bars[i]);
}

void vfio_pci_core_init(struct pci_func *f)
{
	for (unsigned i = 0; i < PCI_NUM_BARS; i++)
		f->vbar[i] = pci_get_long(f->config + PCI_BASE_ADDRESS_0 + 4 * i);
	vfio_core_device_init(&f->vdev, f->dev, &vfio_pci_core_ops, f);
}

static void pci_region_info(struct device *dev, struct vfio_region_info *info)
{
	struct pci_func *f = to_func(dev);

	info->offset = (uint64_t)info->index << VFIO_PCI_OFFSET_SHIFT;
	if (info->index <= VFIO_PCI_BAR5_REGION_INDEX) {
		const struct pci_bar *bar = &f->bars[info->index];

		if (!bar->size)
			return;
		info->size = bar->size;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		/* Linux maps only BARs of at least a page. */
		if (bar->host && bar->size >= 4096)
			info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
	} else if (info->index == VFIO_PCI_CONFIG_REGION_INDEX) {
		info->size = PCI_CONFIG_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
	}
	/* No ROM and no VGA: size 0, no flags. */
}

static void pci_irq_info(struct device *dev, struct vfio_irq_info *info)
{
	const uint8_t *cfg = to_func(dev)->config;
	uint8_t pos;

	switch (info->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info->count = cfg[PCI_INTERRUPT_PIN] ? 1 : 0;
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		pos = pci_find_capability(cfg, PCI_CAP_ID_MSI);
		if (pos)
			info->count = 1u << ((pci_get_word(cfg + pos + PCI_MSI_FLAGS) &
					      PCI_MSI_FLAGS_QMASK) >> 1);
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		pos = pci_find_capability(cfg, PCI_CAP_ID_MSIX);
		if (pos)
			info->count = (pci_get_word(cfg + pos + PCI_MSIX_FLAGS) &
				       PCI_MSIX_FLAGS_QSIZE) + 1u;
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		info->count = pci_find_capability(cfg, PCI_CAP_ID_EXP) ? 1 : 0;
		info->flags = VFIO_IRQ_INFO_EVENTFD;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		info->count = 1;
		info->flags = VFIO_IRQ_INFO_EVENTFD;
		break;
	default:
		break;
	}
}

static bool pci_can_reset(struct device *dev)
{
	return to_func(dev)->reset != NULL;
}

static int pci_reset(struct device *dev)
{
	struct pci_func *f = to_func(dev);
	int ret = f->reset ? f->reset(f) : -EINVAL;

	/* After a function reset the BARs read as the hardware has them. */
	if (!ret)
		for (unsigned i = 0; i < PCI_NUM_BARS; i++)
			f->vbar[i] = pci_get_long(f->config + PCI_BASE_ADDRESS_0 +
						  4 * i);
	return ret;
}

static uint8_t config_byte(const struct pci_func *f, unsigned pos)
{
	if (pos >= PCI_BASE_ADDRESS_0 && pos < PCI_BASE_ADDRESS_0 + 4 * PCI_NUM_BARS) {
		unsigned i = (pos - PCI_BASE_ADDRESS_0) / 4;

		return (uint8_t)(vbar_read(f, i) >> (8 * (pos & 3)));
	}
	return f->config[pos];
}

static void config_write_byte(struct pci_func *f, unsigned pos, uint8_t v)
{
	if (pos >= PCI_BASE_ADDRESS_0 && pos < PCI_BASE_ADDRESS_0 + 4 * PCI_NUM_BARS) {
		unsigned i = (pos - PCI_BASE_ADDRESS_0) / 4, sh = 8 * (pos & 3);

		f->vbar[i] = (f->vbar[i] & ~(0xffu << sh)) | (uint32_t)v << sh;
	} else if (pos == PCI_COMMAND) {
		const uint8_t ok = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;

		f->config[pos] = (uint8_t)((f->config[pos] & ~ok) | (v & ok));
	}
	/* Everything else is read-only to the user. */
}

static long config_rw(struct pci_func *f, uint64_t off, uint8_t *buf,
		      size_t len, bool write)
{
	if (off >= PCI_CONFIG_SIZE)
		return -EINVAL;
	if (len > PCI_CONFIG_SIZE - off)
		len = (size_t)(PCI_CONFIG_SIZE - off);
	for (size_t i = 0; i < len; i++) {
		if (write)
			config_write_byte(f, (unsigned)off + i, buf[i]);
		else
			buf[i] = config_byte(f, (unsigned)off + i);
	}
	return (long)len;
}

static long bar_rw(struct pci_func *f, unsigned i, uint64_t off, void *buf,
		   size_t len, bool write)
{
	const struct pci_bar *bar = &f->bars[i];

	if (!bar->size || off >= bar->size)
		return -EINVAL;
	if (len > bar->size - off)
		len = (size_t)(bar->size - off);
	if (bar->host) {
		if (write)
			memcpy((uint8_t *)bar->host + off, buf, len);
		else
			memcpy(buf, (uint8_t *)bar->host + off, len);
		return (long)len;
	}
	if (!f->bus_as || address_space_rw(f->bus_as, bar->pa + off, buf, len,
					   write) != MEMTX_OK)
		return -EIO;
	return (long)len;
}

static long pci_rw(struct device *dev, unsigned index, uint64_t off, void *buf,
		   size_t len, bool write)
{
	struct pci_func *f = to_func(dev);

	if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		return bar_rw(f, index, off, buf, len, write);
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return config_rw(f, off, buf, len, write);
	return -EINVAL;
}

static int pci_mmap(struct device *dev, unsigned index, uint64_t off,
		    uint64_t len, void **host, uint64_t *pa)
{
	struct pci_func *f = to_func(dev);
	const struct pci_bar *bar;

	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return -EINVAL;
	bar = &f->bars[index];
	if (!bar->host || bar->size < 4096 || off >= bar->size ||
	    len > bar->size - off)
		return -EINVAL;
	*host = (uint8_t *)bar->host + off;
	*pa = bar->pa + off;
	return 0;
}

/* ---- INTx ---------------------------------------------------------------- */

static void intx_signal(struct pci_func *f)
{
	f->intx_masked = true;
	f->intx_signalled++;
	vfio_core_signal(f->dev, VFIO_PCI_INTX_IRQ_INDEX, 0);
}

void vfio_pci_core_intx(struct pci_func *f)
{
	if (f->intx_masked)
		f->intx_pending = true;
	else
		intx_signal(f);
}

static void intx_unmask(struct pci_func *f)
{
	f->intx_masked = false;
	if (f->intx_pending) {
		/* It fired meanwhile: the line is still masked at the
		 * controller; signal it now instead. */
		f->intx_pending = false;
		intx_signal(f);
	} else if (f->intx_unmask) {
		f->intx_unmask(f);
	}
}

/* Only INTx masks (Linux's vfio-pci has no MSI or MSI-X mask action:
 * ENOTTY). */
static int pci_irq_mask(struct device *dev, unsigned index, unsigned sub,
			bool mask)
{
	struct pci_func *f = to_func(dev);

	if (index != VFIO_PCI_INTX_IRQ_INDEX || sub != 0)
		return -ENOTTY;
	if (mask)
		f->intx_masked = true;
	else if (f->intx_masked)
		intx_unmask(f);
	return 0;
}

/* The next user finds INTx unmasked, nothing pending. */
static void pci_close(struct device *dev)
{
	struct pci_func *f = to_func(dev);

	f->intx_pending = false;
	if (f->intx_masked)
		intx_unmask(f);
}

static uint64_t pci_migration_flags(struct device *dev)
{
	return to_func(dev)->migration_flags;
}

/*
 * Linux's vfio_pci_core_match: the function's name, then optionally
 * spaces and options. Spaces alone still match (measured on 6.1); the
 * only option is vf_token=<uuid>, for an SR-IOV PF or VF, and no Partita
 * function is one, so any option is -EINVAL ("VF token incorrectly
 * provided, not a PF or VF", or a malformed or unknown option).
 */
static int pci_match(struct device *dev, const char *buf)
{
	size_t n = strlen(dev->name);

	if (strncmp(dev->name, buf, n))
		return 0;
	buf += n;
	if (*buf && *buf != ' ')
		return 0;        /* a longer name: not this one */
	while (*buf == ' ')
		buf++;
	return *buf ? -EINVAL : 1;
}

const struct vfio_device_ops vfio_pci_core_ops = {
	.flags = VFIO_DEVICE_FLAGS_PCI,
	.num_regions = VFIO_PCI_NUM_REGIONS,
	.num_irqs = VFIO_PCI_NUM_IRQS,
	.region_info = pci_region_info,
	.irq_info = pci_irq_info,
	.match = pci_match,
	.reset = pci_reset,
	.can_reset = pci_can_reset,
	.rw = pci_rw,
	.mmap = pci_mmap,
	.irq_mask = pci_irq_mask,
	.close = pci_close,
	.migration_flags = pci_migration_flags,
};
