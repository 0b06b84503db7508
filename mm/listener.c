// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/mm/memory.h>
#include "memory-internal.h"

static MemoryRegionSection section_of(AddressSpace *as, const FlatRange *fr)
{
	return (MemoryRegionSection){
		.mr = fr->mr,
		.as = as,
		.offset_within_region = fr->offset_in_region,
		.offset_within_address_space = fr->addr,
		.size = fr->size,
		.readonly = fr->readonly,
		.protected = fr->protected,
	};
}

static void notify_one(AddressSpace *as, MemoryListener *l,
		       const FlatRange *fr, bool add)
{
	MemoryRegionSection s = section_of(as, fr);

	if (add && l->region_add)
		l->region_add(l, &s);
	else if (!add && l->region_del)
		l->region_del(l, &s);
}

/* Deletions go to listeners in reverse priority order, additions forward
 * (QEMU's rule: what was set up last is torn down first). */
static void notify_del_reverse(AddressSpace *as, MemoryListener *l,
			       const FlatRange *fr)
{
	if (!l)
		return;
	notify_del_reverse(as, l->next, fr);
	notify_one(as, l, fr, false);
}

static void notify(AddressSpace *as, const FlatRange *fr, bool add)
{
	if (!add) {
		notify_del_reverse(as, as->listeners, fr);
		return;
	}
	for (MemoryListener *l = as->listeners; l; l = l->next)
		notify_one(as, l, fr, true);
}

/*
 * Walk both sorted views: a range present in both (equal in every field)
 * is left alone, one only in old is deleted, one only in new is added.
 * All deletions come before all additions, so a listener never sees an
 * add overlapping a range it still has.
 */
static void update_pass(AddressSpace *as, const FlatView *old,
			const FlatView *new, bool adding)
{
	size_t io = 0, in = 0;

	while (io < old->nr || in < new->nr) {
		const FlatRange *fo = io < old->nr ? &old->ranges[io] : NULL;
		const FlatRange *fn = in < new->nr ? &new->ranges[in] : NULL;

		if (fo && fn && flatrange_equal(fo, fn)) {
			io++;
			in++;
		} else if (fo && (!fn || fo->addr <= fn->addr)) {
			if (!adding)
				notify(as, fo, false);
			io++;
		} else {
			if (adding)
				notify(as, fn, true);
			in++;
		}
	}
}

static void each_listener(AddressSpace *as, bool begin)
{
	for (MemoryListener *l = as->listeners; l; l = l->next) {
		if (begin && l->begin)
			l->begin(l);
		else if (!begin && l->commit)
			l->commit(l);
	}
}

void memory_listeners_update(AddressSpace *as, const FlatView *old,
			     const FlatView *new)
{
	if (!as->listeners)
		return;
	each_listener(as, true);
	update_pass(as, old, new, false);
	update_pass(as, old, new, true);
	each_listener(as, false);
}

void memory_listener_register(MemoryListener *l, AddressSpace *as)
{
	MemoryListener **link = &as->listeners;
	const FlatView *fv = as->view;

	while (*link && (*link)->priority <= l->priority)
		link = &(*link)->next;
	l->next = *link;
	*link = l;
	l->as = as;

	if (l->begin)
		l->begin(l);
	for (size_t i = 0; i < fv->nr; i++)
		notify_one(as, l, &fv->ranges[i], true);
	if (l->commit)
		l->commit(l);
}

void memory_listener_unregister(MemoryListener *l)
{
	AddressSpace *as = l->as;
	MemoryListener **link;
	const FlatView *fv;

	if (!as)
		return;
	fv = as->view;
	if (l->begin)
		l->begin(l);
	for (size_t i = fv->nr; i-- > 0;)
		notify_one(as, l, &fv->ranges[i], false);
	if (l->commit)
		l->commit(l);

	for (link = &as->listeners; *link != l; link = &(*link)->next)
		;
	*link = l->next;
	l->next = NULL;
	l->as = NULL;
}
