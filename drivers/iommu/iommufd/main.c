// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /dev/iommu: one iommufd context per open, its object table, and the
 * ioctl framing every request shares (Linux's iommufd_fops_ioctl): the
 * struct's first u32 is its size; a short struct is zero-filled up to
 * what the kernel knows, a long one must be zero beyond it (E2BIG);
 * anything under the last mandatory field is EINVAL.
 */
#include "iommufd-private.h"
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/sys/namespace.h>
#include <string.h>

#define IOMMUFD_CHARDEV_MAJOR 10    /* a misc device, as on Linux */
#define IOMMUFD_CHARDEV_MINOR 123

/* ---- objects --------------------------------------------------------- */

int iommufd_object_add(struct iommufd_ctx *ictx, struct iommufd_object *obj)
{
	uint32_t id;

	for (id = 1; id < ictx->nobjs && ictx->objs[id]; id++)
		;
	if (id >= ictx->nobjs) {
		uint32_t n = ictx->nobjs ? ictx->nobjs * 2 : 16;
		struct iommufd_object **grown;

		if (n > (1u << 31))
			return -ENOSPC;
		grown = heap_realloc(ictx->objs, n * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + ictx->nobjs, 0,
		       (n - ictx->nobjs) * sizeof(*grown));
		ictx->objs = grown;
		ictx->nobjs = n;
	}
	obj->id = id;
	ictx->objs[id] = obj;
	return 0;
}

void iommufd_object_remove(struct iommufd_ctx *ictx, struct iommufd_object *obj)
{
	if (obj->id && obj->id < ictx->nobjs && ictx->objs[obj->id] == obj)
		ictx->objs[obj->id] = NULL;
	obj->id = 0;
}

struct iommufd_object *iommufd_get_object(struct iommufd_ctx *ictx, uint32_t id,
					  enum iommufd_object_type type)
{
	struct iommufd_object *obj;

	if (!id || id >= ictx->nobjs || !(obj = ictx->objs[id]))
		return NULL;
	if (type != IOMMUFD_OBJ_ANY && obj->type != type)
		return NULL;
	return obj;
}

static void destroy_object(struct iommufd_ctx *ictx, struct iommufd_object *obj)
{
	switch (obj->type) {
	case IOMMUFD_OBJ_IOAS:
		iommufd_ioas_destroy(ictx, container_of(obj, struct iommufd_ioas, obj));
		break;
	case IOMMUFD_OBJ_HWPT_PAGING:
		iommufd_hwpt_destroy(ictx, container_of(obj, struct iommufd_hwpt, obj));
		break;
	default:
		break;
	}
}

static int iommufd_destroy(struct iommufd_ucmd *ucmd)
{
	struct iommu_destroy *cmd = ucmd->cmd;
	struct iommufd_object *obj = iommufd_get_object(ucmd->ictx, cmd->id,
							IOMMUFD_OBJ_ANY);

	if (!obj)
		return -ENOENT;
	/* In use (an IOAS under a HWPT or an access, a HWPT with devices),
	 * or a device or access, which goes only when its VFIO file unbinds
	 * it. */
	if (obj->users || obj->type == IOMMUFD_OBJ_DEVICE ||
	    obj->type == IOMMUFD_OBJ_ACCESS)
		return -EBUSY;
	destroy_object(ucmd->ictx, obj);
	return 0;
}

/* ---- framing --------------------------------------------------------- */

int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t size)
{
	memcpy(ucmd->ubuffer, ucmd->cmd,
	       size < ucmd->user_size ? size : ucmd->user_size);
	return 0;
}

union ucmd_buffer {
	struct iommu_destroy destroy;
	struct iommu_ioas_alloc alloc;
	struct iommu_ioas_allow_iovas allow_iovas;
	struct iommu_ioas_copy copy;
	struct iommu_ioas_iova_ranges iova_ranges;
	struct iommu_ioas_map map;
	struct iommu_ioas_unmap unmap;
	struct iommu_option option;
	struct iommu_vfio_ioas vfio_ioas;
	struct iommu_hwpt_alloc hwpt;
	struct iommu_hw_info info;
	struct iommu_hwpt_set_dirty_tracking set_dirty;
	struct iommu_hwpt_get_dirty_bitmap get_dirty;
};

struct iommufd_ioctl_op {
	unsigned long request;
	uint32_t size;                 /* the kernel's struct */
	uint32_t min_size;             /* through the last mandatory field */
	int (*execute)(struct iommufd_ucmd *ucmd);
};

#define OFFSETOFEND(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))
#define IOCTL_OP(req, fn, type, last)                                     \
	[_IOC_NR(req) - IOMMUFD_CMD_BASE] = {                             \
		req, sizeof(type), OFFSETOFEND(type, last), fn }

/* IOMMU_VFIO_IOAS answers -ENOTTY: the VFIO-compat container on
 * /dev/iommu is not provided (Partita has type1 itself). */
static const struct iommufd_ioctl_op ioctl_ops[] = {
	IOCTL_OP(IOMMU_DESTROY, iommufd_destroy, struct iommu_destroy, id),
	IOCTL_OP(IOMMU_IOAS_ALLOC, iommufd_ioas_alloc_ioctl,
		 struct iommu_ioas_alloc, out_ioas_id),
	IOCTL_OP(IOMMU_IOAS_ALLOW_IOVAS, iommufd_ioas_allow_iovas,
		 struct iommu_ioas_allow_iovas, allowed_iovas),
	IOCTL_OP(IOMMU_IOAS_COPY, iommufd_ioas_copy, struct iommu_ioas_copy,
		 src_iova),
	IOCTL_OP(IOMMU_IOAS_IOVA_RANGES, iommufd_ioas_iova_ranges,
		 struct iommu_ioas_iova_ranges, out_iova_alignment),
	IOCTL_OP(IOMMU_IOAS_MAP, iommufd_ioas_map, struct iommu_ioas_map, iova),
	IOCTL_OP(IOMMU_IOAS_UNMAP, iommufd_ioas_unmap, struct iommu_ioas_unmap,
		 length),
	IOCTL_OP(IOMMU_OPTION, iommufd_option, struct iommu_option, val64),
	IOCTL_OP(IOMMU_HWPT_ALLOC, iommufd_hwpt_alloc, struct iommu_hwpt_alloc,
		 __reserved),
	IOCTL_OP(IOMMU_GET_HW_INFO, iommufd_get_hw_info, struct iommu_hw_info,
		 __reserved),
	IOCTL_OP(IOMMU_HWPT_SET_DIRTY_TRACKING, iommufd_hwpt_set_dirty_tracking,
		 struct iommu_hwpt_set_dirty_tracking, __reserved),
	IOCTL_OP(IOMMU_HWPT_GET_DIRTY_BITMAP, iommufd_hwpt_get_dirty_bitmap,
		 struct iommu_hwpt_get_dirty_bitmap, data),
};

static long iommufd_ioctl(struct sys_file *file, unsigned long request,
			  void *arg)
{
	struct iommufd_ucmd ucmd = { .ictx = file->priv, .ubuffer = arg };
	const struct iommufd_ioctl_op *op;
	union ucmd_buffer buf;
	unsigned nr = _IOC_NR(request);

	if (nr < IOMMUFD_CMD_BASE ||
	    nr - IOMMUFD_CMD_BASE >= ARRAY_SIZE(ioctl_ops))
		return -ENOTTY;
	op = &ioctl_ops[nr - IOMMUFD_CMD_BASE];
	if (!op->execute || op->request != request)
		return -ENOTTY;
	if (!arg)
		return -EFAULT;
	memcpy(&ucmd.user_size, arg, sizeof(ucmd.user_size));
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	/* Bytes past what the kernel knows must be zero. */
	for (uint32_t i = op->size; i < ucmd.user_size; i++)
		if (((const uint8_t *)arg)[i])
			return -E2BIG;
	memset(&buf, 0, sizeof(buf));
	memcpy(&buf, arg, ucmd.user_size < op->size ? ucmd.user_size : op->size);
	ucmd.cmd = &buf;
	return op->execute(&ucmd);
}

/* ---- the file ------------------------------------------------------------ */

static void iommufd_release(struct sys_file *file)
{
	struct iommufd_ctx *ictx = file->priv;

	/* Devices hold the file while bound, so none is left: HWPTs go
	 * first (they hold their IOAS), then the rest. */
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t id = 1; id < ictx->nobjs; id++) {
			struct iommufd_object *obj = ictx->objs[id];

			if (obj && (pass || obj->type == IOMMUFD_OBJ_HWPT_PAGING))
				destroy_object(ictx, obj);
		}
	heap_free(ictx->objs);
	heap_free(ictx);
}

static const struct sys_file_ops iommufd_fops = {
	.ioctl = iommufd_ioctl,
	.release = iommufd_release,
};

struct iommufd_ctx *iommufd_ctx_from_file(struct sys_file *file)
{
	return sys_file_priv_of(file, &iommufd_fops);
}

static int iommufd_open(struct sys *sys, void *opaque, struct sys_file **out)
{
	struct iommufd_ctx *ictx = sys_file_open_new(sys, &iommufd_fops,
						     sizeof(*ictx), out);

	if (IS_ERR(ictx))
		return (int)PTR_ERR(ictx);
	ictx->sys = sys;
	return 0;
}

int iommufd_register(struct sys *sys)
{
	return sys_ns_add_chardev(sys, "/dev/iommu", IOMMUFD_CHARDEV_MAJOR,
				  IOMMUFD_CHARDEV_MINOR, iommufd_open, NULL);
}
