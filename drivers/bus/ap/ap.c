// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * AP bus discovery: the crypto adapters and domains a
 * "partita,sim-ap-bus" node lists, and the matrix mediated devices under
 * it (what an administrator makes through vfio_ap's sysfs on Linux).
 */
#include "../bus-private.h"
#include <partita/errno.h>
#include <partita/heap.h>
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
	bitmap_set_bit(((struct bus_ap *)ctx)->adapters, n);
	return 0;
}

static int bus_domain(void *ctx, unsigned n)
{
	bitmap_set_bit(((struct bus_ap *)ctx)->domains, n);
	return 0;
}

/* A matrix's lists are kept as given: assigning them (and refusing what
 * the bus lacks or another matrix has) is the AP driver's, at bring-up. */
static int m_adapter(void *ctx, unsigned n)
{
	struct bus_ap_matrix *m = ctx;

	if (m->nadapters == AP_MAX_ADAPTERS)
		return -E2BIG;
	m->adapters[m->nadapters++] = (uint16_t)n;
	return 0;
}

static int m_domain(void *ctx, unsigned n)
{
	struct bus_ap_matrix *m = ctx;

	if (m->ndomains == AP_MAX_DOMAINS)
		return -E2BIG;
	m->domains[m->ndomains++] = (uint16_t)n;
	return 0;
}

static int m_control(void *ctx, unsigned n)
{
	struct bus_ap_matrix *m = ctx;

	if (m->ncontrols == AP_MAX_DOMAINS)
		return -E2BIG;
	m->controls[m->ncontrols++] = (uint16_t)n;
	return 0;
}

static bool add_matrix(const struct bus_env *env, struct bus_devices *d,
		       int node, Error **errp)
{
	const void *fdt = env->fdt;
	const char *uuid;
	int ulen;
	struct bus_entry *ent;
	struct bus_ap_matrix *m;

	uuid = fdt_getprop(fdt, node, "partita,mdev-uuid", &ulen);
	if (!uuid || ulen != 37 || uuid[36]) {
		error_setg(errp, "%s: needs 'partita,mdev-uuid' (a UUID string)",
			   fdt_get_name(fdt, node, NULL));
		return false;
	}
	ent = bus_entry_add(d, BUS_AP, uuid, errp);
	if (!ent)
		return false;
	m = ent->matrix = heap_zalloc(sizeof(*m));
	if (!m) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	m->node = fdt_get_name(fdt, node, NULL);
	snprintf(ent->path, sizeof(ent->path), "/sys/bus/mdev/devices/%s", uuid);
	snprintf(ent->compat, sizeof(ent->compat), "vfio_ap-passthrough");
	if (!each_number(fdt, node, "adapters", AP_MAX_ADAPTERS, m, m_adapter,
			 errp) ||
	    !each_number(fdt, node, "domains", AP_MAX_DOMAINS, m, m_domain,
			 errp) ||
	    !each_number(fdt, node, "control-domains", AP_MAX_DOMAINS, m,
			 m_control, errp))
		return false;
	ent->info.group = bus_group_next(d);
	return true;
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
