// SPDX-License-Identifier: GPL-2.0-or-later
/* What every VFIO front shares (QEMU's helpers.c and common.c parts). */
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/option.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/device.h>
#include <partita/vfio/iommufd-backend.h>
#include <partita/vfio/registry.h>
#include <stdio.h>
#include <string.h>

void vfio_device_init(struct vfio_device *vdev, bool ram_discard)
{
	memset(vdev, 0, sizeof(*vdev));
	vdev->fd = -1;
	vdev->ram_discard_allowed = ram_discard;
}

void vfio_device_fini(struct vfio_device *vdev)
{
	heap_free(vdev->name);
	heap_free(vdev->sysfsdev);
	heap_free(vdev->iommufd_id);
	heap_free(vdev->fd_arg);
	vdev->name = vdev->sysfsdev = vdev->iommufd_id = vdev->fd_arg = NULL;
	error_free(vdev->migration_blocker);
	vdev->migration_blocker = NULL;
}

bool vfio_device_set_fd(struct vfio_registry *reg, struct vfio_device *vdev,
			const char *str, Error **errp)
{
	uint64_t n;
	int fd = sys_fd_by_name(reg->sys, str);

	if (fd < 0) {
		if (!parse_u64(str, &n) || n >= SYS_FD_MAX) {
			error_setg(errp, "Invalid file descriptor number '%s'", str);
			return false;
		}
		fd = (int)n;
	}
	vdev->fd = fd;
	vdev->fd_passed = true;
	return true;
}

/* A string property's value, kept (replacing an earlier one). */
static bool keep(char **slot, const char *v, Error **errp)
{
	char *copy = heap_strdup(v);

	if (!copy) {
		error_setg(errp, "out of memory");
		return false;
	}
	heap_free(*slot);
	*slot = copy;
	return true;
}

bool vfio_device_set_common_props(struct vfio_registry *reg,
				  struct vfio_device *vdev, const char *driver,
				  struct opts *opts, Error **errp)
{
	const char *v;
	uint64_t n;

	(void)reg;
	if ((v = opts_get(opts, "sysfsdev")) && !keep(&vdev->sysfsdev, v, errp))
		return false;
	/* fd= and iommufd= exist only with the iommufd backend (QEMU's
	 * CONFIG_IOMMUFD); say so rather than "not found". */
	if (!IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		const char *which = opts_has(opts, "iommufd") ? "iommufd" :
				    opts_has(opts, "fd") ? "fd" : NULL;

		if (which) {
			error_setg(errp, "Property '%s.%s' needs the iommufd "
				   "backend, which is not built in "
				   "(CONFIG_VFIO_IOMMUFD)", driver, which);
			return false;
		}
		return true;
	}
	/* Both are references: kept as written, resolved by realize
	 * (vfio_device_resolve_props), so that a configuration can be
	 * checked before the objects and fds it names exist. */
	if ((v = opts_get(opts, "iommufd")) && !keep(&vdev->iommufd_id, v, errp))
		return false;
	if ((v = opts_get(opts, "fd"))) {
		if (parse_u64(v, &n) && n >= SYS_FD_MAX) {
			error_setg(errp, "Invalid file descriptor number '%s'", v);
			return false;
		}
		if (!keep(&vdev->fd_arg, v, errp))
			return false;
		vdev->fd_passed = true;
	}
	return true;
}

bool vfio_device_resolve_props(struct vfio_registry *reg,
			       struct vfio_device *vdev, Error **errp)
{
	if (vdev->iommufd_id) {
		vdev->iommufd = IS_ENABLED(CONFIG_VFIO_IOMMUFD) ?
				iommufd_backend_find(reg, vdev->iommufd_id) :
				NULL;
		if (!vdev->iommufd) {
			error_setg(errp, "Device '%s' not found", vdev->iommufd_id);
			return false;
		}
	}
	if (vdev->fd_arg && vdev->fd < 0)
		return vfio_device_set_fd(reg, vdev, vdev->fd_arg, errp);
	return true;
}

bool vfio_device_check_name(struct vfio_registry *reg, struct vfio_device *vdev,
			    Error **errp)
{
	struct sys_stat st;
	int ret;

	if (vdev->fd_passed) {
		if (!vdev->iommufd && !vdev->iommufd_id) {
			error_setg(errp, "Use FD passing only with iommufd backend");
			return false;
		}
		return true;
	}
	ret = vdev->sysfsdev ? sys_stat(reg->sys, vdev->sysfsdev, &st) : -ENOENT;
	if (ret) {
		error_setg_errno(errp, -ret, "no such host device");
		error_prepend(errp, "vfio %s: ",
			      vdev->sysfsdev ? vdev->sysfsdev : "(null)");
		return false;
	}
	return true;
}

bool vfio_device_get_name(struct vfio_registry *reg, struct vfio_device *vdev,
			  Error **errp)
{
	char buf[32];

	if (!vfio_device_check_name(reg, vdev, errp))
		return false;
	if (!vdev->fd_passed) {
		const char *base = strrchr(vdev->sysfsdev, '/');

		heap_free(vdev->name);
		vdev->name = heap_strdup(base ? base + 1 : vdev->sysfsdev);
	} else {
		/* A name given otherwise (vfio-platform's host=) stays. */
		if (vdev->name)
			return true;
		snprintf(buf, sizeof(buf), "VFIO_FD%d", vdev->fd);
		vdev->name = heap_strdup(buf);
	}
	if (!vdev->name) {
		error_setg(errp, "out of memory");
		return false;
	}
	return true;
}

bool vfio_device_is_mdev(struct vfio_registry *reg, struct vfio_device *vdev)
{
	char path[256], real[256];

	if (!vdev->sysfsdev)
		return false;
	snprintf(path, sizeof(path), "%s/subsystem", vdev->sysfsdev);
	return !sys_realpath(reg->sys, path, real, sizeof(real)) &&
	       !strcmp(real, "/sys/bus/mdev");
}

bool vfio_attach_device(struct vfio_registry *reg, struct vfio_device *vdev,
			AddressSpace *as, Error **errp)
{
	if (vdev->iommufd) {
		if (!IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
			error_setg(errp, "vfio %s: the iommufd backend is not built "
				   "in (CONFIG_VFIO_IOMMUFD)", vdev->name);
			return false;
		}
		return iommufd_cdev_attach(reg, vdev, as, errp);
	}
	/* No iommufd= means the legacy backend. */
	if (!IS_ENABLED(CONFIG_VFIO_LEGACY)) {
		error_setg(errp, "vfio %s: no iommufd= given and the legacy "
			   "backend is not built in (CONFIG_VFIO_LEGACY)",
			   vdev->name);
		return false;
	}
	return vfio_legacy_attach_device(reg, vdev, as, errp);
}

void vfio_detach_device(struct vfio_device *vdev)
{
	if (!vdev->bcontainer)
		return;
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD) && vdev->iommufd)
		iommufd_cdev_detach(vdev);
	else if (IS_ENABLED(CONFIG_VFIO_LEGACY) && !vdev->iommufd)
		vfio_legacy_detach_device(vdev);
}
