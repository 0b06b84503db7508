// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The freestanding libc of the s390x firmware (lib/libc), checked on the
 * host against the C library as the reference: formatting, string
 * functions, strtoull and strerror's wording. The sources are compiled in
 * here under other names so both implementations live in one program.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test-helpers.h"

/* Keep GCC from turning the byte loops into calls to the host's memset. */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

#define vsnprintf libc_vsnprintf
#define snprintf libc_snprintf
int libc_vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
		   va_list ap) __attribute__((format(printf, 3, 0)));
int libc_snprintf(char *restrict buf, size_t size, const char *restrict fmt,
		  ...) __attribute__((format(printf, 3, 4)));
#include "../../../lib/libc/printf.c"
#undef vsnprintf
#undef snprintf

#define memcpy libc_memcpy
#define memmove libc_memmove
#define memset libc_memset
#define memcmp libc_memcmp
#define memchr libc_memchr
#define strlen libc_strlen
#define strnlen libc_strnlen
#define strcmp libc_strcmp
#define strncmp libc_strncmp
#define strchr libc_strchr
#define strrchr libc_strrchr
void *libc_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *libc_memmove(void *dst, const void *src, size_t n);
void *libc_memset(void *dst, int c, size_t n);
int libc_memcmp(const void *a, const void *b, size_t n);
void *libc_memchr(const void *s, int c, size_t n);
size_t libc_strlen(const char *s);
size_t libc_strnlen(const char *s, size_t max);
int libc_strcmp(const char *a, const char *b);
int libc_strncmp(const char *a, const char *b, size_t n);
char *libc_strchr(const char *s, int c);
char *libc_strrchr(const char *s, int c);
#include "../../../lib/libc/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr

#define strtoull libc_strtoull
#define strtoul libc_strtoul
unsigned long long libc_strtoull(const char *s, char **end, int base);
unsigned long libc_strtoul(const char *s, char **end, int base);
#include "../../../lib/libc/strtoul.c"
#undef strtoull
#undef strtoul

#define strerror libc_strerror
char *libc_strerror(int errnum);
#include "../../../lib/libc/strerror.c"
#undef strerror

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* ---- formatting ------------------------------------------------------- */

#define CHECK_FMT(...)                                                     \
	do {                                                               \
		char want_[256], got_[256];                                \
		int wn_ = snprintf(want_, sizeof(want_), __VA_ARGS__);     \
		int gn_ = libc_snprintf(got_, sizeof(got_), __VA_ARGS__);  \
		assert_string_equal(got_, want_);                          \
		assert_int_equal(gn_, wn_);                                \
	} while (0)

static void test_printf_table(void **state)
{
	CHECK_FMT("plain text");
	CHECK_FMT("%d %i %u", 0, -1, 4000000000u);
	CHECK_FMT("%d %d", INT_MIN, INT_MAX);
	CHECK_FMT("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN,
		  ULLONG_MAX);
	CHECK_FMT("%hhd %hhu %hd %hu", -200, 300, -70000, 70000);
	CHECK_FMT("%zu %zd %jd %ju %td", (size_t)SIZE_MAX, (ssize_t)-5,
		  INTMAX_MIN, UINTMAX_MAX, (ptrdiff_t)-7);
	CHECK_FMT("%x %X %o %#x %#X %#o %#o", 0xdeadbeef, 0xabcdef, 0777,
		  0x1f, 0x1f, 8, 0);
	CHECK_FMT("%#x %#.0x %.0d %.0u|", 0, 0, 0, 0);
	CHECK_FMT("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d]", 42, 42,
		  42, 42, 42, -42, 42);
	CHECK_FMT("[%.3d] [%8.3d] [%-8.3d] [%.3x]", 7, -7, 7,
		  0xa);
	CHECK_FMT("[%*d] [%-*d] [%.*d] [%*.*d]", 6, 1, 6, 1, 4, 1, 8, 3, -2);
	CHECK_FMT("[%*d] [%.*d]", -6, 1, -3, 5);
	CHECK_FMT("[%s] [%10s] [%-10s] [%.2s] [%*.*s]", "abc", "abc", "abc",
		  "abc", 6, 1, "xyz");
	CHECK_FMT("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	CHECK_FMT("%p %p", (void *)0x1234, (void *)&state);
	CHECK_FMT("100%% %s", "done");
	CHECK_FMT("[%016llx] [%#018llx]", 0x1234ULL, 0x1234ULL);
}

static void test_printf_random(void **state)
{
	static const char *const convs[] = { "d", "i", "u", "x", "X", "o" };
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z" };
	uint64_t seed = 0x51ed2701;

	for (int i = 0; i < 20000; i++) {
		char fmt[32], want[128], got[128];
		unsigned flags = (unsigned)test_rand_below(&seed, 32);
		int width = (int)test_rand_below(&seed, 24) - 2;
		int prec = (int)test_rand_below(&seed, 24) - 4;
		const char *len = lens[test_rand_below(&seed, 6)];
		const char *conv = convs[test_rand_below(&seed, 6)];
		uint64_t v = test_rand(&seed) >> test_rand_below(&seed, 64);
		size_t n = 0;
		int wn, gn;

		fmt[n++] = '%';
		if (flags & 1)
			fmt[n++] = '-';
		if (flags & 2)
			fmt[n++] = '0';
		if (flags & 4)
			fmt[n++] = '#';
		/* + and space are only defined for signed conversions. */
		if ((flags & 8) && (*conv == 'd' || *conv == 'i'))
			fmt[n++] = '+';
		if ((flags & 16) && (*conv == 'd' || *conv == 'i'))
			fmt[n++] = ' ';
		n += (size_t)sprintf(fmt + n, "%s%s%s%s",
				     width >= 0 ? "*" : "", prec >= 0 ? ".*" : "",
				     len, conv);
		if (width < 0)
			width = 0;
		/* The value is passed as the promoted type the length names. */
#define RUN(...) do {                                                       \
		wn = snprintf(want, sizeof(want), fmt, __VA_ARGS__);       \
		gn = libc_snprintf(got, sizeof(got), fmt, __VA_ARGS__);    \
	} while (0)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat"
		if (!strcmp(len, "l") || !strcmp(len, "ll") || !strcmp(len, "z")) {
			if (prec >= 0)
				RUN(width, prec, (long long)v);
			else
				RUN(width, (long long)v);
		} else {
			if (prec >= 0)
				RUN(width, prec, (int)v);
			else
				RUN(width, (int)v);
		}
#pragma GCC diagnostic pop
		if (strcmp(got, want) || gn != wn)
			fail_msg("format '%s' value 0x%llx: got '%s' (%d), want "
				 "'%s' (%d)", fmt, (unsigned long long)v, got, gn,
				 want, wn);
	}
}

static void test_printf_truncation(void **state)
{
	char buf[8];

	for (size_t size = 0; size <= sizeof(buf); size++) {
		memset(buf, 'Z', sizeof(buf));
		assert_int_equal(libc_snprintf(buf, size, "%s-%d", "abcd", 1234),
				 9);
		if (size)
			assert_int_equal(strlen(buf), size - 1 < 9 ? size - 1 : 9);
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'Z'); /* nothing past size */
	}
	assert_int_equal(libc_snprintf(NULL, 0, "%d", 12345), 5);
}

/* ---- strings ---------------------------------------------------------- */

static void test_strings_random(void **state)
{
	uint64_t seed = 0xfeedULL;

	for (int i = 0; i < 5000; i++) {
		char a[64], b[64], x[96], y[96];
		size_t n = test_rand_below(&seed, 48);
		size_t off = test_rand_below(&seed, 32);
		size_t dst = test_rand_below(&seed, 32);
		int c = 'a' + (int)test_rand_below(&seed, 4);

		for (size_t k = 0; k < sizeof(a); k++) {
			a[k] = (char)('a' + test_rand_below(&seed, 4));
			b[k] = test_rand_below(&seed, 4) ? a[k] :
				(char)('a' + test_rand_below(&seed, 4));
		}
		a[test_rand_below(&seed, sizeof(a))] = '\0';
		b[test_rand_below(&seed, sizeof(b))] = '\0';
		a[sizeof(a) - 1] = b[sizeof(b) - 1] = '\0';

		assert_int_equal(libc_strlen(a), strlen(a));
		assert_int_equal(libc_strnlen(a, n), strnlen(a, n));
		assert_int_equal(sign(libc_strcmp(a, b)), sign(strcmp(a, b)));
		assert_int_equal(sign(libc_strncmp(a, b, n)),
				 sign(strncmp(a, b, n)));
		assert_int_equal(sign(libc_memcmp(a, b, n)),
				 sign(memcmp(a, b, n)));
		assert_ptr_equal(libc_strchr(a, c), strchr(a, c));
		assert_ptr_equal(libc_strchr(a, 0), strchr(a, 0));
		assert_ptr_equal(libc_strrchr(a, c), strrchr(a, c));
		assert_ptr_equal(libc_memchr(a, c, n), memchr(a, c, n));

		/* Overlapping moves in both directions. */
		for (size_t k = 0; k < sizeof(x); k++)
			x[k] = y[k] = (char)k;
		libc_memmove(x + dst, x + off, n);
		memmove(y + dst, y + off, n);
		assert_memory_equal(x, y, sizeof(x));
		libc_memset(x + off, c, n);
		memset(y + off, c, n);
		assert_memory_equal(x, y, sizeof(x));
		libc_memcpy(x, a, n);
		memcpy(y, a, n);
		assert_memory_equal(x, y, sizeof(x));
	}
	/* Bytes compare as unsigned char. */
	assert_true(libc_memcmp("\x80", "\x01", 1) > 0);
	assert_true(libc_strcmp("\xff", "a") > 0);
}

/* ---- numbers and messages --------------------------------------------- */

static void test_strtoull(void **state)
{
	static const struct { const char *s; int base; } cases[] = {
		{ "0", 0 }, { "123", 10 }, { "  42xyz", 0 }, { "0x1F", 0 },
		{ "0X1f", 16 }, { "1f", 16 }, { "0x", 0 }, { "0x", 16 },
		{ "0xg", 16 }, { "017", 0 }, { "018", 0 }, { "08", 0 },
		{ "-1", 10 }, { "+7", 10 }, { "-0x10", 0 }, { "", 10 },
		{ "   ", 10 }, { "abc", 10 }, { "zz", 36 }, { "ZZ", 36 },
		{ "18446744073709551615", 10 }, { "18446744073709551616", 10 },
		{ "99999999999999999999999", 0 }, { "0xffffffffffffffff", 0 },
		{ "0x10000000000000000", 0 }, { "777", 8 }, { "778", 8 },
		{ "101", 2 }, { "\t\n 9", 10 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *want_end, *got_end;
		unsigned long long want, got;
		int want_errno, got_errno;

		errno = 0;
		want = strtoull(cases[i].s, &want_end, cases[i].base);
		want_errno = errno;
		errno = 0;
		got = libc_strtoull(cases[i].s, &got_end, cases[i].base);
		got_errno = errno;
		if (got != want || got_end != want_end || got_errno != want_errno)
			fail_msg("strtoull(\"%s\", %d): got %llu end +%td errno %d, "
				 "want %llu end +%td errno %d", cases[i].s,
				 cases[i].base, got, got_end - cases[i].s,
				 got_errno, want, want_end - cases[i].s,
				 want_errno);
	}
	errno = 0;
	assert_int_equal(libc_strtoull("1", NULL, 1), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(libc_strtoul("0x10", NULL, 0), 16);
}

static void test_strerror_matches_host(void **state)
{
	int known = 0;

	for (int e = 0; e < 200; e++) {
		const char *got = libc_strerror(e);

		if (!strcmp(got, "Unknown error"))
			continue;
		known++;
		assert_string_equal(got, strerror(e));
	}
	assert_true(known >= 40);
	assert_string_equal(libc_strerror(-1), "Unknown error");
	assert_string_equal(libc_strerror(100000), "Unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_table),
		cmocka_unit_test(test_printf_random),
		cmocka_unit_test(test_printf_truncation),
		cmocka_unit_test(test_strings_random),
		cmocka_unit_test(test_strtoull),
		cmocka_unit_test(test_strerror_matches_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
