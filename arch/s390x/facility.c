// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The facility list (STORE FACILITY LIST EXTENDED), read once at boot and
 * kept: drivers check their bit rather than assume (zPCI is facility 69,
 * AP 12 and 15). Under QEMU, `-cpu qemu,zpci=off` clears 69 while the
 * zPCI instructions still run, so the bit is the only honest answer.
 */
#include "s390x.h"
#include <partita/arch/s390x/facility.h>
#include <partita/log.h>

/* 256 facilities: what Partita's drivers ask about. */
static uint64_t facilities[4];

void s390x_facilities_init(void)
{
	register unsigned long r0 __asm__("0") =
		sizeof(facilities) / sizeof(facilities[0]) - 1;

	/* STFLE D2(B2): r0 = doublewords - 1 in, doublewords stored - 1 out
	 * (cc 3 when the list is longer: the first ones are stored). */
	__asm__ volatile(".insn s,0xb2b00000,%0"
			 : "=Q"(facilities), "+d"(r0) : : "cc", "memory");
	pr_info("s390x: facilities: zPCI (69) %s, AP (12, 15) %s",
		s390x_has_facility(S390X_FACILITY_ZPCI) ? "on" : "off",
		s390x_has_facility(S390X_FACILITY_AP) &&
		s390x_has_facility(S390X_FACILITY_AP_QUERY) ? "on" : "off");
}

bool s390x_has_facility(unsigned nr)
{
	if (nr >= 64 * (sizeof(facilities) / sizeof(facilities[0])))
		return false;
	/* Bit 0 is the leftmost of the first doubleword (big-endian). */
	return (facilities[nr / 64] >> (63 - nr % 64)) & 1;
}
