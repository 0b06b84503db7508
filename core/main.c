// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The partition manager's run: configuration, board, partitions, the
 * self-test, the report, and (a host program, or a firmware that ends)
 * tearing it all down again.
 */
#include <partita/arch/board.h>
#include <partita/compiler.h>
#include <partita/core/config.h>
#include <partita/core/dt-summary.h>
#include <partita/core/guests.h>
#include <partita/core/main.h>
#include <partita/core/manager.h>
#include <partita/core/manifest.h>
#include <partita/core/report.h>
#include <partita/core/selftest.h>
#include <partita/log.h>
#if IS_ENABLED(CONFIG_HAS_DEVICE_TREE)
#include <libfdt.h>
#endif

/* A static image's configuration may be in its device tree: only a blob
 * that is a device tree is searched (a bad one is the board's to refuse,
 * with its own message). */
static bool add_manifest(const struct boot_info *bi, struct config *cfg,
			 Error **errp)
{
#if IS_ENABLED(CONFIG_HAS_DEVICE_TREE) && IS_ENABLED(CONFIG_HAS_BOARD)
	const void *fdt = bi->fdt ? bi->fdt : board_default_fdt();

	if (fdt && !fdt_check_header(fdt) && manifest_present(fdt))
		return manifest_parse(fdt, cfg, errp);
#endif
	return true;
}

/* Targets that cannot bring a board up yet say what their tree holds. */
static int summary_only(const struct boot_info *bi)
{
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

static int run(const struct boot_info *bi, const struct config *cfg)
{
	const void *fdt = bi->fdt ? bi->fdt : board_default_fdt();
	struct selftest_result st = { 0 };
	struct manager m;
	struct board b;
	Error *err = NULL;
	int status = 0;

	if (!fdt && IS_ENABLED(CONFIG_HAS_DEVICE_TREE)) {
		error_report("no device tree describes this machine");
		return 1;
	}
	/* Targets without a device tree say what they learnt instead. */
	if (!fdt && bi->ram_size)
		pr_info("RAM: %llu MiB, %u CPU%s",
			(unsigned long long)(bi->ram_size >> 20), bi->cpus,
			bi->cpus == 1 ? "" : "s");
	if (!board_init(&b, fdt, &err)) {
		error_report_err(err);
		return 1;
	}
	if (cfg->reports & CONFIG_REPORT_DEVICES) {
		report_devices(&b);
		/* A question about the board alone: nothing to build or
		 * report unless a configuration, a self-test or another
		 * report came with it. */
		if (!cfg->items && !cfg->selftest_dma &&
		    !(cfg->reports & ~CONFIG_REPORT_DEVICES)) {
			board_fini(&b);
			return 0;
		}
	}
	if (!manager_setup(&m, &b, cfg, &err)) {
		error_report_err(err);
		board_fini(&b);
		return 1;
	}
	if (cfg->selftest_dma) {
		if (!selftest_dma(&m, &st)) {
			error_report("selftest: out of memory");
			status = 1;
		} else if (st.failures) {
			status = 2;
		} else if (!st.nchecks) {
			/* Isolation was asked about and nothing could answer:
			 * the skip status of automake and kvm-unit-tests, so
			 * that no pipeline reads it as a pass. */
			status = SELFTEST_EXIT_UNTESTED;
		}
	}
	/* Then the guests, until every one has ended: the machine's status
	 * is theirs unless the self-test already said something. */
	if (IS_ENABLED(CONFIG_GUESTS) && guests_run(&m) && !status)
		status = guests_status(&m);
	/* The table always, unless only JSON (for tools) was asked for. */
	if (!(cfg->reports & CONFIG_REPORT_JSON) ||
	    (cfg->reports & CONFIG_REPORT_TABLE))
		report_table(&m, cfg->selftest_dma ? &st : NULL);
	if (cfg->reports & CONFIG_REPORT_MTREE)
		report_mtree(&m);
	if (cfg->reports & CONFIG_REPORT_JSON)
		report_json(&m, cfg->selftest_dma ? &st : NULL);
	if (bi->since_reset_ns) {
		uint64_t ns = bi->since_reset_ns();

		pr_info("time from reset to report: %llu.%03llu ms",
			(unsigned long long)(ns / 1000000),
			(unsigned long long)(ns / 1000 % 1000));
	}
	selftest_result_free(&st);
	manager_teardown(&m);
	board_fini(&b);
	return status;
}

int partita_main(const struct boot_info *bi)
{
	const char *bootargs = bi->bootargs;
	enum log_level level = log_get_level();
	struct config cfg;
	Error *err = NULL;
	bool ok;
	int status;

	if (bi->argv) {
		config_init(&cfg, "command line");
		cfg.fit = bi->fit;
		cfg.fit_size = bi->fit_size;
		ok = config_parse_argv(&cfg, bi->argc, bi->argv, &err) &&
		     (!bi->config_text ||
		      config_parse_string(&cfg, bi->config_text, &err));
	} else {
		if (!bootargs || !bootargs[0])
			bootargs = CONFIG_DEFAULT_BOOTARGS;
		config_init(&cfg, "bootargs");
		cfg.fit = bi->fit;
		cfg.fit_size = bi->fit_size;
		ok = config_parse_string(&cfg, bootargs, &err);
	}
	ok = ok && add_manifest(bi, &cfg, &err);
	/* A JSON report is for tools: nothing else on the console but
	 * warnings and errors (which go to stderr on the host). */
	if (ok && (cfg.reports & CONFIG_REPORT_JSON) && level > LOG_WARN)
		log_set_level(LOG_WARN);
	partita_print_banner(bi->arch);
	if (!bi->argv && bootargs[0])
		pr_info("bootargs: %s%s", bootargs,
			bootargs == bi->bootargs ? "" : " (built-in default)");
	if (!ok) {
		error_report_err(err);
		config_free(&cfg);
		return 1;
	}
	status = IS_ENABLED(CONFIG_HAS_BOARD) ? run(bi, &cfg) : summary_only(bi);
	config_free(&cfg);
	log_set_level(level);
	return status;
}
