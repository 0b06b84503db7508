/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small libfdt helpers shared by the device-tree readers (the boot
 * console, PSCI, the DT summary, later bus discovery). All of them are
 * bounds-checked: a malformed property reads as absent, never past its end.
 */
#ifndef PARTITA_FDT_UTIL_H
#define PARTITA_FDT_UTIL_H

#include <libfdt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A big-endian number of `cells` (1 or 2) 32-bit cells. */
uint64_t fdt_util_read_cells(const fdt32_t *p, int cells);

/* The interrupt a PCI function's INTx pin (1-4) raises, through the host
 * bridge node's interrupt-map and interrupt-map-mask (the PCI bus
 * binding: child unit address phys.hi = rid << 8, then the pin), when it
 * leads to a parent with three interrupt cells (a GIC): those cells. */
bool fdt_util_pci_intx(const void *fdt, int host, uint32_t rid, unsigned pin,
		       uint32_t spec[3]);

/* A number property of one or two cells (/chosen/linux,initrd-start). */
bool fdt_util_u64(const void *fdt, int node, const char *name, uint64_t *v);

/* True when the string property `name` exists, is NUL-terminated within
 * its length and equals `value`. */
bool fdt_util_prop_is(const void *fdt, int node, const char *name,
		      const char *value);

/* A node with no "status", or status "okay"/"ok". */
bool fdt_util_enabled(const void *fdt, int node);

/* The index-th (address, size) pair of the node's "reg", sized by its
 * parent's #address-cells/#size-cells. False if absent or malformed. */
bool fdt_util_reg(const void *fdt, int node, int index, uint64_t *addr,
		  uint64_t *size);

/* The node that /chosen/stdout-path names (options after ':' ignored),
 * or a negative libfdt error. */
int fdt_util_stdout_node(const void *fdt);

/* Is the size-byte blob a whole, well-formed device tree? libfdt's
 * fdt_check_full, after a walk of our own that every property's name is
 * in the strings block (the libfdt 1.6.1 of Debian 12 dereferences a
 * missing one). 0 or a negative libfdt error. */
int fdt_util_check_blob(const void *fdt, size_t size);

/* Linux's of_map_id: id through the node's map property ("iommu-map",
 * entries <id-base phandle out-base length>) after its mask property
 * ("iommu-map-mask", if any). False when no entry covers it. */
bool fdt_util_map_id(const void *fdt, int node, const char *map_name,
		     const char *mask_name, uint32_t id, uint32_t *phandle,
		     uint32_t *out);

#endif
