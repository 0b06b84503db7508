// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fd table behind the system-call line. Files are reference counted:
 * an fd holds one reference, and so does anything that keeps a file it
 * was handed (an iommufd bound to a device, a group set to a container).
 * The file's release runs when the last reference goes.
 */
#include "sys-internal.h"
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/mm/user-mem.h>
#include <partita/sys/namespace.h>
#include <string.h>

struct sys *sys_create(struct umem *umem)
{
	struct sys *sys = heap_zalloc(sizeof(*sys));

	if (!sys)
		return NULL;
	sys_ns_init(sys);
	sys->umem = umem;
	return sys;
}

void sys_destroy(struct sys *sys)
{
	if (!sys)
		return;
	/* Highest first, so files opened later (devices) go before the
	 * ones they may refer to (their iommufd) drop their fds. */
	for (int fd = SYS_FD_MAX - 1; fd >= 0; fd--)
		if (sys->fds[fd])
			sys_close(sys, fd);
	/* Mappings last: with every fd closed nothing pins them. */
	while (sys->mappings) {
		struct sys_mapping *m = sys->mappings;

		sys->mappings = m->next;
		if (sys->umem)
			umem_remove(sys->umem, (uint64_t)(uintptr_t)m->addr);
		sys_file_put(m->file);
		heap_free(m);
	}
	sys_ns_fini(sys);
	heap_free(sys);
}

struct umem *sys_umem(const struct sys *sys)
{
	return sys->umem;
}

struct sys_file *sys_file_alloc(struct sys *sys, const struct sys_file_ops *ops,
				void *priv)
{
	struct sys_file *f = heap_zalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->sys = sys;
	f->ops = ops;
	f->priv = priv;
	f->refs = 1;
	return f;
}

void *sys_file_open_new(struct sys *sys, const struct sys_file_ops *ops,
			size_t size, struct sys_file **out)
{
	void *priv = heap_zalloc(size);

	if (!priv)
		return ERR_PTR(-ENOMEM);
	*out = sys_file_alloc(sys, ops, priv);
	if (!*out) {
		heap_free(priv);
		return ERR_PTR(-ENOMEM);
	}
	return priv;
}

void *sys_file_priv_of(struct sys_file *file, const struct sys_file_ops *ops)
{
	return file && file->ops == ops ? file->priv : NULL;
}

void sys_file_get(struct sys_file *file)
{
	file->refs++;
}

void sys_file_put(struct sys_file *file)
{
	if (!file || --file->refs)
		return;
	if (file->ops->release)
		file->ops->release(file);
	heap_free(file);
}

struct sys_file *sys_fget(struct sys *sys, int fd)
{
	struct sys_file *f;

	if (fd < 0 || fd >= SYS_FD_MAX || !(f = sys->fds[fd]))
		return NULL;
	sys_file_get(f);
	return f;
}

int sys_install_fd(struct sys *sys, int fd, struct sys_file *file)
{
	if (fd >= SYS_FD_MAX)
		return -EBADF;
	if (fd >= 0) {
		if (sys->fds[fd])
			return -EBUSY;
	} else {
		fd = sys->fd_free_from > SYS_FD_FIRST ? sys->fd_free_from :
		     SYS_FD_FIRST;
		while (fd < SYS_FD_MAX && sys->fds[fd])
			fd++;
		sys->fd_free_from = fd;
		if (fd == SYS_FD_MAX)
			return -EMFILE;
	}
	sys->fds[fd] = file;
	return fd;
}

int sys_name_fd(struct sys *sys, const char *name, int fd)
{
	if (fd < 0 || fd >= SYS_FD_MAX || !sys->fds[fd])
		return -EBADF;
	return sys_fd_names_add(&sys->names, name, fd);
}

int sys_fd_by_name(const struct sys *sys, const char *name)
{
	return sys_fd_names_find(sys->names, name);
}

int sys_open(struct sys *sys, const char *path)
{
	int err = 0, fd;
	struct sys_node *n = sys_ns_lookup(sys, path, true);
	struct sys_file *f = NULL;

	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	if (n->type == SYS_DIR)
		return -EISDIR;
	/* Only device nodes open; attributes are read with sys_read_file. */
	if (n->type != SYS_CHR)
		return -ENXIO;
	err = n->open(sys, n->opaque, &f);
	if (err < 0)
		return err;
	fd = sys_install_fd(sys, -1, f);
	if (fd < 0)
		sys_file_put(f);
	return fd;
}

int sys_close(struct sys *sys, int fd)
{
	struct sys_file *f;

	if (fd < 0 || fd >= SYS_FD_MAX || !(f = sys->fds[fd]))
		return -EBADF;
	sys->fds[fd] = NULL;
	if (fd < sys->fd_free_from)
		sys->fd_free_from = fd;
	sys_fd_names_forget(&sys->names, fd);
	sys_file_put(f);
	return 0;
}

long sys_ioctl(struct sys *sys, int fd, unsigned long request, void *arg)
{
	struct sys_file *f = sys_fget(sys, fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->ioctl ? f->ops->ioctl(f, request, arg) : -ENOTTY;
	sys_file_put(f);
	return ret;
}

long sys_pread(struct sys *sys, int fd, void *buf, size_t len, uint64_t off)
{
	struct sys_file *f = sys_fget(sys, fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->pread ? f->ops->pread(f, buf, len, off) : -EINVAL;
	sys_file_put(f);
	return ret;
}

long sys_pwrite(struct sys *sys, int fd, const void *buf, size_t len,
		uint64_t off)
{
	struct sys_file *f = sys_fget(sys, fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->pwrite ? f->ops->pwrite(f, buf, len, off) : -EINVAL;
	sys_file_put(f);
	return ret;
}

#define SYS_PAGE 4096u

void *sys_mmap(struct sys *sys, int fd, uint64_t off, uint64_t len)
{
	struct sys_file *f = sys_fget(sys, fd);
	struct sys_mapping *m;
	void *host = NULL;
	uint64_t pa = 0;
	int ret;

	if (!f)
		return ERR_PTR(-EBADF);
	if (!len || (off | len) & (SYS_PAGE - 1)) {
		ret = -EINVAL;
		goto out_put;
	}
	if (!f->ops->mmap) {
		ret = -ENODEV;
		goto out_put;
	}
	ret = f->ops->mmap(f, off, len, &host, &pa);
	if (ret)
		goto out_put;
	m = heap_zalloc(sizeof(*m));
	if (!m) {
		ret = -ENOMEM;
		goto out_put;
	}
	/* Device memory in the caller's map: what DMA pinning checks. */
	ret = sys->umem ? umem_add(sys->umem, (uint64_t)(uintptr_t)host, len,
				   pa, UMEM_IO) : 0;
	if (ret) {
		heap_free(m);
		goto out_put;
	}
	m->addr = host;
	m->len = len;
	m->file = f;
	m->next = sys->mappings;
	sys->mappings = m;
	return host;
out_put:
	sys_file_put(f);
	return ERR_PTR(ret);
}

int sys_munmap(struct sys *sys, void *addr)
{
	for (struct sys_mapping **link = &sys->mappings; *link;
	     link = &(*link)->next) {
		struct sys_mapping *m = *link;
		int ret;

		if (m->addr != addr)
			continue;
		ret = sys->umem ? umem_remove(sys->umem,
					      (uint64_t)(uintptr_t)addr) : 0;
		if (ret)
			return ret;
		*link = m->next;
		sys_file_put(m->file);
		heap_free(m);
		return 0;
	}
	return -EINVAL;
}
