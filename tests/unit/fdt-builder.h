/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device trees for tests, built with libfdt's sequential writer into one
 * static blob (big-endian on every host, so the s390x run checks the same
 * bytes as the others). Calls nest like the tree: fdt_b_begin(), then
 * fdt_b_node()/fdt_b_end() pairs, then fdt_b_finish().
 */
#ifndef PARTITA_TEST_FDT_BUILDER_H
#define PARTITA_TEST_FDT_BUILDER_H

#include "test-helpers.h"
#include <libfdt.h>

static char fdt_b_blob[8192];

static inline void fdt_b_u32s(const char *name, const uint32_t *v, int n)
{
	fdt32_t be[16];

	assert_true(n <= 16);
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_property(fdt_b_blob, name, be, n * 4), 0);
}

static inline void fdt_b_u32(const char *name, uint32_t v)
{
	fdt_b_u32s(name, &v, 1);
}

static inline void fdt_b_string(const char *name, const char *value)
{
	assert_int_equal(fdt_property_string(fdt_b_blob, name, value), 0);
}

/* The root node with #address-cells and #size-cells. */
static inline void fdt_b_begin(uint32_t address_cells, uint32_t size_cells)
{
	assert_int_equal(fdt_create(fdt_b_blob, sizeof(fdt_b_blob)), 0);
	assert_int_equal(fdt_finish_reservemap(fdt_b_blob), 0);
	assert_int_equal(fdt_begin_node(fdt_b_blob, ""), 0);
	fdt_b_string("model", "linux,dummy-virt");
	fdt_b_string("compatible", "linux,dummy-virt");
	fdt_b_u32("#address-cells", address_cells);
	fdt_b_u32("#size-cells", size_cells);
}

/* Open a node with the properties that are not NULL. */
static inline void fdt_b_node(const char *name, const char *compat,
			      const char *dtype, const char *status)
{
	assert_int_equal(fdt_begin_node(fdt_b_blob, name), 0);
	if (compat)
		fdt_b_string("compatible", compat);
	if (dtype)
		fdt_b_string("device_type", dtype);
	if (status)
		fdt_b_string("status", status);
}

static inline void fdt_b_end(void)
{
	assert_int_equal(fdt_end_node(fdt_b_blob), 0);
}

static inline const void *fdt_b_finish(void)
{
	fdt_b_end(); /* root */
	assert_int_equal(fdt_finish(fdt_b_blob), 0);
	return fdt_b_blob;
}

#endif
