// SPDX-License-Identifier: GPL-2.0-or-later
/* Partitions: RAM, address space, devices, state. */
#include <partita/arch/board.h>
#include <partita/core/partition.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/vfio/address-space.h>
#include <partita/vfio/device.h>
#include <partita/vfio/registry.h>
#include <partita/virt/guest.h>
#include <stdio.h>
#include <string.h>

const char *partition_state_name(enum partition_state s)
{
	switch (s) {
	case PARTITION_CREATED: return "created";
	case PARTITION_RUNNING: return "running";
	case PARTITION_STOPPED: return "stopped";
	case PARTITION_FAILED: return "failed";
	}
	return "?";
}

/* A platform device raised one of the partition's lines: there is no
 * CPU to take it, so it is counted (the self-test and the report read
 * the count). */
static void partition_irq_raise(void *opaque, unsigned irq)
{
	struct partition *p = opaque;

	p->irqs_raised++;
	pr_debug("%s: interrupt line %u raised", p->id, irq);
}

struct partition *partition_create(struct board *b, MemoryContext *ctx,
				   struct vfio_registry *reg, const char *id,
				   uint64_t base, uint64_t addr, uint64_t size,
				   Error **errp)
{
	struct partition *p = heap_zalloc(sizeof(*p));
	char name[96];

	if (!p || !(p->id = heap_strdup(id))) {
		heap_free(p);
		error_setg(errp, "partition '%s': out of memory", id);
		return NULL;
	}
	p->ram = board_ram_ptr(b, base, size);
	if (!p->ram) {
		error_setg(errp, "partition '%s': RAM 0x%llx+0x%llx is not the "
			   "board's", id, (unsigned long long)base,
			   (unsigned long long)size);
		goto fail;
	}
	p->ram_base = base;
	p->ram_addr = addr;
	p->ram_size = size;
	p->reg = reg;
	memset(p->ram, 0, size);
	snprintf(name, sizeof(name), "%s.ram", id);
	if (!memory_region_init(&p->root, ctx, id, UINT64_MAX, errp))
		goto fail;
	if (!memory_region_init_ram_ptr(&p->ram_mr, ctx, name, size, p->ram, errp))
		goto fail_root;
	if (!memory_region_add_subregion(&p->root, addr, &p->ram_mr, errp))
		goto fail_ram;
	if (!address_space_init(&p->as, &p->root, id, errp))
		goto fail_sub;
	p->mmio_next = PARTITION_MMIO_BASE;
	p->irq_next = PARTITION_IRQ_BASE;
	p->pl = (struct vfio_placement){
		.as = &p->as, .ctx = ctx, .parent = &p->root,
		.mmio_base = PARTITION_MMIO_BASE,
		.mmio_size = PARTITION_MMIO_SIZE, .next = &p->mmio_next,
		.irq_base = PARTITION_IRQ_BASE, .irq_count = PARTITION_IRQ_COUNT,
		.irq_next = &p->irq_next, .irq_raise = partition_irq_raise,
		.irq_opaque = p,
	};
	p->state = PARTITION_CREATED;
	if (addr == base)
		pr_info("partition %s: RAM 0x%llx-0x%llx (%llu MiB)", id,
			(unsigned long long)base,
			(unsigned long long)(base + size - 1),
			(unsigned long long)(size >> 20));
	else
		pr_info("partition %s: RAM 0x%llx-0x%llx (%llu MiB) at 0x%llx",
			id, (unsigned long long)base,
			(unsigned long long)(base + size - 1),
			(unsigned long long)(size >> 20),
			(unsigned long long)addr);
	return p;
fail_sub:
	memory_region_del_subregion(&p->root, &p->ram_mr, &error_abort);
fail_ram:
	memory_region_finalize(&p->ram_mr);
fail_root:
	memory_region_finalize(&p->root);
fail:
	heap_free(p->id);
	heap_free(p);
	return NULL;
}

struct vfio_device *partition_device_vdev(const struct partition_device *d)
{
	return d->front->vdev(d->dev);
}

/* Setting the properties, and the verdict on those left over. */
static bool set_props(struct vfio_registry *reg,
		      const struct partition_front *front, void *dev,
		      struct opts *opts, Error **errp)
{
	const char *unused;

	if (!front->set_props(reg, dev, opts, errp))
		return false;
	unused = opts_first_unused(opts);
	if (unused) {
		error_setg(errp, "Property '%s.%s' not found", front->driver,
			   unused);
		return false;
	}
	return true;
}

bool partition_check_device(struct vfio_registry *reg,
			    const struct partition_front *front,
			    struct opts *opts, char **sysfsdev, Error **errp)
{
	void *dev = heap_zalloc(front->size);
	const char *path;
	bool ok;

	*sysfsdev = NULL;
	if (!dev) {
		error_setg(errp, "out of memory");
		return false;
	}
	front->init(dev);
	ok = set_props(reg, front, dev, opts, errp);
	if (ok)
		ok = front->locate(reg, dev, errp);
	/* Whatever it located, also when that was refused. */
	path = front->vdev(dev)->sysfsdev;
	if (path && !(*sysfsdev = heap_strdup(path)) && ok) {
		error_setg(errp, "out of memory");
		ok = false;
	}
	front->fini(dev);
	heap_free(dev);
	return ok;
}

bool partition_add_device(struct partition *p,
			  const struct partition_front *front,
			  const char *text, struct opts *opts,
			  const struct bus_device_info *hw, Error **errp)
{
	struct partition_device *d = heap_zalloc(sizeof(*d));

	if (!d || !(d->dev = heap_zalloc(front->size)) ||
	    !(d->text = heap_strdup(text))) {
		if (d)
			heap_free(d->dev);
		heap_free(d);
		error_setg(errp, "out of memory");
		return false;
	}
	d->front = front;
	d->hw = hw;
	front->init(d->dev);
	if (!set_props(p->reg, front, d->dev, opts, errp))
		goto fail;
	if (!front->realize(p->reg, d->dev, &p->pl, errp))
		goto fail;
	d->prev = p->last;
	if (p->last)
		p->last->next = d;
	else
		p->devices = d;
	p->last = d;
	p->ndevices++;
	pr_info("partition %s: %s %s", p->id, front->driver,
		partition_device_vdev(d)->name);
	return true;
fail:
	front->fini(d->dev);
	heap_free(d->dev);
	heap_free(d->text);
	heap_free(d);
	return false;
}

static struct vfio_address_space *space_of(struct partition *p)
{
	for (struct vfio_address_space *s = p->reg->spaces; s; s = s->next)
		if (s->as == &p->as)
			return s;
	return NULL;
}

void partition_update_state(struct partition *p)
{
	struct vfio_address_space *s = space_of(p);

	if (p->state == PARTITION_RUNNING && s && s->stopped)
		p->state = PARTITION_FAILED;
}

void partition_start(struct partition *p)
{
	p->state = PARTITION_RUNNING;
	partition_update_state(p);
}

void partition_destroy(struct partition *p)
{
	struct partition_device *d;

	if (!p)
		return;
	/* The guest first: its stage 2 listens to the address space. */
	if (IS_ENABLED(CONFIG_GUESTS) && p->guest)
		guest_destroy(p->guest);
	heap_free(p->guest);
	heap_free(p->guest_cfg);
	/* Devices go in reverse order: the last realized may depend on
	 * the first (a shared group, a shared iommufd object). */
	while ((d = p->last)) {
		p->last = d->prev;
		if (p->last)
			p->last->next = NULL;
		else
			p->devices = NULL;
		d->front->fini(d->dev);
		heap_free(d->dev);
		heap_free(d->text);
		heap_free(d);
	}
	address_space_destroy(&p->as);
	memory_region_del_subregion(&p->root, &p->ram_mr, &error_abort);
	memory_region_finalize(&p->ram_mr);
	memory_region_finalize(&p->root);
	memset(p->ram, 0, p->ram_size);
	p->state = PARTITION_STOPPED;
	heap_free(p->id);
	heap_free(p);
}
