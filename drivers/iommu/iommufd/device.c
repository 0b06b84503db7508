// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Devices bound to an iommufd: DMA ownership, attachment to an IOAS
 * (through an automatic HWPT) or a HWPT, and IOMMU_GET_HW_INFO. A group
 * shares one domain, so every device of a group must use the same HWPT.
 */
#include "iommufd-private.h"
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <string.h>

struct iommufd_device *iommufd_device_bind(struct iommufd_ctx *ictx,
					   struct device *dev, uint32_t *id)
{
	struct iommu_group *group = dev->group;
	struct iommufd_device *idev;
	int err;

	if (!dev->iommu || !group)
		return ERR_PTR(-ENODEV);
	if (!device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY))
		return ERR_PTR(-EINVAL);
	/* DMA ownership of the group: no in-image driver, no other owner. */
	if (!iommu_group_viable(group))
		return ERR_PTR(-EBUSY);
	if (group->owner && group->owner != ictx)
		return ERR_PTR(-EPERM);
	if (dev->owner == DEVICE_OWNER_USER)
		return ERR_PTR(-EBUSY);
	idev = heap_zalloc(sizeof(*idev));
	if (!idev)
		return ERR_PTR(-ENOMEM);
	idev->obj.type = IOMMUFD_OBJ_DEVICE;
	idev->ictx = ictx;
	idev->dev = dev;
	err = iommufd_object_add(ictx, &idev->obj);
	if (err) {
		heap_free(idev);
		return ERR_PTR(err);
	}
	if (!group->owner_count++) {
		group->owner = ictx;
		/* Claimed: nothing reaches memory until attached. */
		iommu_detach_group(group);
		for (size_t i = 0; i < group->ndevices; i++)
			group->devices[i]->iommu->ops->block_dev(group->devices[i]);
	}
	dev->owner = DEVICE_OWNER_USER;
	*id = idev->obj.id;
	return idev;
}

/* Other devices of idev's group attached (through this ictx) to hwpt. */
static size_t group_users(struct iommufd_device *idev, struct iommufd_hwpt *hwpt)
{
	struct iommu_group *group = idev->dev->group;
	size_t n = 0;

	for (uint32_t id = 1; id < idev->ictx->nobjs; id++) {
		struct iommufd_object *obj = idev->ictx->objs[id];
		struct iommufd_device *o;

		if (!obj || obj->type != IOMMUFD_OBJ_DEVICE)
			continue;
		o = (struct iommufd_device *)obj;
		if (o != idev && o->dev->group == group && o->hwpt &&
		    (!hwpt || o->hwpt == hwpt))
			n++;
	}
	return n;
}

static int reserve_device_windows(struct iommufd_device *idev,
				  struct iommufd_ioas *ioas)
{
	const struct iommu_resv_region *r;
	size_t n = 0;

	if (idev->dev->iommu->ops->resv_regions)
		n = idev->dev->iommu->ops->resv_regions(idev->dev, &r);
	for (size_t i = 0; i < n; i++) {
		int ret = iopt_reserve(&ioas->iopt, r[i].start, r[i].last, idev);

		if (ret) {
			iopt_remove_reserved(&ioas->iopt, idev);
			return ret;
		}
	}
	return 0;
}

/* Put idev on hwpt (the group joins the domain if it is the first).
 * reserve: the device's windows are not yet reserved in hwpt's IOAS. */
static int attach_hwpt(struct iommufd_device *idev, struct iommufd_hwpt *hwpt,
		       bool reserve)
{
	struct iommu_group *group = idev->dev->group;
	int ret;

	if (hwpt->dirty &&
	    !device_iommu_capable(idev->dev, IOMMU_CAP_DIRTY_TRACKING))
		return -EINVAL;
	/* The group's other devices must be on the same HWPT. */
	if (group_users(idev, NULL) != group_users(idev, hwpt))
		return -EINVAL;
	if (hwpt->domain->iommu != idev->dev->iommu)
		return -EINVAL;
	if (reserve) {
		ret = reserve_device_windows(idev, hwpt->ioas);
		if (ret)
			return ret;
	}
	if (group->domain != hwpt->domain) {
		ret = iommu_attach_group(hwpt->domain, group);
		if (ret) {
			if (reserve)
				iopt_remove_reserved(&hwpt->ioas->iopt, idev);
			return ret;
		}
	}
	hwpt->obj.users++;
	return 0;
}

/* Take idev off its HWPT; an automatic one with no device left goes.
 * unreserve: drop the device's windows from the HWPT's IOAS too. */
static void leave_hwpt(struct iommufd_device *idev, struct iommufd_hwpt *hwpt,
		       bool detach_group, bool unreserve)
{
	if (unreserve)
		iopt_remove_reserved(&hwpt->ioas->iopt, idev);
	if (detach_group && !group_users(idev, hwpt))
		iommu_detach_group(idev->dev->group);
	hwpt->obj.users--;
	if (hwpt->auto_domain && !hwpt->obj.users)
		iommufd_hwpt_destroy(idev->ictx, hwpt);
}

int iommufd_device_attach(struct iommufd_device *idev, uint32_t *pt_id)
{
	struct iommufd_object *pt = iommufd_get_object(idev->ictx, *pt_id,
						       IOMMUFD_OBJ_ANY);
	struct iommufd_hwpt *old = idev->hwpt, *hwpt;
	bool same_ioas;
	int ret;

	if (!pt)
		return -ENOENT;
	if (pt->type == IOMMUFD_OBJ_HWPT_PAGING) {
		hwpt = (struct iommufd_hwpt *)pt;
		if (hwpt == old)
			return 0;
		ret = attach_hwpt(idev, hwpt, !old || old->ioas != hwpt->ioas);
	} else if (pt->type == IOMMUFD_OBJ_IOAS) {
		struct iommufd_ioas *ioas = (struct iommufd_ioas *)pt;

		/* Reuse a compatible automatic HWPT; -EINVAL from one just
		 * means "try the next". */
		ret = -EINVAL;
		for (hwpt = ioas->hwpts; hwpt; hwpt = hwpt->next) {
			if (!hwpt->auto_domain)
				continue;
			if (hwpt == old) {
				*pt_id = hwpt->obj.id;
				return 0;
			}
			ret = attach_hwpt(idev, hwpt, !old || old->ioas != ioas);
			if (ret != -EINVAL)
				break;
		}
		if (ret == -EINVAL) {
			hwpt = iommufd_hwpt_paging_alloc(idev->ictx, ioas, idev, 0,
							 true);
			if (IS_ERR(hwpt))
				return (int)PTR_ERR(hwpt);
			ret = attach_hwpt(idev, hwpt, !old || old->ioas != ioas);
			if (ret)
				iommufd_hwpt_destroy(idev->ictx, hwpt);
		}
	} else {
		return -EINVAL;
	}
	if (ret)
		return ret;       /* the old attachment stands */
	same_ioas = old && old->ioas == hwpt->ioas;
	idev->hwpt = hwpt;
	if (old)
		leave_hwpt(idev, old, false, !same_ioas);
	*pt_id = hwpt->obj.id;
	return 0;
}

void iommufd_device_detach(struct iommufd_device *idev)
{
	struct iommufd_hwpt *hwpt = idev->hwpt;

	if (!hwpt)
		return;
	idev->hwpt = NULL;
	leave_hwpt(idev, hwpt, true, true);
}

void iommufd_device_unbind(struct iommufd_device *idev)
{
	struct iommu_group *group = idev->dev->group;

	iommufd_device_detach(idev);
	iommufd_object_remove(idev->ictx, &idev->obj);
	idev->dev->owner = DEVICE_OWNER_NONE;
	if (!--group->owner_count)
		group->owner = NULL;
	heap_free(idev);
}

int iommufd_get_hw_info(struct iommufd_ucmd *ucmd)
{
	struct iommu_hw_info *cmd = ucmd->cmd;
	struct iommufd_device *idev;
	uint8_t data[256];
	uint32_t len = sizeof(data), type = IOMMU_HW_INFO_TYPE_NONE, copy;
	uint8_t *user;

	if (cmd->flags || cmd->__reserved)
		return -EOPNOTSUPP;
	idev = (struct iommufd_device *)iommufd_get_object(ucmd->ictx, cmd->dev_id,
							   IOMMUFD_OBJ_DEVICE);
	if (!idev)
		return -ENOENT;
	memset(data, 0, sizeof(data));
	if (idev->dev->iommu->ops->hw_info)
		idev->dev->iommu->ops->hw_info(idev->dev, data, &len, &type);
	else
		len = 0;
	user = (uint8_t *)(uintptr_t)cmd->data_uptr;
	if (cmd->data_len && !user)
		return -EFAULT;
	/* What the driver has, then zeros to the end of the caller's buffer. */
	copy = len < cmd->data_len ? len : cmd->data_len;
	if (copy)         /* user may be NULL when nothing is asked for */
		memcpy(user, data, copy);
	if (cmd->data_len > copy)
		memset(user + copy, 0, cmd->data_len - copy);
	cmd->data_len = len;
	cmd->out_data_type = type;
	cmd->out_capabilities = 0;
	if (device_iommu_capable(idev->dev, IOMMU_CAP_DIRTY_TRACKING))
		cmd->out_capabilities |= IOMMU_HW_CAP_DIRTY_TRACKING;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}
