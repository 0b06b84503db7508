// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replays fuzz inputs without libFuzzer: every file named on the command
 * line (a directory: every file in it) goes through the target once.
 * Prints "replayed N inputs" and exits 0; a crash or a leak aborts.
 */
#include "fuzz.h"
#include <dirent.h>
#include <stdio.h>
#include <string.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;

		if (!d) {
			if (replay_file(argv[i])) {
				fprintf(stderr, "cannot read %s\n", argv[i]);
				return 1;
			}
			n++;
			continue;
		}
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			if (replay_file(path)) {
				fprintf(stderr, "cannot read %s\n", path);
				closedir(d);
				return 1;
			}
			n++;
		}
		closedir(d);
	}
	printf("replayed %u inputs\n", n);
	return 0;
}
