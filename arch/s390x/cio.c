// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running one channel program to its end (<partita/arch/s390x/cio.h>):
 * START SUBCHANNEL, then TEST PENDING INTERRUPTION for the subchannel's
 * I/O interruption (its subclass enabled in CR6 for the wait only) and
 * TEST SUBCHANNEL for its status, bounded by the TOD clock. A program
 * that does not end in time is cleared, so the subchannel is idle again
 * when the caller hears of it.
 */
#include <partita/arch/s390x/cio.h>
#include <partita/arch/time.h>
#include <partita/errno.h>

static uint64_t cr6_isc_mask(unsigned isc)
{
	return 1ULL << (31 - isc);
}

static void load_cr6(uint64_t v)
{
	__asm__ volatile("lctlg %%c6,%%c6,%0" : : "Q"(v) : "memory");
}

int s390x_cio_enable(uint32_t schid, bool enable)
{
	struct schib schib;
	uint32_t want;

	if (cio_stsch(schid, &schib))
		return -ENODEV;
	want = schib.pmcw.w1 & ~(PMCW_W1_ENABLED | PMCW_W1_ISC_MASK);
	if (enable)
		want |= PMCW_W1_ENABLED | PMCW_W1_ISC(CIO_ISC);
	schib.pmcw.w1 = want;
	switch (cio_msch(schid, &schib)) {
	case 0: break;
	case 1: case 2: return -EBUSY;
	default: return -ENODEV;
	}
	/* MSCH may end with cc 0 and yet change nothing: look again. */
	if (cio_stsch(schid, &schib))
		return -ENODEV;
	return !!(schib.pmcw.w1 & PMCW_W1_ENABLED) == enable ? 0 : -EIO;
}

/* Status pending with the start function's end (primary or alert). */
static bool ended(const struct irb *irb)
{
	return irb->scsw[0] & (SCSW_STCTL_PRIMARY | SCSW_STCTL_ALERT);
}

int s390x_cio_run(uint32_t schid, const struct orb *orb, struct irb *irb,
		  uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;
	int ret = -ETIMEDOUT;

	switch (cio_ssch(schid, (struct orb *)orb)) {
	case 0: break;
	case 1: case 2: return -EBUSY;
	default: return -ENODEV;
	}
	load_cr6(cr6_isc_mask(CIO_ISC));
	while (arch_time_ns() < deadline) {
		uint32_t code[2];

		if (!cio_tpi(code))
			continue;
		/* Whoever's it was, TEST SUBCHANNEL clears it. */
		if (cio_tsch(code[0], irb) == 0 && code[0] == schid &&
		    ended(irb)) {
			ret = 0;
			break;
		}
	}
	load_cr6(0);
	if (ret == -ETIMEDOUT) {
		struct irb cleared;
		uint64_t until = arch_time_ns() + timeout_ns;

		/* The clear function ends with its own interruption. */
		if (cio_csch(schid) == 0)
			while (cio_tsch(schid, &cleared) == 1 &&
			       arch_time_ns() < until)
				;
	}
	return ret;
}
