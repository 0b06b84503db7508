/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI configuration space as the bus has it (PCI Local Bus 3.0):
 * header offsets and bits, and little-endian accessors. A format, used
 * on every side: the hardware models, discovery, the vfio-pci bus
 * driver and front, the self-test's drivers.
 */
#ifndef PARTITA_PCI_H
#define PARTITA_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_NUM_BARS         6
#define PCI_CONFIG_SIZE      256

/* Configuration header offsets and bits used here (PCI Local Bus 3.0). */
#define PCI_VENDOR_ID        0x00
#define PCI_DEVICE_ID        0x02
#define PCI_COMMAND          0x04
#define  PCI_COMMAND_IO      0x0001
#define  PCI_COMMAND_MEMORY  0x0002
#define  PCI_COMMAND_MASTER  0x0004
#define PCI_STATUS           0x06
#define  PCI_STATUS_CAP_LIST 0x0010
#define PCI_CLASS_REVISION   0x08
#define PCI_HEADER_TYPE      0x0e
#define PCI_BASE_ADDRESS_0   0x10
#define  PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define  PCI_BASE_ADDRESS_SPACE_IO 0x01
#define PCI_ROM_ADDRESS      0x30
#define PCI_CAPABILITY_LIST  0x34
#define PCI_INTERRUPT_LINE   0x3c
#define PCI_INTERRUPT_PIN    0x3d
#define PCI_CAP_ID_MSI       0x05
#define PCI_CAP_ID_VNDR      0x09
#define PCI_CAP_ID_EXP       0x10
#define PCI_CAP_ID_MSIX      0x11
#define PCI_MSI_FLAGS        2          /* from the capability */
#define  PCI_MSI_FLAGS_QMASK 0x000e
#define PCI_MSIX_FLAGS       2
#define  PCI_MSIX_FLAGS_QSIZE 0x07ff

/* A memory BAR as enumeration assigned it. */
struct pci_bar {
	uint64_t pa, size;      /* size 0: the BAR is not implemented */
	void *host;             /* the CPU's plain view of memory BARs that
	                         * may be mapped; NULL for registers, which
	                         * are reached through the bus (bus_as) */
	bool mem64, prefetch;
};

/* The requester id of bus:device.function, what an IOMMU names a
 * function by (SMMU stream ids through iommu-map, VT-d fault records). */
static inline uint16_t pci_requester_id(unsigned bus, unsigned dev,
					unsigned fn)
{
	return (uint16_t)((bus & 0xff) << 8 | (dev & 0x1f) << 3 | (fn & 7));
}

static inline uint16_t pci_get_word(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t pci_get_long(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void pci_set_word(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void pci_set_long(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Offset of capability id in config's list, 0 when absent. The walk is
 * bounded, so a looping list cannot hang it. */
uint8_t pci_find_capability(const uint8_t *config, uint8_t id);

#endif
