// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runner on the host build: the built-in simulated board brought up
 * as the partition manager brings it up (board_init), so the in-image
 * type1 answers, and the runner's memory carved from the board's pool,
 * the part of RAM the services may pin. The pool is declared to the
 * caller's memory map piece by piece, as the runner asks: read-only
 * pieces as such, holes not at all.
 */
#include "runner-env.h"
#include <partita/arch/board.h>
#include <partita/error.h>
#include <partita/mm/user-mem.h>
#include <stdio.h>
#include <string.h>

static struct board board;
static uint64_t next_pa;      /* the pool's next unused byte */

bool env_init(void)
{
	Error *err = NULL;
	struct umem *um;

	if (!board_init(&board, board_default_fdt(), &err)) {
		error_report_err(err);
		return false;
	}
	/* Take the pool back from the map: pieces are declared as made. */
	um = board_umem(&board);
	if (umem_remove(um, (uint64_t)(uintptr_t)board_ram_ptr(&board,
			board.pool_base, board.pool_size))) {
		fprintf(stderr, "type1-runner: the board's pool is in use\n");
		board_fini(&board);
		return false;
	}
	next_pa = board.pool_base;
	return true;
}

void env_fini(void)
{
	board_fini(&board);
}

struct sys *env_sys(void)
{
	return board.sys;
}

static bool declare(uint64_t pa, uint64_t len, enum umem_kind kind)
{
	void *p = board_ram_ptr(&board, pa, len);

	memset(p, 0, len);
	return !umem_add(board_umem(&board), (uint64_t)(uintptr_t)p, len, pa,
			 kind);
}

void *env_mem(enum env_mem_kind kind, uint64_t size)
{
	uint64_t pa = next_pa;
	bool ok = true;

	if (!size || size > board.pool_base + board.pool_size - pa)
		return NULL;
	/* A page left out after each piece: pieces never touch, so one
	 * running into the next is a hole, as with separate mmaps. */
	next_pa += size + 4096;
	switch (kind) {
	case ENV_MEM_RW:
		ok = declare(pa, size, UMEM_RAM);
		break;
	case ENV_MEM_RO:
		ok = declare(pa, size, UMEM_RAM_RO);
		break;
	case ENV_MEM_HOLE:
		break;
	case ENV_MEM_HALF:
		ok = declare(pa, size / 2, UMEM_RAM);
		break;
	}
	return ok ? board_ram_ptr(&board, pa, size) : NULL;
}
