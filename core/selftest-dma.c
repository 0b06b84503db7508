// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DMA isolation self-test (include/partita/selftest.h). Engines it
 * drives, each as its partition would:
 *  - the host board's DMA engine (PCI 1234:51d0 with its registers in
 *    BAR0, or a "partita,sim-dma" platform device, region 0): source,
 *    destination, length, GO; it latches a fault in its status;
 *  - QEMU's edu (PCI 1234:11e8): DMA registers at BAR0 + 0x80..0x98, a
 *    4 KiB buffer at 0x40000 in its own space, a 28-bit DMA mask; a copy
 *    to memory is RAM -> buffer, then buffer -> target. A faulting DMA
 *    is dropped silently by the device: the IOMMU's fault record says it;
 *  - a CCW subchannel: a channel program its driver translates.
 * Faults the board's IOMMU recorded for the device's stream count as the
 * engine's own.
 */
#include <partita/board.h>
#include <partita/ccw.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/manager.h>
#include <partita/pci.h>
#include <partita/selftest.h>
#include <partita/sim/dma-engine.h>
#include <partita/vfio/ccw.h>
#include <partita/vfio/pci.h>
#include <partita/vfio/platform.h>
#include <stdio.h>
#include <string.h>

#define PAGE 4096u

#define EDU_VENDOR      0x1234
#define EDU_DEVICE      0x11e8
#define EDU_DMA_SRC     0x80
#define EDU_DMA_DST     0x88
#define EDU_DMA_CNT     0x90
#define EDU_DMA_CMD     0x98
#define  EDU_CMD_START  1
#define  EDU_CMD_TO_RAM 2
#define EDU_BUFFER      0x40000
#define EDU_DMA_MASK    ((1ULL << 28) - 1)
/* QEMU 7.2's edu takes a transfer ending at its buffer's end (4 KiB) for
 * one beyond it (a hardware error that stops the machine): stay short. */
#define EDU_DMA_LEN     2048u
#define EDU_POLL_LIMIT  50000000u

enum engine_kind { ENGINE_SIM, ENGINE_EDU, ENGINE_CHANNEL };

enum copy_result { COPY_DONE, COPY_FAULT, COPY_TIMEOUT };

struct engine {
	enum engine_kind kind;
	AddressSpace *as;
	uint64_t regs;               /* registers, in the partition */
	struct partition *p;
	struct partition_device *d;
	uint64_t prog;               /* channel program, partition address */
	uint64_t dma_mask;
	uint32_t len;                /* bytes a copy moves */
};

static bool __attribute__((unused))
is_compatible(const char *list, size_t len, const char *want)
{
	for (size_t off = 0; off < len; off += strlen(list + off) + 1)
		if (!strcmp(list + off, want))
			return true;
	return false;
}

static bool find_engine(struct partition *p, struct partition_device *d,
			struct engine *e)
{
	memset(e, 0, sizeof(*e));
	e->as = &p->as;
	e->d = d;
	e->p = p;
	e->dma_mask = UINT64_MAX;
	e->len = PAGE;
#if IS_ENABLED(CONFIG_VFIO_CCW)
	/* Channel I/O: its isolation is the driver's translation of the
	 * program, which the test exercises like any other program. */
	if (d->front->kind == BUS_CCW) {
		e->kind = ENGINE_CHANNEL;
		e->prog = p->ram_addr + p->ram_size - 3 * PAGE;
		return true;
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_PCI)
	if (d->front->kind == BUS_PCI) {
		struct vfio_pci_device *vpci = d->dev;
		uint8_t cmd[2] = { PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0 };

		if (vpci->vendor_id == 0x1234 && vpci->device_id == 0x51d0)
			e->kind = ENGINE_SIM;
		else if (vpci->vendor_id == EDU_VENDOR &&
			 vpci->device_id == EDU_DEVICE) {
			e->kind = ENGINE_EDU;
			e->dma_mask = EDU_DMA_MASK;
			e->len = EDU_DMA_LEN;
		} else {
			return false;
		}
		if (!vpci->bars[0].size)
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

		if (is_compatible(vplat->compat, vplat->compat_len,
				  "partita,sim-dma") &&
		    vplat->nregions && vplat->regions[0].size) {
			e->kind = ENGINE_SIM;
			e->regs = vplat->regions[0].addr;
			return true;
		}
	}
#endif
	return false;
}

static enum copy_result sim_copy(struct engine *e, uint64_t src, uint64_t dst,
				 uint64_t len)
{
	uint64_t st;

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
	return st == SIM_DMA_DONE ? COPY_DONE : COPY_FAULT;
}

/* One edu transfer, and the wait for it (the device runs it from a
 * timer, 100 ms of virtual time later). */
static enum copy_result edu_dma(struct engine *e, uint64_t src, uint64_t dst,
				uint64_t len, uint64_t cmd)
{
	address_space_stq_le(e->as, e->regs + EDU_DMA_SRC, src);
	address_space_stq_le(e->as, e->regs + EDU_DMA_DST, dst);
	address_space_stq_le(e->as, e->regs + EDU_DMA_CNT, len);
	address_space_stq_le(e->as, e->regs + EDU_DMA_CMD, cmd | EDU_CMD_START);
	for (unsigned i = 0; i < EDU_POLL_LIMIT; i++)
		if (!(address_space_ldq_le(e->as, e->regs + EDU_DMA_CMD, NULL) &
		      EDU_CMD_START))
			return COPY_DONE;
	return COPY_TIMEOUT;
}

static enum copy_result edu_copy(struct engine *e, uint64_t src, uint64_t dst,
				 uint64_t len)
{
	enum copy_result r = edu_dma(e, src, EDU_BUFFER, len, 0);

	return r == COPY_DONE ? edu_dma(e, EDU_BUFFER, dst, len, EDU_CMD_TO_RAM) :
	       r;
}

#if IS_ENABLED(CONFIG_VFIO_CCW)
/* WRITE len bytes from src into the device's storage, command-chained to
 * READ them back to dst: done when the channel ends normally; a program
 * the driver refuses ends in a unit exception, the channel not started. */
static enum copy_result channel_copy(struct engine *e, uint64_t src,
				     uint64_t dst, uint64_t len)
{
	uint8_t *prog = e->p->ram + (e->prog - e->p->ram_addr);
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
	       irb[8] == (DEV_STAT_CHN_END | DEV_STAT_DEV_END) ? COPY_DONE :
							     COPY_FAULT;
}
#endif

static enum copy_result engine_copy(struct engine *e, uint64_t src,
				    uint64_t dst, uint64_t len)
{
	switch (e->kind) {
	case ENGINE_SIM:
		return sim_copy(e, src, dst, len);
	case ENGINE_EDU:
		return edu_copy(e, src, dst, len);
	case ENGINE_CHANNEL:
#if IS_ENABLED(CONFIG_VFIO_CCW)
		return channel_copy(e, src, dst, len);
#else
		break;
#endif
	}
	return COPY_FAULT;
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
	enum copy_result res;

	if (!before)
		return false;
	memcpy(before, host, PAGE);
	iommu_faulted(m, e, &c);              /* nothing older counts */
	c.fault_what = NULL;
	res = engine_copy(e, src, dst, e->len);
	c.timed_out = res == COPY_TIMEOUT;
	c.faulted = res == COPY_FAULT || iommu_faulted(m, e, &c);
	c.completed = res == COPY_DONE && !c.faulted;
	c.landed = !memcmp(host, pattern, e->len);
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

	if (!find_engine(p, d, &e))
		return add_untested(r, p->id, partition_device_vdev(d)->name,
				    "no DMA engine the self-test can drive");
	if ((p->ram_addr + p->ram_size - 1) & ~e.dma_mask)
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
		if ((t & ~e.dma_mask) ||
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
			 mgr & e.dma_mask, board_ram_ptr(m->board, mgr, PAGE), r);
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
