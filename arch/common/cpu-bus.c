// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CPU's view of the bus (include/partita/arch/cpu-bus.h), and
 * board_ram_ptr for the boards whose RAM the CPU addresses directly.
 */
#include <partita/arch/board.h>
#include <partita/arch/cpu-bus.h>
#include <partita/byteorder.h>

static uint64_t bus_read(void *opaque, uint64_t addr, unsigned size)
{
	uintptr_t a = (uintptr_t)addr;

	(void)opaque;
	switch (size) {
	case 1: return *(volatile uint8_t *)a;
	case 2: return le16_to_cpu(*(volatile uint16_t *)a);
	case 4: return le32_to_cpu(*(volatile uint32_t *)a);
	default: return le64_to_cpu(*(volatile uint64_t *)a);
	}
}

static void bus_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	uintptr_t a = (uintptr_t)addr;

	(void)opaque;
	switch (size) {
	case 1: *(volatile uint8_t *)a = (uint8_t)v; break;
	case 2: *(volatile uint16_t *)a = cpu_to_le16((uint16_t)v); break;
	case 4: *(volatile uint32_t *)a = cpu_to_le32((uint32_t)v); break;
	default: *(volatile uint64_t *)a = cpu_to_le64(v); break;
	}
	/* A device register written is written before what follows. */
#if defined(__aarch64__)
	__asm__ volatile("dsb sy" ::: "memory");
#else
	__sync_synchronize();
#endif
}

static const MemoryRegionOps bus_ops = {
	.read = bus_read,
	.write = bus_write,
	.max_access_size = 8,
};

bool cpu_bus_init(struct cpu_bus *cb, uint64_t size, Error **errp)
{
	memory_context_init(&cb->ctx);
	if (!memory_region_init(&cb->root, &cb->ctx, "phys", UINT64_MAX, errp))
		goto no_root;
	if (!memory_region_init_io(&cb->bus, &cb->ctx, &bus_ops, cb, "bus", size,
				   errp))
		goto no_bus;
	if (!memory_region_add_subregion(&cb->root, 0, &cb->bus, errp))
		goto not_added;
	if (!address_space_init(&cb->as, &cb->root, "phys", errp))
		goto no_as;
	cb->inited = true;
	return true;
no_as:
	memory_region_del_subregion(&cb->root, &cb->bus, NULL);
not_added:
	memory_region_finalize(&cb->bus);
no_bus:
	memory_region_finalize(&cb->root);
no_root:
	memory_context_destroy(&cb->ctx);
	return false;
}

void cpu_bus_fini(struct cpu_bus *cb)
{
	if (!cb->inited)
		return;
	address_space_destroy(&cb->as);
	memory_region_del_subregion(&cb->root, &cb->bus, NULL);
	memory_region_finalize(&cb->bus);
	memory_region_finalize(&cb->root);
	memory_context_destroy(&cb->ctx);
	cb->inited = false;
}

void *board_ram_ptr(struct board *b, uint64_t pa, uint64_t len)
{
	if (pa < b->ram_base || pa - b->ram_base > b->ram_size ||
	    len > b->ram_size - (pa - b->ram_base))
		return NULL;
	return (void *)(uintptr_t)pa;
}
