/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Names of pre-opened fds (QEMU's fd=NAME): a list both answers of the
 * system-call line keep, the in-image one (sys/fd.c) and a Linux
 * program's (arch/linux/sys.c). Checking that the fd is open is the
 * caller's.
 */
#ifndef PARTITA_SYS_FD_NAMES_H
#define PARTITA_SYS_FD_NAMES_H

struct sys_fd_name {
	char *name;
	int fd;
	struct sys_fd_name *next;
};

/* Name fd: 0, -EINVAL for an empty name, -EEXIST, -ENOMEM. */
int sys_fd_names_add(struct sys_fd_name **list, const char *name, int fd);
/* The fd named name, or -ENOENT. */
int sys_fd_names_find(const struct sys_fd_name *list, const char *name);
/* Drop every name of fd (it was closed). */
void sys_fd_names_forget(struct sys_fd_name **list, int fd);

#endif
