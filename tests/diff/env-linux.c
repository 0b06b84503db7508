// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runner as a Linux program: the real kernel answers (the calls go
 * through arch/linux/sys.c), and the runner's memory is the process's
 * own, mapped anonymously: read-only pieces by mprotect, holes by
 * reserving address space and unmapping it.
 */
#include "runner-env.h"
#include <partita/sys/fd.h>
#include <stdio.h>
#include <sys/mman.h>

static struct sys *sys;

bool env_init(void)
{
	sys = sys_create(NULL);
	return sys != NULL;
}

void env_fini(void)
{
	sys_destroy(sys);
}

struct sys *env_sys(void)
{
	return sys;
}

/* Holes are PROT_NONE, not unmapped: an unmapped range could be handed
 * to the next piece by mmap, and a page nobody may touch is what a hole
 * is to pin_user_pages too (EFAULT). */
static bool protect(uint8_t *p, uint64_t len, int prot)
{
	if (!mprotect(p, len, prot))
		return true;
	perror("type1-runner: mprotect");
	return false;
}

void *env_mem(enum env_mem_kind kind, uint64_t size)
{
	/* A guard page after each piece, as on the board. */
	uint8_t *p = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ok = true;

	if (p == MAP_FAILED) {
		perror("type1-runner: mmap");
		return NULL;
	}
	ok = protect(p + size, 4096, PROT_NONE);
	switch (kind) {
	case ENV_MEM_RW:
		break;
	case ENV_MEM_RO:
		ok = ok && protect(p, size, PROT_READ);
		break;
	case ENV_MEM_HOLE:
		ok = ok && protect(p, size, PROT_NONE);
		break;
	case ENV_MEM_HALF:
		ok = ok && protect(p + size / 2, size / 2, PROT_NONE);
		break;
	}
	return ok ? p : NULL;
}
