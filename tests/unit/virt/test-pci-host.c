// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual PCI host bridge (virt/devices/pci-host.c) on the partition's
 * AddressSpace, as a guest's ECAM driver reaches it: the host bridge at
 * 00:00.0, an empty slot, and the simulated board's function placed at
 * 00:01.0 answering with the guest's view of its config space (its
 * BARs sized and moved through the ECAM).
 */
#include "front-fixture.h"
#include "vfio-pci-partition.h"
#include <partita/virt/devices/pci-host.h>

#define ECAM 0x0f000000ULL

struct fx {
	struct pci_part pp;
	struct vfio_pci_device d;
	struct pci_host h;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	pp_init(&f->pp, 1);
	pp_host_device(&f->pp, &f->d, "0000:00:01.0",
		       IS_ENABLED(CONFIG_VFIO_IOMMUFD));
	assert_true(pci_host_init(&f->h, &f->pp.p.ctx, &error_abort));
	assert_true(memory_region_add_subregion(&f->pp.p.root, ECAM, &f->h.ecam,
						&error_abort));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	memory_region_del_subregion(&f->pp.p.root, &f->h.ecam, &error_abort);
	pci_host_fini(&f->h);
	vfio_pci_fini(&f->d);
	pp_fini(&f->pp);
	free(f);
	return 0;
}

static uint64_t cfg(unsigned dev, unsigned fn, unsigned reg)
{
	return ECAM + ((uint64_t)dev << 15 | (uint64_t)fn << 12 | reg);
}

static uint32_t rd32(struct fx *f, uint64_t a)
{
	uint8_t b[4];

	assert_int_equal(address_space_read(&f->pp.p.as, a, b, 4), MEMTX_OK);
	return pci_get_long(b);
}

static void wr32(struct fx *f, uint64_t a, uint32_t v)
{
	uint8_t b[4];

	pci_set_long(b, v);
	assert_int_equal(address_space_write(&f->pp.p.as, a, b, 4), MEMTX_OK);
}

static void test_bus(void **state)
{
	struct fx *f = *state;
	Error *err = NULL;

	/* The host bridge, as QEMU's gpex. */
	assert_int_equal(rd32(f, cfg(0, 0, PCI_VENDOR_ID)), 0x00081b36);
	assert_int_equal(rd32(f, cfg(0, 0, PCI_CLASS_REVISION)) >> 8, 0x060000);
	wr32(f, cfg(0, 0, PCI_VENDOR_ID), 0);
	assert_int_equal(rd32(f, cfg(0, 0, PCI_VENDOR_ID)), 0x00081b36);
	/* Nothing at 00:01.0 yet, nor at a function of the bridge's slot. */
	assert_int_equal(rd32(f, cfg(1, 0, PCI_VENDOR_ID)), 0xffffffff);
	assert_int_equal(rd32(f, cfg(0, 3, PCI_VENDOR_ID)), 0xffffffff);
	assert_true(pci_host_place(&f->h, 1, 0, &f->d, &error_abort));
	assert_int_equal(rd32(f, cfg(1, 0, PCI_VENDOR_ID)), 0x51d01234);
	assert_int_equal(rd32(f, cfg(1, 1, PCI_VENDOR_ID)), 0xffffffff);
	/* The guest's view: MSI hidden, the list starts at PCI Express. */
	assert_int_equal(rd32(f, cfg(1, 0, PCI_CAPABILITY_LIST)) & 0xff, 0x70);
	/* Placement refusals. */
	assert_false(pci_host_place(&f->h, 1, 0, &f->d, &err));
	assert_string_equal(error_get_pretty(err), "PCI host: 00:01.0 is taken");
	error_free(err);
	err = NULL;
	assert_false(pci_host_place(&f->h, 0, 1, &f->d, &err));
	assert_string_equal(error_get_pretty(err),
			    "PCI host: no slot 00.1 (slots 01-1f, functions 0-7)");
	error_free(err);
}

/* Sizing and placing BAR0 through the ECAM, as an OS does. */
static void test_bar_through_ecam(void **state)
{
	struct fx *f = *state;
	const uint64_t bar0 = WIN_BASE + 0x300000;
	const FlatRange *r;

	assert_true(pci_host_place(&f->h, 3, 0, &f->d, &error_abort));
	wr32(f, cfg(3, 0, PCI_COMMAND), 0);
	wr32(f, cfg(3, 0, PCI_BASE_ADDRESS_0), 0xffffffff);
	assert_int_equal(rd32(f, cfg(3, 0, PCI_BASE_ADDRESS_0)), 0xfffff000);
	wr32(f, cfg(3, 0, PCI_BASE_ADDRESS_0), (uint32_t)bar0);
	wr32(f, cfg(3, 0, PCI_COMMAND), PCI_COMMAND_MEMORY);
	r = flatview_lookup(address_space_get_flatview(&f->pp.p.as), bar0);
	assert_non_null(r);
	assert_ptr_equal(r->mr, &f->d.bars[0].mr);
	assert_int_equal(f->h.accesses, 5);     /* each one an exit on arm64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_through_ecam, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
