// SPDX-License-Identifier: GPL-2.0-or-later
/* The DMA isolation self-test (include/partita/selftest.h). */
#include <partita/board.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/manager.h>
#include <partita/pci.h>
#include <partita/selftest.h>
#include <partita/sim/dma-engine.h>
#include <partita/ccw.h>
#include <partita/vfio/ccw.h>
#include <partita/vfio/pci.h>
#include <partita/vfio/platform.h>
#include <string.h>

#define PAGE 4096u

/* A DMA engine the self-test can drive: the board's DMA engine through
 * its registers in the partition (regs), or a subchannel through a
 * channel program the partition writes into its RAM at prog. */
struct engine {
	AddressSpace *as;
	uint64_t regs;
	struct partition *p;
	struct partition_device *d;
	bool channel;
	uint64_t prog;
};

/* The board's DMA engine (arch/host/sim): PCI 1234:51d0 with its
 * registers in BAR0, or a platform "partita,sim-dma" in region 0. */
static bool find_engine(struct partition *p, struct partition_device *d,
			struct engine *e)
{
	e->as = &p->as;
	e->d = d;
	e->p = p;
	e->channel = false;
#if IS_ENABLED(CONFIG_VFIO_CCW)
	/* Channel I/O: its isolation is the driver's translation of the
	 * program, which the test exercises like any other program. */
	if (d->front->kind == BUS_CCW) {
		e->channel = true;
		e->prog = p->ram_base + p->ram_size - 3 * PAGE;
		return true;
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_PCI)
	if (d->front->kind == BUS_PCI) {
		struct vfio_pci_device *vpci = d->dev;
		uint8_t cmd[2] = { PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0 };

		if (vpci->vendor_id != 0x1234 || vpci->device_id != 0x51d0 ||
		    !vpci->bars[0].size)
			return false;
		/* What a driver does first: decode and bus mastering. */
		vfio_pci_write_config(vpci, PCI_COMMAND, cmd, 2);
		e->regs = vpci->bars[0].addr;
		return true;
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	if (d->front->kind == BUS_PLATFORM) {
		struct vfio_platform_device *vplat = d->dev;
		static const char want[] = "partita,sim-dma";

		for (size_t off = 0; off < vplat->compat_len;
		     off += strlen(vplat->compat + off) + 1) {
			if (!strcmp(vplat->compat + off, want) &&
			    vplat->nregions && vplat->regions[0].size) {
				e->regs = vplat->regions[0].addr;
				return true;
			}
		}
	}
#endif
	return false;
}

#if IS_ENABLED(CONFIG_VFIO_CCW)
/* WRITE len bytes from src into the device's storage, command-chained to
 * READ them back to dst: done when the channel ends normally; a program
 * the driver refuses ends in a unit exception, the channel not started. */
static bool channel_copy(struct engine *e, uint64_t src, uint64_t dst,
			 uint64_t len)
{
	uint8_t *prog = e->p->ram + (e->prog - e->p->ram_base);
	uint8_t orb[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];

	ccw_encode(prog, (struct ccw1){ CCW_CMD_WRITE, CCW_FLAG_CC,
					(uint16_t)len, (uint32_t)src });
	ccw_encode(prog + CCW_SIZE, (struct ccw1){ CCW_CMD_READ, 0,
						   (uint16_t)len, (uint32_t)dst });
	memset(orb, 0, sizeof(orb));
	ccw_put_be32(orb + 4, ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64);
	ccw_put_be32(orb + 8, (uint32_t)e->prog);
	return vfio_ccw_handle_request(e->d->dev, orb, irb) ==
	       VFIO_CCW_CC_EXPECTED &&
	       irb[8] == (DEV_STAT_CHN_END | DEV_STAT_DEV_END);
}
#endif

/* Copy len bytes: true when the engine says done, false on a fault. */
static bool engine_copy(struct engine *e, uint64_t src, uint64_t dst,
			uint64_t len)
{
	uint64_t st;

#if IS_ENABLED(CONFIG_VFIO_CCW)
	if (e->channel)
		return channel_copy(e, src, dst, len);
#endif
	address_space_stq_le(e->as, e->regs + SIM_DMA_REG_SRC, src);
	address_space_stq_le(e->as, e->regs + SIM_DMA_REG_DST, dst);
	address_space_stq_le(e->as, e->regs + SIM_DMA_REG_LEN, len);
	address_space_stq_le(e->as, e->regs + SIM_DMA_REG_CMD, SIM_DMA_CMD_GO);
	st = address_space_ldq_le(e->as, e->regs + SIM_DMA_REG_STATUS, NULL);
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	/* The completion interrupt: serviced, so the next one arrives. */
	if (e->d->front->kind == BUS_PLATFORM) {
		struct vfio_platform_device *vplat = e->d->dev;

		for (unsigned i = 0; i < vplat->nirqs; i++)
			if (vplat->irqs[i].active)
				vfio_platform_eoi(vplat, vplat->irqs[i].line);
	}
#endif
	return st == SIM_DMA_DONE;
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

/* One copy of the pattern at src (own RAM) to dst, whose CPU view is
 * host; the verdict by target kind. */
static bool one_check(struct engine *e, struct partition *p, uint64_t src,
		      const uint8_t *pattern, enum selftest_target target,
		      const char *target_name, uint64_t dst, uint8_t *host,
		      struct selftest_result *r)
{
	uint8_t *before = heap_alloc(PAGE);
	struct selftest_check c = {
		.partition = p->id, .device = partition_device_vdev(e->d)->name,
		.target = target, .target_name = target_name, .address = dst,
	};

	if (!before)
		return false;
	memcpy(before, host, PAGE);
	c.completed = engine_copy(e, src, dst, PAGE);
	c.faulted = !c.completed;
	c.landed = !memcmp(host, pattern, PAGE);
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
	uint64_t src = p->ram_base + p->ram_size - 2 * PAGE;
	uint64_t dst = p->ram_base + p->ram_size - PAGE;
	uint8_t *pattern = p->ram + (src - p->ram_base);
	uint64_t mgr;

	if (!find_engine(p, d, &e))
		return add_untested(r, p->id, partition_device_vdev(d)->name,
				    "no DMA engine the self-test can drive");
	/* A pattern no memory holds by chance: the device's index in the
	 * namespace and the partition's base mixed in. */
	for (unsigned i = 0; i < PAGE; i++)
		pattern[i] = (uint8_t)(0xa5 ^ i ^ (i >> 8) ^ (d->hw ? d->hw->index : 0) ^
				       (p->ram_base >> 21));
	memset(p->ram + (dst - p->ram_base), 0, PAGE);
	if (!one_check(&e, p, src, pattern, SELFTEST_OWN, p->id, dst,
		       p->ram + (dst - p->ram_base), r))
		return false;
	for (struct partition *q = m->partitions; q; q = q->next) {
		uint64_t t = q->ram_base + q->ram_size / 2;

		if (q == p)
			continue;
		if (!one_check(&e, p, src, pattern, SELFTEST_OTHER, q->id, t,
			       q->ram + (t - q->ram_base), r))
			return false;
	}
	/* The last page of RAM: the manager's, in no partition's pool. */
	mgr = m->board->ram_base + m->board->ram_size - PAGE;
	return one_check(&e, p, src, pattern, SELFTEST_UNMAPPED, "manager", mgr,
			 board_ram_ptr(m->board, mgr, PAGE), r);
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

		pr_info("selftest: %s %s -> %s 0x%llx: %s%s", c->partition,
			c->device, c->target == SELFTEST_OWN ? "own RAM" :
			c->target == SELFTEST_OTHER ? "partition" : "unmapped",
			(unsigned long long)c->address,
			c->completed ? "completed" : "faulted",
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
