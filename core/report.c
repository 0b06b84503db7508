// SPDX-License-Identifier: GPL-2.0-or-later
/* The reports of what the manager built (include/partita/core/report.h). */
#include <partita/arch/board.h>
#include <partita/bus/bus.h>
#include <partita/core/manager.h>
#include <partita/core/report.h>
#include <partita/core/selftest.h>
#include <partita/log.h>
#include <partita/vfio/container-base.h>
#include <partita/vfio/device.h>
#include <partita/vfio/pci.h>
#include <partita/virt/guest.h>
#include <stdio.h>
#include <string.h>

static const char *kind_name(enum bus_kind k)
{
	switch (k) {
	case BUS_PCI: return "pci";
	case BUS_PLATFORM: return "platform";
	case BUS_CCW: return "ccw";
	case BUS_AP: return "ap";
	}
	return "?";
}

/* "12.0 MiB", "4 KiB", "512 B". */
static void human(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= (1ULL << 30))
		snprintf(buf, len, "%llu.%llu GiB",
			 (unsigned long long)(bytes >> 30),
			 (unsigned long long)((bytes & ((1ULL << 30) - 1)) * 10 >> 30));
	else if (bytes >= (1ULL << 20))
		snprintf(buf, len, "%llu.%llu MiB",
			 (unsigned long long)(bytes >> 20),
			 (unsigned long long)((bytes & ((1ULL << 20) - 1)) * 10 >> 20));
	else if (bytes >= 1024)
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
}

struct dev_facts {
	const char *name, *driver, *backend;
	char ids[96];
	char note[96], json[128];      /* the front's own (may be empty) */
	unsigned long mappings;
	uint64_t bytes;
};

static void facts(struct partition_device *d, struct dev_facts *f)
{
	struct vfio_device *vdev = partition_device_vdev(d);
	struct vfio_container_base *bc = vdev->bcontainer;

	memset(f, 0, sizeof(*f));
	f->name = vdev->name ? vdev->name : "?";
	f->driver = d->front->driver;
	f->backend = bc ? bc->backend : "-";
	if (bc) {
		vfio_container_describe(bc, vdev, f->ids, sizeof(f->ids));
		f->mappings = bc->dma_mappings;
		f->bytes = bc->dma_bytes;
	} else {
		snprintf(f->ids, sizeof(f->ids), "-");
	}
	if (d->front->report)
		d->front->report(d->dev, f->note, sizeof(f->note), f->json,
				 sizeof(f->json));
}

static unsigned selftest_failures_of(const struct selftest_result *st,
				     const char *part, const char *dev,
				     unsigned *checks)
{
	unsigned fails = 0;

	*checks = 0;
	for (unsigned i = 0; st && i < st->nchecks; i++) {
		if (strcmp(st->checks[i].partition, part) ||
		    strcmp(st->checks[i].device, dev))
			continue;
		(*checks)++;
		fails += !st->checks[i].pass;
	}
	return fails;
}

/* A partition's guest: its image, CPUs, how it ended. */
static void report_guest(const struct guest *g)
{
	const struct guest_config *c = &g->cfg;
	char what[320], cpus[24];

	guest_describe(g, what, sizeof(what));
	if (c->ncpus > 1)
		snprintf(cpus, sizeof(cpus), "CPUs %u-%u", c->first_cpu,
			 c->first_cpu + c->ncpus - 1);
	else
		snprintf(cpus, sizeof(cpus), "CPU %u", c->first_cpu);
	log_print("    guest '%s', %u vCPU%s on %s: %s", c->image.name, c->ncpus,
		  c->ncpus == 1 ? "" : "s", cpus, what);
	for (unsigned i = 0; IS_ENABLED(CONFIG_VFIO_PCI) && i < c->npci; i++) {
		const char *note = vfio_pci_config_note(c->pci[i].vpci);

		if (note[0])
			log_print("    00:%02x.%x (%s): %s", c->pci[i].slot,
				  c->pci[i].fn, c->pci[i].vpci->vbase.name, note);
	}
	for (unsigned i = 0; i < g->nfaults; i++)
		log_print("    DMA fault: %s at 0x%llx-0x%llx (%s, stream 0x%x), "
			  "%lu faults", g->faults[i].device,
			  (unsigned long long)g->faults[i].lo,
			  (unsigned long long)g->faults[i].hi, g->faults[i].what,
			  g->faults[i].stream_id, g->faults[i].count);
	if (c->canary_addr)
		log_print("    canary at 0x%llx: %s",
			  (unsigned long long)c->canary_addr,
			  guest_canary_intact(g) ? "intact" : "CHANGED");
}

void report_table(struct manager *m, const struct selftest_result *st)
{
	unsigned ndev = 0;

	for (struct partition *p = m->partitions; p; p = p->next)
		ndev += p->ndevices;
	log_print("Partitions: %u, devices: %u, board: %s", m->npartitions,
		  ndev, m->board->model);
	for (struct partition *p = m->partitions; p; p = p->next) {
		char size[32], at[32];

		partition_update_state(p);
		human(p->ram_size, size, sizeof(size));
		if (p->ram_addr != p->ram_base)
			snprintf(at, sizeof(at), " at 0x%llx",
				 (unsigned long long)p->ram_addr);
		else
			at[0] = '\0';
		log_print("  %-10s %-8s RAM 0x%010llx-0x%010llx (%s)%s, %u device%s",
			  p->id, partition_state_name(p->state),
			  (unsigned long long)p->ram_base,
			  (unsigned long long)(p->ram_base + p->ram_size - 1),
			  size, at, p->ndevices, p->ndevices == 1 ? "" : "s");
		if (IS_ENABLED(CONFIG_GUESTS) && p->guest)
			report_guest(p->guest);
		for (struct partition_device *d = p->devices; d; d = d->next) {
			struct dev_facts f;
			char bytes[32], verdict[48] = "";
			unsigned checks, fails;

			facts(d, &f);
			human(f.bytes, bytes, sizeof(bytes));
			fails = selftest_failures_of(st, p->id, f.name, &checks);
			if (st && st->ran)
				snprintf(verdict, sizeof(verdict), checks ?
					 (fails ? "  selftest FAILED %u/%u" :
					  "  selftest ok (%u checks)") :
					 "  selftest: not tested",
					 fails ? fails : checks, checks);
			log_print("    %-38s %-13s %-8s %-26s DMA: %lu mapping%s, %s%s%s%s",
				  f.name, f.driver, f.backend, f.ids, f.mappings,
				  f.mappings == 1 ? "" : "s", bytes,
				  f.note[0] ? "  " : "", f.note, verdict);
		}
	}
	if (!st || !st->ran)
		return;
	for (unsigned i = 0; i < st->nuntested; i++)
		log_print("selftest: %s %s not tested: %s", st->untested[i].partition,
			  st->untested[i].device, st->untested[i].why);
	if (!st->nchecks)
		log_print("selftest: dma isolation NOT TESTED: no device with a "
			  "DMA engine the self-test can drive");
	else if (st->failures)
		log_print("selftest: dma isolation FAILED: %u of %u checks",
			  st->failures, st->nchecks);
	else
		log_print("selftest: dma isolation ok (%u checks)", st->nchecks);
}

/* ---- mtree -------------------------------------------------------------- */

static const char *mr_type(const MemoryRegion *mr)
{
	switch (mr->kind) {
	case MR_RAM: return mr->readonly ? "rom" : "ram";
	case MR_RAM_DEVICE: return "ramd";
	case MR_ALIAS: return "alias";
	case MR_CONTAINER:
	case MR_MMIO:
		break;
	}
	return "i/o";
}

static void mtree_region(const MemoryRegion *mr, uint64_t base, unsigned depth)
{
	uint64_t start = base + mr->addr;
	uint64_t end = mr->size ? start + mr->size - 1 : start;

	if (mr->size == UINT64_MAX)
		end = UINT64_MAX;
	if (mr->kind == MR_ALIAS && mr->alias)
		log_print("%*s%016llx-%016llx (prio %d, %s): alias %s @%s "
			  "%016llx-%016llx%s", (int)(depth * 2 + 2), "",
			  (unsigned long long)start, (unsigned long long)end,
			  mr->priority, mr_type(mr), mr->name, mr->alias->name,
			  (unsigned long long)mr->alias_offset,
			  (unsigned long long)(mr->alias_offset + mr->size - 1),
			  mr->enabled ? "" : " [disabled]");
	else
		log_print("%*s%016llx-%016llx (prio %d, %s): %s%s",
			  (int)(depth * 2 + 2), "", (unsigned long long)start,
			  (unsigned long long)end, mr->priority, mr_type(mr),
			  mr->name, mr->enabled ? "" : " [disabled]");
	for (const MemoryRegion *sub = mr->subregions; sub; sub = sub->next_sibling)
		mtree_region(sub, start, depth + 1);
}

void report_mtree(struct manager *m)
{
	for (struct partition *p = m->partitions; p; p = p->next) {
		log_print("address-space: %s", p->id);
		/* The root is the whole space: its own address is 0. */
		mtree_region(&p->root, 0, 0);
		if (p->next)
			log_print("%s", "");
	}
}

/* ---- JSON --------------------------------------------------------------- */

/* A JSON string of s (names here are plain, but say so by escaping). */
static void json_str(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	if (len < 3)
		return;
	buf[n++] = '"';
	for (; *s && n + 7 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)ch;
		} else if (ch < 0x20) {
			n += (size_t)snprintf(buf + n, len - n, "\\u%04x", ch);
		} else {
			buf[n++] = (char)ch;
		}
	}
	buf[n++] = '"';
	buf[n] = '\0';
}

void report_json(struct manager *m, const struct selftest_result *st)
{
	log_print("{");
	log_print("  \"partitions\": [");
	for (struct partition *p = m->partitions; p; p = p->next) {
		char id[96];

		partition_update_state(p);
		json_str(id, sizeof(id), p->id);
		log_print("    {\"id\": %s, \"state\": \"%s\", \"ram_base\": %llu, "
			  "\"ram_size\": %llu, \"ram_addr\": %llu, \"devices\": [",
			  id, partition_state_name(p->state),
			  (unsigned long long)p->ram_base,
			  (unsigned long long)p->ram_size,
			  (unsigned long long)p->ram_addr);
		for (struct partition_device *d = p->devices; d; d = d->next) {
			struct dev_facts f;
			char name[96], ids[128];
			unsigned checks, fails;

			facts(d, &f);
			json_str(name, sizeof(name), f.name);
			json_str(ids, sizeof(ids), f.ids);
			fails = selftest_failures_of(st, p->id, f.name, &checks);
			log_print("      {\"name\": %s, \"driver\": \"%s\", "
				  "\"backend\": \"%s\", \"ids\": %s, "
				  "\"dma_mappings\": %lu, \"dma_bytes\": %llu, "
				  "\"selftest_checks\": %u, \"selftest_failures\": %u%s%s}%s",
				  name, f.driver, f.backend, ids, f.mappings,
				  (unsigned long long)f.bytes, checks, fails,
				  f.json[0] ? ", " : "", f.json, d->next ? "," : "");
		}
		log_print("    ]}%s", p->next ? "," : "");
	}
	log_print("  ],");
	if (st && st->ran)
		log_print("  \"selftest\": {\"checks\": %u, \"failures\": %u, "
			  "\"untested\": %u}", st->nchecks, st->failures,
			  st->nuntested);
	else
		log_print("  \"selftest\": null");
	log_print("}");
}

/* ---- devices ------------------------------------------------------------ */

void report_devices(const struct board *b)
{
	unsigned n = bus_device_count(b->devices);

	log_print("Devices of %s: %u", b->model, n);
	log_print("  %-5s %-38s %-9s %-6s %-10s %s", "vfio", "name", "bus",
		  "group", "stream", "what");
	for (unsigned i = 0; i < n; i++) {
		const struct bus_device_info *d = bus_device(b->devices, i);
		char sid[16] = "-";

		if (d->kind == BUS_PCI || d->kind == BUS_PLATFORM)
			snprintf(sid, sizeof(sid), "0x%x", d->stream_id);
		log_print("  %-5u %-38s %-9s %-6d %-10s %s", d->index, d->name,
			  kind_name(d->kind), d->group, sid, d->compatible);
	}
}
