// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interrupt notifiers of the fronts (QEMU's vfio_set_irq_signaling and
 * the ap/ccw register_irq_notifier): an event file whose handler is the
 * front's, made the trigger of one interrupt of the device.
 */
#include <partita/errno.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd.h>
#include <partita/vfio/device.h>
#include <partita/vfio/irq.h>
#include <partita/vfio/registry.h>
#include <string.h>

bool vfio_set_irq_signaling(struct vfio_registry *reg, struct vfio_device *vdev,
			    unsigned index, unsigned sub, int fd, Error **errp)
{
	/* The header and one fd after it, as the ioctl wants them. */
	_Alignas(struct vfio_irq_set) uint8_t buf[sizeof(struct vfio_irq_set) +
						  sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int32_t efd = fd;
	long ret;

	*set = (struct vfio_irq_set){
		.argsz = sizeof(buf), .index = index, .start = sub, .count = 1,
		.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
	};
	memcpy(set->data, &efd, sizeof(efd));
	ret = sys_ioctl(reg->sys, vdev->fd, VFIO_DEVICE_SET_IRQS, buf);

	if (!ret)
		return true;
	error_setg_errno(errp, (int)-ret, "VFIO_DEVICE_SET_IRQS failure");
	error_prepend(errp, "%s-%u: Failed to %s TRIGGER eventfd signaling for "
		      "interrupt ", vdev->name, sub, fd < 0 ? "tear down" : "set up");
	return false;
}

bool vfio_register_irq_notifier(struct vfio_registry *reg,
				struct vfio_device *vdev,
				struct vfio_irq_notifier *n, unsigned index,
				void (*handler)(void *opaque), void *opaque,
				Error **errp)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };
	long ret;

	n->fd = -1;
	if (vdev->info.num_irqs < index + 1) {
		error_setg(errp, "vfio: IRQ %u not available (number of irqs %u)",
			   index, vdev->info.num_irqs);
		return false;
	}
	ret = sys_ioctl(reg->sys, vdev->fd, VFIO_DEVICE_GET_IRQ_INFO, &info);
	if (ret || info.count < 1) {
		error_setg_errno(errp, ret ? (int)-ret : EINVAL,
				 "vfio: Error getting irq info");
		return false;
	}
	n->fd = sys_eventfd(reg->sys, handler, opaque);
	if (n->fd < 0) {
		error_setg_errno(errp, -n->fd, "vfio: Unable to init event "
				 "notifier for irq (%u)", index);
		n->fd = -1;
		return false;
	}
	if (!vfio_set_irq_signaling(reg, vdev, index, 0, n->fd, errp)) {
		sys_close(reg->sys, n->fd);
		n->fd = -1;
		return false;
	}
	n->index = index;
	return true;
}

void vfio_unregister_irq_notifier(struct vfio_registry *reg,
				  struct vfio_device *vdev,
				  struct vfio_irq_notifier *n)
{
	Error *err = NULL;

	if (n->fd < 0)
		return;
	if (!vfio_set_irq_signaling(reg, vdev, n->index, 0, -1, &err))
		warn_report_err(err);
	sys_close(reg->sys, n->fd);
	n->fd = -1;
}

bool vfio_unmask_single_irqindex(struct vfio_registry *reg,
				 struct vfio_device *vdev, unsigned index,
				 Error **errp)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set), .index = index, .start = 0, .count = 1,
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
	};
	long ret = sys_ioctl(reg->sys, vdev->fd, VFIO_DEVICE_SET_IRQS, &set);

	if (!ret)
		return true;
	error_setg_errno(errp, (int)-ret, "%s: failed to unmask interrupt %u",
			 vdev->name, index);
	return false;
}
