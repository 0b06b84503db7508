/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a board's flattened device tree says at a glance: the facts the boot
 * banner prints. Counting only; discovery proper lives in drivers/bus.
 */
#ifndef PARTITA_CORE_DT_SUMMARY_H
#define PARTITA_CORE_DT_SUMMARY_H

#include <partita/error.h>
#include <stdint.h>

struct dt_summary {
	char model[64];            /* /model, or "" */
	uint64_t ram_base;         /* lowest RAM address */
	uint64_t ram_size;         /* sum over every memory node's reg */
	unsigned memory_banks;     /* reg entries of device_type "memory" */
	unsigned pci_host_bridges; /* device_type "pci" nodes */
	unsigned smmuv3;           /* compatible "arm,smmu-v3" */
	unsigned devices;          /* enabled non-root nodes with a compatible */
};

/* Fails with a message naming the problem when the blob is not a valid
 * device tree or a memory node's reg is malformed. */
bool dt_summarize(const void *fdt, struct dt_summary *out, Error **errp);
void dt_summary_print(const struct dt_summary *s);

#endif
