// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/compiler.h>
#include <partita/heap.h>
#include <partita/interval-tree.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <errno.h>
#include <string.h>

struct umem_range {
	struct interval_node node;      /* [va, va + len - 1] */
	uint64_t pa;
	enum umem_kind kind;
	unsigned long pins;
};

struct umem {
	struct interval_tree ranges;
	uint64_t translated;          /* bytes looked up by umem_walk */
};

struct umem *umem_create(void)
{
	return heap_zalloc(sizeof(struct umem));
}

void umem_destroy(struct umem *um)
{
	struct interval_node *n;

	if (!um)
		return;
	while ((n = interval_tree_first(&um->ranges))) {
		interval_tree_remove(&um->ranges, n);
		heap_free(container_of(n, struct umem_range, node));
	}
	heap_free(um);
}

int umem_add(struct umem *um, uint64_t va, uint64_t len, uint64_t pa,
	     enum umem_kind kind)
{
	struct umem_range *r;

	if (!len || va + len - 1 < va || pa + len - 1 < pa)
		return -EINVAL;
	if (interval_tree_iter_first(&um->ranges, va, va + len - 1))
		return -EEXIST;
	r = heap_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->node.start = va;
	r->node.last = va + len - 1;
	r->pa = pa;
	r->kind = kind;
	interval_tree_insert(&um->ranges, &r->node);
	return 0;
}

int umem_remove(struct umem *um, uint64_t va)
{
	struct interval_node *n = interval_tree_iter_first(&um->ranges, va, va);
	struct umem_range *r;

	if (!n || n->start != va)
		return -ENOENT;
	r = container_of(n, struct umem_range, node);
	if (r->pins)
		return -EBUSY;
	interval_tree_remove(&um->ranges, n);
	heap_free(r);
	return 0;
}

static bool accepts(enum umem_kind kind, unsigned access)
{
	if (kind == UMEM_IO)
		return access & UMEM_ALLOW_IO;
	return kind == UMEM_RAM || !(access & UMEM_WRITE);
}

/* Every byte covered, contiguously, by ranges of an accepted kind. */
static bool covered(struct umem *um, uint64_t va, uint64_t last,
		    unsigned access)
{
	uint64_t next = va;

	for (struct interval_node *n = interval_tree_iter_first(&um->ranges, va, last);
	     n; n = interval_tree_iter_next(n, va, last)) {
		struct umem_range *r = container_of(n, struct umem_range, node);

		if (n->start > next || !accepts(r->kind, access))
			return false;
		if (n->last >= last)
			return true;
		next = n->last + 1;
	}
	return false;
}

int umem_walk(struct umem *um, uint64_t va, uint64_t len, unsigned access,
	      umem_piece_fn fn, void *opaque)
{
	uint64_t last = va + len - 1;

	if (!len || last < va || !covered(um, va, last, access))
		return -EFAULT;
	um->translated += len;
	for (struct interval_node *n = interval_tree_iter_first(&um->ranges, va, last);
	     n; n = interval_tree_iter_next(n, va, last)) {
		struct umem_range *r = container_of(n, struct umem_range, node);
		uint64_t s = n->start > va ? n->start : va;
		uint64_t e = n->last < last ? n->last : last;
		int ret = fn(opaque, s, r->pa + (s - n->start), e - s + 1, r->kind);

		if (ret)
			return ret;
	}
	return 0;
}

static void adjust_pins(struct umem *um, uint64_t va, uint64_t last, int delta)
{
	for (struct interval_node *n = interval_tree_iter_first(&um->ranges, va, last);
	     n; n = interval_tree_iter_next(n, va, last))
		container_of(n, struct umem_range, node)->pins += (unsigned long)delta;
}

int umem_pin(struct umem *um, uint64_t va, uint64_t len, unsigned access)
{
	uint64_t last = va + len - 1;

	if (!len || last < va || !covered(um, va, last, access))
		return -EFAULT;
	adjust_pins(um, va, last, 1);
	return 0;
}

void umem_unpin(struct umem *um, uint64_t va, uint64_t len)
{
	if (len && va + len - 1 >= va)
		adjust_pins(um, va, va + len - 1, -1);
}

struct pa_fill {
	uint64_t *pa;
	uint64_t base;       /* va of pa[0] */
};

static int fill_pages(void *opaque, uint64_t va, uint64_t pa, uint64_t len,
		      enum umem_kind kind)
{
	struct pa_fill *f = opaque;
	/* The first page start at or after va (pieces need not start on
	 * one). */
	uint64_t v = va + (PAGE_SIZE - (va - f->base) % PAGE_SIZE) % PAGE_SIZE;

	(void)kind;
	for (; v - va < len; v += PAGE_SIZE)
		f->pa[(v - f->base) / PAGE_SIZE] = pa + (v - va);
	return 0;
}

int umem_pin_pages(struct umem *um, uint64_t va, size_t npage, uint64_t *pa)
{
	uint64_t len = (uint64_t)npage * PAGE_SIZE;
	struct pa_fill f = { pa, va };
	int ret;

	if (!npage || va % PAGE_SIZE || len / PAGE_SIZE != npage)
		return -EINVAL;
	ret = umem_walk(um, va, len, 0, fill_pages, &f);
	if (ret)
		return ret;
	return umem_pin(um, va, len, 0);
}

bool umem_is_ram(struct umem *um, uint64_t va, uint64_t len)
{
	return len && va + len - 1 >= va && covered(um, va, va + len - 1, 0);
}

int umem_copy(struct umem *um, uint64_t va, void *buf, uint64_t len, bool write)
{
	uint64_t last = va + len - 1;

	if (!len)
		return 0;
	if (last < va || !covered(um, va, last, write ? UMEM_WRITE : 0))
		return -EFAULT;
	/* The user's addresses are the caller's own (identity in firmware,
	 * host pointers on the host board): copy_{to,from}_user. */
	if (write)
		memcpy((void *)(uintptr_t)va, buf, len);
	else
		memcpy(buf, (const void *)(uintptr_t)va, len);
	return 0;
}

uint64_t umem_translated_bytes(const struct umem *um)
{
	return um->translated;
}
