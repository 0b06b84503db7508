// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /dev/vfio/<group>: one opener at a time; set to a container, it hands
 * out device files. The group's DMA belongs to the container while set.
 */
#include "type1-private.h"
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/heap.h>
#include <partita/iommu/iommufd.h>
#include <partita/iommu/vfio-type1.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <uapi/linux/vfio.h>
#include <partita/errno.h>
#include <partita/sys/namespace.h>
#include <stdio.h>
#include <string.h>

static long get_status(struct type1_group *g, void *arg)
{
	struct vfio_group_status st;

	memcpy(&st, arg, sizeof(st));
	if (st.argsz < sizeof(st))
		return -EINVAL;
	st.flags = 0;
	if (g->container)
		st.flags = VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET;
	else if (iommu_group_viable(g->group))
		st.flags = VFIO_GROUP_FLAGS_VIABLE;
	memcpy(arg, &st, sizeof(st));
	return 0;
}

static long set_container(struct type1_group *g, const void *arg)
{
	struct iommu_group *group = g->group;
	struct type1_container *c;
	struct sys_file *file;
	int32_t fd;
	int ret;

	memcpy(&fd, arg, sizeof(fd));
	file = sys_fget(g->sys, fd);
	if (!file)
		return -EBADF;
	if (g->container) {
		ret = -EINVAL;
		goto out;
	}
	c = type1_container_from_file(file);
	if (!c) {
		/* Linux also accepts an iommufd here (its VFIO compat);
		 * Partita does not provide that compat: see the docs. Any
		 * other file is EINVAL, as on Debian 12's 6.1 (6.12 says
		 * EBADFD: tests/diff/allow-list.txt). */
		ret = IS_ENABLED(CONFIG_IOMMUFD) && iommufd_ctx_from_file(file) ?
			-EOPNOTSUPP : -EINVAL;
		goto out;
	}
	/* DMA ownership: no in-image driver, no other owner. */
	if (!iommu_group_viable(group)) {
		ret = -EBUSY;
		goto out;
	}
	if (group->owner) {
		ret = -EPERM;
		goto out;
	}
	ret = type1_container_add_group(c, g);
	if (ret)
		goto out;
	group->owner = c;
	g->container_file = file;          /* keeps our reference */
	return 0;
out:
	sys_file_put(file);
	return ret;
}

static void unset(struct type1_group *g)
{
	type1_container_remove_group(g->container, g);
	g->group->owner = NULL;
	for (size_t i = 0; i < g->group->ndevices; i++)
		g->group->devices[i]->owner = DEVICE_OWNER_NONE;
	/* Back to blocked DMA (a mediated group has no IOMMU to block). */
	if (!g->group->emulated) {
		iommu_detach_group(g->group);
		for (size_t i = 0; i < g->group->ndevices; i++)
			g->group->devices[i]->iommu->ops->block_dev(
				g->group->devices[i]);
	}
	sys_file_put(g->container_file);
	g->container_file = NULL;
}

static long unset_container(struct type1_group *g)
{
	if (!g->container)
		return -EINVAL;
	if (g->open_devices)
		return -EBUSY;
	unset(g);
	return 0;
}

/* A device file holds its group file (as on Linux), so the group is
 * released only after its devices. */
static void device_released(void *opaque)
{
	struct type1_group *g = opaque;

	g->open_devices--;
	sys_file_put(g->file);
}

static long get_device_fd(struct type1_group *g, const char *name)
{
	struct device *dev = NULL;
	struct sys_file *f;
	int fd;

	if (!g->container || !g->container->iommu_set)
		return -EINVAL;
	for (size_t i = 0; i < g->group->ndevices && !dev; i++) {
		struct device *d = g->group->devices[i];
		struct vfio_core_device *vd = vfio_core_device_of(d);
		int ret = vd && vd->ops->match ? vd->ops->match(d, name) :
			  !strcmp(d->name, name);

		if (ret < 0)
			return ret;
		if (ret)
			dev = d;
	}
	if (!dev || !vfio_core_device_of(dev))
		return -ENODEV;
	f = vfio_group_device_file(g->sys, dev, device_released, g);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	g->open_devices++;
	sys_file_get(g->file);
	dev->owner = DEVICE_OWNER_USER;
	fd = sys_install_fd(g->sys, -1, f);
	if (fd < 0)
		sys_file_put(f);
	return fd;
}

static long group_ioctl(struct sys_file *file, unsigned long request, void *arg)
{
	struct type1_group *g = file->priv;

	if (request == VFIO_GROUP_UNSET_CONTAINER)
		return unset_container(g);
	if (request != VFIO_GROUP_GET_STATUS &&
	    request != VFIO_GROUP_SET_CONTAINER &&
	    request != VFIO_GROUP_GET_DEVICE_FD)
		return -ENOTTY;
	if (!arg)
		return -EFAULT;
	switch (request) {
	case VFIO_GROUP_GET_STATUS:
		return get_status(g, arg);
	case VFIO_GROUP_SET_CONTAINER:
		return set_container(g, arg);
	default:
		return get_device_fd(g, arg);
	}
}

static void group_release(struct sys_file *file)
{
	struct type1_group *g = file->priv;

	if (g->container)
		unset(g);
	g->open = false;
	g->file = NULL;
	vfio_core_group_set_open(g->group, false);
}

static const struct sys_file_ops group_fops = {
	.ioctl = group_ioctl,
	.release = group_release,
};

static int group_open(struct sys *sys, void *opaque, struct sys_file **out)
{
	struct type1_group *g = opaque;

	if (g->open)
		return -EBUSY;
	/* Devices of the group bound through their cdev (iommufd). */
	for (size_t i = 0; i < g->group->ndevices; i++)
		if (g->group->devices[i]->owner == DEVICE_OWNER_USER)
			return -EBUSY;
	*out = sys_file_alloc(sys, &group_fops, g);
	if (!*out)
		return -ENOMEM;
	g->file = *out;
	g->open = true;
	vfio_core_group_set_open(g->group, true);
	return 0;
}

int vfio_type1_publish_group(struct sys *sys, struct iommu_group *group)
{
	struct type1_group *g = heap_zalloc(sizeof(*g));
	char path[48];
	int ret;

	if (!g)
		return -ENOMEM;
	g->group = group;
	g->sys = sys;
	snprintf(path, sizeof(path), "/dev/vfio/%d", group->id);
	/* vfio group nodes: a dynamic major on Linux; 510 here. */
	ret = sys_ns_add_chardev_owned(sys, path, 510, (uint32_t)group->id,
				       group_open, g, heap_free);
	return ret;
}
