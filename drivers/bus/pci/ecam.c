// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI discovery through a generic ECAM host bridge: scan, size and
 * assign BARs, find stream ids through iommu-map, group.
 * Bridges are not programmed: every bus of bus-range is scanned as the
 * ECAM window decodes it.
 */
#include "../bus-private.h"
#include <partita/errno.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/pci.h>
#include <libfdt.h>
#include <string.h>
#include <uapi/linux/vfio.h>

#define CAP_EXP_DEVCAP 0x04
#define  CAP_EXP_DEVCAP_FLR (1u << 28)
#define CAP_EXP_DEVCTL 0x08
#define  CAP_EXP_DEVCTL_FLR (1u << 15)

struct pci_window {
	uint64_t pci, cpu, size, next;
	bool mem64, prefetch;
};

struct ecam {
	const struct bus_env *env;
	uint64_t base;
	unsigned bus_lo, bus_hi;
	struct pci_window win[4];
	unsigned nwin;
	const void *fdt;
	int node;
};

static uint32_t cfg_read(AddressSpace *as, uint64_t cfg, unsigned reg)
{
	uint8_t b[4] = { 0xff, 0xff, 0xff, 0xff };

	address_space_read(as, cfg + reg, b, 4);
	return pci_get_long(b);
}

static void cfg_write(AddressSpace *as, uint64_t cfg, unsigned reg, uint32_t v)
{
	uint8_t b[4];

	pci_set_long(b, v);
	address_space_write(as, cfg + reg, b, 4);
}

/* Variant drivers (Linux's mlx5-vfio-pci and friends): which functions
 * can have their state moved. */
static uint64_t migration_flags(uint16_t vendor, uint16_t device)
{
	if (vendor == 0x1234 && device == 0x51d0)   /* the sim DMA engine */
		return VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;
	return 0;
}

static bool parse_ranges(struct ecam *e, Error **errp)
{
	const void *p;
	int n = bus_fdt_cells(e->fdt, e->node, "ranges", &p);
	int pac = fdt_address_cells(e->fdt, fdt_parent_offset(e->fdt, e->node));
	const fdt32_t *c = p;
	int entry = 3 + pac + 2;

	if (n <= 0 || pac < 1 || pac > 2 || n % entry) {
		error_setg(errp, "%s: 'ranges' missing or malformed",
			   fdt_get_name(e->fdt, e->node, NULL));
		return false;
	}
	for (int i = 0; i < n / entry; i++, c += entry) {
		uint32_t hi = fdt32_to_cpu(c[0]);
		unsigned space = (hi >> 24) & 3;
		struct pci_window *w;

		if (space < 2 || e->nwin == 4)
			continue;      /* I/O space is not used here */
		w = &e->win[e->nwin++];
		w->pci = fdt_util_read_cells(c + 1, 2);
		w->cpu = fdt_util_read_cells(c + 3, pac);
		w->size = fdt_util_read_cells(c + 3 + pac, 2);
		w->next = w->pci;
		w->mem64 = space == 3;
		w->prefetch = hi & (1u << 30);
	}
	if (!e->nwin) {
		error_setg(errp, "%s: no memory window in 'ranges'",
			   fdt_get_name(e->fdt, e->node, NULL));
		return false;
	}
	return true;
}

/* A CPU address for a BAR of size, or 0 when no window has room. */
static uint64_t window_alloc(struct ecam *e, uint64_t size, bool mem64,
			     bool prefetch)
{
	/* Best first: a 64-bit prefetchable BAR from a 64-bit window. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < e->nwin; i++) {
			struct pci_window *w = &e->win[i];
			uint64_t a = (w->next + size - 1) & ~(size - 1);

			if (pass == 0 && (w->mem64 != (mem64 && prefetch)))
				continue;
			if (w->mem64 && !mem64)
				continue;    /* a 32-bit BAR cannot reach it */
			if (a + size > w->pci + w->size || a < w->next)
				continue;
			w->next = a + size;
			return w->cpu + (a - w->pci);
		}
	}
	return 0;
}

static bool map_rid(struct ecam *e, uint32_t rid, uint32_t *phandle,
		    uint32_t *sid)
{
	return fdt_util_map_id(e->fdt, e->node, "iommu-map", "iommu-map-mask",
			       rid, phandle, sid);
}

/* Function-level reset: the function forgets its BARs and command
 * register, so they are written back, as Linux's pci_reset_function
 * restores the state it saved. */
static int ecam_flr(const struct bus_pci_function *f)
{
	AddressSpace *as = f->bus_as;
	uint64_t cfg = f->cfg;
	uint32_t ctl;

	ctl = cfg_read(as, cfg, f->exp + CAP_EXP_DEVCTL);
	cfg_write(as, cfg, f->exp + CAP_EXP_DEVCTL, ctl | CAP_EXP_DEVCTL_FLR);
	for (unsigned i = 0; i < PCI_NUM_BARS; i++)
		cfg_write(as, cfg, PCI_BASE_ADDRESS_0 + 4 * i,
			  pci_get_long(f->config + PCI_BASE_ADDRESS_0 + 4 * i));
	cfg_write(as, cfg, PCI_COMMAND, pci_get_word(f->config + PCI_COMMAND));
	return 0;
}

/* Size BAR i of the function at cfg; 0 when not implemented. */
static uint64_t bar_size(AddressSpace *as, uint64_t cfg, unsigned i,
			 uint32_t *flags)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * i;
	uint32_t old = cfg_read(as, cfg, reg), lo, hi = 0xffffffffu;
	uint64_t mask;

	cfg_write(as, cfg, reg, 0xffffffffu);
	lo = cfg_read(as, cfg, reg);
	cfg_write(as, cfg, reg, old);
	*flags = lo & 0xf;
	if (!lo || (lo & 1))
		return 0;     /* absent, or I/O space (not supported) */
	if (lo & PCI_BASE_ADDRESS_MEM_TYPE_64) {
		uint32_t oldhi = cfg_read(as, cfg, reg + 4);

		cfg_write(as, cfg, reg + 4, 0xffffffffu);
		hi = cfg_read(as, cfg, reg + 4);
		cfg_write(as, cfg, reg + 4, oldhi);
	}
	mask = (uint64_t)hi << 32 | (lo & ~0xfu);
	return ~mask + 1;
}

static bool setup_function(struct ecam *e, struct bus_devices *d,
			   unsigned bus, unsigned dev, unsigned fn,
			   int *group, Error **errp)
{
	const struct bus_env *env = e->env;
	uint64_t cfg = e->base + ((uint64_t)bus << 20 | dev << 15 | fn << 12);
	char name[16];
	struct bus_entry *ent;
	struct bus_pci_function *f;
	uint32_t phandle, sid, rid = pci_requester_id(bus, dev, fn);

	snprintf(name, sizeof(name), "0000:%02x:%02x.%x", bus, dev, fn);
	if (!map_rid(e, rid, &phandle, &sid)) {
		pr_warn("%s: no iommu-map entry for requester id 0x%x: not "
			"assignable", name, rid);
		return true;
	}
	if (!env->iommu_for(env->opaque, phandle)) {
		pr_warn("%s: its IOMMU (phandle %u) has no driver: not assignable",
			name, phandle);
		return true;
	}
	if (bus_sid_clash(d, env->iommu_for(env->opaque, phandle), sid, name,
			  errp))
		return false;
	ent = bus_entry_add(d, BUS_PCI, name, errp);
	if (!ent)
		return false;
	f = ent->pci = heap_zalloc(sizeof(*f));
	if (!f) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	f->bus_as = env->phys;
	f->cfg = cfg;
	ent->iommu = env->iommu_for(env->opaque, phandle);
	ent->info.stream_id = sid;
	ent->info.intx_pin = (cfg_read(env->phys, cfg, PCI_INTERRUPT_PIN & ~3u) >>
			      8 * (PCI_INTERRUPT_PIN & 3)) & 0xff;
	ent->info.has_intx = ent->info.intx_pin >= 1 && ent->info.intx_pin <= 4 &&
			     fdt_util_pci_intx(e->fdt, e->node, rid,
					       ent->info.intx_pin,
					       ent->info.intx_spec);
	snprintf(ent->path, sizeof(ent->path), "/sys/bus/pci/devices/%s", name);

	/* Size and assign the BARs with decoding off, then turn it on. */
	cfg_write(env->phys, cfg, PCI_COMMAND, 0);
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		uint32_t flags;
		uint64_t size = bar_size(env->phys, cfg, i, &flags), a;
		bool mem64 = flags & PCI_BASE_ADDRESS_MEM_TYPE_64;
		bool prefetch = flags & PCI_BASE_ADDRESS_MEM_PREFETCH;

		if (!size) {
			if (flags & 1)
				pr_warn("%s: BAR%u is I/O space: left unassigned",
					name, i);
			continue;
		}
		a = window_alloc(e, size < 4096 ? 4096 : size, mem64, prefetch);
		if (!a) {
			error_setg(errp, "%s: no room for BAR%u (%llu bytes) in "
				   "the host bridge's windows", name, i,
				   (unsigned long long)size);
			return false;
		}
		cfg_write(env->phys, cfg, PCI_BASE_ADDRESS_0 + 4 * i,
			  (uint32_t)a | flags);
		if (mem64)
			cfg_write(env->phys, cfg, PCI_BASE_ADDRESS_0 + 4 * (i + 1),
				  (uint32_t)(a >> 32));
		f->bars[i] = (struct pci_bar){ .pa = a, .size = size,
					       .mem64 = mem64,
					       .prefetch = prefetch };
		if (mem64)
			i++;
	}
	cfg_write(env->phys, cfg, PCI_COMMAND,
		  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	for (unsigned r = 0; r < PCI_CONFIG_SIZE; r += 4)
		pci_set_long(f->config + r, cfg_read(env->phys, cfg, r));
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		/* Prefetchable memory the CPU reaches as memory can be
		 * mapped (and reached by peers); registers cannot. */
		if (f->bars[i].size && f->bars[i].prefetch)
			f->bars[i].host = bus_cpu_view(env->phys, f->bars[i].pa,
						   f->bars[i].size);
	}
	ent->info.vendor = pci_get_word(f->config + PCI_VENDOR_ID);
	ent->info.device = pci_get_word(f->config + PCI_DEVICE_ID);
	snprintf(ent->compat, sizeof(ent->compat), "pci%x,%x",
		 ent->info.vendor, ent->info.device);
	f->exp = pci_find_capability(f->config, PCI_CAP_ID_EXP);
	if (f->exp && (pci_get_long(f->config + f->exp + CAP_EXP_DEVCAP) &
		       CAP_EXP_DEVCAP_FLR))
		f->flr = ecam_flr;
	f->migration_flags = migration_flags(ent->info.vendor, ent->info.device);
	/* The functions of one device share a group. */
	if (*group < 0)
		*group = bus_group_next(d);
	ent->info.group = *group;
	return true;
}

static bool scan(struct ecam *e, struct bus_devices *d, Error **errp)
{
	AddressSpace *as = e->env->phys;

	for (unsigned bus = e->bus_lo; bus <= e->bus_hi; bus++) {
		for (unsigned dev = 0; dev < 32; dev++) {
			int group = -1;
			bool multi = false;

			for (unsigned fn = 0; fn < (multi ? 8u : 1u); fn++) {
				uint64_t cfg = e->base + ((uint64_t)bus << 20 |
							  dev << 15 | fn << 12);
				uint32_t id = cfg_read(as, cfg, PCI_VENDOR_ID);
				uint8_t hdr = (uint8_t)(cfg_read(as, cfg, 0x0c) >> 16);

				if ((id & 0xffff) == 0xffff)
					continue;
				if (fn == 0)
					multi = hdr & 0x80;
				/* Bridges (a host bridge too: class 06)
				 * belong to the platform, not to a
				 * partition. */
				if ((hdr & 0x7f) != 0 ||
				    (cfg_read(as, cfg, PCI_CLASS_REVISION) >> 24) == 0x06) {
					pr_info("%02x:%02x.%x: a bridge, not "
						"assignable", bus, dev, fn);
					continue;
				}
				/* The functions of one device share a
				 * group: without ACS they may reach each
				 * other without the IOMMU. */
				if (!setup_function(e, d, bus, dev, fn, &group,
						    errp))
					return false;
			}
		}
	}
	return true;
}

bool bus_pci_discover(const struct bus_env *env, struct bus_devices *d,
		      Error **errp)
{
	const void *fdt = env->fdt;

	for (int node = fdt_node_offset_by_compatible(fdt, -1,
						      "pci-host-ecam-generic");
	     node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node,
						  "pci-host-ecam-generic")) {
		struct ecam e = { .env = env, .fdt = fdt, .node = node };
		uint64_t size;
		const void *p;

		if (!fdt_util_enabled(fdt, node))
			continue;
		if (!fdt_util_reg(fdt, node, 0, &e.base, &size)) {
			error_setg(errp, "%s: 'reg' missing or malformed",
				   fdt_get_name(fdt, node, NULL));
			return false;
		}
		if (bus_fdt_cells(fdt, node, "bus-range", &p) == 2) {
			e.bus_lo = fdt32_to_cpu(((const fdt32_t *)p)[0]);
			e.bus_hi = fdt32_to_cpu(((const fdt32_t *)p)[1]);
		} else {
			e.bus_lo = 0;
			e.bus_hi = (unsigned)(size >> 20) - 1;
		}
		if (e.bus_hi < e.bus_lo || e.bus_hi > 255 ||
		    ((uint64_t)(e.bus_hi - e.bus_lo + 1) << 20) > size) {
			error_setg(errp, "%s: bus-range %u-%u does not fit its "
				   "ECAM window of %llu bytes",
				   fdt_get_name(fdt, node, NULL), e.bus_lo,
				   e.bus_hi, (unsigned long long)size);
			return false;
		}
		/* ECAM offsets count from the first bus of the range. */
		e.base -= (uint64_t)e.bus_lo << 20;
		if (!parse_ranges(&e, errp) || !scan(&e, d, errp))
			return false;
	}
	return true;
}
