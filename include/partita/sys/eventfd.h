/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event files (sys/eventfd.c): the eventfd a front hands to
 * VFIO_DEVICE_SET_IRQS, signalled by the layer below. Firmware has no
 * main loop: the notifier runs at once, inside the call that signals.
 */
#ifndef PARTITA_SYS_EVENTFD_H
#define PARTITA_SYS_EVENTFD_H

#include <partita/sys/fd.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- event files (eventfd) -------------------------------------------- */

/* A new event file: its fd, or -ENOMEM/-EMFILE. notify(opaque) runs each
 * time the layer below signals it (NULL: nobody listens, the count only
 * grows). */
int sys_eventfd(struct sys *sys, void (*notify)(void *opaque), void *opaque);
/* The count since the last read, cleared; 0 for a file that is not an
 * event file. */
uint64_t sys_eventfd_read(struct sys *sys, int fd);
/* For the layer below: is it one, and raise it. */
bool sys_file_is_eventfd(const struct sys_file *file);
void sys_eventfd_signal(struct sys_file *file);

#endif
