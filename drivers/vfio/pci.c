// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-pci front (QEMU's hw/vfio/pci.c, for static partitions). */
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/pci.h>
#include <partita/sys/fd.h>
#include <partita/vfio/container-base.h>
#include <partita/vfio/migration.h>
#include <partita/vfio/pci.h>
#include <partita/vfio/registry.h>
#include <stdio.h>
#include <string.h>

void vfio_pci_init(struct vfio_pci_device *vpci)
{
	memset(vpci, 0, sizeof(*vpci));
	vfio_device_init(&vpci->vbase, false);
}

void vfio_pci_fini(struct vfio_pci_device *vpci)
{
	if (vpci->realized)
		vfio_pci_unrealize(vpci);
	heap_free(vpci->host);
	vpci->host = NULL;
	vfio_device_fini(&vpci->vbase);
}

/* QEMU's PCIHostDeviceAddress: [DDDD:]BB:DD.F in hex, slot < 32,
 * function < 8; kept in the canonical DDDD:BB:DD.F form. */
static bool parse_host(const char *s, char *out, size_t len)
{
	unsigned v[4] = { 0 }, n = 0, digits = 0, max[4];
	const char *seps;

	for (const char *p = s; *p; p++)
		n += *p == ':';
	if (n != 1 && n != 2)
		return false;
	seps = n == 2 ? "::." : ":.";
	n = n == 2 ? 0 : 1;             /* first field: domain or bus */
	max[0] = 0xffff; max[1] = 0xff; max[2] = 0x1f; max[3] = 7;
	for (const char *p = s;; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else {
			if (!digits || v[n] > max[n])
				return false;
			if (!*p)
				break;
			if (n == 3 || *p != *seps++)
				return false;
			n++;
			digits = 0;
			continue;
		}
		if (++digits > (n == 0 ? 4u : n == 3 ? 1u : 2u))
			return false;
		v[n] = v[n] * 16 + d;
	}
	if (n != 3)
		return false;
	snprintf(out, len, "%04x:%02x:%02x.%x", v[0], v[1], v[2], v[3]);
	return true;
}

static bool prop_value_error(const char *prop, const char *value, Error **errp)
{
	error_setg(errp, "Property 'vfio-pci.%s' doesn't take value '%s'", prop,
		   value);
	return false;
}

bool vfio_pci_set_props(struct vfio_registry *reg, struct vfio_pci_device *vpci,
			struct opts *opts, Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;
	const char *v;
	char host[16];

	if ((v = opts_get(opts, "host"))) {
		if (!parse_host(v, host, sizeof(host)))
			return prop_value_error("host", v, errp);
		heap_free(vpci->host);
		if (!(vpci->host = heap_strdup(host)))
			goto oom;
	}
	if (!vfio_device_set_common_props(reg, vdev, "vfio-pci", opts, errp))
		return false;
	if (!opts_get_bool(opts, "x-balloon-allowed", &vdev->ram_discard_allowed,
			   errp))
		return false;
	if ((v = opts_get(opts, "enable-migration"))) {
		if (!strcmp(v, "on"))
			vdev->enable_migration = VFIO_ON;
		else if (!strcmp(v, "off"))
			vdev->enable_migration = VFIO_OFF;
		else if (!strcmp(v, "auto"))
			vdev->enable_migration = VFIO_AUTO;
		else
			return prop_value_error("enable-migration", v, errp);
	}
	return true;
oom:
	error_setg(errp, "out of memory");
	return false;
}

long vfio_pci_read_config(struct vfio_pci_device *vpci, uint64_t off,
			  void *buf, size_t len)
{
	struct vfio_device *vdev = &vpci->vbase;

	return sys_pread(vpci->reg->sys, vdev->fd, buf, len,
			 vpci->config_offset + off);
}

long vfio_pci_write_config(struct vfio_pci_device *vpci, uint64_t off,
			   const void *buf, size_t len)
{
	struct vfio_device *vdev = &vpci->vbase;

	return sys_pwrite(vpci->reg->sys, vdev->fd, buf, len,
			  vpci->config_offset + off);
}

bool vfio_pci_reset(struct vfio_pci_device *vpci, Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;
	long ret;

	if (!(vdev->info.flags & VFIO_DEVICE_FLAGS_RESET)) {
		error_setg(errp, VFIO_MSG_PREFIX "device cannot be reset",
			   vdev->name);
		return false;
	}
	ret = sys_ioctl(vpci->reg->sys, vdev->fd, VFIO_DEVICE_RESET, NULL);
	if (ret) {
		error_setg_errno(errp, (int)-ret, VFIO_MSG_PREFIX "reset failed",
				 vdev->name);
		return false;
	}
	return true;
}

/* ---- BARs ----------------------------------------------------------------- */

static void bars_release(struct vfio_pci_device *vpci)
{
	vfio_regions_release(vpci->place, vpci->bars, PCI_NUM_BARS);
}

/* Write addr into BAR i's register (both halves of a 64-bit BAR), as the
 * partition's firmware would, so config space says where it is. */
static void bar_program(struct vfio_pci_device *vpci, unsigned i, uint64_t addr,
			bool mem64)
{
	uint8_t b[4];

	pci_set_long(b, (uint32_t)addr);
	vfio_pci_write_config(vpci, PCI_BASE_ADDRESS_0 + 4 * i, b, 4);
	if (mem64 && i + 1 < PCI_NUM_BARS) {
		pci_set_long(b, (uint32_t)(addr >> 32));
		vfio_pci_write_config(vpci, PCI_BASE_ADDRESS_0 + 4 * (i + 1), b, 4);
	}
}

static bool bar_setup(struct vfio_pci_device *vpci, unsigned i,
		      uint64_t *next, Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;
	struct vfio_region *bar = &vpci->bars[i];
	uint8_t reg[4];
	char name[64];

	snprintf(name, sizeof(name), "%s BAR %u", vdev->name, i);
	if (!vfio_region_setup(vpci->reg, vdev, bar, i, vpci->place, next, false,
			       name, errp))
		return false;
	if (!bar->size)
		return true;
	if (bar->mmap_failed)
		warn_report("Failed to mmap %s BAR %u. Performance may be slow",
			    vdev->name, i);
	if (vfio_pci_read_config(vpci, PCI_BASE_ADDRESS_0 + 4 * i, reg, 4) != 4) {
		error_setg(errp, "failed to read BAR %u's register", i);
		return false;
	}
	bar_program(vpci, i, bar->addr,
		    pci_get_long(reg) & PCI_BASE_ADDRESS_MEM_TYPE_64);
	return true;
}

static bool bars_setup(struct vfio_pci_device *vpci, Error **errp)
{
	const struct vfio_placement *pl = vpci->place;
	uint64_t next = *pl->next;

	for (unsigned i = 0; i < PCI_NUM_BARS; i++)
		if (!bar_setup(vpci, i, &next, errp))
			return false;
	/* All BARs appear in the partition at once; the listener maps the
	 * mapped ones (peer-to-peer). */
	if (!vfio_regions_add(pl, vpci->bars, PCI_NUM_BARS, errp))
		return false;
	*pl->next = next;
	return true;
}

/* ---- realize ------------------------------------------------------------ */

static bool populate(struct vfio_pci_device *vpci, Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
					.index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	uint8_t hdr[4];
	long ret;

	if (!(vdev->info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		error_setg(errp, "this isn't a PCI device");
		return false;
	}
	if (vdev->info.num_regions < VFIO_PCI_CONFIG_REGION_INDEX + 1) {
		error_setg(errp, "unexpected number of io regions %u",
			   vdev->info.num_regions);
		return false;
	}
	if (vdev->info.num_irqs < VFIO_PCI_MSIX_IRQ_INDEX + 1) {
		error_setg(errp, "unexpected number of irqs %u", vdev->info.num_irqs);
		return false;
	}
	ret = sys_ioctl(vpci->reg->sys, vdev->fd, VFIO_DEVICE_GET_REGION_INFO, &cfg);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "failed to get config info");
		return false;
	}
	vpci->config_offset = cfg.offset;
	vpci->config_size = cfg.size;
	if (vfio_pci_read_config(vpci, 0, hdr, sizeof(hdr)) != sizeof(hdr)) {
		error_setg(errp, "failed to read device config space");
		return false;
	}
	vpci->vendor_id = pci_get_word(hdr);
	vpci->device_id = pci_get_word(hdr + 2);
	for (unsigned idx = VFIO_PCI_INTX_IRQ_INDEX; idx <= VFIO_PCI_MSIX_IRQ_INDEX;
	     idx++) {
		irq.index = idx;
		ret = sys_ioctl(vpci->reg->sys, vdev->fd, VFIO_DEVICE_GET_IRQ_INFO,
				&irq);
		if (ret) {
			error_setg_errno(errp, (int)-ret, "failed to get IRQ %u info",
					 idx);
			return false;
		}
		if (idx == VFIO_PCI_INTX_IRQ_INDEX)
			vpci->intx = irq.count;
		else if (idx == VFIO_PCI_MSI_IRQ_INDEX)
			vpci->msi_vectors = irq.count;
		else
			vpci->msix_vectors = irq.count;
	}
	return true;
}

static unsigned bars_count(const struct vfio_pci_device *vpci)
{
	unsigned n = 0;

	for (unsigned i = 0; i < PCI_NUM_BARS; i++)
		n += vpci->bars[i].size != 0;
	return n;
}

/* Mediated devices might cope with discarded RAM; only they may ask. */
static bool check_balloon(struct vfio_registry *reg,
			  struct vfio_pci_device *vpci, Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;

	vdev->mdev = vfio_device_is_mdev(reg, vdev);
	if (vdev->ram_discard_allowed && !vdev->mdev) {
		error_setg(errp, "x-balloon-allowed only potentially compatible "
			   "with mdev devices");
		return false;
	}
	return true;
}

bool vfio_pci_locate(struct vfio_registry *reg, struct vfio_pci_device *vpci,
		     Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;
	char path[96];

	if (!vdev->sysfsdev && !vdev->fd_passed) {
		if (!vpci->host) {
			error_setg(errp, "No provided host device");
			error_append_hint(errp, "Use -device vfio-pci,host=DDDD:BB:DD.F "
					  "%sor -device vfio-pci,sysfsdev=PATH_TO_DEVICE\n",
					  IS_ENABLED(CONFIG_VFIO_IOMMUFD) ?
					  "or -device vfio-pci,fd=DEVICE_FD " : "");
			return false;
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", vpci->host);
		if (!(vdev->sysfsdev = heap_strdup(path))) {
			error_setg(errp, "out of memory");
			return false;
		}
	}
	/* A passed fd names the device only once it is resolved: realize
	 * names it and decides whether it is mediated. */
	if (vdev->fd_passed)
		return vfio_device_check_name(reg, vdev, errp);
	if (!vfio_device_get_name(reg, vdev, errp))
		return false;
	if (check_balloon(reg, vpci, errp))
		return true;
	error_prepend(errp, VFIO_MSG_PREFIX, vdev->name);
	return false;
}

bool vfio_pci_realize(struct vfio_registry *reg, struct vfio_pci_device *vpci,
		      const struct vfio_placement *place, Error **errp)
{
	struct vfio_device *vdev = &vpci->vbase;
	const uint64_t next = *place->next;

	vpci->reg = reg;
	vpci->place = place;
	if (!vfio_device_resolve_props(reg, vdev, errp) ||
	    !vfio_pci_locate(reg, vpci, errp))
		return false;
	if (vdev->fd_passed) {
		if (!vfio_device_get_name(reg, vdev, errp))
			return false;
		if (!check_balloon(reg, vpci, errp))
			goto fail;
	}
	if (!vfio_attach_device(reg, vdev, place->as, errp))
		goto fail;
	if (!populate(vpci, errp))
		goto fail_detach;
	/* A clean device before the partition gets it. */
	if ((vdev->info.flags & VFIO_DEVICE_FLAGS_RESET) &&
	    !vfio_pci_reset(vpci, errp))
		goto fail_detach;
	if (!bars_setup(vpci, errp) || !vfio_pci_config_setup(vpci, errp))
		goto fail_bars;
	if (!vfio_migration_realize(reg, vdev, errp))
		goto fail_bars;
	vpci->realized = true;
	info_report("vfio %s: %04x:%04x, %u BAR(s), INTx %u, MSI %u, MSI-X %u, "
		    "%s backend", vdev->name, vpci->vendor_id, vpci->device_id,
		    bars_count(vpci), vpci->intx, vpci->msi_vectors,
		    vpci->msix_vectors, vdev->bcontainer->backend);
	return true;

fail_bars:
	bars_release(vpci);
	*place->next = next;
fail_detach:
	vfio_detach_device(vdev);
fail:
	error_prepend(errp, VFIO_MSG_PREFIX, vdev->name);
	return false;
}

void vfio_pci_unrealize(struct vfio_pci_device *vpci)
{
	if (!vpci->realized)
		return;
	vfio_pci_intx_disable(vpci);
	vfio_migration_exit(&vpci->vbase);
	bars_release(vpci);
	vfio_detach_device(&vpci->vbase);
	vpci->realized = false;
}
