// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's PSCI (virt/psci.c): each call's answer as DEN 0022 gives
 * it, the vCPU layer told exactly what to do, and the partition (never
 * the machine) stopped by SYSTEM_OFF and SYSTEM_RESET.
 */
#include "test-helpers.h"
#include <partita/virt/psci.h>

struct rec {
	unsigned ons, offs, sysoffs;
	unsigned on_vcpu, off_vcpu;
	uint64_t entry, ctx;
	bool reset;
};

static void on(void *o, unsigned v, uint64_t entry, uint64_t ctx)
{
	struct rec *r = o;

	r->ons++;
	r->on_vcpu = v;
	r->entry = entry;
	r->ctx = ctx;
}

static void off(void *o, unsigned v)
{
	struct rec *r = o;

	r->offs++;
	r->off_vcpu = v;
}

static void sysoff(void *o, bool reset)
{
	struct rec *r = o;

	r->sysoffs++;
	r->reset = reset;
}

static const struct psci_ops ops = { on, off, sysoff };

static void test_version_features_unknown(void **state)
{
	struct psci p;
	struct rec r = { 0 };

	(void)state;
	psci_init(&p, 2, &ops, &r);
	assert_int_equal(psci_call(&p, 0, PSCI_VERSION, 0, 0, 0), 0x10000);
	assert_int_equal(psci_call(&p, 0, PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), 0);
	assert_int_equal(psci_call(&p, 0, PSCI_FEATURES, PSCI_SYSTEM_RESET, 0, 0), 0);
	/* CPU_SUSPEND and MIGRATE are not offered. */
	assert_int_equal(psci_call(&p, 0, PSCI_FEATURES, 0xc4000001, 0, 0), -1);
	assert_int_equal(psci_call(&p, 0, PSCI_FEATURES, 0x84000005, 0, 0), -1);
	/* Unknown ids: NOT_SUPPORTED, counted, nothing else happens. */
	assert_int_equal(psci_call(&p, 0, 0xc2000001, 1, 2, 3), -1);
	assert_int_equal(psci_call(&p, 0, 0x1ULL << 32 | PSCI_VERSION, 0, 0, 0), -1);
	assert_int_equal(p.unknown_calls, 2);
	assert_int_equal(r.ons + r.offs + r.sysoffs, 0);
}

static void test_cpu_on_off(void **state)
{
	struct psci p;
	struct rec r = { 0 };

	(void)state;
	psci_init(&p, 3, &ops, &r);
	assert_int_equal(psci_call(&p, 0, PSCI_AFFINITY_INFO_64, 1, 0, 0), 1);
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_64, 1, 0x40080000,
				   0xabcdef0123ULL), 0);
	assert_int_equal(r.ons, 1);
	assert_int_equal(r.on_vcpu, 1);
	assert_int_equal(r.entry, 0x40080000);
	assert_int_equal(r.ctx, 0xabcdef0123ULL);
	assert_int_equal(psci_call(&p, 0, PSCI_AFFINITY_INFO_64, 1, 0, 0), 2);
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_64, 1, 0x40080000, 0), -5);
	psci_vcpu_running(&p, 1);
	assert_int_equal(psci_call(&p, 0, PSCI_AFFINITY_INFO_64, 1, 0, 0), 0);
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_64, 1, 0x40080000, 0), -4);
	/* Not one of the partition's vCPUs, other affinity fields,
	 * a misaligned entry: invalid. */
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_64, 3, 0x40080000, 0), -2);
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_64, 0x100, 0x40080000, 0), -2);
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_64, 2, 0x40080002, 0), -2);
	/* SMC32: only the low halves count. */
	assert_int_equal(psci_call(&p, 0, PSCI_CPU_ON_32, 0xffffffff00000002ULL,
				   0x1240081000ULL, 0x77ULL << 32 | 5), 0);
	assert_int_equal(r.on_vcpu, 2);
	assert_int_equal(r.entry, 0x40081000);
	assert_int_equal(r.ctx, 5);
	assert_int_equal(r.ons, 2);
	/* CPU_OFF stops the caller. */
	assert_int_equal(psci_call(&p, 1, PSCI_CPU_OFF, 0, 0, 0), 0);
	assert_int_equal(r.offs, 1);
	assert_int_equal(r.off_vcpu, 1);
	assert_int_equal(psci_call(&p, 0, PSCI_AFFINITY_INFO_64, 1, 0, 0), 1);
	assert_int_equal(psci_call(&p, 0, PSCI_AFFINITY_INFO_64, 1, 1, 0), -2);
}

static void test_system_off(void **state)
{
	struct psci p;
	struct rec r = { 0 };

	(void)state;
	psci_init(&p, 1, &ops, &r);
	assert_int_equal(psci_call(&p, 0, PSCI_SYSTEM_OFF, 0, 0, 0), 0);
	assert_int_equal(r.sysoffs, 1);
	assert_false(r.reset);
	assert_int_equal(psci_call(&p, 0, PSCI_SYSTEM_RESET, 0, 0, 0), 0);
	assert_int_equal(r.sysoffs, 2);
	assert_true(r.reset);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_features_unknown),
		cmocka_unit_test(test_cpu_on_off),
		cmocka_unit_test(test_system_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
