/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the cmocka unit tests: the cmocka include dance, a log
 * capture that turns console output into a string tests can compare, and
 * a leak check on the heap API.
 */
#ifndef PARTITA_TEST_HELPERS_H
#define PARTITA_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <partita/heap.h>
#include <partita/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct log_capture {
	char buf[4096];
	size_t len;
};

static inline void capture_sink(void *opaque, enum log_level level,
				const char *line)
{
	struct log_capture *c = opaque;
	size_t n = strlen(line);

	(void)level;
	if (n > sizeof(c->buf) - 1 - c->len)
		n = sizeof(c->buf) - 1 - c->len;
	memcpy(c->buf + c->len, line, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

static inline void capture_start(struct log_capture *c)
{
	c->len = 0;
	c->buf[0] = '\0';
	log_set_sink(capture_sink, c);
}

static inline void capture_stop(void)
{
	log_set_sink(NULL, NULL);
}

/* Every test file's group setup/teardown pair can use these to assert that
 * a test freed everything it allocated. */
#define LEAK_CHECK_BEGIN() size_t leak_check_base_ = heap_live_blocks()
#define LEAK_CHECK_END() assert_int_equal(heap_live_blocks(), leak_check_base_)

/* A tiny deterministic PRNG (xorshift64*) so random tests replay the same
 * sequence on every architecture. */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t test_rand_below(uint64_t *state, uint64_t bound)
{
	return bound ? test_rand(state) % bound : 0;
}

#endif
