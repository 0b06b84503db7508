// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest's view of a vfio-pci function's config space
 * (include/partita/vfio/pci-config.h). */
#include <partita/log.h>
#include <partita/vfio/pci-config.h>
#include <partita/vfio/pci.h>
#include <stdio.h>
#include <string.h>

#define CAP_WALK_MAX 48                 /* a looping list ends here */

static void emulate(struct vfio_pci_config *c, unsigned off, unsigned len,
		    uint8_t bits, uint8_t wmask)
{
	for (unsigned i = off; i < off + len; i++) {
		c->emulated[i] |= bits;
		c->wmask[i] = (uint8_t)((c->wmask[i] & ~bits) | (wmask & bits));
	}
}

/* BAR i's register pair as the guest programmed it. */
static uint64_t bar_address(const struct vfio_pci_config *c, unsigned i,
			    bool mem64)
{
	uint64_t a = pci_get_long(c->shadow + PCI_BASE_ADDRESS_0 + 4 * i) & ~0xfULL;

	if (mem64 && i + 1 < PCI_NUM_BARS)
		a |= (uint64_t)pci_get_long(c->shadow + PCI_BASE_ADDRESS_0 +
					    4 * (i + 1)) << 32;
	return a;
}

static bool bar_is_mem64(const struct vfio_pci_config *c, unsigned i)
{
	return c->shadow[PCI_BASE_ADDRESS_0 + 4 * i] & PCI_BASE_ADDRESS_MEM_TYPE_64;
}

/* Each BAR where the guest put it, while memory decoding is on and the
 * place is inside the device window; otherwise out of the partition.
 * One transaction: both listeners see the move at once. */
static void update_mappings(struct vfio_pci_device *vpci)
{
	struct vfio_pci_config *c = &vpci->cfg;
	const struct vfio_placement *pl = vpci->place;
	bool mem = c->shadow[PCI_COMMAND] & PCI_COMMAND_MEMORY;
	Error *err = NULL;

	c->note[0] = '\0';
	memory_region_transaction_begin(pl->ctx);
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		struct vfio_region *b = &vpci->bars[i];
		bool mem64 = bar_is_mem64(c, i);
		uint64_t a = bar_address(c, i, mem64);
		bool inside = a && a >= pl->mmio_base && b->size <= pl->mmio_size &&
			      a - pl->mmio_base <= pl->mmio_size - b->size &&
			      !(a & (b->size - 1));

		if (!b->size || !b->added)
			goto next;
		if (mem && inside) {
			if (a != b->addr)
				memory_region_set_address(&b->mr, a, &err);
			b->addr = a;
			memory_region_set_enabled(&b->mr, true, &err);
		} else {
			memory_region_set_enabled(&b->mr, false, &err);
			if (mem && a != 0 && !c->note[0])
				snprintf(c->note, sizeof(c->note), "BAR %u at 0x%llx is "
					 "outside the partition's device window "
					 "(0x%llx-0x%llx): not mapped", i,
					 (unsigned long long)a,
					 (unsigned long long)pl->mmio_base,
					 (unsigned long long)(pl->mmio_base +
							      pl->mmio_size - 1));
		}
next:
		if (mem64)
			i++;
	}
	if (!memory_region_transaction_commit(pl->ctx, &err) || err) {
		snprintf(c->note, sizeof(c->note), "moving its BARs failed: %s",
			 err ? error_get_pretty(err) : "");
		error_free(err);
	}
}

bool vfio_pci_config_setup(struct vfio_pci_device *vpci, Error **errp)
{
	struct vfio_pci_config *c = &vpci->cfg;
	uint8_t phys[PCI_CONFIG_SIZE];
	unsigned prev = PCI_CAPABILITY_LIST, p;

	if (vfio_pci_read_config(vpci, 0, phys, sizeof(phys)) != sizeof(phys)) {
		error_setg(errp, "failed to read device config space");
		return false;
	}
	memset(c, 0, sizeof(*c));
	memcpy(c->shadow, phys, sizeof(phys));
	/* BARs: the value realize programmed, writable in the bits the
	 * size leaves (all ones read back as the size). */
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		const struct vfio_region *b = &vpci->bars[i];
		unsigned off = PCI_BASE_ADDRESS_0 + 4 * i;
		uint32_t flags = phys[off] & 0xf;
		bool mem64 = !(flags & PCI_BASE_ADDRESS_SPACE_IO) &&
			     (flags & PCI_BASE_ADDRESS_MEM_TYPE_64) &&
			     i + 1 < PCI_NUM_BARS;
		uint8_t wm[8] = { 0 };

		emulate(c, off, mem64 ? 8 : 4, 0xff, 0);
		if (!b->size || (flags & PCI_BASE_ADDRESS_SPACE_IO)) {
			/* Not offered (I/O BARs are not either). */
			memset(c->shadow + off, 0, mem64 ? 8 : 4);
		} else {
			pci_set_long(c->shadow + off, (uint32_t)b->addr | flags);
			pci_set_long(wm, (uint32_t)~(b->size - 1) & ~0xfu);
			if (mem64) {
				pci_set_long(c->shadow + off + 4,
					     (uint32_t)(b->addr >> 32));
				pci_set_long(wm + 4, (uint32_t)(~(b->size - 1) >> 32));
			}
			for (unsigned k = 0; k < (mem64 ? 8u : 4u); k++)
				c->wmask[off + k] = wm[k];
		}
		if (mem64)
			i++;
	}
	/* No expansion ROM. */
	emulate(c, PCI_ROM_ADDRESS, 4, 0xff, 0);
	memset(c->shadow + PCI_ROM_ADDRESS, 0, 4);
	/* Memory decoding ours (realize mapped the BARs: on), I/O off. */
	emulate(c, PCI_COMMAND, 1, PCI_COMMAND_MEMORY | PCI_COMMAND_IO,
		PCI_COMMAND_MEMORY);
	c->shadow[PCI_COMMAND] = (uint8_t)((phys[PCI_COMMAND] &
					    ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO)) |
					   PCI_COMMAND_MEMORY);
	emulate(c, PCI_INTERRUPT_LINE, 1, 0xff, 0xff);
	c->shadow[PCI_INTERRUPT_LINE] = 0xff;
	/* Capabilities: MSI and MSI-X unlinked by emulating the pointer
	 * before each. */
	p = (phys[PCI_STATUS] & PCI_STATUS_CAP_LIST) ? phys[PCI_CAPABILITY_LIST] & ~3u : 0;
	for (unsigned n = 0; p >= 0x40 && p < PCI_CONFIG_SIZE - 1 && n < CAP_WALK_MAX; n++) {
		unsigned next = phys[p + 1] & ~3u;

		if (phys[p] == PCI_CAP_ID_MSI || phys[p] == PCI_CAP_ID_MSIX) {
			emulate(c, prev, 1, 0xff, 0);
			c->shadow[prev] = (uint8_t)next;
		} else {
			prev = p + 1;
		}
		p = next;
	}
	if (!c->shadow[PCI_CAPABILITY_LIST]) {
		emulate(c, PCI_STATUS, 1, PCI_STATUS_CAP_LIST, 0);
		c->shadow[PCI_STATUS] &= (uint8_t)~PCI_STATUS_CAP_LIST;
	}
	c->active = true;
	return true;
}

uint32_t vfio_pci_config_read(struct vfio_pci_device *vpci, unsigned off,
			      unsigned len)
{
	struct vfio_pci_config *c = &vpci->cfg;
	uint8_t b[4] = { 0 };
	uint32_t v = 0;

	if (len > 4 || off >= PCI_CONFIG_SIZE || off + len > PCI_CONFIG_SIZE)
		return 0;                   /* the extended space: not offered */
	if (vfio_pci_read_config(vpci, off, b, len) != (long)len)
		memset(b, 0xff, sizeof(b)); /* a function that is not there */
	for (unsigned i = 0; i < len; i++) {
		uint8_t em = c->emulated[off + i];

		v |= (uint32_t)((b[i] & ~em) | (c->shadow[off + i] & em)) << (8 * i);
	}
	return v;
}

void vfio_pci_config_write(struct vfio_pci_device *vpci, unsigned off,
			   uint32_t val, unsigned len)
{
	struct vfio_pci_config *c = &vpci->cfg;
	bool remap = false;

	if (len > 4 || off >= PCI_CONFIG_SIZE || off + len > PCI_CONFIG_SIZE)
		return;
	for (unsigned i = 0; i < len; i++) {
		unsigned o = off + i;
		uint8_t vb = (uint8_t)(val >> (8 * i)), em = c->emulated[o];

		if (em) {
			uint8_t w = c->wmask[o] & em;

			c->shadow[o] = (uint8_t)((c->shadow[o] & ~w) | (vb & w));
			remap |= o == PCI_COMMAND ||
				 (o >= PCI_BASE_ADDRESS_0 &&
				  o < PCI_BASE_ADDRESS_0 + 4 * PCI_NUM_BARS);
		}
		if (em != 0xff) {
			uint8_t cur = 0xff;

			/* The device keeps its own value of our bits. */
			if (em)
				vfio_pci_read_config(vpci, o, &cur, 1);
			cur = (uint8_t)((vb & ~em) | (cur & em));
			vfio_pci_write_config(vpci, o, &cur, 1);
		}
	}
	if (remap)
		update_mappings(vpci);
}

const char *vfio_pci_config_note(const struct vfio_pci_device *vpci)
{
	return vpci->cfg.note;
}
