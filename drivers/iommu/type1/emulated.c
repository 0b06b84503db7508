// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mediated devices in a type1 container (Linux's emulated IOMMU groups):
 * no domain; the device's driver pins and copies through the container's
 * mappings, page by page, with Linux's errnos (vfio_iommu_type1_pin_pages
 * and _dma_rw): -EACCES before a v2 IOMMU, -EINVAL where nothing is
 * mapped, -EPERM for a write to a read-only mapping.
 */
#include "type1-private.h"
#include <partita/errno.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>

static struct umem *umem_of(struct type1_container *c)
{
	return sys_umem(c->file->sys);
}

/* The user address behind iova, if a usable mapping with prot has it. */
static int lookup(struct type1_container *c, uint64_t iova, int prot,
		  struct vfio_dma **out)
{
	struct vfio_dma *dma = type1_find_dma(c, iova, iova);

	if (!dma || dma->vaddr_invalid)
		return -EINVAL;
	if ((dma->prot & prot) != prot)
		return -EPERM;
	*out = dma;
	return 0;
}

static void emulated_unpin(void *owner, uint64_t iova, size_t npage)
{
	struct type1_container *c = owner;

	for (size_t i = 0; i < npage; i++, iova += PAGE_SIZE) {
		struct vfio_dma *dma = type1_find_dma(c, iova, iova);

		if (dma)
			umem_unpin(umem_of(c), dma->vaddr + (iova - dma->node.start),
				   PAGE_SIZE);
	}
}

static int emulated_pin(void *owner, uint64_t iova, size_t npage, int prot,
			uint64_t *pa)
{
	struct type1_container *c = owner;
	size_t i;
	int ret = 0;

	if (!c->v2)
		return -EACCES;
	if (!npage || iova % PAGE_SIZE)
		return -EINVAL;
	for (i = 0; i < npage; i++) {
		uint64_t at = iova + i * PAGE_SIZE;
		struct vfio_dma *dma;

		ret = lookup(c, at, prot, &dma);
		if (!ret)
			ret = umem_pin_pages(umem_of(c),
					     dma->vaddr + (at - dma->node.start), 1,
					     &pa[i]);
		if (ret)
			break;
	}
	if (ret)
		emulated_unpin(c, iova, i);
	return ret;
}

static int emulated_rw(void *owner, uint64_t iova, void *buf, size_t len,
		       bool write)
{
	struct type1_container *c = owner;
	uint8_t *p = buf;

	/* Check everything before copying anything. */
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t done = 0; done < len;) {
			struct vfio_dma *dma;
			uint64_t at = iova + done, n, uva;
			int ret = lookup(c, at, write ? IOMMU_WRITE : IOMMU_READ, &dma);

			if (ret)
				return ret;
			n = dma->node.last - at + 1;
			if (n > len - done || !n)
				n = len - done;
			uva = dma->vaddr + (at - dma->node.start);
			if (!pass && !umem_is_ram(umem_of(c), uva, n))
				return -EFAULT;
			if (pass)
				umem_copy(umem_of(c), uva, p + done, n, write);
			done += n;
		}
	}
	return 0;
}

static const struct vfio_dma_access_ops emulated_ops = {
	.pin = emulated_pin,
	.unpin = emulated_unpin,
	.rw = emulated_rw,
};

void type1_emulated_attach(struct type1_container *c, struct type1_group *g)
{
	for (size_t i = 0; i < g->group->ndevices; i++) {
		vfio_core_device_set_dma_access(g->group->devices[i],
						&emulated_ops, c);
	}
}

void type1_emulated_detach(struct type1_group *g)
{
	for (size_t i = 0; i < g->group->ndevices; i++) {
		vfio_core_device_set_dma_access(g->group->devices[i], NULL,
						NULL);
	}
}
