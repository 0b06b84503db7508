// SPDX-License-Identifier: GPL-2.0-or-later
/* Discovery's list of what it found, and its entry point. */
#include "bus-private.h"
#include <partita/errno.h>
#include <partita/heap.h>
#include <string.h>

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

/* The first entry of d->by_name named after name (strcmp > 0), or, with
 * equal, the first named name. */
static unsigned name_bound(const struct bus_devices *d, const char *name,
			   bool after_equal)
{
	unsigned lo = 0, hi = d->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int r = strcmp(d->by_name[mid]->name, name);

		if (r < 0 || (after_equal && r == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct bus_entry *bus_entry_add(struct bus_devices *d, enum bus_kind kind,
				const char *name, Error **errp)
{
	struct bus_entry *e;
	unsigned pos;

	if (!grow(&d->devs, &d->cap, d->n + 1, errp) ||
	    !grow(&d->by_name, &d->by_name_cap, d->n + 1, errp))
		return NULL;
	e = heap_zalloc(sizeof(*e));
	if (!e) {
		error_setg(errp, "discovery: out of memory");
		return NULL;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->info.kind = kind;
	e->info.name = e->name;
	e->info.sysfsdev = e->path;
	e->info.compatible = e->compat;
	e->info.index = d->n;
	e->info.group = -1;
	pos = name_bound(d, e->name, true);
	memmove(&d->by_name[pos + 1], &d->by_name[pos],
		(d->n - pos) * sizeof(*d->by_name));
	d->by_name[pos] = e;
	d->devs[d->n++] = e;
	return e;
}

int bus_group_next(struct bus_devices *d)
{
	return (int)++d->ngroups;
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

		/* Called before who's own entry is made. */
		if (e->iommu && e->iommu == iommu && e->info.stream_id == sid) {
			error_setg(errp, "%s: stream id 0x%x is %s's already: "
				   "two devices would share one translation",
				   who, sid, e->name);
			return true;
		}
	}
	return false;
}

static void devices_free(struct bus_devices *d)
{
	for (unsigned i = 0; i < d->n; i++) {
		struct bus_entry *e = d->devs[i];

		heap_free(e->pci);
		heap_free(e->plat);
		heap_free(e->sch);
		heap_free(e->matrix);
		if (e->release)
			e->release(e->priv);
		heap_free(e);
	}
	heap_free(d->devs);
	heap_free(d->by_name);
	heap_free(d->ap);
	heap_free(d);
}

/* Each kind of bus, in the order their devices are numbered (Linux's
 * bus_type list, for enumeration only). */
static const struct bus_ops {
	const char *name;
	bool (*discover)(const struct bus_env *env, struct bus_devices *d,
			 Error **errp);
} bus_ops[] = {
	/* Described by the device tree (arm64, the host's simulated board). */
#if IS_ENABLED(CONFIG_HAS_DEVICE_TREE)
#if IS_ENABLED(CONFIG_VFIO_PCI)
	{ "pci", bus_pci_discover },
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	{ "platform", bus_platform_discover },
#endif
#if IS_ENABLED(CONFIG_VFIO_CCW)
	{ "css", bus_css_discover },
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	{ "ap", bus_ap_discover },
#endif
#endif
	/* A running Linux's /sys (the Linux-hosted build; the host build
	 * has it only for its test: its board has a device tree). */
#if IS_ENABLED(CONFIG_BUS_SYSFS) && !IS_ENABLED(CONFIG_HAS_DEVICE_TREE)
	{ "sysfs", bus_sysfs_discover },
#endif
	/* Found by the machine's own instructions (s390x). */
#if IS_ENABLED(CONFIG_S390_IO)
#if IS_ENABLED(CONFIG_VFIO_PCI)
	{ "zpci", bus_zpci_discover },
#endif
#if IS_ENABLED(CONFIG_VFIO_CCW)
	{ "css", bus_css_stsch_discover },
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	{ "ap", bus_ap_facility_discover },
#endif
#endif
};

struct bus_devices *bus_discover(const struct bus_env *env, Error **errp)
{
	struct bus_devices *d = heap_zalloc(sizeof(*d));

	if (!d) {
		error_setg(errp, "discovery: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < sizeof(bus_ops) / sizeof(bus_ops[0]); i++) {
		if (!bus_ops[i].discover(env, d, errp)) {
			devices_free(d);
			return NULL;
		}
	}
	return d;
}

void bus_devices_release(struct bus_devices *d)
{
	if (d)
		devices_free(d);
}

int bus_pci_reset(const struct bus_pci_function *fn)
{
	return fn->flr ? fn->flr(fn) : -ENOTTY;
}

unsigned bus_device_count(const struct bus_devices *d)
{
	return d ? d->n : 0;
}

/* Entry i, or an empty one past the end: the accessors then answer NULL
 * without each checking. */
static const struct bus_entry *entry(const struct bus_devices *d, unsigned i)
{
	static const struct bus_entry none;

	return d && i < d->n ? d->devs[i] : &none;
}

const struct bus_device_info *bus_device(const struct bus_devices *d,
					 unsigned i)
{
	return d && i < d->n ? &d->devs[i]->info : NULL;
}

struct iommu_device *bus_device_iommu(const struct bus_devices *d, unsigned i)
{
	return entry(d, i)->iommu;
}

const struct bus_pci_function *bus_device_pci(const struct bus_devices *d,
					      unsigned i)
{
	return entry(d, i)->pci;
}

const struct bus_platform_node *bus_device_platform(const struct bus_devices *d,
						    unsigned i)
{
	return entry(d, i)->plat;
}

const struct bus_subchannel *bus_device_subchannel(const struct bus_devices *d,
						   unsigned i)
{
	return entry(d, i)->sch;
}

const struct bus_ap_matrix *bus_device_ap_matrix(const struct bus_devices *d,
						 unsigned i)
{
	return entry(d, i)->matrix;
}

const struct bus_ap *bus_ap(const struct bus_devices *d)
{
	return d ? d->ap : NULL;
}

const char *bus_ap_absent(const struct bus_devices *d)
{
	return d ? d->ap_absent : NULL;
}

unsigned bus_group_count(const struct bus_devices *d)
{
	return d ? d->ngroups : 0;
}

/* The first entry (in discovery order) named name whose path is path,
 * or with any path when path is NULL. */
static const struct bus_entry *find_named(const struct bus_devices *d,
					  const char *name, const char *path)
{
	for (unsigned i = name_bound(d, name, false);
	     i < d->n && !strcmp(d->by_name[i]->name, name); i++)
		if (!path || !strcmp(d->by_name[i]->path, path))
			return d->by_name[i];
	return NULL;
}

const struct bus_device_info *bus_device_find(const struct bus_devices *d,
					      const char *name_or_path)
{
	const char *base = strrchr(name_or_path, '/');
	const struct bus_entry *by_name, *by_path = NULL;

	if (!d)
		return NULL;
	by_name = find_named(d, name_or_path, NULL);
	if (base)
		by_path = find_named(d, base + 1, name_or_path);
	/* Both can match different entries: the first found wins. */
	if (by_path && (!by_name || by_path->info.index < by_name->info.index))
		by_name = by_path;
	return by_name ? &by_name->info : NULL;
}
