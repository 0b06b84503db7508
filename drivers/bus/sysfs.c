// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Discovery from a running Linux's /sys, read through the system-call
 * line (env->sys): every PCI function Linux knows, with the IOMMU group
 * its iommu_group link names (-1: none, the function cannot be assigned),
 * its vendor and device ids and the driver Linux bound (in compatible,
 * for -report devices). Nothing is published: the namespace is the
 * kernel's. Whether the function can be assigned is for opening its
 * group to say (QEMU's "group N is not viable").
 */
#include "bus-private.h"
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/pci.h>
#include <partita/sys/namespace.h>
#include <stdlib.h>
#include <string.h>

#define PCI_DEVICES "/sys/bus/pci/devices"

struct names {
	char (*name)[32];
	unsigned n, cap;
	bool nomem;
};

static int collect(void *opaque, const char *name)
{
	struct names *l = opaque;

	if (strlen(name) >= sizeof(l->name[0]))
		return 0;            /* not a PCI function's name */
	if (l->n == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 32;
		char (*grown)[32] = heap_realloc(l->name, cap * sizeof(*grown));

		if (!grown) {
			l->nomem = true;
			return 1;
		}
		l->name = grown;
		l->cap = cap;
	}
	strcpy(l->name[l->n++], name);
	return 0;
}

/* The last component of a link's target (.../drivers/vfio-pci), or "". */
static void link_base(struct sys *sys, const char *path, char *out, size_t n)
{
	char target[256];
	long len = sys_readlink(sys, path, target, sizeof(target) - 1);
	const char *slash;

	out[0] = 0;
	if (len <= 0)
		return;
	target[len] = 0;
	slash = strrchr(target, '/');
	slash = slash ? slash + 1 : target;
	if (strlen(slash) < n)
		memcpy(out, slash, strlen(slash) + 1);
}

/* The number at the end of a link (.../iommu_groups/<N>), or -1. */
static int link_number(struct sys *sys, const char *path)
{
	char target[256];
	long n = sys_readlink(sys, path, target, sizeof(target) - 1);
	const char *slash;
	char *end;
	long v;

	if (n <= 0)
		return -1;
	target[n] = 0;
	slash = strrchr(target, '/');
	v = strtol(slash ? slash + 1 : target, &end, 10);
	return *end || v < 0 || v > 0x7fffffff ? -1 : (int)v;
}

static uint16_t id_file(struct sys *sys, const char *dev, const char *file)
{
	char path[96], text[16];

	snprintf(path, sizeof(path), "%s/%s/%s", PCI_DEVICES, dev, file);
	return sys_read_file(sys, path, text, sizeof(text)) > 0 ?
	       (uint16_t)strtoul(text, NULL, 16) : 0;
}

/* DDDD:BB:DD.F -> the requester id, what the IOMMU's fault records name. */
static uint32_t requester_id(const char *name)
{
	unsigned dom, bus, dev, fn;

	if (sscanf(name, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		return 0;
	return pci_requester_id(bus, dev, fn);
}

bool bus_sysfs_discover(const struct bus_env *env, struct bus_devices *d,
			Error **errp)
{
	struct names l = { 0 };
	int ret = sys_readdir(env->sys, PCI_DEVICES, collect, &l);
	bool ok = true;

	if (ret == -ENOENT) {
		heap_free(l.name);
		return true;         /* no PCI bus */
	}
	if (ret < 0 || l.nomem) {
		error_setg_errno(errp, l.nomem ? ENOMEM : -ret,
				 "discovery: cannot list %s", PCI_DEVICES);
		heap_free(l.name);
		return false;
	}
	for (unsigned i = 0; ok && i < l.n; i++) {
		struct bus_entry *e = bus_entry_add(d, BUS_PCI, l.name[i], errp);
		char path[sizeof(e->path) + 16], driver[32];

		if (!e) {
			ok = false;
			break;
		}
		snprintf(e->path, sizeof(e->path), "%s/%s", PCI_DEVICES,
			 l.name[i]);
		snprintf(path, sizeof(path), "%s/iommu_group", e->path);
		e->info.group = link_number(env->sys, path);
		e->info.vendor = id_file(env->sys, l.name[i], "vendor");
		e->info.device = id_file(env->sys, l.name[i], "device");
		e->info.stream_id = requester_id(l.name[i]);
		/* What -report devices says of it: ids and the driver Linux
		 * bound (only vfio-pci's can be assigned). */
		snprintf(path, sizeof(path), "%s/driver", e->path);
		link_base(env->sys, path, driver, sizeof(driver));
		snprintf(e->compat, sizeof(e->compat), "%04x:%04x %s",
			 e->info.vendor, e->info.device,
			 driver[0] ? driver : "(no driver)");
		if (e->info.group > (int)d->ngroups)
			d->ngroups = (unsigned)e->info.group;
	}
	heap_free(l.name);
	return ok;
}
