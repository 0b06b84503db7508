// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The system-call line answered by the real kernel: a Linux program's
 * sys backend. Each call is the Linux system call of the same name, its
 * result turned into the line's convention (>= 0, or -errno). The struct
 * sys of fd.h stands for the process itself; its device namespace is the
 * real /dev and /sys, so nothing is published here.
 *
 * Beyond the system calls: pre-opened fds by name (QEMU's fd=NAME) in a
 * list of the process's; mappings remembered so munmap knows their
 * length; event files are the kernel's eventfds, whose notify callback
 * never runs (a program has no interrupt to run it from, and the Linux
 * build runs no guests that would wait on one).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE          /* dup3 */
#endif
#include <partita/err.h>
#include <partita/heap.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd-names.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct mapping {
	void *addr;
	size_t len;
	struct mapping *next;
};

struct sys {
	struct sys_fd_name *names;
	struct mapping *mappings;
};

static struct sys the_process;

struct sys *sys_create(struct umem *umem)
{
	(void)umem;      /* the kernel keeps the process's memory map */
	return &the_process;
}

void sys_destroy(struct sys *sys)
{
	while (sys->names)
		sys_fd_names_forget(&sys->names, sys->names->fd);
	while (sys->mappings) {
		struct mapping *m = sys->mappings;

		sys->mappings = m->next;
		munmap(m->addr, m->len);
		heap_free(m);
	}
}

struct umem *sys_umem(const struct sys *sys)
{
	(void)sys;
	return NULL;
}

static long result(long ret)
{
	return ret < 0 ? -errno : ret;
}

int sys_open(struct sys *sys, const char *path)
{
	(void)sys;
	return (int)result(open(path, O_RDWR | O_CLOEXEC));
}

int sys_close(struct sys *sys, int fd)
{
	int ret = (int)result(close(fd));

	if (!ret)
		sys_fd_names_forget(&sys->names, fd);
	return ret;
}

int sys_name_fd(struct sys *sys, const char *name, int fd)
{
	if (fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	return sys_fd_names_add(&sys->names, name, fd);
}

int sys_fd_by_name(const struct sys *sys, const char *name)
{
	return sys_fd_names_find(sys->names, name);
}

/* A file here is a duplicate of an fd, held by the struct: installing
 * it moves the duplicate to the fd asked for. */
struct sys_file *sys_fget(struct sys *sys, int fd)
{
	struct sys_file *f;
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);

	if (dup_fd < 0)
		return NULL;
	f = heap_zalloc(sizeof(*f));
	if (!f) {
		close(dup_fd);
		return NULL;
	}
	f->sys = sys;
	f->priv = (void *)(intptr_t)dup_fd;
	f->refs = 1;
	return f;
}

void sys_file_put(struct sys_file *file)
{
	if (!file || --file->refs)
		return;
	close((int)(intptr_t)file->priv);
	heap_free(file);
}

int sys_install_fd(struct sys *sys, int fd, struct sys_file *file)
{
	int from = (int)(intptr_t)file->priv, ret;

	(void)sys;
	if (fd >= SYS_FD_MAX)
		return -EBADF;
	if (fd < 0) {
		ret = fcntl(from, F_DUPFD_CLOEXEC, SYS_FD_FIRST);
	} else {
		if (fd < SYS_FD_FIRST)
			return -EBADF;
		if (fcntl(fd, F_GETFD) >= 0)
			return -EBUSY;
		ret = dup3(from, fd, O_CLOEXEC);
	}
	if (ret < 0)
		return -errno;
	sys_file_put(file);
	return ret;
}

void *sys_mmap(struct sys *sys, int fd, uint64_t off, uint64_t len)
{
	struct mapping *m;
	void *p;

	if (!len || (off | len) & 4095)
		return ERR_PTR(-EINVAL);
	m = heap_zalloc(sizeof(*m));
	if (!m)
		return ERR_PTR(-ENOMEM);
	p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)off);
	if (p == MAP_FAILED) {
		int e = errno;

		heap_free(m);
		return ERR_PTR(-e);
	}
	m->addr = p;
	m->len = (size_t)len;
	m->next = sys->mappings;
	sys->mappings = m;
	return p;
}

int sys_munmap(struct sys *sys, void *addr)
{
	for (struct mapping **l = &sys->mappings; *l; l = &(*l)->next) {
		struct mapping *m = *l;

		if (m->addr != addr)
			continue;
		if (munmap(m->addr, m->len))
			return -errno;
		*l = m->next;
		heap_free(m);
		return 0;
	}
	return -EINVAL;
}

int sys_eventfd(struct sys *sys, void (*notify)(void *opaque), void *opaque)
{
	(void)sys;
	(void)notify;
	(void)opaque;
	return (int)result(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
}

uint64_t sys_eventfd_read(struct sys *sys, int fd)
{
	uint64_t v;

	(void)sys;
	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? v : 0;
}

long sys_ioctl(struct sys *sys, int fd, unsigned long request, void *arg)
{
	(void)sys;
	return result(ioctl(fd, request, arg));
}

long sys_pread(struct sys *sys, int fd, void *buf, size_t len, uint64_t off)
{
	(void)sys;
	return result(pread(fd, buf, len, (off_t)off));
}

long sys_pwrite(struct sys *sys, int fd, const void *buf, size_t len,
		uint64_t off)
{
	(void)sys;
	return result(pwrite(fd, buf, len, (off_t)off));
}

int sys_stat(struct sys *sys, const char *path, struct sys_stat *st)
{
	struct stat s;

	(void)sys;
	if (stat(path, &s))
		return -errno;
	memset(st, 0, sizeof(*st));
	st->type = S_ISDIR(s.st_mode) ? SYS_DIR : S_ISCHR(s.st_mode) ? SYS_CHR :
		   S_ISLNK(s.st_mode) ? SYS_LNK : SYS_REG;
	st->rdev_major = (uint32_t)(s.st_rdev >> 8) & 0xfff;
	st->rdev_minor = (uint32_t)((s.st_rdev & 0xff) |
				    ((s.st_rdev >> 12) & 0xfff00));
	if (st->type == SYS_REG)
		st->size = (size_t)s.st_size;
	return 0;
}

long sys_readlink(struct sys *sys, const char *path, char *buf, size_t len)
{
	(void)sys;
	return result(readlink(path, buf, len));
}

long sys_read_file(struct sys *sys, const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t done = 0;
	long n;

	(void)sys;
	if (fd < 0)
		return -errno;
	/* sysfs attributes are read whole; a regular file may take more
	 * than one read. */
	while ((n = read(fd, buf + done, len - done)) > 0) {
		done += (size_t)n;
		if (done == len) {
			close(fd);
			return -EOVERFLOW;
		}
	}
	n = n < 0 ? -errno : (long)done;
	close(fd);
	if (n >= 0)
		buf[done] = 0;
	return n;
}

int sys_realpath(struct sys *sys, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];

	(void)sys;
	if (!realpath(path, full))
		return -errno;
	if (strlen(full) + 1 > len)
		return -ERANGE;
	memcpy(buf, full, strlen(full) + 1);
	return 0;
}

int sys_readdir(struct sys *sys, const char *path,
		int (*fn)(void *opaque, const char *name), void *opaque)
{
	struct dirent **list;
	int n, ret = 0;

	(void)sys;
	/* Name order, as the in-image namespace (C locale: bytewise). */
	n = scandir(path, &list, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;

		if (!ret && strcmp(name, ".") && strcmp(name, ".."))
			ret = fn(opaque, name);
		free(list[i]);
	}
	free(list);
	return ret;
}
