// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A partition's guest (virt/guest.c) on a partition-like AddressSpace:
 * checked against its RAM and a FIT built here, created (the PL011
 * placed, the stage 2 attached), loaded (RAM cleared, image and device
 * tree written, the canary), described, and destroyed with every table
 * page given back. Running it is arm64's (the system tests).
 */
#include "test-helpers.h"
#include <partita/digest.h>
#include <partita/mm/memory.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/virt/guest.h>
#include <libfdt.h>

#define POOL_SIZE  (1ULL << 20)
#define POOL_PA    0x80000000ULL
#define RAM_SIZE   (4ULL << 20)
#define RAM_PA     0x40000000ULL
#define RAM_ADDR   0x1000000ULL            /* where the guest sees it */
#define LOAD       0x1080000ULL
#define IMG_SIZE   300

struct fx {
	uint8_t *pool_mem, *ram;
	struct page_pool pool;
	struct umem *um;
	MemoryContext ctx;
	MemoryRegion root, ram_mr;
	AddressSpace as;
	uint8_t fit[8192];
	uint8_t img[IMG_SIZE];
	struct guest_config c;
	struct guest g;
	unsigned long pool_free;
	char lines[4][128];
	unsigned nlines;
};


static void sink(void *opaque, enum log_level level, const char *line)
{
	struct fx *f = opaque;

	if (f->nlines < 4)
		snprintf(f->lines[f->nlines++], sizeof(f->lines[0]), "%s", line);
}

/* A FIT with one image "g" at load (a crc32 hash node, as mkimage
 * writes it). */
static void make_fit(struct fx *f, uint64_t load)
{
	void *fit = f->fit;
	uint32_t crc = cpu_to_fdt32(crc32(f->img, IMG_SIZE));
	int images, img, hash;

	assert_int_equal(fdt_create_empty_tree(fit, sizeof(f->fit)), 0);
	assert_int_equal(fdt_setprop_u32(fit, 0, "#address-cells", 1), 0);
	images = fdt_add_subnode(fit, 0, "images");
	img = fdt_add_subnode(fit, images, "g");
	assert_true(img >= 0);
	assert_int_equal(fdt_setprop(fit, img, "data", f->img, IMG_SIZE), 0);
	fdt_setprop_string(fit, img, "type", "kernel");
	fdt_setprop_string(fit, img, "arch", "arm64");
	fdt_setprop_string(fit, img, "compression", "none");
	fdt_setprop_u32(fit, img, "load", (uint32_t)load);
	fdt_setprop_u32(fit, img, "entry", (uint32_t)load);
	hash = fdt_add_subnode(fit, img, "hash-1");
	fdt_setprop_string(fit, hash, "algo", "crc32");
	assert_int_equal(fdt_setprop(fit, hash, "value", &crc, 4), 0);
}

/* And a ramdisk image "rd" of 100 bytes at load. */
static void add_ramdisk(struct fx *f, uint64_t load, const char *type)
{
	void *fit = f->fit;
	int images = fdt_path_offset(fit, "/images");
	int rd = fdt_add_subnode(fit, images, "rd");

	assert_true(rd >= 0);
	assert_int_equal(fdt_setprop(fit, rd, "data", f->img, 100), 0);
	fdt_setprop_string(fit, rd, "type", type);
	fdt_setprop_string(fit, rd, "arch", "arm64");
	fdt_setprop_string(fit, rd, "compression", "none");
	fdt_setprop_u32(fit, rd, "load", (uint32_t)load);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->pool_mem = aligned_alloc(4096, POOL_SIZE);
	f->ram = aligned_alloc(2 << 20, RAM_SIZE);
	memset(f->ram, 0xaa, RAM_SIZE);       /* the last owner's */
	for (unsigned i = 0; i < IMG_SIZE; i++)
		f->img[i] = (uint8_t)(i * 7 + 1);
	assert_true(page_pool_init(&f->pool, f->pool_mem, POOL_PA, POOL_SIZE,
				   &error_abort));
	f->um = umem_create();
	assert_int_equal(umem_add(f->um, (uint64_t)(uintptr_t)f->ram, RAM_SIZE,
				  RAM_PA, UMEM_RAM), 0);
	memory_context_init(&f->ctx);
	assert_true(memory_region_init(&f->root, &f->ctx, "p0", UINT64_MAX,
				       &error_abort));
	assert_true(memory_region_init_ram_ptr(&f->ram_mr, &f->ctx, "p0.ram",
					       RAM_SIZE, f->ram, &error_abort));
	assert_true(memory_region_add_subregion(&f->root, RAM_ADDR, &f->ram_mr,
						&error_abort));
	assert_true(address_space_init(&f->as, &f->root, "p0", &error_abort));
	f->pool_free = page_pool_free_pages(&f->pool);
	make_fit(f, LOAD);
	f->c = (struct guest_config){
		.name = "p0", .as = &f->as, .root = &f->root, .ctx = &f->ctx,
		.ram = f->ram, .ram_addr = RAM_ADDR, .ram_size = RAM_SIZE,
		.ncpus = 2, .first_cpu = 1, .bootargs = "id=p0 x=1",
		.pool = &f->pool, .um = f->um, .pa_bits = 44, .vmid = 1,
	};
	log_set_sink(sink, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	log_set_sink(NULL, NULL);
	guest_destroy(&f->g);          /* after a failed assertion */
	address_space_destroy(&f->as);
	memory_region_del_subregion(&f->root, &f->ram_mr, &error_abort);
	memory_region_finalize(&f->ram_mr);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	umem_destroy(f->um);
	page_pool_destroy(&f->pool);
	free(f->pool_mem);
	free(f->ram);
	free(f);
	return 0;
}

static void check_fails(struct fx *f, const char *image, const char *want)
{
	Error *err = NULL;

	assert_false(guest_check(&f->c, f->fit, sizeof(f->fit), image, NULL, &err));
	assert_non_null(err);
	assert_non_null(strstr(error_get_pretty(err), want));
	error_free(err);
}

static void check_initrd_fails(struct fx *f, const char *want)
{
	Error *err = NULL;

	assert_false(guest_check(&f->c, f->fit, sizeof(f->fit), "g", "rd", &err));
	assert_non_null(strstr(error_get_pretty(err), want));
	error_free(err);
}

static void test_check(void **state)
{
	struct fx *f = *state;

	assert_true(guest_check(&f->c, f->fit, sizeof(f->fit), "g", NULL, &error_abort));
	assert_int_equal(f->c.image.load, LOAD);
	assert_int_equal(f->c.image.entry, LOAD);
	assert_int_equal(f->c.image.size, IMG_SIZE);
	assert_int_equal(f->c.image.hashes, 1);
	check_fails(f, "nope", "FIT image 'nope': no such image in the FIT");
}

static void test_check_refusals(void **state)
{
	struct fx *f = *state;
	struct guest_config keep = f->c;
	Error *err = NULL;

	f->c.ram_addr = GUEST_VDEV_BASE - RAM_SIZE / 2;
	check_fails(f, "g", "overlaps the guest's emulated devices");
	f->c = keep;
	f->c.ncpus = 0;
	check_fails(f, "g", "a guest has 1 to 8 vCPUs");
	f->c.ncpus = GUEST_MAX_VCPUS + 1;
	check_fails(f, "g", "a guest has 1 to 8 vCPUs");
	f->c = keep;
	f->c.ram_size = GUEST_DTB_SIZE;
	check_fails(f, "g", "too few for a guest");
	f->c = keep;
	f->c.canary_addr = RAM_ADDR + 4;
	check_fails(f, "g", "x-canary=0x1000004 is not an aligned word");
	f->c.canary_addr = RAM_ADDR + RAM_SIZE - 8;   /* in the DTB's room */
	check_fails(f, "g", "is not an aligned word of its RAM below");
	f->c = keep;
	assert_false(guest_check(&f->c, NULL, 0, "g", NULL, &err));
	assert_non_null(strstr(error_get_pretty(err), "no FIT was handed over"));
	error_free(err);
	/* An image whose end reaches the device tree's room. */
	make_fit(f, RAM_ADDR + RAM_SIZE - GUEST_DTB_SIZE - IMG_SIZE + 1);
	check_fails(f, "g", "over the device tree Partita puts in the last 64 KiB");
	make_fit(f, RAM_ADDR + RAM_SIZE - GUEST_DTB_SIZE - IMG_SIZE);
	assert_true(guest_check(&f->c, f->fit, sizeof(f->fit), "g", NULL, &error_abort));
}

static void test_create_load(void **state)
{
	struct fx *f = *state;
	struct guest *g = &f->g;
	const uint8_t *dtb;
	const char *args;
	int node, n = 0, len;
	const fdt64_t *reg;
	uint8_t ch;

	f->c.canary_addr = RAM_ADDR + 0x200000;
	assert_true(guest_check(&f->c, f->fit, sizeof(f->fit), "g", NULL, &error_abort));
	assert_true(guest_create(g, &f->c, &error_abort));
	assert_true(page_pool_free_pages(&f->pool) < f->pool_free);
	/* RAM mapped to its physical pages, the PL011 left to trap. */
	assert_int_equal(stage2_ipa_to_pa(&g->s2, RAM_ADDR + 0x1234),
			 RAM_PA + 0x1234);
	assert_int_equal(stage2_ipa_to_pa(&g->s2, GUEST_UART_ADDR), 0);
	/* The virtual distributor answers through the AddressSpace (2 vCPUs,
	 * 96 interrupts) and is not in the stage 2 either: it traps. */
	{
		uint8_t t[4];

		assert_int_equal(address_space_read(&f->as, GUEST_GICD_ADDR + 4,
						    t, 4), MEMTX_OK);
		assert_int_equal(t[0], 2 | 1 << 5);
		assert_int_equal(stage2_ipa_to_pa(&g->s2, GUEST_GICD_ADDR), 0);
	}
	assert_true(guest_load(g, &error_abort));
	/* Cleared, then the image at its load address. */
	assert_int_equal(f->ram[0], 0);
	assert_int_equal(f->ram[LOAD - RAM_ADDR - 1], 0);
	assert_memory_equal(f->ram + (LOAD - RAM_ADDR), f->img, IMG_SIZE);
	assert_int_equal(f->ram[LOAD - RAM_ADDR + IMG_SIZE], 0);
	assert_true(guest_canary_intact(g));
	f->ram[0x200003] ^= 1;
	assert_false(guest_canary_intact(g));
	/* The device tree in the last 64 KiB: memory, CPUs, bootargs. */
	assert_int_equal(g->dtb_ipa, RAM_ADDR + RAM_SIZE - GUEST_DTB_SIZE);
	dtb = f->ram + (g->dtb_ipa - RAM_ADDR);
	assert_int_equal(fdt_check_header(dtb), 0);
	node = fdt_path_offset(dtb, "/memory@1000000");
	reg = fdt_getprop(dtb, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_to_cpu(reg[0]), RAM_ADDR);
	assert_int_equal(fdt64_to_cpu(reg[1]), RAM_SIZE);
	fdt_for_each_subnode(node, dtb, fdt_path_offset(dtb, "/cpus"))
		n++;
	assert_int_equal(n, 2);
	args = fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "bootargs", NULL);
	assert_string_equal(args, "id=p0 x=1");
	/* The guest's console: writes through the AddressSpace, whole
	 * lines with the partition's prefix. */
	f->nlines = 0;
	for (const char *s = "hi\n"; *s; s++) {
		ch = (uint8_t)*s;
		assert_int_equal(address_space_write(&f->as, GUEST_UART_ADDR, &ch, 1),
				 MEMTX_OK);
	}
	assert_int_equal(f->nlines, 1);
	assert_string_equal(f->lines[0], "[p0] hi\n");
	guest_destroy(g);
	assert_int_equal(page_pool_free_pages(&f->pool), f->pool_free);
	assert_int_not_equal(address_space_write(&f->as, GUEST_UART_ADDR, &ch, 1),
			     MEMTX_OK);
}

/* An initrd from the FIT: beside the image, copied, named in /chosen. */
static void test_initrd(void **state)
{
	struct fx *f = *state;
	const uint8_t *dtb;
	const fdt64_t *v;
	int chosen;

	add_ramdisk(f, RAM_ADDR + 0x200000, "ramdisk");
	assert_true(guest_check(&f->c, f->fit, sizeof(f->fit), "g", "rd",
				&error_abort));
	assert_int_equal(f->c.initrd.size, 100);
	assert_true(guest_create(&f->g, &f->c, &error_abort));
	assert_true(guest_load(&f->g, &error_abort));
	assert_memory_equal(f->ram + 0x200000, f->img, 100);
	dtb = f->ram + (f->g.dtb_ipa - RAM_ADDR);
	chosen = fdt_path_offset(dtb, "/chosen");
	v = fdt_getprop(dtb, chosen, "linux,initrd-start", NULL);
	assert_int_equal(fdt64_to_cpu(*v), RAM_ADDR + 0x200000);
	v = fdt_getprop(dtb, chosen, "linux,initrd-end", NULL);
	assert_int_equal(fdt64_to_cpu(*v), RAM_ADDR + 0x200000 + 100);
	guest_destroy(&f->g);
	memset(&f->g, 0, sizeof(f->g));
}

static void test_initrd_refused(void **state)
{
	struct fx *f = *state;

	/* Over the kernel image. */
	add_ramdisk(f, LOAD + 8, "ramdisk");
	check_initrd_fails(f, "FIT image 'rd': 0x1080008-0x108006b overlaps image 'g'");
	/* A kernel is not a ramdisk. */
	make_fit(f, LOAD);
	add_ramdisk(f, RAM_ADDR, "kernel");
	check_initrd_fails(f, "FIT image 'rd': 'type' must be ramdisk for an initrd");
	/* No such image. */
	make_fit(f, LOAD);
	check_initrd_fails(f, "FIT image 'rd': no such image in the FIT");
}

static void test_describe(void **state)
{
	struct fx *f = *state;
	struct guest *g = &f->g;
	char buf[320];
	uint8_t ch;

	assert_true(guest_check(&f->c, f->fit, sizeof(f->fit), "g", NULL, &error_abort));
	assert_true(guest_create(g, &f->c, &error_abort));
	g->state = GUEST_EXITED;
	guest_describe(g, buf, sizeof(buf));
	assert_string_equal(buf, "exited, no status");
	assert_int_equal(guest_exit_status(g), 1);
	for (const char *s = "EXIT: STATUS=0\n"; *s; s++) {
		ch = (uint8_t)*s;
		address_space_write(&f->as, GUEST_UART_ADDR, &ch, 1);
	}
	guest_describe(g, buf, sizeof(buf));
	assert_string_equal(buf, "exited 0");
	assert_int_equal(guest_exit_status(g), 0);
	assert_true(guest_ended(g));
	g->state = GUEST_TIMED_OUT;
	g->cfg.timeout_ns = 3000000000ULL;
	guest_describe(g, buf, sizeof(buf));
	assert_string_equal(buf, "timed out after 3 s");
	assert_int_equal(guest_exit_status(g), 1);
	g->state = GUEST_STOPPED;
	snprintf(g->reason, sizeof(g->reason), "stage-2 fault at IPA 0x2000000");
	guest_describe(g, buf, sizeof(buf));
	assert_string_equal(buf, "stopped: stage-2 fault at IPA 0x2000000");
	g->state = GUEST_RUNNING;
	assert_false(guest_ended(g));
	guest_destroy(g);
	assert_int_equal(page_pool_free_pages(&f->pool), f->pool_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
