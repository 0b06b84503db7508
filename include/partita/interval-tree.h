/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intrusive interval tree of closed ranges [start, last], as Linux's
 * interval_tree: an AVL tree ordered by start, each node augmented with the
 * largest `last` of its subtree so overlap queries skip whole subtrees.
 * Several nodes may share a start. Insert, remove: O(log n); finding the k
 * intervals that overlap a range: O(k + log n). IOVA areas use it.
 */
#ifndef PARTITA_INTERVAL_TREE_H
#define PARTITA_INTERVAL_TREE_H

#include <stddef.h>
#include <stdint.h>

struct interval_node {
	struct interval_node *left, *right, *parent;
	uint64_t start, last;    /* set by the caller before insert */
	uint64_t subtree_last;   /* maintained by the tree */
	int height;
};

struct interval_tree {
	struct interval_node *root;
	size_t count;
};

#define INTERVAL_TREE_INIT { NULL, 0 }

void interval_tree_insert(struct interval_tree *t, struct interval_node *n);
void interval_tree_remove(struct interval_tree *t, struct interval_node *n);

/* The overlapping node with the lowest start, then the following ones in
 * start order; NULL when there are no more. */
struct interval_node *interval_tree_iter_first(const struct interval_tree *t,
					       uint64_t start, uint64_t last);
struct interval_node *interval_tree_iter_next(struct interval_node *n,
					      uint64_t start, uint64_t last);

/* In-order traversal of every node. */
struct interval_node *interval_tree_first(const struct interval_tree *t);
struct interval_node *interval_tree_next(struct interval_node *n);

/* Checks every AVL and augmentation invariant; for tests. Returns 0 when
 * sound, else a negative code naming the first broken rule. */
int interval_tree_verify(const struct interval_tree *t);

#endif
