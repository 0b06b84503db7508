// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main() of the programs (host and Linux builds): the partition manager
 * configured on its command line, against the simulated board (host:
 * -dtb FILE describes another) or the running Linux (its /sys and
 * /dev/vfio). Every other option is the manager's (core/config.c).
 */
#include <partita/core/config.h>
#include <partita/core/main.h>
#include <partita/error.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: partita%s [OPTION ARG]... [CONFIG-FILE]...\n"
		"       partita --version | --help\n"
		"%s"
		"  -fit FILE                  guests' images (a U-Boot FIT): checked\n"
		"                             as the firmware checks them, not run\n"
		"  -partition id=ID,ram=SIZE[,ram-base=ADDR][,ram-addr=ADDR]\n"
		"             [,cpus=N][,image=NAME][,initrd=NAME][,bootargs=STR]\n"
		"             [,timeout=SECONDS]\n"
		"  -object iommufd,id=ID[,fd=NUM|NAME]\n"
		"  -device vfio-pci|vfio-platform|vfio-ap|vfio-ccw,...\n"
		"  -fd fd=NUM|NAME,path=/dev/...\n"
		"  -report table|mtree|json|devices\n"
		"  -selftest dma\n"
		"A CONFIG-FILE holds more options, separated by blanks or\n"
		"newlines; '#' starts a comment. See docs/configuration.md.\n"
		"Exit status:\n"
		"  0   built (and with -selftest dma: every check passed)\n"
		"  1   refused, or failed to build\n"
		"  2   -selftest dma: a device reached memory outside its partition\n"
		"  77  -selftest dma could make no check (no device with a DMA\n"
		"      engine it drives): skipped, not passed\n",
		IS_ENABLED(CONFIG_HAS_DEVICE_TREE) ? " [-dtb FILE]" : "",
		IS_ENABLED(CONFIG_HAS_DEVICE_TREE) ?
		"  -dtb FILE                  the board's device tree (default: the\n"
		"                             built-in simulated board)\n" :
		"  (the board: this Linux, its PCI functions bound to vfio-pci)\n");
}

/* The whole file, NUL-terminated (the terminator not counted in *size). */
static void *read_file(const char *path, size_t *size, Error **errp)
{
	FILE *f = fopen(path, "rb");
	long len;
	char *buf = NULL;

	if (!f) {
		error_setg_errno(errp, errno, "cannot open '%s'", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		error_setg_errno(errp, errno, "cannot read '%s'", path);
		goto out;
	}
	buf = heap_alloc((size_t)len + 1);
	if (!buf) {
		error_setg(errp, "out of memory reading '%s'", path);
		goto out;
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		error_setg(errp, "short read from '%s'", path);
		heap_free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
		*size = (size_t)len;
	}
out:
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct boot_info bi = { .arch = CONFIG_ARCH };
	const char **args = heap_calloc((size_t)argc + 1, sizeof(*args));
	void *fdt = NULL;
	char *text = NULL;
	Error *err = NULL;
	size_t size;
	int status, ret, n = 0;

	if (!args) {
		error_report("out of memory");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("partita %s\n", PARTITA_VERSION);
			status = 0;
			goto out;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			status = 0;
			goto out;
		} else if (IS_ENABLED(CONFIG_HAS_DEVICE_TREE) &&
			   !strcmp(argv[i], "-dtb")) {
			if (i + 1 >= argc) {
				error_report("-dtb: requires an argument");
				status = 1;
				goto out;
			}
			heap_free(fdt);
			fdt = read_file(argv[++i], &size, &err);
			if (!fdt) {
				error_prepend(&err, "-dtb %s: ", argv[i]);
				error_report_err(err);
				status = 1;
				goto out;
			}
			/* Checked whole before anything reads it. */
			ret = fdt_util_check_blob(fdt, size);
			if (ret) {
				error_report("-dtb %s: not a valid device tree: %s",
					     argv[i], fdt_strerror(ret));
				status = 1;
				goto out;
			}
		} else if (!strcmp(argv[i], "-fit")) {
			if (i + 1 >= argc) {
				error_report("-fit: requires an argument");
				status = 1;
				goto out;
			}
			heap_free((void *)bi.fit);
			bi.fit = read_file(argv[++i], &bi.fit_size, &err);
			if (!bi.fit) {
				error_prepend(&err, "-fit %s: ", argv[i]);
				error_report_err(err);
				status = 1;
				goto out;
			}
		} else if (argv[i][0] != '-') {
			/* A configuration file: its text joins the rest. */
			char *more = read_file(argv[i], &size, &err), *joined;
			size_t old = text ? strlen(text) : 0;

			if (!more) {
				error_report_err(err);
				status = 1;
				goto out;
			}
			joined = heap_realloc(text, old + strlen(more) + 2);
			if (!joined) {
				heap_free(more);
				error_report("out of memory");
				status = 1;
				goto out;
			}
			text = joined;
			text[old] = '\0';
			strcat(strcat(text, "\n"), more);
			heap_free(more);
		} else {
			/* Every option takes an argument, which is never a
			 * file (config.c says which options exist). */
			args[n++] = argv[i];
			if (i + 1 < argc)
				args[n++] = argv[++i];
		}
	}
	bi.fdt = fdt;
	bi.argc = n;
	bi.argv = args;
	bi.config_text = text;
	status = partita_main(&bi);
out:
	heap_free(text);
	heap_free(fdt);
	heap_free((void *)bi.fit);
	heap_free(args);
	return status;
}
