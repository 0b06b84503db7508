// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The read-only device namespace: a small tree of directories, attribute
 * files, symbolic links and device nodes, laid out like Linux's /dev and
 * /sys so the VFIO side finds devices the way QEMU does. Discovery fills
 * it; the system calls read it.
 */
#include "sys-internal.h"
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/sys/namespace.h>
#include <string.h>

#define SYS_MAX_LINKS 40     /* Linux's MAXSYMLINKS */

void sys_ns_init(struct sys *sys)
{
	memset(&sys->root, 0, sizeof(sys->root));
	sys->root.type = SYS_DIR;
}

static void node_free(struct sys_node *n)
{
	for (size_t i = 0; i < n->nchildren; i++)
		node_free(n->children[i]);
	heap_free(n->children);
	if (n->free_opaque)
		n->free_opaque(n->opaque);
	heap_free(n->name);
	heap_free(n->text);
	heap_free(n);
}

void sys_ns_fini(struct sys *sys)
{
	for (size_t i = 0; i < sys->root.nchildren; i++)
		node_free(sys->root.children[i]);
	heap_free(sys->root.children);
	sys_ns_init(sys);
}

/* strcmp's order between c's name and name[0..len). */
static int name_cmp(const struct sys_node *c, const char *name, size_t len)
{
	size_t n = c->name_len < len ? c->name_len : len;
	int r = memcmp(c->name, name, n);

	if (r)
		return r;
	return c->name_len < len ? -1 : c->name_len > len;
}

/* Where name is in dir, or would go: *found says which. */
static size_t child_pos(const struct sys_node *dir, const char *name,
			size_t len, bool *found)
{
	size_t lo = 0, hi = dir->nchildren;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = name_cmp(dir->children[mid], name, len);

		if (!r) {
			*found = true;
			return mid;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct sys_node *child(struct sys_node *dir, const char *name,
			      size_t len)
{
	bool found;
	size_t pos = child_pos(dir, name, len, &found);

	return found ? dir->children[pos] : NULL;
}

/*
 * Walk path from dir. Components "." and ".." and repeated slashes are
 * understood (link targets use them); links are followed in the middle
 * of a path always and at the end when follow is set.
 */
static struct sys_node *walk(struct sys *sys, struct sys_node *dir,
			     const char *path, bool follow, int *links)
{
	const char *p = path;
	struct sys_node *n = dir;

	if (*p == '/') {
		n = &sys->root;
		p++;
	}
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool last;
		struct sys_node *c;

		while (end && end[1] == '/')
			end++;
		last = !end || !end[1];
		if (n->type != SYS_DIR)
			return ERR_PTR(-ENOTDIR);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			c = n;
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			c = n->parent ? n->parent : n;
		} else {
			c = child(n, p, len);
			if (!c)
				return ERR_PTR(-ENOENT);
		}
		if (c->type == SYS_LNK && (!last || follow)) {
			if (++*links > SYS_MAX_LINKS)
				return ERR_PTR(-ELOOP);
			c = walk(sys, c->parent, c->text, true, links);
			if (IS_ERR(c))
				return c;
		}
		n = c;
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

struct sys_node *sys_ns_lookup(struct sys *sys, const char *path, bool follow)
{
	int links = 0;

	if (!path || path[0] != '/')
		return ERR_PTR(path && path[0] ? -EINVAL : -ENOENT);
	return walk(sys, &sys->root, path, follow, &links);
}

/* Absolute, no empty, "." or ".." component, no trailing slash. */
static bool clean_path(const char *path)
{
	const char *p = path;

	if (!path || path[0] != '/' || !path[1])
		return false;
	while (*p == '/') {
		const char *c = ++p;

		while (*p && *p != '/')
			p++;
		if (p == c || (p - c == 1 && c[0] == '.') ||
		    (p - c == 2 && c[0] == '.' && c[1] == '.'))
			return false;
	}
	return true;
}

/* Put n (named, not in dir) into dir; false when out of memory. */
static bool insert_sorted(struct sys_node *dir, struct sys_node *n)
{
	bool found;
	size_t pos = child_pos(dir, n->name, n->name_len, &found);

	if (dir->nchildren == dir->children_cap) {
		size_t cap = dir->children_cap ? 2 * dir->children_cap : 8;
		struct sys_node **grown = heap_realloc(dir->children,
						       cap * sizeof(*grown));

		if (!grown)
			return false;
		dir->children = grown;
		dir->children_cap = cap;
	}
	memmove(&dir->children[pos + 1], &dir->children[pos],
		(dir->nchildren - pos) * sizeof(*dir->children));
	dir->children[pos] = n;
	dir->nchildren++;
	n->parent = dir;
	return true;
}

static bool set_name(struct sys_node *n, const char *name, size_t len)
{
	n->name = heap_strndup(name, len);
	n->name_len = len;
	return n->name != NULL;
}

static struct sys_node *new_node(const char *name, size_t len,
				 enum sys_node_type type)
{
	struct sys_node *n = heap_zalloc(sizeof(*n));

	if (!n)
		return NULL;
	if (!set_name(n, name, len)) {
		heap_free(n);
		return NULL;
	}
	n->type = type;
	return n;
}

/* Take n out of its directory and free it with everything below. */
static void unlink_node(struct sys_node *n)
{
	struct sys_node *dir = n->parent;
	bool found;
	size_t pos = child_pos(dir, n->name, n->name_len, &found);

	memmove(&dir->children[pos], &dir->children[pos + 1],
		(dir->nchildren - pos - 1) * sizeof(*dir->children));
	dir->nchildren--;
	node_free(n);
}

/*
 * Make the parents of path (directories) and put leaf last. On failure
 * nothing is left behind: directories made for this call go again, and
 * leaf stays the caller's.
 */
static int add_node(struct sys *sys, const char *path, struct sys_node *leaf)
{
	struct sys_node *dir = &sys->root, *first_new = NULL;
	const char *p = path + 1;

	if (!clean_path(path))
		return -EINVAL;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct sys_node *c = child(dir, p, len);

		if (!end) {
			/* Only an existing directory chain can collide. */
			if (c)
				return -EEXIST;
			if (!set_name(leaf, p, len) || !insert_sorted(dir, leaf))
				break;
			return 0;
		}
		if (!c) {
			c = new_node(p, len, SYS_DIR);
			if (!c)
				break;
			if (!insert_sorted(dir, c)) {
				node_free(c);
				break;
			}
			if (!first_new)
				first_new = c;
		} else if (c->type != SYS_DIR) {
			return -EEXIST;
		}
		dir = c;
		p = end + 1;
	}
	if (first_new)
		unlink_node(first_new);
	return -ENOMEM;
}

static int add_leaf(struct sys *sys, const char *path, struct sys_node *leaf)
{
	int ret = add_node(sys, path, leaf);

	if (ret < 0)
		node_free(leaf);
	return ret;
}

int sys_ns_add_file_bytes(struct sys *sys, const char *path,
			  const void *data, size_t len)
{
	struct sys_node *n = heap_zalloc(sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->type = SYS_REG;
	/* Always NUL-terminated, so text readers see a C string. */
	n->text = heap_alloc(len + 1);
	if (!n->text) {
		heap_free(n);
		return -ENOMEM;
	}
	if (len)
		memcpy(n->text, data, len);
	n->text[len] = 0;
	n->len = len;
	return add_leaf(sys, path, n);
}

int sys_ns_add_file(struct sys *sys, const char *path, const char *contents)
{
	contents = contents ? contents : "";
	return sys_ns_add_file_bytes(sys, path, contents, strlen(contents));
}

int sys_ns_add_link(struct sys *sys, const char *path, const char *target)
{
	struct sys_node *n;

	if (!target || !target[0])
		return -EINVAL;
	n = heap_zalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->type = SYS_LNK;
	n->text = heap_strdup(target);
	if (!n->text) {
		heap_free(n);
		return -ENOMEM;
	}
	return add_leaf(sys, path, n);
}

int sys_ns_add_chardev_owned(struct sys *sys, const char *path,
			     uint32_t major, uint32_t minor, sys_open_fn open,
			     void *opaque, void (*free_opaque)(void *opaque))
{
	struct sys_node *n;

	if (!open) {
		if (free_opaque)
			free_opaque(opaque);
		return -EINVAL;
	}
	n = heap_zalloc(sizeof(*n));
	if (!n) {
		if (free_opaque)
			free_opaque(opaque);
		return -ENOMEM;
	}
	n->type = SYS_CHR;
	n->major = major;
	n->minor = minor;
	n->open = open;
	n->opaque = opaque;
	n->free_opaque = free_opaque;
	return add_leaf(sys, path, n);
}

int sys_ns_add_chardev(struct sys *sys, const char *path, uint32_t major,
		       uint32_t minor, sys_open_fn open, void *opaque)
{
	return sys_ns_add_chardev_owned(sys, path, major, minor, open, opaque,
					NULL);
}

int sys_ns_remove(struct sys *sys, const char *path)
{
	struct sys_node *n;

	if (!clean_path(path))
		return -EINVAL;
	n = sys_ns_lookup(sys, path, false);
	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	unlink_node(n);
	return 0;
}

/* ---- the read side ---------------------------------------------------- */

int sys_stat(struct sys *sys, const char *path, struct sys_stat *st)
{
	struct sys_node *n = sys_ns_lookup(sys, path, true);

	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	memset(st, 0, sizeof(*st));
	st->type = n->type;
	st->rdev_major = n->major;
	st->rdev_minor = n->minor;
	if (n->type == SYS_REG)
		st->size = n->len;
	return 0;
}

long sys_readlink(struct sys *sys, const char *path, char *buf, size_t len)
{
	struct sys_node *n = sys_ns_lookup(sys, path, false);
	size_t tlen;

	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	if (n->type != SYS_LNK)
		return -EINVAL;
	tlen = strlen(n->text);
	if (tlen > len)
		tlen = len;
	memcpy(buf, n->text, tlen);
	return (long)tlen;
}

long sys_read_file(struct sys *sys, const char *path, char *buf, size_t len)
{
	struct sys_node *n = sys_ns_lookup(sys, path, true);
	size_t tlen;

	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	if (n->type == SYS_DIR)
		return -EISDIR;
	if (n->type != SYS_REG)
		return -EINVAL;
	tlen = n->len;
	if (tlen + 1 > len)
		return -EOVERFLOW;
	memcpy(buf, n->text, tlen + 1);
	return (long)tlen;
}

int sys_readdir(struct sys *sys, const char *path,
		int (*fn)(void *opaque, const char *name), void *opaque)
{
	struct sys_node *n = sys_ns_lookup(sys, path, true);

	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	if (n->type != SYS_DIR)
		return -ENOTDIR;
	for (size_t i = 0; i < n->nchildren; i++) {
		int ret = fn(opaque, n->children[i]->name);

		if (ret)
			return ret;
	}
	return 0;
}

int sys_realpath(struct sys *sys, const char *path, char *buf, size_t len)
{
	struct sys_node *n = sys_ns_lookup(sys, path, true);
	size_t need = 1, at;

	if (IS_ERR(n))
		return (int)PTR_ERR(n);
	for (struct sys_node *p = n; p->parent; p = p->parent)
		need += p->name_len + 1;
	if (n == &sys->root)
		need = 2;
	if (need > len)
		return -ERANGE;
	/* Fill from the end: /name/name... */
	at = need - 1;
	buf[at] = '\0';
	for (struct sys_node *p = n; p->parent; p = p->parent) {
		size_t l = p->name_len;

		at -= l;
		memcpy(buf + at, p->name, l);
		buf[--at] = '/';
	}
	if (n == &sys->root)
		memcpy(buf, "/", 2);
	return 0;
}
