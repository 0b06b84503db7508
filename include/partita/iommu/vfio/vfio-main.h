/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VFIO device file, the "kernel" side: what an fd of
 * /dev/vfio/devices/vfioN (or one from VFIO_GROUP_GET_DEVICE_FD) answers.
 * The bus driver of a device says what regions and interrupts it has;
 * this file does the framing, argsz rules and errnos Linux's vfio core
 * does, and binds the device to an iommufd on the cdev path.
 */
#ifndef PARTITA_IOMMU_VFIO_VFIO_MAIN_H
#define PARTITA_IOMMU_VFIO_VFIO_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/linux/vfio.h>

#include <partita/iommu/iommu.h>

struct sys;
struct sys_file;

/*
 * The kernel side's VFIO device (Linux's struct vfio_device; the name
 * vfio_device is the user side's, QEMU's VFIODevice): a struct device
 * bound to a VFIO bus driver, with that driver's answers, how a mediated
 * device's driver reaches the user's DMA space while its file is bound,
 * and the interrupt triggers a user set. Each bus driver's object embeds
 * one; the device's driver_data points at it.
 */
struct vfio_core_device {
	struct device *dev;
	const struct vfio_device_ops *ops;
	void *priv;                       /* the bus driver's object */
	/* A mediated device while its file is bound: an iommufd access on
	 * an IOAS, or its group's type1 container. NULL otherwise. */
	const struct vfio_dma_access_ops *dma_access;
	void *dma_access_owner;
	/* Interrupt triggers a user set (VFIO_DEVICE_SET_IRQS), kept by the
	 * device file until it closes. */
	struct vfio_irq_trigger *triggers;
	/* Its group's file (/dev/vfio/<id>, type1) is open: the device is
	 * the group's, its cdev may not bind (Linux's -EBUSY). */
	bool group_open;
};

struct vfio_dma_access_ops;

/* Bind dev to a VFIO bus driver: vdev answers for it from now on. */
void vfio_core_device_init(struct vfio_core_device *vdev, struct device *dev,
			   const struct vfio_device_ops *ops, void *priv);
/* dev's VFIO device, or NULL when no VFIO bus driver has it. */
static inline struct vfio_core_device *vfio_core_device_of(struct device *dev)
{
	return dev ? dev->driver_data : NULL;
}
/* The bus driver's object of a bound device. */
static inline void *vfio_core_device_priv(struct device *dev)
{
	return vfio_core_device_of(dev)->priv;
}
/* For type1: the group's file was opened (open) or closed; marks every
 * VFIO device of the group. */
void vfio_core_group_set_open(struct iommu_group *group, bool open);
/* For the services: how a mediated device's driver reaches the user's
 * DMA space (NULL ops: it no longer can). */
void vfio_core_device_set_dma_access(struct device *dev,
				     const struct vfio_dma_access_ops *ops,
				     void *owner);

/* A bus driver's answers for one device. */
struct vfio_device_ops {
	uint32_t flags;               /* VFIO_DEVICE_FLAGS_PCI, _PLATFORM... */
	uint32_t num_regions;
	uint32_t num_irqs;
	/* Optional: the device's own number of interrupt indices (irqs) or
	 * regions, where the bus has no fixed layout (platform devices);
	 * num_regions and num_irqs are then unused. */
	uint32_t (*counts)(struct device *dev, bool irqs);
	/* info->index is set and below num_regions: fill flags, size and
	 * offset (and nothing else). */
	void (*region_info)(struct device *dev, struct vfio_region_info *info);
	void (*irq_info)(struct device *dev, struct vfio_irq_info *info);
	/* Optional: does the name VFIO_GROUP_GET_DEVICE_FD was given
	 * (buf, NUL-terminated) name this device? 1 yes, 0 no, -errno for
	 * a name that is the device's but asks for what it cannot give
	 * (vfio-pci's " vf_token=..." options). NULL: the name exactly. */
	int (*match)(struct device *dev, const char *buf);
	/* NULL: the device cannot be reset (VFIO_DEVICE_RESET is -EINVAL). */
	int (*reset)(struct device *dev);
	/* Optional: whether this device can be (VFIO_DEVICE_FLAGS_RESET),
	 * when the bus driver's reset depends on the device (a PCI function
	 * without FLR). NULL: whenever reset is set. */
	bool (*can_reset)(struct device *dev);
	/* Optional. Region index's bytes [off, off + len) (off within the
	 * region): the count done (short at the region's end) or -errno.
	 * Every Partita bus driver places region i at file offset i << 40,
	 * as Linux's vfio-pci, vfio-platform and vfio-ccw do; the device
	 * file splits the offset. */
	long (*rw)(struct device *dev, unsigned index, uint64_t off, void *buf,
		   size_t len, bool write);
	/* Optional. The host view and physical address of a mappable
	 * region's [off, off + len), or -EINVAL. */
	int (*mmap)(struct device *dev, unsigned index, uint64_t off,
		    uint64_t len, void **host, uint64_t *pa);
	/* Optional. VFIO_MIGRATION_* the device's state can be moved with;
	 * NULL or 0: no migration (VFIO_DEVICE_FEATURE_MIGRATION -ENOTTY).
	 * No Partita driver logs DMA itself, so DMA_LOGGING is -ENOTTY. */
	uint64_t (*migration_flags)(struct device *dev);
	/* Optional. VFIO_IRQ_SET_ACTION_MASK (mask) or _UNMASK (!mask) of
	 * index's sub-indices [start, start + count), already checked
	 * against the index's count; DATA_NONE, or DATA_BOOL with the bits
	 * already applied (only true entries reach here). -EINVAL for an
	 * index that is not maskable. NULL: MASK and UNMASK are -ENOTTY. */
	int (*irq_mask)(struct device *dev, unsigned index, unsigned sub,
			bool mask);
	/* Optional. The last file of the device is going (Linux's
	 * close_device): put the device back in a state the next user can
	 * trust (vfio-ap zeroizes its queues here). */
	void (*close)(struct device *dev);
};

#define VFIO_DEVICE_REGION_SHIFT 40

/*
 * DMA for mediated devices. A device without an IOMMU (an AP matrix, a
 * CCW subchannel) never reaches memory on its own: its driver translates
 * the user's IO addresses, pins what the hardware will touch and hands
 * the hardware physical addresses, or copies itself. Whoever the device
 * file is bound to provides the translation: an iommufd access attached
 * to an IOAS, or the type1 container of its group. Pins are short-lived
 * in Partita (taken and dropped within one request), so an unmap never
 * meets a pinned page.
 */
struct vfio_dma_access_ops {
	/* Physical address of each of npage pages from iova (page aligned)
	 * into pa[], pinned. Write access needs a writable mapping. */
	int (*pin)(void *owner, uint64_t iova, size_t npage, int prot,
		   uint64_t *pa);
	void (*unpin)(void *owner, uint64_t iova, size_t npage);
	/* Copy between buf and [iova, iova + len). */
	int (*rw)(void *owner, uint64_t iova, void *buf, size_t len,
		  bool write);
};

/* For bus drivers: raise the event file a user set as the trigger of
 * interrupt index (sub-index sub) with VFIO_DEVICE_SET_IRQS, if any.
 * Returns whether one was set. The device file handles SET_IRQS for
 * every bus driver (ACTION_TRIGGER with DATA_NONE, DATA_BOOL or
 * DATA_EVENTFD, checked as Linux's vfio_set_irqs_validate_and_prepare
 * against the index's irq_info count); MASK and UNMASK go to the bus
 * driver's irq_mask (-ENOTTY without one, and with DATA_EVENTFD: no
 * irqfd-style unmask in Partita). */
bool vfio_core_signal(struct device *dev, unsigned index, unsigned sub);

/* For bus drivers of mediated devices. -EINVAL while the device is not
 * bound to anything that translates (Linux's vfio_pin_pages), else the
 * translator's errno: -ENOENT (iommufd) or -EINVAL (type1) for an IOVA
 * nothing maps, -EPERM for a write to a read-only mapping, -EFAULT for
 * memory that is not RAM. All or nothing. prot: IOMMU_READ|IOMMU_WRITE. */
int vfio_pin_pages(struct device *dev, uint64_t iova, size_t npage, int prot,
		   uint64_t *pa);
void vfio_unpin_pages(struct device *dev, uint64_t iova, size_t npage);
int vfio_dma_rw(struct device *dev, uint64_t iova, void *buf, size_t len,
		bool write);

#define VFIO_CDEV_MAJOR 511

/* Publish dev as /dev/vfio/devices/vfio<index> and its sysfs entries
 * under /sys/bus/<bus>/devices/<name>: vfio-dev/vfio<index>/dev,
 * iommu_group and subsystem. On failure nothing is left. */
int vfio_register_device(struct sys *sys, struct device *dev, unsigned index,
			const char *bus);
/* Remove what vfio_register_device made (and anything added below its
 * sysfs directory). */
void vfio_unregister_device(struct sys *sys, struct device *dev, unsigned index,
			   const char *bus);

/* Publish a mediated device (its group emulated) under its parent
 * device's directory, as Linux does: <parent>/<name> with the entries
 * above, and /sys/bus/mdev/devices/<name> a link to it, so its
 * subsystem resolves to /sys/bus/mdev and the parent's name (a
 * subchannel's 0.0.0010) is the directory above its real path. parent
 * is under /sys/devices/. */
int vfio_mdev_publish(struct sys *sys, struct device *dev, unsigned index,
		      const char *parent);
/* Remove what vfio_mdev_publish made. */
void vfio_mdev_unpublish(struct sys *sys, struct device *dev, unsigned index,
			 const char *parent);

/* A device file for dev opened through its group (the type1 path):
 * usable at once, never bindable to an iommufd. released(opaque) runs
 * when the file goes, so the group knows its devices are closed.
 * ERR_PTR(-ENOMEM) when it cannot be made. */
struct sys_file *vfio_group_device_file(struct sys *sys,
					    struct device *dev,
					    void (*released)(void *opaque),
					    void *opaque);

#endif
