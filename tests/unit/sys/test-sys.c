// SPDX-License-Identifier: GPL-2.0-or-later
/* sys/fd.c and sys/namespace.c: fds, files, and the device namespace. */
#include "test-helpers.h"
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <errno.h>

struct fake_dev {
	int opens;
	int releases;
	unsigned long last_request;
	int fail_open;
};

static long fake_ioctl(struct sys_file *f, unsigned long request, void *arg)
{
	struct fake_dev *d = f->priv;

	d->last_request = request;
	return request == 42 ? *(int *)arg : -ENOTTY;
}

static void fake_release(struct sys_file *f)
{
	((struct fake_dev *)f->priv)->releases++;
}

static const struct sys_file_ops fake_ops = {
	.ioctl = fake_ioctl,
	.release = fake_release,
};

static int fake_open(struct sys *sys, void *opaque, struct sys_file **out)
{
	struct fake_dev *d = opaque;

	if (d->fail_open)
		return -d->fail_open;
	*out = sys_file_alloc(sys, &fake_ops, d);
	if (!*out)
		return -ENOMEM;
	d->opens++;
	return 0;
}

/* A Linux-shaped tree: what discovery will publish for one PCI function. */
static void populate(struct sys *sys, struct fake_dev *dev)
{
	assert_int_equal(sys_ns_add_chardev(sys, "/dev/vfio/devices/vfio0", 511,
					    0, fake_open, dev), 0);
	assert_int_equal(sys_ns_add_file(sys, "/sys/bus/pci/devices/0000:00:02.0/"
					 "vfio-dev/vfio0/dev", "511:0\n"), 0);
	assert_int_equal(sys_ns_add_link(sys, "/sys/bus/pci/devices/0000:00:02.0/"
					 "iommu_group",
					 "../../../../kernel/iommu_groups/7"), 0);
	assert_int_equal(sys_ns_add_file(sys, "/sys/kernel/iommu_groups/7/type",
					 "DMA\n"), 0);
	assert_int_equal(sys_ns_add_link(sys, "/sys/bus/pci/devices/0000:00:02.0/"
					 "subsystem", "/sys/bus/pci"), 0);
}

static void test_namespace_lookups(void **state)
{
	struct fake_dev dev = { 0 };
	struct sys *sys;
	struct sys_stat st;
	char buf[64];
	long n;

	LEAK_CHECK_BEGIN();
	sys = sys_create(NULL);
	assert_non_null(sys);
	populate(sys, &dev);

	assert_int_equal(sys_stat(sys, "/dev/vfio/devices/vfio0", &st), 0);
	assert_int_equal(st.type, SYS_CHR);
	assert_int_equal(st.rdev_major, 511);
	assert_int_equal(st.rdev_minor, 0);
	assert_int_equal(sys_stat(sys, "/dev/vfio", &st), 0);
	assert_int_equal(st.type, SYS_DIR);

	n = sys_readlink(sys, "/sys/bus/pci/devices/0000:00:02.0/iommu_group",
			 buf, sizeof(buf));
	assert_int_equal(n, strlen("../../../../kernel/iommu_groups/7"));
	assert_memory_equal(buf, "../../../../kernel/iommu_groups/7", (size_t)n);
	/* readlink truncates without a NUL, like readlink(2). */
	assert_int_equal(sys_readlink(sys, "/sys/bus/pci/devices/0000:00:02.0/"
				      "iommu_group", buf, 4), 4);
	assert_int_equal(sys_readlink(sys, "/dev/vfio", buf, sizeof(buf)),
			 -EINVAL);

	/* Following the relative link, then a file below it. */
	assert_int_equal(sys_stat(sys, "/sys/bus/pci/devices/0000:00:02.0/"
				  "iommu_group", &st), 0);
	assert_int_equal(st.type, SYS_DIR);
	assert_int_equal(sys_read_file(sys, "/sys/bus/pci/devices/0000:00:02.0/"
				       "iommu_group/type", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "DMA\n");
	assert_int_equal(sys_read_file(sys, "/sys/bus/pci/devices/0000:00:02.0/"
				       "vfio-dev/vfio0/dev", buf, 3), -EOVERFLOW);
	assert_int_equal(sys_read_file(sys, "/sys/bus", buf, sizeof(buf)),
			 -EISDIR);

	/* An absolute link, and "." and ".." and "//" in a path. */
	assert_int_equal(sys_stat(sys, "/sys/bus/pci/devices/0000:00:02.0/"
				  "subsystem/devices", &st), 0);
	assert_int_equal(sys_stat(sys, "/sys//bus/./pci/../pci/devices", &st), 0);
	assert_int_equal(st.type, SYS_DIR);

	assert_int_equal(sys_stat(sys, "/nope", &st), -ENOENT);
	assert_int_equal(sys_stat(sys, "/sys/kernel/iommu_groups/7/type/x", &st),
			 -ENOTDIR);
	assert_int_equal(sys_stat(sys, "relative", &st), -EINVAL);
	assert_int_equal(sys_stat(sys, "", &st), -ENOENT);

	sys_destroy(sys);
	LEAK_CHECK_END();
}

static int collect(void *opaque, const char *name)
{
	char *out = opaque;

	strcat(out, name);
	strcat(out, " ");
	return strcmp(name, "stop") ? 0 : 7;
}

static void test_readdir_sorted_and_stoppable(void **state)
{
	struct sys *sys = sys_create(NULL);
	char out[128] = "";

	assert_int_equal(sys_ns_add_file(sys, "/d/zeta", "z"), 0);
	assert_int_equal(sys_ns_add_file(sys, "/d/alpha", "a"), 0);
	assert_int_equal(sys_ns_add_file(sys, "/d/mid/x", "m"), 0);
	assert_int_equal(sys_readdir(sys, "/d", collect, out), 0);
	assert_string_equal(out, "alpha mid zeta ");
	assert_int_equal(sys_ns_add_file(sys, "/d/stop", ""), 0);
	out[0] = '\0';
	assert_int_equal(sys_readdir(sys, "/d", collect, out), 7);
	assert_string_equal(out, "alpha mid stop ");
	assert_int_equal(sys_readdir(sys, "/d/zeta", collect, out), -ENOTDIR);
	assert_int_equal(sys_readdir(sys, "/e", collect, out), -ENOENT);
	sys_destroy(sys);
}

static void test_bad_additions_leave_nothing(void **state)
{
	struct sys *sys = sys_create(NULL);
	struct sys_stat st;
	unsigned long calls;
	int ret;

	assert_int_equal(sys_ns_add_file(sys, "/a/b", "x"), 0);
	assert_int_equal(sys_ns_add_file(sys, "/a/b", "y"), -EEXIST);
	assert_int_equal(sys_ns_add_file(sys, "/a/b/c", "y"), -EEXIST);
	assert_int_equal(sys_ns_add_file(sys, "a/b", "y"), -EINVAL);
	assert_int_equal(sys_ns_add_file(sys, "/a/../b", "y"), -EINVAL);
	assert_int_equal(sys_ns_add_file(sys, "/a//b", "y"), -EINVAL);
	assert_int_equal(sys_ns_add_file(sys, "/a/b/", "y"), -EINVAL);
	assert_int_equal(sys_ns_add_link(sys, "/l", ""), -EINVAL);

	/* Every allocation of a deep addition failed in turn: -ENOMEM and no
	 * directory left over. */
	alloc_fault_fail_nth(0);
	(void)alloc_fault_calls();
	assert_int_equal(sys_ns_add_file(sys, "/p/q/r/s", "v"), 0);
	calls = alloc_fault_calls();
	assert_int_equal(sys_ns_remove(sys, "/p"), 0);
	for (unsigned long i = 1; i <= calls; i++) {
		LEAK_CHECK_BEGIN();
		alloc_fault_fail_nth(i);
		ret = sys_ns_add_file(sys, "/p/q/r/s", "v");
		alloc_fault_fail_nth(0);
		assert_int_equal(ret, -ENOMEM);
		assert_int_equal(sys_stat(sys, "/p", &st), -ENOENT);
		LEAK_CHECK_END();
	}
	assert_int_equal(sys_ns_remove(sys, "/nope"), -ENOENT);
	sys_destroy(sys);
}

static void test_link_loops(void **state)
{
	struct sys *sys = sys_create(NULL);
	struct sys_stat st;

	assert_int_equal(sys_ns_add_link(sys, "/x/a", "b"), 0);
	assert_int_equal(sys_ns_add_link(sys, "/x/b", "a"), 0);
	assert_int_equal(sys_stat(sys, "/x/a", &st), -ELOOP);
	assert_int_equal(sys_ns_add_link(sys, "/x/dangling", "/none"), 0);
	assert_int_equal(sys_stat(sys, "/x/dangling", &st), -ENOENT);
	sys_destroy(sys);
}

static void test_open_ioctl_close(void **state)
{
	struct fake_dev dev = { 0 };
	struct sys *sys;
	struct sys_file *held;
	int fd, fd2, v = 5;

	LEAK_CHECK_BEGIN();
	sys = sys_create(NULL);
	populate(sys, &dev);

	fd = sys_open(sys, "/dev/vfio/devices/vfio0");
	assert_int_equal(fd, SYS_FD_FIRST);
	fd2 = sys_open(sys, "/dev/vfio/devices/vfio0");
	assert_int_equal(fd2, SYS_FD_FIRST + 1);
	assert_int_equal(dev.opens, 2);
	assert_int_equal(sys_ioctl(sys, fd, 42, &v), 5);
	assert_int_equal(sys_ioctl(sys, fd, 43, &v), -ENOTTY);
	assert_int_equal(dev.last_request, 43);
	assert_int_equal(sys_ioctl(sys, 77, 42, &v), -EBADF);
	assert_int_equal(sys_ioctl(sys, -1, 42, &v), -EBADF);

	/* A reference held elsewhere keeps the file after close. */
	held = sys_fget(sys, fd);
	assert_non_null(held);
	assert_int_equal(sys_close(sys, fd), 0);
	assert_int_equal(dev.releases, 0);
	assert_int_equal(sys_close(sys, fd), -EBADF);
	sys_file_put(held);
	assert_int_equal(dev.releases, 1);

	/* The freed number is reused, lowest first. */
	assert_int_equal(sys_open(sys, "/dev/vfio/devices/vfio0"), fd);

	assert_int_equal(sys_open(sys, "/dev/vfio"), -EISDIR);
	assert_int_equal(sys_open(sys, "/sys/kernel/iommu_groups/7/type"),
			 -ENXIO);
	assert_int_equal(sys_open(sys, "/dev/none"), -ENOENT);
	dev.fail_open = EBUSY;
	assert_int_equal(sys_open(sys, "/dev/vfio/devices/vfio0"), -EBUSY);

	sys_destroy(sys); /* closes fd and fd2 */
	assert_int_equal(dev.releases, 3);
	LEAK_CHECK_END();
}

static void test_fds_at_numbers_and_names(void **state)
{
	struct fake_dev dev = { 0 };
	struct sys *sys = sys_create(NULL);
	struct sys_file *f;

	f = sys_file_alloc(sys, &fake_ops, &dev);
	assert_int_equal(sys_install_fd(sys, 22, f), 22);
	f = sys_file_alloc(sys, &fake_ops, &dev);
	assert_int_equal(sys_install_fd(sys, 22, f), -EBUSY);
	assert_int_equal(sys_install_fd(sys, SYS_FD_MAX, f), -EBADF);
	sys_file_put(f);
	assert_int_equal(dev.releases, 1);

	assert_int_equal(sys_name_fd(sys, "iommufd0", 22), 0);
	assert_int_equal(sys_name_fd(sys, "iommufd0", 22), -EEXIST);
	assert_int_equal(sys_name_fd(sys, "other", 23), -EBADF);
	assert_int_equal(sys_name_fd(sys, "", 22), -EINVAL);
	assert_int_equal(sys_fd_by_name(sys, "iommufd0"), 22);
	assert_int_equal(sys_fd_by_name(sys, "x"), -ENOENT);
	assert_int_equal(sys_close(sys, 22), 0);
	assert_int_equal(sys_fd_by_name(sys, "iommufd0"), -ENOENT);

	/* The table fills up. */
	for (int i = SYS_FD_FIRST; i < SYS_FD_MAX; i++) {
		f = sys_file_alloc(sys, &fake_ops, &dev);
		assert_int_equal(sys_install_fd(sys, -1, f), i);
	}
	f = sys_file_alloc(sys, &fake_ops, &dev);
	assert_int_equal(sys_install_fd(sys, -1, f), -EMFILE);
	sys_file_put(f);
	sys_destroy(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespace_lookups),
		cmocka_unit_test(test_readdir_sorted_and_stoppable),
		cmocka_unit_test(test_bad_additions_leave_nothing),
		cmocka_unit_test(test_link_loops),
		cmocka_unit_test(test_open_ioctl_close),
		cmocka_unit_test(test_fds_at_numbers_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
