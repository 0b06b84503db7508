// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DMA isolation self-test (include/partita/core/selftest.h). It knows no
 * engine: the DMA testers (drivers/dma-test/) say which devices they can
 * drive and copy for it. Faults the board's IOMMU recorded for the
 * device's stream count as the engine's own.
 */
#include <partita/arch/board.h>
#include <partita/arch/time.h>
#include <partita/core/manager.h>
#include <partita/core/selftest.h>
#include <partita/dma-test/dma-test.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <stdio.h>
#include <string.h>

#define PAGE 4096u
/* A copy aimed where it must fault moves this much at most: the IOMMU may
 * record a fault per access (QEMU's SMMUv3: one per 4 bytes), and its
 * event queue (256 entries on QEMU) must hold every device's at once,
 * or a device's faults are lost and its check fails for nothing. */
#define FAULT_LEN 64u

/* How long a board with late fault records (board.faults_lossy) gets
 * after a round's DMA to log them, at most: the kernel prints a DMAR
 * fault from its interrupt handler, usually within a millisecond, but a
 * loaded machine under TCG can take far longer. The wait ends as soon as
 * every copy that should fault has its record; one the IOMMU dropped
 * costs the whole wait. */
#define LOSSY_GRACE_NS (200ULL * 1000 * 1000)

/* One planned copy: the target and its CPU view. */
struct plan {
	enum selftest_target target;
	const char *target_name;
	uint64_t dst;
	uint8_t *host;
};

/* One device under test: its tester, whose it is, its copies (own RAM,
 * each other partition, the manager's memory) and how far it is. */
struct engine {
	struct dma_tester t;
	struct partition *p;
	struct partition_device *d;
	uint64_t src;
	uint8_t *pattern;            /* src, the CPU's view */
	struct plan *plan;
	struct selftest_check *done;
	unsigned nplan, next;
	/* The copy in flight: its target as it was before. */
	uint8_t before[PAGE];
	struct selftest_check c;
	enum dma_test_result res;
};

static bool find_engine(struct manager *m, struct partition *p,
			struct partition_device *d, struct engine *e)
{
	struct dma_test_target target = {
		.as = &p->as, .kind = d->front->kind, .dev = d->dev,
		.ram = p->ram, .ram_addr = p->ram_addr, .ram_size = p->ram_size,
		.allow_bypass = m->cfg->selftest_allow_bypass,
	};

	e->p = p;
	e->d = d;
	return dma_test_probe(&target, &e->t);
}

static bool add_check(struct selftest_result *r, const struct selftest_check *c)
{
	struct selftest_check *n = heap_realloc(r->checks,
						(r->nchecks + 1) * sizeof(*n));

	if (!n)
		return false;
	r->checks = n;
	r->checks[r->nchecks++] = *c;
	if (!c->pass)
		r->failures++;
	return true;
}

static bool add_untested(struct selftest_result *r, const char *part,
			 const char *dev, const char *why)
{
	struct selftest_untested *n = heap_realloc(r->untested,
						   (r->nuntested + 1) * sizeof(*n));

	if (!n)
		return false;
	r->untested = n;
	r->untested[r->nuntested++] = (struct selftest_untested){ part, dev, why };
	return true;
}

/* ---- planning ----------------------------------------------------------- */

static bool in_some_partition(const struct manager *m, uint64_t pa)
{
	for (const struct partition *q = m->partitions; q; q = q->next)
		if (pa >= q->ram_base && pa - q->ram_base < q->ram_size)
			return true;
	return false;
}

/* The copies of engine e, the n-th the self-test drives (each aims at
 * its own page of the manager's memory, so that copies running at once
 * never share a target); false only when out of memory. */
static bool plan_engine(struct manager *m, struct engine *e, unsigned n,
			struct selftest_result *r)
{
	struct partition *p = e->p;
	const char *dev = partition_device_vdev(e->d)->name;
	uint64_t dst = p->ram_addr + p->ram_size - PAGE;
	uint64_t mgr = m->board->ram_base + m->board->ram_size - (1 + n) * PAGE;
	uint8_t *pattern = p->ram + (e->src - p->ram_addr);

	/* Its own RAM, every other partition's, the manager's page. */
	e->plan = heap_calloc(m->npartitions + 1, sizeof(*e->plan));
	e->done = heap_calloc(m->npartitions + 1, sizeof(*e->done));
	if (!e->plan || !e->done)
		return false;
	e->pattern = pattern;
	e->plan[e->nplan++] = (struct plan){ SELFTEST_OWN, p->id, dst,
					     p->ram + (dst - p->ram_addr) };
	for (struct partition *q = m->partitions; q; q = q->next) {
		/* Where q's devices reach q's RAM: aimed at by p's. */
		uint64_t t = q->ram_addr + q->ram_size / 2;

		if (q == p)
			continue;
		if ((t & ~e->t.dma_mask) ||
		    (t >= p->ram_addr && t - p->ram_addr < p->ram_size)) {
			if (!add_untested(r, p->id, dev, "another partition's "
					  "RAM is at an address this device "
					  "cannot aim at (its own, or above its "
					  "DMA mask)"))
				return false;
			continue;
		}
		e->plan[e->nplan++] = (struct plan){ SELFTEST_OTHER, q->id, t,
						     q->ram + (t - q->ram_addr) };
	}
	/* A page at the end of RAM: the manager's, in no partition. Aimed
	 * at by its physical address, within the device's reach. */
	if (mgr < m->board->ram_base || in_some_partition(m, mgr))
		return add_untested(r, p->id, dev, "no page of the manager's "
				    "own at the end of RAM to aim at");
	e->plan[e->nplan++] = (struct plan){ SELFTEST_UNMAPPED, "manager",
					     mgr & e->t.dma_mask,
					     board_ram_ptr(m->board, mgr, PAGE) };
	return true;
}

/* ---- one round: a copy started on every engine, then all judged --------- */

static void begin(struct engine *e)
{
	const struct plan *pl = &e->plan[e->next];

	if (!e->next) {
		/* A pattern no memory holds by chance: the device's index
		 * in the namespace and the partition's base mixed in. Its
		 * own target starts clear. */
		for (unsigned i = 0; i < PAGE; i++)
			e->pattern[i] = (uint8_t)(0xa5 ^ i ^ (i >> 8) ^
						  (e->d->hw ? e->d->hw->index : 0) ^
						  (e->p->ram_base >> 21));
		memset(pl->host, 0, PAGE);
	}
	memcpy(e->before, pl->host, PAGE);
	e->c = (struct selftest_check){
		.partition = e->p->id,
		.device = partition_device_vdev(e->d)->name,
		.target = pl->target, .target_name = pl->target_name,
		.address = pl->dst,
	};
	/* The pattern at src never changes: a device may keep it. */
	e->res = dma_test_start(&e->t, e->src, pl->dst, pl->target == SELFTEST_OWN ?
				e->t.len : FAULT_LEN < e->t.len ? FAULT_LEN :
				e->t.len, e->next > 0);
}

/* The IOMMU's fault records, each to the engine whose stream it is (the
 * first names the fault); none: only dropped. */
static void collect_faults(struct manager *m, struct engine **live, unsigned n)
{
	struct board_fault f[8];
	unsigned got;

	while ((got = board_read_faults(m->board, f, 8)))
		for (unsigned i = 0; i < got; i++)
			for (unsigned k = 0; k < n; k++) {
				struct selftest_check *c = &live[k]->c;

				if (!live[k]->d->hw ||
				    f[i].stream_id != live[k]->d->hw->stream_id)
					continue;
				/* A late record may be an earlier copy's. */
				if (m->board->faults_lossy &&
				    (f[i].addr ^ live[k]->plan[live[k]->next].dst) &
				    ~(uint64_t)(PAGE - 1))
					continue;
				if (!c->fault_what) {
					c->fault_what = f[i].what;
					c->fault_addr = f[i].addr;
					c->fault_stream = f[i].stream_id;
				}
			}
}

/* The verdict by target kind; faults_lossy: the board's (board.h). */
static void judge(struct engine *e, bool faults_lossy)
{
	const struct plan *pl = &e->plan[e->next];
	struct selftest_check *c = &e->c;
	uint8_t *host = pl->host;

	c->timed_out = e->res == DMA_TEST_TIMEOUT;
	/* The IOMMU's record counts even when the engine said so itself:
	 * it names the fault. */
	c->faulted = e->res == DMA_TEST_FAULT || c->fault_what;
	c->completed = e->res == DMA_TEST_DONE && !c->faulted;
	/* An engine with data of its own (fills): its bytes, and only
	 * those, changed. */
	c->landed = e->t.drv->fills ?
		    memcmp(host, e->before, e->t.len) != 0 &&
		    !memcmp(host + e->t.len, e->before + e->t.len,
			    PAGE - e->t.len) :
		    !memcmp(host, e->pattern, e->t.len);
	c->changed = memcmp(host, e->before, PAGE) != 0;
	c->unrecorded = pl->target != SELFTEST_OWN && faults_lossy &&
			!c->faulted && e->res == DMA_TEST_DONE && !c->changed;
	if (pl->target == SELFTEST_OWN)
		c->pass = c->completed && c->landed;
	else
		c->pass = (c->faulted || c->unrecorded) && !c->changed;
	/* A failed isolation check must not leave the pattern behind. */
	if (pl->target != SELFTEST_OWN && c->changed)
		memcpy(host, e->before, PAGE);
	e->done[e->next++] = *c;
}

/* The engine of p that runs now: the first one not finished. Devices of
 * one partition share its self-test pages, so they take turns. */
static bool partitions_turn(const struct engine *es, unsigned i)
{
	if (es[i].next >= es[i].nplan)
		return false;
	for (unsigned k = 0; k < i; k++)
		if (es[k].p == es[i].p && es[k].next < es[k].nplan)
			return false;
	return true;
}

/* A copy aimed outside its partition still without its fault record. */
static bool awaiting_records(struct engine **live, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		if (live[k]->plan[live[k]->next].target != SELFTEST_OWN &&
		    !live[k]->c.fault_what)
			return true;
	return false;
}

/* Every partition's next copy at once: edu's take 100 ms of a timer
 * each, so a round costs one copy, not one per device. */
static unsigned run_round(struct manager *m, struct engine *es, unsigned n,
			  struct engine **live)
{
	unsigned nlive = 0;
	bool busy;

	collect_faults(m, NULL, 0);           /* nothing older counts */
	for (unsigned i = 0; i < n; i++)
		if (partitions_turn(es, i))
			live[nlive++] = &es[i];
	for (unsigned k = 0; k < nlive; k++)
		begin(live[k]);
	do {
		busy = false;
		for (unsigned k = 0; k < nlive; k++)
			if (live[k]->res == DMA_TEST_BUSY &&
			    (live[k]->res = dma_test_poll(&live[k]->t)) ==
			    DMA_TEST_BUSY)
				busy = true;
	} while (busy);
	collect_faults(m, live, nlive);
	/* Late records (the kernel log): give them a moment to come. */
	for (uint64_t until = arch_time_ns() + LOSSY_GRACE_NS;
	     m->board->faults_lossy && awaiting_records(live, nlive) &&
	     arch_time_ns() < until;)
		collect_faults(m, live, nlive);
	for (unsigned k = 0; k < nlive; k++)
		judge(live[k], m->board->faults_lossy);
	return nlive;
}

/* The engines of every partition's devices, in order; devices none
 * drives are listed untested. */
static bool find_engines(struct manager *m, struct engine **out, unsigned *nout,
			 struct selftest_result *r)
{
	struct engine *es = NULL;
	unsigned n = 0;

	for (struct partition *p = m->partitions; p; p = p->next) {
		if (p->ram_size < 8 * PAGE)
			continue;
		for (struct partition_device *d = p->devices; d; d = d->next) {
			struct engine *e, *grown;
			const char *dev = partition_device_vdev(d)->name;

			grown = heap_realloc(es, (n + 1) * sizeof(*es));
			if (!grown)
				goto oom;
			es = grown;
			e = memset(&es[n], 0, sizeof(*e));
			if (!find_engine(m, p, d, e)) {
				if (!add_untested(r, p->id, dev, "no DMA engine "
						  "the self-test can drive"))
					goto oom;
				continue;
			}
			if ((p->ram_addr + p->ram_size - 1) & ~e->t.dma_mask) {
				if (!add_untested(r, p->id, dev, "the partition's "
						  "RAM is above the device's DMA "
						  "mask: give it a lower ram-addr"))
					goto oom;
				continue;
			}
			e->src = p->ram_addr + p->ram_size - 2 * PAGE;
			/* Counted even when planning fails: its plan is freed. */
			if (!plan_engine(m, e, n++, r))
				goto oom;
		}
	}
	*out = es;
	*nout = n;
	return true;
oom:
	*out = es;
	*nout = n;
	return false;
}

static void free_engines(struct engine *es, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		heap_free(es[i].plan);
		heap_free(es[i].done);
	}
	heap_free(es);
}

bool selftest_dma(struct manager *m, struct selftest_result *r)
{
	struct engine *es, **live;
	unsigned n, copies, total = 0, rounds = 0;
	uint64_t t0;
	bool ok;

	memset(r, 0, sizeof(*r));
	r->ran = true;
	ok = find_engines(m, &es, &n, r);
	live = heap_calloc(n ? n : 1, sizeof(*live));
	if (!ok || !live) {
		heap_free(live);
		free_engines(es, n);
		return false;
	}
	t0 = arch_time_ns();
	while ((copies = run_round(m, es, n, live))) {
		total += copies;
		rounds++;
	}
	t0 = arch_time_ns() - t0;
	/* The checks by device, in order. */
	for (unsigned i = 0; ok && i < n; i++)
		for (unsigned k = 0; ok && k < es[i].next; k++)
			ok = add_check(r, &es[i].done[k]);
	heap_free(live);
	free_engines(es, n);
	if (!ok)
		return false;
	for (unsigned i = 0; i < r->nchecks; i++) {
		const struct selftest_check *c = &r->checks[i];

		char iommu[96] = "";

		if (c->fault_what)
			snprintf(iommu, sizeof(iommu),
				 " (IOMMU: %s, stream 0x%x, at 0x%llx)",
				 c->fault_what, c->fault_stream,
				 (unsigned long long)c->fault_addr);
		pr_info("selftest: %s %s -> %s 0x%llx: %s%s%s", c->partition,
			c->device, c->target == SELFTEST_OWN ? "own RAM" :
			c->target == SELFTEST_OTHER ? "partition" : "unmapped",
			(unsigned long long)c->address,
			c->timed_out ? "timed out" :
			c->unrecorded ? "blocked (nothing landed; no fault "
			"record: this IOMMU drops some)" :
			c->completed ? "completed" : "faulted", iommu,
			c->pass ? "" : c->target == SELFTEST_OWN ?
			" - FAILED: did not land" : " - ISOLATION FAILURE");
	}
	pr_info("selftest: %u copies in %u rounds (every partition's at once), "
		"%llu.%03llu ms", total, rounds,
		(unsigned long long)(t0 / 1000000),
		(unsigned long long)(t0 / 1000 % 1000));
	return true;
}

void selftest_result_free(struct selftest_result *r)
{
	heap_free(r->checks);
	heap_free(r->untested);
	memset(r, 0, sizeof(*r));
}
