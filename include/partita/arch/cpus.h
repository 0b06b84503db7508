/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hook a target implements when it can run guests (arch/arm64 at EL2):
 * the machine's other CPUs, started once each and kept (static
 * partitioning: one physical CPU per vCPU, no scheduler), and the two
 * interrupts that bring a CPU back from its guest or its sleep: a kick
 * from another CPU and its own timer.
 *
 * CPU 0 is the boot CPU, the manager's. The calls below are made with
 * interrupts masked; an interrupt only wakes a sleeping CPU or ends a
 * guest's run, and arch_cpu_irq() then says what it was.
 */
#ifndef PARTITA_ARCH_CPUS_H
#define PARTITA_ARCH_CPUS_H

#include <partita/error.h>
#include <stdbool.h>
#include <stdint.h>

/* Whether guests can run on this machine; if not, why (set in *errp):
 * arm64 needs EL2 and a GICv2 (the interrupts above). */
bool arch_guests_supported(Error **errp);

/* CPUs the machine has (the device tree's /cpus), the boot CPU included;
 * 0 on a build that cannot run guests but checks them (the host). */
unsigned arch_cpu_count(void);

/* The CPU's physical address size in bits; 0 where unknown (the host
 * program, which only checks guests). */
unsigned arch_pa_bits(void);

/* The calling CPU's index (0 = the boot CPU). */
unsigned arch_cpu_self(void);

/* Start CPU cpu (1 .. count-1, never started before) at the manager's
 * exception level, MMU and caches on, its own stack, running fn(arg);
 * fn must not return. False (errp set) when the firmware refused. */
bool arch_cpu_start(unsigned cpu, void (*fn)(void *), void *arg,
		    Error **errp);

/* Interrupt CPU cpu: it leaves its guest, or wakes from
 * arch_cpu_idle(), with ARCH_CPU_KICK. */
void arch_cpu_kick(unsigned cpu);

enum arch_cpu_event {
	ARCH_CPU_NONE,       /* nothing (spurious), or not ours */
	ARCH_CPU_KICK,       /* arch_cpu_kick() from another CPU */
	ARCH_CPU_TIMER,      /* this CPU's arch_cpu_timer_set() deadline */
	/* The guest's own timer on this CPU fired: it stays active until
	 * the guest's virtual GIC deactivates it (arm64: the virtual timer,
	 * PPI 27, mapped in a list register). */
	ARCH_CPU_GUEST_TIMER,
	/* The virtual GIC wants its list registers looked at again (GICv2
	 * maintenance interrupt: an EOI to re-sample, or room for more). */
	ARCH_CPU_MAINTENANCE,
	/* A device interrupt arch_irq_route() sent here: ended, and masked
	 * at the interrupt controller until its handler's owner unmasks it
	 * (the board's irq_unmask); arch_irq_handle() runs the handler. */
	ARCH_CPU_DEVICE,
};

/* Send the device interrupt the board describes by spec (a GIC's three
 * cells) to CPU cpu, level-sensitive, and enable it; *irq is its number
 * there (the INTID). False (errp) for one that cannot be routed. */
bool arch_irq_route(const uint32_t spec[3], unsigned cpu, unsigned *irq,
		    Error **errp);

/* Send device interrupt irq (arch_irq_route()'s) to CPU cpu instead,
 * leaving it masked or not as it is. False for a CPU that is not up. */
bool arch_irq_move(unsigned irq, unsigned cpu);

/* Run the handler the board connected to device interrupt irq (an
 * ARCH_CPU_DEVICE's); false when none is connected (it stays masked). */
bool arch_irq_handle(unsigned irq);

/* Sleep until an interrupt for this CPU is pending, then take it; *irq
 * (may be NULL) is its number for ARCH_CPU_DEVICE. */
enum arch_cpu_event arch_cpu_idle(unsigned *irq);

/* Take the interrupt pending on this CPU (after a guest's IRQ exit). */
enum arch_cpu_event arch_cpu_irq(unsigned *irq);

/* This CPU's timer: ARCH_CPU_TIMER once arch_time_ns() passes deadline
 * (<partita/arch/time.h>); 0 turns it off. */
void arch_cpu_timer_set(uint64_t deadline_ns);

#endif
