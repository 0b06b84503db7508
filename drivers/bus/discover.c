// SPDX-License-Identifier: GPL-2.0-or-later
/* Discovery's list of found devices and groups, and its entry point. */
#include "bus-private.h"
#include <partita/heap.h>
#include <partita/iommu/vfio/vfio-platform.h>
#include <partita/log.h>
#include <partita/pci.h>
#include <libfdt.h>
#include <string.h>
#if IS_ENABLED(CONFIG_VFIO_AP)
#include <partita/iommu/vfio/vfio-ap-ops.h>
#endif
#if IS_ENABLED(CONFIG_VFIO_CCW)
#include <partita/iommu/vfio/vfio-ccw-ops.h>
#endif

static bool grow(void *arrayp, unsigned *cap, unsigned need, Error **errp)
{
	void ***array = arrayp;
	unsigned ncap;
	void **n;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	n = heap_zalloc(ncap * sizeof(*n));
	if (!n) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	if (*array)
		memcpy(n, *array, *cap * sizeof(*n));
	heap_free(*array);
	*array = n;
	*cap = ncap;
	return true;
}

struct bus_entry *bus_entry_add(struct bus_devices *d, enum bus_kind kind,
				const char *name, Error **errp)
{
	struct bus_entry *e;

	if (!grow(&d->devs, &d->cap, d->n + 1, errp))
		return NULL;
	e = heap_zalloc(sizeof(*e));
	if (!e) {
		error_setg(errp, "discovery: out of memory");
		return NULL;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->dev.name = e->name;
	e->info.kind = kind;
	e->info.name = e->name;
	e->info.sysfsdev = e->path;
	e->info.compatible = e->compat;
	e->info.index = d->n;
	e->info.group = -1;
	d->devs[d->n++] = e;
	return e;
}

struct iommu_group *bus_group_new(struct bus_devices *d, bool emulated,
				  Error **errp)
{
	struct iommu_group *g;

	if (!grow(&d->groups, &d->groups_cap, d->ngroups + 1, errp))
		return NULL;
	g = heap_zalloc(sizeof(*g));
	if (!g) {
		error_setg(errp, "discovery: out of memory");
		return NULL;
	}
	g->id = (int)d->ngroups + 1;
	g->emulated = emulated;
	d->groups[d->ngroups++] = g;
	return g;
}

bool bus_group_add(struct iommu_group *g, struct bus_entry *e, Error **errp)
{
	if (iommu_group_add_device(g, &e->dev)) {
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	e->group = g;
	e->info.group = g->id;
	return true;
}

bool bus_group_alone(struct bus_devices *d, struct bus_entry *e, bool emulated,
		     Error **errp)
{
	struct iommu_group *g = bus_group_new(d, emulated, errp);

	return g && bus_group_add(g, e, errp);
}

bool bus_published(struct bus_entry *e, int ret, Error **errp)
{
	if (ret) {
		error_setg_errno(errp, -ret, "%s: cannot publish", e->name);
		return false;
	}
	return true;
}

void *bus_cpu_view(AddressSpace *as, uint64_t pa, uint64_t size)
{
	uint64_t xlat, plen = size;
	MemoryRegion *mr = address_space_translate(as, pa, &xlat, &plen, NULL);

	if (!mr || plen < size || !memory_region_is_ram(mr))
		return NULL;
	return (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
}

bool bus_sid_clash(const struct bus_devices *d, const struct iommu_device *iommu,
		   uint32_t sid, const char *who, Error **errp)
{
	for (unsigned i = 0; i < d->n; i++) {
		const struct bus_entry *e = d->devs[i];

		/* Called before who's own entry gets its IOMMU. */
		if (e->dev.iommu && e->dev.iommu == iommu &&
		    e->dev.stream_id == sid) {
			error_setg(errp, "%s: stream id 0x%x is %s's already: "
				   "two devices would share one translation",
				   who, sid, e->name);
			return true;
		}
	}
	return false;
}

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

static void devices_free(struct bus_devices *d)
{
	for (unsigned i = 0; i < d->n; i++) {
		struct bus_entry *e = d->devs[i];

		for (unsigned k = 0; k < BUS_MAX_IRQS; k++)
			if (e->irqs[k].connected)
				e->env->irq_connect(e->env->opaque,
					e->plat->irqs[k].spec, NULL, NULL);
#if IS_ENABLED(CONFIG_VFIO_AP)
		if (e->matrix)
			vfio_ap_matrix_fini(e->matrix);
#endif
		heap_free(e->pci);
		heap_free(e->plat);
		heap_free(e->sch);
		heap_free(e->matrix);
	}
	for (unsigned i = 0; i < d->ngroups; i++) {
		iommu_group_release(d->groups[i]);
		heap_free(d->groups[i]);
	}
	for (unsigned i = 0; i < d->n; i++)
		heap_free(d->devs[i]);
	heap_free(d->devs);
	heap_free(d->groups);
	heap_free(d->ap);
	heap_free(d);
}

struct bus_devices *bus_discover(const struct bus_env *env, Error **errp)
{
	struct bus_devices *d = heap_zalloc(sizeof(*d));

	if (!d) {
		error_setg(errp, "discovery: out of memory");
		return NULL;
	}
	if ((!IS_ENABLED(CONFIG_VFIO_PCI) || bus_pci_discover(env, d, errp)) &&
	    (!IS_ENABLED(CONFIG_VFIO_PLATFORM) ||
	     bus_platform_discover(env, d, errp)) &&
	    (!IS_ENABLED(CONFIG_VFIO_CCW) || bus_css_discover(env, d, errp)) &&
	    (!IS_ENABLED(CONFIG_VFIO_AP) || bus_ap_discover(env, d, errp)))
		return d;
	devices_free(d);
	return NULL;
}

void bus_devices_release(struct bus_devices *d)
{
	if (d)
		devices_free(d);
}

unsigned bus_group_count(const struct bus_devices *d)
{
	return d ? d->ngroups : 0;
}

struct iommu_group *bus_group(const struct bus_devices *d, unsigned i)
{
	return d && i < d->ngroups ? d->groups[i] : NULL;
}

int bus_group_id(const struct bus_devices *d, unsigned i)
{
	return d && i < d->ngroups ? d->groups[i]->id : -1;
}

unsigned bus_device_count(const struct bus_devices *d)
{
	return d ? d->n : 0;
}

const struct bus_device_info *bus_device(const struct bus_devices *d,
					 unsigned i)
{
	return d && i < d->n ? &d->devs[i]->info : NULL;
}

const struct bus_device_info *bus_device_find(const struct bus_devices *d,
					      const char *name_or_path)
{
	for (unsigned i = 0; d && i < d->n; i++)
		if (!strcmp(d->devs[i]->name, name_or_path) ||
		    !strcmp(d->devs[i]->path, name_or_path))
			return &d->devs[i]->info;
	return NULL;
}
