/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Objects and ioctl plumbing shared by the iommufd files. */
#ifndef IOMMUFD_PRIVATE_H
#define IOMMUFD_PRIVATE_H

#include "io-pagetable.h"
#include <partita/iommu/iommufd.h>
#include <partita/sys/fd.h>
#include <uapi/linux/iommufd.h>

enum iommufd_object_type {
	IOMMUFD_OBJ_ANY,
	IOMMUFD_OBJ_DEVICE,
	IOMMUFD_OBJ_HWPT_PAGING,
	IOMMUFD_OBJ_IOAS,
	IOMMUFD_OBJ_ACCESS,
};

struct iommufd_object {
	uint32_t id;                 /* from 1, lowest free */
	enum iommufd_object_type type;
	unsigned users;              /* what else holds it: destroy is -EBUSY */
};

struct iommufd_ctx {
	struct sys *sys;
	struct iommufd_object **objs;   /* indexed by id */
	uint32_t nobjs;
	uint64_t account_mode;          /* IOMMU_OPTION_RLIMIT_MODE */
};

struct iommufd_hwpt;

struct iommufd_ioas {
	struct iommufd_object obj;
	struct io_pagetable iopt;
	struct iommufd_hwpt *hwpts;     /* every HWPT over this IOAS */
};

struct iommufd_hwpt {
	struct iommufd_object obj;      /* users: devices attached */
	struct iommufd_ctx *ictx;
	struct iommufd_ioas *ioas;
	struct iommu_domain *domain;
	bool auto_domain;               /* made by ATTACH, dies with its last device */
	bool dirty;                     /* allocated with DIRTY_TRACKING */
	struct iommufd_hwpt *next;      /* in ioas->hwpts */
};

struct iommufd_device {
	struct iommufd_object obj;
	struct iommufd_ctx *ictx;
	struct device *dev;
	struct iommufd_hwpt *hwpt;      /* attached to, or NULL */
};

/* An ioctl in flight: the caller's buffer and the kernel copy. */
struct iommufd_ucmd {
	struct iommufd_ctx *ictx;
	void *ubuffer;
	uint32_t user_size;
	void *cmd;
};

/* Copy the first size bytes of cmd back (no more than the caller gave). */
int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t size);

/* Objects: add gives an ID (-ENOMEM); get returns NULL for a missing ID
 * or another type (IOMMUFD_OBJ_ANY matches all). */
int iommufd_object_add(struct iommufd_ctx *ictx, struct iommufd_object *obj);
void iommufd_object_remove(struct iommufd_ctx *ictx, struct iommufd_object *obj);
struct iommufd_object *iommufd_get_object(struct iommufd_ctx *ictx, uint32_t id,
					  enum iommufd_object_type type);

static inline struct iommufd_ioas *iommufd_get_ioas(struct iommufd_ctx *ictx,
						    uint32_t id)
{
	return (struct iommufd_ioas *)iommufd_get_object(ictx, id,
							 IOMMUFD_OBJ_IOAS);
}

/* ioas.c */
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd);
int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd);
int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd);
int iommufd_ioas_map(struct iommufd_ucmd *ucmd);
int iommufd_ioas_copy(struct iommufd_ucmd *ucmd);
int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd);
int iommufd_option(struct iommufd_ucmd *ucmd);
void iommufd_ioas_destroy(struct iommufd_ctx *ictx, struct iommufd_ioas *ioas);

/* hw-pagetable.c */
struct iommufd_hwpt *iommufd_hwpt_paging_alloc(struct iommufd_ctx *ictx,
					       struct iommufd_ioas *ioas,
					       struct iommufd_device *idev,
					       uint32_t flags, bool auto_domain);
void iommufd_hwpt_destroy(struct iommufd_ctx *ictx, struct iommufd_hwpt *hwpt);
int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_set_dirty_tracking(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd);

/* device.c */
int iommufd_get_hw_info(struct iommufd_ucmd *ucmd);

#endif
