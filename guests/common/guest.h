/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The runtime of Partita's example guests (guests/common): what a small
 * bare-metal arm64 guest needs in a partition, and nothing of Partita's
 * own code. Entry (head.S) with the Linux boot protocol: EL1, MMU off,
 * x0 = the device tree; the runtime turns on an identity map (mmu.c),
 * finds the console and the PSCI conduit in the device tree, then calls
 * guest_main(). Its return value is printed as the kvm-unit-tests line
 * "EXIT: STATUS=<n>" before PSCI SYSTEM_OFF.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

/* Each guest's own. */
int guest_main(const void *fdt);

/* PSCI through the device tree's conduit; x0 as returned. */
int64_t rt_psci(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* SMC or HVC by hand, whatever the device tree says (for tests). */
int64_t rt_smc(uint32_t fn);
int64_t rt_hvc(uint32_t fn);
/* Start vCPU id at fn(arg) on a stack of its own (PSCI CPU_ON). */
int64_t rt_cpu_on(unsigned id, void (*fn)(void *), void *arg);
/* This vCPU's id (MPIDR_EL1.Aff0) and the whole MPIDR. */
unsigned rt_vcpu_id(void);
uint64_t rt_mpidr(void);
void rt_exit(int status) __attribute__((noreturn));
/* PSCI CPU_OFF of the calling vCPU. */
void rt_cpu_off(void) __attribute__((noreturn));

/* The value of key=... in /chosen/bootargs (copied into buf), or NULL. */
const char *rt_bootarg(const char *key, char *buf, unsigned len);
/* RAM from the device tree's memory node. */
bool rt_memory(uint64_t *base, uint64_t *size);
/* vCPUs in /cpus. */
unsigned rt_cpu_count(void);
const void *rt_fdt(void);

/* The virtual counter and its frequency. */
uint64_t rt_counter(void);
uint64_t rt_counter_hz(void);

/* printf from several vCPUs, a line at a time. */
void rt_lock(void);
void rt_unlock(void);

/* Interrupts (irq.c): the GICv2 from the device tree, the vector table,
 * fn called with GICC_IAR for each IRQ (the runtime writes GICC_EOIR
 * after it). False when the device tree has no GIC. */
bool rt_gic_init(void (*fn)(uint32_t iar));
/* Another vCPU's own part (its vectors, its CPU interface). */
void rt_gic_cpu_init(void);
/* Enable on the calling vCPU (SGIs and PPIs are per vCPU). */
void rt_gic_enable(unsigned id, uint8_t priority);
void rt_gic_sgi_self(unsigned id);
void rt_gic_sgi(unsigned id, uint8_t vcpus);
void rt_irq_on(void);
void rt_irq_off(void);
/* Sleeps in WFI until *counter (an interrupt handler's) is no longer old;
 * returns how many WFIs it took. The check and the WFI run with IRQs
 * masked, so an interrupt arriving between them stays pending and wakes
 * the WFI (it wakes on a pending interrupt whatever PSTATE.I says); its
 * handler runs once they are unmasked. A plain check-then-WFI loop loses
 * that interrupt: its handler runs just before the WFI, which then sleeps
 * for good. Called with IRQs on. */
unsigned rt_wait_change(const volatile unsigned *counter, unsigned old);

/* PCI (pci.c): the ECAM host of the device tree. rt_pci_scan lists bus 0
 * (print) and returns the first slot with vendor_device (device << 16 |
 * vendor), or -1; rt_pci_map_bar0 sizes BAR0, places it at the nth slot
 * of its size in the 32-bit window and turns memory decoding and bus
 * mastering on; rt_pci_intx is the INTID of the slot's INTA (0: none). */
bool rt_pci_init(void);
volatile uint32_t *rt_pci_cfg(unsigned dev, unsigned reg);
uint64_t rt_pci_window(void);
int rt_pci_scan(uint32_t vendor_device, bool print);
volatile uint8_t *rt_pci_map_bar0(unsigned dev, unsigned nth, uint32_t *size);
unsigned rt_pci_intx(unsigned dev);

/* The image in memory, from the linker script. */
extern char _image_start[], _image_end[];

#endif
