/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the fuzz targets share: the host's built-in board, brought up
 * once per process (it is the expensive part), logs silenced, and the
 * check that an input left nothing behind. Built twice: with libFuzzer
 * (make fuzz) and with replay-main.c, which runs files (make check).
 */
#ifndef PARTITA_FUZZ_H
#define PARTITA_FUZZ_H

#include <partita/arch/board.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/sys/fd.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_quiet(void *opaque, enum log_level level, const char *line)
{
	(void)opaque;
	(void)level;
	(void)line;
}

static inline struct board *fuzz_board(void)
{
	static struct board b;
	static int up;

	if (!up) {
		log_set_sink(fuzz_quiet, NULL);
		if (!board_init(&b, board_default_fdt(), &error_abort))
			abort();
		up = 1;
	}
	return &b;
}

/* Every heap block back, no fd open: anything else is a leak. */
static inline void fuzz_check_clean(struct board *b, size_t heap_before)
{
	if (heap_live_blocks() != heap_before)
		abort();
	for (int fd = SYS_FD_FIRST; fd < SYS_FD_MAX; fd++) {
		struct sys_file *f = sys_fget(b->sys, fd);

		if (f)
			abort();
	}
}

#endif
