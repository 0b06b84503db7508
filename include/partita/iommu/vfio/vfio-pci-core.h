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
#ifndef PARTITA_IOMMU_VFIO_VFIO_PCI_CORE_H
#define PARTITA_IOMMU_VFIO_VFIO_PCI_CORE_H

#include <partita/iommu/vfio/vfio-main.h>
#include <partita/mm/memory.h>
#include <partita/pci.h>

#define VFIO_PCI_OFFSET_SHIFT 40

extern const struct vfio_device_ops vfio_pci_core_ops;

/* A PCI function as discovery describes it: its configuration header and
 * capabilities (little-endian, as on the bus), its BARs (where they are
 * and how the CPU reaches them), and an optional function-level reset.
 * This bus driver hands it to users. */
struct pci_func {
	struct device *dev;                 /* dev->name is DDDD:BB:DD.F */
	struct vfio_core_device vdev;       /* its VFIO side, once bound */
	uint8_t config[PCI_CONFIG_SIZE];    /* as read from the function */
	struct pci_bar bars[PCI_NUM_BARS];
	AddressSpace *bus_as;               /* the CPU's view of the bus */
	/* Optional function-level reset: 0 or -errno. */
	int (*reset)(struct pci_func *f);
	void *opaque;
	uint64_t migration_flags;           /* VFIO_MIGRATION_*, 0: none */
	/* vfio-pci's virtual BAR registers, what a user last wrote. */
	uint32_t vbar[PCI_NUM_BARS];
	/* INTx, as Linux's vfio-pci keeps it: the line is masked when it
	 * fires (VFIO_IRQ_INFO_AUTOMASKED) and stays so until the user
	 * unmasks it (VFIO_IRQ_SET_ACTION_UNMASK, after its EOI); a firing
	 * while masked is kept pending and signalled at the unmask. */
	bool intx_masked, intx_pending;
	unsigned long intx_signalled;       /* triggers signalled */
	/* Optional: re-enable the line at the interrupt controller (the
	 * board masked it when it fired). */
	void (*intx_unmask)(struct pci_func *f);
	void *intx_opaque;                  /* intx_unmask's */
};

/* Make f a vfio-pci device (f->dev->vfio_ops and ->priv) with its BAR
 * registers virtualised from the config space. */
void vfio_pci_core_init(struct pci_func *f);

/* The function's INTx line fired (the board's interrupt handler, with
 * the line masked at the controller): signalled to the user's INTx
 * trigger and masked, or kept pending while masked. */
void vfio_pci_core_intx(struct pci_func *f);

#endif
