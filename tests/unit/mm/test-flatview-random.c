// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Property test: random region trees rendered by flatview.c must agree,
 * byte by byte, with a deliberately naive reference that answers "who owns
 * this address?" by walking the tree with its own notion of priority order
 * (kept here, not read from mm/'s sibling lists). A listener mirrors every
 * delta into a shadow map, which must agree too after each random change.
 * A second space on the same root has no listener, so its view is patched
 * when only leaves moved (flatview-patch.c); it must agree as well. Run
 * with aliases and without (aliases turn patching off).
 */
#include "memory-fixture.h"

#define SPACE 256   /* addresses examined: [0, SPACE) */
#define NREG 8
#define SETS 10000
#define CHANGES 4

enum kind { K_CONTAINER, K_RAM, K_MMIO, K_ALIAS };

struct node {
	MemoryRegion mr;
	enum kind kind;
	int placed;            /* index of container + 1 (0: root), -1: none */
	unsigned seq;          /* insertion order, for equal priorities */
};

struct world {
	MemoryContext ctx;
	MemoryRegion root;
	AddressSpace as, quiet;
	bool no_aliases;
	unsigned kept;         /* commits that left the quiet view's object */
	struct node n[NREG];
	unsigned seq;
	/* shadow of the listener's view */
	struct owner { MemoryRegion *mr; uint64_t off; bool ro; } shadow[SPACE];
	MemoryListener l;
};

static const MemoryRegionOps null_ops;
static uint8_t backing[NREG][SPACE];

/* ---- the naive reference ---------------------------------------------- */

static MemoryRegion *container_of_node(struct world *w, struct node *x)
{
	return x->placed == 0 ? &w->root : &w->n[x->placed - 1].mr;
}

static bool ref_lookup(struct world *w, MemoryRegion *mr, __int128 base,
		       uint64_t addr, bool ro, struct owner *out, int depth);

/* Children of container c, best first: priority desc, newest first. */
static bool ref_children(struct world *w, MemoryRegion *c, __int128 base,
			 uint64_t addr, bool ro, struct owner *out, int depth)
{
	bool used[NREG] = { false };

	for (;;) {
		int best = -1;

		for (int i = 0; i < NREG; i++) {
			struct node *x = &w->n[i];

			if (used[i] || x->placed < 0 || container_of_node(w, x) != c)
				continue;
			if (best < 0 || x->mr.priority > w->n[best].mr.priority ||
			    (x->mr.priority == w->n[best].mr.priority &&
			     x->seq > w->n[best].seq))
				best = i;
		}
		if (best < 0)
			return false;
		used[best] = true;
		if (ref_lookup(w, &w->n[best].mr, base, addr, ro, out, depth + 1))
			return true;
	}
}

static bool ref_lookup(struct world *w, MemoryRegion *mr, __int128 base,
		       uint64_t addr, bool ro, struct owner *out, int depth)
{
	__int128 start; /* 128-bit: the root is UINT64_MAX long */

	assert_true(depth < 64);
	if (!mr->enabled)
		return false;
	start = base + mr->addr;
	ro = ro || mr->readonly;
	if (addr < start || addr >= start + mr->size)
		return false;
	if (mr->kind == MR_ALIAS)
		return ref_lookup(w, mr->alias,
				  start - mr->alias_offset - mr->alias->addr,
				  addr, ro, out, depth + 1);
	if (ref_children(w, mr, start, addr, ro, out, depth))
		return true;
	if (mr->kind == MR_CONTAINER)
		return false;
	out->mr = mr;
	out->off = (uint64_t)(addr - start);
	out->ro = ro;
	return true;
}

/* ---- the shadow listener ---------------------------------------------- */

static void shadow_add(MemoryListener *l, MemoryRegionSection *s)
{
	struct world *w = container_of(l, struct world, l);

	for (uint64_t i = 0; i < s->size; i++) {
		uint64_t a = s->offset_within_address_space + i;

		if (a >= SPACE)
			break;
		assert_null(w->shadow[a].mr); /* deletions came first */
		w->shadow[a] = (struct owner){ s->mr, s->offset_within_region + i,
					       s->readonly };
	}
}

static void shadow_del(MemoryListener *l, MemoryRegionSection *s)
{
	struct world *w = container_of(l, struct world, l);

	for (uint64_t i = 0; i < s->size; i++) {
		uint64_t a = s->offset_within_address_space + i;

		if (a >= SPACE)
			break;
		assert_ptr_equal(w->shadow[a].mr, s->mr);
		assert_int_equal(w->shadow[a].off, s->offset_within_region + i);
		w->shadow[a].mr = NULL;
	}
}

/* ---- checks ------------------------------------------------------------ */

static void check_view(struct world *w, const FlatView *fv, bool shadow)
{

	/* Structure: sorted, disjoint, nothing left to merge. */
	for (size_t i = 1; i < fv->nr; i++) {
		const FlatRange *a = &fv->ranges[i - 1], *b = &fv->ranges[i];

		assert_true(a->addr + a->size <= b->addr);
		assert_false(a->mr == b->mr && a->addr + a->size == b->addr &&
			     a->offset_in_region + a->size == b->offset_in_region &&
			     a->readonly == b->readonly);
	}
	for (uint64_t a = 0; a < SPACE; a++) {
		struct owner want = { 0 };
		bool mapped = ref_lookup(w, &w->root, 0, a, false, &want, 0);
		const FlatRange *fr = flatview_lookup(fv, a);

		if (!mapped) {
			assert_null(fr);
			if (shadow)
				assert_null(w->shadow[a].mr);
			continue;
		}
		assert_non_null(fr);
		assert_ptr_equal(fr->mr, want.mr);
		assert_int_equal(fr->offset_in_region + (a - fr->addr), want.off);
		assert_int_equal(fr->readonly, want.ro);
		if (!shadow)
			continue;
		assert_ptr_equal(w->shadow[a].mr, want.mr);
		assert_int_equal(w->shadow[a].off, want.off);
		assert_int_equal(w->shadow[a].ro, want.ro);
	}
}

static void check(struct world *w)
{
	check_view(w, address_space_get_flatview(&w->as), true);
	check_view(w, address_space_get_flatview(&w->quiet), false);
}

/* ---- random worlds ----------------------------------------------------- */

static bool place(struct world *w, int i, uint64_t *seed)
{
	struct node *x = &w->n[i];
	int c = (int)test_rand_below(seed, NREG + 1); /* 0 = root */
	MemoryRegion *cont;
	int prio = (int)test_rand_below(seed, 5) - 2;
	uint64_t addr = test_rand_below(seed, SPACE);

	if (c > 0 && w->n[c - 1].kind != K_CONTAINER)
		c = 0;
	cont = c ? &w->n[c - 1].mr : &w->root;
	if (!memory_region_add_subregion_overlap(cont, addr, &x->mr, prio, NULL))
		return false; /* a cycle: legal to refuse */
	x->placed = c;
	x->seq = ++w->seq;
	return true;
}

static void build(struct world *w, uint64_t *seed)
{
	for (int i = 0; i < NREG; i++) {
		struct node *x = &w->n[i];
		uint64_t size = 1 + test_rand_below(seed, SPACE / 2);
		char name[8] = { 'r', (char)('0' + i), 0 };

		x->kind = (enum kind)test_rand_below(seed, 4);
		if (x->kind == K_ALIAS && (i == 0 || w->no_aliases))
			x->kind = K_RAM;
		switch (x->kind) {
		case K_CONTAINER:
			memory_region_init(&x->mr, &w->ctx, name, size, &error_abort);
			break;
		case K_RAM:
			memory_region_init_ram_ptr(&x->mr, &w->ctx, name, size,
						   backing[i], &error_abort);
			break;
		case K_MMIO:
			memory_region_init_io(&x->mr, &w->ctx, &null_ops, NULL,
					      name, size, &error_abort);
			break;
		case K_ALIAS:
			memory_region_init_alias(&x->mr, &w->ctx, name,
				&w->n[test_rand_below(seed, (uint64_t)i)].mr,
				test_rand_below(seed, SPACE / 2), size,
				&error_abort);
			break;
		}
		x->mr.enabled = test_rand_below(seed, 10) != 0;
		x->mr.readonly = test_rand_below(seed, 8) == 0;
		x->placed = -1;
	}
	memory_region_transaction_begin(&w->ctx);
	for (int i = 0; i < NREG; i++)
		if (test_rand_below(seed, 8))
			place(w, i, seed);
	memory_region_transaction_commit(&w->ctx, &error_abort);
}

static void mutate_one(struct world *w, uint64_t *seed);

/* A patched view keeps its object; a rendered one is new. */
static void mutate(struct world *w, uint64_t *seed)
{
	const FlatView *before = address_space_get_flatview(&w->quiet);

	mutate_one(w, seed);
	w->kept += address_space_get_flatview(&w->quiet) == before;
}

static void mutate_one(struct world *w, uint64_t *seed)
{
	int i = (int)test_rand_below(seed, NREG);
	struct node *x = &w->n[i];

	switch (test_rand_below(seed, 7)) {
	case 0:
		memory_region_set_enabled(&x->mr, !x->mr.enabled, &error_abort);
		break;
	case 1:
		memory_region_set_address(&x->mr, test_rand_below(seed, SPACE),
					  &error_abort);
		break;
	case 2:
		if (x->placed >= 0) {
			int prio = (int)test_rand_below(seed, 5) - 2;

			/* A real change re-links: newest among equals. */
			if (prio != x->mr.priority)
				x->seq = ++w->seq;
			memory_region_set_priority(&x->mr, prio, &error_abort);
		}
		break;
	case 3:
		if (x->placed >= 0) {
			memory_region_del_subregion(container_of_node(w, x), &x->mr,
						    &error_abort);
			x->placed = -1;
		} else {
			place(w, i, seed);
		}
		break;
	case 4:
		if (x->kind != K_RAM)
			memory_region_set_size(&x->mr,
				1 + test_rand_below(seed, SPACE), &error_abort);
		break;
	case 5:
		memory_region_set_readonly(&x->mr, !x->mr.readonly, &error_abort);
		break;
	case 6:
		/* Several placements and removals in one commit, as a bus
		 * moving its BARs: what the quiet view is patched with. */
		memory_region_transaction_begin(&w->ctx);
		for (int k = 1 + (int)test_rand_below(seed, 4); k > 0; k--) {
			x = &w->n[test_rand_below(seed, NREG)];
			if (x->placed < 0) {
				place(w, (int)(x - w->n), seed);
				continue;
			}
			memory_region_del_subregion(container_of_node(w, x), &x->mr,
						    &error_abort);
			x->placed = -1;
		}
		memory_region_transaction_commit(&w->ctx, &error_abort);
		break;
	}
}

static void teardown_world(struct world *w)
{
	memory_region_transaction_begin(&w->ctx);
	for (int i = 0; i < NREG; i++)
		if (w->n[i].placed >= 0)
			memory_region_del_subregion(container_of_node(w, &w->n[i]),
						    &w->n[i].mr, &error_abort);
	memory_region_transaction_commit(&w->ctx, &error_abort);
	/* Aliases were made after their targets: finalize newest first. */
	for (int i = NREG - 1; i >= 0; i--)
		memory_region_finalize(&w->n[i].mr);
}

static void random_region_sets(bool no_aliases, uint64_t seed)
{
	static struct world w;

	LEAK_CHECK_BEGIN();
	memset(&w, 0, sizeof(w));
	w.no_aliases = no_aliases;
	memory_context_init(&w.ctx);
	memory_region_init(&w.root, &w.ctx, "root", UINT64_MAX, &error_abort);
	address_space_init(&w.as, &w.root, "random", &error_abort);
	address_space_init(&w.quiet, &w.root, "quiet", &error_abort);
	w.l.region_add = shadow_add;
	w.l.region_del = shadow_del;
	memory_listener_register(&w.l, &w.as);

	for (int set = 0; set < SETS; set++) {
		build(&w, &seed);
		check(&w);
		for (int c = 0; c < CHANGES; c++) {
			mutate(&w, &seed);
			check(&w);
		}
		teardown_world(&w);
		check(&w); /* empty again, shadow included */
	}
	/* Without aliases, many changes are patches. */
	if (no_aliases)
		assert_true(w.kept > SETS / 2);
	memory_listener_unregister(&w.l);
	address_space_destroy(&w.quiet);
	address_space_destroy(&w.as);
	memory_region_finalize(&w.root);
	memory_context_destroy(&w.ctx);
	LEAK_CHECK_END();
}

static void test_random_region_sets(void **state)
{
	(void)state;
	random_region_sets(false, 0x9e3779b97f4a7c15ULL);
}

static void test_random_region_sets_without_aliases(void **state)
{
	(void)state;
	random_region_sets(true, 0x2545f4914f6cdd1dULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_region_sets),
		cmocka_unit_test(test_random_region_sets_without_aliases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
