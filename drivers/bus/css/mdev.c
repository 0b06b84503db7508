// SPDX-License-Identifier: GPL-2.0-or-later
/* A subchannel handed out as a vfio-ccw mediated device (bus-private.h),
 * however it was found (a device tree's node, STORE SUBCHANNEL). */
#include "../bus-private.h"
#include <partita/heap.h>

struct bus_entry *bus_css_add_mdev(struct bus_devices *d, const char *uuid,
				   uint16_t schno, Error **errp)
{
	struct bus_entry *ent = bus_entry_add(d, BUS_CCW, uuid, errp);
	struct bus_subchannel *sch;

	if (!ent)
		return NULL;
	sch = ent->sch = heap_zalloc(sizeof(*sch));
	if (!sch) {
		error_setg(errp, "discovery: out of memory");
		return NULL;
	}
	sch->schno = schno;
	snprintf(sch->parent, sizeof(sch->parent), "/sys/devices/css0/0.0.%04x",
		 schno);
	snprintf(ent->path, sizeof(ent->path), "/sys/bus/mdev/devices/%s", uuid);
	snprintf(ent->compat, sizeof(ent->compat), "0.0.%04x", schno);
	/* A mediated device: no IOMMU, its own (emulated) group. */
	ent->info.group = bus_group_next(d);
	return ent;
}
