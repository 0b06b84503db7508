// SPDX-License-Identifier: GPL-2.0-or-later
/* What the device-tree buses share (bus-private.h). */
#include "bus-private.h"
#include <libfdt.h>

int bus_fdt_cells(const void *fdt, int node, const char *name,
		  const void **cells)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len < 0 || len % 4)
		return -1;
	*cells = p;
	return len / 4;
}
