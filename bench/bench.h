/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every benchmark program shares (bench/<dir>/<name>.c): the clock,
 * the median of a run's samples, and the verdict line make bench reads
 * ("target met" / "TARGET MISSED", the program exiting 1 if one missed).
 */
#ifndef PARTITA_BENCH_H
#define PARTITA_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int bench_missed;

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

static inline void bench_verdict(int ok)
{
	printf("  %s\n", ok ? "target met" : "TARGET MISSED");
	bench_missed |= !ok;
}

#endif
