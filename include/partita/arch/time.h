/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hook every target implements (arch/<arch>/): a monotonic clock, so
 * that a driver's wait is bounded in real time rather than by a loop
 * count (how fast a loop spins under TCG says nothing). s390x: the TOD
 * clock since the image's first instruction; arm64: the virtual counter
 * since reset; host: CLOCK_MONOTONIC.
 */
#ifndef PARTITA_ARCH_TIME_H
#define PARTITA_ARCH_TIME_H

#include <stdint.h>

uint64_t arch_time_ns(void);

#endif
