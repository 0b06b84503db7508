// SPDX-License-Identifier: GPL-2.0-or-later
/* Checking a configuration against the board, building it, tearing down. */
#include <partita/arch/board.h>
#include <partita/core/guests.h>
#include <partita/core/manager.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/iommufd-backend.h>
#include <stdio.h>
#include <string.h>

#define PAGE 4096ULL
#define HOST_DEVICES_HINT "'-report devices' lists the board's devices.\n"

/* What checking learnt about each option, used again to build. */
struct plan_partition {
	const struct config_item *item;
	const char *id;
	uint64_t base, size;
	uint64_t addr;                      /* where the partition sees it */
	bool has_addr;
	struct guest_config *guest;         /* image= given (core/guests.c) */
};

struct plan_device {
	const struct config_item *item;
	const struct partition_front *front;
	const struct bus_device_info *hw;
	unsigned partition;                 /* index in plan.parts */
	const char *id;
};

struct plan {
	struct plan_partition *parts;
	unsigned nparts;
	struct plan_device *devs;
	unsigned ndevs;
	bool implicit_p0;
};

static bool item_error(Error **errp, const struct config_item *it)
{
	config_item_error(it, errp);
	return false;
}

/* QEMU's id rule: a letter, then letters, digits, '-', '.', '_'. */
static bool is_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		      *s == '_'))
			return false;
	return true;
}

/* Keys an option of ours accepts; the first other one is refused. */
static bool only_keys(const struct opts *o, const char *const *keys,
		      Error **errp)
{
	for (size_t i = 0; i < opts_count(o); i++) {
		const char *k = opts_key(o, i);
		bool ok = false;

		for (const char *const *p = keys; *p; p++)
			ok |= !strcmp(*p, k);
		if (!ok) {
			error_setg(errp, "Invalid parameter '%s'", k);
			return false;
		}
	}
	return true;
}

static const struct config_item *find_fd_item(const struct config *cfg,
					      const char *fd)
{
	for (const struct config_item *it = cfg->items; it; it = it->next)
		if (it->kind == CONFIG_FD && !strcmp(opts_peek(it->opts, "fd"), fd))
			return it;
	return NULL;
}

static void fd_not_open(Error **errp, const char *fd)
{
	error_setg(errp, "Property 'fd': no fd '%s' is open", fd);
	error_append_hint(errp, "Pass it with -fd fd=%s,path=...\n", fd);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Paths a backend that is not built in would have made. */
static const char *missing_backend(const char *path)
{
	const char *vfio = "/dev/vfio/";

	if (!IS_ENABLED(CONFIG_VFIO_IOMMUFD) &&
	    (!strcmp(path, "/dev/iommu") ||
	     !strncmp(path, "/dev/vfio/devices/", strlen("/dev/vfio/devices/"))))
		return "iommufd backend (CONFIG_VFIO_IOMMUFD)";
	if (!IS_ENABLED(CONFIG_VFIO_LEGACY) &&
	    !strncmp(path, vfio, strlen(vfio)) &&
	    (!strcmp(path + strlen(vfio), "vfio") ||
	     all_digits(path + strlen(vfio))))
		return "legacy backend (CONFIG_VFIO_LEGACY)";
	return NULL;
}

static bool check_fds(struct manager *m, Error **errp)
{
	static const char *const keys[] = { "fd", "path", NULL };
	const struct config *cfg = m->cfg;

	for (const struct config_item *it = cfg->items; it; it = it->next) {
		const char *fd, *path, *why;
		struct sys_stat st;
		uint64_t n;
		int ret;

		if (it->kind != CONFIG_FD)
			continue;
		if (!only_keys(it->opts, keys, errp))
			return item_error(errp, it);
		fd = opts_peek(it->opts, "fd");
		path = opts_peek(it->opts, "path");
		if (!fd || !path) {
			error_setg(errp, "Parameter '%s' is missing",
				   fd ? "path" : "fd");
			return item_error(errp, it);
		}
		if (parse_u64(fd, &n) ? (n < SYS_FD_FIRST || n >= SYS_FD_MAX) :
		    !is_identifier(fd)) {
			error_setg(errp, "Parameter 'fd' expects a number from "
				   "%d to %d or a name", SYS_FD_FIRST,
				   SYS_FD_MAX - 1);
			return item_error(errp, it);
		}
		if (find_fd_item(cfg, fd) != it) {
			error_setg(errp, "fd '%s' is given twice", fd);
			return item_error(errp, it);
		}
		/* Opened only when building; whether it can be, now. */
		ret = sys_stat(m->board->sys, path, &st);
		if (ret && (why = missing_backend(path))) {
			error_setg(errp, "cannot open %s: this build has no %s",
				   path, why);
			return item_error(errp, it);
		}
		/* Only device nodes open (sys_open's answers). */
		if (!ret && st.type != SYS_CHR)
			ret = st.type == SYS_DIR ? -EISDIR : -ENXIO;
		if (ret) {
			error_setg_errno(errp, -ret, "cannot open %s", path);
			return item_error(errp, it);
		}
	}
	return true;
}


static bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

/* ram-addr: page aligned, the RAM clear of the device window. */
static bool check_ram_addr(const struct opts *o, struct plan_partition *pp,
			   Error **errp)
{
	const char *v = opts_peek(o, "ram-addr");
	uint64_t a;

	if (!v)
		return true;
	if (!parse_u64(v, &a) || a % PAGE || a + pp->size < a) {
		error_setg(errp, "Parameter 'ram-addr' expects an address "
			   "aligned to 4 KiB");
		return false;
	}
	if (ranges_overlap(a, pp->size, PARTITION_MMIO_BASE,
			   PARTITION_MMIO_SIZE)) {
		error_setg(errp, "partition '%s': RAM at 0x%llx-0x%llx overlaps "
			   "its device window (0x%llx-0x%llx)", pp->id,
			   (unsigned long long)a,
			   (unsigned long long)(a + pp->size - 1),
			   PARTITION_MMIO_BASE,
			   PARTITION_MMIO_BASE + PARTITION_MMIO_SIZE - 1);
		return false;
	}
	pp->addr = a;
	pp->has_addr = true;
	return true;
}

/* The partition's RAM, where its devices see it, inside what the device
 * can reach (when its bus says). */
static bool check_dma_window(const struct plan_device *pd,
			     const struct plan_partition *pp, Error **errp)
{
	const struct bus_device_info *hw = pd->hw;
	uint64_t last = pp->addr + pp->size - 1;

	if (!hw->dma_last || (pp->addr >= hw->dma_first && last <= hw->dma_last))
		return true;
	error_setg(errp, "%s reaches memory only at 0x%llx-0x%llx (%s), but "
		   "partition '%s' has its RAM at 0x%llx-0x%llx", hw->name,
		   (unsigned long long)hw->dma_first,
		   (unsigned long long)hw->dma_last,
		   hw->dma_why ? hw->dma_why : "its DMA window", pp->id,
		   (unsigned long long)pp->addr, (unsigned long long)last);
	error_append_hint(errp, "Give the partition a ram-addr= inside that "
			  "range.\n");
	return false;
}

/* Each partition's guest, once every partition's RAM is placed: CPUs are
 * handed out in the order the partitions are given, from CPU 1 on. */
static bool check_guests(struct manager *m, struct plan *pl, Error **errp)
{
	unsigned next_cpu = 1;

	for (unsigned i = 0; i < pl->nparts; i++) {
		struct plan_partition *pp = &pl->parts[i];

		if (pp->item &&
		    !guests_check(m, pp->item->opts, pp->id, i, pp->addr,
				  pp->size, &next_cpu, &pp->guest, errp))
			return item_error(errp, pp->item);
	}
	return true;
}

static bool check_partitions(struct manager *m, struct plan *pl, Error **errp)
{
	static const char *const keys[] = { "id", "ram", "ram-base", "ram-addr",
					    NULL };
	static const char *const guest_keys[] = { "id", "ram", "ram-base",
		"ram-addr", "cpus", "image", "initrd", "bootargs", "timeout",
		"x-canary", NULL };
	const struct board *b = m->board;
	const struct config_item *it;

	for (it = m->cfg->items; it; it = it->next) {
		struct plan_partition *pp;
		uint64_t size = 0, base = 0;
		const char *id, *v;

		if (it->kind != CONFIG_PARTITION)
			continue;
		if (!only_keys(it->opts, IS_ENABLED(CONFIG_GUESTS) ? guest_keys :
			       keys, errp)) {
			if (!IS_ENABLED(CONFIG_GUESTS) && (opts_peek(it->opts, "image") ||
							   opts_peek(it->opts, "cpus")))
				error_append_hint(errp, "Guests (cpus=, image=) "
						  "need a build with "
						  "CONFIG_GUESTS (arm64).\n");
			return item_error(errp, it);
		}
		if (pl->nparts == CONFIG_MAX_PARTITIONS) {
			error_setg(errp, "more than %d partitions "
				   "(CONFIG_MAX_PARTITIONS)", CONFIG_MAX_PARTITIONS);
			return item_error(errp, it);
		}
		id = opts_peek(it->opts, "id");
		if (!id) {
			error_setg(errp, "Parameter 'id' is missing");
			return item_error(errp, it);
		}
		if (!is_identifier(id)) {
			error_setg(errp, "Parameter 'id' expects an identifier");
			error_append_hint(errp, "Identifiers consist of letters, "
					  "digits, '-', '.', '_', starting with "
					  "a letter.\n");
			return item_error(errp, it);
		}
		for (unsigned i = 0; i < pl->nparts; i++) {
			if (!strcmp(pl->parts[i].id, id)) {
				error_setg(errp, "Duplicate ID '%s' for partition",
					   id);
				return item_error(errp, it);
			}
		}
		if (!(v = opts_peek(it->opts, "ram"))) {
			error_setg(errp, "Parameter 'ram' is missing");
			return item_error(errp, it);
		}
		if (!parse_size(v, &size) || !size || size % PAGE) {
			error_setg(errp, "Parameter 'ram' expects a size, a "
				   "non-zero multiple of 4 KiB");
			error_append_hint(errp, "Sizes take a suffix k, M, G or "
					  "T (powers of 1024).\n");
			return item_error(errp, it);
		}
		if ((v = opts_peek(it->opts, "ram-base")) &&
		    (!parse_u64(v, &base) || base % PAGE)) {
			error_setg(errp, "Parameter 'ram-base' expects an address "
				   "aligned to 4 KiB");
			return item_error(errp, it);
		}
		pp = &pl->parts[pl->nparts++];
		*pp = (struct plan_partition){ .item = it, .id = id,
					       .base = v ? base : 0, .size = size };
		if (!check_ram_addr(it->opts, pp, errp))
			return item_error(errp, it);
		if (v && (base < b->pool_base || size > b->pool_size ||
			  base - b->pool_base > b->pool_size - size)) {
			error_setg(errp, "partition '%s': RAM 0x%llx-0x%llx does "
				   "not fit the RAM partitions are given "
				   "(0x%llx-0x%llx)", id,
				   (unsigned long long)base,
				   (unsigned long long)(base + size - 1),
				   (unsigned long long)b->pool_base,
				   (unsigned long long)(b->pool_base +
							b->pool_size - 1));
			return item_error(errp, it);
		}
		for (unsigned i = 0; v && i + 1 < pl->nparts; i++) {
			struct plan_partition *o = &pl->parts[i];

			if (o->base && ranges_overlap(base, size, o->base, o->size)) {
				error_setg(errp, "partition '%s': RAM 0x%llx-0x%llx "
					   "overlaps partition '%s' (0x%llx-0x%llx)",
					   id, (unsigned long long)base,
					   (unsigned long long)(base + size - 1),
					   o->id, (unsigned long long)o->base,
					   (unsigned long long)(o->base + o->size - 1));
				return item_error(errp, it);
			}
		}
	}
	if (!pl->nparts) {
		pl->implicit_p0 = true;
		pl->parts[0] = (struct plan_partition){ .id = "p0",
							.size = MANAGER_DEFAULT_RAM };
		pl->nparts = 1;
	}
	/* Partitions without ram-base: the lowest free place, 2 MiB
	 * aligned (block mappings), in the order given. */
	for (unsigned i = 0; i < pl->nparts; i++) {
		struct plan_partition *pp = &pl->parts[i];
		uint64_t cand = b->pool_base;
		bool moved = true;

		if (pp->base)
			continue;
		while (moved) {
			moved = false;
			for (unsigned k = 0; k < pl->nparts; k++) {
				struct plan_partition *o = &pl->parts[k];

				if (k == i || !o->base ||
				    !ranges_overlap(cand, pp->size, o->base, o->size))
					continue;
				cand = (o->base + o->size + (2u << 20) - 1) &
				       ~((2ULL << 20) - 1);
				moved = true;
			}
		}
		if (cand + pp->size > b->pool_base + b->pool_size ||
		    cand < b->pool_base) {
			error_setg(errp, "partition '%s': no room for %llu MiB "
				   "of RAM (the pool is 0x%llx-0x%llx)", pp->id,
				   (unsigned long long)(pp->size >> 20),
				   (unsigned long long)b->pool_base,
				   (unsigned long long)(b->pool_base +
							b->pool_size - 1));
			return pp->item ? item_error(errp, pp->item) : false;
		}
		pp->base = cand;
	}
	for (unsigned i = 0; i < pl->nparts; i++) {
		struct plan_partition *pp = &pl->parts[i];

		if (!pp->has_addr)
			pp->addr = pp->base;
		/* Identity unless configured: the default must not land
		 * in the device window either (a board with RAM there). */
		if (ranges_overlap(pp->addr, pp->size, PARTITION_MMIO_BASE,
				   PARTITION_MMIO_SIZE)) {
			error_setg(errp, "partition '%s': RAM at 0x%llx-0x%llx "
				   "overlaps its device window (0x%llx-0x%llx): "
				   "give it a ram-addr", pp->id,
				   (unsigned long long)pp->addr,
				   (unsigned long long)(pp->addr + pp->size - 1),
				   PARTITION_MMIO_BASE,
				   PARTITION_MMIO_BASE + PARTITION_MMIO_SIZE - 1);
			return pp->item ? item_error(errp, pp->item) : false;
		}
	}
	return IS_ENABLED(CONFIG_GUESTS) ? check_guests(m, pl, errp) : true;
}

static const struct config_item *find_object(const struct config *cfg,
					     const char *id)
{
	for (const struct config_item *it = cfg->items; it; it = it->next) {
		const char *v = it->kind == CONFIG_OBJECT ? opts_peek(it->opts, "id") :
				NULL;

		if (v && !strcmp(v, id))
			return it;
	}
	return NULL;
}

static bool check_objects(struct manager *m, Error **errp)
{
	for (const struct config_item *it = m->cfg->items; it; it = it->next) {
		const char *type, *id, *fd;
		struct sys_stat sb;
		int st;

		if (it->kind != CONFIG_OBJECT)
			continue;
		type = opts_peek(it->opts, "qom-type");
		id = opts_peek(it->opts, "id");
		fd = opts_peek(it->opts, "fd");
		if (!type || strcmp(type, "iommufd")) {
			error_setg(errp, "invalid object type: %s", type ? type : "");
			return item_error(errp, it);
		}
		if (!IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
			error_setg(errp, "the iommufd backend is not built in "
				   "(CONFIG_VFIO_IOMMUFD)");
			return item_error(errp, it);
		}
		if (!id) {
			error_setg(errp, "Parameter 'id' is missing");
			return item_error(errp, it);
		}
		if (!is_identifier(id)) {
			error_setg(errp, "Parameter 'id' expects an identifier");
			return item_error(errp, it);
		}
		if (find_object(m->cfg, id) != it) {
			error_setg(errp, "Duplicate ID '%s' for object", id);
			return item_error(errp, it);
		}
		if (fd && !find_fd_item(m->cfg, fd)) {
			fd_not_open(errp, fd);
			return item_error(errp, it);
		}
		if (!iommufd_backend_check_opts(it->opts, NULL, errp))
			return item_error(errp, it);
		/* Without a passed fd the object opens /dev/iommu: say now,
		 * before any device is touched, when the kernel has none
		 * (Debian's 6.1 and 6.12 cloud kernels: no CONFIG_IOMMUFD). */
		if (!fd && (st = sys_stat(m->board->sys, "/dev/iommu", &sb)) < 0) {
			error_setg_errno(errp, -st, "/dev/iommu opening failed");
			error_append_hint(errp, "This kernel has no iommufd "
					  "(CONFIG_IOMMUFD). Devices without "
					  "iommufd= use the legacy backend "
					  "(/dev/vfio/vfio).\n");
			return item_error(errp, it);
		}
	}
	return true;
}

/* Which of the board's devices a -device names: the host device its
 * properties located (sysfsdev), or the path its fd= was opened from
 * (/dev/vfio/devices/vfio<N>). NULL with a message when it names none. */
static const struct bus_device_info *
resolve_device(struct manager *m, const struct config_item *it,
	       const char *sysfsdev, Error **errp)
{
	const struct bus_devices *devs = m->board->devices;
	const char *fd = opts_peek(it->opts, "fd");
	const struct bus_device_info *hw = NULL;

	if (fd) {
		const struct config_item *fdi = find_fd_item(m->cfg, fd);
		const char *path = fdi ? opts_peek(fdi->opts, "path") : NULL;
		const char *pfx = "/dev/vfio/devices/vfio";
		uint64_t n;

		if (!fdi) {
			fd_not_open(errp, fd);
			return NULL;
		}
		if (strncmp(path, pfx, strlen(pfx)) ||
		    !parse_u64(path + strlen(pfx), &n) ||
		    !(hw = bus_device(devs, (unsigned)n))) {
			error_setg(errp, "Property 'fd': fd '%s' is %s, not a "
				   "device of this board", fd, path);
			return NULL;
		}
		return hw;
	}
	/* The front located it: its path exists in the namespace. */
	hw = sysfsdev ? bus_device_find(devs, sysfsdev) : NULL;
	if (!hw) {
		error_setg(errp, "vfio %s: not a device of this board",
			   sysfsdev ? sysfsdev : "(null)");
		error_append_hint(errp, HOST_DEVICES_HINT);
	}
	return hw;
}

/* The backend a -device asks for can be had: its iommufd object exists,
 * or (none named) the legacy backend is built. */
static bool check_backend(struct manager *m, const struct config_item *it,
			  Error **errp)
{
	const char *be = opts_peek(it->opts, "iommufd");

	if (be && !find_object(m->cfg, be)) {
		error_setg(errp, "Device '%s' not found", be);
		error_append_hint(errp, "Create it with -object iommufd,id=%s\n",
				  be);
		return false;
	}
	if (!be && !IS_ENABLED(CONFIG_VFIO_LEGACY)) {
		error_setg(errp, "no iommufd= given and the legacy backend is "
			   "not built in (CONFIG_VFIO_LEGACY)");
		return false;
	}
	return true;
}

static bool check_devices(struct manager *m, struct plan *pl, Error **errp)
{
	unsigned ndev = 0;

	for (const struct config_item *it = m->cfg->items; it; it = it->next)
		ndev += it->kind == CONFIG_DEVICE;
	pl->devs = heap_calloc(ndev ? ndev : 1, sizeof(*pl->devs));
	if (!pl->devs) {
		error_setg(errp, "out of memory");
		return false;
	}
	for (const struct config_item *it = m->cfg->items; it; it = it->next) {
		const char *driver, *part, *id;
		struct plan_device *pd;
		char *sysfsdev;
		bool ok;

		if (it->kind != CONFIG_DEVICE)
			continue;
		pd = &pl->devs[pl->ndevs];
		pd->item = it;
		driver = opts_peek(it->opts, "driver");
		pd->front = driver ? partition_front_find(driver) : NULL;
		if (!pd->front) {
			error_setg(errp, "'%s' is not a valid device model name",
				   driver ? driver : "");
			return item_error(errp, it);
		}
		if (!pd->front->built) {
			error_setg(errp, "the %s front is not built in (%s)",
				   driver, pd->front->kconfig);
			return item_error(errp, it);
		}
		if ((id = opts_peek(it->opts, "id"))) {
			if (!is_identifier(id)) {
				error_setg(errp, "Parameter 'id' expects an "
					   "identifier");
				return item_error(errp, it);
			}
			for (unsigned i = 0; i < pl->ndevs; i++) {
				if (pl->devs[i].id && !strcmp(pl->devs[i].id, id)) {
					error_setg(errp, "Duplicate ID '%s' for "
						   "device", id);
					return item_error(errp, it);
				}
			}
			pd->id = id;
		}
		if ((part = opts_peek(it->opts, "partition"))) {
			unsigned i;

			for (i = 0; i < pl->nparts; i++)
				if (!strcmp(pl->parts[i].id, part))
					break;
			if (i == pl->nparts) {
				error_setg(errp, "Property 'partition': no "
					   "partition '%s'", part);
				return item_error(errp, it);
			}
			pd->partition = i;
		} else if (pl->nparts > 1) {
			error_setg(errp, "Property 'partition' is needed: there "
				   "are %u partitions", pl->nparts);
			return item_error(errp, it);
		}
		/* Ours, not the driver's: the rest is the front's to judge,
		 * on a scratch device, before anything is built. */
		opts_get(it->opts, "partition");
		opts_get(it->opts, "id");
		opts_get(it->opts, "driver");
		if (!partition_check_device(&m->reg, pd->front, it->opts,
					    &sysfsdev, errp)) {
			const char *no_ap = bus_ap_absent(m->board->devices);
			struct sys_stat st;

			/* Looked for where there is nothing: say why there is
			 * no AP bus, or where the devices are. */
			if (pd->front->kind == BUS_AP && no_ap)
				error_append_hint(errp, "%s.\n", no_ap);
			else if (sysfsdev &&
				 sys_stat(m->board->sys, sysfsdev, &st))
				error_append_hint(errp, HOST_DEVICES_HINT);
			heap_free(sysfsdev);
			return item_error(errp, it);
		}
		ok = check_backend(m, it, errp) &&
		     (pd->hw = resolve_device(m, it, sysfsdev, errp));
		heap_free(sysfsdev);
		if (!ok)
			return item_error(errp, it);
		for (unsigned i = 0; i < pl->ndevs; i++) {
			const struct plan_device *o = &pl->devs[i];

			if (o->hw == pd->hw) {
				error_setg(errp, "%s is assigned twice (also by "
					   "%s%s)", pd->hw->name,
					   o->item->origin ? "" : "-device ",
					   o->item->origin ? o->item->origin :
					   o->item->text);
				return item_error(errp, it);
			}
			if (o->hw->group == pd->hw->group &&
			    o->partition != pd->partition) {
				error_setg(errp, "%s is in IOMMU group %d with %s "
					   "of partition '%s': a group goes to "
					   "one partition", pd->hw->name,
					   pd->hw->group, o->hw->name,
					   pl->parts[o->partition].id);
				return item_error(errp, it);
			}
		}
		if (!check_dma_window(pd, &pl->parts[pd->partition], errp))
			return item_error(errp, it);
		pl->ndevs++;
	}
	return true;
}

/* ---- building ----------------------------------------------------------- */

static bool open_fds(struct manager *m, Error **errp)
{
	unsigned n = 0;

	for (const struct config_item *it = m->cfg->items; it; it = it->next)
		n += it->kind == CONFIG_FD;
	m->fds = heap_calloc(n ? n : 1, sizeof(*m->fds));
	if (!m->fds) {
		error_setg(errp, "out of memory");
		return false;
	}
	for (const struct config_item *it = m->cfg->items; it; it = it->next) {
		const char *fd = opts_peek(it->opts, "fd");
		const char *path = opts_peek(it->opts, "path");
		struct sys *sys = m->board->sys;
		int k, ret;
		uint64_t num;

		if (it->kind != CONFIG_FD)
			continue;
		k = sys_open(sys, path);
		if (k < 0) {
			error_setg_errno(errp, -k, "cannot open %s", path);
			return item_error(errp, it);
		}
		if (parse_u64(fd, &num)) {
			struct sys_file *f = sys_fget(sys, k);

			ret = sys_install_fd(sys, (int)num, f);
			if (ret < 0) {
				sys_file_put(f);
				sys_close(sys, k);
				error_setg_errno(errp, -ret, "cannot install fd %s",
						 fd);
				return item_error(errp, it);
			}
			sys_close(sys, k);
			k = (int)num;
		} else if ((ret = sys_name_fd(sys, fd, k)) < 0) {
			sys_close(sys, k);
			error_setg_errno(errp, -ret, "cannot name fd %s", fd);
			return item_error(errp, it);
		}
		m->fds[m->nfds++] = k;
		pr_info("fd %s: %s", fd, path);
	}
	return true;
}

static bool build(struct manager *m, struct plan *pl, Error **errp)
{
	struct partition **parts = heap_calloc(pl->nparts, sizeof(*parts));
	struct partition **tail = &m->partitions;
	bool ok = false;

	if (!parts) {
		error_setg(errp, "out of memory");
		return false;
	}
	if (!open_fds(m, errp))
		goto out;
	for (unsigned i = 0; i < pl->nparts; i++) {
		parts[i] = partition_create(m->board, &m->ctx, &m->reg,
					    pl->parts[i].id, pl->parts[i].base,
					    pl->parts[i].addr, pl->parts[i].size,
					    errp);
		if (!parts[i]) {
			if (pl->parts[i].item)
				item_error(errp, pl->parts[i].item);
			goto out;
		}
		*tail = parts[i];
		tail = &parts[i]->next;
		m->npartitions++;
		parts[i]->guest_cfg = pl->parts[i].guest;
		pl->parts[i].guest = NULL;
	}
	for (const struct config_item *it = m->cfg->items; it; it = it->next) {
		/* (Checking refused objects where the backend is not built.) */
		if (IS_ENABLED(CONFIG_VFIO_IOMMUFD) && it->kind == CONFIG_OBJECT &&
		    !iommufd_backend_create_opts(&m->reg, it->opts, errp)) {
			item_error(errp, it);
			goto out;
		}
	}
	/* Every device's regions in one change of the partitions' maps:
	 * each address space is rendered once, not once per device (with
	 * 1024 devices that was most of the build). Listeners hear of the
	 * BARs at the commit, after the last device. */
	memory_region_transaction_begin(&m->ctx);
	for (unsigned i = 0; i < pl->ndevs; i++) {
		struct plan_device *pd = &pl->devs[i];

		/* Ours, not the driver's. */
		opts_get(pd->item->opts, "partition");
		opts_get(pd->item->opts, "id");
		opts_get(pd->item->opts, "driver");
		if (!partition_add_device(parts[pd->partition], pd->front,
					  pd->item->text, pd->item->opts, pd->hw,
					  errp)) {
			item_error(errp, pd->item);
			memory_region_transaction_commit(&m->ctx, NULL);
			goto out;
		}
	}
	if (!memory_region_transaction_commit(&m->ctx, errp))
		goto out;
	for (unsigned i = 0; i < pl->nparts; i++)
		partition_start(parts[i]);
	ok = true;
out:
	heap_free(parts);
	return ok;
}

bool manager_setup(struct manager *m, struct board *b,
		   const struct config *cfg, Error **errp)
{
	struct plan pl = { 0 };
	bool ok;

	memset(m, 0, sizeof(*m));
	m->board = b;
	m->cfg = cfg;
	vfio_registry_init(&m->reg, b->sys);
	memory_context_init(&m->ctx);
	pl.parts = heap_calloc(CONFIG_MAX_PARTITIONS, sizeof(*pl.parts));
	if (!pl.parts) {
		error_setg(errp, "out of memory");
		memory_context_destroy(&m->ctx);
		return false;
	}
	ok = check_fds(m, errp) && check_partitions(m, &pl, errp) &&
	     check_objects(m, errp) && check_devices(m, &pl, errp);
	if (ok) {
		m->built = true;
		ok = build(m, &pl, errp);
		if (!ok)
			manager_teardown(m);
	} else {
		memory_context_destroy(&m->ctx);
	}
	for (unsigned i = 0; i < pl.nparts; i++)
		heap_free(pl.parts[i].guest);   /* not handed to a partition */
	heap_free(pl.parts);
	heap_free(pl.devs);
	return ok;
}

void manager_teardown(struct manager *m)
{
	struct iommufd_backend *be;

	if (!m->built)
		return;
	/* Partitions in reverse order: the devices of the last may use
	 * iommufd objects the first's also use; objects go after. */
	while (m->partitions) {
		struct partition **last = &m->partitions;

		while ((*last)->next)
			last = &(*last)->next;
		partition_destroy(*last);
		*last = NULL;
	}
	while (IS_ENABLED(CONFIG_VFIO_IOMMUFD) && (be = m->reg.backends))
		iommufd_backend_delete(be, &error_abort);
	for (unsigned i = 0; i < m->nfds; i++)
		sys_close(m->board->sys, m->fds[i]);
	heap_free(m->fds);
	memory_context_destroy(&m->ctx);
	memset(m, 0, sizeof(*m));
}

struct partition *manager_find_partition(struct manager *m, const char *id)
{
	for (struct partition *p = m->partitions; p; p = p->next)
		if (!strcmp(p->id, id))
			return p;
	return NULL;
}
