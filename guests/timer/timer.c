// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer: interrupts in a partition. Programs its GIC (the virtual
 * distributor and the GIC's virtual CPU interface, from the device
 * tree), then sleeps in WFI until its virtual timer's interrupt (PPI 27)
 * has woken it TICKS times, 10 ms apart, measuring how late each handler
 * ran after the timer's deadline; checks that no interrupt came twice
 * (none once the timer is off); sends itself SGIS software-generated
 * interrupts and counts them; with a second vCPU, starts it, has it
 * sleep in WFI and wakes it with an SGI from vCPU 0. Exits 0 when every
 * count is exact.
 */
#include "guest.h"
#include <stdatomic.h>
#include <stdio.h>

#define TICKS        5
#define SGIS         3
#define SGI_ID       1
#define SGI_OTHER    2
#define VTIMER_PPI   27
#define CTL_ENABLE   1ULL

static volatile unsigned ticks, sgis, others, other_sgis, other_src;
static atomic_bool ready, done;
static uint64_t period, deadline, late[TICKS];

static void set_timer(uint64_t cval, uint64_t ctl)
{
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :: "r"(cval), "r"(ctl));
}

static void irq(uint32_t iar)
{
	unsigned id = iar & 0x3ff;

	if (id == VTIMER_PPI) {
		if (ticks < TICKS)
			late[ticks] = rt_counter() - deadline;
		/* The next deadline, or off: either way the line drops
		 * before the end of the interrupt. */
		if (++ticks < TICKS) {
			deadline += period;
			set_timer(deadline, CTL_ENABLE);
		} else {
			set_timer(0, 0);
		}
	} else if (id == SGI_ID) {
		sgis++;
	} else if (id == SGI_OTHER) {
		other_src = (iar >> 10) & 7;    /* GICC_IAR.CPUID */
		other_sgis++;
	} else if (id != 1023) {
		others++;
	}
}

/* vCPU 1: sleeps until vCPU 0's SGI arrives. */
static void second(void *arg)
{
	(void)arg;
	rt_gic_cpu_init();
	rt_gic_enable(SGI_OTHER, 0xa0);
	rt_irq_on();
	atomic_store(&ready, true);
	rt_wait_change(&other_sgis, 0);
	rt_irq_off();
	rt_lock();
	printf("timer: vCPU %u woken by SGI %d from vCPU %u\n",
	       rt_vcpu_id(), SGI_OTHER, other_src);
	rt_unlock();
	atomic_store(&done, true);
}

static int cross_vcpu(void)
{
	if (rt_cpu_count() < 2)
		return 0;
	if (rt_cpu_on(1, second, NULL)) {
		printf("timer: CPU_ON of vCPU 1 failed\n");
		return 1;
	}
	while (!atomic_load(&ready))
		;
	rt_gic_sgi(SGI_OTHER, 1u << 1);
	while (!atomic_load(&done))
		;
	return other_sgis == 1 ? 0 : 1;
}

int guest_main(const void *fdt)
{
	uint64_t hz = rt_counter_hz(), max = 0, sum = 0, wait_until;
	unsigned wakes = 0;

	(void)fdt;
	if (!rt_gic_init(irq)) {
		printf("timer: no GIC in the device tree\n");
		return 1;
	}
	rt_gic_enable(VTIMER_PPI, 0xa0);
	rt_gic_enable(SGI_ID, 0xa0);
	period = hz / 100;
	deadline = rt_counter() + period;
	set_timer(deadline, CTL_ENABLE);
	rt_irq_on();
	for (unsigned t; (t = ticks) < TICKS;)
		wakes += rt_wait_change(&ticks, t);
	/* Off now: nothing more may arrive in the next 30 ms. */
	wait_until = rt_counter() + 3 * period;
	while (rt_counter() < wait_until)
		;
	for (unsigned i = 0; i < SGIS; i++) {
		unsigned before = sgis;

		rt_gic_sgi_self(SGI_ID);
		rt_wait_change(&sgis, before);
	}
	rt_irq_off();
	for (unsigned i = 0; i < TICKS; i++) {
		sum += late[i];
		max = late[i] > max ? late[i] : max;
	}
	printf("timer: %u ticks of 10 ms, each waking a WFI (%u wakes); "
	       "handler after the deadline: mean %llu us, max %llu us\n",
	       ticks, wakes, (unsigned long long)(sum * 1000000 / hz / TICKS),
	       (unsigned long long)(max * 1000000 / hz));
	printf("timer: %u SGIs sent to itself, %u received; %u other interrupts\n",
	       SGIS, sgis, others);
	if (cross_vcpu())
		return 1;
	return ticks == TICKS && sgis == SGIS && !others ? 0 : 1;
}
