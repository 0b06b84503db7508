/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition's virtual GICv2 distributor (virt/devices/vgic.c): the
 * register model a guest's GIC driver programs through MMIO exits, and
 * the bridge to the hardware's list registers, which the vCPU layer
 * loads and reads back on the vCPU's own CPU.
 *
 * Why GICv2: it is QEMU virt's default, its virtualisation extensions
 * (GICH, GICV) are emulated under TCG, and the guest's CPU interface can
 * then be the hardware's own virtual one (GICV, mapped into the stage 2
 * at the guest's GICC address): only the distributor needs emulating.
 *
 * Interrupts: SGIs 0-15 and PPIs 16-31 per vCPU, SPIs 32 .. 32 +
 * VGIC_NR_SPIS - 1 for the partition. A PPI or SPI can be mapped to a
 * physical interrupt (hw): its list register then carries the physical
 * INTID and the guest's deactivation deactivates the physical one too
 * (the virtual timer). Everything else is software-injected; a
 * level-sensitive SPI can ask for its guest's end of interrupt to be
 * reported (resample: an assigned device's INTx, whose owner lowers the
 * line and unmasks the device then, as KVM's resamplefd does).
 *
 * Contract: calls are made under the vCPU layer's exit lock; the
 * distributor's MMIO callbacks act for vgic->accessing, the vCPU whose
 * exit is being served (banked registers).
 */
#ifndef PARTITA_VIRT_DEVICES_VGIC_H
#define PARTITA_VIRT_DEVICES_VGIC_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

#define VGIC_DIST_SIZE   0x1000
#define VGIC_NR_SPIS     64
#define VGIC_NR_IRQS     (32 + VGIC_NR_SPIS)
#define VGIC_MAX_VCPUS   8
#define VGIC_MAX_LRS     16

/* GICv2 list register fields (GICH_LRn). */
#define GICH_LR_VIRT(id)     ((uint32_t)(id) & 0x3ff)
#define GICH_LR_PHYS(id)     (((uint32_t)(id) & 0x3ff) << 10)
#define GICH_LR_CPUID(c)     (((uint32_t)(c) & 7) << 10)
#define GICH_LR_EOI          (1u << 19)
#define GICH_LR_PRIO(p)      (((uint32_t)(p) >> 3) << 23)
#define GICH_LR_PENDING      (1u << 28)
#define GICH_LR_ACTIVE       (2u << 28)
#define GICH_LR_STATE(lr)    (((lr) >> 28) & 3)
#define GICH_LR_GRP1         (1u << 30)
#define GICH_LR_HW           (1u << 31)

struct vgic_irq {
	uint8_t priority;
	uint8_t targets;             /* SPIs: ITARGETSR, a vCPU mask */
	uint8_t sgi_sources;         /* SGIs: pending from these vCPUs */
	bool enabled, pending, active, edge, group1;
	bool line;                   /* level-sensitive: the input is high */
	bool hw;                     /* mapped to phys (see above) */
	bool resample;               /* its EOI reported (see above) */
	uint16_t phys;
	int8_t lr;                   /* the list register it is in, or -1 */
	uint8_t lr_source;           /* SGIs: the source that LR carries */
};

struct vgic {
	MemoryRegion dist;
	unsigned nvcpus;
	uint32_t ctlr;               /* GICD_CTLR: EnableGrp0/1 */
	struct vgic_irq priv[VGIC_MAX_VCPUS][32];
	struct vgic_irq spi[VGIC_NR_SPIS];
	unsigned accessing;          /* the vCPU whose MMIO exit this is */
	/* A vCPU has something new to deliver: bring it out of its guest
	 * (or its sleep) so that its list registers are reloaded. */
	void (*kick)(void *opaque, unsigned vcpu);
	/* A hardware-mapped or resampled SPI's target vCPU changed
	 * (GICD_ITARGETSR): the physical interrupt should follow, so that
	 * it arrives where it is handled. NULL: not told. */
	void (*retarget)(void *opaque, unsigned irq, unsigned vcpu);
	/* The guest ended resampled SPI irq (its list register went
	 * invalid). Called from vgic_sync; it may call vgic_set_irq. */
	void (*eoi)(void *opaque, unsigned irq);
	void *opaque;
	unsigned long delivered[VGIC_MAX_VCPUS];   /* put in a list register */
};

bool vgic_init(struct vgic *v, MemoryContext *ctx, unsigned nvcpus,
	       void (*kick)(void *opaque, unsigned vcpu), void *opaque,
	       Error **errp);
void vgic_fini(struct vgic *v);

/* Map interrupt irq of vcpu (a PPI, or an SPI: vcpu ignored) to the
 * physical interrupt phys. */
void vgic_map_hw(struct vgic *v, unsigned vcpu, unsigned irq, unsigned phys);
/* SPI irq's EOI is reported to ->eoi (level-sensitive SPIs only). */
void vgic_resample(struct vgic *v, unsigned irq);
/* An edge on irq, or a level change (high true) for level-sensitive
 * ones; vcpu for PPIs. The target is kicked when it becomes pending. */
void vgic_set_irq(struct vgic *v, unsigned vcpu, unsigned irq, bool high);

/* Before vcpu enters its guest: lrs[0..nlrs) are its list registers as
 * they are (0 = free); pending, enabled interrupts not yet in one are
 * added, highest priority first. True when some did not fit (ask for
 * the underflow maintenance interrupt). */
bool vgic_flush(struct vgic *v, unsigned vcpu, uint32_t *lrs, unsigned nlrs);
/* After it exited: lrs as the hardware now has them. An interrupt whose
 * list register has gone invalid was completed by the guest (that slot
 * is set to 0, free); the rest keep their state in the model. */
void vgic_sync(struct vgic *v, unsigned vcpu, uint32_t *lrs, unsigned nlrs);

#endif
