/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -selftest dma: every assigned device whose DMA engine the self-test can
 * drive copies a pattern (from its own partition's RAM) into
 *   - its own partition's RAM: the copy must complete and land;
 *   - every other partition's RAM (at the address that partition's own
 *     devices reach it by): it must fault and leave the memory as it
 *     was;
 *   - the manager's own memory (mapped in no partition): the same (a
 *     device with a narrow DMA mask, edu's 28 bits, aims at that address
 *     cut to its mask: the check is then that an address no partition
 *     maps faults).
 * The device is programmed the way its partition would: through its
 * registers in the partition's address space (the VFIO region), so the
 * whole path is exercised; a CCW subchannel runs a channel program (WRITE
 * the pattern into the device, READ it back to the target) written into
 * its partition's RAM, whose addresses the driver translates, and a
 * program it refuses counts as the fault. Devices without a known engine
 * (AP queues do no DMA) are listed as not tested; they never count as
 * passed.
 *
 * The copies run in rounds: one copy of every partition at once (its
 * devices take turns: they share its self-test pages), each device aiming
 * at a page of the manager's memory of its own, so a round costs one copy
 * (edu's: a 100 ms timer per transfer) however many partitions there are.
 * A copy that must fault moves at most 64 bytes, so that every device's
 * fault records fit the IOMMU's event queue together.
 */
#ifndef PARTITA_CORE_SELFTEST_H
#define PARTITA_CORE_SELFTEST_H

/* The exit status of a run whose -selftest dma could make no check (no
 * device with a DMA engine it drives): automake's and kvm-unit-tests'
 * "skipped", so that no pipeline reads it as a pass. 0 stays "every
 * check passed", 2 "isolation failed". */
#define SELFTEST_EXIT_UNTESTED 77

#include <stdbool.h>
#include <stdint.h>

struct manager;

enum selftest_target { SELFTEST_OWN, SELFTEST_OTHER, SELFTEST_UNMAPPED };

struct selftest_check {
	const char *partition;       /* the device's */
	const char *device;
	enum selftest_target target;
	const char *target_name;     /* own partition, the other's id, "manager" */
	uint64_t address;            /* the DMA address written */
	bool completed;              /* the engine reported success */
	bool faulted;                /* the engine or the IOMMU reported a
	                              * fault */
	bool timed_out;              /* the engine never finished */
	const char *fault_what;      /* the IOMMU's record, or NULL */
	uint64_t fault_addr;
	uint32_t fault_stream;
	/* Nothing landed and no fault record came, on a board whose IOMMU
	 * may drop records (board.faults_lossy): blocked by the memory's
	 * evidence alone. */
	bool unrecorded;
	bool landed;                 /* the pattern is in the target */
	bool changed;                /* the target memory changed */
	bool pass;
};

struct selftest_untested {
	const char *partition, *device, *why;
};

struct selftest_result {
	struct selftest_check *checks;
	unsigned nchecks, failures;
	struct selftest_untested *untested;
	unsigned nuntested;
	bool ran;
};

/* Run the DMA self-test over m's partitions; false only when out of
 * memory (failures are in r). */
bool selftest_dma(struct manager *m, struct selftest_result *r);
void selftest_result_free(struct selftest_result *r);

#endif
