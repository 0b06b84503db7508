// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memtest: writes and checks every byte of its RAM outside its own image
 * (code, data, stacks), word by word with two patterns, and puts each
 * word back as it was (so the device tree, and anything the manager put
 * there, survives). The RAM is split among its vCPUs: vCPU 0 starts the
 * others with PSCI CPU_ON, each tests its share and reports, turns
 * itself off with CPU_OFF, and vCPU 0 waits (PSCI AFFINITY_INFO) until
 * all are off before it reports the whole.
 */
#include "guest.h"
#include <stdatomic.h>
#include <stdio.h>

#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define AFF_OFF               1
#define MAX_VCPUS             8

struct share {
	uint64_t lo, hi;                 /* [lo, hi), 8-byte aligned */
	unsigned long errors;
	atomic_bool done;
};

static struct share shares[MAX_VCPUS];
static uint64_t skip_lo, skip_hi;       /* the image */

static unsigned long test_range(uint64_t lo, uint64_t hi)
{
	unsigned long errors = 0;

	for (uint64_t a = lo; a < hi; a += 8) {
		volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)a;
		uint64_t keep, p = a * 0x9e3779b97f4a7c15ULL;

		if (a >= skip_lo && a < skip_hi)
			continue;
		keep = *w;
		*w = p;
		errors += *w != p;
		*w = ~p;
		errors += *w != ~p;
		*w = keep;
	}
	return errors;
}

static void run_share(void *arg)
{
	struct share *s = arg;
	unsigned id = rt_vcpu_id();

	s->errors = test_range(s->lo, s->hi);
	rt_lock();
	printf("memtest: vCPU %u (MPIDR 0x%llx): 0x%llx-0x%llx %s (%lu errors)\n",
	       id, (unsigned long long)rt_mpidr(), (unsigned long long)s->lo,
	       (unsigned long long)(s->hi - 1), s->errors ? "FAILED" : "ok",
	       s->errors);
	rt_unlock();
	atomic_store(&s->done, true);
	__asm__ volatile("dsb ish; sev" ::: "memory");  /* wake vCPU 0 */
}

int guest_main(const void *fdt)
{
	unsigned n = rt_cpu_count(), bad = 0;
	uint64_t base, size, chunk;
	unsigned long errors = 0;

	(void)fdt;
	if (!rt_memory(&base, &size) || !n || n > MAX_VCPUS)
		return 2;
	skip_lo = (uintptr_t)_image_start & ~7ULL;
	skip_hi = ((uintptr_t)_image_end + 7) & ~7ULL;
	printf("memtest: %llu MiB at 0x%llx on %u vCPU%s (image 0x%llx-0x%llx "
	       "kept)\n", (unsigned long long)(size >> 20),
	       (unsigned long long)base, n, n == 1 ? "" : "s",
	       (unsigned long long)skip_lo, (unsigned long long)(skip_hi - 1));
	chunk = (size / n) & ~7ULL;
	for (unsigned i = 0; i < n; i++) {
		shares[i].lo = base + i * chunk;
		shares[i].hi = i + 1 == n ? base + size : base + (i + 1) * chunk;
	}
	for (unsigned i = 1; i < n; i++) {
		int64_t r = rt_cpu_on(i, run_share, &shares[i]);

		if (r) {
			printf("memtest: CPU_ON of vCPU %u failed: %lld\n", i,
			       (long long)r);
			return 1;
		}
	}
	run_share(&shares[0]);
	for (unsigned i = 1; i < n; i++) {
		/* WFE: sleep (QEMU too) until a vCPU says it is done. */
		while (!atomic_load(&shares[i].done))
			__asm__ volatile("wfe" ::: "memory");
		while (rt_psci(PSCI_AFFINITY_INFO_64, i, 0, 0) != AFF_OFF)
			;
	}
	for (unsigned i = 0; i < n; i++) {
		errors += shares[i].errors;
		bad += shares[i].errors != 0;
	}
	printf("memtest: %llu bytes checked by %u vCPU%s: %s\n",
	       (unsigned long long)(size - (skip_hi - skip_lo)), n,
	       n == 1 ? "" : "s", errors ? "FAILED" : "all ok");
	return errors ? 1 : 0;
}
