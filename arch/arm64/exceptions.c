// SPDX-License-Identifier: GPL-2.0-or-later
#include "arm64.h"
#include <partita/log.h>
#include <partita/main.h>
#include <stdint.h>

void arm64_unexpected_exception(unsigned long kind, uint64_t esr,
				uint64_t elr, uint64_t far);

static const char *const kind_names[4] = {
	"synchronous", "IRQ", "FIQ", "SError",
};

/* Called from vectors.S with the vector number (0..15). */
void arm64_unexpected_exception(unsigned long kind, uint64_t esr,
				uint64_t elr, uint64_t far)
{
	pr_err("unexpected %s exception (vector %lu): ESR_EL1=0x%016llx "
	       "ELR_EL1=0x%016llx FAR_EL1=0x%016llx",
	       kind_names[kind & 3], kind, (unsigned long long)esr,
	       (unsigned long long)elr, (unsigned long long)far);
	arch_exit(127);
}

/* The contract is in <partita/main.h>. */
void arch_exit(int status)
{
	pr_info("EXIT: STATUS=%d", status);
	psci_system_off();
}
