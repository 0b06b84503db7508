/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PSCI a guest calls (virt/psci.c; Arm DEN 0022, PSCI 1.0), by SMC
 * or HVC trapped to the partition manager: VERSION (1.0), FEATURES,
 * CPU_ON and CPU_OFF for the partition's own vCPUs (their MPIDRs are the
 * vCPU ids 0..N-1, as the guest's device tree says), AFFINITY_INFO,
 * SYSTEM_OFF and SYSTEM_RESET, which stop the partition, never the
 * machine. Any other function id answers NOT_SUPPORTED and the guest
 * carries on. 32- and 64-bit (SMC64) function ids both work where the
 * specification has both.
 *
 * The vCPU layer owns the CPUs: this decides and tells it through ops.
 */
#ifndef PARTITA_VIRT_PSCI_H
#define PARTITA_VIRT_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#define PSCI_VERSION            0x84000000u
#define PSCI_CPU_OFF            0x84000002u
#define PSCI_CPU_ON_32          0x84000003u
#define PSCI_CPU_ON_64          0xc4000003u
#define PSCI_AFFINITY_INFO_32   0x84000004u
#define PSCI_AFFINITY_INFO_64   0xc4000004u
#define PSCI_SYSTEM_OFF         0x84000008u
#define PSCI_SYSTEM_RESET       0x84000009u
#define PSCI_FEATURES           0x8400000au

#define PSCI_RET_SUCCESS             0
#define PSCI_RET_NOT_SUPPORTED      -1
#define PSCI_RET_INVALID_PARAMS     -2
#define PSCI_RET_DENIED             -3
#define PSCI_RET_ALREADY_ON         -4
#define PSCI_RET_ON_PENDING         -5

#define PSCI_MAX_VCPUS 64

enum psci_vcpu_state { PSCI_VCPU_OFF, PSCI_VCPU_ON_PENDING, PSCI_VCPU_ON };

struct psci_ops {
	/* Start vCPU at entry with context_id in x0 (it is off). */
	void (*cpu_on)(void *opaque, unsigned vcpu, uint64_t entry,
		       uint64_t context_id);
	/* The calling vCPU stops. */
	void (*cpu_off)(void *opaque, unsigned vcpu);
	/* The whole partition stops: SYSTEM_OFF (reset false) or
	 * SYSTEM_RESET (true; a partition is not restarted). */
	void (*system_off)(void *opaque, bool reset);
};

struct psci {
	unsigned nvcpus;
	enum psci_vcpu_state state[PSCI_MAX_VCPUS];
	const struct psci_ops *ops;
	void *opaque;
	unsigned long unknown_calls;     /* answered NOT_SUPPORTED */
};

/* vCPU 0 on, the others off. */
void psci_init(struct psci *p, unsigned nvcpus, const struct psci_ops *ops,
	       void *opaque);
/* vCPU caller's call with x0..x3; the value for its x0. */
int64_t psci_call(struct psci *p, unsigned caller, uint64_t x0, uint64_t x1,
		  uint64_t x2, uint64_t x3);
/* A started vCPU reached its entry (ON_PENDING -> ON). */
void psci_vcpu_running(struct psci *p, unsigned vcpu);

#endif
