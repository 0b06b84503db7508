// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The -device drivers: each VFIO front behind one table, so the manager
 * never asks which kind of device it has. A front that is not built in
 * keeps its entry (built = false) so the error can name its Kconfig
 * symbol.
 */
#include <partita/core/partition.h>
#include <partita/vfio/ap.h>
#include <partita/vfio/ccw.h>
#include <partita/vfio/pci.h>
#include <partita/vfio/platform.h>
#include <stdio.h>
#include <string.h>

#if IS_ENABLED(CONFIG_VFIO_PCI)
static void pci_init(void *d) { vfio_pci_init(d); }
static bool pci_set_props(struct vfio_registry *reg, void *d, struct opts *o,
			  Error **errp)
{
	return vfio_pci_set_props(reg, d, o, errp);
}
static bool pci_realize(struct vfio_registry *reg, void *d,
			const struct vfio_placement *pl, Error **errp)
{
	return vfio_pci_realize(reg, d, pl, errp);
}
static bool pci_locate(struct vfio_registry *reg, void *d, Error **errp)
{
	return vfio_pci_locate(reg, d, errp);
}
static void pci_fini(void *d) { vfio_pci_fini(d); }
static struct vfio_device *pci_vdev(void *d)
{
	return &((struct vfio_pci_device *)d)->vbase;
}
#endif

#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
static void plat_init(void *d) { vfio_platform_init(d); }
static bool plat_set_props(struct vfio_registry *reg, void *d, struct opts *o,
			   Error **errp)
{
	return vfio_platform_set_props(reg, d, o, errp);
}
static bool plat_realize(struct vfio_registry *reg, void *d,
			 const struct vfio_placement *pl, Error **errp)
{
	return vfio_platform_realize(reg, d, pl, errp);
}
static bool plat_locate(struct vfio_registry *reg, void *d, Error **errp)
{
	return vfio_platform_locate(reg, d, errp);
}
static void plat_fini(void *d) { vfio_platform_fini(d); }
static struct vfio_device *plat_vdev(void *d)
{
	return &((struct vfio_platform_device *)d)->vbase;
}
#endif

#if IS_ENABLED(CONFIG_VFIO_AP)
static void ap_init(void *d) { vfio_ap_init(d); }
static bool ap_set_props(struct vfio_registry *reg, void *d, struct opts *o,
			 Error **errp)
{
	return vfio_ap_set_props(reg, d, o, errp);
}
static bool ap_realize(struct vfio_registry *reg, void *d,
		       const struct vfio_placement *pl, Error **errp)
{
	return vfio_ap_realize(reg, d, pl->as, errp);
}
static bool ap_locate(struct vfio_registry *reg, void *d, Error **errp)
{
	return vfio_ap_locate(reg, d, errp);
}
static void ap_fini(void *d) { vfio_ap_fini(d); }
static void ap_report(void *d, char *note, size_t nlen, char *json, size_t jlen)
{
	const struct vfio_ap_device *vap = d;

	if (!vap->matrix_known) {
		snprintf(note, nlen, "AP matrix: unknown (fd passed, no sysfsdev)");
		snprintf(json, jlen, "\"ap_queues\": null, "
			 "\"ap_control_domains\": null");
		return;
	}
	snprintf(note, nlen, "AP matrix: %u queue%s, %u control domain%s",
		 vap->apqns, vap->apqns == 1 ? "" : "s", vap->control_domains,
		 vap->control_domains == 1 ? "" : "s");
	snprintf(json, jlen, "\"ap_queues\": %u, \"ap_control_domains\": %u",
		 vap->apqns, vap->control_domains);
}
static struct vfio_device *ap_vdev(void *d)
{
	return &((struct vfio_ap_device *)d)->vbase;
}
#endif

#if IS_ENABLED(CONFIG_VFIO_CCW)
static void ccw_init(void *d) { vfio_ccw_init(d); }
static bool ccw_set_props(struct vfio_registry *reg, void *d, struct opts *o,
			  Error **errp)
{
	return vfio_ccw_set_props(reg, d, o, errp);
}
static bool ccw_realize(struct vfio_registry *reg, void *d,
			const struct vfio_placement *pl, Error **errp)
{
	return vfio_ccw_realize(reg, d, pl->as, errp);
}
static bool ccw_locate(struct vfio_registry *reg, void *d, Error **errp)
{
	return vfio_ccw_locate(reg, d, errp);
}
static void ccw_fini(void *d) { vfio_ccw_fini(d); }
static struct vfio_device *ccw_vdev(void *d)
{
	return &((struct vfio_ccw_device *)d)->vbase;
}
#endif

#define FRONT(drv, sym, k, type, pfx, rep)                                 \
	{ .driver = drv, .kconfig = #sym, .kind = k, .built = true,        \
	  .size = sizeof(type), .init = pfx##_init,                        \
	  .set_props = pfx##_set_props, .locate = pfx##_locate,            \
	  .realize = pfx##_realize,                                        \
	  .fini = pfx##_fini, .vdev = pfx##_vdev, .report = rep }
#define ABSENT(drv, sym, k) { .driver = drv, .kconfig = #sym, .kind = k }

static const struct partition_front fronts[] = {
#if IS_ENABLED(CONFIG_VFIO_PCI)
	FRONT("vfio-pci", CONFIG_VFIO_PCI, BUS_PCI, struct vfio_pci_device, pci,
	      NULL),
#else
	ABSENT("vfio-pci", CONFIG_VFIO_PCI, BUS_PCI),
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	FRONT("vfio-platform", CONFIG_VFIO_PLATFORM, BUS_PLATFORM,
	      struct vfio_platform_device, plat, NULL),
#else
	ABSENT("vfio-platform", CONFIG_VFIO_PLATFORM, BUS_PLATFORM),
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	FRONT("vfio-ap", CONFIG_VFIO_AP, BUS_AP, struct vfio_ap_device, ap,
	      ap_report),
#else
	ABSENT("vfio-ap", CONFIG_VFIO_AP, BUS_AP),
#endif
#if IS_ENABLED(CONFIG_VFIO_CCW)
	FRONT("vfio-ccw", CONFIG_VFIO_CCW, BUS_CCW, struct vfio_ccw_device, ccw,
	      NULL),
#else
	ABSENT("vfio-ccw", CONFIG_VFIO_CCW, BUS_CCW),
#endif
};

const struct partition_front *partition_front_find(const char *driver)
{
	for (size_t i = 0; i < sizeof(fronts) / sizeof(fronts[0]); i++)
		if (!strcmp(fronts[i].driver, driver))
			return &fronts[i];
	return NULL;
}
