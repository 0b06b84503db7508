// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual GICv2 distributor's register model (virt/devices/vgic.c)
 * through the partition's AddressSpace, as a guest's GIC driver reaches
 * it, and its list-register bridge: what goes into which list register,
 * what completion does, which vCPU is kicked.
 */
#include "test-helpers.h"
#include <partita/mm/memory.h>
#include <partita/virt/devices/vgic.h>

#define GICD      0x08000000ULL
#define NLRS      4

struct fx {
	MemoryContext ctx;
	MemoryRegion root;
	AddressSpace as;
	struct vgic v;
	unsigned kicks[VGIC_MAX_VCPUS];
	unsigned retargets, last_irq, last_vcpu;
	unsigned eois, last_eoi;
	bool lower_at_eoi;
};

/* As vfio-pci's INTx: the EOI lowers the line. */
static void eoi(void *opaque, unsigned irq)
{
	struct fx *f = opaque;

	f->eois++;
	f->last_eoi = irq;
	if (f->lower_at_eoi)
		vgic_set_irq(&f->v, 0, irq, false);
}

static void retarget(void *opaque, unsigned irq, unsigned vcpu)
{
	struct fx *f = opaque;

	f->retargets++;
	f->last_irq = irq;
	f->last_vcpu = vcpu;
}

static void kick(void *opaque, unsigned vcpu)
{
	((struct fx *)opaque)->kicks[vcpu]++;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	memory_context_init(&f->ctx);
	assert_true(memory_region_init(&f->root, &f->ctx, "p0", UINT64_MAX,
				       &error_abort));
	assert_true(vgic_init(&f->v, &f->ctx, 2, kick, f, &error_abort));
	assert_true(memory_region_add_subregion(&f->root, GICD, &f->v.dist,
						&error_abort));
	assert_true(address_space_init(&f->as, &f->root, "p0", &error_abort));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	address_space_destroy(&f->as);
	memory_region_del_subregion(&f->root, &f->v.dist, &error_abort);
	vgic_fini(&f->v);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	free(f);
	return 0;
}

static uint32_t rd(struct fx *f, unsigned vcpu, uint64_t off, unsigned size)
{
	uint8_t b[4] = { 0 };

	f->v.accessing = vcpu;
	assert_int_equal(address_space_read(&f->as, GICD + off, b, size), MEMTX_OK);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static void wr(struct fx *f, unsigned vcpu, uint64_t off, uint32_t val,
	       unsigned size)
{
	uint8_t b[4] = { (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)(val >> 16),
			 (uint8_t)(val >> 24) };

	f->v.accessing = vcpu;
	assert_int_equal(address_space_write(&f->as, GICD + off, b, size), MEMTX_OK);
}

static void test_identification(void **state)
{
	struct fx *f = *state;

	/* 96 interrupts (ITLinesNumber 2), 2 CPUs (CPUNumber 1). */
	assert_int_equal(rd(f, 0, 0x004, 4), 2 | 1 << 5);
	assert_int_equal(rd(f, 0, 0x008, 4), 0x0200043b);
	assert_int_equal(rd(f, 0, 0xfe8, 4) >> 4 & 0xf, 2);
	assert_int_equal(rd(f, 0, 0x000, 4), 0);
	wr(f, 0, 0x000, 0xff, 4);
	assert_int_equal(rd(f, 0, 0x000, 4), 3);    /* only EnableGrp0/1 */
}

static void test_registers(void **state)
{
	struct fx *f = *state;

	/* Enable bits: set, read through both views, clear. */
	wr(f, 0, 0x104, 0x00000105, 4);             /* SPIs 32, 34, 40 */
	assert_int_equal(rd(f, 0, 0x104, 4), 0x105);
	assert_int_equal(rd(f, 0, 0x184, 4), 0x105);
	wr(f, 0, 0x184, 0x4, 4);
	assert_int_equal(rd(f, 0, 0x104, 4), 0x101);
	/* Banked: vCPU 1's SGI/PPI enables are its own. */
	wr(f, 1, 0x100, 1u << 27, 4);
	assert_int_equal(rd(f, 1, 0x100, 4), 1u << 27);
	assert_int_equal(rd(f, 0, 0x100, 4), 0);
	/* Priorities byte-wide, 5 bits kept; read as a word. */
	wr(f, 0, 0x420, 0xff, 1);
	wr(f, 0, 0x421, 0x43, 1);
	assert_int_equal(rd(f, 0, 0x420, 4), 0x40f8);
	/* Targets: banked read-only own bit below 32, masked to the
	 * partition's vCPUs above. */
	assert_int_equal(rd(f, 1, 0x81b, 1), 2);
	wr(f, 0, 0x820, 0xff, 1);
	assert_int_equal(rd(f, 0, 0x820, 1), 3);
	/* ICFGR: SGIs fixed edge, SPIs writable. */
	wr(f, 0, 0xc00, 0, 4);
	assert_int_equal(rd(f, 0, 0xc00, 4), 0xaaaaaaaa);
	wr(f, 0, 0xc08, 0x2, 4);
	assert_int_equal(rd(f, 0, 0xc08, 4), 0x2);
	/* Groups. */
	wr(f, 0, 0x084, 0x3, 4);
	assert_int_equal(rd(f, 0, 0x084, 4), 0x3);
	/* Beyond the last interrupt: RAZ/WI. */
	wr(f, 0, 0x10c, 0xffffffff, 4);
	assert_int_equal(rd(f, 0, 0x10c, 4), 0);
}

/* A level SPI: kicked when deliverable, in a list register with the
 * EOI bit, and pending again after completion while the line is high. */
static void test_level_spi(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[NLRS] = { 0 };

	wr(f, 0, 0x000, 1, 4);
	wr(f, 0, 0x821, 0x2, 1);                    /* SPI 33 -> vCPU 1 */
	wr(f, 0, 0x421, 0xa0, 1);
	vgic_set_irq(&f->v, 0, 33, true);
	assert_int_equal(f->kicks[1], 0);           /* not enabled yet */
	wr(f, 0, 0x104, 0x2, 4);
	assert_int_equal(f->kicks[1], 1);
	assert_int_equal(f->kicks[0], 0);
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[0], 0);                /* not vCPU 0's */
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	assert_int_equal(lrs[0], GICH_LR_VIRT(33) | GICH_LR_PRIO(0xa0) |
			 GICH_LR_PENDING | GICH_LR_EOI);
	/* The guest acknowledged it: active. */
	lrs[0] = (lrs[0] & ~(3u << 28)) | GICH_LR_ACTIVE;
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_int_equal(rd(f, 1, 0x304, 4), 0x2);
	/* It completed; the line is still high: pending again. */
	lrs[0] &= ~(3u << 28);
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_int_equal(lrs[0], 0);
	assert_int_equal(rd(f, 1, 0x304, 4), 0);
	assert_int_equal(rd(f, 1, 0x204, 4), 0x2);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	assert_int_not_equal(lrs[0], 0);
	/* Line low, completed: nothing more. */
	vgic_set_irq(&f->v, 0, 33, false);
	lrs[0] &= ~(3u << 28);
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_int_equal(rd(f, 1, 0x204, 4), 0);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	assert_int_equal(lrs[0], 0);
	assert_int_equal(f->v.delivered[1], 2);
}

static void test_sgi(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[NLRS] = { 0 };

	wr(f, 0, 0x000, 1, 4);
	wr(f, 1, 0x100, 1u << 3, 4);                /* vCPU 1 enables SGI 3 */
	wr(f, 0, 0xf00, 2u << 16 | 3, 4);           /* vCPU 0 -> list {1} */
	assert_int_equal(f->kicks[1], 1);
	assert_int_equal(rd(f, 1, 0xf13, 1), 1);    /* pending from vCPU 0 */
	/* A byte write to SGIR is not an SGI. */
	wr(f, 0, 0xf00, 3, 1);
	assert_int_equal(f->kicks[1], 1);
	/* From vCPU 1 itself too (filter 2, "self"). */
	wr(f, 1, 0xf00, 2u << 24 | 3, 4);
	assert_int_equal(rd(f, 1, 0xf13, 1), 3);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	/* One source at a time: the lowest first. */
	assert_int_equal(lrs[0], GICH_LR_VIRT(3) | GICH_LR_CPUID(0) |
			 GICH_LR_PENDING);
	assert_int_equal(lrs[1], 0);
	lrs[0] = 0 | GICH_LR_VIRT(3) | GICH_LR_CPUID(0);   /* completed */
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	assert_int_equal(lrs[0], GICH_LR_VIRT(3) | GICH_LR_CPUID(1) |
			 GICH_LR_PENDING);
	/* Filter 1: everyone but the sender. */
	wr(f, 0, 0x100, 1u << 5, 4);
	wr(f, 1, 0x100, 1u << 5, 4);
	memset(f->kicks, 0, sizeof(f->kicks));
	wr(f, 1, 0xf00, 1u << 24 | 5, 4);
	assert_int_equal(f->kicks[0], 1);
	assert_int_equal(f->kicks[1], 0);
	/* SGIs cannot be made pending through ISPENDR. */
	wr(f, 0, 0x200, 1u << 7, 4);
	assert_int_equal(rd(f, 0, 0x200, 4) & (1u << 7), 0);
}

/* The virtual timer: mapped to the physical PPI, no EOI maintenance,
 * and no second injection while the guest holds it. */
static void test_hw_mapped(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[NLRS] = { 0 };

	vgic_map_hw(&f->v, 0, 27, 27);
	wr(f, 0, 0x000, 1, 4);
	wr(f, 0, 0x100, 1u << 27, 4);
	wr(f, 0, 0x41b, 0x80, 1);
	vgic_set_irq(&f->v, 0, 27, true);
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[0], GICH_LR_VIRT(27) | GICH_LR_PHYS(27) |
			 GICH_LR_HW | GICH_LR_PRIO(0x80) | GICH_LR_PENDING);
	vgic_set_irq(&f->v, 0, 27, true);
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[1], 0);
	lrs[0] &= ~(3u << 28);
	vgic_sync(&f->v, 0, lrs, NLRS);
	assert_int_equal(lrs[0], 0);
	/* The line is the hardware's: completion does not re-pend it. */
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[0], 0);
}

/* More pending than list registers: the rest wait, highest priority
 * first; disabled ones leave their list register and come back. */
static void test_overflow_and_disable(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[2] = { 0 };

	wr(f, 0, 0x000, 1, 4);
	for (unsigned id = 40; id < 43; id++) {
		wr(f, 0, 0x800 + id, 1, 1);
		wr(f, 0, 0x400 + id, (uint8_t)(0x80 - (id - 40) * 0x10), 1);
		wr(f, 0, 0xc00 + id / 4, 0xaa, 1);  /* edge */
	}
	wr(f, 0, 0x104, 0x700, 4);
	for (unsigned id = 40; id < 43; id++)
		vgic_set_irq(&f->v, 0, id, true);
	assert_true(vgic_flush(&f->v, 0, lrs, 2));
	assert_int_equal(lrs[0] & 0x3ff, 42);       /* priority 0x60 */
	assert_int_equal(lrs[1] & 0x3ff, 41);       /* 0x70 */
	/* 41 disabled while still pending in its list register. */
	wr(f, 0, 0x184, 1u << 9, 4);
	vgic_sync(&f->v, 0, lrs, 2);
	assert_int_equal(lrs[1], 0);
	assert_false(vgic_flush(&f->v, 0, lrs, 2));
	assert_int_equal(lrs[1] & 0x3ff, 40);
	/* Re-enabled: pending still, delivered when a slot frees. */
	wr(f, 0, 0x104, 1u << 9, 4);
	assert_int_equal(rd(f, 0, 0x204, 4) & (1u << 9), 1u << 9);
	lrs[0] = 0 | GICH_LR_VIRT(42);
	vgic_sync(&f->v, 0, lrs, 2);
	assert_false(vgic_flush(&f->v, 0, lrs, 2));
	assert_int_equal(lrs[0] & 0x3ff, 41);
}

/* A device's SPI: the guest aims it at vCPU 1, the physical interrupt is
 * told to follow, and vCPU 1 gets it, hardware-mapped. */
static void test_hw_spi_follows_target(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[NLRS] = { 0 };

	f->v.retarget = retarget;
	vgic_map_hw(&f->v, 0, 44, 37);
	wr(f, 0, 0x000, 1, 4);
	wr(f, 0, 0x104, 1u << 12, 4);
	wr(f, 0, 0x82c, 0x2, 1);
	assert_int_equal(f->retargets, 1);
	assert_int_equal(f->last_irq, 44);
	assert_int_equal(f->last_vcpu, 1);
	vgic_set_irq(&f->v, 0, 44, true);
	assert_int_equal(f->kicks[1], 1);
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[0], 0);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	assert_int_equal(lrs[0], GICH_LR_VIRT(44) | GICH_LR_PHYS(37) | GICH_LR_HW |
			 GICH_LR_PENDING);
	/* Software SPIs are not the physical side's business. */
	wr(f, 0, 0x82d, 0x1, 1);
	assert_int_equal(f->retargets, 1);
}

/* An assigned device's INTx: software-injected, its EOI reported (once,
 * at completion, not at acknowledge), its target followed. */
static void test_resampled_spi(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[NLRS] = { 0 };

	f->v.retarget = retarget;
	f->v.eoi = eoi;
	f->lower_at_eoi = true;
	vgic_resample(&f->v, 36);
	vgic_resample(&f->v, 5);                    /* not an SPI: ignored */
	wr(f, 0, 0x000, 1, 4);
	wr(f, 0, 0x824, 0x2, 1);                    /* SPI 36 -> vCPU 1 */
	assert_int_equal(f->retargets, 1);
	assert_int_equal(f->last_vcpu, 1);
	wr(f, 0, 0x104, 1u << 4, 4);
	vgic_set_irq(&f->v, 0, 36, true);
	assert_int_equal(f->kicks[1], 1);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	/* Not hardware-mapped: the EOI bit asks for the maintenance
	 * interrupt that reports the end. */
	assert_int_equal(lrs[0], GICH_LR_VIRT(36) | GICH_LR_PRIO(0) |
			 GICH_LR_PENDING | GICH_LR_EOI);
	lrs[0] = (lrs[0] & ~(3u << 28)) | GICH_LR_ACTIVE;
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_int_equal(f->eois, 0);               /* acknowledged only */
	lrs[0] &= ~(3u << 28);
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_int_equal(f->eois, 1);
	assert_int_equal(f->last_eoi, 36);
	/* The callback lowered the line: nothing pending again. */
	assert_int_equal(rd(f, 1, 0x204, 4), 0);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	assert_int_equal(lrs[0], 0);
	/* A level SPI without resample reports nothing. */
	wr(f, 0, 0x104, 1u << 5, 4);
	wr(f, 0, 0x825, 0x2, 1);
	assert_int_equal(f->retargets, 1);
	vgic_set_irq(&f->v, 0, 37, true);
	assert_false(vgic_flush(&f->v, 1, lrs, NLRS));
	lrs[0] &= ~(3u << 28);
	vgic_sync(&f->v, 1, lrs, NLRS);
	assert_int_equal(f->eois, 1);
}

static void test_distributor_off(void **state)
{
	struct fx *f = *state;
	uint32_t lrs[NLRS] = { 0 };

	wr(f, 0, 0x100, 1u << 20, 4);
	vgic_set_irq(&f->v, 0, 20, true);
	assert_int_equal(f->kicks[0], 0);
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[0], 0);
	wr(f, 0, 0x000, 1, 4);                      /* on: now it goes */
	assert_int_equal(f->kicks[0], 1);
	assert_false(vgic_flush(&f->v, 0, lrs, NLRS));
	assert_int_equal(lrs[0] & 0x3ff, 20);
	assert_false(vgic_init(&f->v, &f->ctx, 9, kick, f, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_spi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sgi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hw_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_and_disable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_distributor_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hw_spi_follows_target, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resampled_spi, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
