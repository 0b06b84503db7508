// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Channel-subsystem discovery: the subchannels a "partita,sim-css" node
 * lists, each handed out as a vfio-ccw mediated device. (A real s390x
 * finds its subchannels with STORE SUBCHANNEL; the host board describes
 * them in its device tree.)
 */
#include "../bus-private.h"
#include <libfdt.h>
#include <string.h>

static bool add_subchannel(const struct bus_env *env, struct bus_devices *d,
			   int node, Error **errp)
{
	const void *fdt = env->fdt;
	const char *nname = fdt_get_name(fdt, node, NULL);
	const fdt32_t *reg;
	const char *uuid;
	int len, ulen;
	uint32_t schno;

	reg = fdt_getprop(fdt, node, "reg", &len);
	uuid = fdt_getprop(fdt, node, "partita,mdev-uuid", &ulen);
	if (!reg || len != 4 || fdt32_to_cpu(*reg) > 0xffff || !uuid ||
	    ulen != 37 || uuid[36]) {
		error_setg(errp, "%s: needs 'reg' (a subchannel number) and "
			   "'partita,mdev-uuid' (a UUID string)", nname);
		return false;
	}
	schno = fdt32_to_cpu(*reg);
	if (!env->css_start) {
		error_setg(errp, "%s: this board has no channel subsystem", nname);
		return false;
	}
	return bus_css_add_mdev(d, uuid, (uint16_t)schno, errp) != NULL;
}

bool bus_css_discover(const struct bus_env *env, struct bus_devices *d,
		      Error **errp)
{
	const void *fdt = env->fdt;

	for (int css = fdt_node_offset_by_compatible(fdt, -1, "partita,sim-css");
	     css >= 0;
	     css = fdt_node_offset_by_compatible(fdt, css, "partita,sim-css")) {
		int node;

		fdt_for_each_subnode(node, fdt, css)
			if (!add_subchannel(env, d, node, errp))
				return false;
	}
	return true;
}
