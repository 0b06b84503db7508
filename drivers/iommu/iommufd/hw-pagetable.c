// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HWPTs: a hardware domain that mirrors an IOAS. Made explicitly by
 * IOMMU_HWPT_ALLOC or automatically by a device's ATTACH to an IOAS; the
 * latter dies with its last device.
 */
#include "iommufd-private.h"
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iova-bitmap.h>

#define HWPT_ALLOC_FLAGS (IOMMU_HWPT_ALLOC_NEST_PARENT | \
			  IOMMU_HWPT_ALLOC_DIRTY_TRACKING)

struct iommufd_hwpt *iommufd_hwpt_paging_alloc(struct iommufd_ctx *ictx,
					       struct iommufd_ioas *ioas,
					       struct iommufd_device *idev,
					       uint32_t flags, bool auto_domain)
{
	bool dirty = flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
	struct iommufd_hwpt *hwpt;
	int err;

	if (flags & ~HWPT_ALLOC_FLAGS)
		return ERR_PTR(-EOPNOTSUPP);
	if (dirty && !device_iommu_capable(idev->dev, IOMMU_CAP_DIRTY_TRACKING))
		return ERR_PTR(-EOPNOTSUPP);
	hwpt = heap_zalloc(sizeof(*hwpt));
	if (!hwpt)
		return ERR_PTR(-ENOMEM);
	hwpt->obj.type = IOMMUFD_OBJ_HWPT_PAGING;
	hwpt->ictx = ictx;
	hwpt->ioas = ioas;
	hwpt->auto_domain = auto_domain;
	hwpt->dirty = dirty;
	hwpt->domain = iommu_domain_alloc_paging(idev->dev,
						 dirty ? IOMMU_DOMAIN_F_DIRTY : 0);
	if (IS_ERR(hwpt->domain)) {
		err = (int)PTR_ERR(hwpt->domain);
		goto fail;
	}
	/* Every mapping the IOAS has goes in now; a failure undoes it. */
	err = iopt_table_add_domain(&ioas->iopt, hwpt->domain);
	if (err)
		goto fail_domain;
	err = iommufd_object_add(ictx, &hwpt->obj);
	if (err)
		goto fail_table;
	ioas->obj.users++;
	hwpt->next = ioas->hwpts;
	ioas->hwpts = hwpt;
	return hwpt;
fail_table:
	iopt_table_remove_domain(&ioas->iopt, hwpt->domain);
fail_domain:
	iommu_domain_free(hwpt->domain);
fail:
	heap_free(hwpt);
	return ERR_PTR(err);
}

void iommufd_hwpt_destroy(struct iommufd_ctx *ictx, struct iommufd_hwpt *hwpt)
{
	struct iommufd_hwpt **link = &hwpt->ioas->hwpts;

	while (*link != hwpt)
		link = &(*link)->next;
	*link = hwpt->next;
	iommufd_object_remove(ictx, &hwpt->obj);
	iopt_table_remove_domain(&hwpt->ioas->iopt, hwpt->domain);
	iommu_domain_free(hwpt->domain);
	hwpt->ioas->obj.users--;
	heap_free(hwpt);
}

int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	struct iommufd_object *pt;
	struct iommufd_device *idev;
	struct iommufd_hwpt *hwpt;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if ((cmd->data_type == IOMMU_HWPT_DATA_NONE && cmd->data_len) ||
	    (cmd->data_type != IOMMU_HWPT_DATA_NONE && !cmd->data_len))
		return -EINVAL;
	idev = (struct iommufd_device *)iommufd_get_object(ucmd->ictx, cmd->dev_id,
							   IOMMUFD_OBJ_DEVICE);
	if (!idev)
		return -ENOENT;
	pt = iommufd_get_object(ucmd->ictx, cmd->pt_id, IOMMUFD_OBJ_ANY);
	if (!pt)
		return -EINVAL;
	switch (pt->type) {
	case IOMMUFD_OBJ_IOAS:
		if (cmd->data_type != IOMMU_HWPT_DATA_NONE)
			return -EINVAL;
		hwpt = iommufd_hwpt_paging_alloc(ucmd->ictx,
						 (struct iommufd_ioas *)pt, idev,
						 cmd->flags, false);
		if (IS_ERR(hwpt))
			return (int)PTR_ERR(hwpt);
		break;
	case IOMMUFD_OBJ_HWPT_PAGING:
		/* Nested (user-managed) tables: no driver here offers them. */
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	cmd->out_hwpt_id = hwpt->obj.id;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

static struct iommufd_hwpt *get_hwpt(struct iommufd_ctx *ictx, uint32_t id)
{
	return (struct iommufd_hwpt *)iommufd_get_object(ictx, id,
							 IOMMUFD_OBJ_HWPT_PAGING);
}

int iommufd_hwpt_set_dirty_tracking(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_set_dirty_tracking *cmd = ucmd->cmd;
	struct iommufd_hwpt *hwpt;
	bool enable = cmd->flags & IOMMU_HWPT_DIRTY_TRACKING_ENABLE;

	if (cmd->flags & ~IOMMU_HWPT_DIRTY_TRACKING_ENABLE)
		return -EOPNOTSUPP;
	hwpt = get_hwpt(ucmd->ictx, cmd->hwpt_id);
	if (!hwpt)
		return -ENOENT;
	if (!hwpt->domain->ops->set_dirty_tracking)
		return -EOPNOTSUPP;
	/* Tracking starts from clean: whatever was dirty is forgotten. */
	if (enable)
		iopt_clear_dirty(&hwpt->ioas->iopt, hwpt->domain);
	return hwpt->domain->ops->set_dirty_tracking(hwpt->domain, enable);
}

int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_get_dirty_bitmap *cmd = ucmd->cmd;
	struct iommufd_hwpt *hwpt;
	struct iova_bitmap bitmap;
	uint64_t align, last;

	if ((cmd->flags & ~IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) ||
	    cmd->__reserved)
		return -EOPNOTSUPP;
	hwpt = get_hwpt(ucmd->ictx, cmd->hwpt_id);
	if (!hwpt)
		return -ENOENT;
	align = hwpt->ioas->iopt.iova_alignment;
	last = cmd->iova + cmd->length - 1;
	/* Linux's iommufd_check_iova_range, in its order. */
	if (cmd->iova + (cmd->length - 1) < cmd->iova)
		return -EOVERFLOW;
	if ((cmd->iova & (align - 1)) || ((last + 1) & (align - 1)))
		return -EINVAL;
	if (!cmd->page_size)
		return -EINVAL;
	if ((cmd->iova & (cmd->page_size - 1)) ||
	    ((last + 1) & (cmd->page_size - 1)))
		return -EINVAL;
	if (!hwpt->domain->ops->read_and_clear_dirty)
		return -EOPNOTSUPP;
	if (!cmd->data)
		return -EFAULT;
	iova_bitmap_init(&bitmap, cmd->iova, cmd->length,
			 (unsigned)__builtin_ctzll(cmd->page_size),
			 (void *)(uintptr_t)cmd->data);
	return iopt_read_and_clear_dirty(&hwpt->ioas->iopt, hwpt->domain,
					 cmd->iova, cmd->length, &bitmap,
					 (cmd->flags & IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) ?
					 IOMMU_DIRTY_NO_CLEAR : 0);
}
