// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Channel-program translation. The translated program lives in one block
 * of 16 pages from the driver's pool: 256 CCWs (2 KiB), then the IDALs.
 * A CCW moves at most 65535 bytes, so its IDAL has at most 17 IDAWs and
 * 256 of them fit in the rest of the block.
 */
#include "vfio-ccw-cp.h"
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/mm/page-alloc.h>
#include <string.h>

#define CP_BLOCK_ORDER 4
#define CP_BLOCK_SIZE  (PAGE_SIZE << CP_BLOCK_ORDER)
#define CP_IDAL_BASE   (VFIO_CCW_MAX_CCWS * CCW_SIZE)
#define CP_MAX_IDAWS   17u
#define CP_NO_GUEST    UINT32_MAX      /* a TIC the translation added */

_Static_assert(PAGE_SIZE == IDAW_BLOCK,
	       "one IDAW per page: format-2 IDAW blocks are 4 KiB");
_Static_assert(CP_IDAL_BASE + VFIO_CCW_MAX_CCWS * CP_MAX_IDAWS * IDAW_SIZE <=
	       CP_BLOCK_SIZE, "the IDALs fit the block");

static int remember_pin(struct ccw_cp *cp, uint64_t iova, size_t npage)
{
	if (cp->npins == cp->pins_cap) {
		size_t cap = cp->pins_cap ? cp->pins_cap * 2 : 32;
		struct ccw_cp_pin *p = heap_realloc(cp->pins, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		cp->pins = p;
		cp->pins_cap = cap;
	}
	cp->pins[cp->npins++] = (struct ccw_cp_pin){ iova, npage };
	return 0;
}

/* Pin npage pages from iova: their physical addresses in pa[]. Any
 * failure of the user's space to provide them is -EFAULT. */
static int pin(struct ccw_cp *cp, uint64_t iova, size_t npage, int prot,
	       uint64_t *pa)
{
	int ret = vfio_pin_pages(cp->dev, iova, npage, prot, pa);

	if (ret)
		return ret == -ENOMEM ? ret : -EFAULT;
	ret = remember_pin(cp, iova, npage);
	if (ret)
		vfio_unpin_pages(cp->dev, iova, npage);
	return ret;
}

static int read_user(struct ccw_cp *cp, uint64_t iova, void *buf, size_t len)
{
	return vfio_dma_rw(cp->dev, iova, buf, len, false) ? -EFAULT : 0;
}

static uint8_t *idal_alloc(struct ccw_cp *cp, size_t nidaw, uint32_t *pa)
{
	uint8_t *p = cp->block + CP_IDAL_BASE + cp->idal_used;

	*pa = (uint32_t)(cp->block_pa + CP_IDAL_BASE + cp->idal_used);
	cp->idal_used += nidaw * IDAW_SIZE;
	return p;
}

/* Where the channel will read or write for command cmd. */
static int data_prot(uint8_t cmd)
{
	switch (cmd) {
	case CCW_CMD_WRITE: return IOMMU_READ;         /* memory -> device */
	case CCW_CMD_READ:  return IOMMU_WRITE;        /* device -> memory */
	default:            return IOMMU_READ | IOMMU_WRITE;
	}
}

/* A direct data address: the pages under [cda, cda + count). */
static int translate_direct(struct ccw_cp *cp, struct ccw1 *c, int prot)
{
	uint64_t first = c->cda & ~(uint64_t)(PAGE_SIZE - 1);
	size_t npage = (c->cda + c->count - first + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa[CP_MAX_IDAWS];
	uint32_t idal_pa;
	uint8_t *idal;
	int ret;

	if (npage > 1 && cp->one_idaw_block)
		return -ERANGE;
	ret = pin(cp, first, npage, prot, pa);
	if (ret)
		return ret;
	idal = idal_alloc(cp, npage, &idal_pa);
	ccw_put_be64(idal, pa[0] + (c->cda - first));
	for (size_t i = 1; i < npage; i++)
		ccw_put_be64(idal + i * IDAW_SIZE, pa[i]);
	c->cda = idal_pa;
	c->flags |= CCW_FLAG_IDA;
	return 0;
}

/* The user's own IDAL: each IDAW (a user address) becomes a physical
 * one. The first may start anywhere, the rest on a block boundary. */
static int translate_idal(struct ccw_cp *cp, struct ccw1 *c, int prot)
{
	uint8_t user[CP_MAX_IDAWS * IDAW_SIZE], *idal;
	uint64_t first;
	size_t n;
	uint32_t idal_pa;
	int ret;

	ret = read_user(cp, c->cda, user, IDAW_SIZE);
	if (ret)
		return ret;
	first = ccw_get_be64(user);
	n = (first % IDAW_BLOCK + c->count + IDAW_BLOCK - 1) / IDAW_BLOCK;
	if (n > 1 && cp->one_idaw_block)
		return -ERANGE;
	if (n > 1) {
		ret = read_user(cp, c->cda + IDAW_SIZE, user + IDAW_SIZE,
				(n - 1) * IDAW_SIZE);
		if (ret)
			return ret;
	}
	idal = idal_alloc(cp, n, &idal_pa);
	for (size_t i = 0; i < n; i++) {
		uint64_t a = ccw_get_be64(user + i * IDAW_SIZE), pa;

		if (i && a % IDAW_BLOCK)
			return -EINVAL;
		ret = pin(cp, a & ~(uint64_t)(PAGE_SIZE - 1), 1, prot, &pa);
		if (ret)
			return ret;
		ccw_put_be64(idal + i * IDAW_SIZE, pa + a % PAGE_SIZE);
	}
	c->cda = idal_pa;
	return 0;
}

static int find_guest(const struct ccw_cp *cp, uint32_t ga)
{
	for (unsigned i = 0; i < cp->nccw; i++)
		if (cp->guest[i] == ga)
			return (int)i;
	return -1;
}

static void emit(struct ccw_cp *cp, uint32_t ga, struct ccw1 c)
{
	ccw_encode(cp->block + cp->nccw * CCW_SIZE, c);
	cp->guest[cp->nccw++] = ga;
}

static uint32_t slot_pa(const struct ccw_cp *cp, unsigned i)
{
	return (uint32_t)(cp->block_pa + i * CCW_SIZE);
}

static int translate(struct ccw_cp *cp, uint32_t orb_w1, uint32_t ga)
{
	uint8_t cmd = 0;
	bool chained_data = false;

	for (;;) {
		uint8_t b[CCW_SIZE];
		struct ccw1 c;
		int seen, ret;

		if (cp->nccw == VFIO_CCW_MAX_CCWS)
			return -EINVAL;
		/* Flowing into a CCW already translated: go to its copy. */
		seen = find_guest(cp, ga);
		if (seen >= 0) {
			emit(cp, CP_NO_GUEST, (struct ccw1){ CCW_CMD_TIC, 0, 0,
						slot_pa(cp, (unsigned)seen) });
			return 0;
		}
		ret = read_user(cp, ga, b, sizeof(b));
		if (ret)
			return ret;
		c = ccw_decode(b);
		if (ccw_is_tic(c.cmd)) {
			if (c.cda % CCW_SIZE)
				return -EINVAL;
			seen = find_guest(cp, c.cda);
			/* A known target: point at its copy, and the chain
			 * ends here; a new one is translated next. */
			emit(cp, ga, (struct ccw1){ c.cmd, 0, 0,
				slot_pa(cp, seen >= 0 ? (unsigned)seen : cp->nccw + 1) });
			if (seen >= 0)
				return 0;
			ga = c.cda;
			continue;
		}
		if (c.flags & (CCW_FLAG_MIDA | CCW_FLAG_SUSPEND))
			return -EOPNOTSUPP;
		if (!chained_data)
			cmd = c.cmd;
		if (cmd != CCW_CMD_NOOP) {
			if (!c.count)
				return -EINVAL;
			if (c.flags & CCW_FLAG_IDA) {
				if (!(orb_w1 & ORB_W1_C64))
					return -EOPNOTSUPP;
				ret = translate_idal(cp, &c, data_prot(cmd));
			} else {
				ret = translate_direct(cp, &c, data_prot(cmd));
			}
			if (ret)
				return ret;
		} else {
			c.cda = 0;      /* never hand the channel a user address */
			c.flags &= (uint8_t)~CCW_FLAG_IDA;
		}
		emit(cp, ga, c);
		chained_data = c.flags & CCW_FLAG_CD;
		if (!(c.flags & (CCW_FLAG_CD | CCW_FLAG_CC)))
			return 0;
		ga += CCW_SIZE;
	}
}

void ccw_cp_free(struct ccw_cp *cp)
{
	for (size_t i = 0; i < cp->npins; i++)
		vfio_unpin_pages(cp->dev, cp->pins[i].iova, cp->pins[i].npage);
	heap_free(cp->pins);
	if (cp->block)
		page_free(cp->pool, cp->block, CP_BLOCK_ORDER);
	memset(cp, 0, sizeof(*cp));
}

int ccw_cp_translate(struct ccw_cp *cp, struct device *dev,
		     struct page_pool *pool, uint32_t orb_w1, uint32_t cpa,
		     unsigned flags, uint32_t *cpa_pa)
{
	int ret;

	memset(cp, 0, sizeof(*cp));
	cp->dev = dev;
	cp->pool = pool;
	cp->one_idaw_block = flags & CCW_CP_ONE_IDAW_BLOCK;
	if (!(orb_w1 & ORB_W1_FMT))
		return -EOPNOTSUPP;
	if (cpa % CCW_SIZE)
		return -EINVAL;
	cp->block = page_alloc(pool, CP_BLOCK_ORDER);
	if (!cp->block)
		return -ENOMEM;
	cp->block_pa = page_to_phys(pool, cp->block);
	if (cp->block_pa + CP_BLOCK_SIZE > CCW_ADDR_LIMIT) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = translate(cp, orb_w1, cpa);
	if (ret)
		goto fail;
	*cpa_pa = (uint32_t)cp->block_pa;
	return 0;
fail:
	ccw_cp_free(cp);
	return ret;
}

uint32_t ccw_cp_guest_cpa(const struct ccw_cp *cp, uint32_t cpa_pa)
{
	uint64_t off = (uint64_t)cpa_pa - cp->block_pa;
	unsigned i;

	if (cpa_pa < cp->block_pa || off % CCW_SIZE || !off ||
	    off / CCW_SIZE > cp->nccw)
		return 0;
	i = (unsigned)(off / CCW_SIZE) - 1;
	return cp->guest[i] == CP_NO_GUEST ? 0 : cp->guest[i] + CCW_SIZE;
}
