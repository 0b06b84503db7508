// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host program runs no guest: it checks a firmware configuration and
 * its FIT offline (<partita/arch/cpus.h>), without knowing the target
 * machine's CPUs, so their number is not checked here.
 */
#include <partita/arch/cpus.h>

bool arch_guests_supported(Error **errp)
{
	(void)errp;
	return true;
}

unsigned arch_cpu_count(void)
{
	return 0;
}

unsigned arch_pa_bits(void)
{
	return 0;
}
