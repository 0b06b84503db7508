/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration of a static image, in its device tree: a
 * /partitions node (binding: docs/bindings/partita,partitions.md) turned
 * into the same options the command line gives, so one checker and one
 * builder serve both. Errors name the node:
 * "/partitions/web/nic: Property 'vfio-pci.foo' not found".
 */
#ifndef PARTITA_CORE_MANIFEST_H
#define PARTITA_CORE_MANIFEST_H

#include <partita/error.h>
#include <stdbool.h>

struct config;

/* Does fdt have a /partitions node? */
bool manifest_present(const void *fdt);

/* Add /partitions of fdt to c. The command line may then only add -fd,
 * -report and -selftest: a -partition, -object or -device already in c
 * is refused. */
bool manifest_parse(const void *fdt, struct config *c, Error **errp);

#endif
