// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/fdt-util.h>
#include <string.h>

uint64_t fdt_util_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	while (cells-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

bool fdt_util_prop_is(const void *fdt, int node, const char *name,
		      const char *value)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	return p && len > 0 && strnlen(p, (size_t)len) < (size_t)len &&
	       !strcmp(p, value);
}

bool fdt_util_enabled(const void *fdt, int node)
{
	int len;
	const char *status = fdt_getprop(fdt, node, "status", &len);

	if (!status)
		return true;
	if (len <= 0 || strnlen(status, (size_t)len) == (size_t)len)
		return false;
	return !strcmp(status, "okay") || !strcmp(status, "ok");
}

bool fdt_util_reg(const void *fdt, int node, int index, uint64_t *addr,
		  uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len, entry;
	const fdt32_t *reg;

	if (parent < 0 || index < 0)
		return false;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	entry = (ac + sc) * (int)sizeof(fdt32_t);
	if (!reg || len < (index + 1) * entry)
		return false;
	reg += index * (ac + sc);
	*addr = fdt_util_read_cells(reg, ac);
	*size = fdt_util_read_cells(reg + ac, sc);
	return true;
}

int fdt_util_stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path, *colon;
	int len;

	if (chosen < 0)
		return chosen;
	path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path || len <= 0 || strnlen(path, (size_t)len) == (size_t)len)
		return -FDT_ERR_NOTFOUND;
	colon = strchr(path, ':');
	/* stdout-path may be an alias ("serial0") or a full path. */
	return fdt_path_offset_namelen(fdt, path,
				       colon ? (int)(colon - path) :
					       (int)strlen(path));
}

bool fdt_util_map_id(const void *fdt, int node, const char *map_name,
		     const char *mask_name, uint32_t id, uint32_t *phandle,
		     uint32_t *out)
{
	int len;
	const fdt32_t *map = fdt_getprop(fdt, node, map_name, &len);
	const fdt32_t *mask = fdt_getprop(fdt, node, mask_name, NULL);

	if (!map || len < 0 || len % 16)
		return false;
	if (mask)
		id &= fdt32_to_cpu(*mask);
	for (int i = 0; i < len / 4; i += 4) {
		uint32_t base = fdt32_to_cpu(map[i]);
		uint32_t n = fdt32_to_cpu(map[i + 3]);

		if (id >= base && id - base < n) {
			*phandle = fdt32_to_cpu(map[i + 1]);
			*out = fdt32_to_cpu(map[i + 2]) + (id - base);
			return true;
		}
	}
	return false;
}

int fdt_util_check_blob(const void *fdt, size_t size)
{
	int off = 0, next, tag, err;

	if (size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	do {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag == FDT_PROP) {
			const struct fdt_property *p =
				fdt_offset_ptr(fdt, off, sizeof(*p));
			int len;

			if (!p || !fdt_get_string(fdt, (int)fdt32_to_cpu(p->nameoff),
						  &len))
				return -FDT_ERR_BADSTRUCTURE;
		}
		if (next < 0)
			return next;
		off = next;
	} while (tag != FDT_END);
	return fdt_check_full(fdt, size);
}

bool fdt_util_u64(const void *fdt, int node, const char *name, uint64_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*v = fdt_util_read_cells(p, len / 4);
	return true;
}

bool fdt_util_pci_intx(const void *fdt, int host, uint32_t rid, unsigned pin,
		       uint32_t spec[3])
{
	int len, mlen;
	const fdt32_t *map = fdt_getprop(fdt, host, "interrupt-map", &len);
	const fdt32_t *mask = fdt_getprop(fdt, host, "interrupt-map-mask", &mlen);
	uint32_t key[4] = { rid << 8, 0, 0, pin }, m[4] = { ~0u, ~0u, ~0u, ~0u };
	unsigned n, i = 0;

	if (!map || len % 4)
		return false;
	if (mask && mlen == 16)
		for (unsigned k = 0; k < 4; k++)
			m[k] = fdt32_to_cpu(mask[k]);
	n = (unsigned)len / 4;
	while (i + 5 <= n) {
		uint32_t ph = fdt32_to_cpu(map[i + 4]);
		int parent = fdt_node_offset_by_phandle(fdt, ph);
		const fdt32_t *ac, *ic;
		unsigned acells, icells;
		bool match = true;

		if (parent < 0)
			return false;
		ac = fdt_getprop(fdt, parent, "#address-cells", NULL);
		ic = fdt_getprop(fdt, parent, "#interrupt-cells", NULL);
		acells = ac ? fdt32_to_cpu(*ac) : 0;
		icells = ic ? fdt32_to_cpu(*ic) : 0;
		if (!icells || i + 5 + acells + icells > n)
			return false;
		for (unsigned k = 0; k < 4; k++)
			match &= (fdt32_to_cpu(map[i + k]) & m[k]) == (key[k] & m[k]);
		if (match) {
			if (icells != 3)
				return false;
			for (unsigned k = 0; k < 3; k++)
				spec[k] = fdt32_to_cpu(map[i + 5 + acells + k]);
			return true;
		}
		i += 5 + acells + icells;
	}
	return false;
}
