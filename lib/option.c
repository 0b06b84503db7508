// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/heap.h>
#include <partita/option.h>
#include <string.h>

struct opt_pair {
	char *key;
	char *value;
	bool used;
};

struct opts {
	size_t count;
	struct opt_pair *pairs;
};

/*
 * Copy one key or value starting at *pp up to stop_at (or ',' / end),
 * undoing the ",," escape. Returns the heap copy (NULL on allocation
 * failure) and leaves *pp at the terminating character.
 */
static char *fetch(const char **pp, char stop_at)
{
	const char *p = *pp;
	size_t n = 0;
	char *out, *o;

	for (const char *s = p; *s; s++, n++) {
		if (*s == ',') {
			if (s[1] != ',')
				break;
			s++;
		} else if (*s == stop_at) {
			break;
		}
	}
	out = heap_alloc(n + 1);
	if (!out)
		return NULL;
	o = out;
	while (*p) {
		if (*p == ',') {
			if (p[1] != ',')
				break;
			p++;
		} else if (*p == stop_at) {
			break;
		}
		*o++ = *p++;
	}
	*o = '\0';
	*pp = p;
	return out;
}

static bool key_valid(const char *k)
{
	if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z')))
		return false;
	for (; *k; k++) {
		char c = *k;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static struct opt_pair *find(const struct opts *opts, const char *key)
{
	for (size_t i = 0; i < opts->count; i++)
		if (!strcmp(opts->pairs[i].key, key))
			return &opts->pairs[i];
	return NULL;
}

static bool add_pair(struct opts *opts, char *key, char *value, Error **errp)
{
	struct opt_pair *grown;

	if (find(opts, key)) {
		error_setg(errp, "Parameter '%s' is given more than once", key);
		goto fail;
	}
	grown = heap_realloc(opts->pairs, (opts->count + 1) * sizeof(*grown));
	if (!grown) {
		error_setg(errp, "out of memory");
		goto fail;
	}
	opts->pairs = grown;
	opts->pairs[opts->count++] = (struct opt_pair){ key, value, false };
	return true;
fail:
	heap_free(key);
	heap_free(value);
	return false;
}

static bool parse_element(struct opts *opts, const char **pp, bool first,
			  const char *implied_key, Error **errp)
{
	char *key, *value;

	if (**pp == ',' || **pp == '\0') {
		error_setg(errp, "Expected parameter before '%s'",
			   **pp ? "," : "end of string");
		return false;
	}
	key = fetch(pp, '=');
	if (!key)
		goto nomem;
	if (**pp != '=') {
		if (first && implied_key) {
			value = key;
			key = heap_strdup(implied_key);
			if (!key) {
				heap_free(value);
				goto nomem;
			}
			return add_pair(opts, key, value, errp);
		}
		error_setg(errp, "Expected '=' after parameter '%s'", key);
		heap_free(key);
		return false;
	}
	if (strlen(key) > OPTS_KEY_MAX) {
		error_setg(errp, "Parameter '%.*s' is too long", OPTS_KEY_MAX, key);
		heap_free(key);
		return false;
	}
	if (!key_valid(key)) {
		error_setg(errp, "Invalid parameter '%s'", key);
		heap_free(key);
		return false;
	}
	(*pp)++; /* '=' */
	value = fetch(pp, '\0');
	if (!value) {
		heap_free(key);
		goto nomem;
	}
	if (!*value) {
		error_setg(errp, "Parameter '%s' expects a value", key);
		heap_free(key);
		heap_free(value);
		return false;
	}
	return add_pair(opts, key, value, errp);
nomem:
	error_setg(errp, "out of memory");
	return false;
}

struct opts *opts_parse(const char *text, const char *implied_key,
			Error **errp)
{
	struct opts *opts = heap_zalloc(sizeof(*opts));
	const char *p = text;

	if (!opts) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	for (bool first = true;; first = false) {
		if (!parse_element(opts, &p, first, implied_key, errp)) {
			opts_free(opts);
			return NULL;
		}
		if (*p == '\0')
			break;
		p++; /* the separating ',' */
	}
	return opts;
}

void opts_free(struct opts *opts)
{
	if (!opts)
		return;
	for (size_t i = 0; i < opts->count; i++) {
		heap_free(opts->pairs[i].key);
		heap_free(opts->pairs[i].value);
	}
	heap_free(opts->pairs);
	heap_free(opts);
}

size_t opts_count(const struct opts *opts)
{
	return opts->count;
}

const char *opts_key(const struct opts *opts, size_t i)
{
	return i < opts->count ? opts->pairs[i].key : NULL;
}

const char *opts_value(const struct opts *opts, size_t i)
{
	return i < opts->count ? opts->pairs[i].value : NULL;
}

const char *opts_get(struct opts *opts, const char *key)
{
	struct opt_pair *p = find(opts, key);

	if (!p)
		return NULL;
	p->used = true;
	return p->value;
}

const char *opts_peek(const struct opts *opts, const char *key)
{
	const struct opt_pair *p = find(opts, key);

	return p ? p->value : NULL;
}

bool opts_has(const struct opts *opts, const char *key)
{
	return find(opts, key) != NULL;
}

bool opts_get_bool(struct opts *opts, const char *key, bool *out,
		   Error **errp)
{
	const char *v = opts_get(opts, key);

	if (!v)
		return true;
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true")) {
		*out = true;
	} else if (!strcmp(v, "off") || !strcmp(v, "no") ||
		   !strcmp(v, "false")) {
		*out = false;
	} else {
		error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
		return false;
	}
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Parse a number prefix; *end is left after it. Rejects overflow. */
static bool parse_number(const char *s, uint64_t *out, const char **end)
{
	unsigned base = 10;
	uint64_t v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		/* strtoull base 0: a leading 0 means octal, so "08" is bad */
		base = 8;
		p++;
	}
	if (digit_value(*p) >= (int)base)
		return false;
	for (; digit_value(*p) < (int)base; p++) {
		unsigned d = (unsigned)digit_value(*p);

		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	*end = p;
	return true;
}

bool parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (!parse_number(s, &v, &end) || *end)
		return false;
	*out = v;
	return true;
}

bool parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGTPE";
	const char *end, *sfx;
	uint64_t v;
	unsigned shift = 0;

	if (!parse_number(s, &v, &end))
		return false;
	if (*end) {
		char c = *end == 'k' ? 'K' : *end;

		sfx = c ? strchr(suffixes, c) : NULL;
		if (!sfx || end[1])
			return false;
		shift = 10 * (unsigned)(sfx - suffixes + 1);
		if (v > (UINT64_MAX >> shift))
			return false;
	}
	*out = v << shift;
	return true;
}

bool opts_get_u64(struct opts *opts, const char *key, uint64_t *out,
		  Error **errp)
{
	const char *v = opts_get(opts, key);

	if (!v)
		return true;
	if (!parse_u64(v, out)) {
		error_setg(errp, "Parameter '%s' expects a number", key);
		return false;
	}
	return true;
}

bool opts_get_size(struct opts *opts, const char *key, uint64_t *out,
		   Error **errp)
{
	const char *v = opts_get(opts, key);

	if (!v)
		return true;
	if (!parse_size(v, out)) {
		error_setg(errp, "Parameter '%s' expects a non-negative number "
			   "below 2^64", key);
		error_append_hint(errp, "Optional suffix k, M, G, T, P or E means "
				  "kilo-, mega-, giga-, tera-, peta-\n"
				  "and exabytes, respectively.\n");
		return false;
	}
	return true;
}

const char *opts_first_unused(const struct opts *opts)
{
	for (size_t i = 0; i < opts->count; i++)
		if (!opts->pairs[i].used)
			return opts->pairs[i].key;
	return NULL;
}
