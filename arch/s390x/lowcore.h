/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * z/Architecture lowcore offsets and PSW bits the boot path uses
 * (Principles of Operation, SA22-7832, "Assigned storage locations").
 */
#ifndef S390X_LOWCORE_H
#define S390X_LOWCORE_H

#define LC_EXT_INT_CODE         0x086   /* halfword */
#define LC_PGM_INT_CODE         0x08e   /* halfword */
#define LC_TRANS_EXC_CODE       0x0a8   /* doubleword */
#define LC_EXT_OLD_PSW          0x130
#define LC_PGM_OLD_PSW          0x150
#define LC_EXT_NEW_PSW          0x1b0
#define LC_PGM_NEW_PSW          0x1d0

/* PSW mask bits (64-bit PSW word 0). */
#define PSW_MASK_EXT            0x0100000000000000
#define PSW_MASK_WAIT           0x0002000000000000
#define PSW_MASK_EA             0x0000000100000000
#define PSW_MASK_BA             0x0000000080000000
#define PSW_MASK_64             (PSW_MASK_EA | PSW_MASK_BA)

/* CR0 bits. */
#define CR0_SERVICE_SIGNAL      0x200   /* service-signal subclass mask */
#define CR0_AFP                 0x40000 /* additional FP registers */

/* A disabled wait at this address asks QEMU to shut down cleanly
 * (s390x's "special wait PSW"); any other disabled wait is a crash. */
#define QEMU_SHUTDOWN_WAIT_ADDR 0xfff

#endif
