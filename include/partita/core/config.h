/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The partition manager's configuration, from a command line (host),
 * bootargs (firmware) or a device tree's /partitions node
 * (manifest.h): QEMU's option syntax, docs/configuration.md.
 *
 *   -partition id=ID,ram=SIZE[,ram-base=ADDR]
 *   -object iommufd,id=ID[,fd=NUM|NAME][,x-ioas-copy=on|off]
 *   -device vfio-pci|vfio-platform|vfio-ap|vfio-ccw,...[,partition=ID][,id=ID]
 *   -fd fd=NUM|NAME,path=/dev/...
 *   -report table|mtree|json|devices      -selftest dma
 *
 * Parsing checks the syntax of each option and keeps its text for error
 * messages; what the values mean is checked against the board by
 * setup.c, before anything is built.
 */
#ifndef PARTITA_CORE_CONFIG_H
#define PARTITA_CORE_CONFIG_H

#include <partita/error.h>
#include <stdbool.h>

struct opts;

enum config_kind { CONFIG_PARTITION, CONFIG_OBJECT, CONFIG_DEVICE, CONFIG_FD };

struct config_item {
	enum config_kind kind;
	char *text;                 /* the argument as given */
	char *origin;               /* where it came from when not the
	                             * command line ("/partitions/web/nic"),
	                             * for error messages; else NULL */
	struct opts *opts;          /* parsed (implied key for -object,
	                             * -device: "qom-type", "driver") */
	struct config_item *next;
};

enum config_report {
	CONFIG_REPORT_TABLE = 1 << 0,
	CONFIG_REPORT_MTREE = 1 << 1,
	CONFIG_REPORT_JSON = 1 << 2,
	CONFIG_REPORT_DEVICES = 1 << 3,
};

struct config {
	struct config_item *items;  /* in the order given */
	unsigned reports;           /* CONFIG_REPORT_*; 0: the table */
	bool selftest_dma;
	/* -selftest dma,x-allow-iommu-bypass=on: drive devices whose DMA
	 * ignores the IOMMU, to prove the self-test fails them. */
	bool selftest_allow_bypass;
	const char *source;         /* "command line", "bootargs", "/partitions" */
	/* The FIT guests' images come from (firmware: the initrd; the
	 * host program: -fit FILE), or NULL. */
	const void *fit;
	size_t fit_size;
};

void config_init(struct config *c, const char *source);
void config_free(struct config *c);

/* The option name of a kind: "-partition", "-object", ... */
const char *config_option_name(enum config_kind kind);

/* One option and its argument ("-device", "vfio-pci,host=..."), appended.
 * Errors are QEMU's: "-device vfio-pci,,x: <what is wrong>". */
bool config_add(struct config *c, const char *option, const char *arg,
		Error **errp);
/* The same for an option made from something else (the device tree's
 * /partitions): errors name origin instead of the option. */
bool config_add_from(struct config *c, enum config_kind kind, const char *arg,
		     const char *origin, Error **errp);
/* How errors about it begin: "-device vfio-pci,x=1" or its origin. */
void config_item_error(const struct config_item *it, Error **errp);
/* True when c holds an item of kind. */
bool config_has(const struct config *c, enum config_kind kind);
/* A whole argument vector (no program name). */
bool config_parse_argv(struct config *c, int argc, const char *const *argv,
		       Error **errp);
/* A bootargs string or a configuration file: words separated by blanks
 * (newlines too); a word starting with '#' starts a comment that runs to
 * the end of its line. */
bool config_parse_string(struct config *c, const char *s, Error **errp);

/* Does this option take an argument (for front ends that split
 * their own command line)? */
bool config_is_option(const char *word);

#endif
