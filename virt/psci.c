// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest's PSCI (include/partita/virt/psci.h). */
#include <partita/virt/psci.h>
#include <string.h>

#define PSCI_VERSION_1_0 0x00010000

/* The vCPU an MPIDR names: Aff0 is the vCPU id; every other affinity
 * field must be 0 (the guest's device tree gives reg = 0..N-1). */
static bool vcpu_of(const struct psci *p, uint64_t mpidr, unsigned *vcpu)
{
	if (mpidr & ~0xffULL || mpidr >= p->nvcpus)
		return false;
	*vcpu = (unsigned)mpidr;
	return true;
}

static bool known(uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION: case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

static int64_t cpu_on(struct psci *p, uint64_t mpidr, uint64_t entry,
		      uint64_t ctx, bool smc32)
{
	unsigned v;

	if (smc32) {
		mpidr &= 0xffffffffu;
		entry &= 0xffffffffu;
		ctx &= 0xffffffffu;
	}
	if (!vcpu_of(p, mpidr, &v) || (entry & 3))
		return PSCI_RET_INVALID_PARAMS;
	if (p->state[v] == PSCI_VCPU_ON)
		return PSCI_RET_ALREADY_ON;
	if (p->state[v] == PSCI_VCPU_ON_PENDING)
		return PSCI_RET_ON_PENDING;
	p->state[v] = PSCI_VCPU_ON_PENDING;
	p->ops->cpu_on(p->opaque, v, entry, ctx);
	return PSCI_RET_SUCCESS;
}

void psci_init(struct psci *p, unsigned nvcpus, const struct psci_ops *ops,
	       void *opaque)
{
	memset(p, 0, sizeof(*p));
	p->nvcpus = nvcpus > PSCI_MAX_VCPUS ? PSCI_MAX_VCPUS : nvcpus;
	p->ops = ops;
	p->opaque = opaque;
	if (p->nvcpus)
		p->state[0] = PSCI_VCPU_ON;
}

void psci_vcpu_running(struct psci *p, unsigned vcpu)
{
	if (vcpu < p->nvcpus && p->state[vcpu] == PSCI_VCPU_ON_PENDING)
		p->state[vcpu] = PSCI_VCPU_ON;
}

int64_t psci_call(struct psci *p, unsigned caller, uint64_t x0, uint64_t x1,
		  uint64_t x2, uint64_t x3)
{
	uint32_t fn = (uint32_t)x0;
	unsigned v;

	/* The upper half of a function id is zero, else it is no PSCI
	 * call at all. */
	if (x0 >> 32) {
		p->unknown_calls++;
		return PSCI_RET_NOT_SUPPORTED;
	}
	switch (fn) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_0;
	case PSCI_FEATURES:
		return known((uint32_t)x1) ? PSCI_RET_SUCCESS :
					     PSCI_RET_NOT_SUPPORTED;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return cpu_on(p, x1, x2, x3, fn == PSCI_CPU_ON_32);
	case PSCI_CPU_OFF:
		if (caller >= p->nvcpus)
			return PSCI_RET_DENIED;
		p->state[caller] = PSCI_VCPU_OFF;
		p->ops->cpu_off(p->opaque, caller);
		return PSCI_RET_SUCCESS;        /* not seen: the vCPU is off */
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		/* Only the lowest affinity level is asked about. */
		if (x2 != 0 || !vcpu_of(p, fn == PSCI_AFFINITY_INFO_32 ?
					    x1 & 0xffffffffu : x1, &v))
			return PSCI_RET_INVALID_PARAMS;
		return p->state[v] == PSCI_VCPU_ON ? 0 :
		       p->state[v] == PSCI_VCPU_OFF ? 1 : 2;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		p->ops->system_off(p->opaque, fn == PSCI_SYSTEM_RESET);
		return PSCI_RET_SUCCESS;
	default:
		p->unknown_calls++;
		return PSCI_RET_NOT_SUPPORTED;
	}
}
