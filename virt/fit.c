// SPDX-License-Identifier: GPL-2.0-or-later
/* Guest images in a FIT (include/partita/virt/fit.h). */
#include <partita/digest.h>
#include <partita/virt/fit.h>
#include <libfdt.h>
#include <string.h>

/* A string property, or def when absent; NULL when not a string. */
static const char *str_prop(const void *fit, int node, const char *name,
			    const char *def)
{
	int len;
	const char *v = fdt_getprop(fit, node, name, &len);

	if (!v)
		return def;
	return len > 0 && v[len - 1] == '\0' ? v : NULL;
}

/* A one- or two-cell number; false when absent or malformed. */
static bool num_prop(const void *fit, int node, const char *name, uint64_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fit, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*v = len == 4 ? fdt32_to_cpu(p[0]) :
	     (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	return true;
}

static bool find_data(const void *fit, size_t size, int node,
		      struct fit_image *img, Error **errp)
{
	uint64_t off, len;
	int plen;
	const void *p = fdt_getprop(fit, node, "data", &plen);

	if (p) {
		img->data = p;
		img->size = (size_t)plen;
		return true;
	}
	if (!num_prop(fit, node, "data-size", &len)) {
		error_setg(errp, "FIT image '%s': no 'data' (nor 'data-size')",
			   img->name);
		return false;
	}
	if (num_prop(fit, node, "data-position", &off)) {
		/* Absolute in the file. */
	} else if (num_prop(fit, node, "data-offset", &off)) {
		/* After the tree, 4-byte aligned, as mkimage -E places it. */
		off += (fdt_totalsize(fit) + 3) & ~3u;
	} else {
		error_setg(errp, "FIT image '%s': 'data-size' without "
			   "'data-offset' or 'data-position'", img->name);
		return false;
	}
	if (off > size || len > size - off) {
		error_setg(errp, "FIT image '%s': its data (0x%llx bytes at "
			   "0x%llx) is beyond the FIT's %zu bytes", img->name,
			   (unsigned long long)len, (unsigned long long)off, size);
		return false;
	}
	img->data = (const uint8_t *)fit + off;
	img->size = (size_t)len;
	return true;
}

static bool check_hash(const void *fit, int node, struct fit_image *img,
		       Error **errp)
{
	const char *hname = fdt_get_name(fit, node, NULL);
	const char *algo = str_prop(fit, node, "algo", NULL);
	int len;
	const uint8_t *want = fdt_getprop(fit, node, "value", &len);
	uint8_t got[SHA256_DIGEST_SIZE];
	size_t n;

	if (!algo || !want) {
		error_setg(errp, "FIT image '%s': hash node '%s' needs 'algo' "
			   "and 'value'", img->name, hname);
		return false;
	}
	if (!strcmp(algo, "sha256")) {
		sha256(img->data, img->size, got);
		n = SHA256_DIGEST_SIZE;
	} else if (!strcmp(algo, "crc32")) {
		uint32_t c = crc32(img->data, img->size);

		got[0] = (uint8_t)(c >> 24);
		got[1] = (uint8_t)(c >> 16);
		got[2] = (uint8_t)(c >> 8);
		got[3] = (uint8_t)c;
		n = 4;
	} else {
		error_setg(errp, "FIT image '%s': hash node '%s' uses '%s'; "
			   "only crc32 and sha256 are checked", img->name,
			   hname, algo);
		return false;
	}
	if ((size_t)len != n || memcmp(got, want, n)) {
		error_setg(errp, "FIT image '%s': %s hash ('%s') does not match "
			   "its data: the image is corrupt", img->name, algo,
			   hname);
		return false;
	}
	img->hashes++;
	return true;
}

static bool check_props(const void *fit, int node, struct fit_image *img,
			bool ramdisk, Error **errp)
{
	const char *type = str_prop(fit, node, "type", NULL);
	const char *arch = str_prop(fit, node, "arch", NULL);
	const char *comp = str_prop(fit, node, "compression", "none");

	if (ramdisk && (!type || strcmp(type, "ramdisk"))) {
		error_setg(errp, "FIT image '%s': 'type' must be ramdisk for an "
			   "initrd", img->name);
		return false;
	}
	if (!ramdisk && (!type || (strcmp(type, "kernel") &&
				   strcmp(type, "firmware") &&
				   strcmp(type, "standalone")))) {
		error_setg(errp, "FIT image '%s': 'type' must be kernel, "
			   "firmware or standalone", img->name);
		return false;
	}
	if (!arch || strcmp(arch, "arm64")) {
		error_setg(errp, "FIT image '%s': 'arch' must be arm64",
			   img->name);
		return false;
	}
	if (!comp || strcmp(comp, "none")) {
		error_setg(errp, "FIT image '%s': compression '%s' is not "
			   "supported (only none)", img->name, comp ? comp : "?");
		return false;
	}
	if (!num_prop(fit, node, "load", &img->load)) {
		error_setg(errp, "FIT image '%s': no 'load' address", img->name);
		return false;
	}
	if (!num_prop(fit, node, "entry", &img->entry))
		img->entry = img->load;
	return true;
}

static bool check_place(struct fit_image *img, uint64_t ram_addr,
			uint64_t ram_size, Error **errp)
{
	if (img->size > ram_size) {
		error_setg(errp, "FIT image '%s': %zu bytes do not fit the "
			   "partition's %llu bytes of RAM", img->name, img->size,
			   (unsigned long long)ram_size);
		return false;
	}
	if (img->load < ram_addr || img->load - ram_addr > ram_size - img->size) {
		error_setg(errp, "FIT image '%s': loaded at 0x%llx-0x%llx, outside "
			   "the partition's RAM (0x%llx-0x%llx)", img->name,
			   (unsigned long long)img->load,
			   (unsigned long long)(img->load + img->size - 1),
			   (unsigned long long)ram_addr,
			   (unsigned long long)(ram_addr + ram_size - 1));
		return false;
	}
	if (img->entry < img->load || img->entry - img->load >= img->size) {
		error_setg(errp, "FIT image '%s': entry 0x%llx is not inside the "
			   "image (0x%llx-0x%llx)", img->name,
			   (unsigned long long)img->entry,
			   (unsigned long long)img->load,
			   (unsigned long long)(img->load + img->size - 1));
		return false;
	}
	return true;
}

static bool find(const void *fit, size_t size, const char *name,
		 uint64_t ram_addr, uint64_t ram_size, struct fit_image *img,
		 bool ramdisk, Error **errp)
{
	int images, node, sub;

	memset(img, 0, sizeof(*img));
	img->name = name;
	if (size < sizeof(struct fdt_header) || fdt_check_header(fit) ||
	    fdt_totalsize(fit) > size) {
		error_setg(errp, "FIT: not a FIT image (no valid device tree "
			   "header in %zu bytes)", size);
		return false;
	}
	images = fdt_path_offset(fit, "/images");
	node = images < 0 ? images : fdt_subnode_offset(fit, images, name);
	if (node < 0) {
		error_setg(errp, "FIT image '%s': no such image in the FIT", name);
		return false;
	}
	if (!check_props(fit, node, img, ramdisk, errp) ||
	    !find_data(fit, size, node, img, errp) ||
	    !check_place(img, ram_addr, ram_size, errp))
		return false;
	fdt_for_each_subnode(sub, fit, node) {
		if (strncmp(fdt_get_name(fit, sub, NULL), "hash", 4))
			continue;
		if (!check_hash(fit, sub, img, errp))
			return false;
	}
	return true;
}

bool fit_image_find(const void *fit, size_t size, const char *name,
		    uint64_t ram_addr, uint64_t ram_size, struct fit_image *img,
		    Error **errp)
{
	return find(fit, size, name, ram_addr, ram_size, img, false, errp);
}

bool fit_ramdisk_find(const void *fit, size_t size, const char *name,
		      uint64_t ram_addr, uint64_t ram_size, struct fit_image *img,
		      Error **errp)
{
	return find(fit, size, name, ram_addr, ram_size, img, true, errp);
}
