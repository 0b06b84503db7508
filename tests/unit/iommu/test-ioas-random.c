// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOAS invariants under 100,000 random MAP (fixed and automatic), COPY
 * and UNMAP requests against a deliberately simple model: a list of
 * areas. Every return code must match the model's prediction, and the
 * hardware page tables of the attached domains must translate exactly
 * the model's areas (sampled after every step). At the end every pin is
 * released: the user memory can be unregistered.
 */
#include "iommufd-helpers.h"
#include <errno.h>

#define OPS        100000
#define WINDOW     0x1000000ULL          /* fixed IOVAs: [1M, 1M + 16M) */
#define WIN_BASE   0x100000ULL
#define MAX_AREAS  512
#define PG         4096ULL

struct marea {
	uint64_t iova, len, uva;
	bool writable;
};

struct model {
	struct marea a[MAX_AREAS];
	size_t n;
};

static bool overlaps(const struct model *m, uint64_t iova, uint64_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (iova < m->a[i].iova + m->a[i].len && m->a[i].iova < iova + len)
			return true;
	return false;
}

/* The reserved ranges of an attached sim domain. */
static bool reserved(uint64_t iova, uint64_t len)
{
	uint64_t last = iova + len - 1;

	return (iova <= 0x80fffffULL && last >= 0x8000000ULL) || last >= (1ULL << 48);
}

/* The first fit Linux's automatic IOVA finds, by brute force. */
static uint64_t model_auto(const struct model *m, uint64_t uva, uint64_t len)
{
	uint64_t align = 1;
	uint64_t at = PG;

	while (align < len)
		align <<= 1;
	if ((uva & -uva) < align)
		align = uva & -uva;
	for (;;) {
		uint64_t cand = ((at + align - 1) & ~(align - 1)) | (uva & (PG - 1));
		uint64_t skip = 0;

		for (size_t i = 0; i < m->n; i++)
			if (cand < m->a[i].iova + m->a[i].len &&
			    m->a[i].iova < cand + len &&
			    m->a[i].iova + m->a[i].len > skip)
				skip = m->a[i].iova + m->a[i].len;
		if (reserved(cand, len))
			skip = 0x8100000ULL;
		if (!skip)
			return cand;
		at = skip;
	}
}

static int cmp_area(const void *x, const void *y)
{
	const struct marea *a = x, *b = y;

	return a->iova < b->iova ? -1 : a->iova > b->iova;
}

/* UNMAP's rule: lowest first, whole areas only, stop at a cut one. */
static long model_unmap(struct model *m, uint64_t iova, uint64_t len,
			uint64_t *bytes)
{
	uint64_t last = iova + len - 1;
	bool any = false;

	*bytes = 0;
	if (iova == UINT64_MAX || len == UINT64_MAX || last < iova)
		return -EOVERFLOW;
	qsort(m->a, m->n, sizeof(m->a[0]), cmp_area);
	for (size_t i = 0; i < m->n;) {
		struct marea *a = &m->a[i];

		if (a->iova > last || a->iova + a->len - 1 < iova) {
			i++;
			continue;
		}
		if (a->iova < iova || a->iova + a->len - 1 > last)
			return -ENOENT;
		*bytes += a->len;
		any = true;
		memmove(a, a + 1, (m->n - i - 1) * sizeof(*a));
		m->n--;
	}
	return any ? 0 : -ENOENT;
}

/* COPY's source rule: contiguous areas cover [iova, +len). Fills the
 * slices it would share. */
static long model_get_pages(struct model *m, uint64_t iova, uint64_t len,
			    struct marea *out, size_t *nout)
{
	uint64_t next = iova, last = iova + len - 1;

	*nout = 0;
	if (last < iova)
		return -EOVERFLOW;
	qsort(m->a, m->n, sizeof(m->a[0]), cmp_area);
	for (size_t i = 0; i < m->n; i++) {
		struct marea *a = &m->a[i];
		uint64_t from, to;

		if (a->iova + a->len - 1 < next)
			continue;
		if (a->iova > next)
			break;
		from = next;
		to = a->iova + a->len - 1 < last ? a->iova + a->len - 1 : last;
		out[*nout] = (struct marea){ 0, to - from + 1,
					     a->uva + (from - a->iova), a->writable };
		(*nout)++;
		if (to == last)
			return 0;
		next = to + 1;
	}
	return -ENOENT;
}

static void check_tables(struct t_env *e, struct model *m, unsigned dev,
			 uint64_t *seed)
{
	struct iommu_domain *d = e->m.devs[dev].domain;

	for (size_t i = 0; i < m->n; i++) {
		uint64_t off = test_rand_below(seed, m->a[i].len) & ~(PG - 1);

		assert_int_equal(iommu_iova_to_phys(d, m->a[i].iova + off),
				 sim_pa(&e->m, (void *)(uintptr_t)(m->a[i].uva + off)));
	}
	for (int k = 0; k < 4; k++) {
		uint64_t probe = WIN_BASE + test_rand_below(seed, WINDOW);
		bool in = false;

		for (size_t i = 0; i < m->n; i++)
			in |= probe >= m->a[i].iova && probe < m->a[i].iova + m->a[i].len;
		if (!in)
			assert_int_equal(iommu_iova_to_phys(d, probe), 0);
	}
}

static void test_random_ioas_ops(void **state)
{
	static struct model ma, mb;
	struct t_env e;
	struct sys *sys;
	uint32_t ioas_b, pt;
	uint64_t seed = 0x1234567;
	unsigned counts[6] = { 0 };

	t_env_init(&e, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	sys = e.m.sys;
	ioas_b = t_ioas_alloc(sys, e.iommufd);
	pt = e.ioas;
	assert_int_equal(t_attach(sys, e.dev[0], &pt), 0);
	pt = ioas_b;
	assert_int_equal(t_attach(sys, e.dev[1], &pt), 0);
	memset(&ma, 0, sizeof(ma));
	memset(&mb, 0, sizeof(mb));

	for (int op = 0; op < OPS; op++) {
		unsigned kind = (unsigned)test_rand_below(&seed, 100);
		uint64_t pages = 1 + test_rand_below(&seed, 16), len = pages * PG;
		uint64_t uva = U64(e.m.user) + test_rand_below(&seed, 1024) * PG;
		uint64_t iova = WIN_BASE + test_rand_below(&seed, WINDOW / PG) * PG;
		bool rw = test_rand_below(&seed, 3) != 0;
		uint32_t flags = IOMMU_IOAS_MAP_READABLE |
				 (rw ? IOMMU_IOAS_MAP_WRITEABLE : 0);
		struct model *m = test_rand_below(&seed, 4) ? &ma : &mb;
		uint32_t ioas = m == &ma ? e.ioas : ioas_b;
		long want, got;

		if (kind < 40 && m->n < MAX_AREAS) {            /* fixed MAP */
			want = overlaps(m, iova, len) ? -EEXIST : 0;
			got = t_map(sys, e.iommufd, ioas,
				    flags | IOMMU_IOAS_MAP_FIXED_IOVA,
				    (void *)(uintptr_t)uva, len, &iova);
			assert_int_equal(got, want);
			if (!got)
				m->a[m->n++] = (struct marea){ iova, len, uva, rw };
			counts[0]++;
		} else if (kind < 50 && m->n < MAX_AREAS) {     /* automatic MAP */
			uint64_t at = 0, exp = model_auto(m, uva, len);

			got = t_map(sys, e.iommufd, ioas, flags,
				    (void *)(uintptr_t)uva, len, &at);
			assert_int_equal(got, 0);
			assert_int_equal(at, exp);
			m->a[m->n++] = (struct marea){ at, len, uva, rw };
			counts[1]++;
		} else if (kind < 85) {                         /* UNMAP */
			uint64_t bytes, mbytes;

			if (m->n && test_rand_below(&seed, 2)) {
				/* Around an existing area, sometimes cutting it. */
				struct marea *a = &m->a[test_rand_below(&seed, m->n)];

				iova = a->iova - test_rand_below(&seed, 3) * PG;
				len = a->len + (a->iova - iova) +
				      test_rand_below(&seed, 3) * PG;
				if (test_rand_below(&seed, 4) == 0 && a->len > PG)
					len -= PG;
			}
			want = model_unmap(m, iova, len, &mbytes);
			got = t_unmap(sys, e.iommufd, ioas, iova, len, &bytes);
			assert_int_equal(got, want);
			if (!got)
				assert_int_equal(bytes, mbytes);
			counts[2]++;
		} else if (kind < 99) {                         /* COPY A -> B */
			struct marea sl[MAX_AREAS];
			size_t ns;
			struct iommu_ioas_copy c = {
				.size = sizeof(c),
				.flags = flags | IOMMU_IOAS_MAP_FIXED_IOVA,
				.dst_ioas_id = ioas_b, .src_ioas_id = e.ioas,
			};

			if (ma.n && test_rand_below(&seed, 4)) {
				struct marea *a = &ma.a[test_rand_below(&seed, ma.n)];

				c.src_iova = a->iova +
					test_rand_below(&seed, a->len / PG) * PG;
				c.length = a->iova + a->len - c.src_iova +
					   test_rand_below(&seed, 3) * PG;
			} else {
				c.src_iova = iova;
				c.length = len;
			}
			c.dst_iova = WIN_BASE + test_rand_below(&seed, WINDOW / PG) * PG;
			want = model_get_pages(&ma, c.src_iova, c.length, sl, &ns);
			if (!want && rw)
				for (size_t i = 0; i < ns; i++)
					if (!sl[i].writable)
						want = -EPERM;
			if (!want && overlaps(&mb, c.dst_iova, c.length))
				want = -EEXIST;
			if (!want && mb.n + ns > MAX_AREAS)
				continue;
			got = sys_ioctl(sys, e.iommufd, IOMMU_IOAS_COPY, &c);
			assert_int_equal(got, want);
			if (!got) {
				uint64_t at = c.dst_iova;

				for (size_t i = 0; i < ns; i++) {
					mb.a[mb.n++] = (struct marea){ at, sl[i].len,
								      sl[i].uva, rw };
					at += sl[i].len;
				}
			}
			counts[3]++;
		} else {                                         /* UNMAP all */
			uint64_t bytes, total = 0;

			for (size_t i = 0; i < m->n; i++)
				total += m->a[i].len;
			assert_int_equal(t_unmap(sys, e.iommufd, ioas, 0, UINT64_MAX,
						 &bytes), 0);
			assert_int_equal(bytes, total);
			m->n = 0;
			counts[4]++;
		}
		check_tables(&e, &ma, 0, &seed);
		check_tables(&e, &mb, 1, &seed);
	}
	for (int k = 0; k < 5; k++)
		assert_true(counts[k] > 500);

	/* Everything unmapped: no pin left on the user memory. */
	assert_int_equal(t_unmap(sys, e.iommufd, e.ioas, 0, UINT64_MAX, NULL), 0);
	assert_int_equal(t_unmap(sys, e.iommufd, ioas_b, 0, UINT64_MAX, NULL), 0);
	assert_int_equal(umem_remove(e.m.umem, U64(e.m.user)), 0);
	t_env_fini(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_ioas_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
