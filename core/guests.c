// SPDX-License-Identifier: GPL-2.0-or-later
/* The manager's guest phase (include/partita/core/guests.h). */
#include <partita/arch/board.h>
#include <partita/arch/cpus.h>
#include <partita/core/guests.h>
#include <partita/core/manager.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/virt/guest.h>
#include <stdio.h>
#include <string.h>

const char *const guests_partition_keys[] = {
	"cpus", "image", "initrd", "bootargs", "timeout", "x-canary", NULL,
};

static bool take_cpus(const struct opts *o, const char *id, unsigned *next,
		      unsigned *cpus, Error **errp)
{
	const char *v = opts_peek(o, "cpus");
	unsigned have = arch_cpu_count();
	uint64_t n = 1;

	if (v && (!parse_u64(v, &n) || n < 1 || n > GUEST_MAX_VCPUS)) {
		error_setg(errp, "Parameter 'cpus' expects a number of vCPUs, "
			   "1 to %d", GUEST_MAX_VCPUS);
		return false;
	}
	/* 0: a build that does not know the machine's CPUs (the host
	 * program checking a firmware configuration). */
	if (have && *next + n > have) {
		error_setg(errp, "partition '%s': cpus=%llu needs CPUs %u-%llu, "
			   "but the machine has %u CPUs (CPU 0 is the manager's)",
			   id, (unsigned long long)n, *next,
			   (unsigned long long)(*next + n - 1), have);
		error_append_hint(errp, "QEMU: give it more with -smp.\n");
		return false;
	}
	*cpus = (unsigned)n;
	*next += (unsigned)n;
	return true;
}

bool guests_check(const struct manager *m, const struct opts *o,
		  const char *id, unsigned index, uint64_t ram_addr,
		  uint64_t ram_size, unsigned *next_cpu,
		  struct guest_config **out, Error **errp)
{
	const char *image = opts_peek(o, "image"), *v;
	struct guest_config *c;
	uint64_t secs = 0, canary = 0;

	*out = NULL;
	if (!image) {
		for (const char *const *k = guests_partition_keys; *k; k++)
			if (opts_peek(o, *k)) {
				error_setg(errp, "Parameter '%s' needs "
					   "'image'", *k);
				return false;
			}
		return true;
	}
	if (!arch_guests_supported(errp))
		return false;
	if ((v = opts_peek(o, "timeout")) &&
	    (!parse_u64(v, &secs) || !secs || secs > 3600)) {
		error_setg(errp, "Parameter 'timeout' expects seconds, "
			   "1 to 3600");
		return false;
	}
	if ((v = opts_peek(o, "x-canary")) && !parse_u64(v, &canary)) {
		error_setg(errp, "Parameter 'x-canary' expects an address");
		return false;
	}
	c = heap_zalloc(sizeof(*c));
	if (!c) {
		error_setg(errp, "out of memory");
		return false;
	}
	*c = (struct guest_config){
		.name = id, .ram_addr = ram_addr, .ram_size = ram_size,
		.bootargs = opts_peek(o, "bootargs"),
		.timeout_ns = secs * 1000000000ULL, .canary_addr = canary,
		.vmid = (uint16_t)(index + 1), .first_cpu = *next_cpu,
	};
	if (!take_cpus(o, id, next_cpu, &c->ncpus, errp) ||
	    !guest_check(c, m->cfg->fit, m->cfg->fit_size, image,
			 opts_peek(o, "initrd"), errp)) {
		heap_free(c);
		return false;
	}
	*out = c;
	return true;
}

/* The partition's vfio-pci functions on the guest's bus 0: one slot per
 * IOMMU group, from 01 on in the order given, each function keeping its
 * function number (a multi-function device stays one). */
static void pci_slots(const struct partition *p, struct guest_config *c)
{
	int groups[GUEST_MAX_PCI];
	unsigned nslots = 0;

	c->npci = 0;
	c->window_base = PARTITION_MMIO_BASE;
	c->window_size = PARTITION_MMIO_SIZE;
	for (const struct partition_device *d = p->devices; d; d = d->next) {
		const char *name = d->hw ? d->hw->name : NULL;
		unsigned slot = 0;
		size_t len;

		if (strcmp(d->front->driver, "vfio-pci") || !name ||
		    c->npci == GUEST_MAX_PCI || (len = strlen(name)) < 1)
			continue;
		for (unsigned s = 0; s < nslots; s++)
			if (groups[s] == d->hw->group)
				slot = s + 1;
		if (!slot) {
			if (nslots == PCI_HOST_SLOTS - 1)
				continue;
			groups[nslots++] = d->hw->group;
			slot = nslots;
		}
		c->pci[c->npci] = (struct guest_pci_fn){
			.vpci = d->dev, .slot = slot,
			.fn = (unsigned)(name[len - 1] - '0') & 7,
			.intx_pin = d->hw->has_intx ? d->hw->intx_pin : 0,
		};
		memcpy(c->pci[c->npci].intx_spec, d->hw->intx_spec,
		       sizeof(d->hw->intx_spec));
		c->npci++;
	}
}

/* When it ran, from the machine's reset (the report says how it ended). */
static void report_times(const struct guest *g)
{
	if (!g->started_ns)
		return;
	pr_info("guest: %s: first instruction %llu.%03llu ms after reset, "
		"ended %llu.%03llu ms after; %lu exits, %lu of them PL011 "
		"writes; %lu device interrupts", g->cfg.name,
		(unsigned long long)(g->started_ns / 1000000),
		(unsigned long long)(g->started_ns / 1000 % 1000),
		(unsigned long long)(g->ended_ns / 1000000),
		(unsigned long long)(g->ended_ns / 1000 % 1000), g->exits,
		g->uart.writes, g->device_irqs);
}

static void run_all(struct manager *m, struct guest **gs, unsigned n,
		    bool can_run);
static void drain_faults(void *opaque);
static void record_faults(struct manager *m);

bool guests_run(struct manager *m)
{
	struct guest *gs[CONFIG_MAX_PARTITIONS];
	bool can_run = arch_cpu_count() > 0;
	unsigned n = 0;

	for (struct partition *p = m->partitions; p; p = p->next) {
		struct guest_config c;
		struct guest *g;
		Error *err = NULL;

		if (!p->guest_cfg)
			continue;
		c = *p->guest_cfg;
		c.as = &p->as;
		c.root = &p->root;
		c.ctx = &m->ctx;
		c.ram = p->ram;
		c.pool = board_table_pool(m->board);
		c.um = board_umem(m->board);
		c.pa_bits = arch_pa_bits();
		pci_slots(p, &c);
		g = heap_zalloc(sizeof(*g));
		if (!g) {
			error_report("partition '%s': out of memory", p->id);
			continue;
		}
		p->guest = g;
		if (!guest_create(g, &c, &err)) {
			/* That partition only: it is reported as stopped. */
			g->state = GUEST_STOPPED;
			snprintf(g->reason, sizeof(g->reason), "not started: %s",
				 error_get_pretty(err));
			error_prepend(&err, "partition '%s': ", p->id);
			error_report_err(err);
			continue;
		}
		gs[n++] = g;
	}
	for (struct partition *p = m->partitions; p; p = p->next)
		if (p->guest_cfg) {
			run_all(m, gs, n, can_run);
			if (can_run)
				record_faults(m);
			return true;
		}
	return false;
}

static void run_all(struct manager *m, struct guest **gs, unsigned n,
		    bool can_run)
{
	for (unsigned i = 0; i < n; i++) {
		Error *err = NULL;

		if (!can_run) {
			gs[i]->state = GUEST_NOT_STARTED;
			snprintf(gs[i]->reason, sizeof(gs[i]->reason),
				 "this build checks guests but cannot run them");
			continue;
		}
		if (!guest_load(gs[i], &err) ||
		    (IS_ENABLED(CONFIG_ARCH_ARM64) && !guest_start(gs[i], &err))) {
			error_prepend(&err, "partition '%s': ", gs[i]->cfg.name);
			error_report_err(err);
			if (!guest_ended(gs[i])) {
				gs[i]->state = GUEST_STOPPED;
				snprintf(gs[i]->reason, sizeof(gs[i]->reason),
					 "not started");
			}
		}
	}
	if (can_run && IS_ENABLED(CONFIG_ARCH_ARM64))
		guest_wait_all(gs, n, drain_faults, m);
	for (unsigned i = 0; i < n; i++)
		report_times(gs[i]);
}

/* The partition and device whose stream sid is, or false. */
static bool owner_of(struct manager *m, uint32_t sid, struct partition **pp,
		     const struct partition_device **dp)
{
	for (struct partition *p = m->partitions; p; p = p->next)
		for (const struct partition_device *d = p->devices; d; d = d->next)
			if (d->hw && d->hw->stream_id == sid) {
				*pp = p;
				*dp = d;
				return true;
			}
	return false;
}

/* One fault into its guest's ranges. */
static void note_fault(struct guest *g, const char *device,
		       const struct board_fault *f)
{
	g->faults_total++;
	for (unsigned i = 0; i < g->nfaults; i++) {
		struct guest_fault *r = &g->faults[i];

		if (r->device == device && r->what == f->what &&
		    f->addr + 0x1000 >= r->lo && f->addr <= r->hi + 0x1000) {
			r->lo = f->addr < r->lo ? f->addr : r->lo;
			r->hi = f->addr > r->hi ? f->addr : r->hi;
			r->count++;
			return;
		}
	}
	if (g->nfaults < 8)
		g->faults[g->nfaults++] = (struct guest_fault){
			device, f->addr, f->addr, f->what, f->stream_id, 1 };
}

/* The IOMMU's fault records so far, each against the partition and
 * device whose stream it is. Called every GUEST_POLL_NS while the guests
 * run (the IOMMU's queue is finite) and once after; they run on. */
static void drain_faults(void *opaque)
{
	struct manager *m = opaque;
	struct board_fault f[16];
	unsigned n;

	do {
		n = board_read_faults(m->board, f, 16);
		for (unsigned i = 0; i < n; i++) {
			const struct partition_device *d;
			struct partition *p;

			if (!owner_of(m, f[i].stream_id, &p, &d))
				pr_info("guest: an IOMMU fault of stream 0x%x at "
					"0x%llx (%s): no partition's device",
					f[i].stream_id, (unsigned long long)f[i].addr,
					f[i].what);
			else if (p->guest)
				note_fault(p->guest, d->hw->name, &f[i]);
		}
	} while (n == 16);
}

/* The last records, then each range said once. */
static void record_faults(struct manager *m)
{
	drain_faults(m);
	for (struct partition *p = m->partitions; p; p = p->next)
		for (unsigned i = 0; p->guest && i < p->guest->nfaults; i++) {
			const struct guest_fault *r = &p->guest->faults[i];

			pr_info("guest: %s: %s's DMA at 0x%llx-0x%llx faulted in "
				"the IOMMU (%s, stream 0x%x): %lu faults", p->id,
				r->device, (unsigned long long)r->lo,
				(unsigned long long)r->hi, r->what, r->stream_id,
				r->count);
		}
}

int guests_status(const struct manager *m)
{
	for (const struct partition *p = m->partitions; p; p = p->next)
		if (p->guest && p->guest->state != GUEST_NOT_STARTED &&
		    guest_exit_status(p->guest))
			return 1;
	return 0;
}
