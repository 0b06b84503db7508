// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bindings table of vfio-platform (QEMU's hw/core/sysbus-fdt.c): the
 * platform devices Partita knows how to describe to a partition, and the
 * node it writes for each. A device not in the table cannot be given to
 * a partition: its driver there would find no node, or a wrong one.
 */
#include <libfdt.h>
#include <partita/vfio/platform.h>
#include <stdio.h>
#include <string.h>

/* Interrupt specifier cells of the GIC binding. */
#define GIC_FDT_IRQ_TYPE_SPI        0
#define GIC_FDT_IRQ_FLAGS_EDGE_LO_HI 1
#define GIC_FDT_IRQ_FLAGS_LEVEL_HI  4

struct vfio_platform_binding {
	const char *compat;
	bool dma_coherent;          /* the device snoops caches */
};

/*
 * QEMU's table also has "amd,xgbe-seattle-v1a", whose node needs clock
 * nodes copied from the host's device tree; Partita does not carry the
 * host tree into partitions, so it is left out.
 */
static const struct vfio_platform_binding bindings[] = {
	{ "calxeda,hb-xgmac", true },
	{ "partita,sim-dma", true },     /* the host board's platform engine */
};

const struct vfio_platform_binding *
vfio_platform_find_binding(const char *compat, size_t len)
{
	/* The list goes from most to least specific: first match wins. */
	for (size_t off = 0; off < len; off += strlen(compat + off) + 1)
		for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
			if (!strcmp(compat + off, bindings[i].compat))
				return &bindings[i];
	return NULL;
}

static bool put_cells(fdt32_t *out, int cells, uint64_t v)
{
	if (cells == 1 && v >> 32)
		return false;
	if (cells == 2)
		*out++ = cpu_to_fdt32((uint32_t)(v >> 32));
	*out = cpu_to_fdt32((uint32_t)v);
	return true;
}

/* "<unit>.<node>" (Linux's platform device name) gives "<node>@<addr>". */
static void node_name(const struct vfio_platform_device *vplat, char *out,
		      size_t len)
{
	const char *name = vplat->vbase.name, *dot = strchr(name, '.');
	uint64_t addr = vplat->nregions ? vplat->regions[0].addr : 0;

	snprintf(out, len, "%s@%llx", dot ? dot + 1 : name,
		 (unsigned long long)addr);
}

static int set_reg(const struct vfio_platform_device *vplat, void *fdt,
		   int node, int ac, int sc)
{
	fdt32_t cells[VFIO_PLATFORM_MAX_REGIONS * 4];
	int n = 0;

	for (unsigned i = 0; i < vplat->nregions; i++) {
		if (!put_cells(cells + n, ac, vplat->regions[i].addr) ||
		    !put_cells(cells + n + ac, sc, vplat->regions[i].size))
			return -FDT_ERR_BADVALUE;
		n += ac + sc;
	}
	return n ? fdt_setprop(fdt, node, "reg", cells, n * 4) : 0;
}

static int set_interrupts(const struct vfio_platform_device *vplat, void *fdt,
			  int node)
{
	fdt32_t cells[VFIO_PLATFORM_MAX_IRQS * 3];

	for (unsigned i = 0; i < vplat->nirqs; i++) {
		const struct vfio_platform_intp *intp = &vplat->irqs[i];

		cells[3 * i] = cpu_to_fdt32(GIC_FDT_IRQ_TYPE_SPI);
		cells[3 * i + 1] = cpu_to_fdt32(intp->line);
		cells[3 * i + 2] = cpu_to_fdt32(
			intp->flags & VFIO_IRQ_INFO_AUTOMASKED ?
			GIC_FDT_IRQ_FLAGS_LEVEL_HI : GIC_FDT_IRQ_FLAGS_EDGE_LO_HI);
	}
	return vplat->nirqs ? fdt_setprop(fdt, node, "interrupts", cells,
					  (int)vplat->nirqs * 12) : 0;
}

bool vfio_platform_add_fdt_node(struct vfio_platform_device *vplat, void *fdt,
				const char *parent_path, Error **errp)
{
	int parent, node, ac, sc, ret;
	char name[96];

	if (!vplat->realized || !vplat->binding) {
		error_setg(errp, "vfio %s: not realized", vplat->vbase.name);
		return false;
	}
	parent = fdt_path_offset(fdt, parent_path);
	if (parent < 0) {
		error_setg(errp, "partition device tree: no node %s: %s",
			   parent_path, fdt_strerror(parent));
		return false;
	}
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		error_setg(errp, "partition device tree: %s has #address-cells "
			   "%d and #size-cells %d; 1 or 2 expected", parent_path,
			   ac, sc);
		return false;
	}
	node_name(vplat, name, sizeof(name));
	node = fdt_add_subnode(fdt, parent, name);
	if (node < 0) {
		error_setg(errp, "partition device tree: cannot add %s/%s: %s",
			   parent_path, name, fdt_strerror(node));
		return false;
	}
	ret = fdt_setprop(fdt, node, "compatible", vplat->compat,
			  (int)vplat->compat_len);
	if (!ret)
		ret = set_reg(vplat, fdt, node, ac, sc);
	if (!ret)
		ret = set_interrupts(vplat, fdt, node);
	if (!ret && vplat->binding->dma_coherent)
		ret = fdt_setprop(fdt, node, "dma-coherent", NULL, 0);
	if (!ret)
		return true;
	/* Leave the tree as it was. */
	fdt_del_node(fdt, node);
	error_setg(errp, "partition device tree: cannot describe %s/%s: %s",
		   parent_path, name, fdt_strerror(ret));
	return false;
}
