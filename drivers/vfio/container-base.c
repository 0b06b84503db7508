// SPDX-License-Identifier: GPL-2.0-or-later
/* The generic part of every container: dispatch and shared fields. */
#include <stdio.h>
#include <partita/heap.h>
#include <partita/vfio/container-base.h>
#include <assert.h>
#include <string.h>

void vfio_container_init(struct vfio_container_base *bc,
			 const struct vfio_container_ops *ops,
			 const char *backend)
{
	/* Mandatory ops, checked once here rather than at each call. */
	assert(ops && ops->dma_map && ops->dma_unmap);
	memset(bc, 0, sizeof(*bc));
	bc->ops = ops;
	bc->backend = backend;
}

void vfio_container_destroy(struct vfio_container_base *bc)
{
	heap_free(bc->iova_ranges.start);
	heap_free(bc->iova_ranges.last);
	bc->iova_ranges.start = bc->iova_ranges.last = NULL;
	bc->iova_ranges.n = 0;
	error_free(bc->error);
	bc->error = NULL;
}

int vfio_container_dma_map(struct vfio_container_base *bc, uint64_t iova,
			   uint64_t size, void *vaddr, bool readonly)
{
	int ret = bc->ops->dma_map(bc, iova, size, vaddr, readonly);

	if (!ret) {
		bc->dma_mappings++;
		bc->dma_bytes += size;
	}
	return ret;
}

int vfio_container_dma_unmap(struct vfio_container_base *bc, uint64_t iova,
			     uint64_t size)
{
	int ret = bc->ops->dma_unmap(bc, iova, size);

	if (!ret) {
		/* The listener unmaps what it mapped, section by section. */
		if (bc->dma_mappings)
			bc->dma_mappings--;
		bc->dma_bytes -= size < bc->dma_bytes ? size : bc->dma_bytes;
	}
	return ret;
}

void vfio_container_describe(struct vfio_container_base *bc,
			     struct vfio_device *vdev, char *buf, size_t len)
{
	if (bc->ops->describe)
		bc->ops->describe(bc, vdev, buf, len);
	else
		snprintf(buf, len, "%s", bc->backend);
}

int vfio_container_set_dirty_page_tracking(struct vfio_container_base *bc,
					   bool start, Error **errp)
{
	int ret;

	if (!bc->dirty_pages_supported || !bc->ops->set_dirty_page_tracking)
		return 0;
	ret = bc->ops->set_dirty_page_tracking(bc, start, errp);
	if (!ret)
		bc->dirty_tracking = start;
	return ret;
}

int vfio_container_query_dirty_bitmap(struct vfio_container_base *bc,
				      uint64_t *bitmap, uint64_t iova,
				      uint64_t size, Error **errp)
{
	if (!bc->ops->query_dirty_bitmap) {
		error_setg(errp, "vfio: container cannot report dirty pages");
		return -1;
	}
	return bc->ops->query_dirty_bitmap(bc, bitmap, iova, size, errp);
}

bool vfio_container_set_iova_ranges(struct vfio_container_base *bc,
				    const uint64_t *start, const uint64_t *last,
				    unsigned n)
{
	uint64_t *s = heap_calloc(n ? n : 1, sizeof(*s));
	uint64_t *l = heap_calloc(n ? n : 1, sizeof(*l));

	if (!s || !l) {
		heap_free(s);
		heap_free(l);
		return false;
	}
	memcpy(s, start, n * sizeof(*s));
	memcpy(l, last, n * sizeof(*l));
	heap_free(bc->iova_ranges.start);
	heap_free(bc->iova_ranges.last);
	bc->iova_ranges.start = s;
	bc->iova_ranges.last = l;
	bc->iova_ranges.n = n;
	return true;
}
