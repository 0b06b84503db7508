// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A modern virtio-pci driver just big enough for virtio-rng (1af4:1044,
 * virtio 1.x "Virtio over PCI bus"): the common, notify and ISR
 * structures found through the vendor capabilities, one virtqueue of
 * QUEUE_SIZE descriptors in the self-test's scratch page, one
 * device-writable buffer per request. The device fills the buffer with
 * random bytes: the self-test checks that the requested bytes changed
 * and nothing after them (dma_test_driver.fills).
 *
 * The device must offer VIRTIO_F_ACCESS_PLATFORM: without it (QEMU's
 * iommu_platform=off) its DMA goes to physical addresses and ignores the
 * IOMMU, so isolation would be absent, not proven. Such a device is
 * refused, unless the self-test was told x-allow-iommu-bypass=on (to
 * show that the self-test catches it).
 *
 * A request the IOMMU blocks never completes: on zPCI the function goes
 * to the error state and every register then reads as all ones, which
 * is how the wait ends (by state, not by timeout). The device is reset
 * and set up again before the next request.
 */
#include <partita/arch/time.h>
#include <partita/dma-test/dma-test.h>
#include <partita/log.h>
#include <partita/pci.h>
#include <partita/vfio/pci.h>
#include <string.h>

#define VIRTIO_VENDOR           0x1af4
#define VIRTIO_ID_RNG_MODERN    0x1044

#define CAP_CFG_TYPE            3       /* in a vendor capability */
#define CAP_BAR                 4
#define CAP_OFFSET              8
#define CAP_NOTIFY_MULT         16
#define CFG_COMMON              1
#define CFG_NOTIFY              2

#define COMMON_DFSELECT         0x00
#define COMMON_DF               0x04
#define COMMON_GFSELECT         0x08
#define COMMON_GF               0x0c
#define COMMON_STATUS           0x14
#define COMMON_Q_SELECT         0x16
#define COMMON_Q_SIZE           0x18
#define COMMON_Q_MSIX           0x1a
#define COMMON_Q_ENABLE         0x1c
#define COMMON_Q_NOFF           0x1e
#define COMMON_Q_DESC           0x20
#define COMMON_Q_AVAIL          0x28
#define COMMON_Q_USED           0x30

#define STATUS_ACK              0x01
#define STATUS_DRIVER           0x02
#define STATUS_DRIVER_OK        0x04
#define STATUS_FEATURES_OK      0x08
/* Features, in the high word (feature bits 32..63). */
#define F_HI_VERSION_1          (1u << 0)       /* 32 */
#define F_HI_ACCESS_PLATFORM    (1u << 1)       /* 33 */

#define QUEUE_SIZE              8
#define DESC_F_WRITE            2
#define NO_VECTOR               0xffff
/* The scratch page: descriptors, then the available and used rings. */
#define RING_DESC               0x000
#define RING_AVAIL              0x100
#define RING_USED               0x200
#define RNG_LEN                 64u
#define RNG_TIMEOUT_NS          (1000ULL * 1000 * 1000)

/* The driver's state, in the tester (dma_tester.priv). */
struct rng {
	uint64_t common, notify_base, notify;
	uint32_t notify_mult;
	uint16_t avail_idx, used_seen;
	bool ready;                     /* set up; false after a blocked DMA */
};

_Static_assert(sizeof(struct rng) <= sizeof(((struct dma_tester *)0)->priv),
	       "the tester has room for the driver's state");

static struct rng *rng_of(struct dma_tester *t)
{
	return (struct rng *)t->priv;
}

/* ---- little-endian registers and rings ------------------------------- */

static uint64_t rd(struct dma_tester *t, uint64_t addr, unsigned size)
{
	uint8_t b[8] = { 0 };
	uint64_t v = 0;

	if (address_space_rw(t->target.as, addr, b, size, false) != MEMTX_OK)
		return ~0ULL;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void wr(struct dma_tester *t, uint64_t addr, uint64_t v, unsigned size)
{
	uint8_t b[8];

	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	address_space_rw(t->target.as, addr, b, size, true);
}

/* The ring page as the CPU sees it. */
static uint8_t *ring(struct dma_tester *t, unsigned off)
{
	return t->target.ram + (t->scratch - t->target.ram_addr) + off;
}

static void put_le(uint8_t *p, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get_le16(const volatile uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- set-up ----------------------------------------------------------- */

/* Where a vendor capability of cfg_type points in the partition. */
static uint64_t find_cap(struct vfio_pci_device *vpci, uint8_t type,
			 uint32_t *mult)
{
	uint8_t cfg[PCI_CONFIG_SIZE];
	unsigned pos;

	if (vfio_pci_read_config(vpci, 0, cfg, sizeof(cfg)) != sizeof(cfg) ||
	    !(pci_get_word(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	for (pos = cfg[PCI_CAPABILITY_LIST] & ~3u; pos && pos < 0xfc;
	     pos = cfg[pos + 1] & ~3u) {
		unsigned bar = cfg[pos + CAP_BAR];

		if (cfg[pos] != PCI_CAP_ID_VNDR || cfg[pos + CAP_CFG_TYPE] != type ||
		    bar >= 6 || !vpci->bars[bar].size)
			continue;
		if (mult)
			*mult = pci_get_long(cfg + pos + CAP_NOTIFY_MULT);
		return vpci->bars[bar].addr + pci_get_long(cfg + pos + CAP_OFFSET);
	}
	return 0;
}

/* Reset, features, the one queue, DRIVER_OK: false if the device
 * refuses a step (or cannot be reached). */
static bool rng_setup(struct dma_tester *t)
{
	struct rng *r = rng_of(t);
	uint64_t c = r->common, qn;
	uint64_t deadline = arch_time_ns() + RNG_TIMEOUT_NS;

	r->ready = false;
	wr(t, c + COMMON_STATUS, 0, 1);
	while (rd(t, c + COMMON_STATUS, 1) != 0)
		if (arch_time_ns() > deadline)
			return false;
	wr(t, c + COMMON_STATUS, STATUS_ACK | STATUS_DRIVER, 1);
	wr(t, c + COMMON_GFSELECT, 1, 4);
	wr(t, c + COMMON_GF, F_HI_VERSION_1 |
	   (t->target.allow_bypass ? 0 : F_HI_ACCESS_PLATFORM), 4);
	wr(t, c + COMMON_GFSELECT, 0, 4);
	wr(t, c + COMMON_GF, 0, 4);
	wr(t, c + COMMON_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK,
	   1);
	if (!(rd(t, c + COMMON_STATUS, 1) & STATUS_FEATURES_OK))
		return false;
	wr(t, c + COMMON_Q_SELECT, 0, 2);
	if (rd(t, c + COMMON_Q_SIZE, 2) < QUEUE_SIZE)
		return false;
	memset(ring(t, 0), 0, 4096);
	wr(t, c + COMMON_Q_SIZE, QUEUE_SIZE, 2);
	wr(t, c + COMMON_Q_MSIX, NO_VECTOR, 2);
	wr(t, c + COMMON_Q_DESC, t->scratch + RING_DESC, 8);
	wr(t, c + COMMON_Q_AVAIL, t->scratch + RING_AVAIL, 8);
	wr(t, c + COMMON_Q_USED, t->scratch + RING_USED, 8);
	qn = rd(t, c + COMMON_Q_NOFF, 2);
	wr(t, c + COMMON_Q_ENABLE, 1, 2);
	wr(t, c + COMMON_STATUS, STATUS_ACK | STATUS_DRIVER |
	   STATUS_FEATURES_OK | STATUS_DRIVER_OK, 1);
	r->notify = r->notify_base + qn * r->notify_mult;
	r->avail_idx = r->used_seen = 0;
	r->ready = true;
	return true;
}

static bool rng_probe(struct dma_tester *t)
{
	struct vfio_pci_device *vpci = t->target.dev;
	struct rng *r = rng_of(t);
	uint32_t mult = 0, hi;
	uint8_t cmd[2] = { PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0 };

	if (t->target.kind != BUS_PCI || vpci->vendor_id != VIRTIO_VENDOR ||
	    vpci->device_id != VIRTIO_ID_RNG_MODERN)
		return false;
	r->common = find_cap(vpci, CFG_COMMON, NULL);
	r->notify_base = find_cap(vpci, CFG_NOTIFY, &mult);
	r->notify_mult = mult;
	if (!r->common || !r->notify_base) {
		pr_warn("selftest: %s: a virtio-rng without modern virtio "
			"capabilities (disable-legacy=on is needed)",
			vpci->vbase.name);
		return false;
	}
	vfio_pci_write_config(vpci, PCI_COMMAND, cmd, 2);
	wr(t, r->common + COMMON_DFSELECT, 1, 4);
	hi = (uint32_t)rd(t, r->common + COMMON_DF, 4);
	if (!(hi & F_HI_ACCESS_PLATFORM)) {
		if (!t->target.allow_bypass) {
			pr_warn("selftest: %s: the virtio device does not offer "
				"VIRTIO_F_ACCESS_PLATFORM (iommu_platform=off): "
				"its DMA bypasses the IOMMU; refused",
				vpci->vbase.name);
			return false;
		}
		pr_warn("selftest: %s: x-allow-iommu-bypass: driving a virtio "
			"device whose DMA bypasses the IOMMU", vpci->vbase.name);
	}
	t->regs = r->common;
	t->dma_mask = UINT64_MAX;
	t->len = RNG_LEN;
	return rng_setup(t);
}

/* ---- one request ------------------------------------------------------ */

static enum dma_test_result rng_fill(struct dma_tester *t, uint64_t src,
				     uint64_t dst, uint64_t len)
{
	struct rng *r = rng_of(t);
	uint16_t slot;
	uint64_t deadline;

	(void)src;      /* the device brings its own data */
	/* After a blocked request the device is reset and set up again. */
	/* A device that cannot be set up again moved nothing: not a
	 * blocked DMA, so no check passes on it. */
	if (!r->ready && !rng_setup(t))
		return DMA_TEST_TIMEOUT;
	slot = r->avail_idx % QUEUE_SIZE;
	put_le(ring(t, RING_DESC + 16 * slot), dst, 8);
	put_le(ring(t, RING_DESC + 16 * slot + 8), len, 4);
	put_le(ring(t, RING_DESC + 16 * slot + 12), DESC_F_WRITE, 2);
	put_le(ring(t, RING_DESC + 16 * slot + 14), 0, 2);
	put_le(ring(t, RING_AVAIL + 4 + 2 * slot), slot, 2);
	__sync_synchronize();
	put_le(ring(t, RING_AVAIL + 2), ++r->avail_idx, 2);
	__sync_synchronize();
	wr(t, r->notify, 0, 2);
	deadline = arch_time_ns() + RNG_TIMEOUT_NS;
	for (;;) {
		__sync_synchronize();
		if (get_le16(ring(t, RING_USED + 2)) != r->used_seen) {
			r->used_seen++;
			return DMA_TEST_DONE;
		}
		/* A blocked function answers all ones. */
		if (rd(t, r->common + COMMON_STATUS, 1) == 0xff) {
			r->ready = false;
			return DMA_TEST_FAULT;
		}
		if (arch_time_ns() > deadline) {
			r->ready = false;
			return DMA_TEST_TIMEOUT;
		}
	}
}

const struct dma_test_driver dma_test_virtio_rng = {
	.name = "virtio-rng",
	.probe = rng_probe,
	.copy = rng_fill,
	.fills = true,
};
