/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A subchannel of the host board's channel subsystem with a simple device
 * behind it: 16 KiB of device storage that WRITE fills from memory and
 * READ copies to memory (each command from the storage's start, data
 * chaining continuing where the last CCW stopped), and NOOP. Like real
 * channel I/O it has no IOMMU: every address of a program is absolute,
 * read and written through the board's physical address space. Tests use
 * it to show that vfio-ccw's translation is what keeps a partition's
 * programs inside the partition.
 */
#ifndef PARTITA_SIM_SUBCHANNEL_H
#define PARTITA_SIM_SUBCHANNEL_H

#include <partita/ccw.h>
#include <partita/mm/memory.h>

#define SIM_SCH_STORE_SIZE  16384u
#define SIM_SCH_MAX_CCWS    1024u     /* then a program check: no loops */

struct sim_subchannel;

struct sim_subchannel *sim_subchannel_create(AddressSpace *mem);
void sim_subchannel_destroy(struct sim_subchannel *s);
/* The device's storage, for tests to fill and inspect. */
uint8_t *sim_subchannel_store(struct sim_subchannel *s);
/* Start subchannel: run the format-1 program at absolute address cpa to
 * its end (format-2 IDAWs); the status as the interruption reports it.
 * How many programs have run, for tests. */
void sim_subchannel_start(struct sim_subchannel *s, uint32_t cpa,
			  struct ccw_status *st);
unsigned sim_subchannel_starts(const struct sim_subchannel *s);

#endif
