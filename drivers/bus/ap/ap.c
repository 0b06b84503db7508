// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * AP bus discovery: the crypto adapters and domains a
 * "partita,sim-ap-bus" node lists, and the matrix mediated devices under
 * it (what an administrator makes through vfio_ap's sysfs on Linux).
 */
#include "../bus-private.h"
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/vfio/vfio-ap-ops.h>
#include <libfdt.h>
#include <string.h>

/* Each number of property name, through set(); false with a message. */
static bool each_number(const void *fdt, int node, const char *name,
			unsigned limit, void *ctx,
			int (*set)(void *ctx, unsigned n), Error **errp)
{
	const void *p;
	int n = bus_fdt_cells(fdt, node, name, &p);
	const char *nname = fdt_get_name(fdt, node, NULL);

	if (n < 0) {
		if (!fdt_getprop(fdt, node, name, NULL))
			return true;
		error_setg(errp, "%s: '%s' must be a list of numbers", nname, name);
		return false;
	}
	for (int i = 0; i < n; i++) {
		unsigned v = fdt32_to_cpu(((const fdt32_t *)p)[i]);
		int ret;

		if (v >= limit) {
			error_setg(errp, "%s: '%s' entry %u is above %u", nname,
				   name, v, limit - 1);
			return false;
		}
		ret = set(ctx, v);
		if (ret) {
			error_setg(errp, "%s: '%s' entry 0x%02x: %s", nname, name,
				   v, ret == -ENODEV ? "not on the AP bus" :
				   ret == -EADDRINUSE ? "a queue of it is in "
				   "another matrix already" : "refused");
			return false;
		}
	}
	return true;
}

static int bus_adapter(void *ctx, unsigned n)
{
	bitmap_set_bit(((struct ap_bus *)ctx)->adapters, n);
	return 0;
}

static int bus_domain(void *ctx, unsigned n)
{
	bitmap_set_bit(((struct ap_bus *)ctx)->domains, n);
	return 0;
}

static int m_adapter(void *ctx, unsigned n)
{
	return vfio_ap_assign_adapter(ctx, n);
}

static int m_domain(void *ctx, unsigned n)
{
	return vfio_ap_assign_domain(ctx, n);
}

static int m_control(void *ctx, unsigned n)
{
	return vfio_ap_assign_control_domain(ctx, n);
}

static bool add_matrix(const struct bus_env *env, struct bus_devices *d,
		       int node, Error **errp)
{
	const void *fdt = env->fdt;
	const char *uuid;
	int ulen;
	struct bus_entry *ent;

	uuid = fdt_getprop(fdt, node, "partita,mdev-uuid", &ulen);
	if (!uuid || ulen != 37 || uuid[36]) {
		error_setg(errp, "%s: needs 'partita,mdev-uuid' (a UUID string)",
			   fdt_get_name(fdt, node, NULL));
		return false;
	}
	ent = bus_entry_add(d, BUS_AP, uuid, errp);
	if (!ent)
		return false;
	ent->env = env;
	ent->matrix = heap_zalloc(sizeof(*ent->matrix));
	if (!ent->matrix) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	snprintf(ent->path, sizeof(ent->path), "/sys/bus/mdev/devices/%s", uuid);
	snprintf(ent->compat, sizeof(ent->compat), "vfio_ap-passthrough");
	ent->matrix->dev = &ent->dev;
	vfio_ap_matrix_init(ent->matrix, d->ap);
	if (!each_number(fdt, node, "adapters", AP_MAX_ADAPTERS, ent->matrix,
			 m_adapter, errp) ||
	    !each_number(fdt, node, "domains", AP_MAX_DOMAINS, ent->matrix,
			 m_domain, errp) ||
	    !each_number(fdt, node, "control-domains", AP_MAX_DOMAINS,
			 ent->matrix, m_control, errp))
		return false;
	return bus_group_alone(d, ent, true, errp) &&
	       bus_published(ent, vfio_ap_publish(env->sys,
				   ent->matrix, ent->info.index), errp);
}

bool bus_ap_discover(const struct bus_env *env, struct bus_devices *d,
		     Error **errp)
{
	const void *fdt = env->fdt;
	int bus = fdt_node_offset_by_compatible(fdt, -1, "partita,sim-ap-bus");
	int node;

	if (bus < 0)
		return true;
	d->ap = heap_zalloc(sizeof(*d->ap));
	if (!d->ap) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	if (!each_number(fdt, bus, "adapters", AP_MAX_ADAPTERS, d->ap,
			 bus_adapter, errp) ||
	    !each_number(fdt, bus, "domains", AP_MAX_DOMAINS, d->ap, bus_domain,
			 errp))
		return false;
	fdt_for_each_subnode(node, fdt, bus)
		if (!add_matrix(env, d, node, errp))
			return false;
	return true;
}
