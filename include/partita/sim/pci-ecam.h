/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host board's PCIe root complex: an ECAM window (1 MiB per bus, as
 * pci-host-ecam-generic) whose functions are DMA engines. Each function
 * has the configuration space the unit tests' fixture describes
 * (vendor 1234, device 51d0, class 0880, MSI with 4 vectors, a PCIe
 * capability with function-level reset), BAR0 = the engine's 4 KiB of
 * registers (32-bit), BAR2 = 64 KiB of device memory (64-bit,
 * prefetchable). BARs decode once software has written them and set the
 * command register's memory bit, as on real hardware: they then appear
 * on the board's bus at the programmed address. Nothing decodes at
 * reset; firmware has to enumerate and assign.
 */
#ifndef PARTITA_SIM_PCI_ECAM_H
#define PARTITA_SIM_PCI_ECAM_H

#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_PCI_VENDOR  0x1234
#define SIM_PCI_DEVICE  0x51d0
#define SIM_PCI_MAX_FNS 1024

struct sim_pci_host;

/* bus: where BARs appear (the board's root region); nbus buses decoded. */
struct sim_pci_host *sim_pci_host_create(MemoryContext *ctx, MemoryRegion *bus,
					 unsigned nbus);
void sim_pci_host_destroy(struct sim_pci_host *h);
MemoryRegion *sim_pci_host_ecam(struct sim_pci_host *h);
/* A function at bdf (bus << 8 | dev << 3 | fn) whose BAR0 is regs and
 * BAR2 mem; multifunction sets the header type's bit 7 (function 0 of a
 * multi-function device must say so for software to look further).
 * false when bdf is taken, outside the buses, the host is full, or out
 * of memory. */
bool sim_pci_host_add_fn(struct sim_pci_host *h, uint16_t bdf,
			 MemoryRegion *regs, MemoryRegion *mem,
			 bool multifunction);
/* Function-level resets function bdf has seen, for tests. */
unsigned sim_pci_host_flr_count(const struct sim_pci_host *h, uint16_t bdf);

#endif
