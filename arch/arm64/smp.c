// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine's CPUs for guests (<partita/arch/cpus.h>): found in the
 * device tree's /cpus (reg = MPIDR), started with PSCI CPU_ON into
 * head.S's secondary entry, each on its own stack with the boot CPU's
 * identity map, and woken by the GIC (gic.c): SGI 0 as the kick, the
 * EL2 physical timer as the deadline.
 */
#include "arm64.h"
#include <partita/arch/arm64/vcpu.h>
#include <partita/arch/cpus.h>
#include <partita/arch/time.h>
#include <partita/fdt-util.h>
#include <partita/log.h>
#include <libfdt.h>
#include <stdatomic.h>
#include <string.h>

#define CPU_STACK_SIZE  (16 * 1024)
#define MPIDR_AFF_MASK  0xff00ffffffULL
#define START_WAIT_NS   1000000000ULL

/* head.S reads stack_top (first) with the MMU off. */
struct arm64_cpu {
	uint64_t stack_top;
	void (*fn)(void *);
	void *arg;
	uint64_t mpidr;
	uint8_t gic_mask;
	atomic_bool online;
};

static struct arm64_cpu cpus[ARM64_MAX_CPUS];
static unsigned ncpus = 1;
static bool at_el2;
static uint8_t stacks[ARM64_MAX_CPUS][CPU_STACK_SIZE]
	__attribute__((aligned(16)));

void _set_tls(void *tls);
extern char __tls_base[];
void arm64_secondary_entry(void);
void arm64_secondary_start(struct arm64_cpu *c) __attribute__((noreturn));

static uint64_t read_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v & MPIDR_AFF_MASK;
}

void arm64_smp_init(const void *fdt, bool el2)
{
	uint64_t self = read_mpidr();
	int parent, node, ac;

	at_el2 = el2;
	cpus[0].mpidr = self;
	atomic_store(&cpus[0].online, true);
	if (!fdt || (parent = fdt_path_offset(fdt, "/cpus")) < 0)
		return;
	ac = fdt_address_cells(fdt, parent);
	fdt_for_each_subnode(node, fdt, parent) {
		const fdt32_t *reg;
		uint64_t mpidr;
		int len;

		if (!fdt_util_prop_is(fdt, node, "device_type", "cpu") ||
		    !(reg = fdt_getprop(fdt, node, "reg", &len)) ||
		    len < 4 * ac || ac < 1 || ac > 2)
			continue;
		mpidr = ac == 2 ? (uint64_t)fdt32_to_cpu(reg[0]) << 32 |
				  fdt32_to_cpu(reg[1]) : fdt32_to_cpu(reg[0]);
		if ((mpidr & MPIDR_AFF_MASK) == self)
			continue;
		if (ncpus == ARM64_MAX_CPUS) {
			pr_warn("arm64: more than %d CPUs: the rest are not used",
				ARM64_MAX_CPUS);
			break;
		}
		cpus[ncpus++].mpidr = mpidr & MPIDR_AFF_MASK;
	}
	if (el2 && arm64_gic_probe(fdt))
		cpus[0].gic_mask = arm64_gic_cpu_init();
}

bool arch_guests_supported(Error **errp)
{
	if (!at_el2) {
		error_setg(errp, "guests need EL2: boot with "
			   "virtualization=on (QEMU) or from EL2");
		return false;
	}
	if (!arm64_gic_present()) {
		error_setg(errp, "guests need a GICv2 (QEMU virt's default, "
			   "gic-version=2): none is in the device tree");
		return false;
	}
	return true;
}

unsigned arch_cpu_count(void)
{
	return ncpus;
}

unsigned arch_pa_bits(void)
{
	return arm64_pa_bits();
}

unsigned arch_cpu_self(void)
{
	uint64_t self = read_mpidr();

	for (unsigned i = 0; i < ncpus; i++)
		if (cpus[i].mpidr == self)
			return i;
	return 0;
}

bool arch_cpu_start(unsigned cpu, void (*fn)(void *), void *arg,
		    Error **errp)
{
	struct arm64_cpu *c = &cpus[cpu];
	uint64_t deadline;
	int64_t ret;

	if (cpu == 0 || cpu >= ncpus || atomic_load(&c->online)) {
		error_setg(errp, "CPU %u cannot be started", cpu);
		return false;
	}
	c->fn = fn;
	c->arg = arg;
	c->stack_top = (uint64_t)(uintptr_t)(stacks[cpu] + CPU_STACK_SIZE);
	/* It reads this with its MMU off, from memory. */
	arm64_sync_for_guest(c, sizeof(*c));
	ret = arm64_psci_cpu_on(c->mpidr, (uint64_t)(uintptr_t)arm64_secondary_entry,
			  (uint64_t)(uintptr_t)c);
	if (ret) {
		error_setg(errp, "PSCI CPU_ON of CPU %u (MPIDR 0x%llx) failed: "
			   "%lld", cpu, (unsigned long long)c->mpidr,
			   (long long)ret);
		return false;
	}
	deadline = arch_time_ns() + START_WAIT_NS;
	while (!atomic_load(&c->online))
		if (arch_time_ns() > deadline) {
			error_setg(errp, "CPU %u (MPIDR 0x%llx) did not come up "
				   "within 1 s of PSCI CPU_ON", cpu,
				   (unsigned long long)c->mpidr);
			return false;
		}
	return true;
}

void arm64_secondary_start(struct arm64_cpu *c)
{
	_set_tls(__tls_base);
	c->gic_mask = arm64_gic_cpu_init();
	atomic_store(&c->online, true);
	c->fn(c->arg);
	for (;;)
		__asm__ volatile("wfi");
}

void arch_cpu_kick(unsigned cpu)
{
	if (cpu < ncpus && atomic_load(&cpus[cpu].online))
		arm64_gic_sgi(cpus[cpu].gic_mask, ARM64_GIC_SGI_KICK);
}

enum arch_cpu_event arch_cpu_irq(unsigned *irq)
{
	uint32_t iar;
	unsigned id = arm64_gic_ack(&iar);
	enum arch_cpu_event ev = ARCH_CPU_NONE;

	if (id == ARM64_GIC_PPI_HYP_TIMER) {
		/* Level-triggered: off before the end of the interrupt. */
		__asm__ volatile("msr cnthp_ctl_el2, %0; isb" :: "r"(0ULL));
		ev = ARCH_CPU_TIMER;
	} else if (id == ARM64_GIC_SGI_KICK) {
		ev = ARCH_CPU_KICK;
	} else if (id == ARM64_GIC_PPI_VIRT_TIMER) {
		/* Left active: the guest's deactivation ends it (gic.c). */
		arm64_gic_eoi_keep_active(iar);
		return ARCH_CPU_GUEST_TIMER;
	} else if (id == ARM64_GIC_PPI_MAINTENANCE) {
		ev = ARCH_CPU_MAINTENANCE;
	} else if (id >= ARM64_GIC_FIRST_SPI &&
		   id < ARM64_GIC_FIRST_SPI + ARM64_GIC_NR_SPIS) {
		/* A device's, routed here for a guest: level-sensitive, so
		 * masked before it ends; arch_irq_handle() runs its handler,
		 * whose owner unmasks it (irq.c). */
		arm64_gic_mask_spi(id, true);
		arm64_gic_eoi(iar);
		if (irq)
			*irq = id;
		return ARCH_CPU_DEVICE;
	}
	arm64_gic_eoi(iar);
	return ev;
}

enum arch_cpu_event arch_cpu_idle(unsigned *irq)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
	return arch_cpu_irq(irq);
}

bool arch_irq_route(const uint32_t spec[3], unsigned cpu, unsigned *irq,
		    Error **errp)
{
	/* GIC binding: type 0 is an SPI, INTID 32 + number. */
	if (spec[0] != 0 || spec[1] >= ARM64_GIC_NR_SPIS || cpu >= ncpus ||
	    !atomic_load(&cpus[cpu].online)) {
		error_setg(errp, "interrupt <%u %u %u> cannot be routed to CPU %u",
			   spec[0], spec[1], spec[2], cpu);
		return false;
	}
	*irq = ARM64_GIC_FIRST_SPI + spec[1];
	arm64_gic_route_spi(*irq, cpus[cpu].gic_mask);
	return true;
}

bool arch_irq_move(unsigned irq, unsigned cpu)
{
	if (irq < ARM64_GIC_FIRST_SPI ||
	    irq >= ARM64_GIC_FIRST_SPI + ARM64_GIC_NR_SPIS || cpu >= ncpus ||
	    !atomic_load(&cpus[cpu].online))
		return false;
	arm64_gic_target_spi(irq, cpus[cpu].gic_mask);
	return true;
}

void arch_cpu_timer_set(uint64_t deadline_ns)
{
	uint64_t freq, cval;

	if (!deadline_ns) {
		__asm__ volatile("msr cnthp_ctl_el2, %0; isb" :: "r"(0ULL));
		return;
	}
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	cval = deadline_ns / 1000000000ULL * freq +
	       deadline_ns % 1000000000ULL * freq / 1000000000ULL;
	__asm__ volatile("msr cnthp_cval_el2, %0; msr cnthp_ctl_el2, %1; isb"
			 :: "r"(cval), "r"(1ULL));
}
