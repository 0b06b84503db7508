// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-platform on the simulated board: the bus driver's answers (flags,
 * regions, automasked interrupts, MASK/UNMASK, no reset), the front's
 * device selection (fd > sysfsdev > host, "wrong host device name"), the
 * compatible list from of_node, regions in the partition (registers
 * through the fd, the SRAM mapped), the engine programmed from the
 * partition doing DMA that lands inside it and faults outside it, its
 * level interrupt reaching the partition once per EOI, the bindings
 * table ("can not be dynamically instantiated") and the node written
 * into the partition's device tree, and every allocation of realize
 * failed in turn leaving nothing behind. Runs in every backend
 * configuration.
 */
#include "front-fixture.h"
#include "vfio-pci-partition.h"
#include <libfdt.h>
#include <partita/errno.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/platform.h>

#define IRQ_BASE 64
#define IRQ_COUNT 8
#define PLAT_RAM (4ULL << 20)

struct plat_part {
	struct pci_part pp;
	unsigned irq_next;
	unsigned raised[4];          /* lines raised, in order */
	unsigned nraised;
};

static void raise_line(void *opaque, unsigned line)
{
	struct plat_part *t = opaque;

	if (t->nraised < 4)
		t->raised[t->nraised] = line;
	t->nraised++;
}

static void mystery_compat(struct sim_machine *m)
{
	static const char c[] = "vendor,mystery-dma";

	memcpy(m->plats[1].compatible, c, sizeof(c));
	m->plats[1].compatible_len = sizeof(c);
}

static void tp_init_setup(struct plat_part *t, void (*setup)(struct sim_machine *))
{
	struct pci_part *pp = &t->pp;

	memset(t, 0, sizeof(*t));
	part_init_all(&pp->p, 1, PLAT_RAM, SIM_M_IDR_ALL, 0, 0, 2, setup);
	pp->next = WIN_BASE;
	t->irq_next = IRQ_BASE;
	pp->pl = (struct vfio_placement){ .as = &pp->p.as, .ctx = &pp->p.ctx,
					  .parent = &pp->p.root,
					  .mmio_base = WIN_BASE,
					  .mmio_size = WIN_SIZE, .next = &pp->next,
					  .irq_base = IRQ_BASE,
					  .irq_count = IRQ_COUNT,
					  .irq_next = &t->irq_next,
					  .irq_raise = raise_line, .irq_opaque = t };
	pp->be = part_iommufd(&pp->p);
}

static void tp_init(struct plat_part *t)
{
	tp_init_setup(t, NULL);
}

static void tp_fini(struct plat_part *t)
{
	pp_fini(&t->pp);
}

static bool tp_device(struct plat_part *t, struct vfio_platform_device *v,
		      const char *props, Error **errp)
{
	return front_set_props(vfio_platform, &t->pp.p.reg, v, props, errp) &&
	       vfio_platform_realize(&t->pp.p.reg, v, &t->pp.pl, errp);
}

static uint64_t get_le64(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 8; i--;)
		v = v << 8 | b[i];
	return v;
}

static void expect_error(Error *err, const char *msg)
{
	assert_non_null(err);
	assert_string_equal(error_get_pretty(err), msg);
	error_free(err);
}

/* Nothing of a failed or undone realize is left. */
static void nothing_left(struct plat_part *t, unsigned i)
{
	assert_null(t->pp.p.reg.spaces);
	assert_int_equal(t->pp.next, WIN_BASE);
	assert_int_equal(t->irq_next, IRQ_BASE);
	assert_null(vfio_core_device_of(&t->pp.p.m.plat_devs[i])->triggers);
	assert_int_equal(t->pp.p.m.plat_devs[i].owner, DEVICE_OWNER_NONE);
	assert_null(t->pp.p.root.subregions->next_sibling);   /* only the RAM */
}

/* ---- below the line ---------------------------------------------------- */

static void test_bus_driver(void **state)
{
	struct plat_part t;
	struct sys *sys;
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} req;
	struct iommufd_backend *be;
	struct vfio_device dev;
	char buf[64];
	long n;
	(void)state;

	tp_init(&t);
	sys = t.pp.p.m.sys;
	/* What discovery published: the sysfs entry and its node. */
	n = sys_read_file(sys, "/sys/bus/platform/devices/a100000.dma/of_node/"
			  "compatible", buf, sizeof(buf));
	assert_int_equal(n, sizeof("partita,sim-dma-v1\0partita,sim-dma"));
	assert_memory_equal(buf, "partita,sim-dma-v1\0partita,sim-dma", n);
	assert_int_equal(sys_realpath(sys, "/sys/bus/platform/devices/a110000.dma/"
				      "of_node", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/firmware/devicetree/base/soc/dma@a110000");

	/* Attach it like any device to get a usable file. */
	be = t.pp.be;
	vfio_device_init(&dev, false);
	dev.sysfsdev = heap_strdup("/sys/bus/platform/devices/a100000.dma");
	dev.iommufd = be;
	assert_true(vfio_device_get_name(&t.pp.p.reg, &dev, &error_abort));
	assert_true(vfio_attach_device(&t.pp.p.reg, &dev, &t.pp.p.as, &error_abort));
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_GET_INFO, &info), 0);
	assert_int_equal(info.flags, VFIO_DEVICE_FLAGS_PLATFORM);   /* no RESET */
	assert_int_equal(info.num_regions, 2);
	assert_int_equal(info.num_irqs, 1);
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_RESET, NULL), -EINVAL);
	ri.index = 0;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_GET_REGION_INFO, &ri), 0);
	assert_int_equal(ri.size, 0x1000);
	assert_int_equal(ri.offset, 0);
	assert_int_equal(ri.flags, VFIO_REGION_INFO_FLAG_READ |
				   VFIO_REGION_INFO_FLAG_WRITE);
	ri.index = 1;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_GET_REGION_INFO, &ri), 0);
	assert_int_equal(ri.size, SIM_BOARD_PDMA_SRAM_SIZE);
	assert_int_equal(ri.offset, 1ULL << VFIO_PLATFORM_OFFSET_SHIFT);
	assert_int_equal(ri.flags, VFIO_REGION_INFO_FLAG_READ |
		VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP);
	ri.index = 2;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
			 -EINVAL);
	ii.index = 0;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii), 0);
	assert_int_equal(ii.count, 1);
	assert_int_equal(ii.flags, VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
				   VFIO_IRQ_INFO_AUTOMASKED);
	/* The registers read through the file reach the engine. */
	n = sys_pread(sys, dev.fd, buf, 8, SIM_DMA_REG_STATUS);
	assert_int_equal(n, 8);
	assert_int_equal(buf[0], SIM_DMA_IDLE);
	/* MASK/UNMASK: only without an eventfd; only index 0, sub 0. */
	req.set = (struct vfio_irq_set){ .argsz = sizeof(req), .index = 0,
		.start = 0, .count = 1,
		.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK };
	req.fd = -1;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_SET_IRQS, &req), -ENOTTY);
	req.set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK;
	req.set.index = 1;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_SET_IRQS, &req), -EINVAL);
	req.set.index = 0;
	req.set.start = 1;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_SET_IRQS, &req), -EINVAL);
	req.set.start = 0;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_SET_IRQS, &req), 0);
	assert_true(t.pp.p.m.plats[0].irqs[0].masked);
	/* Fired while masked: kept, and delivered by the unmask (no trigger
	 * set, so only the pending state shows it). */
	vfio_platform_irq(&t.pp.p.m.plats[0], 0);
	assert_true(t.pp.p.m.plats[0].irqs[0].pending);
	req.set.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_UNMASK;
	req.fd = 0;                                  /* bool false: nothing */
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_SET_IRQS, &req), 0);
	assert_true(t.pp.p.m.plats[0].irqs[0].masked);
	req.set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK;
	assert_int_equal(sys_ioctl(sys, dev.fd, VFIO_DEVICE_SET_IRQS, &req), 0);
	assert_false(t.pp.p.m.plats[0].irqs[0].pending);
	/* Level: delivering it masked it again. */
	assert_true(t.pp.p.m.plats[0].irqs[0].masked);
	vfio_detach_device(&dev);
	vfio_device_fini(&dev);
	/* Closing the file leaves the next user a clean interrupt. */
	assert_false(t.pp.p.m.plats[0].irqs[0].masked);
	tp_fini(&t);
}

/* ---- the front ------------------------------------------------------------ */

/* The management layer's fd 9: device 0's file. */
static void fd9(struct plat_part *t)
{
	struct sys *sys = t->pp.p.m.sys;
	int fd = sys_open(sys, "/dev/vfio/devices/vfio120");
	struct sys_file *f = sys_fget(sys, fd);

	assert_int_equal(sys_install_fd(sys, 9, f), 9);
	sys_close(sys, fd);
}

static void test_selection(void **state)
{
	struct plat_part t;
	struct vfio_platform_device v;
	Error *err = NULL;
	(void)state;
	LEAK_CHECK_BEGIN();

	tp_init(&t);
	/* Nothing names it; a host= with a '/'. */
	assert_false(tp_device(&t, &v, "x-no-mmap=off", &err));
	expect_error(err, "vfio error: wrong host device name");
	err = NULL;
	vfio_platform_fini(&v);
	assert_false(tp_device(&t, &v, "host=../a100000.dma", &err));
	expect_error(err, "vfio error: wrong host device name");
	err = NULL;
	vfio_platform_fini(&v);
	assert_false(tp_device(&t, &v, "host=nope.dma", &err));
	expect_error(err, "vfio /sys/bus/platform/devices/nope.dma: no such host "
		     "device: No such file or directory");
	err = NULL;
	vfio_platform_fini(&v);
	assert_false(tp_device(&t, &v, "host=a100000.dma,x-no-mmap=perhaps", &err));
	assert_non_null(err);
	error_free(err);
	err = NULL;
	vfio_platform_fini(&v);
	nothing_left(&t, 0);
	/* sysfsdev= wins over host=. */
	{
		char props[128];

		snprintf(props, sizeof(props), "host=nope.dma,sysfsdev=/sys/bus/"
			 "platform/devices/a110000.dma%s",
			 backend_props(IS_ENABLED(CONFIG_VFIO_IOMMUFD)));
		assert_true(tp_device(&t, &v, props, &error_abort));
		assert_string_equal(v.vbase.name, "a110000.dma");
		vfio_platform_fini(&v);
	}
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		/* fd= alone: no way to find the node (QEMU reads a NULL path).
		 * The device was attached, so its fd is closed with it. */
		fd9(&t);
		assert_false(tp_device(&t, &v, "fd=9,iommufd=iommufd0", &err));
		expect_error(err, "vfio VFIO_FD9: cannot read the device's "
			     "compatible string: give sysfsdev= or host= with fd=");
		err = NULL;
		vfio_platform_fini(&v);
		assert_null(sys_fget(t.pp.p.m.sys, 9));
		/* fd= over host=, which still names it and finds its node. */
		fd9(&t);
		assert_true(tp_device(&t, &v, "fd=9,host=a100000.dma,"
				      "iommufd=iommufd0", &error_abort));
		assert_string_equal(v.vbase.name, "a100000.dma");
		assert_null(v.vbase.sysfsdev);
		assert_int_equal(v.num_compat, 2);
		vfio_platform_fini(&v);
		/* fd= over a sysfsdev= naming another device. */
		fd9(&t);
		assert_true(tp_device(&t, &v, "fd=9,sysfsdev=/sys/bus/platform/"
				      "devices/a110000.dma,iommufd=iommufd0",
				      &error_abort));
		assert_string_equal(v.vbase.name, "VFIO_FD9");
		assert_int_equal(v.irqs[0].flags & VFIO_IRQ_INFO_AUTOMASKED,
				 VFIO_IRQ_INFO_AUTOMASKED);
		/* It is device 0's file, whatever sysfsdev says. */
		assert_non_null(vfio_core_device_of(&t.pp.p.m.plat_devs[0])->triggers);
		assert_null(vfio_core_device_of(&t.pp.p.m.plat_devs[1])->triggers);
		vfio_platform_fini(&v);
	}
	/* Each realize took window space (never given back in a static
	 * partition); nothing else is left. */
	assert_null(t.pp.p.reg.spaces);
	assert_null(vfio_core_device_of(&t.pp.p.m.plat_devs[0])->triggers);
	assert_null(vfio_core_device_of(&t.pp.p.m.plat_devs[1])->triggers);
	tp_fini(&t);
	LEAK_CHECK_END();
}

static uint64_t reg_read(struct plat_part *t, uint64_t reg)
{
	return address_space_ldq_le(&t->pp.p.as, WIN_BASE + reg, NULL);
}

/* The partition programs the engine in its own MMIO window. */
static uint64_t dma_copy(struct plat_part *t, uint64_t src, uint64_t dst,
			 uint64_t len)
{
	AddressSpace *as = &t->pp.p.as;

	address_space_stq_le(as, WIN_BASE + SIM_DMA_REG_SRC, src);
	address_space_stq_le(as, WIN_BASE + SIM_DMA_REG_DST, dst);
	address_space_stq_le(as, WIN_BASE + SIM_DMA_REG_LEN, len);
	address_space_stq_le(as, WIN_BASE + SIM_DMA_REG_CMD, SIM_DMA_CMD_GO);
	return reg_read(t, SIM_DMA_REG_STATUS);
}

static void realize_on(bool iommufd)
{
	struct plat_part t;
	struct vfio_platform_device v;
	uint8_t *ram, *sram;
	char props[96];
	LEAK_CHECK_BEGIN();

	tp_init(&t);
	ram = t.pp.p.m.user + PART_RAM_OFFSET;
	sram = sim_board_pdma_sram_ptr(&t.pp.p.m.board, 0);
	snprintf(props, sizeof(props), "host=a100000.dma%s", backend_props(iommufd));
	part_clear_log(&t.pp.p);
	assert_true(tp_device(&t, &v, props, &error_abort));
	assert_non_null(strstr(t.pp.p.cap.buf, "vfio a100000.dma: "
			       "partita,sim-dma-v1, 2 region(s), 1 interrupt(s), "));
	assert_string_equal(v.vbase.bcontainer->backend,
			    iommufd ? "iommufd" : "legacy");
	assert_int_equal(v.num_compat, 2);
	assert_int_equal(v.compat_len, sizeof("partita,sim-dma-v1\0partita,sim-dma"));
	/* Registers at the window's base (through the fd), the SRAM after
	 * them aligned to its size and mapped. */
	assert_int_equal(v.regions[0].addr, WIN_BASE);
	assert_null(v.regions[0].mmap);
	assert_int_equal(v.regions[1].addr, WIN_BASE + SIM_BOARD_PDMA_SRAM_SIZE);
	assert_ptr_equal(v.regions[1].mmap, sram);
	assert_int_equal(t.pp.next, WIN_BASE + 2 * SIM_BOARD_PDMA_SRAM_SIZE);
	assert_int_equal(v.irqs[0].line, IRQ_BASE);
	assert_int_equal(t.irq_next, IRQ_BASE + 1);
	/* The SRAM from the partition is the device's. */
	address_space_stq_le(&t.pp.p.as, WIN_BASE + SIM_BOARD_PDMA_SRAM_SIZE + 8,
			     0xfeedf00d);
	assert_int_equal(get_le64(sram + 8), 0xfeedf00d);

	/* DMA inside the partition lands, and the interrupt comes in on the
	 * partition's line. */
	memset(ram + 0x1000, 0x5a, 256);
	memset(ram + 0x3000, 0, 256);
	assert_int_equal(dma_copy(&t, 0x1000, 0x3000, 256), SIM_DMA_DONE);
	assert_int_equal(ram[0x3000], 0x5a);
	assert_int_equal(ram[0x30ff], 0x5a);
	assert_int_equal(t.nraised, 1);
	assert_int_equal(t.raised[0], IRQ_BASE);
	assert_int_equal(v.irqs[0].count, 1);
	/* Level: the next completion waits for the EOI... */
	assert_int_equal(dma_copy(&t, 0x1000, 0x3100, 16), SIM_DMA_DONE);
	assert_int_equal(t.nraised, 1);
	assert_true(t.pp.p.m.plats[0].irqs[0].pending);
	/* ...which delivers it at once. */
	assert_false(vfio_platform_eoi(&v, IRQ_BASE + 1));
	assert_true(vfio_platform_eoi(&v, IRQ_BASE));
	assert_int_equal(t.nraised, 2);
	assert_int_equal(v.irqs[0].count, 2);
	assert_true(vfio_platform_eoi(&v, IRQ_BASE));

	/* Outside the partition: a fault, nothing written. */
	assert_int_equal(dma_copy(&t, 0x1000, PLAT_RAM + 0x1000, 64),
			 SIM_DMA_FAULT);
	assert_int_equal(reg_read(&t, SIM_DMA_REG_FAULT), PLAT_RAM + 0x1000);
	assert_int_equal(dma_copy(&t, 0x1000, WIN_BASE + 0x100000, 64),
			 SIM_DMA_FAULT);
	/* Into its own SRAM by its partition address: peer-to-peer, mapped
	 * by the legacy backend; iommufd cannot map device memory ("PCI
	 * BAR?") and the DMA faults. */
	memset(sram + 0x100, 0, 16);
	assert_int_equal(dma_copy(&t, 0x1000, WIN_BASE + SIM_BOARD_PDMA_SRAM_SIZE +
				  0x100, 16), iommufd ? SIM_DMA_FAULT : SIM_DMA_DONE);
	assert_int_equal(sram[0x100], iommufd ? 0 : 0x5a);
	if (iommufd)
		assert_non_null(strstr(t.pp.p.cap.buf, "PCI BAR?\npartita: "
				       "vfio_container_dma_map("));
	assert_true(vfio_platform_eoi(&v, IRQ_BASE));

	/* Unrealize: the partition's window is empty, the triggers gone; a
	 * completion reaches nobody. */
	vfio_platform_unrealize(&v);
	assert_null(t.pp.p.reg.spaces);
	assert_null(t.pp.p.root.subregions->next_sibling);
	assert_null(vfio_core_device_of(&t.pp.p.m.plat_devs[0])->triggers);
	{
		unsigned long before = t.pp.p.m.plats[0].irqs_delivered;

		vfio_platform_irq(&t.pp.p.m.plats[0], 0);
		assert_int_equal(t.pp.p.m.plats[0].irqs_delivered, before);
	}
	vfio_platform_fini(&v);
	tp_fini(&t);
	LEAK_CHECK_END();
}

static void test_realize_and_run(void **state)
{
	(void)state;
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD))
		realize_on(true);
	if (IS_ENABLED(CONFIG_VFIO_LEGACY))
		realize_on(false);
}

static void test_x_no_mmap(void **state)
{
	struct plat_part t;
	struct vfio_platform_device v;
	char props[96];
	(void)state;

	tp_init(&t);
	snprintf(props, sizeof(props), "host=a100000.dma,x-no-mmap=on%s",
		 backend_props(IS_ENABLED(CONFIG_VFIO_IOMMUFD)));
	assert_true(tp_device(&t, &v, props, &error_abort));
	assert_null(v.regions[1].mmap);
	/* Still the SRAM, now through the fd. */
	address_space_stq_le(&t.pp.p.as, WIN_BASE + SIM_BOARD_PDMA_SRAM_SIZE + 4,
			     0x12345678);
	assert_int_equal(get_le64((uint8_t *)sim_board_pdma_sram_ptr(
				  &t.pp.p.m.board, 0) + 4), 0x12345678);
	vfio_platform_fini(&v);
	tp_fini(&t);
}

static void test_not_instantiable(void **state)
{
	struct plat_part t;
	struct vfio_platform_device v;
	char props[96];
	Error *err = NULL;
	(void)state;
	LEAK_CHECK_BEGIN();

	tp_init_setup(&t, mystery_compat);
	snprintf(props, sizeof(props), "host=a110000.dma%s",
		 backend_props(IS_ENABLED(CONFIG_VFIO_IOMMUFD)));
	assert_false(tp_device(&t, &v, props, &err));
	part_clear_log(&t.pp.p);
	error_report_err(err);
	assert_string_equal(t.pp.p.cap.buf,
		"partita: vfio a110000.dma: Device a110000.dma can not be "
		"dynamically instantiated\n"
		"Its compatible string \"vendor,mystery-dma\" is not in Partita's "
		"bindings table (docs/vfio.md)\n");
	assert_null(v.compat);
	nothing_left(&t, 1);
	vfio_platform_fini(&v);
	/* The table: a later entry of the list matches; none does. */
	assert_non_null(vfio_platform_find_binding("x,y\0partita,sim-dma",
						   sizeof("x,y\0partita,sim-dma")));
	assert_non_null(vfio_platform_find_binding("calxeda,hb-xgmac",
						   sizeof("calxeda,hb-xgmac")));
	assert_null(vfio_platform_find_binding("partita,sim", sizeof("partita,sim")));
	assert_null(vfio_platform_find_binding("", 0));
	tp_fini(&t);
	LEAK_CHECK_END();
}

static const fdt32_t *prop_cells(const void *fdt, int node, const char *name,
				 int len)
{
	int l = -1;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &l);

	assert_non_null(p);
	assert_int_equal(l, len);
	return p;
}

static void test_fdt_node(void **state)
{
	static char fdt[4096], before[4096];
	struct plat_part t;
	struct vfio_platform_device v;
	const fdt32_t *c;
	char props[96];
	Error *err = NULL;
	int soc, node, len;
	(void)state;

	tp_init(&t);
	snprintf(props, sizeof(props), "host=a100000.dma%s",
		 backend_props(IS_ENABLED(CONFIG_VFIO_IOMMUFD)));
	assert_true(tp_device(&t, &v, props, &error_abort));
	/* The partition's tree: /soc with two address cells, /bus with one. */
	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	soc = fdt_add_subnode(fdt, 0, "soc");
	assert_true(soc > 0);
	assert_int_equal(fdt_setprop_u32(fdt, soc, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, soc, "#size-cells", 2), 0);
	node = fdt_add_subnode(fdt, 0, "bus");
	assert_int_equal(fdt_setprop_u32(fdt, node, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, node, "#size-cells", 1), 0);

	assert_true(vfio_platform_add_fdt_node(&v, fdt, "/soc", &error_abort));
	node = fdt_path_offset(fdt, "/soc/dma@10000000");
	assert_true(node > 0);
	assert_memory_equal(fdt_getprop(fdt, node, "compatible", &len),
			    "partita,sim-dma-v1\0partita,sim-dma", v.compat_len);
	assert_int_equal(len, v.compat_len);
	c = prop_cells(fdt, node, "reg", 32);
	assert_int_equal(fdt32_to_cpu(c[0]), 0);
	assert_int_equal(fdt32_to_cpu(c[1]), WIN_BASE);
	assert_int_equal(fdt32_to_cpu(c[3]), 0x1000);
	assert_int_equal(fdt32_to_cpu(c[5]), WIN_BASE + SIM_BOARD_PDMA_SRAM_SIZE);
	assert_int_equal(fdt32_to_cpu(c[7]), SIM_BOARD_PDMA_SRAM_SIZE);
	c = prop_cells(fdt, node, "interrupts", 12);
	assert_int_equal(fdt32_to_cpu(c[0]), 0);              /* SPI */
	assert_int_equal(fdt32_to_cpu(c[1]), IRQ_BASE);
	assert_int_equal(fdt32_to_cpu(c[2]), 4);              /* level high */
	prop_cells(fdt, node, "dma-coherent", 0);
	/* One-cell parent. */
	assert_true(vfio_platform_add_fdt_node(&v, fdt, "/bus", &error_abort));
	c = prop_cells(fdt, fdt_path_offset(fdt, "/bus/dma@10000000"), "reg", 16);
	assert_int_equal(fdt32_to_cpu(c[2]), WIN_BASE + SIM_BOARD_PDMA_SRAM_SIZE);

	/* Failures leave the tree as it was. */
	memcpy(before, fdt, sizeof(fdt));
	assert_false(vfio_platform_add_fdt_node(&v, fdt, "/soc", &err));
	expect_error(err, "partition device tree: cannot add /soc/dma@10000000: "
		     "FDT_ERR_EXISTS");
	err = NULL;
	assert_false(vfio_platform_add_fdt_node(&v, fdt, "/nowhere", &err));
	expect_error(err, "partition device tree: no node /nowhere: "
		     "FDT_ERR_NOTFOUND");
	err = NULL;
	assert_memory_equal(before, fdt, sizeof(fdt));
	/* A tree with room for the node but not its properties: the node
	 * goes again. */
	assert_int_equal(fdt_create_empty_tree(before, sizeof(before)), 0);
	node = fdt_add_subnode(before, 0, "bus");
	assert_int_equal(fdt_setprop_u32(before, node, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(before, node, "#size-cells", 1), 0);
	assert_int_equal(fdt_pack(before), 0);
	assert_int_equal(fdt_open_into(before, fdt, fdt_totalsize(before) + 40), 0);
	len = fdt_size_dt_struct(fdt);
	assert_false(vfio_platform_add_fdt_node(&v, fdt, "/bus", &err));
	expect_error(err, "partition device tree: cannot describe "
		     "/bus/dma@10000000: FDT_ERR_NOSPACE");
	err = NULL;
	assert_int_equal(fdt_path_offset(fdt, "/bus/dma@10000000"),
			 -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_size_dt_struct(fdt), len);
	assert_int_equal(fdt_check_header(fdt), 0);
	vfio_platform_unrealize(&v);
	assert_false(vfio_platform_add_fdt_node(&v, fdt, "/soc", &err));
	expect_error(err, "vfio a100000.dma: not realized");
	vfio_platform_fini(&v);
	tp_fini(&t);
}

static void tp_props(struct plat_part *t, struct vfio_platform_device *v,
		     const char *props)
{
	assert_true(front_set_props(vfio_platform, &t->pp.p.reg, v, props,
				    &error_abort));
}

static void faults(bool iommufd)
{
	struct plat_part t;
	struct vfio_platform_device v;
	size_t base = heap_live_blocks();
	unsigned long calls;
	char props[96];

	snprintf(props, sizeof(props), "host=a100000.dma%s", backend_props(iommufd));
	tp_init(&t);
	tp_props(&t, &v, props);
	alloc_fault_fail_nth(0);
	assert_true(vfio_platform_realize(&t.pp.p.reg, &v, &t.pp.pl, &error_abort));
	calls = alloc_fault_calls();
	vfio_platform_fini(&v);
	tp_fini(&t);
	assert_true(calls > 5);
	for (unsigned long n = 1; n <= calls; n++) {
		Error *err = NULL;
		bool ok;

		tp_init(&t);
		tp_props(&t, &v, props);
		part_clear_log(&t.pp.p);
		alloc_fault_fail_nth(n);
		ok = vfio_platform_realize(&t.pp.p.reg, &v, &t.pp.pl, &err);
		alloc_fault_fail_nth(0);
		if (ok) {
			/* Only peer-to-peer may be lost, and it says so. */
			if (!strstr(t.pp.p.cap.buf, "warning: ") &&
			    !strstr(t.pp.p.cap.buf, "partita: vfio_container_dma_map("))
				fail_msg("allocation %lu of %lu failed, yet realize "
					 "succeeded silently: %s", n, calls,
					 t.pp.p.cap.buf);
		} else {
			error_free(err);
			nothing_left(&t, 0);
			for (unsigned i = 0; i < v.nirqs; i++)
				assert_int_equal(v.irqs[i].notifier.fd, -1);
		}
		vfio_platform_fini(&v);
		tp_fini(&t);
		if (heap_live_blocks() != base)
			fail_msg("realize, allocation %lu of %lu failed: %zu heap "
				 "blocks left", n, calls, heap_live_blocks() - base);
	}
}

static void test_faults(void **state)
{
	(void)state;
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD))
		faults(true);
	if (IS_ENABLED(CONFIG_VFIO_LEGACY))
		faults(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_driver),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_realize_and_run),
		cmocka_unit_test(test_x_no_mmap),
		cmocka_unit_test(test_not_instantiable),
		cmocka_unit_test(test_fdt_node),
		cmocka_unit_test(test_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
