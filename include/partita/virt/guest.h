/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition's guest: its image from a FIT, its device tree, its stage
 * 2 (a second listener on the partition's AddressSpace), what it sees
 * (the PL011, PSCI) and, on arm64 at EL2, its vCPUs on their physical
 * CPUs (virt/vcpu.c).
 *
 * The manager (core/) owns the partition; a guest only borrows its
 * AddressSpace and root region, RAM and configuration. Order:
 * guest_check() for everything that can be known before building,
 * guest_create() (the PL011 placed, the stage 2 attached), guest_load()
 * (RAM cleared, image and device tree written), guest_start() (vCPU 0
 * entered, the other vCPUs waiting for PSCI CPU_ON), then
 * guest_wait_all() until every guest has ended, guest_destroy().
 *
 * What a guest sees (docs/guests.md): RAM at ram_addr, its device tree
 * in the last GUEST_DTB_SIZE bytes of it (x0 at entry), a PL011 at
 * GUEST_UART_ADDR, a GICv2 (the virtual distributor at GUEST_GICD_ADDR,
 * the hardware's virtual CPU interface at GUEST_GICC_ADDR, the virtual
 * timer on PPI 27), nothing else in [GUEST_VDEV_BASE, +GUEST_VDEV_SIZE)
 * (QEMU virt's layout, so the virtual GIC and PCI host of the next
 * steps go where a guest written for virt expects them).
 */
#ifndef PARTITA_VIRT_GUEST_H
#define PARTITA_VIRT_GUEST_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <partita/virt/devices/pci-host.h>
#include <partita/virt/devices/pl011.h>
#include <partita/virt/devices/vgic.h>
#include <partita/virt/fit.h>
#include <partita/virt/psci.h>
#include <partita/virt/stage2.h>
#include <stdbool.h>
#include <stdint.h>

#define GUEST_VDEV_BASE   0x08000000ULL
#define GUEST_VDEV_SIZE   0x08000000ULL
#define GUEST_UART_ADDR   0x09000000ULL
#define GUEST_GICD_ADDR   0x08000000ULL   /* the virtual distributor */
#define GUEST_GICC_ADDR   0x08010000ULL   /* the GIC's own GICV, mapped */
#define GUEST_GICC_SIZE   0x2000ULL
#define GUEST_VTIMER_PPI  27              /* virtual and physical INTID */
#define GUEST_ECAM_ADDR   0x0f000000ULL   /* the virtual PCI host's ECAM */
#define GUEST_MAX_PCI     32
#define GUEST_DTB_SIZE    0x10000ULL
#define GUEST_MAX_VCPUS   8
#define GUEST_IPA_BITS    40

struct page_pool;
struct umem;
struct vcpu;
struct vfio_pci_device;

/* An assigned PCI function at a slot of the guest's bus 0. */
struct guest;

struct guest_pci_fn {
	struct vfio_pci_device *vpci;
	struct guest *owner;         /* set when the guest starts */
	unsigned slot, fn;
	/* Its INTx: the pin (0: none) and the board's interrupt for it. */
	unsigned intx_pin;
	uint32_t intx_spec[3];
	/* Set when the guest starts: the physical interrupt it was routed
	 * as (the guest sees it as guest_intx_spi()). */
	unsigned intx_phys;
	unsigned intx_cpu;           /* the CPU it is routed to */
};

struct guest_config {
	const char *name;            /* the partition's id: "[p0] ..." */
	AddressSpace *as;            /* the partition's */
	MemoryRegion *root;          /* where the PL011 is placed */
	MemoryContext *ctx;
	uint8_t *ram;                /* the manager's view of its RAM */
	uint64_t ram_addr, ram_size;
	unsigned ncpus;              /* vCPUs */
	unsigned first_cpu;          /* physical CPUs first_cpu.. */
	const char *bootargs;        /* or NULL */
	uint64_t timeout_ns;         /* 0: none */
	struct fit_image image;      /* found by guest_check */
	struct fit_image initrd;     /* -partition initrd=: size 0 if none */
	struct page_pool *pool;      /* pages for the stage-2 tables */
	struct umem *um;
	unsigned pa_bits;            /* the CPU's PARange */
	uint16_t vmid;
	/* Test support (-partition x-canary=ADDR): a word the manager
	 * writes in this partition's RAM before the start and checks when
	 * the guests have ended; 0: none. */
	uint64_t canary_addr;
	/* The partition's vfio-pci functions on the guest's PCI bus, and
	 * the device window their BARs may use (the bus's memory windows). */
	struct guest_pci_fn pci[GUEST_MAX_PCI];
	unsigned npci;
	uint64_t window_base, window_size;
};

enum guest_state {
	GUEST_CREATED,
	GUEST_RUNNING,
	GUEST_EXITED,                /* PSCI SYSTEM_OFF / SYSTEM_RESET */
	GUEST_STOPPED,               /* a fault, or an exit we do not serve */
	GUEST_TIMED_OUT,
	GUEST_NOT_STARTED,           /* a build that cannot run guests */
};

struct guest {
	struct guest_config cfg;
	struct stage2 s2;
	struct pl011 uart;
	struct vgic vgic;
	struct pci_host pci;
	struct psci psci;
	bool s2_inited, uart_inited, vgic_inited, pci_inited;
	uint64_t dtb_ipa;
	enum guest_state state;      /* written under the exit lock */
	char reason[256];            /* GUEST_STOPPED: why */
	struct vcpu *vcpus;          /* virt/vcpu.c */
	uint64_t cntvoff;            /* its virtual counter's zero */
	uint64_t started_ns;         /* arch_time_ns() at the first entry */
	unsigned long exits;         /* of all its vCPUs */
	unsigned long device_irqs;   /* its devices' interrupts injected */
	/* DMA its devices made that the IOMMU refused (the manager's
	 * record, for the report): faults of one device and kind within a
	 * page of each other make one range; the first 8 ranges kept. */
	struct guest_fault {
		const char *device;
		uint64_t lo, hi;             /* the faulting addresses */
		const char *what;
		uint32_t stream_id;
		unsigned long count;
	} faults[8];
	unsigned nfaults;
	unsigned long faults_total;
	uint64_t ended_ns;
};

#define GUEST_CANARY 0x5041525449544121ULL   /* "PARTITA!" */

/* The image named and the configuration against the partition, before
 * anything is built: the image exists with good hashes, fits the RAM
 * below the device tree, and the RAM is clear of the emulated devices;
 * so does the initrd (a FIT ramdisk image), if one is named (NULL:
 * none), clear of the image too. Fills c->image and c->initrd. */
bool guest_check(struct guest_config *c, const void *fit, size_t fit_size,
		 const char *image, const char *initrd, Error **errp);
bool guest_create(struct guest *g, const struct guest_config *c,
		  Error **errp);
/* Clear the RAM, copy the image, write the device tree, the canary. */
bool guest_load(struct guest *g, Error **errp);
/* vCPU 0 at the image's entry on physical CPU first_cpu, the others
 * started and waiting (arm64 at EL2: virt/vcpu.c). */
bool guest_start(struct guest *g, Error **errp);
/* Until every guest in gs[0..n) with a started vCPU has ended, calling
 * poll(opaque) every GUEST_POLL_NS meanwhile (the manager drains the
 * IOMMU's fault records: its queue is finite). */
#define GUEST_POLL_NS 10000000ULL
void guest_wait_all(struct guest *const *gs, unsigned n,
		    void (*poll)(void *opaque), void *opaque);
void guest_destroy(struct guest *g);

bool guest_ended(const struct guest *g);
/* "exited 0", "exited, no status", "stopped: ...", "timed out after 2 s" */
void guest_describe(const struct guest *g, char *buf, size_t len);
/* The x-canary word still what the manager wrote (canary_addr set). */
bool guest_canary_intact(const struct guest *g);
/* 0 when it exited with status 0; 1 otherwise. */
int guest_exit_status(const struct guest *g);

/* The virtual SPI (INTID) function f's INTx pin raises in the guest:
 * one of its own per slot and pin (the guest DT's interrupt-map says
 * so); 0 when it has no INTx. */
static inline unsigned guest_intx_spi(const struct guest_pci_fn *f)
{
	return f->intx_pin ? 32 + (f->slot * 4 + f->intx_pin - 1) % VGIC_NR_SPIS : 0;
}

/* For the vCPU layer, under its lock: end the guest (first reason wins). */
void guest_end(struct guest *g, enum guest_state state, const char *reason);

#endif
