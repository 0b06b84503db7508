// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 machine for the partition manager (QEMU virt, or any board a
 * device tree describes the same way): RAM from /memory, the bus as an
 * address space whose accesses are the CPU's own loads and stores (the
 * boot map is an identity map, so a physical address is a pointer), the
 * SMMUv3 found and probed, and discovery.
 *
 * Memory: the image (with its heap and stack) sits near the start of
 * RAM; partitions are carved from what follows it up to the last
 * BOARD_TABLES_SIZE bytes, which hold the SMMU's stream table and queues
 * and every domain's page tables.
 */
#include <partita/arch/board.h>
#include <partita/arch/bring-up.h>
#include <partita/arch/cpu-bus.h>
#include <partita/bus/bus.h>
#include <partita/err.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <partita/iommu/smmu-v3.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/sys/fd.h>
#include <libfdt.h>
#include <string.h>
#include "arm64.h"

#define BOARD_TABLES_SIZE (8ULL << 20)
#define ALIGN_2M(x) (((x) + (2ULL << 20) - 1) & ~((2ULL << 20) - 1))

extern char _image_end[];

struct arm64_board {
	struct cpu_bus phys;
	struct page_pool pool;
	bool pool_inited;
	struct iommu_device *smmu;
	uint32_t smmu_phandle;
	struct umem *umem;
	struct bus_env env;
	struct board_bound *bound;     /* what the bring-up bound */
};

static struct iommu_device *iommu_for(void *opaque, uint32_t phandle)
{
	struct arm64_board *ab = opaque;

	return ab->smmu && phandle == ab->smmu_phandle ? ab->smmu : NULL;
}

const void *board_default_fdt(void)
{
	return NULL;
}

unsigned board_read_faults(struct board *b, struct board_fault *out,
			   unsigned max)
{
	struct arm64_board *ab = b->arch;
	struct smmu_v3_fault f[16];
	unsigned n;

	if (!ab || !ab->smmu)
		return 0;
	n = smmu_v3_read_faults(ab->smmu, f, max < 16 ? max : 16);
	for (unsigned i = 0; i < n; i++)
		out[i] = (struct board_fault){ f[i].sid, f[i].addr,
					       smmu_v3_event_name(f[i].type) };
	return n;
}

struct page_pool *board_table_pool(struct board *b)
{
	return &((struct arm64_board *)b->arch)->pool;
}

struct umem *board_umem(struct board *b)
{
	return ((struct arm64_board *)b->arch)->umem;
}

unsigned long board_free_table_pages(const struct board *b)
{
	const struct arm64_board *ab = b->arch;

	return ab && ab->pool_inited ? page_pool_free_pages(&ab->pool) : 0;
}

/* The pool: the largest 2 MiB-aligned stretch of [lo, hi) clear of what
 * the loader left in RAM and we still read: the device tree (QEMU puts
 * it after the initrd, 128 MiB into RAM) and the initrd (the guests'
 * FIT). Partitions are zeroed when made, so they must not cover either. */
static bool place_pool(struct board *b, const void *fdt, uint64_t lo,
		       uint64_t hi, Error **errp)
{
	uint64_t rs[2], re[2], best_lo = 0, best_hi = 0;
	unsigned n = 0;
	int chosen = fdt_path_offset(fdt, "/chosen");

	rs[n] = (uint64_t)(uintptr_t)fdt;
	re[n++] = rs[0] + fdt_totalsize(fdt);
	if (chosen >= 0 && fdt_util_u64(fdt, chosen, "linux,initrd-start", &rs[n]) &&
	    fdt_util_u64(fdt, chosen, "linux,initrd-end", &re[n]) && re[n] > rs[n])
		n++;
	for (unsigned i = 0; i < n; i++)
		if (rs[i] < b->ram_base + b->ram_size && re[i] > hi) {
			error_setg(errp, "board: the loader put the %s at "
				   "0x%llx-0x%llx, in the last %llu MiB of RAM "
				   "the manager's tables need", i ? "initrd" :
				   "device tree", (unsigned long long)rs[i],
				   (unsigned long long)(re[i] - 1),
				   (unsigned long long)(BOARD_TABLES_SIZE >> 20));
			return false;
		}
	/* Candidate stretches start at lo or after a reserved range and
	 * end at the next reserved range or hi. */
	for (unsigned c = 0; c <= n; c++) {
		uint64_t s = c == n ? lo : ALIGN_2M(re[c]), e = hi;

		if (s < lo)
			s = lo;
		for (unsigned i = 0; i < n; i++)
			if (rs[i] >= s && rs[i] < e)
				e = rs[i] & ~((2ULL << 20) - 1);
		for (unsigned i = 0; i < n; i++)
			if (rs[i] < s && re[i] > s)
				s = e;          /* starts inside one: empty */
		if (e > s && e - s > best_hi - best_lo) {
			best_lo = s;
			best_hi = e;
		}
	}
	if (best_hi - best_lo < (2ULL << 20)) {
		error_setg(errp, "board: no RAM is left for partitions beside "
			   "the device tree and the initrd");
		return false;
	}
	b->pool_base = best_lo;
	b->pool_size = best_hi - best_lo;
	return true;
}

static bool find_ram(struct board *b, const void *fdt, Error **errp)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						 "memory", sizeof("memory"));
	uint64_t end = (uint64_t)(uintptr_t)_image_end;

	if (node < 0 || !fdt_util_reg(fdt, node, 0, &b->ram_base, &b->ram_size)) {
		error_setg(errp, "board: no memory node in the device tree");
		return false;
	}
	if (end < b->ram_base || end >= b->ram_base + b->ram_size) {
		error_setg(errp, "board: the image is not in the first RAM bank");
		return false;
	}
	if (ALIGN_2M(end) + BOARD_TABLES_SIZE + (2ULL << 20) >
	    b->ram_base + b->ram_size) {
		error_setg(errp, "board: %llu MiB of RAM leave nothing for "
			   "partitions", (unsigned long long)(b->ram_size >> 20));
		return false;
	}
	return place_pool(b, fdt, ALIGN_2M(end),
			  b->ram_base + b->ram_size - BOARD_TABLES_SIZE, errp);
}

static void arm64_board_free(struct arm64_board *ab)
{
	if (ab->smmu)
		smmu_v3_remove(ab->smmu);
	if (ab->pool_inited)
		page_pool_destroy(&ab->pool);
	if (ab->umem)
		umem_destroy(ab->umem);
	cpu_bus_fini(&ab->phys);
	heap_free(ab);
}

/* The SMMUv3 the tree describes, taken over; none, or a failure, leaves
 * every device unassignable (nothing reaches memory untranslated). */
static void probe_smmu(struct board *b, struct arm64_board *ab)
{
	const void *fdt = b->fdt;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,smmu-v3");
	uint64_t base, size;

	if (node < 0) {
		warn_report("board: no SMMUv3 in the device tree: no device can "
			    "be assigned");
		return;
	}
	if (!fdt_util_reg(fdt, node, 0, &base, &size) ||
	    !(ab->smmu_phandle = fdt_get_phandle(fdt, node))) {
		warn_report("board: the SMMUv3 node has no 'reg' or no phandle: "
			    "no device can be assigned");
		return;
	}
	/* Without it nothing can be assigned; the driver said why. */
	ab->smmu = smmu_v3_probe(base, &ab->pool);
	if (IS_ERR(ab->smmu)) {
		ab->smmu = NULL;
		return;
	}
}

bool board_init(struct board *b, const void *fdt, Error **errp)
{
	struct arm64_board *ab;
	const char *model;

	memset(b, 0, sizeof(*b));
	if (fdt_check_header(fdt)) {
		error_setg(errp, "board: not a device tree blob");
		return false;
	}
	b->fdt = fdt;
	model = fdt_getprop(fdt, 0, "model", NULL);
	b->model = model ? model : "arm64 board";
	if (!find_ram(b, fdt, errp))
		return false;
	ab = heap_zalloc(sizeof(*ab));
	if (!ab) {
		error_setg(errp, "board: out of memory");
		return false;
	}
	b->arch = ab;
	if (!cpu_bus_init(&ab->phys, 1ULL << 48, errp))
		goto fail;
	if (!page_pool_init(&ab->pool,
			    (void *)(uintptr_t)(b->pool_base + b->pool_size),
			    b->pool_base + b->pool_size, BOARD_TABLES_SIZE, errp))
		goto fail;
	ab->pool_inited = true;
	probe_smmu(b, ab);
	ab->umem = umem_create();
	if (!ab->umem ||
	    umem_add(ab->umem, b->pool_base, b->pool_size, b->pool_base,
		     UMEM_RAM)) {
		error_setg(errp, "board: out of memory");
		goto fail;
	}
	ab->env = (struct bus_env){
		.fdt = fdt, .phys = &ab->phys.as, .iommu_for = iommu_for,
		.pool = &ab->pool, .irq_connect = arm64_irq_connect,
		.irq_unmask = arm64_irq_unmask, .opaque = ab,
	};
	if (!board_bring_up(&ab->env, ab->umem, &b->sys, &b->devices,
			    &ab->bound, errp))
		goto fail;
	return true;
fail:
	arm64_board_free(ab);
	memset(b, 0, sizeof(*b));
	return false;
}

void board_fini(struct board *b)
{
	if (!b->arch)
		return;
	board_bring_down(b->sys, ((struct arm64_board *)b->arch)->bound, b->devices);
	arm64_board_free(b->arch);
	memset(b, 0, sizeof(*b));
}
