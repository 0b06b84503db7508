/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal interfaces of the s390x boot path (arch/s390x only). */
#ifndef S390X_S390X_H
#define S390X_S390X_H

#include <stdbool.h>
#include <stdint.h>

/* head.S */
/* Wait for an external interruption of these CR0 subclasses (time.c
 * bounds it); its interruption code. */
uint16_t s390x_wait_ext(uint64_t subclasses);
void s390x_power_off(void) __attribute__((noreturn));
/* A disabled wait QEMU reports as a crash: nothing else can be said. */
void s390x_stop_crashed(void) __attribute__((noreturn));
extern char s390x_parm_area[];
/* The TOD clock at the image's first instruction. */
extern uint64_t s390x_ipl_tod;

/* setup.c: C entry from head.S; never returns. It keeps what SCLP said
 * of the storage size for the board (0: unknown). */
void s390x_start(void) __attribute__((noreturn));
extern uint64_t s390x_ram_size;

/* traps.c: the report of an interruption nothing expected (head.S's
 * handlers; class is INT_* of lowcore.h); ends the run. */
void s390x_unexpected(uint64_t class, uint64_t mask, uint64_t addr,
		      uint64_t code, uint64_t detail) __attribute__((noreturn));

/* time.c: the TOD clock, and a wait for an external interruption of
 * these CR0 subclasses that ends after timeout_ns: its code, or 0 when
 * the time ran out. (arch_time_ns, <partita/arch/time.h>, counts from
 * s390x_ipl_tod.) */
uint64_t s390x_tod(void);
uint16_t s390x_wait_ext_timeout(uint64_t subclasses, uint64_t timeout_ns);

/* facility.c: STFLE, read once by s390x_start (after the console, so it
 * can say what it found) and kept; s390x_has_facility() is
 * <partita/arch/s390x/facility.h>. */
void s390x_facilities_init(void);

/* stsi.c: STSI 1.1.1 names QEMU as the manufacturer. */
bool s390x_machine_is_qemu(void);

/* sclp.c: the Service Call Logical Processor, the console and machine
 * facts of every s390 machine. */
/* Enable the VT220 (ASCII) console events; false if SCLP refuses. */
bool sclp_console_init(void);
void sclp_console_write(const char *s);
/* Storage size and CPU count from Read SCP Info; false if unavailable. */
bool sclp_read_info(uint64_t *ram_bytes, unsigned *cpus);

#endif
