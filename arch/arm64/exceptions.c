// SPDX-License-Identifier: GPL-2.0-or-later
#include "arm64.h"
#include <partita/arch/exit.h>
#include <partita/core/main.h>
#include <partita/log.h>
#include <stdint.h>

void arm64_unexpected_exception(unsigned long kind, uint64_t esr,
				uint64_t elr, uint64_t far, unsigned long el);

static const char *const kind_names[4] = {
	"synchronous", "IRQ", "FIQ", "SError",
};

/* Called from vectors.S with the vector number (0..15) and the
 * exception level it was taken to. */
void arm64_unexpected_exception(unsigned long kind, uint64_t esr,
				uint64_t elr, uint64_t far, unsigned long el)
{
	pr_err("unexpected %s exception at EL%lu (vector %lu): "
	       "ESR_EL%lu=0x%016llx (class 0x%02llx) ELR_EL%lu=0x%016llx "
	       "FAR_EL%lu=0x%016llx", kind_names[kind & 3], el, kind, el,
	       (unsigned long long)esr, (unsigned long long)(esr >> 26), el,
	       (unsigned long long)elr, el, (unsigned long long)far);
	arch_exit(127);
}

/* The contract is in <partita/arch/exit.h>. */
void arch_exit(int status)
{
	pr_info("EXIT: STATUS=%d", status);
	arm64_psci_system_off();
}
