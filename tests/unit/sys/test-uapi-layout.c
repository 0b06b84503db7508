// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Partita's copy of the VFIO UAPI against the real one: every fact of
 * uapi-layout-list.h computed under include/uapi/linux/vfio.h here and
 * under the host's <linux/vfio.h> in uapi-layout-system.c must agree.
 * (The headers' own static asserts pin the rest, iommufd.h included,
 * which linux-libc-dev of Debian 12 predates.)
 */
#include "test-helpers.h"
#include "uapi-layout.h"
#include <uapi/linux/iommufd.h>
#include <uapi/linux/vfio.h>
#include <uapi/linux/vfio_ccw.h>

#define SIZE(s) { "sizeof(" #s ")", sizeof(struct s) },
#define OFF(s, m) { "offsetof(" #s ", " #m ")", offsetof(struct s, m) },
#define VAL(v) { #v, (unsigned long long)(v) },
static const struct uapi_fact uapi_facts_ours[] = {
#include "uapi-layout-list.h"
	{ NULL, 0 },
};

static void test_vfio_matches_linux(void **state)
{
	size_t n = 0;

	for (; uapi_facts_ours[n].name; n++) {
		assert_non_null(uapi_facts_system[n].name);
		assert_string_equal(uapi_facts_ours[n].name,
				    uapi_facts_system[n].name);
		if (uapi_facts_ours[n].value != uapi_facts_system[n].value)
			fail_msg("%s: ours %llu, Linux %llu",
				 uapi_facts_ours[n].name, uapi_facts_ours[n].value,
				 uapi_facts_system[n].value);
	}
	assert_null(uapi_facts_system[n].name);
	assert_true(n > 90);
}

/* The iommufd numbers the design depends on, spelled out. */
static void test_iommufd_numbers(void **state)
{
	assert_int_equal(IOMMU_DESTROY, 0x3b80);
	assert_int_equal(IOMMU_IOAS_MAP, 0x3b85);
	assert_int_equal(IOMMU_HWPT_GET_DIRTY_BITMAP, 0x3b8c);
	assert_int_equal(VFIO_DEVICE_BIND_IOMMUFD, 0x3b76);
	assert_int_equal(VFIO_DEVICE_DETACH_IOMMUFD_PT, 0x3b78);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfio_matches_linux),
		cmocka_unit_test(test_iommufd_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
