/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-pci front: a PCI function given to a partition (QEMU's
 * hw/vfio/pci.c, the parts a static partition manager needs).
 *
 * The function is named by host=DDDD:BB:DD.F, sysfsdev=PATH or a passed
 * fd=. Realize attaches it through its backend, reads its config space
 * through the config region, records its interrupts (INTx, MSI, MSI-X),
 * resets it, and places its BARs in the partition's MMIO window: a BAR
 * the driver lets us map becomes a ram-device region (so the listener
 * maps it for peer-to-peer: legacy takes it, iommufd warns "PCI BAR?"),
 * any other BAR an MMIO region whose accesses go through the device fd.
 * Unrealize undoes every step; a failed realize leaves nothing behind.
 */
#ifndef PARTITA_VFIO_PCI_H
#define PARTITA_VFIO_PCI_H

#include <partita/vfio/irq.h>
#include <partita/vfio/pci-config.h>
#include <partita/vfio/region.h>

struct opts;

/* The INTx line of a function given to a partition (QEMU's vfio_intx_*
 * of hw/vfio/pci.c, without KVM: its EOI path). An event file is the
 * device's INTx trigger; each time it fires, set_level(opaque, true) (the
 * partition's line goes up) and the device keeps it masked (AUTOMASKED)
 * until vfio_pci_intx_eoi(): the partition ended the interrupt, the line
 * goes down and is unmasked, so a level still asserted fires again. */
struct vfio_pci_intx {
	struct vfio_irq_notifier notifier;
	bool asserted;
	unsigned long count;               /* times it fired */
	void (*set_level)(void *opaque, bool level);
	void *opaque;
};

struct vfio_pci_device {
	struct vfio_device vbase;
	struct vfio_registry *reg;
	char *host;                    /* host=, as DDDD:BB:DD.F */
	bool realized;
	uint16_t vendor_id, device_id;
	uint64_t config_offset, config_size;
	unsigned intx, msi_vectors, msix_vectors;
	struct vfio_region bars[6];
	const struct vfio_placement *place;
	struct vfio_pci_config cfg;        /* the guest's view (pci-config.h) */
	struct vfio_pci_intx intx_line;
};

void vfio_pci_init(struct vfio_pci_device *vpci);
/* Unrealizes if needed and frees the properties. */
void vfio_pci_fini(struct vfio_pci_device *vpci);
/* The -device vfio-pci properties: host, sysfsdev, fd, iommufd,
 * enable-migration, x-balloon-allowed. Marks them used in opts; unknown
 * keys are the caller's to report. Errors name the property. */
bool vfio_pci_set_props(struct vfio_registry *reg, struct vfio_pci_device *vpci,
			struct opts *opts, Error **errp);
/* Which host device the properties name, as realize finds it, opening
 * nothing: sysfsdev (from host= when not given) exists, or an fd is
 * passed. QEMU's messages ("vfio <path>: no such host device: ..."). A
 * device found by its path is named, and x-balloon-allowed on one that is
 * not mediated refused, now; one passed by fd, by realize. */
bool vfio_pci_locate(struct vfio_registry *reg, struct vfio_pci_device *vpci,
		     Error **errp);
bool vfio_pci_realize(struct vfio_registry *reg, struct vfio_pci_device *vpci,
		      const struct vfio_placement *place, Error **errp);
void vfio_pci_unrealize(struct vfio_pci_device *vpci);
/* VFIO_DEVICE_RESET when the device can; false (reported) otherwise. */
bool vfio_pci_reset(struct vfio_pci_device *vpci, Error **errp);
/* INTx to set_level (above); false (errp) when the function has none or
 * its trigger cannot be set, with nothing left. Unrealize disables it. */
bool vfio_pci_intx_enable(struct vfio_pci_device *vpci,
			  void (*set_level)(void *opaque, bool level),
			  void *opaque, Error **errp);
/* The partition ended the INTx interrupt: a no-op unless it is asserted. */
void vfio_pci_intx_eoi(struct vfio_pci_device *vpci);
/* The trigger torn down, the line down. A no-op when not enabled. */
void vfio_pci_intx_disable(struct vfio_pci_device *vpci);
/* Config space through the config region: bytes done or -errno. */
long vfio_pci_read_config(struct vfio_pci_device *vpci, uint64_t off,
			  void *buf, size_t len);
long vfio_pci_write_config(struct vfio_pci_device *vpci, uint64_t off,
			   const void *buf, size_t len);

#endif
