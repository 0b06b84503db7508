// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Accesses: how a mediated device (no IOMMU of its own) is bound to an
 * iommufd, as Linux's iommufd_access. It attaches to an IOAS only (a HWPT
 * has no meaning without an IOMMU: -ENOENT, as Linux's iommufd_get_ioas),
 * holds that IOAS while attached, and lets the device's driver pin and
 * copy through the IOAS's areas. Every area is mapped user memory of the
 * caller, so an IOVA the IOAS does not map is refused: the driver cannot
 * reach anything the user did not give the device.
 */
#include "iommufd-private.h"
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>

struct iommufd_access {
	struct iommufd_object obj;
	struct iommufd_ctx *ictx;
	struct device *dev;
	struct iommufd_ioas *ioas;      /* attached to, or NULL */
};

static struct umem *access_umem(struct iommufd_access *acc)
{
	return sys_umem(acc->ictx->sys);
}

/* ---- pin, unpin, copy ---------------------------------------------------- */

struct pin_walk {
	struct iommufd_access *acc;
	uint64_t iova;                  /* of pa[0] */
	uint64_t *pa;
	uint64_t done;                  /* pinned up to here */
};

static int pin_piece(void *opaque, uint64_t iova, uint64_t uva, uint64_t len)
{
	struct pin_walk *w = opaque;
	int ret;

	if (iova % PAGE_SIZE || uva % PAGE_SIZE || len % PAGE_SIZE)
		return -EINVAL;
	ret = umem_pin_pages(access_umem(w->acc), uva, len / PAGE_SIZE,
			     w->pa + (iova - w->iova) / PAGE_SIZE);
	if (!ret)
		w->done = iova + len;
	return ret;
}

static int unpin_piece(void *opaque, uint64_t iova, uint64_t uva, uint64_t len)
{
	(void)iova;
	umem_unpin(access_umem(opaque), uva, len);
	return 0;
}

static void access_unpin(void *owner, uint64_t iova, size_t npage)
{
	struct iommufd_access *acc = owner;

	if (acc->ioas && npage)
		iopt_access_walk(&acc->ioas->iopt, iova, npage * PAGE_SIZE, false,
				 unpin_piece, acc);
}

static int access_pin(void *owner, uint64_t iova, size_t npage, int prot,
		      uint64_t *pa)
{
	struct iommufd_access *acc = owner;
	struct pin_walk w = { acc, iova, pa, iova };
	int ret;

	if (!acc->ioas)
		return -EINVAL;
	if (!npage || iova % PAGE_SIZE)
		return -EINVAL;
	ret = iopt_access_walk(&acc->ioas->iopt, iova, npage * PAGE_SIZE,
			       prot & IOMMU_WRITE, pin_piece, &w);
	if (ret && w.done > iova)
		access_unpin(acc, iova, (w.done - iova) / PAGE_SIZE);
	return ret;
}

struct copy_walk {
	struct iommufd_access *acc;
	uint64_t iova;                  /* of buf[0] */
	uint8_t *buf;
	bool write;
};

static int check_piece(void *opaque, uint64_t iova, uint64_t uva, uint64_t len)
{
	(void)iova;
	return umem_is_ram(access_umem(opaque), uva, len) ? 0 : -EFAULT;
}

static int copy_piece(void *opaque, uint64_t iova, uint64_t uva, uint64_t len)
{
	struct copy_walk *w = opaque;

	return umem_copy(access_umem(w->acc), uva, w->buf + (iova - w->iova), len,
			 w->write);
}

static int access_rw(void *owner, uint64_t iova, void *buf, size_t len,
		     bool write)
{
	struct iommufd_access *acc = owner;
	struct copy_walk w = { acc, iova, buf, write };

	int ret;

	if (!acc->ioas)
		return -EINVAL;
	/* All or nothing: every byte is checked before one is copied. */
	ret = iopt_access_walk(&acc->ioas->iopt, iova, len, write, check_piece,
			       acc);
	if (!ret)
		ret = iopt_access_walk(&acc->ioas->iopt, iova, len, write,
				       copy_piece, &w);
	return ret;
}

static const struct vfio_dma_access_ops access_ops = {
	.pin = access_pin,
	.unpin = access_unpin,
	.rw = access_rw,
};

/* ---- life ------------------------------------------------------------------ */

struct iommufd_access *iommufd_access_bind(struct iommufd_ctx *ictx,
					   struct device *dev, uint32_t *id)
{
	struct iommufd_access *acc;
	int err;

	if (!dev->group || !dev->group->emulated)
		return ERR_PTR(-ENODEV);
	if (dev->owner != DEVICE_OWNER_NONE)
		return ERR_PTR(-EBUSY);
	acc = heap_zalloc(sizeof(*acc));
	if (!acc)
		return ERR_PTR(-ENOMEM);
	acc->obj.type = IOMMUFD_OBJ_ACCESS;
	acc->ictx = ictx;
	acc->dev = dev;
	err = iommufd_object_add(ictx, &acc->obj);
	if (err) {
		heap_free(acc);
		return ERR_PTR(err);
	}
	dev->owner = DEVICE_OWNER_USER;
	*id = acc->obj.id;
	return acc;
}

int iommufd_access_attach(struct iommufd_access *acc, uint32_t pt_id)
{
	struct iommufd_ioas *ioas = iommufd_get_ioas(acc->ictx, pt_id);

	if (!ioas)
		return -ENOENT;
	if (acc->ioas == ioas)
		return 0;
	/* Replace: the new IOAS is held before the old one is let go. */
	ioas->obj.users++;
	if (acc->ioas)
		acc->ioas->obj.users--;
	acc->ioas = ioas;
	vfio_core_device_set_dma_access(acc->dev, &access_ops, acc);
	return 0;
}

void iommufd_access_detach(struct iommufd_access *acc)
{
	if (!acc->ioas)
		return;
	vfio_core_device_set_dma_access(acc->dev, NULL, NULL);
	acc->ioas->obj.users--;
	acc->ioas = NULL;
}

void iommufd_access_unbind(struct iommufd_access *acc)
{
	iommufd_access_detach(acc);
	iommufd_object_remove(acc->ictx, &acc->obj);
	acc->dev->owner = DEVICE_OWNER_NONE;
	heap_free(acc);
}
