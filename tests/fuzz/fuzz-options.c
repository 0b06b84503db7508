// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the configuration language. Each input is a bootargs
 * string: parsed, and when it parses, checked and built on the host's
 * built-in board, then torn down. Whatever the input, the run must not
 * crash, and every heap block and fd must be back afterwards.
 */
#include "fuzz.h"
#include <partita/core/config.h>
#include <partita/core/manager.h>
#include <partita/heap.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct board *b = fuzz_board();
	size_t before = heap_live_blocks();
	char *text = heap_alloc(size + 1);
	struct config cfg;
	struct manager m;
	Error *err = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_init(&cfg, "fuzz");
	if (config_parse_string(&cfg, text, &err) &&
	    manager_setup(&m, b, &cfg, &err))
		manager_teardown(&m);
	error_free(err);
	config_free(&cfg);
	heap_free(text);
	fuzz_check_clean(b, before);
	return 0;
}
