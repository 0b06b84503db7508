// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI for the example guests (guest.h): the generic ECAM host the device
 * tree describes (bus 0), its 32-bit memory window, a BAR placed by the
 * guest itself, and a slot's INTA through the host's interrupt-map.
 */
#include "guest.h"
#include <libfdt.h>
#include <stdio.h>

#define CMD_MEMORY 0x2
#define CMD_MASTER 0x4

static volatile uint8_t *ecam;
static uint64_t window;
static int host = -1;

bool rt_pci_init(void)
{
	const void *fdt = rt_fdt();
	const fdt32_t *reg, *ranges;
	int len, rlen;

	host = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	if (host < 0 || !(reg = fdt_getprop(fdt, host, "reg", &len)) || len < 16 ||
	    !(ranges = fdt_getprop(fdt, host, "ranges", &rlen)) || rlen < 28)
		return false;
	ecam = (volatile uint8_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
					       fdt32_to_cpu(reg[1]));
	/* The first range: 32-bit memory, its child address in cells 1-2. */
	window = (uint64_t)fdt32_to_cpu(ranges[1]) << 32 | fdt32_to_cpu(ranges[2]);
	return true;
}

volatile uint32_t *rt_pci_cfg(unsigned dev, unsigned reg)
{
	return (volatile uint32_t *)(ecam + ((uint64_t)dev << 15) + reg);
}

uint64_t rt_pci_window(void)
{
	return window;
}

int rt_pci_scan(uint32_t vendor_device, bool print)
{
	int found = -1;

	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t id = *rt_pci_cfg(dev, 0x00);

		if ((id & 0xffff) == 0xffff)
			continue;
		if (print)
			printf("pci: 00:%02x.0 %04x:%04x class %06x\n", dev,
			       (unsigned)(id & 0xffff), (unsigned)(id >> 16),
			       (unsigned)(*rt_pci_cfg(dev, 0x08) >> 8));
		if (id == vendor_device && found < 0)
			found = (int)dev;
	}
	return found;
}

volatile uint8_t *rt_pci_map_bar0(unsigned dev, unsigned nth, uint32_t *size)
{
	uint64_t place;

	*rt_pci_cfg(dev, 0x04) = 0;                 /* decoding off */
	*rt_pci_cfg(dev, 0x10) = 0xffffffff;
	*size = ~(*rt_pci_cfg(dev, 0x10) & ~0xfu) + 1;
	place = window + (uint64_t)nth * *size;
	*rt_pci_cfg(dev, 0x10) = (uint32_t)place;
	*rt_pci_cfg(dev, 0x04) = CMD_MEMORY | CMD_MASTER;
	return (volatile uint8_t *)(uintptr_t)place;
}

unsigned rt_pci_intx(unsigned dev)
{
	const void *fdt = rt_fdt();
	int len;
	const fdt32_t *map = host >= 0 ?
		fdt_getprop(fdt, host, "interrupt-map", &len) : NULL;

	/* Entries of 8 cells: phys.hi, 0, 0, pin, the GIC, SPI, n, flags. */
	for (int i = 0; map && i + 8 <= len / 4; i += 8)
		if (fdt32_to_cpu(map[i]) >> 11 == dev && fdt32_to_cpu(map[i + 3]) == 1 &&
		    fdt32_to_cpu(map[i + 5]) == 0)
			return 32 + fdt32_to_cpu(map[i + 6]);
	return 0;
}
