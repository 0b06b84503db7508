// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event files: the eventfd(2) of the system-call line. A counter the
 * layer below raises (an interrupt of a device, a request to give a
 * device back) and the caller's notifier, which runs when it is raised.
 * Partita has no threads and no main loop to poll from, so the notifier
 * is the caller's fd handler, called at once; it reads (and so clears)
 * the counter as QEMU's event_notifier_test_and_clear does.
 */
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd.h>

struct eventfd {
	uint64_t count;
	void (*notify)(void *opaque);
	void *opaque;
};

static void eventfd_release(struct sys_file *file)
{
	heap_free(file->priv);
}

static const struct sys_file_ops eventfd_fops = {
	.release = eventfd_release,
};

int sys_eventfd(struct sys *sys, void (*notify)(void *opaque), void *opaque)
{
	struct eventfd *e = heap_zalloc(sizeof(*e));
	struct sys_file *f;
	int fd;

	if (!e)
		return -ENOMEM;
	e->notify = notify;
	e->opaque = opaque;
	f = sys_file_alloc(sys, &eventfd_fops, e);
	if (!f) {
		heap_free(e);
		return -ENOMEM;
	}
	fd = sys_install_fd(sys, -1, f);
	if (fd < 0)
		sys_file_put(f);
	return fd;
}

uint64_t sys_eventfd_read(struct sys *sys, int fd)
{
	struct sys_file *f = sys_fget(sys, fd);
	uint64_t n = 0;

	if (f && f->ops == &eventfd_fops) {
		struct eventfd *e = f->priv;

		n = e->count;
		e->count = 0;
	}
	if (f)
		sys_file_put(f);
	return n;
}

bool sys_file_is_eventfd(const struct sys_file *file)
{
	return file && file->ops == &eventfd_fops;
}

void sys_eventfd_signal(struct sys_file *file)
{
	struct eventfd *e;

	if (!sys_file_is_eventfd(file))
		return;
	e = file->priv;
	e->count++;
	/* The notifier may close the last fd of the file (an unplug). */
	sys_file_get(file);
	if (e->notify)
		e->notify(e->opaque);
	sys_file_put(file);
}
