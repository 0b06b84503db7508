// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the /partitions manifest. Each input is a device-tree
 * blob; one that passes fdt_util_check_blob (as a loader checks what it
 * is given) is read for /partitions, and the configuration it makes is
 * checked and built on the built-in board, then torn down. No crash,
 * nothing left behind.
 */
#include "fuzz.h"
#include <partita/core/config.h>
#include <partita/core/manager.h>
#include <partita/core/manifest.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <libfdt.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct board *b = fuzz_board();
	size_t before = heap_live_blocks();
	struct config cfg;
	struct manager m;
	Error *err = NULL;
	void *fdt;

	if (size < sizeof(struct fdt_header) || size > 65536)
		return 0;
	/* libfdt wants its blob aligned. */
	fdt = heap_alloc(size);
	if (!fdt)
		return 0;
	memcpy(fdt, data, size);
	if (fdt_util_check_blob(fdt, size)) {
		heap_free(fdt);
		return 0;
	}
	config_init(&cfg, "fuzz");
	if (manifest_parse(fdt, &cfg, &err) && manager_setup(&m, b, &cfg, &err))
		manager_teardown(&m);
	error_free(err);
	config_free(&cfg);
	heap_free(fdt);
	fuzz_check_clean(b, before);
	return 0;
}
