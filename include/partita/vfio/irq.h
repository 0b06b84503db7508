/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt notifiers for the fronts: an event file made the trigger of
 * one interrupt (index, vector 0) of a device; its handler runs when the
 * layer below signals it. Messages as QEMU's.
 */
#ifndef PARTITA_VFIO_IRQ_H
#define PARTITA_VFIO_IRQ_H

#include <partita/error.h>
#include <stdbool.h>

struct vfio_registry;
struct vfio_device;

struct vfio_irq_notifier {
	int fd;                 /* the event file; -1 when not registered */
	unsigned index;
};

/* VFIO_DEVICE_SET_IRQS with one eventfd (fd -1: tear down). */
bool vfio_set_irq_signaling(struct vfio_registry *reg, struct vfio_device *vdev,
			    unsigned index, unsigned sub, int fd, Error **errp);
/* On failure n->fd is -1 and nothing is left. */
bool vfio_register_irq_notifier(struct vfio_registry *reg,
				struct vfio_device *vdev,
				struct vfio_irq_notifier *n, unsigned index,
				void (*handler)(void *opaque), void *opaque,
				Error **errp);
/* A no-op when not registered; a failing tear-down is only a warning. */
void vfio_unregister_irq_notifier(struct vfio_registry *reg,
				  struct vfio_device *vdev,
				  struct vfio_irq_notifier *n);

/* VFIO_IRQ_SET_ACTION_UNMASK of interrupt index (QEMU's
 * vfio_unmask_single_irqindex, which does not report). */
bool vfio_unmask_single_irqindex(struct vfio_registry *reg,
				 struct vfio_device *vdev, unsigned index,
				 Error **errp);

#endif
