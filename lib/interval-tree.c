// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/interval-tree.h>

static int height(const struct interval_node *n)
{
	return n ? n->height : 0;
}

static void update(struct interval_node *n)
{
	int hl = height(n->left), hr = height(n->right);

	n->height = 1 + (hl > hr ? hl : hr);
	n->subtree_last = n->last;
	if (n->left && n->left->subtree_last > n->subtree_last)
		n->subtree_last = n->left->subtree_last;
	if (n->right && n->right->subtree_last > n->subtree_last)
		n->subtree_last = n->right->subtree_last;
}

static void replace_child(struct interval_tree *t, struct interval_node *parent,
			  struct interval_node *old, struct interval_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/* Rotations return the node now at the top of the rotated subtree. */
static struct interval_node *rotate_left(struct interval_tree *t,
					 struct interval_node *x)
{
	struct interval_node *y = x->right;

	replace_child(t, x->parent, x, y);
	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->left = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

static struct interval_node *rotate_right(struct interval_tree *t,
					  struct interval_node *x)
{
	struct interval_node *y = x->left;

	replace_child(t, x->parent, x, y);
	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->right = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

/* Restore heights, augmentation and balance from n up to the root. */
static void rebalance(struct interval_tree *t, struct interval_node *n)
{
	while (n) {
		int bf;

		update(n);
		bf = height(n->left) - height(n->right);
		if (bf > 1) {
			if (height(n->left->left) < height(n->left->right))
				rotate_left(t, n->left);
			n = rotate_right(t, n);
		} else if (bf < -1) {
			if (height(n->right->right) < height(n->right->left))
				rotate_right(t, n->right);
			n = rotate_left(t, n);
		}
		n = n->parent;
	}
}

void interval_tree_insert(struct interval_tree *t, struct interval_node *n)
{
	struct interval_node **link = &t->root, *parent = NULL;

	while (*link) {
		parent = *link;
		link = n->start < parent->start ? &parent->left : &parent->right;
	}
	n->left = n->right = NULL;
	n->parent = parent;
	n->height = 1;
	n->subtree_last = n->last;
	*link = n;
	t->count++;
	rebalance(t, parent);
}

static struct interval_node *leftmost(struct interval_node *n)
{
	while (n && n->left)
		n = n->left;
	return n;
}

void interval_tree_remove(struct interval_tree *t, struct interval_node *z)
{
	struct interval_node *start;

	if (z->left && z->right) {
		/* Put z's in-order successor y where z was. */
		struct interval_node *y = leftmost(z->right);

		if (y->parent != z) {
			start = y->parent;
			start->left = y->right;
			if (y->right)
				y->right->parent = start;
			y->right = z->right;
			z->right->parent = y;
		} else {
			start = y;
		}
		y->left = z->left;
		z->left->parent = y;
		replace_child(t, z->parent, z, y);
	} else {
		struct interval_node *child = z->left ? z->left : z->right;

		start = z->parent;
		replace_child(t, z->parent, z, child);
	}
	z->left = z->right = z->parent = NULL;
	t->count--;
	rebalance(t, start);
}

/* Leftmost node of subtree n that overlaps [start, last]. */
static struct interval_node *subtree_search(struct interval_node *n,
					    uint64_t start, uint64_t last)
{
	for (;;) {
		if (n->left && start <= n->left->subtree_last) {
			n = n->left;
			continue;
		}
		if (n->start <= last) {
			if (start <= n->last)
				return n;
			if (n->right && start <= n->right->subtree_last) {
				n = n->right;
				continue;
			}
		}
		return NULL;
	}
}

struct interval_node *interval_tree_iter_first(const struct interval_tree *t,
					       uint64_t start, uint64_t last)
{
	if (!t->root || t->root->subtree_last < start)
		return NULL;
	return subtree_search(t->root, start, last);
}

struct interval_node *interval_tree_iter_next(struct interval_node *n,
					      uint64_t start, uint64_t last)
{
	for (;;) {
		struct interval_node *prev;

		if (n->right && start <= n->right->subtree_last)
			return subtree_search(n->right, start, last);
		/* Climb until we arrive from a left child. */
		do {
			prev = n;
			n = n->parent;
			if (!n)
				return NULL;
		} while (prev == n->right);
		if (last < n->start)
			return NULL;
		if (start <= n->last)
			return n;
	}
}

struct interval_node *interval_tree_first(const struct interval_tree *t)
{
	return leftmost(t->root);
}

struct interval_node *interval_tree_next(struct interval_node *n)
{
	struct interval_node *prev;

	if (n->right)
		return leftmost(n->right);
	do {
		prev = n;
		n = n->parent;
	} while (n && prev == n->right);
	return n;
}

static int verify(const struct interval_node *n, const struct interval_node *parent,
		  size_t *count)
{
	int r, hl, hr;
	uint64_t sl;

	if (!n)
		return 0;
	if (n->parent != parent)
		return -1;
	if (n->left && n->left->start > n->start)
		return -2;
	if (n->right && n->right->start < n->start)
		return -2;
	if ((r = verify(n->left, n, count)) || (r = verify(n->right, n, count)))
		return r;
	hl = height(n->left);
	hr = height(n->right);
	if (n->height != 1 + (hl > hr ? hl : hr))
		return -3;
	if (hl - hr > 1 || hr - hl > 1)
		return -4;
	sl = n->last;
	if (n->left && n->left->subtree_last > sl)
		sl = n->left->subtree_last;
	if (n->right && n->right->subtree_last > sl)
		sl = n->right->subtree_last;
	if (n->subtree_last != sl)
		return -5;
	(*count)++;
	return 0;
}

int interval_tree_verify(const struct interval_tree *t)
{
	size_t count = 0;
	int r = verify(t->root, NULL, &count);

	if (r)
		return r;
	return count == t->count ? 0 : -6;
}
