// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A vfio-pci function's INTx (include/partita/vfio/pci.h): QEMU's
 * vfio_intx_enable, vfio_intx_interrupt, vfio_intx_eoi and
 * vfio_intx_disable, the path without KVM's irqfd. The device masks its
 * line each time it fires; the partition's end of the interrupt is what
 * unmasks it, so a level-triggered line cannot storm the CPU it is
 * routed to while the partition's handler runs.
 */
#include <partita/log.h>
#include <partita/sys/eventfd.h>
#include <partita/vfio/pci.h>
#include <partita/vfio/registry.h>

static void intx_interrupt(void *opaque)
{
	struct vfio_pci_device *vpci = opaque;
	struct vfio_pci_intx *x = &vpci->intx_line;

	sys_eventfd_read(vpci->reg->sys, x->notifier.fd);
	x->count++;
	x->asserted = true;
	x->set_level(x->opaque, true);
}

bool vfio_pci_intx_enable(struct vfio_pci_device *vpci,
			  void (*set_level)(void *opaque, bool level),
			  void *opaque, Error **errp)
{
	struct vfio_pci_intx *x = &vpci->intx_line;

	if (!vpci->realized || !vpci->intx) {
		error_setg(errp, "vfio %s: no INTx to enable", vpci->vbase.name);
		return false;
	}
	vfio_pci_intx_disable(vpci);
	*x = (struct vfio_pci_intx){ .notifier.fd = -1, .set_level = set_level,
				     .opaque = opaque };
	if (!vfio_register_irq_notifier(vpci->reg, &vpci->vbase, &x->notifier,
					VFIO_PCI_INTX_IRQ_INDEX, intx_interrupt,
					vpci, errp)) {
		error_prepend(errp, "vfio %s: ", vpci->vbase.name);
		x->set_level = NULL;
		return false;
	}
	return true;
}

void vfio_pci_intx_eoi(struct vfio_pci_device *vpci)
{
	struct vfio_pci_intx *x = &vpci->intx_line;
	Error *err = NULL;

	if (!x->asserted)
		return;
	x->asserted = false;
	x->set_level(x->opaque, false);
	if (!vfio_unmask_single_irqindex(vpci->reg, &vpci->vbase,
					 VFIO_PCI_INTX_IRQ_INDEX, &err))
		warn_report_err(err);
}

void vfio_pci_intx_disable(struct vfio_pci_device *vpci)
{
	struct vfio_pci_intx *x = &vpci->intx_line;

	if (!x->set_level)
		return;
	vfio_unregister_irq_notifier(vpci->reg, &vpci->vbase, &x->notifier);
	if (x->asserted)
		x->set_level(x->opaque, false);
	x->asserted = false;
	x->set_level = NULL;
}
