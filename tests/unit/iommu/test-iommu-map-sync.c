// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IOMMU core's iotlb_sync_map contract (iommu.h): a driver whose
 * hardware uses only translations it was told of (zPCI's RPCIT) hears
 * once per iommu_map of the whole range, after every page is in; when
 * it refuses, the map is undone and fails with its error.
 */
#include "test-helpers.h"
#include <partita/iommu/iommu.h>
#include <errno.h>
#include <string.h>

struct fake {
	struct iommu_domain domain;
	uint64_t mapped;                /* bytes in the tables */
	unsigned map_calls, syncs;
	uint64_t sync_iova, sync_size;
	uint64_t mapped_at_sync;        /* bytes in when the sync came */
	int sync_ret;
};

static struct fake *to_fake(struct iommu_domain *d)
{
	return (struct fake *)d;
}

static int fake_map(struct iommu_domain *d, uint64_t iova, uint64_t paddr,
		    size_t pgsize, size_t pgcount, int prot, size_t *mapped)
{
	to_fake(d)->map_calls++;
	to_fake(d)->mapped += pgsize * pgcount;
	*mapped = pgsize * pgcount;
	return 0;
}

static size_t fake_unmap(struct iommu_domain *d, uint64_t iova, size_t pgsize,
			 size_t pgcount, struct iommu_iotlb_gather *gather)
{
	size_t n = pgsize * pgcount;

	if (n > to_fake(d)->mapped)
		n = (size_t)to_fake(d)->mapped;
	to_fake(d)->mapped -= n;
	return n;
}

static int fake_sync_map(struct iommu_domain *d, uint64_t iova, uint64_t size)
{
	struct fake *f = to_fake(d);

	f->syncs++;
	f->sync_iova = iova;
	f->sync_size = size;
	f->mapped_at_sync = f->mapped;
	return f->sync_ret;
}

static const struct iommu_domain_ops fake_ops = {
	.map_pages = fake_map,
	.unmap_pages = fake_unmap,
	.iotlb_sync_map = fake_sync_map,
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->domain.ops = &fake_ops;
	f->domain.pgsize_bitmap = 0x1000 | 0x200000;
	f->domain.aperture_end = UINT64_MAX;
}

static void test_one_sync_per_map(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	/* 4 KiB pages up to a 2 MiB boundary, 2 MiB blocks, 4 KiB again:
	 * several map_pages calls, one sync over the whole range. */
	assert_int_equal(iommu_map(&f.domain, 0x1ff000, 0x1ff000, 0x402000,
				   IOMMU_READ), 0);
	assert_true(f.map_calls >= 3);
	assert_int_equal(f.syncs, 1);
	assert_int_equal(f.sync_iova, 0x1ff000);
	assert_int_equal(f.sync_size, 0x402000);
	/* Told once everything was in the tables, not piece by piece. */
	assert_int_equal(f.mapped_at_sync, 0x402000);
}

static void test_refused_sync_undoes_the_map(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.sync_ret = -EIO;
	assert_int_equal(iommu_map(&f.domain, 0x10000, 0x10000, 0x3000,
				   IOMMU_READ), -EIO);
	assert_int_equal(f.syncs, 1);
	assert_int_equal(f.mapped, 0);
}

static void test_failed_map_is_not_synced(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	/* Misaligned: refused before any page, nothing to tell. */
	assert_int_equal(iommu_map(&f.domain, 0x10800, 0x10000, 0x1000,
				   IOMMU_READ), -EINVAL);
	assert_int_equal(f.syncs, 0);
	assert_int_equal(f.map_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_sync_per_map),
		cmocka_unit_test(test_refused_sync_undoes_the_map),
		cmocka_unit_test(test_failed_map_is_not_synced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
