// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which machine this is: STORE SYSTEM INFORMATION 1.1.1 (the basic
 * machine configuration), whose manufacturer field QEMU fills with
 * "QEMU" (EBCDIC). The board needs to know: QEMU 7.2's channel subsystem
 * mishandles a transfer across format-2 IDAW blocks
 * (../shared/reference/s390x-qemu-facts.md), so channel programs are
 * refused rather than corrupted there.
 */
#include "s390x.h"
#include <string.h>

#define SYSIB_111_MANUFACTURER 32

static uint8_t sysib[4096] __attribute__((aligned(4096)));

bool s390x_machine_is_qemu(void)
{
	static const uint8_t qemu_ebcdic[4] = { 0xd8, 0xc5, 0xd4, 0xe4 };
	int cc;

	memset(sysib, 0, sizeof(sysib));
	/* Set right before the instruction: a call (memset) in between
	 * would be free to clobber them. */
	register unsigned long r0 __asm__("0") = 1UL << 28 | 1;   /* fc 1, sel1 1 */
	register unsigned long r1 __asm__("1") = 1;               /* sel2 1 */
	__asm__ volatile("stsi %[blk]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [blk] "=Q"(*(uint8_t (*)[4096])sysib)
			 : "d"(r0), "d"(r1) : "cc", "memory");
	return !cc && !memcmp(sysib + SYSIB_111_MANUFACTURER, qemu_ebcdic,
			      sizeof(qemu_ebcdic));
}
