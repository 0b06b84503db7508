// SPDX-License-Identifier: GPL-2.0-or-later
/* Names of pre-opened fds (include/partita/sys/fd-names.h). */
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/sys/fd-names.h>
#include <string.h>

int sys_fd_names_add(struct sys_fd_name **list, const char *name, int fd)
{
	struct sys_fd_name *n;

	if (!name || !name[0])
		return -EINVAL;
	if (sys_fd_names_find(*list, name) >= 0)
		return -EEXIST;
	n = heap_zalloc(sizeof(*n));
	if (!n || !(n->name = heap_strdup(name))) {
		heap_free(n);
		return -ENOMEM;
	}
	n->fd = fd;
	n->next = *list;
	*list = n;
	return 0;
}

int sys_fd_names_find(const struct sys_fd_name *list, const char *name)
{
	for (const struct sys_fd_name *n = list; n; n = n->next)
		if (!strcmp(n->name, name))
			return n->fd;
	return -ENOENT;
}

void sys_fd_names_forget(struct sys_fd_name **list, int fd)
{
	while (*list) {
		struct sys_fd_name *n = *list;

		if (n->fd != fd) {
			list = &n->next;
			continue;
		}
		*list = n->next;
		heap_free(n->name);
		heap_free(n);
	}
}
