// SPDX-License-Identifier: GPL-2.0-or-later
#include "test-helpers.h"
#include <partita/option.h>

struct parse_case {
	const char *text;
	const char *implied;
	const char *expect;  /* "k=v|k=v" rendering, or NULL on error */
	const char *error;   /* exact message when expect is NULL */
};

static const struct parse_case cases[] = {
	{ "id=iommufd0", NULL, "id=iommufd0", NULL },
	{ "iommufd,id=iommufd0", "qom-type", "qom-type=iommufd|id=iommufd0", NULL },
	{ "vfio-pci,host=0000:02:00.0,iommufd=iommufd0", "driver",
	  "driver=vfio-pci|host=0000:02:00.0|iommufd=iommufd0", NULL },
	/* ",," is a literal comma, in values and in the implied value. */
	{ "path=a,,b,x=1", NULL, "path=a,b|x=1", NULL },
	{ "x=,,id=bar", NULL, "x=,id=bar", NULL },
	{ "a,,b,c=d", "name", "name=a,b|c=d", NULL },
	{ "x=a=b", NULL, "x=a=b", NULL },
	{ "sysfsdev=/sys/bus/mdev/devices/uuid", NULL,
	  "sysfsdev=/sys/bus/mdev/devices/uuid", NULL },
	/* Errors. */
	{ "", NULL, NULL, "Expected parameter before 'end of string'" },
	{ ",a=1", NULL, NULL, "Expected parameter before ','" },
	{ "a=1,", NULL, NULL, "Expected parameter before 'end of string'" },
	{ "a=1,,", NULL, NULL, NULL /* "a=1," as a value: valid */ },
	{ "host", NULL, NULL, "Expected '=' after parameter 'host'" },
	{ "vfio-pci,nohost", "driver", NULL,
	  "Expected '=' after parameter 'nohost'" },
	{ "=x", NULL, NULL, "Invalid parameter ''" },
	{ "9a=1", NULL, NULL, "Invalid parameter '9a'" },
	{ "a b=1", NULL, NULL, "Invalid parameter 'a b'" },
	{ "id=a,id=b", NULL, NULL, "Parameter 'id' is given more than once" },
	{ "vfio-pci,driver=x", "driver", NULL,
	  "Parameter 'driver' is given more than once" },
	{ "host=", NULL, NULL, "Parameter 'host' expects a value" },
	{ "a=1,host=,b=2", NULL, NULL, "Parameter 'host' expects a value" },
};

static void render(struct opts *o, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < opts_count(o); i++) {
		size_t l = strlen(out);

		snprintf(out + l, n - l, "%s%s=%s", i ? "|" : "",
			 opts_key(o, i), opts_value(o, i));
	}
}

static void test_parse_table(void **state)
{
	LEAK_CHECK_BEGIN();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		Error *err = NULL;
		struct opts *o = opts_parse(c->text, c->implied, &err);
		char got[512];

		if (!c->expect && !c->error) {
			/* "a=1,,": the escape makes the value "1,". */
			assert_non_null(o);
			assert_string_equal(opts_value(o, 0), "1,");
			opts_free(o);
			continue;
		}
		if (c->expect) {
			if (!o)
				fail_msg("'%s' failed: %s", c->text,
					 error_get_pretty(err));
			render(o, got, sizeof(got));
			assert_string_equal(got, c->expect);
			opts_free(o);
		} else {
			if (o)
				fail_msg("'%s' parsed but should fail", c->text);
			assert_non_null(err);
			assert_string_equal(error_get_pretty(err), c->error);
			error_free(err);
		}
	}
	LEAK_CHECK_END();
}

static void test_key_too_long(void **state)
{
	char text[OPTS_KEY_MAX + 8];
	Error *err = NULL;

	memset(text, 'k', OPTS_KEY_MAX + 1);
	strcpy(text + OPTS_KEY_MAX + 1, "=1");
	assert_null(opts_parse(text, NULL, &err));
	assert_non_null(strstr(error_get_pretty(err), "is too long"));
	error_free(err);
}

static void test_typed_getters(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL;
	struct opts *o = opts_parse("ram=64M,base=0x40000000,n=010,on=yes,"
				    "off=off,big=16E,k=4k,t=1T", NULL, &err);
	uint64_t v = 7;
	bool b = false;

	assert_non_null(o);
	assert_true(opts_get_size(o, "ram", &v, &err));
	assert_int_equal(v, 64ULL << 20);
	assert_true(opts_get_u64(o, "base", &v, &err));
	assert_int_equal(v, 0x40000000);
	assert_true(opts_get_u64(o, "n", &v, &err));
	assert_int_equal(v, 8); /* leading 0: octal, like strtoull base 0 */
	assert_true(opts_get_bool(o, "on", &b, &err));
	assert_true(b);
	assert_true(opts_get_bool(o, "off", &b, &err));
	assert_false(b);
	assert_true(opts_get_size(o, "k", &v, &err));
	assert_int_equal(v, 4096);
	assert_true(opts_get_size(o, "t", &v, &err));
	assert_int_equal(v, 1ULL << 40);
	/* 16 EiB is 2^64: does not fit. */
	assert_false(opts_get_size(o, "big", &v, &err));
	assert_string_equal(error_get_pretty(err),
		"Parameter 'big' expects a non-negative number below 2^64");
	assert_non_null(error_get_hint(err));
	error_free(err);
	err = NULL;
	/* Absent keys keep the default. */
	v = 99;
	assert_true(opts_get_u64(o, "absent", &v, &err));
	assert_int_equal(v, 99);
	assert_null(opts_first_unused(o));
	opts_free(o);
	LEAK_CHECK_END();
}

static void test_getter_errors(void **state)
{
	LEAK_CHECK_BEGIN();
	static const struct {
		const char *text, *key, *type, *msg;
	} bad[] = {
		{ "x=12a", "x", "u64", "Parameter 'x' expects a number" },
		{ "x=-1", "x", "u64", "Parameter 'x' expects a number" },
		{ "x=0x", "x", "u64", "Parameter 'x' expects a number" },
		{ "x=18446744073709551616", "x", "u64",
		  "Parameter 'x' expects a number" },
		{ "x=08", "x", "u64", "Parameter 'x' expects a number" },
		{ "x=maybe", "x", "bool", "Parameter 'x' expects 'on' or 'off'" },
		{ "x=1.5G", "x", "size",
		  "Parameter 'x' expects a non-negative number below 2^64" },
		{ "x=4Q", "x", "size",
		  "Parameter 'x' expects a non-negative number below 2^64" },
		{ "x=4MB", "x", "size",
		  "Parameter 'x' expects a non-negative number below 2^64" },
		{ "x=M", "x", "size",
		  "Parameter 'x' expects a non-negative number below 2^64" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		Error *err = NULL;
		struct opts *o = opts_parse(bad[i].text, NULL, &error_abort);
		uint64_t v = 0;
		bool b = false, ok;

		if (!strcmp(bad[i].type, "u64"))
			ok = opts_get_u64(o, bad[i].key, &v, &err);
		else if (!strcmp(bad[i].type, "bool"))
			ok = opts_get_bool(o, bad[i].key, &b, &err);
		else
			ok = opts_get_size(o, bad[i].key, &v, &err);
		if (ok)
			fail_msg("'%s' accepted as %s", bad[i].text, bad[i].type);
		assert_string_equal(error_get_pretty(err), bad[i].msg);
		error_free(err);
		opts_free(o);
	}
	LEAK_CHECK_END();
}

static void test_unused_tracking(void **state)
{
	struct opts *o = opts_parse("vfio-pci,host=0000:02:00.0,foo=1",
				    "driver", &error_abort);

	assert_string_equal(opts_get(o, "driver"), "vfio-pci");
	assert_true(opts_has(o, "foo"));
	/* Peeking reads without marking. */
	assert_string_equal(opts_peek(o, "host"), "0000:02:00.0");
	assert_null(opts_peek(o, "nope"));
	assert_string_equal(opts_first_unused(o), "host");
	assert_non_null(opts_get(o, "host"));
	assert_string_equal(opts_first_unused(o), "foo");
	assert_null(opts_get(o, "nope"));
	opts_free(o);
}

static void test_parse_fault_injection(void **state)
{
	/* Fail each allocation of a parse in turn: never a leak, always an
	 * error, never a crash. */
	const char *text = "vfio-pci,host=0000:02:00.0,iommufd=iommufd0,fd=23";
	unsigned long calls;
	struct opts *o;

	alloc_fault_fail_nth(0);
	o = opts_parse(text, "driver", &error_abort);
	calls = alloc_fault_calls();
	opts_free(o);
	assert_true(calls > 4);

	for (unsigned long n = 1; n <= calls; n++) {
		LEAK_CHECK_BEGIN();
		Error *err = NULL;

		alloc_fault_fail_nth(n);
		o = opts_parse(text, "driver", &err);
		alloc_fault_fail_nth(0);
		assert_null(o);
		assert_non_null(err);
		error_free(err);
		LEAK_CHECK_END();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_key_too_long),
		cmocka_unit_test(test_typed_getters),
		cmocka_unit_test(test_getter_errors),
		cmocka_unit_test(test_unused_tracking),
		cmocka_unit_test(test_parse_fault_injection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
