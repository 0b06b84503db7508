// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IOAS ioctls. Each check happens in the order Linux makes it, so the
 * same bad request fails with the same errno.
 */
#include "iommufd-private.h"
#include <partita/heap.h>
#include <partita/errno.h>
#include <string.h>

#define MAP_FLAGS (IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE | \
		   IOMMU_IOAS_MAP_READABLE)

int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	int ret;

	if (cmd->flags)
		return -EOPNOTSUPP;
	ioas = heap_zalloc(sizeof(*ioas));
	if (!ioas)
		return -ENOMEM;
	ioas->obj.type = IOMMUFD_OBJ_IOAS;
	iopt_init(&ioas->iopt, sys_umem(ucmd->ictx->sys));
	ret = iommufd_object_add(ucmd->ictx, &ioas->obj);
	if (ret) {
		heap_free(ioas);
		return ret;
	}
	cmd->out_ioas_id = ioas->obj.id;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

void iommufd_ioas_destroy(struct iommufd_ctx *ictx, struct iommufd_ioas *ioas)
{
	iommufd_object_remove(ictx, &ioas->obj);
	iopt_destroy(&ioas->iopt);
	heap_free(ioas);
}

struct ranges_out {
	struct iommu_iova_range *user;
	uint32_t room, n;
};

static void put_hole(void *opaque, uint64_t start, uint64_t last)
{
	struct ranges_out *o = opaque;

	if (o->n < o->room)
		memcpy(&o->user[o->n], &(struct iommu_iova_range){ start, last },
		       sizeof(struct iommu_iova_range));
	o->n++;
}

int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_iova_ranges *cmd = ucmd->cmd;
	struct ranges_out o;
	struct iommufd_ioas *ioas;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	o.user = (struct iommu_iova_range *)(uintptr_t)cmd->allowed_iovas;
	o.room = cmd->num_iovas;
	o.n = 0;
	if (o.room && !o.user)
		return -EFAULT;
	iopt_for_each_hole(&ioas->iopt, put_hole, &o);
	cmd->num_iovas = o.n;
	cmd->out_iova_alignment = ioas->iopt.iova_alignment;
	iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	return o.n > o.room ? -EMSGSIZE : 0;
}

int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_allow_iovas *cmd = ucmd->cmd;
	const struct iommu_iova_range *user =
		(const struct iommu_iova_range *)(uintptr_t)cmd->allowed_iovas;
	struct iommu_iova_range *ranges = NULL;
	struct iommufd_ioas *ioas;
	int ret;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->num_iovas > UINT32_MAX / sizeof(*ranges))
		return -EINVAL;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	if (cmd->num_iovas && !user)
		return -EFAULT;
	if (cmd->num_iovas) {
		ranges = heap_calloc(cmd->num_iovas, sizeof(*ranges));
		if (!ranges)
			return -ENOMEM;
		memcpy(ranges, user, cmd->num_iovas * sizeof(*ranges));
	}
	/* Each range is at least two bytes; none overlaps another. */
	for (uint32_t i = 0; i < cmd->num_iovas; i++) {
		if (ranges[i].start >= ranges[i].last) {
			heap_free(ranges);
			return -EINVAL;
		}
		for (uint32_t j = 0; j < i; j++)
			if (ranges[i].start <= ranges[j].last &&
			    ranges[j].start <= ranges[i].last) {
				heap_free(ranges);
				return -EINVAL;
			}
	}
	ret = iopt_set_allow_iova(&ioas->iopt, ranges, cmd->num_iovas);
	heap_free(ranges);
	return ret;
}

static int map_prot(uint32_t flags)
{
	return ((flags & IOMMU_IOAS_MAP_READABLE) ? IOMMU_READ : 0) |
	       ((flags & IOMMU_IOAS_MAP_WRITEABLE) ? IOMMU_WRITE : 0);
}

int iommufd_ioas_map(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_map *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	uint64_t iova = cmd->iova;
	int ret;

	if ((cmd->flags & ~MAP_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	ret = iopt_map_user(&ioas->iopt, &iova, cmd->user_va, cmd->length,
			    map_prot(cmd->flags),
			    cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA);
	if (ret)
		return ret;
	cmd->iova = iova;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

int iommufd_ioas_copy(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_copy *cmd = ucmd->cmd;
	struct iommufd_ioas *src, *dst;
	struct iopt_pages_slice *slices;
	uint64_t iova = cmd->dst_iova;
	size_t count;
	int ret;

	if (cmd->flags & ~MAP_FLAGS)
		return -EOPNOTSUPP;
	if (cmd->length >= UINT64_MAX || cmd->src_iova >= UINT64_MAX ||
	    cmd->dst_iova >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	src = iommufd_get_ioas(ucmd->ictx, cmd->src_ioas_id);
	if (!src)
		return -ENOENT;
	ret = iopt_get_pages(&src->iopt, cmd->src_iova, cmd->length, &slices,
			     &count);
	if (ret)
		return ret;
	dst = iommufd_get_ioas(ucmd->ictx, cmd->dst_ioas_id);
	if (!dst) {
		iopt_put_pages(slices, count);
		return -ENOENT;
	}
	ret = iopt_map_pages(&dst->iopt, &iova, slices, count, cmd->length,
			     map_prot(cmd->flags),
			     cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA);
	iopt_put_pages(slices, count);
	if (ret)
		return ret;
	cmd->dst_iova = iova;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_unmap *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	uint64_t unmapped = 0;
	int ret;

	if (!ioas)
		return -ENOENT;
	if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
		ret = iopt_unmap_all(&ioas->iopt, &unmapped);
	} else {
		if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
			return -EOVERFLOW;
		ret = iopt_unmap_iova(&ioas->iopt, cmd->iova, cmd->length,
				      &unmapped);
	}
	if (ret)
		return ret;
	cmd->length = unmapped;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

static int option_rlimit_mode(struct iommu_option *cmd,
			      struct iommufd_ctx *ictx)
{
	if (cmd->object_id)
		return -EOPNOTSUPP;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = ictx->account_mode;
		return 0;
	}
	if (cmd->op == IOMMU_OPTION_OP_SET) {
		/* Firmware has one, privileged, caller: no EPERM here. */
		for (uint32_t id = 1; id < ictx->nobjs; id++)
			if (ictx->objs[id])
				return -EBUSY;
		if (cmd->val64 > 1)
			return -EINVAL;
		ictx->account_mode = cmd->val64;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int option_huge_pages(struct iommu_option *cmd,
			     struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas = iommufd_get_ioas(ictx, cmd->object_id);

	if (!ioas)
		return -ENOENT;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = !ioas->iopt.disable_large_pages;
		return 0;
	}
	if (cmd->op == IOMMU_OPTION_OP_SET) {
		if (cmd->val64 > 1)
			return -EINVAL;
		return iopt_set_large_pages(&ioas->iopt, cmd->val64 == 1);
	}
	return -EOPNOTSUPP;
}

int iommufd_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	int ret;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->option_id) {
	case IOMMU_OPTION_RLIMIT_MODE:
		ret = option_rlimit_mode(cmd, ucmd->ictx);
		break;
	case IOMMU_OPTION_HUGE_PAGES:
		ret = option_huge_pages(cmd, ucmd->ictx);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (ret)
		return ret;
	/* Only val64 goes back. */
	memcpy((uint8_t *)ucmd->ubuffer + offsetof(struct iommu_option, val64),
	       &cmd->val64, sizeof(cmd->val64));
	return 0;
}
