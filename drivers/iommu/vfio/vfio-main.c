// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VFIO device file. On the cdev path every request but BIND fails
 * with -EINVAL until the device is bound to an iommufd; closing the file
 * unbinds it (and its DMA is blocked again).
 */
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/iommufd.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <stdio.h>
#include <string.h>

struct vfio_df {
	struct device *dev;
	bool via_group;
	bool access_granted;
	struct iommufd_device *idev;
	struct iommufd_access *acc;   /* a mediated device's binding */
	struct sys_file *iommufd;     /* held while bound */
	void (*released)(void *opaque);
	void *opaque;
};

#define OFFSETOFEND(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))

/* A bus driver's counts: fixed for the bus, or the device's own. */
static uint32_t vfio_num_regions(struct device *dev)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(dev)->ops;

	return ops->counts ? ops->counts(dev, false) : ops->num_regions;
}

static uint32_t vfio_num_irqs(struct device *dev)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(dev)->ops;

	return ops->counts ? ops->counts(dev, true) : ops->num_irqs;
}

static long df_bind(struct vfio_df *df, struct sys *sys, void *arg)
{
	struct vfio_device_bind_iommufd bind;
	const size_t minsz = OFFSETOFEND(struct vfio_device_bind_iommufd,
					 out_devid);
	struct iommufd_ctx *ictx;
	struct sys_file *file;
	uint32_t devid;
	int err = 0;

	memcpy(&bind, arg, minsz);
	if (bind.argsz < minsz || bind.flags || bind.iommufd < 0)
		return -EINVAL;
	if (df->via_group)
		return -EINVAL;
	/* The group is in use through /dev/vfio/<id>. */
	if (vfio_core_device_of(df->dev)->group_open)
		return -EBUSY;
	if (df->access_granted)
		return -EINVAL;
	file = sys_fget(sys, bind.iommufd);
	if (!file)
		return -EBADF;
	ictx = iommufd_ctx_from_file(file);
	if (!ictx) {
		sys_file_put(file);
		return -EBADFD;
	}
	/* Only the group path may open a device twice. */
	if (df->dev->owner == DEVICE_OWNER_USER) {
		sys_file_put(file);
		return -EINVAL;
	}
	/* A mediated device binds as an access (Linux's emulated bind). */
	if (df->dev->group && df->dev->group->emulated) {
		struct iommufd_access *acc = iommufd_access_bind(ictx, df->dev,
								 &devid);

		err = IS_ERR(acc) ? (int)PTR_ERR(acc) : 0;
		df->acc = err ? NULL : acc;
	} else {
		struct iommufd_device *idev = iommufd_device_bind(ictx, df->dev,
								  &devid);

		err = IS_ERR(idev) ? (int)PTR_ERR(idev) : 0;
		df->idev = err ? NULL : idev;
	}
	if (err) {
		sys_file_put(file);
		return err;
	}
	df->iommufd = file;
	df->access_granted = true;
	memcpy((uint8_t *)arg + offsetof(struct vfio_device_bind_iommufd,
					 out_devid), &devid, sizeof(devid));
	return 0;
}

static long df_attach(struct vfio_df *df, void *arg)
{
	struct vfio_device_attach_iommufd_pt at;
	const size_t minsz = OFFSETOFEND(struct vfio_device_attach_iommufd_pt,
					 pt_id);
	int ret;

	memcpy(&at, arg, minsz);
	if (at.argsz < minsz || at.flags)
		return -EINVAL;
	if (df->acc)
		return iommufd_access_attach(df->acc, at.pt_id);
	if (!df->idev)
		return -EINVAL;
	ret = iommufd_device_attach(df->idev, &at.pt_id);
	if (ret)
		return ret;
	memcpy((uint8_t *)arg + offsetof(struct vfio_device_attach_iommufd_pt,
					 pt_id), &at.pt_id, sizeof(at.pt_id));
	return 0;
}

static long df_detach(struct vfio_df *df, void *arg)
{
	struct vfio_device_detach_iommufd_pt dt;
	const size_t minsz = OFFSETOFEND(struct vfio_device_detach_iommufd_pt,
					 flags);

	memcpy(&dt, arg, minsz);
	if (dt.argsz < minsz || dt.flags)
		return -EINVAL;
	if (df->acc)
		iommufd_access_detach(df->acc);
	else if (df->idev)
		iommufd_device_detach(df->idev);
	else
		return -EINVAL;
	return 0;
}

static long df_get_info(struct vfio_df *df, void *arg)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	const size_t minsz = OFFSETOFEND(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	memcpy(&info, arg, minsz);
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = ops->flags |
		     (ops->reset && (!ops->can_reset || ops->can_reset(df->dev)) ?
		      VFIO_DEVICE_FLAGS_RESET : 0);
	info.num_regions = vfio_num_regions(df->dev);
	info.num_irqs = vfio_num_irqs(df->dev);
	memcpy(arg, &info, minsz);
	/* No capability chain: cap_offset 0 when the caller has room. */
	if (info.argsz >= OFFSETOFEND(struct vfio_device_info, cap_offset))
		memset((uint8_t *)arg + offsetof(struct vfio_device_info,
						 cap_offset), 0, sizeof(uint32_t));
	return 0;
}

static long df_region_info(struct vfio_df *df, void *arg)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	const size_t minsz = OFFSETOFEND(struct vfio_region_info, offset);
	struct vfio_region_info info;

	memcpy(&info, arg, minsz);
	if (info.argsz < minsz || info.index >= vfio_num_regions(df->dev))
		return -EINVAL;
	info.flags = 0;
	info.cap_offset = 0;
	info.size = 0;
	info.offset = 0;
	ops->region_info(df->dev, &info);
	memcpy(arg, &info, minsz);
	return 0;
}

static long df_irq_info(struct vfio_df *df, void *arg)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	const size_t minsz = OFFSETOFEND(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	memcpy(&info, arg, minsz);
	if (info.argsz < minsz || info.index >= vfio_num_irqs(df->dev))
		return -EINVAL;
	info.flags = 0;
	info.count = 0;
	ops->irq_info(df->dev, &info);
	memcpy(arg, &info, minsz);
	return 0;
}

/* ---- interrupt triggers --------------------------------------------- */

struct vfio_irq_trigger {
	unsigned index, sub;
	struct sys_file *file;
	struct vfio_irq_trigger *next;
};

static struct vfio_irq_trigger **trigger_link(struct device *dev,
					      unsigned index, unsigned sub)
{
	struct vfio_irq_trigger **t = &vfio_core_device_of(dev)->triggers;

	while (*t && ((*t)->index != index || (*t)->sub != sub))
		t = &(*t)->next;
	return t;
}

bool vfio_core_signal(struct device *dev, unsigned index, unsigned sub)
{
	struct vfio_irq_trigger *t = *trigger_link(dev, index, sub);

	if (!t)
		return false;
	sys_eventfd_signal(t->file);
	return true;
}

static void trigger_clear(struct device *dev, unsigned index, unsigned sub)
{
	struct vfio_irq_trigger **link = trigger_link(dev, index, sub), *t = *link;

	if (t) {
		*link = t->next;
		sys_file_put(t->file);
		heap_free(t);
	}
}

static void triggers_clear_all(struct device *dev)
{
	struct vfio_core_device *vdev = vfio_core_device_of(dev);

	while (vdev->triggers)
		trigger_clear(dev, vdev->triggers->index, vdev->triggers->sub);
}

/* Set (file) or clear (NULL) one trigger; takes the file reference. */
static int trigger_set(struct device *dev, unsigned index, unsigned sub,
		       struct sys_file *file)
{
	struct vfio_core_device *vdev = vfio_core_device_of(dev);
	struct vfio_irq_trigger *t;

	trigger_clear(dev, index, sub);
	if (!file)
		return 0;
	t = heap_zalloc(sizeof(*t));
	if (!t) {
		sys_file_put(file);
		return -ENOMEM;
	}
	*t = (struct vfio_irq_trigger){ index, sub, file, vdev->triggers };
	vdev->triggers = t;
	return 0;
}

/* MASK or UNMASK: every sub-index (DATA_NONE) or the true ones (BOOL). */
static long set_irqs_mask(struct device *dev, const struct vfio_irq_set *hdr,
			  const uint8_t *bools)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(dev)->ops;
	bool mask = hdr->flags & VFIO_IRQ_SET_ACTION_MASK;

	for (uint32_t i = 0; i < hdr->count; i++) {
		int ret;

		if (bools && !bools[i])
			continue;
		ret = ops->irq_mask(dev, hdr->index, hdr->start + i, mask);
		if (ret)
			return ret;
	}
	return 0;
}

static long df_set_irqs(struct vfio_df *df, struct sys *sys, void *arg)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	const size_t minsz = OFFSETOFEND(struct vfio_irq_set, count);
	const uint32_t known = VFIO_IRQ_SET_DATA_TYPE_MASK |
			       VFIO_IRQ_SET_ACTION_TYPE_MASK;
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	const uint8_t *data = (const uint8_t *)arg + minsz;
	struct vfio_irq_set hdr;
	size_t size;

	memcpy(&hdr, arg, minsz);
	if (hdr.argsz < minsz || hdr.index >= vfio_num_irqs(df->dev) ||
	    hdr.count >= UINT32_MAX - hdr.start || hdr.flags & ~known)
		return -EINVAL;
	info.index = hdr.index;
	ops->irq_info(df->dev, &info);
	if (hdr.start >= info.count || hdr.start + hdr.count > info.count)
		return -EINVAL;
	switch (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE: size = 0; break;
	case VFIO_IRQ_SET_DATA_BOOL: size = 1; break;
	case VFIO_IRQ_SET_DATA_EVENTFD: size = sizeof(int32_t); break;
	default: return -EINVAL;
	}
	if (size && hdr.argsz - minsz < (uint64_t)hdr.count * size)
		return -EINVAL;
	switch (hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		break;
	case VFIO_IRQ_SET_ACTION_MASK:
	case VFIO_IRQ_SET_ACTION_UNMASK:
		if (!ops->irq_mask || size == sizeof(int32_t))
			return -ENOTTY;
		return set_irqs_mask(df->dev, &hdr, size ? data : NULL);
	default:
		return -ENOTTY;
	}
	/* Check every eventfd before changing anything. */
	for (uint32_t i = 0; size == sizeof(int32_t) && i < hdr.count; i++) {
		int32_t fd;
		struct sys_file *f;

		memcpy(&fd, data + i * size, sizeof(fd));
		if (fd == -1)
			continue;
		f = sys_fget(sys, fd);
		if (!f)
			return -EBADF;
		if (!sys_file_is_eventfd(f)) {
			sys_file_put(f);
			return -EINVAL;
		}
		sys_file_put(f);
	}
	for (uint32_t i = 0; i < hdr.count; i++) {
		unsigned sub = hdr.start + i;
		int32_t fd;
		int ret;

		switch (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
		case VFIO_IRQ_SET_DATA_NONE:
			vfio_core_signal(df->dev, hdr.index, sub);
			break;
		case VFIO_IRQ_SET_DATA_BOOL:
			if (data[i])
				vfio_core_signal(df->dev, hdr.index, sub);
			break;
		default:
			memcpy(&fd, data + i * size, sizeof(fd));
			ret = trigger_set(df->dev, hdr.index, sub,
					  fd == -1 ? NULL : sys_fget(sys, fd));
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Linux's vfio_check_feature: 1 to go on, 0 for a probe, or -EINVAL. */
static int check_feature(uint32_t flags, size_t argsz, uint32_t supported,
			 size_t minsz)
{
	const uint32_t getset = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;

	if (flags & getset & ~supported)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	if (!(flags & getset) || argsz < minsz)
		return -EINVAL;
	return 1;
}

static long df_feature(struct vfio_df *df, void *arg)
{
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	const uint32_t known = VFIO_DEVICE_FEATURE_MASK | VFIO_DEVICE_FEATURE_GET |
			       VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;
	struct vfio_device_feature f;
	struct vfio_device_feature_migration mig;
	uint64_t mflags;
	int ret;

	memcpy(&f, arg, sizeof(f));
	if (f.argsz < sizeof(f) || f.flags & ~known)
		return -EINVAL;
	/* GET and SET together only make sense with PROBE. */
	if (!(f.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (f.flags & VFIO_DEVICE_FEATURE_SET) &&
	    (f.flags & VFIO_DEVICE_FEATURE_GET))
		return -EINVAL;
	switch (f.flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
		mflags = ops->migration_flags ? ops->migration_flags(df->dev) : 0;
		if (!mflags)
			return -ENOTTY;
		ret = check_feature(f.flags, f.argsz - sizeof(f),
				    VFIO_DEVICE_FEATURE_GET, sizeof(mig));
		if (ret != 1)
			return ret;
		mig.flags = mflags;
		memcpy((uint8_t *)arg + sizeof(f), &mig, sizeof(mig));
		return 0;
	default:
		/* DMA logging and the rest: no Partita driver has them. */
		return -ENOTTY;
	}
}

static long df_ioctl(struct sys_file *file, unsigned long request, void *arg)
{
	struct vfio_df *df = file->priv;
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;

	/* Without iommufd there is no cdev and no binding (as Linux). */
	if (request == VFIO_DEVICE_BIND_IOMMUFD)
		return !IS_ENABLED(CONFIG_IOMMUFD) ? -ENOTTY :
		       arg ? df_bind(df, file->sys, arg) : -EFAULT;
	/* Nothing but BIND before access is granted. */
	if (!df->access_granted)
		return -EINVAL;
	if (request == VFIO_DEVICE_RESET)
		return ops->reset ? ops->reset(df->dev) : -EINVAL;
	if (!arg)
		return -EFAULT;
	switch (request) {
	case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
		return IS_ENABLED(CONFIG_IOMMUFD) ? df_attach(df, arg) : -ENOTTY;
	case VFIO_DEVICE_DETACH_IOMMUFD_PT:
		return IS_ENABLED(CONFIG_IOMMUFD) ? df_detach(df, arg) : -ENOTTY;
	case VFIO_DEVICE_GET_INFO:
		return df_get_info(df, arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return df_region_info(df, arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return df_irq_info(df, arg);
	case VFIO_DEVICE_FEATURE:
		return df_feature(df, arg);
	case VFIO_DEVICE_SET_IRQS:
		return df_set_irqs(df, file->sys, arg);
	default:
		return -ENOTTY;
	}
}

/* Region access: only once access is granted (bound, or opened through
 * a group), and only where the bus driver offers it. */
static long df_rw(struct sys_file *file, void *buf, size_t len, uint64_t off,
		  bool write)
{
	struct vfio_df *df = file->priv;
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	uint64_t index = off >> VFIO_DEVICE_REGION_SHIFT;

	if (!df->access_granted || !ops->rw)
		return -EINVAL;
	if (index >= vfio_num_regions(df->dev))
		return -EINVAL;
	return ops->rw(df->dev, (unsigned)index,
		       off & ((1ULL << VFIO_DEVICE_REGION_SHIFT) - 1), buf, len,
		       write);
}

static long df_pread(struct sys_file *file, void *buf, size_t len,
		     uint64_t off)
{
	return df_rw(file, buf, len, off, false);
}

static long df_pwrite(struct sys_file *file, const void *buf, size_t len,
		      uint64_t off)
{
	return df_rw(file, (void *)buf, len, off, true);
}

static int df_mmap(struct sys_file *file, uint64_t off, uint64_t len,
		   void **host, uint64_t *pa)
{
	struct vfio_df *df = file->priv;
	const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;
	uint64_t index = off >> VFIO_DEVICE_REGION_SHIFT;

	if (!df->access_granted || !ops->mmap || index >= vfio_num_regions(df->dev))
		return -EINVAL;
	return ops->mmap(df->dev, (unsigned)index,
			 off & ((1ULL << VFIO_DEVICE_REGION_SHIFT) - 1), len,
			 host, pa);
}

static void df_release(struct sys_file *file)
{
	struct vfio_df *df = file->priv;

	if (df->access_granted) {
		const struct vfio_device_ops *ops = vfio_core_device_of(df->dev)->ops;

		triggers_clear_all(df->dev);
		if (ops->close)
			ops->close(df->dev);
	}
	if (IS_ENABLED(CONFIG_IOMMUFD) && (df->idev || df->acc)) {
		if (df->acc)
			iommufd_access_unbind(df->acc);
		else
			iommufd_device_unbind(df->idev);
		sys_file_put(df->iommufd);
	}
	if (df->released)
		df->released(df->opaque);
	heap_free(df);
}

/* ---- DMA for mediated devices ---------------------------------------- */

int vfio_pin_pages(struct device *dev, uint64_t iova, size_t npage, int prot,
		   uint64_t *pa)
{
	struct vfio_core_device *vdev = vfio_core_device_of(dev);

	if (!vdev->dma_access)
		return -EINVAL;
	return vdev->dma_access->pin(vdev->dma_access_owner, iova, npage, prot, pa);
}

void vfio_unpin_pages(struct device *dev, uint64_t iova, size_t npage)
{
	struct vfio_core_device *vdev = vfio_core_device_of(dev);

	if (vdev->dma_access)
		vdev->dma_access->unpin(vdev->dma_access_owner, iova, npage);
}

void vfio_core_device_init(struct vfio_core_device *vdev, struct device *dev,
			   const struct vfio_device_ops *ops, void *priv)
{
	*vdev = (struct vfio_core_device){ .dev = dev, .ops = ops, .priv = priv };
	dev->driver_data = vdev;
}

void vfio_core_group_set_open(struct iommu_group *group, bool open)
{
	for (size_t i = 0; i < group->ndevices; i++) {
		struct vfio_core_device *vdev =
			vfio_core_device_of(group->devices[i]);

		if (vdev)
			vdev->group_open = open;
	}
}

void vfio_core_device_set_dma_access(struct device *dev,
				     const struct vfio_dma_access_ops *ops,
				     void *owner)
{
	struct vfio_core_device *vdev = vfio_core_device_of(dev);

	vdev->dma_access = ops;
	vdev->dma_access_owner = ops ? owner : NULL;
}

int vfio_dma_rw(struct device *dev, uint64_t iova, void *buf, size_t len,
		bool write)
{
	struct vfio_core_device *vdev = vfio_core_device_of(dev);

	if (!vdev->dma_access)
		return -EINVAL;
	return vdev->dma_access->rw(vdev->dma_access_owner, iova, buf, len, write);
}

static const struct sys_file_ops vfio_df_fops = {
	.ioctl = df_ioctl,
	.release = df_release,
	.pread = df_pread,
	.pwrite = df_pwrite,
	.mmap = df_mmap,
};

static struct sys_file *df_new(struct sys *sys, struct device *dev,
			       bool via_group)
{
	struct vfio_df *df = heap_zalloc(sizeof(*df));
	struct sys_file *f;

	if (!df)
		return ERR_PTR(-ENOMEM);
	df->dev = dev;
	df->via_group = via_group;
	df->access_granted = via_group;
	f = sys_file_alloc(sys, &vfio_df_fops, df);
	if (!f) {
		heap_free(df);
		return ERR_PTR(-ENOMEM);
	}
	return f;
}

struct sys_file *vfio_group_device_file(struct sys *sys,
					    struct device *dev,
					    void (*released)(void *opaque),
					    void *opaque)
{
	struct sys_file *f = df_new(sys, dev, true);

	if (!IS_ERR(f)) {
		struct vfio_df *df = f->priv;

		df->released = released;
		df->opaque = opaque;
	}
	return f;
}

static int cdev_open(struct sys *sys, void *opaque, struct sys_file **out)
{
	struct sys_file *f = df_new(sys, opaque, false);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	*out = f;
	return 0;
}

/* The "../" that lead from directory dir (absolute, under /sys) back to
 * /sys, so links inside it are relative as sysfs makes them. */
static void up_to_sys(const char *dir, char *out, size_t len)
{
	size_t n = 0;

	out[0] = 0;
	for (const char *p = dir + strlen("/sys"); *p; p++)
		if (*p == '/' && n + 3 < len) {
			memcpy(out + n, "../", 4);
			n += 3;
		}
}

/* Undo publish(), whatever part of it was done. */
static void unpublish(struct sys *sys, struct device *dev, unsigned index,
		      const char *devdir, const char *bus)
{
	char path[192];

	snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%u", index);
	sys_ns_remove(sys, path);
	sys_ns_remove(sys, devdir);
	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s", bus, dev->name);
	if (strcmp(path, devdir))
		sys_ns_remove(sys, path);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices/%s",
		 dev->group->id, dev->name);
	sys_ns_remove(sys, path);
}

/* Publish dev with its attribute directory at devdir (under /sys) and
 * /sys/bus/<bus>/devices/<name> naming it (the directory itself, or a
 * link to it when devdir is elsewhere). */
static int publish(struct sys *sys, struct device *dev, unsigned index,
		   const char *devdir, const char *bus)
{
	char path[192], text[192], up[64], busdir[160];
	int ret = 0;

	if (!vfio_core_device_of(dev) || !dev->group)
		return -EINVAL;
	up_to_sys(devdir, up, sizeof(up));
	snprintf(busdir, sizeof(busdir), "/sys/bus/%s/devices/%s", bus, dev->name);
	/* The cdev exists only with iommufd (Linux: VFIO_DEVICE_CDEV). */
	if (IS_ENABLED(CONFIG_IOMMUFD)) {
		snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%u", index);
		ret = sys_ns_add_chardev(sys, path, VFIO_CDEV_MAJOR, index,
					 cdev_open, dev);
		if (ret)
			return ret;
		snprintf(path, sizeof(path), "%s/vfio-dev/vfio%u/dev", devdir, index);
		snprintf(text, sizeof(text), "%u:%u\n", VFIO_CDEV_MAJOR, index);
		ret = sys_ns_add_file(sys, path, text);
	}
	if (!ret) {
		snprintf(path, sizeof(path), "%s/iommu_group", devdir);
		snprintf(text, sizeof(text), "%skernel/iommu_groups/%d", up,
			 dev->group->id);
		ret = sys_ns_add_link(sys, path, text);
	}
	if (!ret) {
		snprintf(path, sizeof(path), "%s/subsystem", devdir);
		snprintf(text, sizeof(text), "%sbus/%s", up, bus);
		ret = sys_ns_add_link(sys, path, text);
	}
	if (!ret && strcmp(devdir, busdir)) {
		snprintf(text, sizeof(text), "../../../%s", devdir + strlen("/sys/"));
		ret = sys_ns_add_link(sys, busdir, text);
	}
	if (!ret) {
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices/%s",
			 dev->group->id, dev->name);
		snprintf(text, sizeof(text), "../../../../bus/%s/devices/%s", bus,
			 dev->name);
		ret = sys_ns_add_link(sys, path, text);
	}
	if (ret)
		unpublish(sys, dev, index, devdir, bus);
	return ret;
}

int vfio_register_device(struct sys *sys, struct device *dev, unsigned index,
			const char *bus)
{
	char devdir[160];

	snprintf(devdir, sizeof(devdir), "/sys/bus/%s/devices/%s", bus, dev->name);
	return publish(sys, dev, index, devdir, bus);
}

void vfio_unregister_device(struct sys *sys, struct device *dev, unsigned index,
			   const char *bus)
{
	char devdir[160];

	snprintf(devdir, sizeof(devdir), "/sys/bus/%s/devices/%s", bus, dev->name);
	unpublish(sys, dev, index, devdir, bus);
}

void vfio_mdev_unpublish(struct sys *sys, struct device *dev, unsigned index,
			 const char *parent)
{
	char devdir[160];

	snprintf(devdir, sizeof(devdir), "%s/%s", parent, dev->name);
	unpublish(sys, dev, index, devdir, "mdev");
}

int vfio_mdev_publish(struct sys *sys, struct device *dev, unsigned index,
		      const char *parent)
{
	char devdir[160];

	if (!dev->group || !dev->group->emulated ||
	    strncmp(parent, "/sys/devices/", strlen("/sys/devices/")))
		return -EINVAL;
	snprintf(devdir, sizeof(devdir), "%s/%s", parent, dev->name);
	return publish(sys, dev, index, devdir, "mdev");
}
