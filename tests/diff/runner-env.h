/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the type1 differential runner (type1-runner.c) needs from where it
 * runs: the system-call line and memory of the caller's own. Two
 * implementations: env-board.c (the host build: the simulated board, the
 * in-image type1 answering) and env-linux.c (a Linux program: the real
 * kernel answering, arch/linux/sys.c forwarding the calls).
 */
#ifndef PARTITA_TEST_RUNNER_ENV_H
#define PARTITA_TEST_RUNNER_ENV_H

#include <stdbool.h>
#include <stdint.h>

struct sys;

enum env_mem_kind {
	ENV_MEM_RW,      /* readable and writable */
	ENV_MEM_RO,      /* readable only */
	ENV_MEM_HOLE,    /* an address range with nothing behind it */
	ENV_MEM_HALF,    /* the first half there, the second a hole */
};

/* Bring the environment up; false (having said why on stderr) when it
 * cannot. */
bool env_init(void);
void env_fini(void);
struct sys *env_sys(void);
/* size bytes (a multiple of 4 KiB) of the caller's memory, page aligned,
 * zeroed where there is any; NULL when there is no more. */
void *env_mem(enum env_mem_kind kind, uint64_t size);

#endif
