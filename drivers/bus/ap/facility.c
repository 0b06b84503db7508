// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * AP discovery on s390x. AP queues are found with the AP instructions
 * (PQAP, TAPQ), which need facilities 12 and 15; QEMU's TCG has neither
 * (its AP instructions raise an operation exception), so there the
 * answer is plainly that there is no AP bus, and why. With the
 * facilities present Partita does not yet drive AP queues on s390x:
 * it says so rather than pretend to find none.
 */
#include "../bus-private.h"
#include <partita/arch/s390x/facility.h>
#include <partita/log.h>

bool bus_ap_facility_discover(const struct bus_env *env, struct bus_devices *d,
			      Error **errp)
{
	(void)env;
	(void)errp;
	if (!s390x_has_facility(S390X_FACILITY_AP) ||
	    !s390x_has_facility(S390X_FACILITY_AP_QUERY)) {
		d->ap_absent = "this machine has no AP facility (STFLE bits "
			       "12/15 are off): no AP queue can be assigned";
		pr_info("ap: no AP facility (STFLE bits 12/15 are off)");
		return true;
	}
	d->ap_absent = "the AP facility is present, but Partita does not "
		       "drive AP queues on s390x yet";
	pr_warn("ap: %s: no AP queue is handed out", d->ap_absent);
	return true;
}
