// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A vfio-pci function's config space as a guest sees it
 * (drivers/vfio/pci-config.c), on the simulated board's function
 * 0000:00:01.0 (BAR0: 4 KiB of registers, BAR2: 64 KiB of 64-bit
 * prefetchable memory, MSI then PCI Express capabilities): what is passed
 * through, what is emulated, BAR sizing, BARs moved with the partition's
 * AddressSpace following, memory decoding, the window rule, and the
 * writes that are dropped.
 */
#include "front-fixture.h"
#include "vfio-pci-partition.h"

#define SIM_CAP_EXP 0x70                /* arch/host/sim/pci-ecam.c */

struct fx {
	struct pci_part pp;
	struct vfio_pci_device d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	pp_init(&f->pp, 1);
	pp_host_device(&f->pp, &f->d, "0000:00:01.0",
		       IS_ENABLED(CONFIG_VFIO_IOMMUFD));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vfio_pci_fini(&f->d);
	pp_fini(&f->pp);
	free(f);
	return 0;
}

static const MemoryRegion *at(struct fx *f, uint64_t addr)
{
	const FlatRange *r = flatview_lookup(address_space_get_flatview(&f->pp.p.as),
					     addr);

	return r ? r->mr : NULL;
}

static uint32_t rd(struct fx *f, unsigned off, unsigned len)
{
	return vfio_pci_config_read(&f->d, off, len);
}

static void wr(struct fx *f, unsigned off, uint32_t v, unsigned len)
{
	vfio_pci_config_write(&f->d, off, v, len);
}

static void test_passed_through_and_hidden(void **state)
{
	struct fx *f = *state;
	unsigned p;

	assert_int_equal(rd(f, PCI_VENDOR_ID, 4), 0x51d01234);
	assert_int_equal(rd(f, PCI_VENDOR_ID, 2), 0x1234);
	assert_int_equal(rd(f, PCI_INTERRUPT_PIN, 1), 1);
	/* MSI is first on the device: the guest's list starts past it. */
	assert_true(rd(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	p = rd(f, PCI_CAPABILITY_LIST, 1);
	assert_int_equal(p, SIM_CAP_EXP);
	assert_int_equal(rd(f, p, 1), PCI_CAP_ID_EXP);
	assert_int_equal(rd(f, p + 1, 1), 0);
	/* No expansion ROM, whatever is written. */
	assert_int_equal(rd(f, PCI_ROM_ADDRESS, 4), 0);
	wr(f, PCI_ROM_ADDRESS, 0xffffffff, 4);
	assert_int_equal(rd(f, PCI_ROM_ADDRESS, 4), 0);
	/* Read-only fields stay; the interrupt line is the guest's. */
	wr(f, PCI_VENDOR_ID, 0xdeadbeef, 4);
	assert_int_equal(rd(f, PCI_VENDOR_ID, 4), 0x51d01234);
	wr(f, PCI_INTERRUPT_LINE, 0x2a, 1);
	assert_int_equal(rd(f, PCI_INTERRUPT_LINE, 1), 0x2a);
	wr(f, PCI_INTERRUPT_PIN, 4, 1);
	assert_int_equal(rd(f, PCI_INTERRUPT_PIN, 1), 1);
	/* The extended space is not offered. */
	assert_int_equal(rd(f, 0x100, 4), 0);
	assert_int_equal(rd(f, 0xffc, 4), 0);
}

static void test_bar_sizing(void **state)
{
	struct fx *f = *state;

	/* As firmware leaves them: where realize put them, decoding on. */
	assert_int_equal(rd(f, PCI_BASE_ADDRESS_0, 4), WIN_BASE);
	assert_true(rd(f, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY);
	wr(f, PCI_COMMAND, 0, 2);
	wr(f, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	assert_int_equal(rd(f, PCI_BASE_ADDRESS_0, 4), 0xfffff000);
	/* 64-bit BAR2: flags kept, the size in both halves. */
	wr(f, PCI_BASE_ADDRESS_0 + 8, 0xffffffff, 4);
	wr(f, PCI_BASE_ADDRESS_0 + 12, 0xffffffff, 4);
	assert_int_equal(rd(f, PCI_BASE_ADDRESS_0 + 8, 4),
			 (uint32_t)~(SIM_BOARD_BAR_SIZE - 1) |
			 PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(rd(f, PCI_BASE_ADDRESS_0 + 12, 4), 0xffffffff);
	/* Unimplemented BARs read 0 however sized. */
	wr(f, PCI_BASE_ADDRESS_0 + 16, 0xffffffff, 4);
	assert_int_equal(rd(f, PCI_BASE_ADDRESS_0 + 16, 4), 0);
	/* Decoding off: nothing of the function is in the partition. */
	assert_null(at(f, WIN_BASE));
	assert_null(at(f, WIN_BASE + SIM_BOARD_BAR_SIZE));
}

/* The guest's placement, followed by the AddressSpace (and so by both
 * listeners), in one go when decoding is turned on. */
static void test_bar_moves(void **state)
{
	struct fx *f = *state;
	const uint64_t bar0 = WIN_BASE + 0x200000, bar2 = WIN_BASE + 0x400000;

	wr(f, PCI_COMMAND, 0, 2);
	wr(f, PCI_BASE_ADDRESS_0, (uint32_t)bar0, 4);
	wr(f, PCI_BASE_ADDRESS_0 + 8, (uint32_t)bar2, 4);
	wr(f, PCI_BASE_ADDRESS_0 + 12, 0, 4);
	assert_null(at(f, bar0));
	wr(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	assert_ptr_equal(at(f, bar0), &f->d.bars[0].mr);
	assert_ptr_equal(at(f, bar2), &f->d.bars[2].mr);
	assert_null(at(f, WIN_BASE));
	assert_int_equal(f->d.bars[0].addr, bar0);
	assert_string_equal(vfio_pci_config_note(&f->d), "");
	/* Registers through the moved BAR reach the engine. */
	assert_int_equal(address_space_stq_le(&f->pp.p.as, bar0 + SIM_DMA_REG_SRC,
					      0x5000), MEMTX_OK);
	assert_int_equal(address_space_ldq_le(&f->pp.p.m.board.phys,
					      SIM_BOARD_DMA_BASE + SIM_DMA_REG_SRC,
					      NULL), 0x5000);
	/* Bus master went to the device; memory decoding stayed ours. */
	{
		uint8_t raw[2];

		assert_int_equal(vfio_pci_read_config(&f->d, PCI_COMMAND, raw, 2), 2);
		assert_true(pci_get_word(raw) & PCI_COMMAND_MASTER);
	}
	assert_int_equal(rd(f, PCI_COMMAND, 2) &
			 (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER),
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* A move while decoding is on: at once. */
	wr(f, PCI_BASE_ADDRESS_0, (uint32_t)(bar0 + 0x1000), 4);
	assert_ptr_equal(at(f, bar0 + 0x1000), &f->d.bars[0].mr);
	assert_null(at(f, bar0));
}

/* Over the partition's RAM, or anywhere outside its window: not mapped,
 * and said; back inside, mapped again. */
static void test_bar_outside_window(void **state)
{
	struct fx *f = *state;

	wr(f, PCI_BASE_ADDRESS_0, 0x40000000, 4);
	assert_null(at(f, WIN_BASE));
	assert_string_equal(vfio_pci_config_note(&f->d),
			    "BAR 0 at 0x40000000 is outside the partition's "
			    "device window (0x10000000-0x1fffffff): not mapped");
	/* Below its size the address bits are read-only, as on a real
	 * BAR: a misaligned address cannot even be written. */
	wr(f, PCI_BASE_ADDRESS_0 + 8, (uint32_t)(WIN_BASE + 0x1000), 4);
	assert_int_equal(rd(f, PCI_BASE_ADDRESS_0 + 8, 4),
			 (uint32_t)WIN_BASE | PCI_BASE_ADDRESS_MEM_TYPE_64 |
			 PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_ptr_equal(at(f, WIN_BASE), &f->d.bars[2].mr);
	/* Its top half makes it a 64-bit address far outside. */
	wr(f, PCI_BASE_ADDRESS_0 + 12, 0x80, 4);
	assert_null(at(f, WIN_BASE));
	assert_string_equal(vfio_pci_config_note(&f->d),
			    "BAR 0 at 0x40000000 is outside the partition's "
			    "device window (0x10000000-0x1fffffff): not mapped");
	wr(f, PCI_BASE_ADDRESS_0 + 12, 0, 4);
	wr(f, PCI_BASE_ADDRESS_0, (uint32_t)WIN_BASE + 0x100000, 4);
	wr(f, PCI_BASE_ADDRESS_0 + 8, (uint32_t)WIN_BASE + 0x800000, 4);
	assert_ptr_equal(at(f, WIN_BASE + 0x100000), &f->d.bars[0].mr);
	assert_ptr_equal(at(f, WIN_BASE + 0x800000), &f->d.bars[2].mr);
	assert_string_equal(vfio_pci_config_note(&f->d), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_passed_through_and_hidden,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_sizing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_outside_window, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
