/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * z/Architecture lowcore offsets and PSW bits the boot path uses
 * (Principles of Operation, SA22-7832, "Assigned storage locations").
 */
#ifndef S390X_LOWCORE_H
#define S390X_LOWCORE_H

#define LC_EXT_INT_CODE         0x086   /* halfword */
#define LC_SVC_INT_CODE         0x08a   /* halfword */
#define LC_PGM_INT_CODE         0x08e   /* halfword */
#define LC_TRANS_EXC_CODE       0x0a8   /* doubleword */
#define LC_SUBCHANNEL_ID        0x0b8   /* word: SSID | subchannel number */
#define LC_IO_INT_PARM          0x0bc   /* word */
#define LC_IO_INT_WORD          0x0c0   /* word */
#define LC_MCCK_CODE            0x0e8   /* doubleword */
#define LC_RESTART_OLD_PSW      0x120
#define LC_EXT_OLD_PSW          0x130
#define LC_SVC_OLD_PSW          0x140
#define LC_PGM_OLD_PSW          0x150
#define LC_MCCK_OLD_PSW         0x160
#define LC_IO_OLD_PSW           0x170
#define LC_RESTART_NEW_PSW      0x1a0
#define LC_EXT_NEW_PSW          0x1b0
#define LC_SVC_NEW_PSW          0x1c0
#define LC_PGM_NEW_PSW          0x1d0
#define LC_MCCK_NEW_PSW         0x1e0
#define LC_IO_NEW_PSW           0x1f0

/* PSW mask bits (64-bit PSW word 0). */
#define PSW_MASK_IO             0x0200000000000000
#define PSW_MASK_EXT            0x0100000000000000
#define PSW_MASK_WAIT           0x0002000000000000
#define PSW_MASK_EA             0x0000000100000000
#define PSW_MASK_BA             0x0000000080000000
#define PSW_MASK_64             (PSW_MASK_EA | PSW_MASK_BA)

/* CR0 external-interruption subclass masks, and the FP enable. */
#define CR0_CLOCK_COMPARATOR    0x800
#define CR0_SERVICE_SIGNAL      0x200
#define CR0_AFP                 0x40000 /* additional FP registers */

/* External interruption codes. */
#define EXT_CODE_CLOCK_COMPARATOR 0x1004
#define EXT_CODE_SERVICE_SIGNAL   0x2401

/* What s390x_unexpected() is told came in (head.S passes it in r2). */
#define INT_RESTART             0
#define INT_EXTERNAL            1
#define INT_SVC                 2
#define INT_PROGRAM             3
#define INT_MACHINE_CHECK       4
#define INT_IO                  5

/* A disabled wait at this address asks QEMU to shut down cleanly
 * (s390x's "special wait PSW"); any other disabled wait is a crash. */
#define QEMU_SHUTDOWN_WAIT_ADDR 0xfff

#endif
