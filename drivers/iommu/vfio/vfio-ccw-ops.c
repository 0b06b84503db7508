// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vfio-ccw bus driver: the I/O region and the start function. Only
 * the start function is offered through the I/O region (halt and clear
 * need Linux's async command region, which Partita does not provide:
 * -EOPNOTSUPP, and QEMU then emulates them).
 */
#include "vfio-ccw-cp.h"
#include <partita/errno.h>
#include <partita/log.h>
#include <string.h>

static struct ccw_subchannel *to_sch(struct device *dev)
{
	return vfio_core_device_priv(dev);
}

static void ccw_region_info(struct device *dev, struct vfio_region_info *info)
{
	(void)dev;
	info->offset = (uint64_t)info->index << VFIO_DEVICE_REGION_SHIFT;
	info->size = sizeof(struct ccw_io_region);
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
}

static void ccw_irq_info(struct device *dev, struct vfio_irq_info *info)
{
	(void)dev;
	/* IO, CRW and REQ: one each, signalled through an eventfd (Linux
	 * reports all three even without a CRW region). */
	info->count = 1;
	info->flags = VFIO_IRQ_INFO_EVENTFD;
}

/* The IRB of a finished start function: the SCSW with the status the
 * channel gave, the CCW address in the user's terms. */
static void make_irb(struct ccw_io_region *r, const struct ccw_status *st,
		     uint32_t user_cpa)
{
	uint32_t w0 = SCSW_FCTL_START | SCSW_STCTL_PRIMARY |
		      SCSW_STCTL_SECONDARY | SCSW_STCTL_PENDING;

	if (st->cstat)
		w0 |= SCSW_STCTL_ALERT;
	memset(r->irb_area, 0, sizeof(r->irb_area));
	ccw_put_be32(r->irb_area, w0);
	ccw_put_be32(r->irb_area + 4, user_cpa);
	ccw_put_be32(r->irb_area + 8, (uint32_t)st->dstat << 24 |
		     (uint32_t)st->cstat << 16 | st->count);
}

static int start_request(struct ccw_subchannel *sch)
{
	struct ccw_io_region *r = &sch->region;
	uint32_t scsw_w0 = ccw_get_be32(r->scsw_area);
	uint32_t orb_w1 = ccw_get_be32(r->orb_area + 4);
	uint32_t cpa = ccw_get_be32(r->orb_area + 8), cpa_pa;
	struct ccw_status st;
	struct ccw_cp cp;
	int ret;

	if (!(scsw_w0 & SCSW_FCTL_START))
		return -EOPNOTSUPP;
	ret = ccw_cp_translate(&cp, sch->dev, sch->pool, orb_w1, cpa,
			       sch->one_idaw_block ? CCW_CP_ONE_IDAW_BLOCK : 0,
			       &cpa_pa);
	if (ret == -ERANGE)
		pr_warn("vfio-ccw %s: the channel program at 0x%x is refused: "
			"a transfer spans more than one 4 KiB IDAW block, which "
			"this channel subsystem (QEMU) would corrupt",
			sch->dev->name, cpa);
	if (ret) {
		pr_debug("vfio-ccw %s: channel program at 0x%x refused (%d)",
			  sch->dev->name, cpa, ret);
		return ret;
	}
	ret = sch->start(sch, cpa_pa, &st);
	if (!ret) {
		sch->requests++;
		make_irb(r, &st, ccw_cp_guest_cpa(&cp, st.cpa));
	}
	ccw_cp_free(&cp);
	return ret;
}

static long ccw_rw(struct device *dev, unsigned index, uint64_t off, void *buf,
		   size_t len, bool write)
{
	struct ccw_subchannel *sch = to_sch(dev);
	uint8_t *region = (uint8_t *)&sch->region;

	(void)index;
	if (off > sizeof(sch->region) || len > sizeof(sch->region) - off)
		return -EINVAL;
	if (!write) {
		memcpy(buf, region + off, len);
		return (long)len;
	}
	memcpy(region + off, buf, len);
	sch->region.ret_code = (uint32_t)start_request(sch);
	if (sch->region.ret_code)
		return (int32_t)sch->region.ret_code;
	/* The channel is done: the I/O interruption, the IRB in place. */
	vfio_core_signal(dev, VFIO_CCW_IO_IRQ_INDEX, 0);
	return (long)len;
}

bool vfio_ccw_request(struct ccw_subchannel *sch)
{
	return vfio_core_signal(sch->dev, VFIO_CCW_REQ_IRQ_INDEX, 0);
}

static int ccw_reset(struct device *dev)
{
	memset(&to_sch(dev)->region, 0, sizeof(to_sch(dev)->region));
	return 0;
}

const struct vfio_device_ops vfio_ccw_ops = {
	.flags = VFIO_DEVICE_FLAGS_CCW,
	.num_regions = VFIO_CCW_NUM_REGIONS,
	.num_irqs = VFIO_CCW_NUM_IRQS,
	.region_info = ccw_region_info,
	.irq_info = ccw_irq_info,
	.reset = ccw_reset,
	.rw = ccw_rw,
};

void vfio_ccw_core_init(struct ccw_subchannel *sch)
{
	memset(&sch->region, 0, sizeof(sch->region));
	sch->requests = 0;
	vfio_core_device_init(&sch->vdev, sch->dev, &vfio_ccw_ops, sch);
}
