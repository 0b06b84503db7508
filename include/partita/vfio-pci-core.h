/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-pci bus driver, the "kernel" side (Linux's vfio_pci_core):
 * what a PCI function's VFIO device file answers. Region i sits at offset
 * i << 40 of the file (VFIO_PCI_OFFSET_SHIFT); BARs are read and written
 * through the bus, memory BARs with a host view can be mapped; config
 * space is read as the function has it, except that the BAR registers are
 * virtual (sizing works, the hardware is never reprogrammed) and only the
 * command register's memory and bus-master bits may be written. Interrupt
 * counts come from the function's capabilities, as Linux derives them.
 */
#ifndef PARTITA_VFIO_PCI_CORE_H
#define PARTITA_VFIO_PCI_CORE_H

#include <partita/pci.h>
#include <partita/vfio-device.h>

#define VFIO_PCI_OFFSET_SHIFT 40

extern const struct vfio_device_ops vfio_pci_core_ops;

/* Make f a vfio-pci device (f->dev->vfio_ops and ->priv) with its BAR
 * registers virtualised from the config space. */
void vfio_pci_core_init(struct pci_func *f);

#endif
