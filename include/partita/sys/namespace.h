/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read-only device namespace of a struct sys (sys/namespace.c): the
 * Linux-shaped /dev and /sys tree the board's bring-up fills with what
 * discovery found, and the calls that read it (stat, readlink, realpath,
 * readdir, whole attribute files). Opening one of its device nodes is
 * sys_open (fd.h). Return values as fd.h: >= 0, or a negative errno.
 */
#ifndef PARTITA_SYS_NAMESPACE_H
#define PARTITA_SYS_NAMESPACE_H

#include <partita/sys/fd.h>

enum sys_node_type { SYS_DIR = 1, SYS_REG, SYS_LNK, SYS_CHR };

struct sys_stat {
	enum sys_node_type type;
	uint32_t rdev_major, rdev_minor;   /* SYS_CHR */
	size_t size;                       /* SYS_REG: content length */
};

/* stat() follows links; -ENOENT, -ELOOP, -ENOTDIR as Linux. */
int sys_stat(struct sys *sys, const char *path, struct sys_stat *st);
/* The link's target; -EINVAL when path is not a link. Like readlink(2),
 * no NUL is added; returns the length copied. */
long sys_readlink(struct sys *sys, const char *path, char *buf, size_t len);
/* A whole attribute file (follows links), NUL-terminated in buf; returns
 * its length, -EISDIR, -ENOENT, or -EOVERFLOW when buf is too small. */
long sys_read_file(struct sys *sys, const char *path, char *buf, size_t len);
/* The canonical absolute path of path, every link resolved (realpath);
 * -ENOENT, -ELOOP, -ERANGE when buf is too small. */
int sys_realpath(struct sys *sys, const char *path, char *buf, size_t len);
/* Calls fn for each entry of directory path, in name order; stops and
 * returns fn's value when it is not 0. -ENOTDIR, -ENOENT. */
int sys_readdir(struct sys *sys, const char *path,
		int (*fn)(void *opaque, const char *name), void *opaque);

/* ---- filling the namespace (discovery) -------------------------------- */

/* Directories are made as needed. All return 0, -EEXIST when the path is
 * taken, -EINVAL for a path that is not absolute and clean, -ENOMEM. */
int sys_ns_add_file(struct sys *sys, const char *path, const char *contents);
/* A file of len bytes that may hold NULs (a device-tree property). */
int sys_ns_add_file_bytes(struct sys *sys, const char *path,
			  const void *data, size_t len);
int sys_ns_add_link(struct sys *sys, const char *path, const char *target);
int sys_ns_add_chardev(struct sys *sys, const char *path, uint32_t major,
		       uint32_t minor, sys_open_fn open, void *opaque);
/* The same, and the node owns opaque: free_opaque(opaque) runs when the
 * node goes (sys_ns_remove, sys_destroy), or at once if adding fails. */
int sys_ns_add_chardev_owned(struct sys *sys, const char *path,
			     uint32_t major, uint32_t minor, sys_open_fn open,
			     void *opaque, void (*free_opaque)(void *opaque));
/* Removes path and, if a directory, everything below it; -ENOENT. */
int sys_ns_remove(struct sys *sys, const char *path);

#endif
