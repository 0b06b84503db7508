// SPDX-License-Identifier: GPL-2.0-or-later
/* What every VFIO front shares (QEMU's helpers.c and common.c parts). */
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/option.h>
#include <partita/sys.h>
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
	vdev->name = vdev->sysfsdev = NULL;
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

bool vfio_device_set_common_props(struct vfio_registry *reg,
				  struct vfio_device *vdev, const char *driver,
				  struct opts *opts, Error **errp)
{
	const char *v;

	if ((v = opts_get(opts, "sysfsdev"))) {
		heap_free(vdev->sysfsdev);
		if (!(vdev->sysfsdev = heap_strdup(v))) {
			error_setg(errp, "out of memory");
			return false;
		}
	}
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
	if ((v = opts_get(opts, "iommufd"))) {
		vdev->iommufd = iommufd_backend_find(reg, v);
		if (!vdev->iommufd) {
			error_setg(errp, "Device '%s' not found", v);
			return false;
		}
	}
	if ((v = opts_get(opts, "fd")) && !vfio_device_set_fd(reg, vdev, v, errp))
		return false;
	return true;
}

bool vfio_device_get_name(struct vfio_registry *reg, struct vfio_device *vdev,
			  Error **errp)
{
	char buf[32];

	if (!vdev->fd_passed) {
		struct sys_stat st;
		const char *base;
		int ret = vdev->sysfsdev ?
			  sys_stat(reg->sys, vdev->sysfsdev, &st) : -ENOENT;

		if (ret) {
			error_setg_errno(errp, -ret, "no such host device");
			error_prepend(errp, "vfio %s: ",
				      vdev->sysfsdev ? vdev->sysfsdev : "(null)");
			return false;
		}
		base = strrchr(vdev->sysfsdev, '/');
		heap_free(vdev->name);
		vdev->name = heap_strdup(base ? base + 1 : vdev->sysfsdev);
	} else {
		if (!vdev->iommufd) {
			error_setg(errp, "Use FD passing only with iommufd backend");
			return false;
		}
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
