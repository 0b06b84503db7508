// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host program: the partition manager running on the build machine
 * against a simulated board. For now it takes -dtb FILE and reports what
 * the device tree holds; the configuration options arrive with the
 * partition manager proper.
 */
#include <partita/error.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/main.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: partita [-dtb FILE] [--version] [--help]\n"
		   "  -dtb FILE   describe the board with this device tree blob\n");
}

static void *read_file(const char *path, Error **errp)
{
	FILE *f = fopen(path, "rb");
	long len;
	void *buf = NULL;

	if (!f) {
		error_setg_errno(errp, errno, "cannot open '%s'", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		error_setg_errno(errp, errno, "cannot read '%s'", path);
		goto out;
	}
	buf = heap_alloc((size_t)len);
	if (!buf) {
		error_setg(errp, "out of memory reading '%s'", path);
		goto out;
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		error_setg(errp, "short read from '%s'", path);
		heap_free(buf);
		buf = NULL;
	}
out:
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct boot_info bi = { .arch = "host" };
	void *fdt = NULL;
	Error *err = NULL;
	int status;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("partita %s\n", PARTITA_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-dtb")) {
			if (i + 1 >= argc) {
				error_report("-dtb: missing file name");
				return 1;
			}
			heap_free(fdt);
			fdt = read_file(argv[++i], &err);
			if (!fdt) {
				error_prepend(&err, "-dtb %s: ", argv[i]);
				error_report_err(err);
				return 1;
			}
		} else {
			error_report("unknown option '%s'", argv[i]);
			usage(stderr);
			return 1;
		}
	}
	bi.fdt = fdt;
	status = partita_main(&bi);
	heap_free(fdt);
	return status;
}
