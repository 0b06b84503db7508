// SPDX-License-Identifier: GPL-2.0-or-later
/* The facts of uapi-layout-list.h under the host's Linux UAPI headers. */
#include <linux/vfio.h>
#include <linux/vfio_ccw.h>
#include "uapi-layout.h"

#define SIZE(s) { "sizeof(" #s ")", sizeof(struct s) },
#define OFF(s, m) { "offsetof(" #s ", " #m ")", offsetof(struct s, m) },
#define VAL(v) { #v, (unsigned long long)(v) },
const struct uapi_fact uapi_facts_system[] = {
#include "uapi-layout-list.h"
	{ NULL, 0 },
};
