/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by sys/fd.c (fds) and sys/namespace.c (the namespace). */
#ifndef CORE_SYS_INTERNAL_H
#define CORE_SYS_INTERNAL_H

#include <partita/err.h>
#include <partita/sys/fd.h>
#include <partita/sys/fd-names.h>
#include <partita/sys/namespace.h>

struct sys_node {
	char *name;
	size_t name_len;
	enum sys_node_type type;
	struct sys_node *parent;
	/* SYS_DIR: its entries sorted by name (bytewise, as strcmp), so a
	 * lookup in a directory of a thousand devices is a binary search. */
	struct sys_node **children;
	size_t nchildren, children_cap;
	char *text;                  /* SYS_REG contents, SYS_LNK target */
	size_t len;                  /* SYS_REG: bytes of text (may hold NULs) */
	uint32_t major, minor;       /* SYS_CHR */
	sys_open_fn open;
	void *opaque;
	void (*free_opaque)(void *opaque);
};

struct sys_mapping {
	void *addr;
	uint64_t len;
	struct sys_file *file;         /* held while mapped */
	struct sys_mapping *next;
};

struct sys {
	struct sys_mapping *mappings;
	struct sys_file *fds[SYS_FD_MAX];
	/* No fd below it is free (the lowest free one is handed out, as
	 * POSIX says): opening stays O(1) however many are open. */
	int fd_free_from;
	struct sys_fd_name *names;
	struct sys_node root;
	struct umem *umem;
};

/* namespace.c */
void sys_ns_init(struct sys *sys);
void sys_ns_fini(struct sys *sys);
/* The node path names, following links (the last one only if follow);
 * ERR_PTR(-errno): -ENOENT, -ENOTDIR, -ELOOP, -EINVAL (not absolute). */
struct sys_node *sys_ns_lookup(struct sys *sys, const char *path, bool follow);

#endif
