/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device discovery (drivers/bus): everything a board's device tree says
 * can be given to a partition, described (enumeration only: no kernel
 * object is made, nothing is published). The board's bring-up
 * (include/partita/arch/bring-up.h) binds each description to its VFIO
 * bus driver and publishes it.
 *
 *  - PCI: each "pci-host-ecam-generic" node: every bus of bus-range is
 *    scanned through ECAM; BARs are sized and assigned from the node's
 *    ranges (64-bit prefetchable BARs from a 64-bit prefetchable window
 *    when there is one); memory decoding is enabled. A function's stream
 *    id comes from the node's iommu-map; the functions of a
 *    multi-function device share an IOMMU group (extended capabilities,
 *    ACS among them, are not read); a function with no iommu-map entry
 *    is left out, with a warning: nothing reaches memory untranslated.
 *  - platform: each enabled node with an "iommus" property whose
 *    compatible the vfio-platform front binds: regions from reg (a range
 *    the CPU reaches as memory can be mapped), interrupts (3 cells),
 *    one group each.
 *  - CSS: the subchannels of a "partita,sim-css" node, each handed out
 *    as a vfio-ccw mediated device (partita,mdev-uuid) in a group of
 *    its own.
 *  - AP: the adapters and domains of a "partita,sim-ap-bus" node and its
 *    matrix mediated devices (vfio-ap), a group each.
 *
 * Without a device tree (s390x) the machine is asked instead:
 *  - zPCI: CLP List PCI Functions; each configured function is queried
 *    (BARs, DMA window, uid), enabled, named <uid>:00:00.0 as Linux
 *    names it, and put in a group of its own; its BARs are reached
 *    through an address space of its own by PCI LOAD/STORE (no MMIO).
 *    The stream id is the function id (fid).
 *  - AP: the AP facilities (STFLE 12 and 15) are checked; without them
 *    (QEMU's TCG) there is no AP bus, and bus_ap_absent() says why.
 *  - CSS: STORE SUBCHANNEL over subchannel set 0; each I/O subchannel
 *    with a valid device number is sensed (SENSE ID: control-unit and
 *    device type) and handed out as a vfio-ccw mediated device whose
 *    UUID is derived from its subchannel id (docs/s390x.md).
 *
 * Device numbers (/dev/vfio/devices/vfio<N>) and group numbers are given
 * in that order from 0 and 1. Stream ids found twice are an error.
 * Bindings: docs/bindings/.
 */
#ifndef PARTITA_BUS_BUS_H
#define PARTITA_BUS_BUS_H

#include <partita/bitmap.h>
#include <partita/error.h>
#include <partita/mm/memory.h>
#include <partita/pci.h>
#include <stdbool.h>
#include <stdint.h>

struct sys;
struct umem;
struct page_pool;
struct iommu_device;
struct ccw_status;

/* What discovery and the bring-up need from the board. Discovery reads
 * the tree and the bus and asks for IOMMU drivers; the rest is the
 * bring-up's (the namespace, a subchannel's start, interrupt wiring). */
struct bus_env {
	const void *fdt;
	struct sys *sys;             /* where the bring-up publishes */
	AddressSpace *phys;          /* the CPU's view of the bus */
	/* The IOMMU driver behind the node with this phandle (zPCI: of the
	 * function with this fid), or NULL. */
	struct iommu_device *(*iommu_for)(void *opaque, uint32_t phandle);
	/* Pages for translated channel programs (below 2 GiB). */
	struct page_pool *pool;
	/* Start subchannel schno with the program at absolute cpa. */
	int (*css_start)(void *opaque, uint16_t schno, uint32_t cpa,
			 struct ccw_status *st);
	/* The channel subsystem moves a CCW's data within one 4 KiB IDAW
	 * block only (QEMU 7.2): programs needing more are refused. */
	bool ccw_one_idaw_block;
	/* Route the interrupt line with this 3-cell specifier to
	 * handler(arg); handler NULL disconnects. false: no such line. */
	bool (*irq_connect)(void *opaque, const uint32_t spec[3],
			    void (*handler)(void *arg), void *arg);
	/* Optional: re-enable a line the board masked when it fired (a
	 * level-triggered one, masked until its handler's owner is done). */
	void (*irq_unmask)(void *opaque, const uint32_t spec[3]);
	void *opaque;
};

enum bus_kind { BUS_PCI, BUS_PLATFORM, BUS_CCW, BUS_AP };

/* One found device, as the partition manager sees it. */
struct bus_device_info {
	enum bus_kind kind;
	const char *name;            /* 0000:02:00.0, a100000.dma, a UUID */
	const char *sysfsdev;        /* /sys/bus/<bus>/devices/<name> */
	unsigned index;              /* /dev/vfio/devices/vfio<index> */
	int group;                   /* /dev/vfio/<group> */
	uint32_t stream_id;          /* PCI and platform */
	/* PCI: vendor and device id; platform: the first compatible. */
	uint16_t vendor, device;
	const char *compatible;
	/* Where the device can reach memory (inclusive), when the bus says
	 * (zPCI: its DMA window; a subchannel: 31-bit channel-program
	 * addresses); dma_last 0: anywhere. The manager refuses a partition
	 * whose RAM lies outside it before anything is built. */
	uint64_t dma_first, dma_last;
	const char *dma_why;          /* what the window is, for messages */
	/* PCI: the interrupt its INTx pin raises (the host bridge's
	 * interrupt-map; a GIC's three cells), when it has one. */
	bool has_intx;
	uint32_t intx_spec[3];
	unsigned intx_pin;            /* 1 = INTA .. 4 = INTD */
};

/* ---- what enumeration found, per kind ---------------------------------- */

/* A PCI function: its config space as read (BARs assigned, decoding and
 * bus mastering on), its BARs, and where its config space is. */
struct bus_pci_function {
	uint8_t config[PCI_CONFIG_SIZE];
	struct pci_bar bars[PCI_NUM_BARS];
	AddressSpace *bus_as;        /* the CPU's view of the bus */
	/* Function-level reset by the bus that found it (ECAM: PCIe FLR),
	 * or NULL: bus_pci_reset() then answers -ENOTTY. */
	int (*flr)(const struct bus_pci_function *fn);
	uint64_t migration_flags;    /* VFIO_MIGRATION_* a variant driver has */
	uint64_t cfg;                /* its config space on bus_as */
	unsigned exp;                /* PCIe capability offset, 0: none */
};

/* Function-level reset; the BARs and command register come back as
 * enumeration set them (Linux's pci_reset_function restores them):
 * 0, or -ENOTTY without FLR. */
int bus_pci_reset(const struct bus_pci_function *fn);

#define PLATFORM_MAX_REGIONS 8
#define PLATFORM_MAX_IRQS    8
#define PLATFORM_MAX_COMPAT  128

/* A device-tree platform device behind an IOMMU. */
struct bus_platform_node {
	char compatible[PLATFORM_MAX_COMPAT];   /* NUL-separated list */
	size_t compatible_len;
	char of_path[96];
	struct { uint64_t pa, size; void *host; } regions[PLATFORM_MAX_REGIONS];
	unsigned nregions;
	struct { uint32_t spec[3]; bool level; } irqs[PLATFORM_MAX_IRQS];
	unsigned nirqs;
	AddressSpace *bus_as;
};

/* A subchannel handed out as a vfio-ccw mediated device. */
struct bus_subchannel {
	uint16_t schno;
	char parent[64];             /* its sysfs directory, the mdev's parent */
	/* s390x: the device number and what SENSE ID said (0: not known,
	 * the simulated board's). */
	uint16_t devno;
	uint16_t cu_type, dev_type;
	uint8_t cu_model, dev_model;
};

#define AP_MAX_ADAPTERS 256
#define AP_MAX_DOMAINS  256

/* An AP matrix mediated device: what its node lists, to be assigned
 * (and refused with the node's name) by whoever builds the matrix. */
struct bus_ap_matrix {
	const char *node;            /* its node's name, for messages */
	uint16_t adapters[AP_MAX_ADAPTERS], domains[AP_MAX_DOMAINS],
		 controls[AP_MAX_DOMAINS];
	unsigned nadapters, ndomains, ncontrols;
};

/* The AP bus: which adapters and domains exist. */
struct bus_ap {
	unsigned long adapters[BITS_TO_LONGS(AP_MAX_ADAPTERS)];
	unsigned long domains[BITS_TO_LONGS(AP_MAX_DOMAINS)];
};

struct bus_devices;

/* Enumerate every bus of bus_ops[]. On failure nothing is left. */
struct bus_devices *bus_discover(const struct bus_env *env, Error **errp);
/* Free what discovery described (after the bring-up let go of it). */
void bus_devices_release(struct bus_devices *d);

unsigned bus_device_count(const struct bus_devices *d);
/* What the bring-up binds device i with: the IOMMU it is behind (NULL
 * for mediated devices), and its kind's description (NULL for another
 * kind). */
struct iommu_device *bus_device_iommu(const struct bus_devices *d, unsigned i);
const struct bus_pci_function *bus_device_pci(const struct bus_devices *d,
					      unsigned i);
const struct bus_platform_node *bus_device_platform(const struct bus_devices *d,
						    unsigned i);
const struct bus_subchannel *bus_device_subchannel(const struct bus_devices *d,
						   unsigned i);
const struct bus_ap_matrix *bus_device_ap_matrix(const struct bus_devices *d,
						 unsigned i);
/* The AP bus, or NULL when the board has none. */
const struct bus_ap *bus_ap(const struct bus_devices *d);
/* Why the machine has no AP bus when discovery knows (s390x: no AP
 * facility), for the error of a -device vfio-ap; NULL otherwise. */
const char *bus_ap_absent(const struct bus_devices *d);
/* Group numbers run from 1 to bus_group_count(); each device has one
 * (bus_device_info.group); a group of mediated devices is emulated. */
unsigned bus_group_count(const struct bus_devices *d);
const struct bus_device_info *bus_device(const struct bus_devices *d,
					 unsigned i);
/* By name or by sysfs path (symlinks not followed); NULL if none. */
const struct bus_device_info *bus_device_find(const struct bus_devices *d,
					      const char *name_or_path);

#endif
