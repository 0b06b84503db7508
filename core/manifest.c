// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /partitions to options: each "partita,iommufd" child an -object, each
 * "partita,partition" child a -partition, each of its children a
 * -device. A property becomes key=value: a string as it is (',' doubled,
 * the option syntax's escape), one or two cells as a number, an empty
 * property as "on".
 */
#include <partita/core/config.h>
#include <partita/core/manifest.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#define MANIFEST_ARG_MAX 1024

struct arg {
	char buf[MANIFEST_ARG_MAX];
	size_t len;
	bool overflow;
};

static void arg_add(struct arg *a, const char *s, bool escape)
{
	for (; *s; s++) {
		size_t need = escape && *s == ',' ? 2 : 1;

		if (a->len + need >= sizeof(a->buf)) {
			a->overflow = true;
			return;
		}
		a->buf[a->len++] = *s;
		if (need == 2)
			a->buf[a->len++] = ',';
	}
	a->buf[a->len] = '\0';
}

/* One printable, NUL-terminated, non-empty string? */
static bool is_string(const char *v, int len)
{
	if (len < 2 || v[len - 1])
		return false;
	for (int i = 0; i < len - 1; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return false;
	return true;
}

/* The node's properties (but compatible, phandle and skip) as
 * ",key=value" pairs. */
static bool add_props(const void *fdt, int node, const char *path,
		      const char *skip, struct arg *a, Error **errp)
{
	int prop;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;
		int len;
		const char *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
		char num[24];

		if (!v || !strcmp(name, "compatible") || !strcmp(name, "phandle") ||
		    !strcmp(name, "name") || (skip && !strcmp(name, skip)))
			continue;
		arg_add(a, ",", false);
		arg_add(a, name, true);
		arg_add(a, "=", false);
		if (len == 0) {
			arg_add(a, "on", false);
		} else if (is_string(v, len)) {
			arg_add(a, v, true);
		} else if (len == 4 || len == 8) {
			/* Properties are 4-byte aligned, not 8: cells. */
			uint64_t n = fdt_util_read_cells((const fdt32_t *)v,
							 len / 4);

			snprintf(num, sizeof(num), "0x%llx", (unsigned long long)n);
			arg_add(a, num, false);
		} else {
			error_setg(errp, "%s: property '%s' must be a string, "
				   "one or two cells, or empty", path, name);
			return false;
		}
	}
	if (a->overflow) {
		error_setg(errp, "%s: more than %d bytes of properties", path,
			   MANIFEST_ARG_MAX - 1);
		return false;
	}
	return true;
}

static bool node_path(const void *fdt, int node, char *buf, size_t len,
		      Error **errp)
{
	if (fdt_get_path(fdt, node, buf, (int)len)) {
		error_setg(errp, "/partitions: a node's path is too long");
		return false;
	}
	return true;
}

static bool add_device(const void *fdt, int node, const char *partition,
		       struct config *c, Error **errp)
{
	static const char pfx[] = "partita,";
	char path[256];
	struct arg a = { .len = 0 };
	const char *compat;
	int len;

	if (!node_path(fdt, node, path, sizeof(path), errp))
		return false;
	compat = fdt_getprop(fdt, node, "compatible", &len);
	if (!compat || !is_string(compat, len) ||
	    strncmp(compat, pfx, sizeof(pfx) - 1) ||
	    strncmp(compat + sizeof(pfx) - 1, "vfio-", 5)) {
		error_setg(errp, "%s: 'compatible' must be one of "
			   "\"partita,vfio-pci\", \"partita,vfio-platform\", "
			   "\"partita,vfio-ap\", \"partita,vfio-ccw\"", path);
		return false;
	}
	arg_add(&a, compat + sizeof(pfx) - 1, true);
	if (!add_props(fdt, node, path, NULL, &a, errp))
		return false;
	arg_add(&a, ",partition=", false);
	arg_add(&a, partition, true);
	return config_add_from(c, CONFIG_DEVICE, a.buf, path, errp);
}

static bool add_partition(const void *fdt, int node, struct config *c,
			  Error **errp)
{
	const char *id = fdt_get_name(fdt, node, NULL);
	char path[256];
	struct arg a = { .len = 0 };
	int child;

	if (!node_path(fdt, node, path, sizeof(path), errp))
		return false;
	if (strchr(id, '@')) {
		error_setg(errp, "%s: a partition's node name is its id: no "
			   "unit address", path);
		return false;
	}
	arg_add(&a, "id=", false);
	arg_add(&a, id, true);
	if (!add_props(fdt, node, path, NULL, &a, errp) ||
	    !config_add_from(c, CONFIG_PARTITION, a.buf, path, errp))
		return false;
	fdt_for_each_subnode(child, fdt, node)
		if (!add_device(fdt, child, id, c, errp))
			return false;
	return true;
}

static bool add_object(const void *fdt, int node, struct config *c,
		       Error **errp)
{
	char path[256];
	struct arg a = { .len = 0 };

	if (!node_path(fdt, node, path, sizeof(path), errp))
		return false;
	arg_add(&a, "iommufd,id=", false);
	arg_add(&a, fdt_get_name(fdt, node, NULL), true);
	return add_props(fdt, node, path, NULL, &a, errp) &&
	       config_add_from(c, CONFIG_OBJECT, a.buf, path, errp);
}

bool manifest_present(const void *fdt)
{
	return fdt && fdt_path_offset(fdt, "/partitions") >= 0;
}

bool manifest_parse(const void *fdt, struct config *c, Error **errp)
{
	int top = fdt_path_offset(fdt, "/partitions");
	int node;

	if (top < 0)
		return true;
	if (config_has(c, CONFIG_PARTITION) || config_has(c, CONFIG_OBJECT) ||
	    config_has(c, CONFIG_DEVICE)) {
		error_setg(errp, "/partitions: the device tree holds the "
			   "configuration; -partition, -object and -device "
			   "cannot add to it");
		return false;
	}
	if (fdt_node_check_compatible(fdt, top, "partita,partitions")) {
		error_setg(errp, "/partitions: 'compatible' must be "
			   "\"partita,partitions\"");
		return false;
	}
	/* Objects first: a device may name one whatever the order. */
	fdt_for_each_subnode(node, fdt, top)
		if (!fdt_node_check_compatible(fdt, node, "partita,iommufd") &&
		    !add_object(fdt, node, c, errp))
			return false;
	fdt_for_each_subnode(node, fdt, top) {
		char path[256];

		if (!fdt_node_check_compatible(fdt, node, "partita,iommufd"))
			continue;
		if (!fdt_node_check_compatible(fdt, node, "partita,partition")) {
			if (!add_partition(fdt, node, c, errp))
				return false;
			continue;
		}
		if (node_path(fdt, node, path, sizeof(path), errp))
			error_setg(errp, "%s: 'compatible' must be "
				   "\"partita,partition\" or \"partita,iommufd\"",
				   path);
		return false;
	}
	c->source = "/partitions";
	return true;
}
