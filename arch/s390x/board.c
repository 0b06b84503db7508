// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390x machine for the partition manager (QEMU s390-ccw-virtio, or
 * an LPAR): no device tree, so RAM is what SCLP reported, and discovery
 * asks the machine itself (zPCI by CLP, the channel subsystem by STORE
 * SUBCHANNEL). Absolute addresses are the CPU's (DAT is off).
 *
 * Memory: lowcore and the image from 0; then BOARD_TABLES_SIZE for the
 * manager's own pages (IOMMU tables, translated channel programs, which
 * must lie below 2 GiB, as they do here right after the image); the
 * partitions are carved from the rest of RAM.
 */
#include "s390x.h"
#include <partita/arch/board.h>
#include <partita/arch/bring-up.h>
#include <partita/arch/cpu-bus.h>
#include <partita/arch/s390x/cio.h>
#include <partita/bus/bus.h>
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/zpci.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <string.h>

#define BOARD_TABLES_SIZE (8ULL << 20)
#define ALIGN_1M(x) (((x) + (1ULL << 20) - 1) & ~((1ULL << 20) - 1))
/* A channel program of a partition: long enough for any device QEMU
 * emulates, short enough that a stuck one does not hang the boot. */
#define CSS_START_TIMEOUT_NS (5ULL * 1000 * 1000 * 1000)

extern char _image_end[];

struct s390x_board {
	struct cpu_bus phys;
	struct page_pool pool;
	bool pool_inited;
	struct iommu_device *zpci;
	struct umem *umem;
	struct bus_env env;
	struct board_bound *bound;
};

/* One zPCI driver for every function (each its own group). */
static struct iommu_device *iommu_for(void *opaque, uint32_t fid)
{
	struct s390x_board *sb = opaque;

	(void)fid;
	return sb->zpci;
}

/* A partition's translated channel program on its subchannel: enabled
 * for the program's run only. */
static int css_start(void *opaque, uint16_t schno, uint32_t cpa,
		     struct ccw_status *st)
{
	uint32_t schid = CIO_SCHID(0, schno);
	struct orb orb = { .intparm = schid,
			   .w1 = ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64 | 0xff00,
			   .cpa = cpa };
	struct irb irb;
	int ret;

	(void)opaque;
	ret = s390x_cio_enable(schid, true);
	if (ret)
		return ret;
	ret = s390x_cio_run(schid, &orb, &irb, CSS_START_TIMEOUT_NS);
	s390x_cio_enable(schid, false);
	if (ret)
		return ret;
	*st = (struct ccw_status){
		.cpa = irb.scsw[1],
		.dstat = (uint8_t)(irb.scsw[2] >> 24),
		.cstat = (uint8_t)(irb.scsw[2] >> 16),
		.count = (uint16_t)irb.scsw[2],
	};
	return 0;
}

const void *board_default_fdt(void)
{
	return NULL;
}

unsigned board_read_faults(struct board *b, struct board_fault *out,
			   unsigned max)
{
	struct s390x_board *sb = b->arch;
	struct zpci_fault f[16];
	unsigned n;

	if (!sb || !sb->zpci)
		return 0;
	n = zpci_iommu_read_faults(sb->zpci, f, max < 16 ? max : 16);
	for (unsigned i = 0; i < n; i++)
		out[i] = (struct board_fault){ f[i].fid, f[i].addr,
					       zpci_error_name(f[i].code) };
	return n;
}

unsigned long board_free_table_pages(const struct board *b)
{
	const struct s390x_board *sb = b->arch;

	return sb && sb->pool_inited ? page_pool_free_pages(&sb->pool) : 0;
}

static bool carve_ram(struct board *b, Error **errp)
{
	uint64_t tables = ALIGN_1M((uint64_t)(uintptr_t)_image_end);

	b->ram_base = 0;
	b->ram_size = s390x_ram_size;
	b->pool_base = tables + BOARD_TABLES_SIZE;
	if (!b->ram_size) {
		error_setg(errp, "board: SCLP did not say how much RAM there is");
		return false;
	}
	if (b->pool_base + (1ULL << 20) > b->ram_size) {
		error_setg(errp, "board: %llu MiB of RAM leave nothing for "
			   "partitions", (unsigned long long)(b->ram_size >> 20));
		return false;
	}
	b->pool_size = b->ram_size - b->pool_base;
	return true;
}

static void s390x_board_free(struct s390x_board *sb)
{
	if (sb->zpci)
		zpci_iommu_remove(sb->zpci);
	if (sb->pool_inited)
		page_pool_destroy(&sb->pool);
	if (sb->umem)
		umem_destroy(sb->umem);
	cpu_bus_fini(&sb->phys);
	heap_free(sb);
}

bool board_init(struct board *b, const void *fdt, Error **errp)
{
	struct s390x_board *sb;
	uint64_t tables;

	(void)fdt;      /* s390 machines have none */
	memset(b, 0, sizeof(*b));
	b->model = "s390-ccw-virtio";
	if (!carve_ram(b, errp))
		return false;
	sb = heap_zalloc(sizeof(*sb));
	if (!sb) {
		error_setg(errp, "board: out of memory");
		return false;
	}
	b->arch = sb;
	tables = b->pool_base - BOARD_TABLES_SIZE;
	if (!cpu_bus_init(&sb->phys, b->ram_size, errp) ||
	    !page_pool_init(&sb->pool, (void *)(uintptr_t)tables, tables,
			    BOARD_TABLES_SIZE, errp))
		goto fail;
	sb->pool_inited = true;
	/* Without it no PCI function is assignable; the driver said why. */
	if (IS_ENABLED(CONFIG_IOMMU_ZPCI)) {
		sb->zpci = zpci_iommu_probe(&sb->pool);
		if (IS_ERR(sb->zpci))
			sb->zpci = NULL;
	}
	sb->umem = umem_create();
	if (!sb->umem ||
	    umem_add(sb->umem, b->pool_base, b->pool_size, b->pool_base,
		     UMEM_RAM)) {
		error_setg(errp, "board: out of memory");
		goto fail;
	}
	sb->env = (struct bus_env){
		.phys = &sb->phys.as, .iommu_for = iommu_for, .pool = &sb->pool,
		.css_start = css_start, .opaque = sb,
		.ccw_one_idaw_block = s390x_machine_is_qemu(),
	};
	if (sb->env.ccw_one_idaw_block)
		pr_info("css: QEMU: channel programs whose transfers span more "
			"than one 4 KiB IDAW block are refused");
	if (!board_bring_up(&sb->env, sb->umem, &b->sys, &b->devices,
			    &sb->bound, errp))
		goto fail;
	return true;
fail:
	s390x_board_free(sb);
	memset(b, 0, sizeof(*b));
	return false;
}

void board_fini(struct board *b)
{
	if (!b->arch)
		return;
	board_bring_down(b->sys, ((struct s390x_board *)b->arch)->bound,
			 b->devices);
	s390x_board_free(b->arch);
	memset(b, 0, sizeof(*b));
}
