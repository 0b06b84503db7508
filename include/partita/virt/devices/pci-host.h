/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition's virtual PCI host bridge (virt/devices/pci-host.c): a
 * generic ECAM (the pci-host-ecam-generic binding, as QEMU's gpex) for
 * bus 0 whose accesses trap (MMIO exits) and are answered by the config
 * space of the partition's assigned vfio-pci functions at virtual slots
 * (drivers/vfio/pci-config.h: the guest's view), with a host bridge at
 * 00:00.0. A function nobody placed reads all ones, as on a real bus.
 * Nothing of the machine's or another partition's PCI topology shows.
 */
#ifndef PARTITA_VIRT_DEVICES_PCI_HOST_H
#define PARTITA_VIRT_DEVICES_PCI_HOST_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

#define PCI_HOST_ECAM_SIZE  0x100000ULL   /* bus 0: 32 slots x 8 functions */
#define PCI_HOST_SLOTS      32

struct vfio_pci_device;

struct pci_host {
	MemoryRegion ecam;
	struct vfio_pci_device *fn[PCI_HOST_SLOTS][8];
	uint8_t bridge[64];                   /* 00:00.0's header */
	uint16_t bridge_command;
	unsigned long accesses;
};

bool pci_host_init(struct pci_host *h, MemoryContext *ctx, Error **errp);
void pci_host_fini(struct pci_host *h);
/* Put vpci at slot.fn (slot 1..31: 0 is the host bridge); false (errp)
 * when taken or out of range. */
bool pci_host_place(struct pci_host *h, unsigned slot, unsigned fn,
		    struct vfio_pci_device *vpci, Error **errp);

#endif
