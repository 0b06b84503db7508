// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Time from the TOD clock (STORE CLOCK: bit 51 is one microsecond, so a
 * unit is 1/4096 µs), and waits for an external interruption bounded by
 * the clock comparator: the comparator interrupts once the clock passes
 * it, so a wait ends at its deadline even when what it waits for never
 * comes.
 */
#include "lowcore.h"
#include "s390x.h"
#include <partita/arch/time.h>

/* TOD units <-> nanoseconds: 4096 units are 1000 ns. */
static uint64_t tod_to_ns(uint64_t t)
{
	return (t >> 9) * 125 + ((t & 511) * 125 >> 9);
}

static uint64_t ns_to_tod(uint64_t ns)
{
	return ns / 125 * 512 + ns % 125 * 512 / 125;
}

uint64_t s390x_tod(void)
{
	uint64_t t;

	__asm__ volatile("stck %0" : "=Q"(t) : : "cc");
	return t;
}

uint64_t arch_time_ns(void)
{
	return tod_to_ns(s390x_tod() - s390x_ipl_tod);
}

static void set_clock_comparator(uint64_t t)
{
	__asm__ volatile("sckc %0" : : "Q"(t));
}

uint16_t s390x_wait_ext_timeout(uint64_t subclasses, uint64_t timeout_ns)
{
	uint16_t code;

	set_clock_comparator(s390x_tod() + ns_to_tod(timeout_ns));
	code = s390x_wait_ext(subclasses | CR0_CLOCK_COMPARATOR);
	/* Far in the future again: nothing stays pending. */
	set_clock_comparator(~0ULL);
	return code == EXT_CODE_CLOCK_COMPARATOR ? 0 : code;
}
