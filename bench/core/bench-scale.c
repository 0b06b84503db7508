// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Setup cost against the size of the machine: simulated boards (device
 * trees made here) with 8, 64, 512 and 1024 PCI functions, each its own
 * device on the flat buses of one root complex (so each its own IOMMU
 * group), and configurations assigning all of them across 1, 8 and 64
 * partitions; the time of the manager's check, build and teardown
 * (manager_setup + manager_teardown: validation, address spaces,
 * containers or IOAS, every device realized and its BARs placed, and
 * all of it undone). The board's own bring-up (discovery, publishing)
 * is printed beside it but not judged.
 *
 * Goals (issue 18): the cost per device roughly constant, the
 * 1024-function time per device at most twice the 8-function one, and
 * at most 50 ms in all at 1024 functions.
 */
#include "../bench.h"
#include <partita/arch/board.h>
#include <partita/core/config.h>
#include <partita/core/manager.h>
#include <partita/error.h>
#include <partita/log.h>
#include <libfdt.h>
#include <string.h>

#define RUNS     5
#define PHANDLE_INTC  1
#define PHANDLE_IOMMU 2
#define RAM_SIZE (512ULL << 20)

static const unsigned sizes[] = { 8, 64, 512, 1024 };
static const unsigned parts[] = { 1, 8, 64 };

static void check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "bench-scale: %s: %s\n", what, fdt_strerror(err));
		exit(2);
	}
}

static void prop_cells(void *fdt, const char *name, const uint32_t *v,
		       unsigned n)
{
	fdt32_t cells[8];

	for (unsigned i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	check(fdt_property(fdt, name, cells, (int)(n * sizeof(*cells))), name);
}

/* The sim board with n functions: 32 single-function devices per bus,
 * stream id = requester id. */
static void *make_board(unsigned n)
{
	size_t size = 64 * 1024 + n * 8;
	void *fdt = malloc(size);
	unsigned buses = (n + 31) / 32;
	fdt32_t *fns = malloc(n * 8);

	if (!fdt || !fns)
		exit(2);
	check(fdt_create(fdt, (int)size), "create");
	check(fdt_finish_reservemap(fdt), "reservemap");
	check(fdt_begin_node(fdt, ""), "root");
	check(fdt_property_string(fdt, "compatible", "partita,sim-board"), "c");
	check(fdt_property_string(fdt, "model", "bench-scale board"), "model");
	prop_cells(fdt, "#address-cells", (uint32_t[]){ 2 }, 1);
	prop_cells(fdt, "#size-cells", (uint32_t[]){ 2 }, 1);
	prop_cells(fdt, "interrupt-parent", (uint32_t[]){ PHANDLE_INTC }, 1);

	check(fdt_begin_node(fdt, "memory@40000000"), "memory");
	check(fdt_property_string(fdt, "device_type", "memory"), "dt");
	prop_cells(fdt, "reg", (uint32_t[]){ 0, 0x40000000, 0,
					     (uint32_t)RAM_SIZE }, 4);
	check(fdt_end_node(fdt), "memory end");

	check(fdt_begin_node(fdt, "interrupt-controller@8000000"), "intc");
	check(fdt_property_string(fdt, "compatible", "partita,sim-intc"), "c");
	prop_cells(fdt, "reg", (uint32_t[]){ 0, 0x08000000, 0, 0x10000 }, 4);
	check(fdt_property(fdt, "interrupt-controller", NULL, 0), "ic");
	prop_cells(fdt, "#interrupt-cells", (uint32_t[]){ 3 }, 1);
	prop_cells(fdt, "#address-cells", (uint32_t[]){ 0 }, 1);
	prop_cells(fdt, "phandle", (uint32_t[]){ PHANDLE_INTC }, 1);
	check(fdt_end_node(fdt), "intc end");

	check(fdt_begin_node(fdt, "iommu@9050000"), "iommu");
	check(fdt_property_string(fdt, "compatible", "partita,sim-iommu"), "c");
	prop_cells(fdt, "reg", (uint32_t[]){ 0, 0x09050000, 0, 0x1000 }, 4);
	prop_cells(fdt, "#iommu-cells", (uint32_t[]){ 1 }, 1);
	prop_cells(fdt, "phandle", (uint32_t[]){ PHANDLE_IOMMU }, 1);
	check(fdt_end_node(fdt), "iommu end");

	check(fdt_begin_node(fdt, "pcie@30000000"), "pcie");
	check(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"), "c");
	check(fdt_property_string(fdt, "device_type", "pci"), "dt");
	prop_cells(fdt, "reg", (uint32_t[]){ 0, 0x30000000, 0, buses << 20 }, 4);
	prop_cells(fdt, "bus-range", (uint32_t[]){ 0, buses - 1 }, 2);
	prop_cells(fdt, "#address-cells", (uint32_t[]){ 3 }, 1);
	prop_cells(fdt, "#size-cells", (uint32_t[]){ 2 }, 1);
	{
		/* 256 MiB of 32-bit window, 256 MiB of 64-bit prefetchable. */
		static const uint32_t r[] = {
			0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x10000000,
			0x43000000, 0x80, 0, 0x80, 0, 0, 0x10000000 };
		fdt32_t c[14];

		for (unsigned i = 0; i < 14; i++)
			c[i] = cpu_to_fdt32(r[i]);
		check(fdt_property(fdt, "ranges", c, sizeof(c)), "ranges");
	}
	prop_cells(fdt, "iommu-map", (uint32_t[]){ 0, PHANDLE_IOMMU, 0,
						   buses << 8 }, 4);
	for (unsigned i = 0; i < n; i++) {
		fns[2 * i] = cpu_to_fdt32((i / 32) << 8 | (i % 32) << 3);
		fns[2 * i + 1] = cpu_to_fdt32(0);
	}
	check(fdt_property(fdt, "partita,sim-functions", fns, (int)(n * 8)),
	      "functions");
	check(fdt_end_node(fdt), "pcie end");
	check(fdt_end_node(fdt), "root end");
	check(fdt_finish(fdt), "finish");
	free(fns);
	return fdt;
}

/* n functions across p partitions, in blocks. */
static char *make_config(unsigned n, unsigned p)
{
	size_t size = 128 + p * 64 + n * 80, len = 0;
	char *s = malloc(size);

	if (!s)
		exit(2);
	s[0] = 0;
	for (unsigned k = 0; k < p; k++)
		len += (size_t)snprintf(s + len, size - len,
					"-partition id=p%u,ram=2M ", k);
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, size - len,
					"-device vfio-pci,host=0000:%02x:%02x.0,"
					"partition=p%u ", i / 32, i % 32,
					i * p / n);
	return s;
}

static void quiet(void *opaque, enum log_level level, const char *line)
{
	(void)opaque;
	if (level == LOG_ERROR)
		fprintf(stderr, "%s\n", line);
}

/* Median ms of RUNS setups + teardowns, and of the board's bring-up. */
static bool measure(unsigned n, unsigned p, double *setup_ms, double *board_ms)
{
	void *fdt = make_board(n);
	char *text = make_config(n, p);
	double rs[RUNS], rb[RUNS];
	struct config cfg;
	Error *err = NULL;

	config_init(&cfg, "bench");
	if (!config_parse_string(&cfg, text, &err)) {
		error_report_err(err);
		return false;
	}
	for (int run = 0; run < RUNS; run++) {
		struct manager m;
		struct board b;
		double t0 = bench_now_ns();

		if (!board_init(&b, fdt, &err)) {
			error_report_err(err);
			return false;
		}
		rb[run] = (bench_now_ns() - t0) / 1e6;
		t0 = bench_now_ns();
		if (!manager_setup(&m, &b, &cfg, &err)) {
			error_report_err(err);
			board_fini(&b);
			return false;
		}
		manager_teardown(&m);
		rs[run] = (bench_now_ns() - t0) / 1e6;
		board_fini(&b);
	}
	*setup_ms = bench_median(rs, RUNS);
	*board_ms = bench_median(rb, RUNS);
	config_free(&cfg);
	free(text);
	free(fdt);
	return true;
}

int main(void)
{
	double per_dev[4][3] = { { 0 } }, total_1024 = 0;
	bool ok = true;

	log_set_sink(quiet, NULL);
	/* BENCH_PROFILE=N,P: only N functions over P partitions, for a
	 * profiler. */
	if (getenv("BENCH_PROFILE")) {
		unsigned n = 0, p = 0;
		double ms, board;

		if (sscanf(getenv("BENCH_PROFILE"), "%u,%u", &n, &p) != 2 ||
		    !n || !p || n > 1024 || p > 64 || !measure(n, p, &ms, &board))
			return 2;
		printf("%u functions, %u partitions: %.2f ms\n", n, p, ms);
		return 0;
	}
	printf("manager check + build + teardown (median of %d), by PCI "
	       "functions and partitions:\n", RUNS);
	printf("  %9s %10s %12s %14s %16s\n", "functions", "partitions",
	       "total ms", "us per device", "board bring-up ms");
	for (unsigned i = 0; i < 4; i++)
		for (unsigned k = 0; k < 3; k++) {
			double ms, board;

			if (parts[k] > sizes[i])
				continue;
			if (!measure(sizes[i], parts[k], &ms, &board)) {
				printf("  %9u %10u   FAILED\n", sizes[i], parts[k]);
				ok = false;
				continue;
			}
			per_dev[i][k] = ms * 1000 / sizes[i];
			if (sizes[i] == 1024 && ms > total_1024)
				total_1024 = ms;
			printf("  %9u %10u %12.2f %14.1f %16.2f\n", sizes[i],
			       parts[k], ms, per_dev[i][k], board);
		}
	for (unsigned k = 0; k < 3; k++) {
		double ratio = per_dev[3][k] / per_dev[0][k];

		if (parts[k] > sizes[0])
			ratio = per_dev[3][k] / per_dev[1][k];
		printf("per device, 1024 functions against %u, %u partition%s: "
		       "%.2fx (target <= 2x)\n", parts[k] > sizes[0] ? 64 : 8,
		       parts[k], parts[k] == 1 ? "" : "s", ratio);
		ok = ok && ratio <= 2.0;
	}
	printf("1024 functions, the slowest spread: %.1f ms (target <= 50 ms)\n",
	       total_1024);
	bench_verdict(ok && total_1024 <= 50.0);
	return bench_missed;
}
