/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The option-string parser behind -object, -device, -partition and -fd:
 * QEMU's "key=value,key=value" lists with its ",," escape.
 *
 * Rules (each violation is an error naming the parameter):
 *  - elements are separated by ','; a ',,' inside a key or value is a
 *    literal ',';
 *  - the first element may be a bare value for the implied key (the
 *    driver name in "vfio-pci,host=..."), when the caller names one;
 *  - every other element needs '=' ("Expected '=' after parameter 'x'");
 *  - keys are letters, digits, '-', '_' and '.', starting with a letter
 *    ("Invalid parameter 'x'"); at most OPTS_KEY_MAX characters;
 *  - a key may appear once ("Parameter 'x' is given more than once");
 *  - values are never empty ("Parameter 'x' expects a value");
 *  - empty elements (",a=1", "a=1,") are errors
 *    ("Expected parameter before ','").
 *
 * Typed getters mark a key used; opts_first_unused() then finds the
 * properties nobody asked for, which the caller reports as unknown.
 */
#ifndef PARTITA_OPTION_H
#define PARTITA_OPTION_H

#include <partita/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OPTS_KEY_MAX 127

struct opts;

struct opts *opts_parse(const char *text, const char *implied_key,
			Error **errp);
void opts_free(struct opts *opts);

size_t opts_count(const struct opts *opts);
const char *opts_key(const struct opts *opts, size_t i);
const char *opts_value(const struct opts *opts, size_t i);

/* The value, or NULL when absent. Marks the key used. */
const char *opts_get(struct opts *opts, const char *key);
/* The value, or NULL when absent, without marking it used (checking a
 * configuration leaves the "unknown property" verdict to whoever reads
 * the options for real). */
const char *opts_peek(const struct opts *opts, const char *key);
/* True when present (does not mark it used). */
bool opts_has(const struct opts *opts, const char *key);

/* Absent keys leave *out at its default and succeed. */
bool opts_get_bool(struct opts *opts, const char *key, bool *out,
		   Error **errp);
/* Decimal, 0x hex or 0 octal; the whole value must be a number. */
bool opts_get_u64(struct opts *opts, const char *key, uint64_t *out,
		  Error **errp);
/* A number with an optional k/K, M, G, T, P or E suffix (powers of 1024);
 * fractions as QEMU allows them are not accepted. */
bool opts_get_size(struct opts *opts, const char *key, uint64_t *out,
		   Error **errp);

/* The first key no getter has asked for, or NULL. */
const char *opts_first_unused(const struct opts *opts);

/* Strict unsigned parse used by the getters; exposed for -fd numbers etc. */
bool parse_u64(const char *s, uint64_t *out);
bool parse_size(const char *s, uint64_t *out);

#endif
