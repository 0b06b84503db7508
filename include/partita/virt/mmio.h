/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A guest's trapped access to memory its stage 2 does not map, answered
 * through the partition's AddressSpace (virt/mmio.c): the stage-2 data
 * abort's syndrome (ESR_EL2, Arm ARM D17 "ISS encoding for an exception
 * from a Data Abort") says, when ISV is set, the access size (SAS),
 * sign extension (SSE), the register (SRT, 31 = XZR), its width (SF)
 * and the direction (WnR); HPFAR_EL2 gives the faulting IPA's page and
 * FAR_EL2 the offset within it. An abort without a valid syndrome, or at
 * an address where the AddressSpace has nothing, is not emulated: the
 * partition stops with a report naming the vCPU, the IPA, the ESR (class
 * and ISS) and the ELR.
 */
#ifndef PARTITA_VIRT_MMIO_H
#define PARTITA_VIRT_MMIO_H

#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

#define ESR_EC(esr)             (((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_LOW         0x24    /* data abort from a lower EL */
#define ESR_ISS(esr)            ((esr) & 0x1ffffff)

struct mmio_access {
	uint64_t ipa;
	unsigned size;               /* 1, 2, 4 or 8 bytes */
	unsigned reg;                /* 0..30; 31 is XZR */
	bool write, sign_extend, sf;
};

enum mmio_result {
	MMIO_DONE,                   /* emulated: the guest resumes after it */
	MMIO_NO_SYNDROME,            /* ISV clear (or not a data abort) */
	MMIO_UNMAPPED,               /* nothing at the IPA */
};

/* Decode a stage-2 data abort; false for one without a valid syndrome. */
/* The IPA a stage-2 abort names: the page from HPFAR_EL2, the offset
 * in it from FAR_EL2. */
uint64_t mmio_fault_ipa(uint64_t far, uint64_t hpfar);

bool mmio_decode(uint64_t esr, uint64_t far, uint64_t hpfar,
		 struct mmio_access *a);
/* Carry it out on as, reading from or writing into regs[0..30] (the
 * guest's x0..x30): MMIO_DONE, or why not (regs unchanged). */
enum mmio_result mmio_emulate(AddressSpace *as, uint64_t esr, uint64_t far,
			      uint64_t hpfar, uint64_t regs[31],
			      struct mmio_access *a);

#endif
