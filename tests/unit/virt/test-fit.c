// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * FIT images (virt/fit.c), built here with libfdt the way mkimage lays
 * them out, their hash values the published digests of the data (so the
 * check is against known answers, not against our own hashing): a good
 * image is found; every defect is refused with the image named.
 */
#include "test-helpers.h"
#include <partita/virt/fit.h>
#include <libfdt.h>

#define RAM_ADDR 0x40000000ULL
#define RAM_SIZE 0x1000000ULL

/* sha256("abc"), crc32("123456789") */
static const uint8_t sha_abc[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
	0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};
static const uint8_t crc_check[4] = { 0xcb, 0xf4, 0x39, 0x26 };

struct spec {
	const char *data;
	bool external;               /* data-offset/data-size after the tree */
	const char *type, *arch, *comp;
	uint64_t load, entry;
	bool two_cells, no_entry;
	const char *algo;
	const uint8_t *value;
	int value_len;
};

static uint8_t blob[8192];

static size_t build(const struct spec *s)
{
	int images, img, hash;
	size_t dlen = strlen(s->data);

	assert_int_equal(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	assert_true(fdt_setprop_string(blob, 0, "description", "test") == 0);
	images = fdt_add_subnode(blob, 0, "images");
	img = fdt_add_subnode(blob, images, "hello");
	if (s->external) {
		assert_int_equal(fdt_setprop_u32(blob, img, "data-offset", 0), 0);
		assert_int_equal(fdt_setprop_u32(blob, img, "data-size",
						 (uint32_t)dlen), 0);
	} else {
		assert_int_equal(fdt_setprop(blob, img, "data", s->data,
					     (int)dlen), 0);
	}
	fdt_setprop_string(blob, img, "type", s->type ? s->type : "kernel");
	fdt_setprop_string(blob, img, "arch", s->arch ? s->arch : "arm64");
	fdt_setprop_string(blob, img, "compression", s->comp ? s->comp : "none");
	if (s->two_cells) {
		fdt_setprop_u64(blob, img, "load", s->load);
		fdt_setprop_u64(blob, img, "entry", s->entry);
	} else {
		fdt_setprop_u32(blob, img, "load", (uint32_t)s->load);
		if (!s->no_entry)
			fdt_setprop_u32(blob, img, "entry", (uint32_t)s->entry);
	}
	if (s->algo) {
		hash = fdt_add_subnode(blob, img, "hash-1");
		fdt_setprop_string(blob, hash, "algo", s->algo);
		fdt_setprop(blob, hash, "value", s->value, s->value_len);
	}
	assert_int_equal(fdt_pack(blob), 0);
	if (s->external) {
		size_t at = (fdt_totalsize(blob) + 3) & ~3u;

		memcpy(blob + at, s->data, dlen);
		return at + dlen;
	}
	return fdt_totalsize(blob);
}

/* A good image's fields, then the ones a case changes (later
 * initialisers override earlier ones, which is the point here). */
#pragma GCC diagnostic ignored "-Woverride-init"
#define GOOD(...) ((struct spec){ .data = "abc", .load = RAM_ADDR + 0x80000,   \
				  .entry = RAM_ADDR + 0x80000, .algo = "sha256", \
				  .value = sha_abc, .value_len = 32, __VA_ARGS__ })

static void refused(const struct spec *s, const char *want)
{
	struct fit_image img;
	Error *err = NULL;
	size_t n = build(s);

	assert_false(fit_image_find(blob, n, "hello", RAM_ADDR, RAM_SIZE, &img,
				    &err));
	assert_non_null(err);
	if (!strstr(error_get_pretty(err), want))
		fail_msg("'%s' lacks '%s'", error_get_pretty(err), want);
	error_free(err);
}

static void test_good(void **state)
{
	struct fit_image img;
	size_t n = build(&GOOD());

	(void)state;
	assert_true(fit_image_find(blob, n, "hello", RAM_ADDR, RAM_SIZE, &img,
				   &error_abort));
	assert_int_equal(img.size, 3);
	assert_memory_equal(img.data, "abc", 3);
	assert_int_equal(img.load, RAM_ADDR + 0x80000);
	assert_int_equal(img.entry, RAM_ADDR + 0x80000);
	assert_int_equal(img.hashes, 1);
	/* crc32, external data, two-cell addresses, entry defaulting. */
	n = build(&GOOD(.data = "123456789", .algo = "crc32", .value = crc_check,
			.value_len = 4, .external = true, .two_cells = true,
			.load = RAM_ADDR + 0x100000, .entry = RAM_ADDR + 0x100004));
	assert_true(fit_image_find(blob, n, "hello", RAM_ADDR, RAM_SIZE, &img,
				   &error_abort));
	assert_int_equal(img.size, 9);
	assert_memory_equal(img.data, "123456789", 9);
	assert_int_equal(img.entry, RAM_ADDR + 0x100004);
	n = build(&GOOD(.no_entry = true));
	assert_true(fit_image_find(blob, n, "hello", RAM_ADDR, RAM_SIZE, &img,
				   &error_abort));
	assert_int_equal(img.entry, img.load);
}

static void test_refused(void **state)
{
	struct fit_image img;
	Error *err = NULL;
	size_t n;

	(void)state;
	refused(&GOOD(.data = "abd"), "FIT image 'hello': sha256 hash ('hash-1') does not match its data: the image is corrupt");
	refused(&GOOD(.data = "123456780", .algo = "crc32", .value = crc_check,
		      .value_len = 4), "crc32 hash ('hash-1') does not match");
	refused(&GOOD(.algo = "md5"), "hash node 'hash-1' uses 'md5'; only crc32 and sha256 are checked");
	refused(&GOOD(.arch = "arm"), "'arch' must be arm64");
	refused(&GOOD(.type = "ramdisk"), "'type' must be kernel, firmware or standalone");
	refused(&GOOD(.comp = "gzip"), "compression 'gzip' is not supported");
	refused(&GOOD(.load = RAM_ADDR + RAM_SIZE - 2), "outside the partition's RAM");
	refused(&GOOD(.load = RAM_ADDR - 0x1000), "outside the partition's RAM");
	refused(&GOOD(.entry = RAM_ADDR + 0x80003), "entry 0x40080003 is not inside the image");
	/* An image larger than the partition. */
	n = build(&GOOD());
	assert_false(fit_image_find(blob, n, "hello", RAM_ADDR, 2, &img, &err));
	assert_non_null(strstr(error_get_pretty(err), "do not fit the partition's 2 bytes"));
	error_free(err);
	err = NULL;
	/* Missing image; external data cut off; not a FIT. */
	assert_false(fit_image_find(blob, n, "bye", RAM_ADDR, RAM_SIZE, &img, &err));
	assert_string_equal(error_get_pretty(err), "FIT image 'bye': no such image in the FIT");
	error_free(err);
	err = NULL;
	n = build(&GOOD(.external = true));
	assert_false(fit_image_find(blob, n - 1, "hello", RAM_ADDR, RAM_SIZE, &img, &err));
	assert_non_null(strstr(error_get_pretty(err), "is beyond the FIT's"));
	error_free(err);
	err = NULL;
	assert_false(fit_image_find("not a fit at all, clearly not", 30, "hello",
				    RAM_ADDR, RAM_SIZE, &img, &err));
	assert_non_null(strstr(error_get_pretty(err), "not a FIT image"));
	error_free(err);
	err = NULL;
	n = build(&GOOD());
	assert_false(fit_image_find(blob, 40, "hello", RAM_ADDR, RAM_SIZE, &img, &err));
	error_free(err);
}

/* What U-Boot's mkimage makes of tests/unit/virt/hello.its (hashes
 * computed by mkimage), embedded and with external data. */
static void test_mkimage(void **state)
{
	static const char *const files[] = { "hello.itb", "hello-ext.itb" };
	static const uint8_t want[16] = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3,
					  4, 5, 6, 7, 8, 9, 10, 11 };

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		static uint8_t buf[16384];
		char path[512];
		struct fit_image img;
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", FIT_DIR, files[i]);
		f = fopen(path, "rb");
		if (!f)
			fail_msg("%s: cannot open (made by mkimage)", path);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		assert_true(fit_image_find(buf, n, "hello", RAM_ADDR, RAM_SIZE,
					   &img, &error_abort));
		assert_int_equal(img.size, 16);
		assert_memory_equal(img.data, want, 16);
		assert_int_equal(img.load, 0x40080000);
		assert_int_equal(img.hashes, 2);
		/* One byte of the data changed: refused. */
		buf[img.data - buf] ^= 1;
		{
			Error *err = NULL;

			assert_false(fit_image_find(buf, n, "hello", RAM_ADDR,
						    RAM_SIZE, &img, &err));
			assert_non_null(strstr(error_get_pretty(err), "does not match"));
			error_free(err);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_mkimage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
