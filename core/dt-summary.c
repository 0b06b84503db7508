// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/core/dt-summary.h>
#include <partita/fdt-util.h>
#include <partita/log.h>
#include <libfdt.h>
#include <string.h>

static bool add_memory(const void *fdt, int node, int ac, int sc,
		       struct dt_summary *s, Error **errp)
{
	int len, entry;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	entry = (ac + sc) * (int)sizeof(fdt32_t);
	if (!reg || len <= 0 || len % entry) {
		error_setg(errp, "device tree: memory node '%s' has a malformed "
			   "reg (%d bytes, entries of %d)",
			   fdt_get_name(fdt, node, NULL), reg ? len : -1, entry);
		return false;
	}
	for (; len; len -= entry, reg += ac + sc) {
		uint64_t base = fdt_util_read_cells(reg, ac);
		uint64_t size = fdt_util_read_cells(reg + ac, sc);

		if (!size)
			continue;
		if (!s->memory_banks || base < s->ram_base)
			s->ram_base = base;
		s->ram_size += size;
		s->memory_banks++;
	}
	return true;
}

bool dt_summarize(const void *fdt, struct dt_summary *s, Error **errp)
{
	int err = fdt_check_header(fdt), node, depth = 0, ac, sc;
	const char *model;

	memset(s, 0, sizeof(*s));
	if (err) {
		error_setg(errp, "invalid device tree: %s", fdt_strerror(err));
		return false;
	}
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2) {
		error_setg(errp, "device tree: unsupported root #address-cells "
			   "%d / #size-cells %d", ac, sc);
		return false;
	}
	model = fdt_getprop(fdt, 0, "model", NULL);
	if (model)
		strncpy(s->model, model, sizeof(s->model) - 1);

	for (node = fdt_next_node(fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (!fdt_util_enabled(fdt, node))
			continue;
		if (depth == 1 && fdt_util_prop_is(fdt, node, "device_type", "memory") &&
		    !add_memory(fdt, node, ac, sc, s, errp))
			return false;
		if (fdt_util_prop_is(fdt, node, "device_type", "pci"))
			s->pci_host_bridges++;
		if (fdt_node_check_compatible(fdt, node, "arm,smmu-v3") == 0)
			s->smmuv3++;
		if (fdt_getprop(fdt, node, "compatible", NULL))
			s->devices++;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND) {
		error_setg(errp, "device tree: %s", fdt_strerror(node));
		return false;
	}
	return true;
}

void dt_summary_print(const struct dt_summary *s)
{
	if (s->model[0])
		pr_info("board: %s", s->model);
	pr_info("RAM: %llu MiB at 0x%llx (%u bank%s)",
		(unsigned long long)(s->ram_size >> 20),
		(unsigned long long)s->ram_base, s->memory_banks,
		s->memory_banks == 1 ? "" : "s");
	pr_info("PCI host bridges: %u", s->pci_host_bridges);
	pr_info("SMMUv3: %u", s->smmuv3);
	pr_info("devices: %u", s->devices);
}
