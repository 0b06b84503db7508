/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the mm/ tests: print a FlatView as a compact string, and a
 * listener that records what it is told as text, so a test states the
 * expected map or delta in one readable line.
 */
#ifndef PARTITA_TEST_MEMORY_FIXTURE_H
#define PARTITA_TEST_MEMORY_FIXTURE_H

#include "test-helpers.h"
#include <partita/mm/memory.h>

/* "[0x0-0xfff ram@0x0] [0x1000-0x1fff mmio@0x0 ro]" */
static inline void flatview_str(const FlatView *fv, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < fv->nr && len < n; i++) {
		const FlatRange *fr = &fv->ranges[i];

		len += (size_t)snprintf(out + len, n - len, "%s[0x%llx-0x%llx %s@0x%llx%s%s]",
			i ? " " : "", (unsigned long long)fr->addr,
			(unsigned long long)(fr->addr + fr->size - 1),
			fr->mr->name, (unsigned long long)fr->offset_in_region,
			fr->readonly ? " ro" : "", fr->protected ? " prot" : "");
	}
}

#define assert_view(as, expect)                                          \
	do {                                                             \
		char got_[2048];                                         \
		flatview_str(address_space_get_flatview(as), got_,       \
			     sizeof(got_));                              \
		assert_string_equal(got_, expect);                       \
	} while (0)

struct recorder {
	MemoryListener l;
	char log[4096];
	size_t len;
	unsigned begins, commits;
};

static inline void rec_append(struct recorder *r, const char *what,
			      MemoryRegionSection *s)
{
	size_t room = sizeof(r->log) - r->len;
	int n;

	if (s)
		n = snprintf(r->log + r->len, room, "%s%s 0x%llx+0x%llx %s@0x%llx%s",
			     r->len ? "; " : "", what,
			     (unsigned long long)s->offset_within_address_space,
			     (unsigned long long)s->size, s->mr->name,
			     (unsigned long long)s->offset_within_region,
			     s->readonly ? " ro" : "");
	else
		n = snprintf(r->log + r->len, room, "%s%s", r->len ? "; " : "",
			     what);
	if (n > 0)
		r->len += (size_t)n < room ? (size_t)n : room - 1;
}

static inline void rec_begin(MemoryListener *l)
{
	struct recorder *r = container_of(l, struct recorder, l);

	r->begins++;
	rec_append(r, "begin", NULL);
}

static inline void rec_commit(MemoryListener *l)
{
	struct recorder *r = container_of(l, struct recorder, l);

	r->commits++;
	rec_append(r, "commit", NULL);
}

static inline void rec_add(MemoryListener *l, MemoryRegionSection *s)
{
	rec_append(container_of(l, struct recorder, l), "add", s);
}

static inline void rec_del(MemoryListener *l, MemoryRegionSection *s)
{
	rec_append(container_of(l, struct recorder, l), "del", s);
}

static inline void recorder_init(struct recorder *r, const char *name,
				 int priority)
{
	memset(r, 0, sizeof(*r));
	r->l.name = name;
	r->l.begin = rec_begin;
	r->l.commit = rec_commit;
	r->l.region_add = rec_add;
	r->l.region_del = rec_del;
	r->l.priority = priority;
}

static inline void recorder_clear(struct recorder *r)
{
	r->len = 0;
	r->log[0] = '\0';
	r->begins = r->commits = 0;
}

#define assert_log(r, expect)                        \
	do {                                         \
		assert_string_equal((r)->log, expect); \
		recorder_clear(r);                   \
	} while (0)

#endif
