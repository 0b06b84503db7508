/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One fact of uapi-layout-list.h, as computed under one set of headers. */
#ifndef PARTITA_TEST_UAPI_LAYOUT_H
#define PARTITA_TEST_UAPI_LAYOUT_H

#include <stddef.h>

struct uapi_fact {
	const char *name;
	unsigned long long value;
};

/* The host's <linux/vfio.h> (uapi-layout-system.c). */
extern const struct uapi_fact uapi_facts_system[];

#endif
