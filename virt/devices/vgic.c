// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual GICv2 distributor (include/partita/virt/devices/vgic.h).
 * Registers as the GICv2 architecture specification (IHI 0048B, 4.3)
 * lays them out; accesses of 1, 2 or 4 bytes are taken byte by byte,
 * so every register reads and writes at any width the guest uses, except
 * GICD_SGIR, a 32-bit write.
 */
#include <partita/virt/devices/vgic.h>
#include <string.h>

#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_IIDR        0x008
#define GICD_IGROUPR     0x080
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ISPENDR     0x200
#define GICD_ICPENDR     0x280
#define GICD_ISACTIVER   0x300
#define GICD_ICACTIVER   0x380
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_ICFGR       0xc00
#define GICD_SGIR        0xf00
#define GICD_CPENDSGIR   0xf10
#define GICD_SPENDSGIR   0xf20
#define GICD_PIDR2       0xfe8
#define IIDR_ARM_GICV2   0x0200043bu   /* Arm's JEP106, product 2 */
#define PRIO_MASK        0xf8          /* 5 bits, as the list registers */

static struct vgic_irq *irq_of(struct vgic *v, unsigned vcpu, unsigned id)
{
	if (id < 32)
		return vcpu < v->nvcpus ? &v->priv[vcpu][id] : NULL;
	return id < VGIC_NR_IRQS ? &v->spi[id - 32] : NULL;
}

/* The vCPU an SPI goes to: the lowest of its targets (1-of-N delivery
 * is not modelled); -1 when it has none. */
static int spi_target(const struct vgic *v, const struct vgic_irq *irq)
{
	for (unsigned c = 0; c < v->nvcpus; c++)
		if (irq->targets & (1u << c))
			return (int)c;
	return -1;
}

static bool group_enabled(const struct vgic *v, const struct vgic_irq *irq)
{
	return v->ctlr & (irq->group1 ? 2u : 1u);
}

/* Something for vcpu to deliver may have appeared. */
static void notify(struct vgic *v, unsigned vcpu, unsigned id)
{
	const struct vgic_irq *irq = irq_of(v, vcpu, id);
	int target = id < 32 ? (int)vcpu : spi_target(v, irq);

	if (target >= 0 && irq->enabled && irq->pending && irq->lr < 0 &&
	    group_enabled(v, irq) && v->kick)
		v->kick(v->opaque, (unsigned)target);
}

static void notify_all(struct vgic *v)
{
	for (unsigned c = 0; c < v->nvcpus; c++)
		for (unsigned id = 0; id < 32; id++)
			notify(v, c, id);
	for (unsigned id = 32; id < VGIC_NR_IRQS; id++)
		notify(v, 0, id);
}

static void reset_irq(struct vgic_irq *irq, unsigned id)
{
	memset(irq, 0, sizeof(*irq));
	irq->lr = -1;
	irq->edge = id < 16;         /* SGIs are edge; PPIs, SPIs level */
}

/* ---- registers, byte by byte ------------------------------------------ */

/* The interrupt a bit of a one-bit-per-interrupt register names. */
static struct vgic_irq *bit_irq(struct vgic *v, uint64_t off, uint64_t base,
				unsigned bit, unsigned *id)
{
	*id = (unsigned)(off - base) * 8 + bit;
	return irq_of(v, v->accessing, *id);
}

static uint8_t read_bits(struct vgic *v, uint64_t off, uint64_t base,
			 bool (*get)(const struct vgic_irq *))
{
	uint8_t b = 0;
	unsigned id;

	for (unsigned i = 0; i < 8; i++) {
		const struct vgic_irq *irq = bit_irq(v, off, base, i, &id);

		if (irq && get(irq))
			b |= (uint8_t)(1u << i);
	}
	return b;
}

static bool get_group(const struct vgic_irq *i) { return i->group1; }
static bool get_enabled(const struct vgic_irq *i) { return i->enabled; }
static bool get_active(const struct vgic_irq *i) { return i->active; }
static bool get_pending(const struct vgic_irq *i)
{
	return i->pending || i->sgi_sources;
}

static uint8_t read_byte(struct vgic *v, uint64_t off)
{
	struct vgic_irq *irq;
	unsigned id;

	if (off < 4)
		return off == 0 ? (uint8_t)v->ctlr : 0;
	if (off < 8)
		return off == GICD_TYPER ? (uint8_t)((VGIC_NR_IRQS / 32 - 1) |
						     ((v->nvcpus - 1) << 5)) : 0;
	if (off < 12)
		return (uint8_t)(IIDR_ARM_GICV2 >> (8 * (off - GICD_IIDR)));
	if (off >= GICD_IGROUPR && off < GICD_ISENABLER)
		return read_bits(v, off, GICD_IGROUPR, get_group);
	if (off >= GICD_ISENABLER && off < GICD_ISPENDR)
		return read_bits(v, off, off < GICD_ICENABLER ? GICD_ISENABLER :
				 GICD_ICENABLER, get_enabled);
	if (off >= GICD_ISPENDR && off < GICD_ISACTIVER)
		return read_bits(v, off, off < GICD_ICPENDR ? GICD_ISPENDR :
				 GICD_ICPENDR, get_pending);
	if (off >= GICD_ISACTIVER && off < GICD_IPRIORITYR)
		return read_bits(v, off, off < GICD_ICACTIVER ? GICD_ISACTIVER :
				 GICD_ICACTIVER, get_active);
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		irq = irq_of(v, v->accessing, (unsigned)(off - GICD_IPRIORITYR));
		return irq ? irq->priority : 0;
	}
	if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_NR_IRQS) {
		id = (unsigned)(off - GICD_ITARGETSR);
		irq = irq_of(v, v->accessing, id);
		/* Banked: the accessing vCPU's own bit (GICv2 4.3.12). */
		return id < 32 ? (uint8_t)(1u << v->accessing) : irq->targets;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + VGIC_NR_IRQS / 4) {
		uint8_t b = 0;

		for (unsigned i = 0; i < 4; i++) {
			irq = irq_of(v, v->accessing,
				     (unsigned)(off - GICD_ICFGR) * 4 + i);
			if (irq->edge)
				b |= (uint8_t)(2u << (2 * i));
		}
		return b;
	}
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16)
		return v->priv[v->accessing][(off - GICD_CPENDSGIR) % 16].sgi_sources;
	if (off == GICD_PIDR2)
		return 0x2b;                /* ArchRev 2: GICv2 */
	return 0;
}

static void write_bits(struct vgic *v, uint64_t off, uint64_t base,
		       uint8_t b, void (*set)(struct vgic *, unsigned,
					      struct vgic_irq *))
{
	unsigned id;

	for (unsigned i = 0; i < 8; i++) {
		struct vgic_irq *irq = bit_irq(v, off, base, i, &id);

		if (irq && (b & (1u << i)))
			set(v, id, irq);
	}
}

static void set_group1(struct vgic *v, unsigned id, struct vgic_irq *i) { i->group1 = true; }
static void set_enable(struct vgic *v, unsigned id, struct vgic_irq *i)
{
	i->enabled = true;
	notify(v, v->accessing, id);
}
static void clear_enable(struct vgic *v, unsigned id, struct vgic_irq *i) { i->enabled = false; }
static void set_pend(struct vgic *v, unsigned id, struct vgic_irq *i)
{
	if (id < 16)
		return;                     /* SGIs: GICD_SPENDSGIR */
	i->pending = true;
	notify(v, v->accessing, id);
}
static void clear_pend(struct vgic *v, unsigned id, struct vgic_irq *i)
{
	if (id >= 16)
		i->pending = false;
}
static void set_active(struct vgic *v, unsigned id, struct vgic_irq *i) { i->active = true; }
static void clear_active(struct vgic *v, unsigned id, struct vgic_irq *i) { i->active = false; }

static void write_group_bits(struct vgic *v, uint64_t off, uint8_t b)
{
	unsigned id;

	/* A write sets the whole byte: clear first. */
	for (unsigned i = 0; i < 8; i++) {
		struct vgic_irq *irq = bit_irq(v, off, GICD_IGROUPR, i, &id);

		if (irq)
			irq->group1 = false;
	}
	write_bits(v, off, GICD_IGROUPR, b, set_group1);
}

static void send_sgi(struct vgic *v, uint32_t val)
{
	unsigned id = val & 0xf, filter = (val >> 24) & 3;
	uint8_t list = (uint8_t)(val >> 16);

	if (filter == 1)
		list = (uint8_t)(((1u << v->nvcpus) - 1) & ~(1u << v->accessing));
	else if (filter == 2)
		list = (uint8_t)(1u << v->accessing);
	else if (filter == 3)
		return;
	for (unsigned c = 0; c < v->nvcpus; c++) {
		struct vgic_irq *irq = &v->priv[c][id];

		if (!(list & (1u << c)))
			continue;
		irq->sgi_sources |= (uint8_t)(1u << v->accessing);
		irq->pending = true;
		notify(v, c, id);
	}
}

static void write_byte(struct vgic *v, uint64_t off, uint8_t b)
{
	struct vgic_irq *irq;
	unsigned id;

	if (off == GICD_CTLR) {
		v->ctlr = b & 3;
		notify_all(v);
	} else if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
		write_group_bits(v, off, b);
	} else if (off >= GICD_ISENABLER && off < GICD_ICENABLER) {
		write_bits(v, off, GICD_ISENABLER, b, set_enable);
	} else if (off >= GICD_ICENABLER && off < GICD_ISPENDR) {
		write_bits(v, off, GICD_ICENABLER, b, clear_enable);
	} else if (off >= GICD_ISPENDR && off < GICD_ICPENDR) {
		write_bits(v, off, GICD_ISPENDR, b, set_pend);
	} else if (off >= GICD_ICPENDR && off < GICD_ISACTIVER) {
		write_bits(v, off, GICD_ICPENDR, b, clear_pend);
	} else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER) {
		write_bits(v, off, GICD_ISACTIVER, b, set_active);
	} else if (off >= GICD_ICACTIVER && off < GICD_IPRIORITYR) {
		write_bits(v, off, GICD_ICACTIVER, b, clear_active);
	} else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		irq = irq_of(v, v->accessing, (unsigned)(off - GICD_IPRIORITYR));
		irq->priority = b & PRIO_MASK;
	} else if (off >= GICD_ITARGETSR + 32 &&
		   off < GICD_ITARGETSR + VGIC_NR_IRQS) {
		id = (unsigned)(off - GICD_ITARGETSR);
		irq = irq_of(v, v->accessing, id);
		irq->targets = b & (uint8_t)((1u << v->nvcpus) - 1);
		if ((irq->hw || irq->resample) && v->retarget &&
		    spi_target(v, irq) >= 0)
			v->retarget(v->opaque, id, (unsigned)spi_target(v, irq));
		notify(v, 0, id);
	} else if (off >= GICD_ICFGR + 4 && off < GICD_ICFGR + VGIC_NR_IRQS / 4) {
		/* SGIs' (the first 4 bytes) are fixed: edge. */
		for (unsigned i = 0; i < 4; i++) {
			irq = irq_of(v, v->accessing,
				     (unsigned)(off - GICD_ICFGR) * 4 + i);
			irq->edge = b & (2u << (2 * i));
		}
	} else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR) {
		irq = &v->priv[v->accessing][off - GICD_CPENDSGIR];
		irq->sgi_sources &= (uint8_t)~b;
		irq->pending = irq->sgi_sources;
	} else if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 16) {
		id = (unsigned)(off - GICD_SPENDSGIR);
		irq = &v->priv[v->accessing][id];
		irq->sgi_sources |= b & (uint8_t)((1u << v->nvcpus) - 1);
		irq->pending = irq->sgi_sources;
		notify(v, v->accessing, id);
	}
	/* Everything else is read-only or reserved: ignored. */
}

static uint64_t dist_read(void *opaque, uint64_t addr, unsigned size)
{
	uint64_t val = 0;

	for (unsigned i = 0; i < size; i++)
		val |= (uint64_t)read_byte(opaque, addr + i) << (8 * i);
	return val;
}

static void dist_write(void *opaque, uint64_t addr, uint64_t val,
		       unsigned size)
{
	struct vgic *v = opaque;

	if (addr == GICD_SGIR) {
		if (size == 4)
			send_sgi(v, (uint32_t)val);
		return;
	}
	for (unsigned i = 0; i < size; i++)
		write_byte(v, addr + i, (uint8_t)(val >> (8 * i)));
}

static const MemoryRegionOps dist_ops = {
	.read = dist_read,
	.write = dist_write,
	.max_access_size = 4,
};

/* ---- the model -------------------------------------------------------- */

bool vgic_init(struct vgic *v, MemoryContext *ctx, unsigned nvcpus,
	       void (*kick)(void *opaque, unsigned vcpu), void *opaque,
	       Error **errp)
{
	if (nvcpus < 1 || nvcpus > VGIC_MAX_VCPUS) {
		error_setg(errp, "vgic: %u vCPUs (GICv2 has 1 to %d)", nvcpus,
			   VGIC_MAX_VCPUS);
		return false;
	}
	memset(v, 0, sizeof(*v));
	v->nvcpus = nvcpus;
	v->kick = kick;
	v->opaque = opaque;
	for (unsigned c = 0; c < VGIC_MAX_VCPUS; c++)
		for (unsigned id = 0; id < 32; id++)
			reset_irq(&v->priv[c][id], id);
	for (unsigned id = 32; id < VGIC_NR_IRQS; id++)
		reset_irq(&v->spi[id - 32], id);
	return memory_region_init_io(&v->dist, ctx, &dist_ops, v, "vgic-dist",
				     VGIC_DIST_SIZE, errp);
}

void vgic_fini(struct vgic *v)
{
	memory_region_finalize(&v->dist);
}

void vgic_map_hw(struct vgic *v, unsigned vcpu, unsigned irq, unsigned phys)
{
	struct vgic_irq *i = irq_of(v, vcpu, irq);

	if (i && irq >= 16) {
		i->hw = true;
		i->phys = (uint16_t)phys;
	}
}

void vgic_resample(struct vgic *v, unsigned irq)
{
	if (irq >= 32 && irq < VGIC_NR_IRQS)
		v->spi[irq - 32].resample = true;
}

void vgic_set_irq(struct vgic *v, unsigned vcpu, unsigned irq, bool high)
{
	struct vgic_irq *i = irq_of(v, vcpu, irq);

	if (!i || irq < 16)
		return;
	if (!i->edge)
		i->line = high;
	if (high && !(i->hw && i->lr >= 0)) {
		i->pending = true;
		notify(v, vcpu, irq);
	} else if (!high && !i->edge && i->lr < 0) {
		i->pending = false;
	}
}

/* The best deliverable interrupt of vcpu not yet in a list register. */
static struct vgic_irq *best(struct vgic *v, unsigned vcpu, unsigned *id)
{
	struct vgic_irq *pick = NULL;

	for (unsigned n = 0; n < VGIC_NR_IRQS; n++) {
		struct vgic_irq *irq = irq_of(v, vcpu, n);

		if (n >= 32 && spi_target(v, irq) != (int)vcpu)
			continue;
		if (!irq->pending || !irq->enabled || irq->lr >= 0 ||
		    irq->active || !group_enabled(v, irq))
			continue;
		if (!pick || irq->priority < pick->priority) {
			pick = irq;
			*id = n;
		}
	}
	return pick;
}

bool vgic_flush(struct vgic *v, unsigned vcpu, uint32_t *lrs, unsigned nlrs)
{
	struct vgic_irq *irq;
	unsigned id = 0;

	while ((irq = best(v, vcpu, &id))) {
		uint32_t lr = GICH_LR_VIRT(id) | GICH_LR_PRIO(irq->priority) |
			      GICH_LR_PENDING | (irq->group1 ? GICH_LR_GRP1 : 0);
		unsigned slot = 0;

		while (slot < nlrs && lrs[slot])
			slot++;
		if (slot == nlrs)
			return true;
		if (id < 16) {
			/* One source at a time: the same SGI in two list
			 * registers is UNPREDICTABLE. */
			unsigned src = (unsigned)__builtin_ctz(irq->sgi_sources);

			irq->lr_source = (uint8_t)src;
			irq->sgi_sources &= (uint8_t)~(1u << src);
			lr |= GICH_LR_CPUID(src);
		} else if (irq->hw) {
			lr |= GICH_LR_HW | GICH_LR_PHYS(irq->phys);
		} else if (!irq->edge) {
			lr |= GICH_LR_EOI;      /* re-sample the line after */
		}
		irq->pending = false;
		irq->lr = (int8_t)slot;
		lrs[slot] = lr;
		v->delivered[vcpu]++;
	}
	return false;
}

static bool lr_id_is_sgi(uint32_t lr)
{
	return (lr & 0x3ff) < 16;
}

void vgic_sync(struct vgic *v, unsigned vcpu, uint32_t *lrs, unsigned nlrs)
{
	for (unsigned slot = 0; slot < nlrs; slot++) {
		uint32_t lr = lrs[slot];
		struct vgic_irq *irq;
		unsigned state;

		if (!lr)
			continue;
		irq = irq_of(v, vcpu, lr & 0x3ff);
		state = GICH_LR_STATE(lr);
		if (!irq || irq->lr != (int)slot) {
			lrs[slot] = 0;          /* not ours: drop it */
			continue;
		}
		if (state == 0 || (state == 1 && !irq->enabled)) {
			/* Completed, or pending but disabled meanwhile (it
			 * stays pending in the model). */
			irq->lr = -1;
			irq->active = false;
			if (state == 1)
				irq->pending = true;
			if (state == 1 && lr_id_is_sgi(lr))
				irq->sgi_sources |= (uint8_t)(1u << irq->lr_source);
			else if (!irq->edge && !irq->hw && irq->line)
				irq->pending = true;
			if (irq->sgi_sources)
				irq->pending = true;
			lrs[slot] = 0;
			if (state == 0 && irq->resample && v->eoi)
				v->eoi(v->opaque, lr & 0x3ff);
			continue;
		}
		irq->active = state & 2;
	}
}
