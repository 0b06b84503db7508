// SPDX-License-Identifier: GPL-2.0-or-later
/* The device namespace of a board (include/partita/arch/bring-up.h). */
#include <partita/arch/bring-up.h>
#include <partita/bus/bus.h>
#include <partita/iommu/iommufd.h>
#include <partita/iommu/vfio-type1.h>
#include <partita/sys/fd.h>

/* Each group's /dev/vfio/<id>, once its devices are published. */
static bool publish_groups(struct sys *sys, const struct bus_devices *d,
			   Error **errp)
{
	for (unsigned i = 0; IS_ENABLED(CONFIG_VFIO_TYPE1) &&
			     i < bus_group_count(d); i++) {
		struct iommu_group *g = bus_group(d, i);
		int ret = vfio_type1_publish_group(sys, g);

		if (ret) {
			error_setg_errno(errp, -ret, "discovery: cannot publish "
					 "group %d", bus_group_id(d, i));
			return false;
		}
	}
	return true;
}

bool board_bring_up(struct bus_env *env, struct umem *umem, struct sys **sys,
		    struct bus_devices **devices, Error **errp)
{
	*devices = NULL;
	*sys = sys_create(umem);
	if (!*sys ||
	    (IS_ENABLED(CONFIG_IOMMUFD) && iommufd_register(*sys)) ||
	    (IS_ENABLED(CONFIG_VFIO_TYPE1) && vfio_type1_register(*sys))) {
		error_setg(errp, "board: out of memory for the device namespace");
		goto fail;
	}
	env->sys = *sys;
	*devices = bus_discover(env, errp);
	if (*devices && publish_groups(*sys, *devices, errp))
		return true;
fail:
	board_bring_down(*sys, *devices);
	*sys = NULL;
	*devices = NULL;
	return false;
}

void board_bring_down(struct sys *sys, struct bus_devices *devices)
{
	if (sys)
		sys_destroy(sys);
	bus_devices_release(devices);
}
