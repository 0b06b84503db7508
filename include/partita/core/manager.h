/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The partition manager proper: a configuration checked against the
 * board, then built (fds, partitions, iommufd objects, devices), and
 * torn down again.
 *
 * manager_setup() checks the whole configuration before building
 * anything (Hafnium's rule: validate before touching hardware): ids,
 * properties, sizes, RAM against the board's pool and other partitions,
 * devices against what discovery found, IOMMU groups against partitions,
 * fds and iommufd objects against what names them, fronts and backends
 * against the build. Then it builds in a fixed order (-fd, -partition,
 * -object, -device); a failure tears everything down again. Every error
 * is QEMU-shaped, "-device <arg>: <message>", reported by the caller.
 */
#ifndef PARTITA_CORE_MANAGER_H
#define PARTITA_CORE_MANAGER_H

#include <partita/core/config.h>
#include <partita/core/partition.h>
#include <partita/mm/memory.h>
#include <partita/vfio/registry.h>

struct board;

/* RAM a partition gets when -partition gives none (no -partition at all:
 * the one partition "p0"). */
#define MANAGER_DEFAULT_RAM (32ULL << 20)

struct manager {
	struct board *board;
	const struct config *cfg;
	struct vfio_registry reg;
	MemoryContext ctx;
	struct partition *partitions;     /* in the order given */
	unsigned npartitions;
	int *fds;                          /* -fd numbers installed */
	unsigned nfds;
	bool built;
};

bool manager_setup(struct manager *m, struct board *b,
		   const struct config *cfg, Error **errp);
void manager_teardown(struct manager *m);

struct partition *manager_find_partition(struct manager *m, const char *id);

#endif
