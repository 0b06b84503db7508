// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The type1 differential runner: reads requests (type1-requests.txt, one
 * per line), sends each through the system-call line and prints
 *
 *     CALL <the request as written> -> <result> <errno name>
 *
 * with INFO lines for what the call wrote back. Built against the
 * in-image type1 (host build) and against the real kernel (a Linux
 * program in a VM); the two outputs must agree outside the allow-list
 * (allow-list.txt). Nothing in the output depends on where it ran except
 * what the allow-list names: fds print as "fd", groups and devices by
 * their variables.
 *
 *   type1-runner REQUESTS DEVICE0 DEVICE1
 *
 * Variables in a request: $D0 $D1 (the devices' names), $G0 $G1 (their
 * IOMMU groups, read from sysfs). Files are named by the request that
 * opens them; memory by the "mem" request that makes it.
 */
#include "runner-env.h"
#include <partita/errno.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <uapi/linux/vfio.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16
#define MAX_NAMES  32
#define PAGE       4096ULL

struct named {
	char name[16];
	long value;          /* an fd, or a pointer to memory */
	uint64_t size;       /* memory */
};

static struct named names[MAX_NAMES];
static unsigned nnames;
static const char *devices[2];
static int groups[2];
static struct sys *sys;
static unsigned lineno;

static const struct { int e; const char *name; } errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EOVERFLOW, "EOVERFLOW" },
	{ EBADFD, "EBADFD" },
};

static const char *errname(long ret)
{
	static char buf[24];

	if (ret >= 0)
		return "OK";
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == -ret)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E%ld", -ret);
	return buf;
}

static void die(const char *why, const char *what)
{
	fprintf(stderr, "type1-runner: line %u: %s%s%s\n", lineno, why,
		what ? ": " : "", what ? what : "");
	exit(2);
}

/* ---- the request's words ---------------------------------------------- */

struct request {
	char *verb;
	char *tok[MAX_TOKENS];     /* after the verb */
	unsigned ntok;
};

/* Split line in place into words; a word may hold "quoted spaces"
 * (quotes dropped): name="$D0 vf_token=1". */
static void split(char *line, struct request *r)
{
	char *p = line;

	r->ntok = 0;
	r->verb = NULL;
	for (;;) {
		char *start, *out;
		bool quoted = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		start = out = p;
		for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				*out++ = *p;
		}
		if (quoted)
			die("unterminated quote", NULL);
		if (*p)
			p++;
		*out = 0;
		if (!r->verb)
			r->verb = start;
		else if (r->ntok < MAX_TOKENS)
			r->tok[r->ntok++] = start;
		else
			die("too many words", NULL);
	}
}

/* Replace $D0 $D1 $G0 $G1 in s (into out). */
static void expand(const char *s, char *out, size_t n)
{
	size_t o = 0;

	while (*s && o + 1 < n) {
		if (s[0] == '$' && (s[1] == 'D' || s[1] == 'G') &&
		    (s[2] == '0' || s[2] == '1')) {
			unsigned i = (unsigned)(s[2] - '0');
			int w = s[1] == 'D' ?
				snprintf(out + o, n - o, "%s", devices[i]) :
				snprintf(out + o, n - o, "%d", groups[i]);

			o += (size_t)w < n - o ? (size_t)w : n - o - 1;
			s += 3;
			continue;
		}
		out[o++] = *s++;
	}
	out[o] = 0;
}

/* The value of key=... among r's words, or NULL. */
static const char *opt(const struct request *r, const char *key)
{
	size_t k = strlen(key);

	for (unsigned i = 0; i < r->ntok; i++)
		if (!strncmp(r->tok[i], key, k) && r->tok[i][k] == '=')
			return r->tok[i] + k + 1;
	return NULL;
}

static bool has(const struct request *r, const char *word)
{
	for (unsigned i = 0; i < r->ntok; i++)
		if (!strcmp(r->tok[i], word))
			return true;
	return false;
}

static uint64_t num(const char *s, const char *what)
{
	char *end;
	uint64_t v;

	if (!s)
		die("missing", what);
	v = strtoull(s, &end, 0);
	if (*end)
		die("not a number", s);
	return v;
}

static uint64_t opt_num(const struct request *r, const char *key, uint64_t dflt)
{
	const char *v = opt(r, key);

	return v ? num(v, key) : dflt;
}

static struct named *lookup(const char *name)
{
	for (unsigned i = 0; i < nnames; i++)
		if (!strcmp(names[i].name, name))
			return &names[i];
	return NULL;
}

static struct named *define(const char *name)
{
	struct named *n = lookup(name);

	if (n)
		return n;
	if (nnames == MAX_NAMES || strlen(name) >= sizeof(n->name))
		die("too many names, or too long", name);
	n = &names[nnames++];
	snprintf(n->name, sizeof(n->name), "%s", name);
	return n;
}

/* The fd a word names: a file opened by an earlier request, or fd=N. */
static int fd_of(const char *word)
{
	struct named *n;

	if (!word)
		die("missing file", NULL);
	if (!strncmp(word, "fd=", 3))
		return (int)strtol(word + 3, NULL, 0);
	n = lookup(word);
	if (!n)
		die("no such file", word);
	return (int)n->value;
}

/* MEM or MEM+OFF: an address in memory made by "mem"; or a number. */
static uint64_t vaddr_of(const char *word)
{
	char name[16];
	const char *plus = word ? strchr(word, '+') : NULL;
	size_t len = plus ? (size_t)(plus - word) : (word ? strlen(word) : 0);
	struct named *n;

	if (word && word[0] >= '0' && word[0] <= '9')
		return num(word, "vaddr");
	if (!word || len >= sizeof(name))
		die("missing or bad vaddr", word);
	memcpy(name, word, len);
	name[len] = 0;
	n = lookup(name);
	if (!n)
		die("no such memory", name);
	return (uint64_t)n->value + (plus ? num(plus + 1, "offset") : 0);
}

/* ---- printing ----------------------------------------------------------- */

static void result(const char *text, long ret, bool is_fd)
{
	char r[24];

	if (ret >= 0 && is_fd)
		snprintf(r, sizeof(r), "fd");
	else
		snprintf(r, sizeof(r), "%ld", ret < 0 ? -1L : ret);
	printf("CALL %-64s -> %s %s\n", text, r, errname(ret));
}

static void print_caps(const uint8_t *buf, uint32_t argsz, uint32_t off)
{
	while (off && off + sizeof(struct vfio_info_cap_header) <= argsz) {
		const struct vfio_info_cap_header *h = (const void *)(buf + off);

		printf("INFO   cap id=%u version=%u\n", h->id, h->version);
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			const struct vfio_iommu_type1_info_cap_iova_range *c =
				(const void *)h;

			for (uint32_t i = 0; i < c->nr_iovas; i++)
				printf("INFO     iova_range[%u] 0x%" PRIx64
				       "-0x%" PRIx64 "\n", i,
				       (uint64_t)c->iova_ranges[i].start,
				       (uint64_t)c->iova_ranges[i].end);
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION) {
			const struct vfio_iommu_type1_info_cap_migration *c =
				(const void *)h;

			printf("INFO     migration flags=0x%x pgsize_bitmap=0x%"
			       PRIx64 " max_dirty_bitmap_size=0x%" PRIx64 "\n",
			       c->flags, (uint64_t)c->pgsize_bitmap,
			       (uint64_t)c->max_dirty_bitmap_size);
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			const struct vfio_iommu_type1_info_dma_avail *c =
				(const void *)h;

			printf("INFO     dma_avail=%u\n", c->avail);
		}
		if (h->next <= off)
			break;       /* a loop would never end */
		off = h->next;
	}
}

/* ---- the requests -------------------------------------------------------- */

static long do_ioctl(int fd, unsigned long req, void *arg)
{
	return sys_ioctl(sys, fd, req, arg);
}

static void req_info(const struct request *r, const char *text)
{
	static uint8_t buf[4096];
	struct vfio_iommu_type1_info *info = (void *)buf;
	uint32_t argsz = (uint32_t)opt_num(r, "argsz", sizeof(buf));
	long ret;

	memset(buf, 0, sizeof(buf));
	info->argsz = argsz;
	ret = do_ioctl(fd_of(r->tok[0]), VFIO_IOMMU_GET_INFO,
		       has(r, "arg=null") ? NULL : info);
	result(text, ret, false);
	if (ret < 0)
		return;
	printf("INFO   flags=0x%x pgsizes=0x%" PRIx64 " argsz=%u\n", info->flags,
	       (uint64_t)info->iova_pgsizes, info->argsz);
	if (argsz >= sizeof(*info) && (info->flags & VFIO_IOMMU_INFO_CAPS))
		print_caps(buf, argsz < info->argsz ? argsz : info->argsz,
			   info->cap_offset);
}

static void req_map(const struct request *r, const char *text)
{
	struct {
		struct vfio_iommu_type1_dma_map m;
		uint8_t pad[64];
	} a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.m.argsz = (uint32_t)opt_num(r, "argsz", sizeof(a.m));
	a.m.flags = (uint32_t)opt_num(r, "flags", VFIO_DMA_MAP_FLAG_READ |
				      VFIO_DMA_MAP_FLAG_WRITE);
	a.m.iova = num(opt(r, "iova"), "iova");
	a.m.size = num(opt(r, "size"), "size");
	a.m.vaddr = opt(r, "vaddr") ? vaddr_of(opt(r, "vaddr")) : 0;
	ret = do_ioctl(fd_of(r->tok[0]), VFIO_IOMMU_MAP_DMA,
		       has(r, "arg=null") ? NULL : &a.m);
	result(text, ret, false);
}

/* A dirty bitmap the kernel fills into bits (pgsize=, bms=, data=null
 * from the request), and what it says once filled. */
static void bitmap_of(const struct request *r, struct vfio_bitmap *b,
		      uint64_t *bits, uint64_t room)
{
	b->pgsize = opt_num(r, "pgsize", PAGE);
	b->size = opt_num(r, "bms", room);
	b->data = has(r, "data=null") ? NULL : (void *)bits;
}

static void print_bitmap(const uint64_t *bits)
{
	printf("INFO   bitmap[0]=0x%" PRIx64 "\n", bits[0]);
}

static void req_unmap(const struct request *r, const char *text)
{
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap bitmap;
	} a;
	uint64_t bits[8] = { 0 };
	long ret;

	memset(&a, 0, sizeof(a));
	a.u.argsz = (uint32_t)opt_num(r, "argsz", sizeof(a.u));
	a.u.flags = (uint32_t)opt_num(r, "flags", 0);
	a.u.iova = num(opt(r, "iova"), "iova");
	a.u.size = num(opt(r, "size"), "size");
	if (a.u.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP &&
	    !opt(r, "argsz")) {
		a.u.argsz = sizeof(a);
		bitmap_of(r, &a.bitmap, bits, sizeof(bits));
	}
	ret = do_ioctl(fd_of(r->tok[0]), VFIO_IOMMU_UNMAP_DMA,
		       has(r, "arg=null") ? NULL : &a.u);
	result(text, ret, false);
	if (!has(r, "arg=null"))
		printf("INFO   out.size=0x%" PRIx64 "\n", (uint64_t)a.u.size);
	if (ret >= 0 && a.u.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP)
		print_bitmap(bits);
}

static void req_dirty(const struct request *r, const char *text)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} a;
	uint64_t bits[8] = { 0 };
	long ret;

	memset(&a, 0, sizeof(a));
	a.d.argsz = sizeof(a.d);
	a.d.flags = (uint32_t)opt_num(r, "flags", 0);
	if (a.d.flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) {
		a.d.argsz = (uint32_t)opt_num(r, "argsz", sizeof(a));
		a.g.iova = opt_num(r, "iova", 0);
		a.g.size = opt_num(r, "size", 0);
		bitmap_of(r, &a.g.bitmap, bits, sizeof(bits));
	}
	ret = do_ioctl(fd_of(r->tok[0]), VFIO_IOMMU_DIRTY_PAGES, &a.d);
	result(text, ret, false);
	if (ret >= 0 && a.d.flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP)
		print_bitmap(bits);
}

static void req_status(const struct request *r, const char *text)
{
	struct vfio_group_status st = {
		.argsz = (uint32_t)opt_num(r, "argsz", sizeof(st)) };
	long ret = do_ioctl(fd_of(r->tok[0]), VFIO_GROUP_GET_STATUS,
			    has(r, "arg=null") ? NULL : &st);

	result(text, ret, false);
	if (ret >= 0)
		printf("INFO   group flags=0x%x\n", st.flags);
}

static void req_set_container(const struct request *r, const char *text)
{
	bool given = r->ntok > 1 && strncmp(r->tok[1], "arg=", 4);
	int32_t c = given ? fd_of(r->tok[1]) : -1;
	long ret = do_ioctl(fd_of(r->tok[0]), VFIO_GROUP_SET_CONTAINER,
			    has(r, "arg=null") ? NULL : &c);

	result(text, ret, false);
}

static void req_device(const struct request *r, const char *text)
{
	char name[128];
	const char *want = opt(r, "name");
	long ret;

	expand(want ? want : "", name, sizeof(name));
	ret = do_ioctl(fd_of(r->tok[0]), VFIO_GROUP_GET_DEVICE_FD,
		       has(r, "arg=null") ? NULL : name);
	result(text, ret, true);
	/* A failed open still names the file: later requests on it get
	 * EBADF on both sides, and the outputs stay aligned. */
	if (r->ntok > 1 && !strchr(r->tok[1], '='))
		define(r->tok[1])->value = ret < 0 ? -1 : ret;
}

static void req_device_info(const struct request *r, const char *text)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	long ret = do_ioctl(fd_of(r->tok[0]), VFIO_DEVICE_GET_INFO, &info);

	result(text, ret, false);
	if (ret >= 0)
		printf("INFO   device flags=0x%x num_regions=%u num_irqs=%u\n",
		       info.flags, info.num_regions, info.num_irqs);
}

static void req_region_info(const struct request *r, const char *text)
{
	struct vfio_region_info info = { .argsz = sizeof(info),
		.index = (uint32_t)opt_num(r, "index", 0) };
	long ret = do_ioctl(fd_of(r->tok[0]), VFIO_DEVICE_GET_REGION_INFO,
			    &info);

	result(text, ret, false);
	if (ret >= 0)
		printf("INFO   region flags=0x%x size=0x%" PRIx64 " offset=0x%"
		       PRIx64 "\n", info.flags, (uint64_t)info.size,
		       (uint64_t)info.offset);
}

/* Map one page after another from iova, step bytes apart, until a map
 * fails or count are made: how many succeeded, then the failure. */
static void req_map_many(const struct request *r, const char *text)
{
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.size = PAGE };
	uint64_t iova = num(opt(r, "iova"), "iova"), step = opt_num(r, "step", PAGE);
	uint64_t count = num(opt(r, "count"), "count"), done = 0;
	long ret = 0;

	m.vaddr = vaddr_of(opt(r, "vaddr"));
	for (; done < count; done++) {
		m.iova = iova + done * step;
		ret = do_ioctl(fd_of(r->tok[0]), VFIO_IOMMU_MAP_DMA, &m);
		if (ret < 0)
			break;
	}
	result(text, ret, false);
	printf("INFO   %" PRIu64 " maps made\n", done);
}

/* Memory of the caller's (no call: nothing printed). */
static void req_mem(const struct request *r)
{
	static const char *const kinds[] = { "rw", "ro", "hole", "half" };
	const char *kind = opt(r, "kind");
	uint64_t size = num(opt(r, "size"), "size");
	unsigned k;
	void *p;

	for (k = 0; k < 4; k++)
		if (kind && !strcmp(kind, kinds[k]))
			break;
	if (k == 4 || !r->ntok || size % PAGE)
		die("mem NAME size=N kind=rw|ro|hole|half", NULL);
	p = env_mem((enum env_mem_kind)k, size);
	if (!p)
		die("no memory for", r->tok[0]);
	define(r->tok[0])->value = (long)(uintptr_t)p;
}

static void run(struct request *r, const char *text)
{
	const char *v = r->verb;
	char path[128];

	if (!strcmp(v, "open")) {
		long ret;

		if (r->ntok != 2)
			die("open NAME PATH", NULL);
		expand(r->tok[1], path, sizeof(path));
		ret = sys_open(sys, path);
		result(text, ret, true);
		define(r->tok[0])->value = ret < 0 ? -1 : ret;
	} else if (!strcmp(v, "close")) {
		result(text, sys_close(sys, fd_of(r->tok[0])), false);
	} else if (!strcmp(v, "api")) {
		result(text, do_ioctl(fd_of(r->tok[0]), VFIO_GET_API_VERSION,
				      NULL), false);
	} else if (!strcmp(v, "ext")) {
		result(text, do_ioctl(fd_of(r->tok[0]), VFIO_CHECK_EXTENSION,
				      (void *)(uintptr_t)num(r->tok[1], "ext")),
		       false);
	} else if (!strcmp(v, "set_iommu")) {
		result(text, do_ioctl(fd_of(r->tok[0]), VFIO_SET_IOMMU,
				      (void *)(uintptr_t)num(r->tok[1], "type")),
		       false);
	} else if (!strcmp(v, "ioctl")) {
		result(text, do_ioctl(fd_of(r->tok[0]),
				      _IO(VFIO_TYPE, VFIO_BASE +
					  num(opt(r, "nr"), "nr")), NULL),
		       false);
	} else if (!strcmp(v, "info")) {
		req_info(r, text);
	} else if (!strcmp(v, "status")) {
		req_status(r, text);
	} else if (!strcmp(v, "set_container")) {
		req_set_container(r, text);
	} else if (!strcmp(v, "unset_container")) {
		result(text, do_ioctl(fd_of(r->tok[0]),
				      VFIO_GROUP_UNSET_CONTAINER, NULL), false);
	} else if (!strcmp(v, "map")) {
		req_map(r, text);
	} else if (!strcmp(v, "unmap")) {
		req_unmap(r, text);
	} else if (!strcmp(v, "dirty")) {
		req_dirty(r, text);
	} else if (!strcmp(v, "device")) {
		req_device(r, text);
	} else if (!strcmp(v, "device_info")) {
		req_device_info(r, text);
	} else if (!strcmp(v, "region_info")) {
		req_region_info(r, text);
	} else if (!strcmp(v, "reset")) {
		result(text, do_ioctl(fd_of(r->tok[0]), VFIO_DEVICE_RESET,
				      NULL), false);
	} else if (!strcmp(v, "map_many")) {
		req_map_many(r, text);
	} else if (!strcmp(v, "mem")) {
		req_mem(r);
	} else {
		die("unknown request", v);
	}
}

/* <sysfs>/iommu_group -> .../iommu_groups/<N> */
static int group_of(const char *dev)
{
	char path[160], link[160];
	long n;
	const char *slash;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", dev);
	n = sys_readlink(sys, path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	slash = strrchr(link, '/');
	return slash ? atoi(slash + 1) : -1;
}

int main(int argc, char **argv)
{
	char line[512], text[512];
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: type1-runner REQUESTS DEVICE0 DEVICE1\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!env_init())
		return 2;
	sys = env_sys();
	devices[0] = argv[2];
	devices[1] = argv[3];
	for (int i = 0; i < 2; i++) {
		groups[i] = group_of(devices[i]);
		if (groups[i] < 0) {
			fprintf(stderr, "type1-runner: %s has no IOMMU group\n",
				devices[i]);
			return 2;
		}
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		struct request r;
		size_t n = strlen(line);

		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
			line[--n] = 0;
		if (!n || line[0] == '#')
			continue;
		if (line[0] == '=') {
			printf("%s\n", line);
			continue;
		}
		snprintf(text, sizeof(text), "%s", line);
		split(line, &r);
		run(&r, text);
	}
	fclose(f);
	printf("=== DONE\n");
	env_fini();
	return 0;
}
