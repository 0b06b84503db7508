// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fail-the-Nth-allocation injection, shared by the heap and the page
 * allocator. This is the one piece of process-wide mutable state in mm/:
 * a test hook, inert (one compare) unless a test arms it.
 */
#include <partita/compiler.h>
#include <partita/heap.h>

static unsigned long fault_nth;
static unsigned long fault_calls;
static unsigned fault_held;

void alloc_fault_hold(void)
{
	fault_held++;
}

void alloc_fault_release(void)
{
	fault_held--;
}

void alloc_fault_fail_nth(unsigned long n)
{
	fault_nth = n;
	fault_calls = 0;
}

unsigned long alloc_fault_calls(void)
{
	return fault_calls;
}

bool alloc_fault_check(void)
{
	if (!IS_ENABLED(CONFIG_ALLOC_FAULT_INJECT) || fault_held)
		return false;
	fault_calls++;
	if (fault_nth && fault_calls == fault_nth) {
		fault_nth = 0;
		return true;
	}
	return false;
}
