// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommufd through the system-call line: every ioctl's good path, and each
 * bad input with the errno Linux gives (see shared/reference and
 * docs/iommu-services.md), on the simulated board.
 */
#include "iommufd-helpers.h"
#include <errno.h>
#include <partita/err.h>
#include <partita/errno.h>

#define MSI_START 0x8000000ULL
#define MSI_LAST  0x80fffffULL

/* ---- framing ------------------------------------------------------------ */

static void test_framing(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint8_t big[64];
	struct iommu_ioas_alloc a;
	struct iommu_hwpt_alloc h;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	/* Unknown numbers, wrong type byte, a known number with no handler. */
	assert_int_equal(sys_ioctl(sys, e.iommufd, _IO(';', 0x7f), &a), -ENOTTY);
	assert_int_equal(sys_ioctl(sys, e.iommufd, _IO(';', 0x9f), &a), -ENOTTY);
	assert_int_equal(sys_ioctl(sys, e.iommufd, _IO('x', 0x81), &a), -ENOTTY);
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_VFIO_IOAS, &a), -ENOTTY);
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_ALLOC, NULL), -EFAULT);
	/* size below the last mandatory field. */
	a = (struct iommu_ioas_alloc){ .size = 8 };
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_ALLOC, &a), -EINVAL);
	/* Larger than the kernel's struct: zero tail accepted... */
	memset(big, 0, sizeof(big));
	{
		uint32_t size = sizeof(big), id;

		memcpy(big, &size, 4);
		assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_ALLOC, big), 0);
		memcpy(&id, big + 8, 4);
		assert_int_equal(id, e.devid[0] + 1);
	}
	/* ...a non-zero byte past it is E2BIG. */
	big[40] = 1;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_ALLOC, big), -E2BIG);
	/* A shorter struct (HWPT_ALLOC without its optional data fields) is
	 * zero-filled. */
	h = (struct iommu_hwpt_alloc){ .dev_id = e.devid[0], .pt_id = e.ioas };
	h.size = offsetof(struct iommu_hwpt_alloc, data_type);
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_ALLOC, &h), 0);
	assert_true(h.out_hwpt_id > 0);
	/* Not an iommufd at all. */
	assert_int_equal(sys_ioctl(sys, e.dev[0], IOMMU_IOAS_ALLOC, &a), -ENOTTY);
	t_env_fini(&e);
}

/* ---- objects -------------------------------------------------------------- */

static void test_ioas_alloc_destroy(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct iommu_ioas_alloc a = { .size = sizeof(a), .flags = 1 };
	uint32_t id2, id3, pt;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	/* IDs from 1: the IOAS was made first, then the device bound. */
	assert_int_equal(e.ioas, 1);
	assert_int_equal(e.devid[0], 2);
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_ALLOC, &a),
			 -EOPNOTSUPP);
	id2 = t_ioas_alloc(sys, e.iommufd);
	id3 = t_ioas_alloc(sys, e.iommufd);
	assert_int_equal(id3, id2 + 1);
	assert_int_equal(t_destroy(sys, e.iommufd, id2), 0);
	assert_int_equal(t_destroy(sys, e.iommufd, id2), -ENOENT);
	assert_int_equal(t_destroy(sys, e.iommufd, 0), -ENOENT);
	assert_int_equal(t_destroy(sys, e.iommufd, 999), -ENOENT);
	/* IDs are reused, lowest first. */
	assert_int_equal(t_ioas_alloc(sys, e.iommufd), id2);
	/* A device object cannot be destroyed; an IOAS in use neither. */
	assert_int_equal(t_destroy(sys, e.iommufd, e.devid[0]), -EBUSY);
	pt = id3;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);
	assert_int_equal(t_destroy(sys, e.iommufd, id3), -EBUSY);
	assert_int_equal(t_destroy(sys, e.iommufd, pt), -EBUSY);  /* attached HWPT */
	assert_int_equal(t_detach(sys, e.dev[0]), 0);
	/* The automatic HWPT died with its last device. */
	assert_int_equal(t_destroy(sys, e.iommufd, pt), -ENOENT);
	assert_int_equal(t_destroy(sys, e.iommufd, id3), 0);
	t_env_fini(&e);
}

/* ---- ranges ------------------------------------------------------------- */

static long ranges(struct sys *sys, int fd, uint32_t ioas, uint32_t room,
		   struct iommu_iova_range *out, uint32_t *num, uint64_t *align)
{
	struct iommu_ioas_iova_ranges r = {
		.size = sizeof(r), .ioas_id = ioas, .num_iovas = room,
		.allowed_iovas = U64(out),
	};
	long ret = sys_ioctl(sys, fd, IOMMU_IOAS_IOVA_RANGES, &r);

	*num = r.num_iovas;
	if (align)
		*align = r.out_iova_alignment;
	return ret;
}

static void test_iova_ranges(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct iommu_iova_range out[4];
	struct iommu_ioas_iova_ranges bad;
	uint32_t num, pt;
	uint64_t align;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	assert_int_equal(ranges(sys, e.iommufd, e.ioas, 4, out, &num, &align), 0);
	assert_int_equal(num, 1);
	assert_int_equal(out[0].start, 0);
	assert_int_equal(out[0].last, UINT64_MAX);
	assert_int_equal(align, 1);
	bad = (struct iommu_ioas_iova_ranges){ .size = sizeof(bad),
					       .ioas_id = e.ioas, .__reserved = 1 };
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_IOVA_RANGES, &bad),
			 -EOPNOTSUPP);
	assert_int_equal(ranges(sys, e.iommufd, 77, 4, out, &num, NULL), -ENOENT);

	/* Attached: the aperture and the MSI window narrow it. */
	pt = e.ioas;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);
	assert_int_equal(ranges(sys, e.iommufd, e.ioas, 4, out, &num, &align), 0);
	assert_int_equal(num, 2);
	assert_int_equal(align, 4096);
	assert_int_equal(out[0].start, 0);
	assert_int_equal(out[0].last, MSI_START - 1);
	assert_int_equal(out[1].start, MSI_LAST + 1);
	assert_int_equal(out[1].last, (1ULL << 48) - 1);
	/* Sizing: too little room is EMSGSIZE with the count, and the room
	 * given is filled. */
	memset(out, 0, sizeof(out));
	assert_int_equal(ranges(sys, e.iommufd, e.ioas, 1, out, &num, NULL),
			 -EMSGSIZE);
	assert_int_equal(num, 2);
	assert_int_equal(out[0].last, MSI_START - 1);
	assert_int_equal(out[1].last, 0);
	assert_int_equal(ranges(sys, e.iommufd, e.ioas, 0, NULL, &num, NULL),
			 -EMSGSIZE);
	assert_int_equal(num, 2);
	/* Detached: wide again. */
	assert_int_equal(t_detach(sys, e.dev[0]), 0);
	assert_int_equal(ranges(sys, e.iommufd, e.ioas, 4, out, &num, &align), 0);
	assert_int_equal(num, 1);
	assert_int_equal(align, 1);
	t_env_fini(&e);
}

static long allow(struct sys *sys, int fd, uint32_t ioas,
		  const struct iommu_iova_range *r, uint32_t n)
{
	struct iommu_ioas_allow_iovas a = {
		.size = sizeof(a), .ioas_id = ioas, .num_iovas = n,
		.allowed_iovas = U64(r),
	};

	return sys_ioctl(sys, fd, IOMMU_IOAS_ALLOW_IOVAS, &a);
}

static void test_allow_iovas(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct iommu_iova_range r[2];
	struct iommu_ioas_allow_iovas bad = { .size = sizeof(bad), .__reserved = 1 };
	uint64_t iova = 0;
	uint32_t pt, ioas2;
	uint8_t *buf;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	buf = e.m.user + 0x100000;
	bad.ioas_id = e.ioas;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_ALLOW_IOVAS, &bad),
			 -EOPNOTSUPP);
	r[0] = (struct iommu_iova_range){ 0x10000, 0x10000 };
	assert_int_equal(allow(sys, e.iommufd, e.ioas, r, 1), -EINVAL);
	r[0] = (struct iommu_iova_range){ 0x10000, 0x1ffff };
	r[1] = (struct iommu_iova_range){ 0x1f000, 0x2ffff };
	assert_int_equal(allow(sys, e.iommufd, e.ioas, r, 2), -EINVAL);
	assert_int_equal(allow(sys, e.iommufd, 55, r, 1), -ENOENT);

	/* Automatic IOVA lands inside the allowed range. */
	r[0] = (struct iommu_iova_range){ 0x40000000, 0x4fffffff };
	assert_int_equal(allow(sys, e.iommufd, e.ioas, r, 1), 0);
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, RW, buf, 0x2000, &iova), 0);
	assert_true(iova >= 0x40000000 && iova + 0x2000 - 1 <= 0x4fffffff);
	/* Too small an allowed range for the map: ENOSPC. */
	r[0] = (struct iommu_iova_range){ 0x50000000, 0x50000fff };
	ioas2 = t_ioas_alloc(sys, e.iommufd);
	assert_int_equal(allow(sys, e.iommufd, ioas2, r, 1), 0);
	assert_int_equal(t_map(sys, e.iommufd, ioas2, RW, buf, 0x2000, &iova),
			 -ENOSPC);
	/* An allowed range over the MSI window makes the attach fail... */
	r[0] = (struct iommu_iova_range){ 0x7000000, 0x9000000 };
	assert_int_equal(allow(sys, e.iommufd, ioas2, r, 1), 0);
	pt = ioas2;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), -EADDRINUSE);
	/* ...and once attached, allowing it is refused. */
	assert_int_equal(allow(sys, e.iommufd, ioas2, NULL, 0), 0);
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);
	assert_int_equal(allow(sys, e.iommufd, ioas2, r, 1), -EADDRINUSE);
	t_env_fini(&e);
}

/* ---- MAP ------------------------------------------------------------------ */

static void test_map_errors(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct iommu_ioas_map m;
	uint8_t *buf;
	uint64_t iova;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, true);
	sys = e.m.sys;
	buf = e.m.user + 0x200000;
#define MAP(f, uva, len, at) (iova = (at), t_map(sys, e.iommufd, e.ioas, (f), (uva), (len), &iova))
	assert_int_equal(MAP(RW | 8, buf, 4096, 0), -EOPNOTSUPP);
	m = (struct iommu_ioas_map){ .size = sizeof(m), .flags = RW,
				     .ioas_id = e.ioas, .__reserved = 1,
				     .user_va = U64(buf), .length = 4096 };
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_MAP, &m), -EOPNOTSUPP);
	assert_int_equal(MAP(FIXED_RW, buf, 4096, UINT64_MAX), -EOVERFLOW);
	assert_int_equal(MAP(RW, buf, UINT64_MAX, 0), -EOVERFLOW);
	assert_int_equal(MAP(IOMMU_IOAS_MAP_FIXED_IOVA, buf, 4096, 0x1000), -EINVAL);
	m.__reserved = 0;
	m.ioas_id = 99;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_IOAS_MAP, &m), -ENOENT);
	assert_int_equal(MAP(RW, buf, 0, 0), -EINVAL);
	assert_int_equal(MAP(RW, (void *)(uintptr_t)(UINT64_MAX - 0xfff), 0x2000, 0),
			 -EOVERFLOW);
	/* A domain is attached: 4 KiB alignment. */
	assert_int_equal(MAP(FIXED_RW, buf, 4096, 0x100800), -EINVAL);
	assert_int_equal(MAP(RW, buf, 0x800, 0), -EINVAL);
	assert_int_equal(MAP(RW, buf + 0x10, 4096, 0), -EINVAL);
	/* Into the MSI window or past the aperture: reserved. */
	assert_int_equal(MAP(FIXED_RW, buf, 4096, MSI_START), -EINVAL);
	assert_int_equal(MAP(FIXED_RW, buf, 4096, 1ULL << 48), -EINVAL);
	/* Over an existing area. */
	assert_int_equal(MAP(FIXED_RW, buf, 0x3000, 0x100000), 0);
	assert_int_equal(MAP(FIXED_RW, buf, 4096, 0x102000), -EEXIST);
	assert_int_equal(MAP(FIXED_RW, buf, 0x11000, 0xf0000), -EEXIST);
	/* Memory that is not RAM: a device BAR, or nothing at all. */
	assert_int_equal(umem_add(e.m.umem, 0x7f0000000000ULL, 0x10000,
				  SIM_BOARD_DMA_BASE, UMEM_IO), 0);
	assert_int_equal(MAP(RW, (void *)(uintptr_t)0x7f0000000000ULL, 0x1000, 0),
			 -EFAULT);
	assert_int_equal(MAP(RW, (void *)(uintptr_t)0x7e0000000000ULL, 0x1000, 0),
			 -EFAULT);
	/* None of the failures left anything behind. */
	{
		uint64_t n;

		assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0, UINT64_MAX, &n), 0);
		assert_int_equal(n, 0x3000);
	}
#undef MAP
	t_env_fini(&e);
}

static void test_map_without_domain_is_lazy(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint64_t iova = 0x5000;
	uint32_t pt;

	/* Linux pins and checks memory only when a domain needs it. */
	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW,
			       (void *)(uintptr_t)0x7e0000000000ULL, 0x1000, &iova), 0);
	/* Byte granular without a domain. */
	iova = 0x9001;
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, e.m.user + 1, 7,
			       &iova), 0);
	/* Now a domain cannot take either: the attach fails, nothing changes. */
	pt = e.ioas;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), -EADDRINUSE);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x9001, 7, NULL), 0);
	assert_int_equal(t_attach(sys, e.dev[0], &pt), -EFAULT);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x5000, 0x1000, NULL), 0);
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);
	t_env_fini(&e);
}

static void test_auto_iova(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint64_t a = 0, b = 0, c = 0;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	/* Never IOVA 0; the user address's page offset is kept. */
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, RW, e.m.user + 0x123, 0x10,
			       &a), 0);
	assert_true(a >= 4096);
	assert_int_equal(a & 0xfff, 0x123);
	/* First fit, lowest address, aligned to the length's power of two
	 * (capped by the user address's alignment). */
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, RW, e.m.user + 0x200000,
			       0x200000, &b), 0);
	assert_int_equal(b, 0x200000);
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, RW, e.m.user + 0x3000,
			       0x3000, &c), 0);
	assert_int_equal(c % 0x1000, 0);
	assert_true(c + 0x3000 <= b || c >= b + 0x200000);
	t_env_fini(&e);
}

/* ---- UNMAP --------------------------------------------------------------- */

static void test_unmap(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint64_t n, iova;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, true);
	sys = e.m.sys;
	assert_int_equal(t_unmap(sys, e.iommufd, 9, 0x1000, 0x1000, NULL), -ENOENT);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, UINT64_MAX, 1, NULL),
			 -EOVERFLOW);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 1, UINT64_MAX, NULL),
			 -EOVERFLOW);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x1000, 0, NULL), -EINVAL);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, UINT64_MAX - 0xfff,
				 0x2000, NULL), -EOVERFLOW);
	/* Nothing there. */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x1000, 0x1000, NULL),
			 -ENOENT);
	/* Unmap-all of an empty IOAS succeeds with 0. */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0, UINT64_MAX, &n), 0);
	assert_int_equal(n, 0);

	/* Three areas: 0x10000 (8K), 0x20000 (8K), 0x30000 (8K). */
	for (int i = 1; i <= 3; i++) {
		iova = 0x10000ULL * i;
		assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW,
				       e.m.user + 0x10000 * i, 0x2000, &iova), 0);
	}
	/* Cutting an area in the middle fails; nothing is split. */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x11000, 0x1000, NULL),
			 -ENOENT);
	/* A range holding two whole areas and the start of the third: the
	 * first two go (lowest first), then ENOENT. */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x10000, 0x21000, NULL),
			 -ENOENT);
	iova = 0x10000;
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, e.m.user, 0x12000,
			       &iova), 0);  /* the space is free again */
	/* Whole areas inside a larger range. */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0x8000, 0x30000, &n), 0);
	assert_int_equal(n, 0x12000 + 0x2000);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0, UINT64_MAX, &n), 0);
	assert_int_equal(n, 0);
	t_env_fini(&e);
}

/* ---- COPY ---------------------------------------------------------------- */

static long copy(struct sys *sys, int fd, uint32_t flags, uint32_t dst,
		 uint32_t src, uint64_t len, uint64_t *dst_iova, uint64_t src_iova)
{
	struct iommu_ioas_copy c = {
		.size = sizeof(c), .flags = flags, .dst_ioas_id = dst,
		.src_ioas_id = src, .length = len, .dst_iova = *dst_iova,
		.src_iova = src_iova,
	};
	long ret = sys_ioctl(sys, fd, IOMMU_IOAS_COPY, &c);

	if (!ret)
		*dst_iova = c.dst_iova;
	return ret;
}

static void test_copy(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint32_t dst, pt;
	uint64_t iova, d;
	uint8_t *buf;

	t_env_init(&e, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	buf = e.m.user + 0x400000;
	dst = t_ioas_alloc(sys, e.iommufd);
	/* Source: two contiguous areas at 0x100000 (RW) and 0x104000 (RO). */
	iova = 0x100000;
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, buf, 0x4000,
			       &iova), 0);
	iova = 0x104000;
	assert_int_equal(t_map(sys, e.iommufd, e.ioas,
			       IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA,
			       buf + 0x4000, 0x4000, &iova), 0);

	d = 0;
	assert_int_equal(copy(sys, e.iommufd, RW | 8, dst, e.ioas, 0x1000, &d,
			      0x100000), -EOPNOTSUPP);
	assert_int_equal(copy(sys, e.iommufd, RW, dst, e.ioas, UINT64_MAX, &d,
			      0x100000), -EOVERFLOW);
	assert_int_equal(copy(sys, e.iommufd, 0, dst, e.ioas, 0x1000, &d,
			      0x100000), -EINVAL);
	assert_int_equal(copy(sys, e.iommufd, RW, dst, 77, 0x1000, &d, 0x100000),
			 -ENOENT);
	assert_int_equal(copy(sys, e.iommufd, RW, 77, e.ioas, 0x1000, &d,
			      0x100000), -ENOENT);
	/* Not covered (a hole after the second area). */
	assert_int_equal(copy(sys, e.iommufd, RW, dst, e.ioas, 0x9000, &d,
			      0x100000), -ENOENT);
	assert_int_equal(copy(sys, e.iommufd, RW, dst, e.ioas, 0, &d, 0x100000),
			 -EINVAL);
	/* Writable copy of read-only pages. */
	assert_int_equal(copy(sys, e.iommufd, RW, dst, e.ioas, 0x2000, &d,
			      0x103000), -EPERM);
	/* A sub-range spanning both areas, read-only: fine. */
	d = 0x700000;
	assert_int_equal(copy(sys, e.iommufd, IOMMU_IOAS_MAP_READABLE |
			      IOMMU_IOAS_MAP_FIXED_IOVA, dst, e.ioas, 0x2000, &d,
			      0x103000), 0);
	assert_int_equal(d, 0x700000);
	/* The copy is mapped: DMA from it reads the same memory. */
	pt = dst;
	assert_int_equal(t_attach(sys, e.dev[1], &pt), 0);
	{
		uint64_t out = 0x800000;

		assert_int_equal(t_map(sys, e.iommufd, dst, FIXED_RW, buf + 0x10000,
				       0x1000, &out), 0);
		buf[0x3000] = 0x5a;
		buf[0x4000] = 0xa5;
		assert_int_equal(sim_board_dma_copy(&e.m.board, 1, 0x700000,
						    0x800000, 1), SIM_DMA_DONE);
		assert_int_equal(buf[0x10000], 0x5a);
		assert_int_equal(sim_board_dma_copy(&e.m.board, 1, 0x701000,
						    0x800000, 1), SIM_DMA_DONE);
		assert_int_equal(buf[0x10000], 0xa5);
	}
	/* Unmapping the source keeps the copy (the pages are shared). */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0, UINT64_MAX, NULL), 0);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 1, 0x700000, 0x800000, 1),
			 SIM_DMA_DONE);
	t_env_fini(&e);
}

/* ---- OPTION --------------------------------------------------------------- */

static long option(struct sys *sys, int fd, uint32_t id, uint16_t op,
		   uint32_t obj, uint64_t *val)
{
	struct iommu_option o = { .size = sizeof(o), .option_id = id, .op = op,
				  .object_id = obj, .val64 = *val };
	long ret = sys_ioctl(sys, fd, IOMMU_OPTION, &o);

	*val = o.val64;
	return ret;
}

static void test_option(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct iommu_option bad = { .size = sizeof(bad), .__reserved = 1 };
	uint64_t v = 0, iova = 0x10000;
	int fd2;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, true);
	sys = e.m.sys;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_OPTION, &bad), -EOPNOTSUPP);
	assert_int_equal(option(sys, e.iommufd, 7, IOMMU_OPTION_OP_GET, 0, &v),
			 -EOPNOTSUPP);
	/* RLIMIT_MODE: global, and only settable on an empty context. */
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_GET, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_GET, 5, &v), -EOPNOTSUPP);
	v = 1;
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_SET, 0, &v), -EBUSY);
	fd2 = sys_open(sys, "/dev/iommu");
	v = 2;
	assert_int_equal(option(sys, fd2, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_SET, 0, &v), -EINVAL);
	v = 1;
	assert_int_equal(option(sys, fd2, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_SET, 0, &v), 0);
	v = 0;
	assert_int_equal(option(sys, fd2, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_GET, 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(option(sys, fd2, IOMMU_OPTION_RLIMIT_MODE, 9, 0, &v),
			 -EOPNOTSUPP);
	sys_close(sys, fd2);
	/* HUGE_PAGES: per IOAS, default on. */
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_GET, 77, &v), -ENOENT);
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_GET, e.ioas, &v), 0);
	assert_int_equal(v, 1);
	v = 3;
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, e.ioas, &v), -EINVAL);
	/* Off with a domain and an area: refused; with no area: fine. */
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, e.m.user, 0x1000,
			       &iova), 0);
	v = 0;
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, e.ioas, &v), -EINVAL);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0, UINT64_MAX, NULL), 0);
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, e.ioas, &v), 0);
	v = 1;
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_GET, e.ioas, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(option(sys, e.iommufd, IOMMU_OPTION_HUGE_PAGES, 9,
				e.ioas, &v), -EOPNOTSUPP);
	t_env_fini(&e);
}

/* ---- HWPT, HW info, dirty tracking ---------------------------------------- */

static long hwpt_alloc(struct sys *sys, int fd, uint32_t flags, uint32_t dev,
		       uint32_t pt, uint32_t *out)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .flags = flags,
				      .dev_id = dev, .pt_id = pt };
	long ret = sys_ioctl(sys, fd, IOMMU_HWPT_ALLOC, &h);

	if (!ret && out)
		*out = h.out_hwpt_id;
	return ret;
}

static void test_hwpt_alloc(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct iommu_hwpt_alloc h = { .size = sizeof(h) };
	uint32_t hwpt = 0, pt;
	uint64_t iova = 0x200000;
	uint8_t *buf;

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	buf = e.m.user + 0x200000;
	h.dev_id = e.devid[0];
	h.pt_id = e.ioas;
	h.__reserved = 1;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_ALLOC, &h), -EOPNOTSUPP);
	h.__reserved = 0;
	h.data_len = 8;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_ALLOC, &h), -EINVAL);
	h.data_len = 0;
	h.data_type = IOMMU_HWPT_DATA_VTD_S1;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_ALLOC, &h), -EINVAL);
	h.data_len = 8;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_ALLOC, &h), -EINVAL);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, 0, 99, e.ioas, NULL), -ENOENT);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, 0, e.devid[0], 99, NULL), -EINVAL);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, 0, e.devid[0], e.devid[0], NULL),
			 -EINVAL);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, 1u << 7, e.devid[0], e.ioas,
				    NULL), -EOPNOTSUPP);

	/* A HWPT made after a MAP holds that mapping already. */
	memset(buf, 0x33, 4096);
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, buf, 0x2000, &iova),
			 0);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
				    e.devid[0], e.ioas, &hwpt), 0);
	/* Nested on a HWPT: not offered. */
	assert_int_equal(hwpt_alloc(sys, e.iommufd, 0, e.devid[0], hwpt, NULL),
			 -EOPNOTSUPP);
	pt = hwpt;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);
	assert_int_equal(pt, hwpt);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, 0x200000, 0x201000, 16),
			 SIM_DMA_DONE);
	assert_int_equal(buf[0x1000], 0x33);
	/* The IOAS cannot go while the HWPT holds it; the HWPT neither while
	 * attached; detached, it can. */
	assert_int_equal(t_destroy(sys, e.iommufd, e.ioas), -EBUSY);
	assert_int_equal(t_destroy(sys, e.iommufd, hwpt), -EBUSY);
	assert_int_equal(t_detach(sys, e.dev[0]), 0);
	assert_int_equal(t_destroy(sys, e.iommufd, hwpt), 0);
	assert_int_equal(t_destroy(sys, e.iommufd, e.ioas), 0);
	t_env_fini(&e);

	/* No dirty tracking on zPCI. */
	t_env_init(&e, 1, SIM_IOMMU_FMT_ZPCI, false);
	assert_int_equal(hwpt_alloc(e.m.sys, e.iommufd,
				    IOMMU_HWPT_ALLOC_DIRTY_TRACKING, e.devid[0],
				    e.ioas, NULL), -EOPNOTSUPP);
	t_env_fini(&e);
}

static void test_hw_info(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint8_t data[32];
	struct iommu_hw_info info = { .size = sizeof(info) };

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	info.dev_id = e.devid[0];
	info.flags = 1;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_GET_HW_INFO, &info),
			 -EOPNOTSUPP);
	info.flags = 0;
	info.__reserved = 1;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_GET_HW_INFO, &info),
			 -EOPNOTSUPP);
	info.__reserved = 0;
	info.dev_id = e.ioas;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_GET_HW_INFO, &info), -ENOENT);
	info.dev_id = e.devid[0];
	memset(data, 0xee, sizeof(data));
	info.data_len = sizeof(data);
	info.data_uptr = U64(data);
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_GET_HW_INFO, &info), 0);
	assert_int_equal(info.data_len, 0);
	assert_int_equal(info.out_data_type, IOMMU_HW_INFO_TYPE_NONE);
	assert_int_equal(info.out_capabilities, IOMMU_HW_CAP_DIRTY_TRACKING);
	for (size_t i = 0; i < sizeof(data); i++)
		assert_int_equal(data[i], 0);   /* zero-filled past the driver's */
	t_env_fini(&e);
}

static long dirty_bitmap(struct sys *sys, int fd, uint32_t hwpt, uint32_t flags,
			 uint64_t iova, uint64_t len, uint64_t pgsz, void *data)
{
	struct iommu_hwpt_get_dirty_bitmap g = {
		.size = sizeof(g), .hwpt_id = hwpt, .flags = flags, .iova = iova,
		.length = len, .page_size = pgsz, .data = U64(data),
	};

	return sys_ioctl(sys, fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &g);
}

static long set_dirty(struct sys *sys, int fd, uint32_t hwpt, uint32_t flags)
{
	struct iommu_hwpt_set_dirty_tracking s = { .size = sizeof(s),
						   .flags = flags,
						   .hwpt_id = hwpt };

	return sys_ioctl(sys, fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &s);
}

static void test_dirty_tracking(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint32_t hwpt = 0, plain = 0, pt;
	uint64_t iova = 0x40000000, words[9];
	uint8_t *buf;
	unsigned char *raw = (unsigned char *)words + 3;   /* any alignment */
	struct iommu_hwpt_get_dirty_bitmap bad = { .size = sizeof(bad) };

	t_env_init(&e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	buf = e.m.user + 0x400000;
	/* 64 pages; 4 MiB more as one 2 MiB-aligned run for a block. */
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, buf, 0x40000,
			       &iova), 0);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
				    e.devid[0], e.ioas, &hwpt), 0);
	assert_int_equal(hwpt_alloc(sys, e.iommufd, 0, e.devid[0], e.ioas, &plain), 0);
	pt = hwpt;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);

	assert_int_equal(set_dirty(sys, e.iommufd, hwpt, 2), -EOPNOTSUPP);
	assert_int_equal(set_dirty(sys, e.iommufd, e.ioas, 1), -ENOENT);
	assert_int_equal(set_dirty(sys, e.iommufd, plain, 1), -EOPNOTSUPP);
	assert_int_equal(set_dirty(sys, e.iommufd, hwpt, 1), 0);

	bad.hwpt_id = hwpt;
	bad.flags = 2;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_GET_DIRTY_BITMAP, &bad),
			 -EOPNOTSUPP);
	bad.flags = 0;
	bad.__reserved = 1;
	assert_int_equal(sys_ioctl(sys, e.iommufd, IOMMU_HWPT_GET_DIRTY_BITMAP, &bad),
			 -EOPNOTSUPP);
	assert_int_equal(dirty_bitmap(sys, e.iommufd, 99, 0, iova, 0x40000, 4096,
				      raw), -ENOENT);
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova + 0x800, 0x1000,
				      4096, raw), -EINVAL);
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x40000, 0,
				      raw), -EINVAL);
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x3000, 0x2000,
				      raw), -EINVAL);
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, UINT64_MAX - 0xfff,
				      0x2000, 4096, raw), -EOVERFLOW);
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x80000, 4096,
				      raw), -EINVAL);   /* not all mapped */
	assert_int_equal(dirty_bitmap(sys, e.iommufd, plain, 0, iova, 0x40000, 4096,
				      raw), -EOPNOTSUPP);

	/* Fresh tracking: clean. */
	memset(words, 0, sizeof(words));
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x40000, 4096,
				      raw), 0);
	memcpy(words, raw, 8);
	assert_int_equal(words[0], 0);
	/* DMA writes pages 1, 2 (straddling) and 40. */
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, iova, iova + 0x1800,
					    0x1000), SIM_DMA_DONE);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, iova, iova + 40 * 4096,
					    1), SIM_DMA_DONE);
	memset(words, 0, sizeof(words));
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt,
				      IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR, iova,
				      0x40000, 4096, raw), 0);
	memcpy(words, raw, 8);
	assert_int_equal(words[0], (1ULL << 1) | (1ULL << 2) | (1ULL << 40));
	/* NO_CLEAR kept them; a clearing read reports them once more. */
	memset(words, 0, sizeof(words));
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x40000, 4096,
				      raw), 0);
	memcpy(words, raw, 8);
	assert_int_equal(words[0], (1ULL << 1) | (1ULL << 2) | (1ULL << 40));
	memset(words, 0, sizeof(words));
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x40000, 4096,
				      raw), 0);
	memcpy(words, raw, 8);
	assert_int_equal(words[0], 0);
	/* A coarser page size folds pages: 16 KiB per bit. */
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, iova, iova + 9 * 4096,
					    1), SIM_DMA_DONE);
	memset(words, 0, sizeof(words));
	assert_int_equal(dirty_bitmap(sys, e.iommufd, hwpt, 0, iova, 0x40000,
				      0x4000, raw), 0);
	memcpy(words, raw, 8);
	assert_int_equal(words[0], 1ULL << 2);
	t_env_fini(&e);
}

/* ---- the device file ------------------------------------------------------ */

static void test_device_file(void **state)
{
	struct t_env e;
	struct sys *sys;
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at) };
	struct vfio_device_detach_iommufd_pt dt = { .argsz = sizeof(dt) };
	int dev, dev2;
	uint32_t id = 0, pt, pt2, ioas2;
	LEAK_CHECK_BEGIN();

	sim_machine_init(&e.m, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_publish(&e.m);
	sys = e.m.sys;
	e.iommufd = sys_open(sys, "/dev/iommu");
	e.ioas = t_ioas_alloc(sys, e.iommufd);
	dev = sys_open(sys, "/dev/vfio/devices/vfio0");
	assert_true(dev >= 0);
	/* Nothing but BIND before binding. */
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_INFO, &info), -EINVAL);
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_RESET, NULL), -EINVAL);
	pt = e.ioas;
	assert_int_equal(t_attach(sys, dev, &pt), -EINVAL);

	b.argsz = 12;
	b.iommufd = e.iommufd;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EINVAL);
	b.argsz = sizeof(b);
	b.flags = 1;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EINVAL);
	b.flags = 0;
	b.iommufd = -1;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EINVAL);
	b.iommufd = 500;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EBADF);
	b.iommufd = dev;        /* an fd, not an iommufd */
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EBADFD);
	assert_int_equal(t_bind(sys, dev, e.iommufd, &id), 0);
	assert_int_equal(t_bind(sys, dev, e.iommufd, &id), -EINVAL);
	/* A second open of the same device cannot bind it again. */
	dev2 = sys_open(sys, "/dev/vfio/devices/vfio0");
	assert_int_equal(t_bind(sys, dev2, e.iommufd, NULL), -EINVAL);
	sys_close(sys, dev2);

	/* Info. */
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_INFO, &info), 0);
	assert_int_equal(info.flags, VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET);
	assert_int_equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
	assert_int_equal(info.num_irqs, VFIO_PCI_NUM_IRQS);
	info.argsz = 12;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_INFO, &info), -EINVAL);
	reg.index = VFIO_PCI_BAR0_REGION_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_REGION_INFO, &reg), 0);
	assert_int_equal(reg.size, 0x1000);
	/* Registers: read and written through the file, never mapped. */
	assert_int_equal(reg.flags, VFIO_REGION_INFO_FLAG_READ |
				    VFIO_REGION_INFO_FLAG_WRITE);
	reg.index = VFIO_PCI_BAR2_REGION_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_REGION_INFO, &reg), 0);
	assert_int_equal(reg.size, SIM_BOARD_BAR_SIZE);
	assert_int_equal(reg.flags, VFIO_REGION_INFO_FLAG_READ |
				    VFIO_REGION_INFO_FLAG_WRITE |
				    VFIO_REGION_INFO_FLAG_MMAP);
	reg.index = VFIO_PCI_BAR1_REGION_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_REGION_INFO, &reg), 0);
	assert_int_equal(reg.size, 0);
	assert_int_equal(reg.flags, 0);
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_REGION_INFO, &reg), 0);
	assert_int_equal(reg.offset, (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40);
	reg.index = VFIO_PCI_NUM_REGIONS;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_REGION_INFO, &reg),
			 -EINVAL);
	reg.index = 0;
	reg.argsz = 16;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_REGION_INFO, &reg),
			 -EINVAL);
	irq.index = VFIO_PCI_INTX_IRQ_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_IRQ_INFO, &irq), 0);
	assert_int_equal(irq.count, 1);
	assert_true(irq.flags & VFIO_IRQ_INFO_AUTOMASKED);
	irq.index = VFIO_PCI_MSI_IRQ_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_IRQ_INFO, &irq), 0);
	assert_int_equal(irq.count, 4);       /* from the MSI capability */
	irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_IRQ_INFO, &irq), 0);
	assert_int_equal(irq.count, 0);
	irq.index = VFIO_PCI_ERR_IRQ_INDEX;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_IRQ_INFO, &irq), 0);
	assert_int_equal(irq.count, 1);       /* a PCIe function */
	irq.index = 99;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_GET_IRQ_INFO, &irq), -EINVAL);
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_RESET, NULL), 0);
	assert_int_equal(e.m.resets[0], 1);
	assert_int_equal(sys_ioctl(sys, dev, _IO(';', 150), &info), -ENOTTY);

	/* Attach and detach. */
	at.argsz = 8;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at),
			 -EINVAL);
	at.argsz = sizeof(at);
	at.flags = 1;
	at.pt_id = e.ioas;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at),
			 -EINVAL);
	pt = 77;
	assert_int_equal(t_attach(sys, dev, &pt), -ENOENT);
	pt = id;
	assert_int_equal(t_attach(sys, dev, &pt), -EINVAL);
	assert_int_equal(t_detach(sys, dev), 0);        /* not attached: fine */
	dt.argsz = 4;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt),
			 -EINVAL);
	dt.argsz = sizeof(dt);
	dt.flags = 2;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt),
			 -EINVAL);
	pt = e.ioas;
	assert_int_equal(t_attach(sys, dev, &pt), 0);
	assert_true(pt != e.ioas);                       /* the automatic HWPT */
	pt2 = e.ioas;
	assert_int_equal(t_attach(sys, dev, &pt2), 0);
	assert_int_equal(pt2, pt);                       /* the same one again */
	/* Replace: onto another IOAS; the old automatic HWPT goes. */
	ioas2 = t_ioas_alloc(sys, e.iommufd);
	pt2 = ioas2;
	assert_int_equal(t_attach(sys, dev, &pt2), 0);
	assert_true(pt2 != pt);
	assert_int_equal(t_destroy(sys, e.iommufd, pt), -ENOENT);
	/* The device's MSI window moved to the new IOAS. */
	{
		uint64_t iova = MSI_START;

		assert_int_equal(t_map(sys, e.iommufd, e.ioas, FIXED_RW, e.m.user,
				       0x1000, &iova), 0);
		iova = MSI_START;
		assert_int_equal(t_map(sys, e.iommufd, ioas2, FIXED_RW, e.m.user,
				       0x1000, &iova), -EINVAL);
	}

	/* Closing the fd unbinds: the object is gone, DMA is blocked. */
	assert_int_equal(sys_close(sys, dev), 0);
	assert_int_equal(t_destroy(sys, e.iommufd, id), -ENOENT);
	assert_int_equal(t_destroy(sys, e.iommufd, pt2), -ENOENT);
	assert_int_equal(e.m.devs[0].owner, DEVICE_OWNER_NONE);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, 0x1000, 0x2000, 4),
			 SIM_DMA_FAULT);
	/* The iommufd fd closed while a device holds it stays alive. */
	dev = sys_open(sys, "/dev/vfio/devices/vfio1");
	assert_int_equal(t_bind(sys, dev, e.iommufd, &id), 0);
	/* (Not e.ioas: it maps the MSI window now, so the attach is
	 * refused, as Linux refuses it.) */
	pt = e.ioas;
	assert_int_equal(t_attach(sys, dev, &pt), -EADDRINUSE);
	pt = ioas2;
	assert_int_equal(t_attach(sys, dev, &pt), 0);
	assert_int_equal(sys_close(sys, e.iommufd), 0);
	assert_int_equal(t_detach(sys, dev), 0);
	assert_int_equal(sys_close(sys, dev), 0);
	t_env_fini(&e);
	LEAK_CHECK_END();
}

static void test_dma_through_iommufd(void **state)
{
	struct t_env e;
	struct sys *sys;
	uint8_t *src, *dst;
	uint64_t s = 0, d = 0;

	t_env_init(&e, 2, SIM_IOMMU_FMT_LPAE_S1, true);
	sys = e.m.sys;
	src = e.m.user + 0x300000;
	dst = e.m.user + 0x500000;
	for (int i = 0; i < 8192; i++)
		src[i] = (uint8_t)(i ^ 0x5c);
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, IOMMU_IOAS_MAP_READABLE,
			       src, 0x2000, &s), 0);
	assert_int_equal(t_map(sys, e.iommufd, e.ioas, RW, dst, 0x2000, &d), 0);
	/* Both devices share the IOAS, each through its own attach. */
	assert_int_equal(sim_board_dma_copy(&e.m.board, 1, s, d, 0x2000),
			 SIM_DMA_DONE);
	assert_memory_equal(dst, src, 0x2000);
	/* Unmapped: the same DMA faults at the destination. */
	memset(dst, 0, 0x2000);
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, d, 0x2000, NULL), 0);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, s, d, 0x2000),
			 SIM_DMA_FAULT);
	assert_int_equal(dst[0], 0);
	t_env_fini(&e);
}

static void test_group_shares_one_hwpt(void **state)
{
	struct sim_machine *m;
	struct t_env e;
	int dev0, dev1;
	uint32_t id0 = 0, id1 = 0, pt0, pt1, h = 0;
	int fd;

	m = &e.m;
	sim_machine_init(m, 2, SIM_IOMMU_FMT_LPAE_S1, true);
	sim_machine_publish(m);
	fd = sys_open(m->sys, "/dev/iommu");
	dev0 = sys_open(m->sys, "/dev/vfio/devices/vfio0");
	dev1 = sys_open(m->sys, "/dev/vfio/devices/vfio1");
	assert_int_equal(t_bind(m->sys, dev0, fd, &id0), 0);
	assert_int_equal(t_bind(m->sys, dev1, fd, &id1), 0);
	pt0 = t_ioas_alloc(m->sys, fd);
	assert_int_equal(hwpt_alloc(m->sys, fd, 0, id1, pt0, &h), 0);
	assert_int_equal(t_attach(m->sys, dev0, &pt0), 0);
	/* Another HWPT for the other device of the group: refused. */
	pt1 = h;
	assert_int_equal(t_attach(m->sys, dev1, &pt1), -EINVAL);
	pt1 = pt0;
	assert_int_equal(t_attach(m->sys, dev1, &pt1), 0);
	assert_int_equal(pt1, pt0);
	assert_int_equal(t_detach(m->sys, dev0), 0);
	/* dev1 still attached: the group keeps the domain. */
	assert_non_null(m->devs[1].domain);
	assert_int_equal(t_detach(m->sys, dev1), 0);
	assert_null(m->devs[1].domain);
	sim_machine_fini(m);
}

/* Regions through the device file: config space with virtual BARs,
 * registers through the bus, and the memory BAR mapped. */
static void test_device_file_regions(void **state)
{
	struct sim_machine m;
	struct sys *sys;
	const uint64_t cfg = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
	const uint64_t bar0 = 0, bar2 = (uint64_t)VFIO_PCI_BAR2_REGION_INDEX << 40;
	uint8_t buf[8];
	uint32_t v;
	uint64_t q;
	int iommufd, dev;
	uint8_t *map;
	LEAK_CHECK_BEGIN();

	sim_machine_init(&m, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_publish(&m);
	sys = m.sys;
	iommufd = sys_open(sys, "/dev/iommu");
	dev = sys_open(sys, "/dev/vfio/devices/vfio0");
	/* Nothing before binding. */
	assert_int_equal(sys_pread(sys, dev, buf, 2, cfg), -EINVAL);
	assert_int_equal(PTR_ERR(sys_mmap(sys, dev, bar2, 4096)), -EINVAL);
	assert_int_equal(t_bind(sys, dev, iommufd, NULL), 0);

	/* Config space: ids as the function has them, reads short at the end. */
	assert_int_equal(sys_pread(sys, dev, buf, 4, cfg), 4);
	assert_int_equal(pci_get_word(buf), 0x1234);
	assert_int_equal(pci_get_word(buf + 2), 0x51d0);
	assert_int_equal(sys_pread(sys, dev, buf, 8, cfg + 252), 4);
	assert_int_equal(sys_pread(sys, dev, buf, 1, cfg + 256), -EINVAL);
	/* BAR sizing on the virtual registers; the hardware keeps its own. */
	pci_set_long(buf, 0xffffffff);
	assert_int_equal(sys_pwrite(sys, dev, buf, 4, cfg + PCI_BASE_ADDRESS_0), 4);
	assert_int_equal(sys_pread(sys, dev, &v, 4, cfg + PCI_BASE_ADDRESS_0), 4);
	assert_int_equal(pci_get_long((uint8_t *)&v), 0xfffff000);
	pci_set_long(buf, 0xffffffff);
	assert_int_equal(sys_pwrite(sys, dev, buf, 4, cfg + PCI_BASE_ADDRESS_0 + 8), 4);
	assert_int_equal(sys_pread(sys, dev, &v, 4, cfg + PCI_BASE_ADDRESS_0 + 8), 4);
	assert_int_equal(pci_get_long((uint8_t *)&v), 0xffff0000u |
			 PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(pci_get_long(m.funcs[0].config + PCI_BASE_ADDRESS_0),
			 SIM_BOARD_DMA_BASE);
	/* Read-only header: the vendor id stays; the command register takes
	 * only memory and bus-master. */
	pci_set_word(buf, 0xdead);
	assert_int_equal(sys_pwrite(sys, dev, buf, 2, cfg), 2);
	assert_int_equal(sys_pread(sys, dev, buf, 2, cfg), 2);
	assert_int_equal(pci_get_word(buf), 0x1234);
	pci_set_word(buf, 0xffff);
	assert_int_equal(sys_pwrite(sys, dev, buf, 2, cfg + PCI_COMMAND), 2);
	assert_int_equal(sys_pread(sys, dev, buf, 2, cfg + PCI_COMMAND), 2);
	assert_int_equal(pci_get_word(buf), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* A reset brings the BAR registers back. */
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_RESET, NULL), 0);
	assert_int_equal(sys_pread(sys, dev, &v, 4, cfg + PCI_BASE_ADDRESS_0), 4);
	assert_int_equal(pci_get_long((uint8_t *)&v), SIM_BOARD_DMA_BASE);

	/* BAR0: the engine's registers, through the bus. */
	q = 0x12345000;
	assert_int_equal(sys_pwrite(sys, dev, &q, 8, bar0 + SIM_DMA_REG_SRC), 8);
	q = 0;
	assert_int_equal(sys_pread(sys, dev, &q, 8, bar0 + SIM_DMA_REG_SRC), 8);
	assert_int_equal(q, 0x12345000);
	assert_int_equal(sys_pread(sys, dev, &q, 8, bar0 + 0x1000), -EINVAL);
	assert_int_equal(PTR_ERR(sys_mmap(sys, dev, bar0, 4096)), -EINVAL);
	/* No ROM, no such region. */
	assert_int_equal(sys_pread(sys, dev, buf, 1,
				   (uint64_t)VFIO_PCI_ROM_REGION_INDEX << 40), -EINVAL);
	assert_int_equal(sys_pread(sys, dev, buf, 1,
				   (uint64_t)VFIO_PCI_NUM_REGIONS << 40), -EINVAL);

	/* BAR2: mapped, the caller's map now has it as device memory. */
	assert_int_equal(PTR_ERR(sys_mmap(sys, dev, bar2 + 1, 4096)), -EINVAL);
	assert_int_equal(PTR_ERR(sys_mmap(sys, dev, bar2,
					  SIM_BOARD_BAR_SIZE + 4096)), -EINVAL);
	map = sys_mmap(sys, dev, bar2, SIM_BOARD_BAR_SIZE);
	assert_ptr_equal(map, sim_board_bar_ptr(&m.board, 0));
	assert_int_equal(umem_pin(m.umem, (uint64_t)(uintptr_t)map, 4096, 0),
			 -EFAULT);
	assert_int_equal(umem_pin(m.umem, (uint64_t)(uintptr_t)map, 4096, UMEM_ALLOW_IO), 0);
	umem_unpin(m.umem, (uint64_t)(uintptr_t)map, 4096);
	map[10] = 0x5a;
	assert_int_equal(sys_pread(sys, dev, buf, 1, bar2 + 10), 1);
	assert_int_equal(buf[0], 0x5a);
	/* The mapping outlives the fd, and munmap ends it once. */
	sys_close(sys, dev);
	assert_int_equal(sys_munmap(sys, map), 0);
	assert_int_equal(sys_munmap(sys, map), -EINVAL);
	assert_int_equal(umem_pin(m.umem, (uint64_t)(uintptr_t)map, 4096, UMEM_ALLOW_IO),
			 -EFAULT);
	/* A file that cannot be mapped. */
	assert_int_equal(PTR_ERR(sys_mmap(sys, iommufd, 0, 4096)), -ENODEV);
	assert_int_equal(sys_pread(sys, iommufd, buf, 1, 0), -EINVAL);
	assert_int_equal(sys_pread(sys, 999, buf, 1, 0), -EBADF);
	sim_machine_fini(&m);
	LEAK_CHECK_END();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_ioas_alloc_destroy),
		cmocka_unit_test(test_iova_ranges),
		cmocka_unit_test(test_allow_iovas),
		cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_map_without_domain_is_lazy),
		cmocka_unit_test(test_auto_iova),
		cmocka_unit_test(test_unmap),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_option),
		cmocka_unit_test(test_hwpt_alloc),
		cmocka_unit_test(test_hw_info),
		cmocka_unit_test(test_dirty_tracking),
		cmocka_unit_test(test_device_file),
		cmocka_unit_test(test_device_file_regions),
		cmocka_unit_test(test_dma_through_iommufd),
		cmocka_unit_test(test_group_shares_one_hwpt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
