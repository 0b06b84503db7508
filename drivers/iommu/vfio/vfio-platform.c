// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-platform bus driver: a platform device's regions and interrupts. */
#include <partita/errno.h>
#include <partita/iommu/vfio/vfio-platform.h>
#include <partita/sys/namespace.h>
#include <stdio.h>
#include <string.h>

static struct platform_device *to_pd(struct device *dev)
{
	return vfio_core_device_priv(dev);
}

void vfio_platform_core_init(struct platform_device *pd)
{
	for (unsigned i = 0; i < pd->nirqs; i++)
		pd->irqs[i].masked = pd->irqs[i].pending = false;
	vfio_core_device_init(&pd->vdev, pd->dev, &vfio_platform_core_ops, pd);
}

static bool region_mappable(const struct platform_region *r)
{
	return r->host && !(r->pa & 0xfff) && !(r->size & 0xfff);
}

static void platform_region_info(struct device *dev,
				 struct vfio_region_info *info)
{
	const struct platform_region *r = &to_pd(dev)->regions[info->index];

	info->offset = (uint64_t)info->index << VFIO_PLATFORM_OFFSET_SHIFT;
	info->size = r->size;
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	if (region_mappable(r))
		info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
}

static void platform_irq_info(struct device *dev, struct vfio_irq_info *info)
{
	const struct platform_irq *irq = &to_pd(dev)->irqs[info->index];

	info->count = 1;
	info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE;
	if (irq->level)
		info->flags |= VFIO_IRQ_INFO_AUTOMASKED;
}

static void deliver(struct platform_device *pd, unsigned i)
{
	struct platform_irq *irq = &pd->irqs[i];

	/* A level interrupt stays asserted until the device is serviced:
	 * masking it here is what keeps it from firing again at once. */
	if (irq->level)
		irq->masked = true;
	if (vfio_core_signal(pd->dev, i, 0))
		pd->irqs_delivered++;
}

void vfio_platform_irq(struct platform_device *pd, unsigned i)
{
	if (i >= pd->nirqs)
		return;
	if (pd->irqs[i].masked) {
		pd->irqs[i].pending = true;
		return;
	}
	deliver(pd, i);
}

static int platform_irq_mask(struct device *dev, unsigned index, unsigned sub,
			     bool mask)
{
	struct platform_device *pd = to_pd(dev);
	struct platform_irq *irq = &pd->irqs[index];

	(void)sub;                  /* always 0: count is 1 */
	if (mask) {
		irq->masked = true;
		return 0;
	}
	irq->masked = false;
	if (irq->pending) {
		irq->pending = false;
		deliver(pd, index);
	}
	return 0;
}

static long platform_rw(struct device *dev, unsigned index, uint64_t off,
			void *buf, size_t len, bool write)
{
	struct platform_device *pd = to_pd(dev);
	const struct platform_region *r = &pd->regions[index];

	if (off >= r->size)
		return -EINVAL;
	if (len > r->size - off)
		len = (size_t)(r->size - off);
	if (r->host) {
		if (write)
			memcpy((uint8_t *)r->host + off, buf, len);
		else
			memcpy(buf, (uint8_t *)r->host + off, len);
		return (long)len;
	}
	if (!pd->bus_as ||
	    address_space_rw(pd->bus_as, r->pa + off, buf, len, write) != MEMTX_OK)
		return -EIO;
	return (long)len;
}

static int platform_mmap(struct device *dev, unsigned index, uint64_t off,
			 uint64_t len, void **host, uint64_t *pa)
{
	const struct platform_region *r = &to_pd(dev)->regions[index];

	if (!region_mappable(r) || off >= r->size || len > r->size - off)
		return -EINVAL;
	*host = (uint8_t *)r->host + off;
	*pa = r->pa + off;
	return 0;
}

/* The next user finds every interrupt unmasked and nothing pending. */
static void platform_close(struct device *dev)
{
	struct platform_device *pd = to_pd(dev);

	for (unsigned i = 0; i < pd->nirqs; i++)
		pd->irqs[i].masked = pd->irqs[i].pending = false;
}

static uint32_t num_of(struct device *dev, bool irqs)
{
	return irqs ? to_pd(dev)->nirqs : to_pd(dev)->nregions;
}

const struct vfio_device_ops vfio_platform_core_ops = {
	.flags = VFIO_DEVICE_FLAGS_PLATFORM,
	.counts = num_of,
	.region_info = platform_region_info,
	.irq_info = platform_irq_info,
	.rw = platform_rw,
	.mmap = platform_mmap,
	.irq_mask = platform_irq_mask,
	.close = platform_close,
};

int vfio_platform_publish(struct sys *sys, struct platform_device *pd,
			  unsigned index)
{
	char path[224], target[224];
	int ret;

	if (pd->of_path[0] != '/' || !pd->compatible_len)
		return -EINVAL;
	ret = vfio_register_device(sys, pd->dev, index, "platform");
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/firmware/devicetree/base%s/compatible",
		 pd->of_path);
	ret = sys_ns_add_file_bytes(sys, path, pd->compatible,
				    pd->compatible_len);
	if (!ret) {
		snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/of_node",
			 pd->dev->name);
		snprintf(target, sizeof(target),
			 "../../../../firmware/devicetree/base%s", pd->of_path);
		ret = sys_ns_add_link(sys, path, target);
	}
	if (ret) {
		snprintf(path, sizeof(path), "/sys/firmware/devicetree/base%s",
			 pd->of_path);
		sys_ns_remove(sys, path);
		vfio_unregister_device(sys, pd->dev, index, "platform");
	}
	return ret;
}
