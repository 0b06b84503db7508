// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DMA isolation self-test (include/partita/core/selftest.h). It knows no
 * engine: the DMA testers (drivers/dma-test/) say which devices they can
 * drive and copy for it. Faults the board's IOMMU recorded for the
 * device's stream count as the engine's own.
 */
#include <partita/arch/board.h>
#include <partita/core/manager.h>
#include <partita/core/selftest.h>
#include <partita/dma-test/dma-test.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <stdio.h>
#include <string.h>

#define PAGE 4096u

/* One device under test: its tester, and whose it is. */
struct engine {
	struct dma_tester t;
	struct partition *p;
	struct partition_device *d;
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

/* The IOMMU faults recorded for the device's stream since the last look
 * (others' are dropped: nothing else runs DMA meanwhile). */
static bool iommu_faulted(struct manager *m, struct engine *e,
			  struct selftest_check *c)
{
	struct board_fault f[8];
	unsigned n;
	bool hit = false;

	while ((n = board_read_faults(m->board, f, 8))) {
		for (unsigned i = 0; i < n; i++) {
			if (!e->d->hw || f[i].stream_id != e->d->hw->stream_id)
				continue;
			if (!hit) {
				c->fault_what = f[i].what;
				c->fault_addr = f[i].addr;
				c->fault_stream = f[i].stream_id;
			}
			hit = true;
		}
	}
	return hit;
}

/* One copy of the pattern at src (own RAM) to dst, whose CPU view is
 * host; the verdict by target kind. */
static bool one_check(struct manager *m, struct engine *e, uint64_t src,
		      const uint8_t *pattern, enum selftest_target target,
		      const char *target_name, uint64_t dst, uint8_t *host,
		      struct selftest_result *r)
{
	uint8_t *before = heap_alloc(PAGE);
	struct selftest_check c = {
		.partition = e->p->id,
		.device = partition_device_vdev(e->d)->name,
		.target = target, .target_name = target_name, .address = dst,
	};
	enum dma_test_result res;
	bool iommu;

	if (!before)
		return false;
	memcpy(before, host, PAGE);
	iommu_faulted(m, e, &c);              /* nothing older counts */
	c.fault_what = NULL;
	res = dma_test_copy(&e->t, src, dst, e->t.len);
	c.timed_out = res == DMA_TEST_TIMEOUT;
	/* The IOMMU's record is read even when the engine said so itself:
	 * it names the fault, and must not be left for the next check. */
	iommu = iommu_faulted(m, e, &c);
	c.faulted = res == DMA_TEST_FAULT || iommu;
	c.completed = res == DMA_TEST_DONE && !c.faulted;
	/* An engine with data of its own (fills): its bytes, and only
	 * those, changed. */
	c.landed = e->t.drv->fills ?
		   memcmp(host, before, e->t.len) != 0 &&
		   !memcmp(host + e->t.len, before + e->t.len, PAGE - e->t.len) :
		   !memcmp(host, pattern, e->t.len);
	c.changed = memcmp(host, before, PAGE) != 0;
	if (target == SELFTEST_OWN)
		c.pass = c.completed && c.landed;
	else
		c.pass = c.faulted && !c.changed;
	/* A failed isolation check must not leave the pattern behind. */
	if (target != SELFTEST_OWN && c.changed)
		memcpy(host, before, PAGE);
	heap_free(before);
	return add_check(r, &c);
}

static bool test_device(struct manager *m, struct partition *p,
			struct partition_device *d, struct selftest_result *r)
{
	struct engine e;
	uint64_t src = p->ram_addr + p->ram_size - 2 * PAGE;
	uint64_t dst = p->ram_addr + p->ram_size - PAGE;
	uint8_t *pattern = p->ram + (src - p->ram_addr);
	uint64_t mgr;

	if (!find_engine(m, p, d, &e))
		return add_untested(r, p->id, partition_device_vdev(d)->name,
				    "no DMA engine the self-test can drive");
	if ((p->ram_addr + p->ram_size - 1) & ~e.t.dma_mask)
		return add_untested(r, p->id, partition_device_vdev(d)->name,
				    "the partition's RAM is above the device's "
				    "DMA mask: give it a lower ram-addr");
	/* A pattern no memory holds by chance: the device's index in the
	 * namespace and the partition's base mixed in. */
	for (unsigned i = 0; i < PAGE; i++)
		pattern[i] = (uint8_t)(0xa5 ^ i ^ (i >> 8) ^
				       (d->hw ? d->hw->index : 0) ^
				       (p->ram_base >> 21));
	memset(p->ram + (dst - p->ram_addr), 0, PAGE);
	if (!one_check(m, &e, src, pattern, SELFTEST_OWN, p->id, dst,
		       p->ram + (dst - p->ram_addr), r))
		return false;
	for (struct partition *q = m->partitions; q; q = q->next) {
		/* Where q's devices reach q's RAM: aimed at by p's. */
		uint64_t t = q->ram_addr + q->ram_size / 2;

		if (q == p)
			continue;
		if ((t & ~e.t.dma_mask) ||
		    (t >= p->ram_addr && t - p->ram_addr < p->ram_size)) {
			if (!add_untested(r, p->id, partition_device_vdev(d)->name,
					  "another partition's RAM is at an "
					  "address this device cannot aim at "
					  "(its own, or above its DMA mask)"))
				return false;
			continue;
		}
		if (!one_check(m, &e, src, pattern, SELFTEST_OTHER, q->id, t,
			       q->ram + (t - q->ram_addr), r))
			return false;
	}
	/* The last page of RAM: the manager's, in no partition. Aimed at
	 * by its physical address, within the device's reach. */
	mgr = m->board->ram_base + m->board->ram_size - PAGE;
	return one_check(m, &e, src, pattern, SELFTEST_UNMAPPED, "manager",
			 mgr & e.t.dma_mask, board_ram_ptr(m->board, mgr, PAGE), r);
}

bool selftest_dma(struct manager *m, struct selftest_result *r)
{
	memset(r, 0, sizeof(*r));
	r->ran = true;
	for (struct partition *p = m->partitions; p; p = p->next) {
		if (p->ram_size < 8 * PAGE)
			continue;
		for (struct partition_device *d = p->devices; d; d = d->next)
			if (!test_device(m, p, d, r))
				return false;
	}
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
			c->completed ? "completed" : "faulted", iommu,
			c->pass ? "" : c->target == SELFTEST_OWN ?
			" - FAILED: did not land" : " - ISOLATION FAILURE");
	}
	return true;
}

void selftest_result_free(struct selftest_result *r)
{
	heap_free(r->checks);
	heap_free(r->untested);
	memset(r, 0, sizeof(*r));
}
