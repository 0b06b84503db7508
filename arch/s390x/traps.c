// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report of an interruption nothing expected (head.S points every
 * new PSW here but while a wait installs its own): which class, the old
 * PSW (where it came from), the interruption code, and what the class
 * adds: for a program check the translation-exception address, for an
 * I/O interruption its subchannel and parameter. The run then ends; a
 * second interruption during the report stops the CPU at once.
 */
#include "lowcore.h"
#include "s390x.h"
#include <partita/arch/exit.h>
#include <partita/log.h>

static const char *program_check_name(unsigned code)
{
	switch (code & 0x7f) {        /* without the PER and TX bits */
	case 0x01: return "operation";
	case 0x02: return "privileged operation";
	case 0x03: return "execute";
	case 0x04: return "protection";
	case 0x05: return "addressing";
	case 0x06: return "specification";
	case 0x07: return "data";
	case 0x09: return "fixed-point divide";
	case 0x10: return "segment translation";
	case 0x11: return "page translation";
	case 0x12: return "translation specification";
	case 0x13: return "special operation";
	case 0x15: return "operand";
	case 0x38: return "ASCE type";
	case 0x39: return "region-first translation";
	case 0x3a: return "region-second translation";
	case 0x3b: return "region-third translation";
	default: return "other";
	}
}

/* The exceptions whose TEC holds the failing address (bits 0-51). */
static bool has_tec_address(unsigned code)
{
	code &= 0x7f;
	return code == 0x04 || code == 0x10 || code == 0x11 ||
	       (code >= 0x38 && code <= 0x3b);
}

void s390x_unexpected(uint64_t class, uint64_t mask, uint64_t addr,
		      uint64_t code, uint64_t detail)
{
	static const char *const names[] = {
		[INT_RESTART] = "restart", [INT_EXTERNAL] = "external",
		[INT_SVC] = "supervisor-call", [INT_PROGRAM] = "program",
		[INT_MACHINE_CHECK] = "machine-check", [INT_IO] = "I/O",
	};
	static bool reporting;
	unsigned long long c = code;

	if (reporting)
		s390x_stop_crashed();
	reporting = true;
	/* A restart has no code: an operator (QEMU's nmi) asked for it. */
	if (class == INT_RESTART)
		pr_err("unexpected restart interruption: old PSW %016llx %016llx",
		       (unsigned long long)mask, (unsigned long long)addr);
	else
		pr_err("unexpected %s interruption: code 0x%04llx, old PSW "
		       "%016llx %016llx", names[class], c,
		       (unsigned long long)mask, (unsigned long long)addr);
	if (class == INT_PROGRAM) {
		pr_err("  %s exception", program_check_name((unsigned)code));
		if (has_tec_address((unsigned)code))
			pr_err("  translation-exception address 0x%llx "
			       "(TEC 0x%llx)",
			       (unsigned long long)(detail & ~0xfffULL),
			       (unsigned long long)detail);
	} else if (class == INT_IO) {
		pr_err("  subchannel 0.%llx.%04llx, interruption parameter "
		       "0x%08llx", (c >> 17) & 3, c & 0xffff,
		       (unsigned long long)(detail >> 32));
	}
	arch_exit(127);
}
