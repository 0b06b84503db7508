// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Platform discovery: device-tree nodes behind an IOMMU ("iommus") are
 * the platform devices a partition can be given. Whether the VFIO front
 * knows how to hand one to a partition (its bindings table) is the
 * front's business, decided at realize.
 */
#include "../bus-private.h"
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <libfdt.h>
#include <string.h>

/* Linux's platform device name: "<unit address>.<node name>". */
static void platform_name(const char *node, char *buf, size_t len)
{
	const char *at = strchr(node, '@');

	if (at)
		snprintf(buf, len, "%s.%.*s", at + 1, (int)(at - node), node);
	else
		snprintf(buf, len, "%s", node);
}

static bool add_node(const struct bus_env *env, struct bus_devices *d,
		     int node, Error **errp)
{
	const void *fdt = env->fdt;
	const char *nname = fdt_get_name(fdt, node, NULL);
	const fdt32_t *iommus, *ints;
	const char *compat;
	int len, clen, ilen;
	char name[64];
	struct bus_entry *ent;
	struct bus_platform_node *pd;
	struct iommu_device *iommu;
	uint32_t sid;

	platform_name(nname, name, sizeof(name));
	iommus = fdt_getprop(fdt, node, "iommus", &len);
	compat = fdt_getprop(fdt, node, "compatible", &clen);
	if (!iommus || len != 8 || !compat || clen <= 0 ||
	    clen > PLATFORM_MAX_COMPAT || compat[clen - 1]) {
		error_setg(errp, "%s: 'iommus' must be one <phandle stream-id> "
			   "and 'compatible' a string list", nname);
		return false;
	}
	iommu = env->iommu_for(env->opaque, fdt32_to_cpu(iommus[0]));
	if (!iommu) {
		pr_warn("%s: its IOMMU has no driver: not assignable", name);
		return true;
	}
	sid = fdt32_to_cpu(iommus[1]);
	if (bus_sid_clash(d, iommu, sid, name, errp))
		return false;
	ent = bus_entry_add(d, BUS_PLATFORM, name, errp);
	if (!ent)
		return false;
	pd = ent->plat = heap_zalloc(sizeof(*pd));
	if (!pd) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	ent->iommu = iommu;
	ent->info.stream_id = sid;
	snprintf(ent->path, sizeof(ent->path), "/sys/bus/platform/devices/%s",
		 name);
	snprintf(ent->compat, sizeof(ent->compat), "%s", compat);
	memcpy(pd->compatible, compat, (size_t)clen);
	pd->compatible_len = (size_t)clen;
	if (fdt_get_path(fdt, node, pd->of_path, sizeof(pd->of_path))) {
		error_setg(errp, "%s: path too long", nname);
		return false;
	}
	pd->bus_as = env->phys;
	for (int i = 0; i < PLATFORM_MAX_REGIONS; i++) {
		if (!fdt_util_reg(fdt, node, i, &pd->regions[i].pa,
				  &pd->regions[i].size))
			break;
		/* A range the CPU reaches as memory (an SRAM) can be
		 * mapped; registers are reached through the bus. */
		pd->regions[i].host = bus_cpu_view(env->phys, pd->regions[i].pa,
						   pd->regions[i].size);
		pd->nregions++;
	}
	ints = fdt_getprop(fdt, node, "interrupts", &ilen);
	if (ints && (ilen % 12 || ilen / 12 > PLATFORM_MAX_IRQS)) {
		error_setg(errp, "%s: 'interrupts' must be 3-cell specifiers, "
			   "at most %u", nname, PLATFORM_MAX_IRQS);
		return false;
	}
	for (int i = 0; ints && i < ilen / 12; i++) {
		unsigned n = pd->nirqs++;

		for (int k = 0; k < 3; k++)
			pd->irqs[n].spec[k] = fdt32_to_cpu(ints[3 * i + k]);
		/* GIC flags: 4 and 8 are level-triggered. */
		pd->irqs[n].level = pd->irqs[n].spec[2] & 0xc;
	}
	ent->info.group = bus_group_next(d);
	return true;
}

bool bus_platform_discover(const struct bus_env *env, struct bus_devices *d,
			   Error **errp)
{
	const void *fdt = env->fdt;
	int depth = 0;

	for (int node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (!fdt_getprop(fdt, node, "iommus", NULL) ||
		    !fdt_util_enabled(fdt, node))
			continue;
		if (!add_node(env, d, node, errp))
			return false;
	}
	return true;
}
