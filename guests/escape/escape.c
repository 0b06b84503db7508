// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * escape: tries to reach what is not its partition's, one target after
 * the other, reading one byte and then writing it back:
 *   past   the first byte after its RAM
 *   other  the IPA where another partition's RAM would be (bootargs
 *          other=ADDR; skipped without it)
 *   gich   the GIC's hypervisor interface on QEMU virt (0x08030000):
 *          the list registers of whatever CPU reads it
 *   smmu   the SMMUv3's register frame on QEMU virt (0x09050000)
 * bootargs start=NAME begins the list at NAME. Expected: Partita stops
 * the partition at the first access, with a report naming its IPA; a
 * line saying an access landed, and exit status 1, means it did not.
 * First it reads GICD_TYPER at 0x08000000, where QEMU virt's real
 * distributor is: what answers is the partition's own virtual one (its
 * CPU count is the partition's, not the machine's).
 */
#include "guest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct target {
	const char *name;
	uint64_t addr;
};

int guest_main(const void *fdt)
{
	struct target t[] = {
		{ "past", 0 }, { "other", 0 }, { "gich", 0x08030000 },
		{ "smmu", 0x09050000 },
	};
	uint64_t base, size;
	char buf[32];
	unsigned first = 0;

	(void)fdt;
	if (!rt_memory(&base, &size))
		return 2;
	printf("escape: the GIC distributor at 0x8000000 has %u CPU interfaces "
	       "(the partition's vCPUs: %u)\n",
	       ((*(volatile uint32_t *)0x08000004 >> 5) & 7) + 1, rt_cpu_count());
	t[0].addr = base + size;
	if (rt_bootarg("other", buf, sizeof(buf)))
		t[1].addr = strtoull(buf, NULL, 0);
	if (rt_bootarg("start", buf, sizeof(buf)))
		for (unsigned i = 0; i < 4; i++)
			if (!strcmp(buf, t[i].name))
				first = i;
	for (unsigned i = first; i < 4; i++) {
		volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)t[i].addr;
		uint8_t v;

		if (!t[i].addr)
			continue;
		printf("escape: reading %s at 0x%llx\n", t[i].name,
		       (unsigned long long)t[i].addr);
		v = *p;
		printf("escape: read 0x%02x from %s: it LANDED; writing it back\n",
		       v, t[i].name);
		*p = v;
		printf("escape: write to %s LANDED\n", t[i].name);
	}
	return 1;
}
