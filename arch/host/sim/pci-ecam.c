// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hardware model of the board's PCIe root complex (ECAM). Reads of a
 * function nobody implements return all ones, as a master abort does.
 */
#include <partita/heap.h>
#include <partita/pci.h>
#include <partita/sim/pci-ecam.h>
#include <string.h>

#define CAP_MSI  0x50
#define CAP_EXP  0x70
#define EXP_DEVCAP  0x04
#define EXP_DEVCAP_FLR (1u << 28)
#define EXP_DEVCTL  0x08
#define EXP_DEVCTL_FLR (1u << 15)

struct sim_bar {
	MemoryRegion *mr;
	uint64_t size;
	bool mem64, prefetch;
	bool mapped;
	uint64_t mapped_at;
};

struct sim_pci_fn {
	uint16_t bdf;
	uint8_t config[PCI_CONFIG_SIZE];
	struct sim_bar bars[PCI_NUM_BARS];
	unsigned flrs;
};

struct sim_pci_host {
	MemoryRegion ecam;
	MemoryRegion *bus;
	unsigned nbus;
	struct sim_pci_fn **fns;       /* in the order they were added */
	unsigned nfns;
	/* Each function by devfn within its bus (nbus * 256): a config
	 * access finds its function at once, however many there are. */
	struct sim_pci_fn **by_bdf;
};

static struct sim_pci_fn *find_fn(const struct sim_pci_host *h, uint16_t bdf)
{
	return (unsigned)(bdf >> 8) < h->nbus ? h->by_bdf[bdf] : NULL;
}

static uint64_t bar_addr(const struct sim_pci_fn *f, unsigned i)
{
	uint64_t a = pci_get_long(f->config + PCI_BASE_ADDRESS_0 + 4 * i) &
		     ~0xfULL;

	if (f->bars[i].mem64)
		a |= (uint64_t)pci_get_long(f->config + PCI_BASE_ADDRESS_0 +
					    4 * (i + 1)) << 32;
	return a;
}

/* Make the bus decode what the BARs and the command register say. */
static void update_mappings(struct sim_pci_host *h, struct sim_pci_fn *f)
{
	bool decode = pci_get_word(f->config + PCI_COMMAND) & PCI_COMMAND_MEMORY;

	/* The bus's map is modelled with mm/, which allocates; hardware
	 * does not, so an injected allocation failure is not its. */
	alloc_fault_hold();
	/* All of the function's BARs in one change of the bus's map. */
	memory_region_transaction_begin(h->bus->ctx);
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		struct sim_bar *b = &f->bars[i];
		uint64_t a = bar_addr(f, i);
		bool want = decode && b->mr && a;

		if (b->mapped && (!want || a != b->mapped_at)) {
			memory_region_del_subregion(h->bus, b->mr, &error_abort);
			b->mapped = false;
		}
		if (want && !b->mapped) {
			/* Overlapping what the board already decodes is a
			 * software bug the model refuses, like a real
			 * decoder would misbehave; nothing is mapped. */
			if (memory_region_add_subregion(h->bus, a, b->mr, NULL)) {
				b->mapped = true;
				b->mapped_at = a;
			}
		}
	}
	memory_region_transaction_commit(h->bus->ctx, &error_abort);
	alloc_fault_release();
}

static void bar_write(struct sim_pci_fn *f, unsigned reg, uint32_t v)
{
	unsigned i = (reg - PCI_BASE_ADDRESS_0) / 4;
	struct sim_bar *b = &f->bars[i];
	uint32_t keep;

	if (b->mr) {
		keep = b->mem64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0;
		if (b->prefetch)
			keep |= PCI_BASE_ADDRESS_MEM_PREFETCH;
		v = (v & ~(uint32_t)(b->size - 1) & ~0xfu) | keep;
	} else if (i > 0 && f->bars[i - 1].mem64) {
		/* The upper half of a 64-bit BAR: every bit above the size
		 * is writable (sizes here are below 4 GiB). */
	} else {
		v = 0;       /* not implemented: reads as zero */
	}
	pci_set_long(f->config + reg, v);
}

static void config_write(struct sim_pci_host *h, struct sim_pci_fn *f,
			 unsigned reg, uint64_t v, unsigned size)
{
	uint8_t bytes[4];
	unsigned base = reg & ~3u;
	uint32_t old = pci_get_long(f->config + base), val;

	/* Merge a narrow write into its dword, then apply the dword. */
	pci_set_long(bytes, old);
	for (unsigned k = 0; k < size; k++)
		bytes[(reg & 3) + k] = (uint8_t)(v >> (8 * k));
	val = pci_get_long(bytes);

	if (base >= PCI_BASE_ADDRESS_0 && base < PCI_BASE_ADDRESS_0 + 24) {
		bar_write(f, base, val);
	} else if (base == PCI_COMMAND) {
		/* Command is writable (memory, bus master); status is not. */
		pci_set_word(f->config + PCI_COMMAND, (uint16_t)(val & 0x0406));
	} else if (base == CAP_EXP + EXP_DEVCTL) {
		if (val & EXP_DEVCTL_FLR) {
			f->flrs++;
			/* The reset clears the command register: nothing
			 * decodes until software enables it again. */
			pci_set_word(f->config + PCI_COMMAND, 0);
		}
		pci_set_word(f->config + base, (uint16_t)(val & 0x7fff));
	} else if (base == CAP_MSI) {
		/* MSI control: enable and multiple-message enable. */
		uint16_t ctl = pci_get_word(f->config + CAP_MSI + PCI_MSI_FLAGS);

		ctl = (uint16_t)((ctl & ~0x71u) | ((val >> 16) & 0x71u));
		pci_set_word(f->config + CAP_MSI + PCI_MSI_FLAGS, ctl);
	} else if (base >= CAP_MSI + 4 && base < CAP_MSI + 0x18) {
		pci_set_long(f->config + base, val);    /* address, data */
	}
	update_mappings(h, f);
}

static uint64_t ecam_read(void *opaque, uint64_t addr, unsigned size)
{
	struct sim_pci_host *h = opaque;
	struct sim_pci_fn *f = find_fn(h, (uint16_t)(addr >> 12));
	unsigned reg = addr & 0xfff;
	uint64_t v = 0;

	if (!f)
		return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
	for (unsigned k = 0; k < size && reg + k < PCI_CONFIG_SIZE; k++)
		v |= (uint64_t)f->config[reg + k] << (8 * k);
	return v;
}

static void ecam_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	struct sim_pci_host *h = opaque;
	struct sim_pci_fn *f = find_fn(h, (uint16_t)(addr >> 12));

	if (f && (addr & 0xfff) + size <= PCI_CONFIG_SIZE)
		config_write(h, f, addr & 0xfff, v, size);
}

static const MemoryRegionOps ecam_ops = {
	.read = ecam_read,
	.write = ecam_write,
	.max_access_size = 4,
};

struct sim_pci_host *sim_pci_host_create(MemoryContext *ctx, MemoryRegion *bus,
					 unsigned nbus)
{
	struct sim_pci_host *h = heap_zalloc(sizeof(*h));

	if (!h)
		return NULL;
	h->bus = bus;
	h->nbus = nbus;
	h->fns = heap_calloc(SIM_PCI_MAX_FNS, sizeof(*h->fns));
	h->by_bdf = heap_calloc((size_t)(nbus ? nbus : 1) * 256, sizeof(*h->by_bdf));
	if (!h->fns || !h->by_bdf ||
	    !memory_region_init_io(&h->ecam, ctx, &ecam_ops, h, "sim-pcie-ecam",
				   (uint64_t)nbus << 20, NULL)) {
		heap_free(h->fns);
		heap_free(h->by_bdf);
		heap_free(h);
		return NULL;
	}
	return h;
}

void sim_pci_host_destroy(struct sim_pci_host *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < h->nfns; i++) {
		for (unsigned b = 0; b < PCI_NUM_BARS; b++)
			/* The board may have emptied its bus already. */
			if (h->fns[i]->bars[b].mapped &&
			    h->fns[i]->bars[b].mr->container)
				memory_region_del_subregion(h->bus,
					h->fns[i]->bars[b].mr, &error_abort);
		heap_free(h->fns[i]);
	}
	memory_region_finalize(&h->ecam);
	heap_free(h->fns);
	heap_free(h->by_bdf);
	heap_free(h);
}

MemoryRegion *sim_pci_host_ecam(struct sim_pci_host *h)
{
	return &h->ecam;
}

bool sim_pci_host_add_fn(struct sim_pci_host *h, uint16_t bdf,
			 MemoryRegion *regs, MemoryRegion *mem,
			 bool multifunction)
{
	struct sim_pci_fn *f;
	uint8_t *c;

	if (h->nfns == SIM_PCI_MAX_FNS || (unsigned)(bdf >> 8) >= h->nbus ||
	    find_fn(h, bdf))
		return false;
	f = heap_zalloc(sizeof(*f));
	if (!f)
		return false;
	h->fns[h->nfns++] = f;
	h->by_bdf[bdf] = f;
	f->bdf = bdf;
	c = f->config;
	pci_set_word(c + PCI_VENDOR_ID, SIM_PCI_VENDOR);
	pci_set_word(c + PCI_DEVICE_ID, SIM_PCI_DEVICE);
	pci_set_word(c + PCI_STATUS, PCI_STATUS_CAP_LIST);
	pci_set_long(c + PCI_CLASS_REVISION, 0x08800001);
	c[PCI_HEADER_TYPE] = multifunction ? 0x80 : 0;
	c[PCI_CAPABILITY_LIST] = CAP_MSI;
	c[PCI_INTERRUPT_PIN] = 1;
	c[CAP_MSI] = PCI_CAP_ID_MSI;
	c[CAP_MSI + 1] = CAP_EXP;
	pci_set_word(c + CAP_MSI + PCI_MSI_FLAGS, 2u << 1);    /* 4 vectors */
	c[CAP_EXP] = PCI_CAP_ID_EXP;
	c[CAP_EXP + 1] = 0;
	pci_set_word(c + CAP_EXP + 2, 0x0002);                /* v2, endpoint */
	pci_set_long(c + CAP_EXP + EXP_DEVCAP, EXP_DEVCAP_FLR);
	f->bars[0] = (struct sim_bar){ .mr = regs, .size = regs->size };
	f->bars[2] = (struct sim_bar){ .mr = mem, .size = mem->size,
				       .mem64 = true, .prefetch = true };
	pci_set_long(c + PCI_BASE_ADDRESS_0 + 8, PCI_BASE_ADDRESS_MEM_TYPE_64 |
		     PCI_BASE_ADDRESS_MEM_PREFETCH);
	return true;
}

unsigned sim_pci_host_flr_count(const struct sim_pci_host *h, uint16_t bdf)
{
	const struct sim_pci_fn *f = find_fn(h, bdf);

	return f ? f->flrs : 0;
}
