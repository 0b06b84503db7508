// SPDX-License-Identifier: GPL-2.0-or-later
#include "test-helpers.h"
#include <partita/error.h>
#include <errno.h>

static void test_setg_formats_message(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL;

	error_setg(&err, "device %s: bad value %d", "vfio0", 42);
	assert_non_null(err);
	assert_string_equal(error_get_pretty(err), "device vfio0: bad value 42");
	assert_null(error_get_hint(err));
	assert_int_equal(error_get_errno(err), 0);
	error_free(err);
	LEAK_CHECK_END();
}

static void test_setg_errno_appends_strerror(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL;
	char expect[128];

	error_setg_errno(&err, EFAULT, "IOMMU_IOAS_MAP failed");
	snprintf(expect, sizeof(expect), "IOMMU_IOAS_MAP failed: %s",
		 strerror(EFAULT));
	assert_string_equal(error_get_pretty(err), expect);
	assert_int_equal(error_get_errno(err), EFAULT);
	error_free(err);
	LEAK_CHECK_END();
}

static void test_null_errp_ignores(void **state)
{
	LEAK_CHECK_BEGIN();
	error_setg(NULL, "nobody hears this");
	error_prepend(NULL, "nor this");
	error_append_hint(NULL, "nor this");
	LEAK_CHECK_END();
}

static void test_prepend_and_propagate_prepend(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL, *local = NULL;

	error_setg(&local, "No such device");
	error_prepend(&local, "vfio %s: ", "0000:02:00.0");
	error_propagate_prepend(&err, local, "-device %s: ", "vfio-pci");
	assert_string_equal(error_get_pretty(err),
			    "-device vfio-pci: vfio 0000:02:00.0: No such device");
	error_free(err);
	LEAK_CHECK_END();
}

static void test_propagate_keeps_first(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL, *first = NULL, *second = NULL;

	error_setg(&first, "first");
	error_setg(&second, "second");
	error_propagate(&err, first);
	error_propagate(&err, second); /* freed, not kept */
	assert_string_equal(error_get_pretty(err), "first");
	error_propagate(NULL, NULL);
	error_free(err);
	LEAK_CHECK_END();
}

static void test_report_prints_once_with_hint(void **state)
{
	LEAK_CHECK_BEGIN();
	struct log_capture cap;
	Error *err = NULL;

	error_setg(&err, "x-balloon-allowed only potentially compatible with "
		   "mdev devices");
	error_prepend(&err, "vfio %s: ", "VFIO_FD9");
	error_append_hint(&err, "first hint line\n");
	error_append_hint(&err, "second hint line\n");
	capture_start(&cap);
	error_report_err(err);
	capture_stop();
	assert_string_equal(cap.buf,
		"partita: vfio VFIO_FD9: x-balloon-allowed only potentially "
		"compatible with mdev devices\n"
		"first hint line\nsecond hint line\n");
	LEAK_CHECK_END();
}

static void test_warn_report_prefix(void **state)
{
	struct log_capture cap;

	capture_start(&cap);
	warn_report("IOMMU_IOAS_MAP failed: %s, PCI BAR?", "Bad address");
	capture_stop();
	assert_string_equal(cap.buf, "partita: warning: IOMMU_IOAS_MAP failed: "
			    "Bad address, PCI BAR?\n");
}

static void test_oom_still_reports(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL;

	/* The Error object itself cannot be allocated. */
	alloc_fault_fail_nth(1);
	error_setg(&err, "lost %d", 1);
	assert_non_null(err);
	assert_string_equal(error_get_pretty(err), "out of memory");
	error_free(err); /* the static stand-in: freeing is a no-op */

	/* The message cannot be allocated. */
	err = NULL;
	alloc_fault_fail_nth(2);
	error_setg(&err, "lost %d", 2);
	assert_string_equal(error_get_pretty(err), "out of memory");
	error_free(err);
	alloc_fault_fail_nth(0);
	LEAK_CHECK_END();
}

static void test_prepend_oom_keeps_message(void **state)
{
	LEAK_CHECK_BEGIN();
	Error *err = NULL;

	error_setg(&err, "base");
	alloc_fault_fail_nth(1);
	error_prepend(&err, "context: ");
	alloc_fault_fail_nth(0);
	assert_string_equal(error_get_pretty(err), "base");
	error_free(err);
	LEAK_CHECK_END();
}

static void test_log_levels_filter(void **state)
{
	struct log_capture cap;
	enum log_level saved = log_get_level();

	capture_start(&cap);
	log_set_level(LOG_WARN);
	pr_info("hidden");
	pr_debug("hidden");
	pr_warn("shown %d", 1);
	pr_err("shown %d", 2);
	log_set_level(LOG_DEBUG);
	pr_debug("shown %d\n", 3); /* one newline, not two */
	log_set_level(saved);
	capture_stop();
	assert_string_equal(cap.buf, "shown 1\nshown 2\nshown 3\n");
}

static void test_log_long_line_truncated(void **state)
{
	struct log_capture cap;
	char big[LOG_LINE_MAX * 2];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	capture_start(&cap);
	pr_err("%s", big);
	capture_stop();
	assert_int_equal(strlen(cap.buf), LOG_LINE_MAX - 1);
	assert_int_equal(cap.buf[LOG_LINE_MAX - 2], '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setg_formats_message),
		cmocka_unit_test(test_setg_errno_appends_strerror),
		cmocka_unit_test(test_null_errp_ignores),
		cmocka_unit_test(test_prepend_and_propagate_prepend),
		cmocka_unit_test(test_propagate_keeps_first),
		cmocka_unit_test(test_report_prints_once_with_hint),
		cmocka_unit_test(test_warn_report_prefix),
		cmocka_unit_test(test_oom_still_reports),
		cmocka_unit_test(test_prepend_oom_keeps_message),
		cmocka_unit_test(test_log_levels_filter),
		cmocka_unit_test(test_log_long_line_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
