/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest images in a U-Boot FIT (virt/fit.c; U-Boot's
 * doc/usage/fit/source_file_format.rst): a flattened device tree whose
 * /images/<name> nodes hold an image's data (embedded "data", or
 * "data-offset"/"data-position" and "data-size" as `mkimage -E` writes
 * them), its "type" (kernel, firmware or standalone), "arch" (arm64),
 * "compression" (none), "load" and "entry" (one or two cells: partition
 * addresses), and hash-* subnodes whose "algo" (crc32, sha256) and
 * "value" are checked.
 *
 * Everything is checked before anything is loaded: the blob, the
 * image's presence, its properties, every hash (an algorithm Partita
 * does not know is refused, not skipped), and that the image fits the
 * partition's RAM with its entry inside it. Each error names the image.
 */
#ifndef PARTITA_VIRT_FIT_H
#define PARTITA_VIRT_FIT_H

#include <partita/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fit_image {
	const char *name;
	const uint8_t *data;         /* inside the blob */
	size_t size;
	uint64_t load, entry;        /* partition addresses */
	unsigned hashes;             /* hash nodes checked */
};

/* Image name of the FIT at fit (size bytes), checked for a partition
 * whose RAM is [ram_addr, ram_addr + ram_size). */
bool fit_image_find(const void *fit, size_t size, const char *name,
		    uint64_t ram_addr, uint64_t ram_size, struct fit_image *img,
		    Error **errp);

/* The same for an initrd: /images/name with type "ramdisk" (its entry,
 * when given, is ignored by those who load it). */
bool fit_ramdisk_find(const void *fit, size_t size, const char *name,
		      uint64_t ram_addr, uint64_t ram_size, struct fit_image *img,
		      Error **errp);

#endif
