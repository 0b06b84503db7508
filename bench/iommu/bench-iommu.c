// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOMMU service benchmarks on the simulated board, through the full
 * system-call path. Each figure is the median of RUNS runs; each line
 * says the target and whether it was met. Exit status 1 if one was not.
 *
 *   1. 4 KiB IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP pair (ns), attached domain
 *   2. one IOMMU_IOAS_MAP of 64 GiB of RAM (us), and the page-table
 *      entries it wrote against the least possible with 1 GiB blocks
 *   3. the same through VFIO_IOMMU_MAP_DMA (type1)
 *   4. IOMMU_HWPT_GET_DIRTY_BITMAP over 64 GiB (GiB/ms), block-mapped
 *      and 4 KiB-mapped
 *   5. a second IOAS (another partition's) taking 64 GiB that a first
 *      one maps: IOMMU_IOAS_MAP against IOMMU_IOAS_COPY, in bytes looked
 *      up in the user's memory map (the walk of the caller's page tables
 *      that pinning costs) and in time
 *   6. the zPCI table format (s390 DAT, 4 KiB pages only): the entries
 *      one IOMMU_IOAS_MAP of a partition's 16 MiB writes and its unmap,
 *      against the least possible (counted, not timed)
 */
#include "../bench.h"
#include <partita/err.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/iommufd.h>
#include <partita/iommu/vfio-type1.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/sim/board.h>
#include <partita/sim/iommu.h>
#include <partita/sys/fd.h>
#include <uapi/linux/iommufd.h>
#include <uapi/linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS        7
#define PAIRS       20000
#define GIB         (1ULL << 30)
#define BIG         (64 * GIB)
#define BIG_VA      0x100000000000ULL     /* where "user" sees the 64 GiB */
#define BIG_PA      0x4000000000ULL       /* 256 GiB: 1 GiB aligned RAM */
#define BIG_IOVA    0x8000000000ULL       /* 512 GiB: inside one L1 table */
#define RAM         (320ULL << 20)
#define POOL        (288ULL << 20)        /* tables: 128 MiB of leaves and more */

static void die(const char *what, long ret)
{
	fprintf(stderr, "bench-iommu: %s failed: %ld\n", what, ret);
	exit(2);
}

/* ---- a booted board ------------------------------------------------------ */

struct machine {
	struct sim_board board;
	struct page_pool pool;
	struct iommu_device *iommu;
	struct device dev, dev2;
	struct vfio_core_device vdev, vdev2;
	struct iommu_group group, group2;
	struct umem *umem;
	struct sys *sys;
	uint8_t *user;
};

static void region_info(struct device *d, struct vfio_region_info *i) { }
static void irq_info(struct device *d, struct vfio_irq_info *i) { }
static const struct vfio_device_ops ops = {
	.flags = VFIO_DEVICE_FLAGS_PCI, .num_regions = VFIO_PCI_NUM_REGIONS,
	.num_irqs = VFIO_PCI_NUM_IRQS, .region_info = region_info,
	.irq_info = irq_info,
};

static void machine_init(struct machine *m, enum sim_iommu_fmt fmt)
{
	const struct sim_board_config cfg = {
		.ram_size = RAM, .dma_engines = 1,
		.iommu_idr = SIM_IOMMU_IDR_LPAE_S1 | SIM_IOMMU_IDR_ZPCI |
			     SIM_IOMMU_IDR_HD, .sid_bits = 8,
	};

	memset(m, 0, sizeof(*m));
	if (!sim_board_init(&m->board, &cfg, &error_abort) ||
	    !page_pool_init(&m->pool,
			    sim_board_ram_ptr(&m->board, SIM_BOARD_RAM_BASE + RAM - POOL),
			    SIM_BOARD_RAM_BASE + RAM - POOL, POOL, &error_abort))
		die("board", -1);
	m->iommu = sim_iommu_driver_probe(&m->board.phys, SIM_BOARD_IOMMU_BASE,
					  &m->pool, fmt);
	if (IS_ERR(m->iommu))
		die("probe", (int)PTR_ERR(m->iommu));
	m->dev = (struct device){ .name = "0000:00:01.0", .iommu = m->iommu,
				  .stream_id = SIM_BOARD_DMA_SID(0) };
	vfio_core_device_init(&m->vdev, &m->dev, &ops, NULL);
	m->group.id = 1;
	iommu_group_add_device(&m->group, &m->dev);
	/* Another partition's device (no engine behind it: only attached). */
	m->dev2 = (struct device){ .name = "0000:00:02.0", .iommu = m->iommu,
				   .stream_id = SIM_BOARD_DMA_SID(1) };
	vfio_core_device_init(&m->vdev2, &m->dev2, &ops, NULL);
	m->group2.id = 2;
	iommu_group_add_device(&m->group2, &m->dev2);
	m->user = sim_board_ram_ptr(&m->board, SIM_BOARD_RAM_BASE);
	m->umem = umem_create();
	umem_add(m->umem, (uint64_t)(uintptr_t)m->user, RAM - POOL,
		 SIM_BOARD_RAM_BASE, UMEM_RAM);
	/* 64 GiB of RAM the IOMMU maps but nobody touches. */
	umem_add(m->umem, BIG_VA, BIG, BIG_PA, UMEM_RAM);
	m->sys = sys_create(m->umem);
	if (iommufd_register(m->sys) || vfio_type1_register(m->sys) ||
	    vfio_register_device(m->sys, &m->dev, 0, "pci") ||
	    vfio_register_device(m->sys, &m->dev2, 1, "pci") ||
	    vfio_type1_publish_group(m->sys, &m->group))
		die("publish", -1);
}

static long io(struct machine *m, int fd, unsigned long req, void *arg)
{
	return sys_ioctl(m->sys, fd, req, arg);
}

static uint32_t ioas_new(struct machine *m, int fd)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	long ret = io(m, fd, IOMMU_IOAS_ALLOC, &a);

	if (ret)
		die("IOAS_ALLOC", ret);
	return a.out_ioas_id;
}

static void attach(struct machine *m, int dev, uint32_t pt)
{
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at), .pt_id = pt };
	long ret = io(m, dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);

	if (ret)
		die("ATTACH", ret);
}

static uint64_t pte_writes(struct machine *m)
{
	return io_pgtable_ops_to_pgtable(m->dev.domain->pgtable)->pte_writes;
}

static size_t table_pages(struct machine *m)
{
	return io_pgtable_table_pages(m->dev.domain->pgtable);
}

/* ---- the figures -------------------------------------------------------- */

static void bench_map_unmap_4k(struct machine *m, int fd, uint32_t ioas)
{
	double r[RUNS];
	struct iommu_ioas_map map = {
		.size = sizeof(map), .ioas_id = ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = (uint64_t)(uintptr_t)m->user, .length = 4096,
	};
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = ioas,
					  .length = 4096 };

	for (int run = 0; run < RUNS; run++) {
		double t0 = bench_now_ns();

		for (int i = 0; i < PAIRS; i++) {
			/* Spread over 64 pages so the tables are walked, not one
			 * entry reused. */
			map.iova = unmap.iova = 0x100000 + (uint64_t)(i & 63) * 4096;
			if (io(m, fd, IOMMU_IOAS_MAP, &map))
				die("MAP 4K", -1);
			unmap.length = 4096;
			if (io(m, fd, IOMMU_IOAS_UNMAP, &unmap))
				die("UNMAP 4K", -1);
		}
		r[run] = (bench_now_ns() - t0) / PAIRS;
	}
	printf("iommufd 4 KiB IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP via sys_ioctl: "
	       "median %.0f ns per pair (%d runs of %d pairs; target <= 300 ns)\n",
	       bench_median(r, RUNS), RUNS, PAIRS);
	bench_verdict(bench_median(r, RUNS) <= 300);
}

static void bench_map_64g_iommufd(struct machine *m, int fd, int dev)
{
	double r[RUNS];
	uint64_t writes = 0, least = 0;

	for (int run = 0; run < RUNS; run++) {
		uint32_t ioas = ioas_new(m, fd);
		struct iommu_ioas_map map = {
			.size = sizeof(map), .ioas_id = ioas,
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.user_va = BIG_VA, .length = BIG, .iova = BIG_IOVA,
		};
		struct iommu_ioas_unmap unmap = { .size = sizeof(unmap),
						  .ioas_id = ioas, .length = UINT64_MAX };
		uint64_t w0;
		size_t t0p;
		double t0;

		attach(m, dev, ioas);            /* a fresh domain each run */
		w0 = pte_writes(m);
		t0p = table_pages(m);
		t0 = bench_now_ns();
		if (io(m, fd, IOMMU_IOAS_MAP, &map))
			die("MAP 64G", -1);
		r[run] = (bench_now_ns() - t0) / 1000;
		writes = pte_writes(m) - w0;
		/* 64 one-GiB leaves, plus a descriptor per table it needed. */
		least = BIG / GIB + (table_pages(m) - t0p);
		io(m, fd, IOMMU_IOAS_UNMAP, &unmap);
	}
	printf("iommufd one IOMMU_IOAS_MAP of 64 GiB: median %.1f us (%d runs; "
	       "target <= 100 us); %llu page-table entries written, least "
	       "possible with 1 GiB blocks %llu\n", bench_median(r, RUNS), RUNS,
	       (unsigned long long)writes, (unsigned long long)least);
	bench_verdict(bench_median(r, RUNS) <= 100 && writes == least);
}

static void bench_map_64g_type1(struct machine *m)
{
	double r[RUNS];
	uint64_t writes = 0, least = 0;
	int c = sys_open(m->sys, "/dev/vfio/vfio");
	int g = sys_open(m->sys, "/dev/vfio/1");
	int32_t cfd = c;

	if (c < 0 || g < 0 || io(m, g, VFIO_GROUP_SET_CONTAINER, &cfd) ||
	    io(m, c, VFIO_SET_IOMMU, (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU))
		die("type1 setup", -1);
	for (int run = 0; run < RUNS; run++) {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = BIG_VA, .iova = BIG_IOVA, .size = BIG,
		};
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap), .flags = VFIO_DMA_UNMAP_FLAG_ALL };
		uint64_t w0 = pte_writes(m);
		size_t t0p = table_pages(m);
		double t0 = bench_now_ns();

		if (io(m, c, VFIO_IOMMU_MAP_DMA, &map))
			die("MAP_DMA 64G", -1);
		r[run] = (bench_now_ns() - t0) / 1000;
		writes = pte_writes(m) - w0;
		least = BIG / GIB + (table_pages(m) - t0p);
		io(m, c, VFIO_IOMMU_UNMAP_DMA, &unmap);
	}
	printf("type1 one VFIO_IOMMU_MAP_DMA of 64 GiB: median %.1f us (%d runs; "
	       "target <= 100 us); %llu page-table entries written, least "
	       "possible %llu\n", bench_median(r, RUNS), RUNS,
	       (unsigned long long)writes, (unsigned long long)least);
	bench_verdict(bench_median(r, RUNS) <= 100 && writes == least);
	sys_close(m->sys, g);
	sys_close(m->sys, c);
}

/* GB/s of a plain sequential read of bytes (median of RUNS), touched
 * once first so that no page fault is timed. */
static double read_bandwidth(size_t bytes)
{
	uint64_t *buf = malloc(bytes), sum = 0;
	size_t n = bytes / sizeof(*buf);
	double r[RUNS];

	if (!buf)
		die("malloc for the bandwidth read", -1);
	memset(buf, 1, bytes);
	for (int run = 0; run < RUNS; run++) {
		double t0 = bench_now_ns();

		for (size_t i = 0; i < n; i++)
			sum += buf[i];
		r[run] = bytes / (bench_now_ns() - t0);
	}
	/* Keep the sum: the loop must not be optimised away. */
	if (sum == 42)
		printf("\n");
	free(buf);
	return bench_median(r, RUNS);
}

static void bench_dirty(struct machine *m, int fd, int dev, int huge)
{
	uint32_t ioas = ioas_new(m, fd);
	struct iommu_option opt = { .size = sizeof(opt),
				    .option_id = IOMMU_OPTION_HUGE_PAGES,
				    .op = IOMMU_OPTION_OP_SET, .object_id = ioas,
				    .val64 = (uint64_t)huge };
	struct iommu_ioas_map map = {
		.size = sizeof(map), .ioas_id = ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = BIG_VA, .length = BIG, .iova = BIG_IOVA,
	};
	struct iommu_hwpt_alloc h = { .size = sizeof(h),
				      .flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
				      .dev_id = 0, .pt_id = ioas };
	struct iommu_hwpt_set_dirty_tracking on = { .size = sizeof(on),
		.flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE };
	size_t bytes = BIG / 4096 / 8;
	uint64_t *bitmap = malloc(bytes);
	struct iommu_hwpt_get_dirty_bitmap get = {
		.size = sizeof(get), .iova = BIG_IOVA, .length = BIG,
		.page_size = 4096, .data = (uint64_t)(uintptr_t)bitmap,
	};
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = ioas,
					  .length = UINT64_MAX };
	double r[RUNS], t0;

	if (io(m, fd, IOMMU_OPTION, &opt))
		die("HUGE_PAGES", -1);
	t0 = bench_now_ns();
	if (io(m, fd, IOMMU_IOAS_MAP, &map))
		die("MAP 64G for dirty", -1);
	h.dev_id = 2;               /* the bound device's object */
	if (io(m, fd, IOMMU_HWPT_ALLOC, &h))
		die("HWPT_ALLOC dirty", -1);
	get.hwpt_id = on.hwpt_id = h.out_hwpt_id;
	attach(m, dev, h.out_hwpt_id);
	if (io(m, fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &on))
		die("SET_DIRTY_TRACKING", -1);
	if (!huge)
		printf("  (mapping 64 GiB in 4 KiB pages and cleaning it took %.0f ms)\n",
		       (bench_now_ns() - t0) / 1e6);
	for (int run = 0; run < RUNS; run++) {
		memset(bitmap, 0, bytes);
		t0 = bench_now_ns();
		if (io(m, fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get))
			die("GET_DIRTY_BITMAP", -1);
		r[run] = (bench_now_ns() - t0) / 1e6;
	}
	{
		double ms = bench_median(r, RUNS), rate = 64.0 / ms;
		double target = huge ? 64.0 : 4.0;

		printf("iommufd IOMMU_HWPT_GET_DIRTY_BITMAP over 64 GiB, %s: median "
		       "%.1f us = %.1f GiB/ms (%d runs; target >= %.0f GiB/ms)\n",
		       huge ? "1 GiB blocks" : "4 KiB pages", ms * 1000, rate, RUNS,
		       target);
		if (!huge) {
			/* The walk reads 16 Mi entries of 8 bytes: what this
			 * machine reads of 128 MiB in the same time. */
			double bw = read_bandwidth(BIG / 4096 * 8);

			printf("  memory: a plain sequential read of 128 MiB runs at "
			       "%.1f GB/s; the walk reads its 128 MiB of entries at "
			       "%.1f GB/s, %.0f%% of it\n", bw,
			       128.0 * 1048576 / (ms * 1e6), 100.0 *
			       (128.0 * 1048576 / (ms * 1e6)) / bw);
		}
		bench_verdict(rate >= target);
	}
	/* Move the device off this IOAS so its tables can go. */
	attach(m, dev, ioas_new(m, fd));
	{
		struct iommu_destroy d = { .size = sizeof(d), .id = h.out_hwpt_id };

		io(m, fd, IOMMU_DESTROY, &d);
	}
	io(m, fd, IOMMU_IOAS_UNMAP, &unmap);
	free(bitmap);
}

static void bench_copy(struct machine *m, int fd, int dev, int dev2)
{
	double tmap[RUNS], tcopy[RUNS];
	uint64_t looked_map = 0, looked_copy = 0;
	uint32_t a = ioas_new(m, fd);
	struct iommu_ioas_map map = {
		.size = sizeof(map), .ioas_id = a,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = BIG_VA, .length = BIG, .iova = BIG_IOVA,
	};

	attach(m, dev, a);
	if (io(m, fd, IOMMU_IOAS_MAP, &map))
		die("MAP 64G into A", -1);
	for (int run = 0; run < RUNS; run++) {
		uint32_t b = ioas_new(m, fd);
		struct iommu_ioas_copy copy = {
			.size = sizeof(copy), .flags = map.flags, .dst_ioas_id = b,
			.src_ioas_id = a, .length = BIG, .dst_iova = BIG_IOVA,
			.src_iova = BIG_IOVA,
		};
		struct iommu_ioas_unmap unmap = { .size = sizeof(unmap),
						  .ioas_id = b, .length = UINT64_MAX };
		uint64_t u0;
		double t0;

		attach(m, dev2, b);
		map.ioas_id = b;
		u0 = umem_translated_bytes(m->umem);
		t0 = bench_now_ns();
		if (io(m, fd, IOMMU_IOAS_MAP, &map))
			die("MAP 64G into B", -1);
		tmap[run] = (bench_now_ns() - t0) / 1000;
		looked_map = umem_translated_bytes(m->umem) - u0;
		io(m, fd, IOMMU_IOAS_UNMAP, &unmap);
		u0 = umem_translated_bytes(m->umem);
		t0 = bench_now_ns();
		if (io(m, fd, IOMMU_IOAS_COPY, &copy))
			die("COPY 64G into B", -1);
		tcopy[run] = (bench_now_ns() - t0) / 1000;
		looked_copy = umem_translated_bytes(m->umem) - u0;
		io(m, fd, IOMMU_IOAS_UNMAP, &unmap);
	}
	printf("a second IOAS taking 64 GiB another maps: IOMMU_IOAS_MAP looks "
	       "up %llu GiB, median %.1f us; IOMMU_IOAS_COPY looks up %llu GiB, "
	       "median %.1f us (%d runs; target: the copy looks up nothing)\n",
	       (unsigned long long)(looked_map / GIB), bench_median(tmap, RUNS),
	       (unsigned long long)(looked_copy / GIB), bench_median(tcopy, RUNS), RUNS);
	bench_verdict(looked_map == BIG && looked_copy == 0);
}

/* The first device bound to a new iommufd and attached to a new IOAS. */
static void open_attached(struct machine *m, int *fd, int *dev, uint32_t *ioas)
{
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };

	*fd = sys_open(m->sys, "/dev/iommu");
	*ioas = ioas_new(m, *fd);
	*dev = sys_open(m->sys, "/dev/vfio/devices/vfio0");
	b.iommufd = *fd;
	if (io(m, *dev, VFIO_DEVICE_BIND_IOMMUFD, &b))
		die("BIND", -1);
	attach(m, *dev, *ioas);
}

/* zPCI's tables: every unused entry must be written invalid (0 is valid),
 * so a new table costs all its entries; 4 KiB leaves only. */
static void bench_zpci_format(void)
{
	const uint64_t size = 16ULL << 20, iova = 0x100000000ULL;
	struct machine m;
	uint64_t w0, map_writes, unmap_writes, least_map, pages = size / 4096;
	uint32_t ioas;
	int fd, dev;

	machine_init(&m, SIM_IOMMU_FMT_ZPCI);
	open_attached(&m, &fd, &dev, &ioas);
	{
		struct iommu_ioas_map map = {
			.size = sizeof(map), .ioas_id = ioas,
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.user_va = (uint64_t)(uintptr_t)m.user, .length = size,
			.iova = iova,
		};
		struct iommu_ioas_unmap unmap = { .size = sizeof(unmap),
						  .ioas_id = ioas, .iova = iova,
						  .length = size };

		w0 = pte_writes(&m);
		if (io(&m, fd, IOMMU_IOAS_MAP, &map))
			die("MAP zpci", -1);
		map_writes = pte_writes(&m) - w0;
		w0 = pte_writes(&m);
		if (io(&m, fd, IOMMU_IOAS_UNMAP, &unmap))
			die("UNMAP zpci", -1);
		unmap_writes = pte_writes(&m) - w0;
	}
	/* Leaves; one segment table (2048 fills and its region entry); a
	 * page table per MiB (256 fills and its segment entry). */
	least_map = pages + (2048 + 1) + (size >> 20) * (256 + 1);
	printf("zPCI format (s390 DAT): IOMMU_IOAS_MAP of 16 MiB wrote %llu "
	       "entries, least possible %llu; its unmap wrote %llu (one per "
	       "1 MiB segment: %llu)\n", (unsigned long long)map_writes,
	       (unsigned long long)least_map, (unsigned long long)unmap_writes,
	       (unsigned long long)(size >> 20));
	bench_verdict(map_writes == least_map && unmap_writes == size >> 20);
	sys_close(m.sys, dev);
	sys_close(m.sys, fd);
}

int main(void)
{
	struct machine m;
	uint32_t ioas;
	int fd, dev;

	machine_init(&m, SIM_IOMMU_FMT_LPAE_S1);
	open_attached(&m, &fd, &dev, &ioas);

	/* BENCH_PROFILE=map4k: only the 4 KiB pair, 50 times over, for a
	 * profiler (perf record) to see nothing else. */
	if (getenv("BENCH_PROFILE") && !strcmp(getenv("BENCH_PROFILE"), "map4k")) {
		for (int i = 0; i < 50; i++)
			bench_map_unmap_4k(&m, fd, ioas);
		return 0;
	}
	bench_map_unmap_4k(&m, fd, ioas);
	bench_map_64g_iommufd(&m, fd, dev);
	bench_dirty(&m, fd, dev, 1);
	bench_dirty(&m, fd, dev, 0);
	{
		int dev2 = sys_open(m.sys, "/dev/vfio/devices/vfio1");
		struct vfio_device_bind_iommufd b2 = { .argsz = sizeof(b2),
						       .iommufd = fd };

		if (io(&m, dev2, VFIO_DEVICE_BIND_IOMMUFD, &b2))
			die("BIND 2", -1);
		bench_copy(&m, fd, dev, dev2);
		sys_close(m.sys, dev2);
	}
	/* type1 needs the group: the device leaves iommufd first. */
	sys_close(m.sys, dev);
	bench_map_64g_type1(&m);
	bench_zpci_format();
	return bench_missed;
}
