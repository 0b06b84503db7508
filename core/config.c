// SPDX-License-Identifier: GPL-2.0-or-later
/* The configuration's syntax: options, their arguments, -report, -selftest. */
#include <partita/core/config.h>
#include <partita/heap.h>
#include <partita/option.h>
#include <string.h>

static const struct {
	const char *name;
	enum config_kind kind;
	const char *implied;     /* the key of a bare first element */
} options[] = {
	{ "-partition", CONFIG_PARTITION, NULL },
	{ "-object", CONFIG_OBJECT, "qom-type" },
	{ "-device", CONFIG_DEVICE, "driver" },
	{ "-fd", CONFIG_FD, NULL },
};

void config_init(struct config *c, const char *source)
{
	memset(c, 0, sizeof(*c));
	c->source = source;
}

void config_free(struct config *c)
{
	while (c->items) {
		struct config_item *it = c->items;

		c->items = it->next;
		opts_free(it->opts);
		heap_free(it->origin);
		heap_free(it->text);
		heap_free(it);
	}
}

const char *config_option_name(enum config_kind kind)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (options[i].kind == kind)
			return options[i].name;
	return "?";
}

bool config_is_option(const char *w)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(w, options[i].name))
			return true;
	return !strcmp(w, "-report") || !strcmp(w, "-selftest");
}

static bool add_report(struct config *c, const char *arg, Error **errp)
{
	if (!strcmp(arg, "table"))
		c->reports |= CONFIG_REPORT_TABLE;
	else if (!strcmp(arg, "mtree"))
		c->reports |= CONFIG_REPORT_MTREE;
	else if (!strcmp(arg, "json"))
		c->reports |= CONFIG_REPORT_JSON;
	else if (!strcmp(arg, "devices"))
		c->reports |= CONFIG_REPORT_DEVICES;
	else {
		error_setg(errp, "-report %s: unknown report (table, mtree, "
			   "json or devices)", arg);
		return false;
	}
	return true;
}

static bool add_item(struct config *c, size_t i, const char *arg,
		     const char *origin, Error **errp)
{
	struct config_item *it, **tail;

	it = heap_zalloc(sizeof(*it));
	if (!it || !(it->text = heap_strdup(arg)) ||
	    (origin && !(it->origin = heap_strdup(origin)))) {
		if (it)
			heap_free(it->text);
		heap_free(it);
		error_setg(errp, "%s: out of memory", origin ? origin :
			   options[i].name);
		return false;
	}
	it->kind = options[i].kind;
	it->opts = opts_parse(arg, options[i].implied, errp);
	if (!it->opts) {
		config_item_error(it, errp);
		heap_free(it->origin);
		heap_free(it->text);
		heap_free(it);
		return false;
	}
	for (tail = &c->items; *tail; tail = &(*tail)->next)
		;
	*tail = it;
	return true;
}

void config_item_error(const struct config_item *it, Error **errp)
{
	if (it->origin)
		error_prepend(errp, "%s: ", it->origin);
	else
		error_prepend(errp, "%s %s: ", config_option_name(it->kind),
			      it->text);
}

bool config_has(const struct config *c, enum config_kind kind)
{
	for (const struct config_item *it = c->items; it; it = it->next)
		if (it->kind == kind)
			return true;
	return false;
}

bool config_add_from(struct config *c, enum config_kind kind, const char *arg,
		     const char *origin, Error **errp)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (options[i].kind == kind)
			return add_item(c, i, arg, origin, errp);
	error_setg(errp, "%s: no such option kind", origin);
	return false;
}

bool config_add(struct config *c, const char *option, const char *arg,
		Error **errp)
{
	size_t i;

	if (!strcmp(option, "-report"))
		return add_report(c, arg, errp);
	if (!strcmp(option, "-selftest")) {
		if (!strcmp(arg, "dma,x-allow-iommu-bypass=on")) {
			c->selftest_allow_bypass = true;
		} else if (strcmp(arg, "dma")) {
			error_setg(errp, "-selftest %s: unknown self-test (dma)",
				   arg);
			return false;
		}
		c->selftest_dma = true;
		return true;
	}
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(option, options[i].name))
			return add_item(c, i, arg, NULL, errp);
	error_setg(errp, "%s: invalid option", option);
	return false;
}

bool config_parse_argv(struct config *c, int argc, const char *const *argv,
		       Error **errp)
{
	int i = 0;

	/* Options come in pairs: the option, then its argument. */
	while (i < argc) {
		if (argv[i][0] != '-') {
			error_setg(errp, "%s: invalid option (options start "
				   "with '-')", argv[i]);
			return false;
		}
		if (!config_is_option(argv[i])) {
			error_setg(errp, "%s: invalid option", argv[i]);
			return false;
		}
		if (i + 1 >= argc) {
			error_setg(errp, "%s: requires an argument", argv[i]);
			return false;
		}
		if (!config_add(c, argv[i], argv[i + 1], errp))
			return false;
		i += 2;
	}
	return true;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

bool config_parse_string(struct config *c, const char *s, Error **errp)
{
	char *copy = heap_strdup(s ? s : ""), *p;
	const char **words = NULL;
	int n = 0, cap = 0;
	bool ok;

	if (!copy) {
		error_setg(errp, "out of memory");
		return false;
	}
	for (p = copy; *p;) {
		while (is_blank(*p))
			*p++ = '\0';
		if (*p == '#') {         /* a comment, to the end of the line */
			while (*p && *p != '\n')
				*p++ = '\0';
			continue;
		}
		if (!*p)
			break;
		if (n == cap) {
			const char **nw = heap_zalloc((size_t)(cap ? 2 * cap : 16) *
						      sizeof(*nw));

			if (!nw) {
				heap_free(words);
				heap_free(copy);
				error_setg(errp, "out of memory");
				return false;
			}
			if (words)
				memcpy(nw, words, (size_t)n * sizeof(*nw));
			heap_free(words);
			words = nw;
			cap = cap ? 2 * cap : 16;
		}
		/* A word; double quotes keep blanks in it and are dropped
		 * (bootargs="a b"). */
		words[n++] = p;
		{
			char *w = p;
			bool quoted = false;

			for (; *p && (quoted || !is_blank(*p)); p++) {
				if (*p == '"')
					quoted = !quoted;
				else
					*w++ = *p;
			}
			if (quoted) {
				heap_free(words);
				heap_free(copy);
				error_setg(errp, "a '\"' is not closed");
				return false;
			}
			if (w < p) {
				if (*p)
					p++;
				*w = '\0';
			}
		}
	}
	ok = config_parse_argv(c, n, words, errp);
	heap_free(words);
	heap_free(copy);
	return ok;
}
