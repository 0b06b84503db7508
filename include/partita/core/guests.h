/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The manager's guest phase (CONFIG_GUESTS): -partition's cpus=, image=,
 * bootargs=, timeout= (and the test aid x-canary=) checked with the rest
 * of the configuration, before anything is built; then, after the
 * devices and the DMA self-test, every partition's guest created,
 * loaded, started, and waited for (virt/guest.h).
 */
#ifndef PARTITA_CORE_GUESTS_H
#define PARTITA_CORE_GUESTS_H

#include <partita/error.h>
#include <stdbool.h>
#include <stdint.h>

struct manager;
struct opts;
struct guest_config;

/* The keys -partition takes for guests (NULL-terminated). */
extern const char *const guests_partition_keys[];

/* A partition's guest options (none: *out stays NULL) checked against
 * the machine and the FIT: CPUs from *next_cpu on (advanced), EL2, the
 * image. index is the partition's (its VMID is index + 1). */
bool guests_check(const struct manager *m, const struct opts *o,
		  const char *id, unsigned index, uint64_t ram_addr,
		  uint64_t ram_size, unsigned *next_cpu,
		  struct guest_config **out, Error **errp);

/* Run every partition's guest until all have ended (each partition's
 * guest_config from guests_check; errors are reported and stop that
 * partition only). False when no partition has a guest. */
bool guests_run(struct manager *m);

/* 0 when every guest that ran exited 0, else 1. */
int guests_status(const struct manager *m);

#endif
