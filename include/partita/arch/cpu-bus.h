/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the firmware boards share (arch/common/cpu-bus.c): the CPU's own
 * view of the bus as an address space, every access a load or store at
 * its absolute address (the firmware runs identity-mapped, or with DAT
 * off), values little-endian as the memory API speaks them; and the
 * board's RAM as the CPU's pointers. Not a hook: boards call it.
 */
#ifndef PARTITA_ARCH_CPU_BUS_H
#define PARTITA_ARCH_CPU_BUS_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <stdbool.h>

struct cpu_bus {
	MemoryContext ctx;
	MemoryRegion root, bus;
	AddressSpace as;
	bool inited;
};

/* [0, size) of the CPU's physical space as cb->as; on failure nothing. */
bool cpu_bus_init(struct cpu_bus *cb, uint64_t size, Error **errp);
void cpu_bus_fini(struct cpu_bus *cb);

#endif
