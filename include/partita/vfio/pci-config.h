/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A vfio-pci function's configuration space as a guest sees it (QEMU's
 * vfio_pci_read_config / vfio_pci_write_config, and the bits QEMU
 * emulates rather than passes through):
 *
 *  - reads come from the device's config region with the emulated bits
 *    overlaid; only the first 256 bytes are offered (the extended space
 *    reads as 0: no extended capability is passed through yet);
 *  - the BARs are emulated: writing all ones sizes them, an address the
 *    guest writes moves the BAR's region inside the partition in one
 *    memory transaction, so both listeners (the stage 2 for the CPU, the
 *    VFIO one for peer-to-peer DMA) follow it;
 *  - the command register's memory-space bit is emulated (on: the BARs
 *    are mapped where the guest put them; off: unmapped), I/O space
 *    reads 0, bus master and the rest go to the device;
 *  - the expansion ROM is hidden (its BAR reads 0 and ignores writes);
 *  - capabilities are passed through except MSI and MSI-X, which are
 *    taken out of the list (no MSI for guests yet: their interrupts are
 *    INTx); the interrupt line register is the guest's own byte;
 *  - a write to a read-only or emulated-read-only bit is dropped.
 *
 * A BAR the guest places outside the partition's device window (over
 * its RAM, for one) is not mapped, as QEMU leaves such a BAR unmapped;
 * vfio_pci_config_note() says so for the report.
 */
#ifndef PARTITA_VFIO_PCI_CONFIG_H
#define PARTITA_VFIO_PCI_CONFIG_H

#include <partita/error.h>
#include <partita/pci.h>
#include <stdbool.h>
#include <stdint.h>

struct vfio_pci_device;

struct vfio_pci_config {
	uint8_t emulated[PCI_CONFIG_SIZE];   /* 1 bits are ours */
	uint8_t shadow[PCI_CONFIG_SIZE];     /* their values */
	uint8_t wmask[PCI_CONFIG_SIZE];      /* of those, the writable ones */
	bool active;
	char note[160];                      /* the last BAR left unmapped */
};

/* Start emulating, from the device's config space and its BARs as
 * realize placed them (memory decoding on, as firmware leaves it). */
bool vfio_pci_config_setup(struct vfio_pci_device *vpci, Error **errp);

/* A guest's access of len bytes (1, 2 or 4, within the 4 KiB of the
 * function's ECAM page). */
uint32_t vfio_pci_config_read(struct vfio_pci_device *vpci, unsigned off,
			      unsigned len);
void vfio_pci_config_write(struct vfio_pci_device *vpci, unsigned off,
			   uint32_t val, unsigned len);

/* Why a BAR is not mapped where the guest put it, or "". */
const char *vfio_pci_config_note(const struct vfio_pci_device *vpci);

#endif
