/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system-call line. The VFIO side (drivers/vfio) reaches the layer
 * below only through these calls and the UAPI structs, exactly as QEMU
 * reaches Linux through open/ioctl/close; in Partita the "kernel" side
 * answers in-image (drivers/iommu).
 *
 * One struct sys is one machine's view: an fd table, a read-only device
 * namespace (/dev, /sys) filled by discovery, and the caller's memory map
 * (struct umem) that DMA mappings pin. Tests build as many as they like.
 *
 * Return values follow the kernel: a non-negative result, or a negative
 * errno (-ENOENT, -EBADF...). Nothing here prints; the caller decides
 * what a failure means.
 */
#ifndef PARTITA_SYS_FD_H
#define PARTITA_SYS_FD_H

#include <partita/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sys;
struct sys_file;
struct umem;

/* What an open file does. ioctl returns >= 0 or -errno; release runs
 * when the last reference goes (closing a device fd unbinds it). */
struct sys_file_ops {
	long (*ioctl)(struct sys_file *file, unsigned long request, void *arg);
	void (*release)(struct sys_file *file);
	/* Optional. Read or write len bytes at off: the byte count done, or
	 * -errno. NULL: -EINVAL, as a file without read/write. */
	long (*pread)(struct sys_file *file, void *buf, size_t len,
		      uint64_t off);
	long (*pwrite)(struct sys_file *file, const void *buf, size_t len,
		       uint64_t off);
	/* Optional. The device memory behind [off, off + len): where the
	 * caller can reach it (*host) and its physical address (*pa). NULL:
	 * -ENODEV, as a file that cannot be mapped. */
	int (*mmap)(struct sys_file *file, uint64_t off, uint64_t len,
		    void **host, uint64_t *pa);
};

struct sys_file {
	struct sys *sys;
	const struct sys_file_ops *ops;
	void *priv;
	unsigned refs;
};

/* A device node's open: make a file (refs = 1) or return -errno. */
typedef int (*sys_open_fn)(struct sys *sys, void *opaque,
			   struct sys_file **out);

/* ---- the machine ------------------------------------------------------ */

/* NULL when out of memory. umem may be NULL (no DMA-able user memory). */
struct sys *sys_create(struct umem *umem);
/* Closes every fd (running releases) and frees the namespace. */
void sys_destroy(struct sys *sys);
struct umem *sys_umem(const struct sys *sys);

/* ---- files and fds ---------------------------------------------------- */

/* Like a raised RLIMIT_NOFILE: fds are 0..4095. A device takes two or
 * three (group or cdev, device, container), and a machine of 1024 PCI
 * functions is checked with all of them open. */
#define SYS_FD_MAX 4096
#define SYS_FD_FIRST 3       /* 0-2 are a process's stdio; never handed out */

/* A new file with one reference, or NULL when out of memory. */
struct sys_file *sys_file_alloc(struct sys *sys, const struct sys_file_ops *ops,
				void *priv);
/* What a service's device-node open does: a new zeroed private object of
 * size bytes and a file for it (*out, one reference); the object, or
 * ERR_PTR(-ENOMEM) with nothing made. The file's release frees it. */
void *sys_file_open_new(struct sys *sys, const struct sys_file_ops *ops,
			size_t size, struct sys_file **out);
/* file's private object when file is one of ops's (a service telling
 * its own files from others'), else NULL. */
void *sys_file_priv_of(struct sys_file *file, const struct sys_file_ops *ops);
void sys_file_get(struct sys_file *file);
void sys_file_put(struct sys_file *file);

/* The file behind fd with a new reference, or NULL for a bad fd. */
struct sys_file *sys_fget(struct sys *sys, int fd);

/* Give file (and the caller's reference) an fd: the lowest free one when
 * fd < 0, else exactly fd. -EBADF for an fd out of range, -EBUSY when fd
 * is taken, -EMFILE when the table is full. */
int sys_install_fd(struct sys *sys, int fd, struct sys_file *file);

/* Pre-opened fds by name (QEMU's fd=NAME): -EEXIST, -EBADF, -ENOMEM. */
int sys_name_fd(struct sys *sys, const char *name, int fd);
/* The fd named name, or -ENOENT. A closed fd loses its names. */
int sys_fd_by_name(const struct sys *sys, const char *name);

/* ---- the calls -------------------------------------------------------- */

int sys_open(struct sys *sys, const char *path);
int sys_close(struct sys *sys, int fd);
long sys_ioctl(struct sys *sys, int fd, unsigned long request, void *arg);

/* pread/pwrite: -EBADF for a bad fd, else the file's answer. */
long sys_pread(struct sys *sys, int fd, void *buf, size_t len, uint64_t off);
long sys_pwrite(struct sys *sys, int fd, const void *buf, size_t len,
		uint64_t off);

/* Map [off, off + len) of a device file (a BAR) into the caller's memory
 * map as device memory: the caller's address of it, or ERR_PTR(-errno)
 * (-EBADF, -ENODEV, -EINVAL for len 0 or unaligned arguments, the file's
 * errno, -ENOMEM) where Linux's mmap returns MAP_FAILED and sets errno.
 * The mapping holds a reference to the file, so it outlives a close of
 * the fd, as on Linux. */
void *sys_mmap(struct sys *sys, int fd, uint64_t off, uint64_t len);
/* Undo sys_mmap (the whole mapping at addr): -EINVAL when addr is not a
 * mapping, -EBUSY while DMA pins it. */
int sys_munmap(struct sys *sys, void *addr);

#endif
