// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/compiler.h>
#include <partita/dt-summary.h>
#include <partita/log.h>
#include <partita/main.h>

int partita_main(const struct boot_info *bi)
{
	const char *bootargs = bi->bootargs;

	partita_print_banner(bi->arch);
	if (!bootargs || !bootargs[0])
		bootargs = CONFIG_DEFAULT_BOOTARGS;
	if (bootargs[0])
		pr_info("bootargs: %s%s", bootargs,
			bootargs == bi->bootargs ? "" : " (built-in default)");

	/* Without device-tree support the call below is compiled out, so
	 * targets without libfdt still link. */
	if (IS_ENABLED(CONFIG_HAS_DEVICE_TREE) && bi->fdt) {
		struct dt_summary s;
		Error *err = NULL;

		if (!dt_summarize(bi->fdt, &s, &err)) {
			error_report_err(err);
			return 1;
		}
		dt_summary_print(&s);
		return 0;
	}
	if (bi->ram_size)
		pr_info("RAM: %llu MiB, %u CPU%s",
			(unsigned long long)(bi->ram_size >> 20), bi->cpus,
			bi->cpus == 1 ? "" : "s");
	else
		pr_info("no device tree");
	return 0;
}
