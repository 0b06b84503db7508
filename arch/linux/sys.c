// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The system-call line answered by the real kernel: a Linux program's
 * sys backend. Each call is the Linux system call of the same name, its
 * result turned into the line's convention (>= 0, or -errno). The struct
 * sys of fd.h stands for the process itself; its device namespace is the
 * real /dev and /sys, so nothing is published here.
 *
 * What is here today: the calls the type1 differential runner makes
 * (tests/diff/), and the read side of the namespace. The Linux-hosted
 * board (discovery from the real /sys, partition RAM from anonymous
 * memory) builds on it.
 */
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

struct sys {
	int unused;
};

static struct sys the_process;

struct sys *sys_create(struct umem *umem)
{
	(void)umem;      /* the kernel keeps the process's memory map */
	return &the_process;
}

void sys_destroy(struct sys *sys)
{
	(void)sys;
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
	(void)sys;
	return (int)result(close(fd));
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
