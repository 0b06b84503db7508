/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DMA testers: one small driver per DMA engine the isolation self-test
 * can drive (QEMU's edu, the simulated board's engine, a CCW subchannel's
 * channel programs), each programming its device as the partition's own
 * driver would: through the device's registers in the partition's address
 * space, so the whole path (the front's regions, the listener's mappings,
 * the IOMMU) is what gets tested. The self-test (core/selftest-dma.c) asks
 * the table which driver takes a device, then only copies.
 *
 * A driver:
 *  - probe: can it drive this device, and what can the device reach (its
 *    DMA mask, how many bytes one copy moves); prepares the device
 *    (decode, bus mastering) when it takes it;
 *  - copy: len bytes from src to dst, both addresses as the partition's
 *    devices see memory: done, faulted (the device says so, or the
 *    channel refused the program), or timed out; or, instead, start and
 *    poll (below);
 *  - last_fault (optional): the address the device itself reports for its
 *    last faulting access. Engines that drop a faulting DMA silently
 *    (edu) have none: the IOMMU's fault record, which the board reads, is
 *    the only witness.
 *  - fills: the engine writes data of its own (virtio-rng's random
 *    bytes), so a copy has no source: what it moved is judged by the len
 *    bytes at dst having changed, and nothing after them.
 *  - start, poll (instead of copy, together): the copy in two halves, so
 *    that the self-test can run one on every device at once (edu's each
 *    take 100 ms of a timer): start returns DMA_TEST_BUSY (or a result at
 *    once), poll DMA_TEST_BUSY until it ends. A driver with copy only has
 *    it called by dma_test_start; one with start and poll only is polled
 *    to the end by dma_test_copy.
 */
#ifndef PARTITA_DMA_TEST_H
#define PARTITA_DMA_TEST_H

#include <partita/bus/bus.h>
#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

/* The device as its partition sees it. The last three pages of the RAM
 * are the self-test's: the last two hold its source and destination, a
 * driver may use the third-last for its own structures (a channel
 * program). */
struct dma_test_target {
	AddressSpace *as;            /* the partition's address space */
	enum bus_kind kind;          /* which front drives it */
	void *dev;                   /* that front's device (vfio_pci_device...) */
	uint8_t *ram;                /* the partition's RAM, the CPU's view */
	uint64_t ram_addr, ram_size; /* where the partition sees it */
	/* x-allow-iommu-bypass: drive a device even though its DMA ignores
	 * the IOMMU (to show that the self-test catches it). */
	bool allow_bypass;
};

enum dma_test_result {
	DMA_TEST_DONE, DMA_TEST_FAULT, DMA_TEST_TIMEOUT,
	DMA_TEST_BUSY,               /* started, not ended (start, poll) */
};

struct dma_tester;

struct dma_test_driver {
	const char *name;
	bool (*probe)(struct dma_tester *t);
	enum dma_test_result (*copy)(struct dma_tester *t, uint64_t src,
				     uint64_t dst, uint64_t len);
	bool (*last_fault)(struct dma_tester *t, uint64_t *addr);
	/* same_source: src holds what it held at the last copy started on
	 * this tester (a driver that keeps a copy may skip reading it). */
	enum dma_test_result (*start)(struct dma_tester *t, uint64_t src,
				      uint64_t dst, uint64_t len,
				      bool same_source);
	enum dma_test_result (*poll)(struct dma_tester *t);
	bool fills;
};

struct dma_tester {
	const struct dma_test_driver *drv;
	struct dma_test_target target;
	uint64_t regs;               /* the engine's registers, in the partition */
	uint64_t scratch;            /* the third-last page, partition address */
	uint64_t dma_mask;           /* what the device can aim at */
	uint32_t len;                /* bytes one copy moves */
	uint64_t priv[8];            /* the driver's own state */
	enum dma_test_result result; /* of a copy run through copy */
};

/* The first driver of the table that takes the device: true with *t set
 * up for it; false when none can drive it. */
bool dma_test_probe(const struct dma_test_target *target, struct dma_tester *t);
enum dma_test_result dma_test_copy(struct dma_tester *t, uint64_t src,
				   uint64_t dst, uint64_t len);
/* The copy started (see start, poll above), and how it stands. */
enum dma_test_result dma_test_start(struct dma_tester *t, uint64_t src,
				    uint64_t dst, uint64_t len, bool same_source);
enum dma_test_result dma_test_poll(struct dma_tester *t);
/* false when the device reports nothing (no fault, or no such register). */
bool dma_test_last_fault(struct dma_tester *t, uint64_t *addr);

/* The drivers (one file each), for the table in dma-test.c. */
extern const struct dma_test_driver dma_test_edu;
extern const struct dma_test_driver dma_test_sim_engine;
extern const struct dma_test_driver dma_test_ccw;
extern const struct dma_test_driver dma_test_virtio_rng;
extern const struct dma_test_driver dma_test_ccw_sense_id;

#endif
