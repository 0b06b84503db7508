/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal interfaces of the s390x boot path (arch/s390x only). */
#ifndef S390X_S390X_H
#define S390X_S390X_H

#include <stdbool.h>
#include <stdint.h>

/* head.S */
void sclp_wait_interrupt(void);
void s390x_power_off(void) __attribute__((noreturn));
extern char s390x_parm_area[];

/* setup.c: C entry from head.S; never returns. */
void s390x_start(void) __attribute__((noreturn));
void s390x_program_check(uint64_t code, uint64_t addr, uint64_t tec)
	__attribute__((noreturn));

/* facility.c: STFLE, read once by s390x_start (after the console, so it
 * can say what it found) and kept. */
void s390x_facilities_init(void);
bool s390x_has_facility(unsigned nr);

/* sclp.c: the Service Call Logical Processor, the console and machine
 * facts of every s390 machine. */
/* Enable the VT220 (ASCII) console events; false if SCLP refuses. */
bool sclp_console_init(void);
void sclp_console_write(const char *s);
/* Storage size and CPU count from Read SCP Info; false if unavailable. */
bool sclp_read_info(uint64_t *ram_bytes, unsigned *cpus);

#endif
