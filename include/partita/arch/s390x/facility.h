/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The s390x facility list (arch/s390x/facility.c): read once by STFLE at
 * boot and kept, so that a driver checks its facility before it uses an
 * instruction (zPCI is facility 69; AP needs 12 and 15). Under QEMU,
 * `-cpu qemu,zpci=off` clears 69 while the zPCI instructions still run:
 * the bit is the only honest answer.
 */
#ifndef PARTITA_ARCH_S390X_FACILITY_H
#define PARTITA_ARCH_S390X_FACILITY_H

#include <stdbool.h>

#define S390X_FACILITY_ZPCI     69
#define S390X_FACILITY_AP       12      /* AP instructions ... */
#define S390X_FACILITY_AP_QUERY 15      /* ... and the AP query */

bool s390x_has_facility(unsigned nr);

#endif
