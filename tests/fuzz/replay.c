/* SPDX-License-Identifier: BSD-3-Clause */
/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput over every file of a corpus
 * folder without libFuzzer, so `make check` in any build (gcc too) replays the committed
 * corpus and a crash once found stays fixed.
 *
 *   replay_query [DIR|FILE]...   default: the corpus compiled in (FUZZ_CORPUS)
 *
 * Exits 0 when every input ran (a broken invariant aborts), 1 when nothing could be read:
 * an empty corpus must not pass as a clean replay. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (size == cap) {
			uint8_t *grown;

			cap = cap ? cap * 2 : 4096;
			grown = realloc(data, cap);
			if (grown == NULL) {
				free(data);
				fclose(f);
				return -1;
			}
			data = grown;
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
		if (n == 0)
			break;
	}
	fclose(f);
	/* An exact-size copy, as libFuzzer passes it, so a read past the input is caught
	 * by ASan in a sanitizer build. */
	{
		uint8_t *exact = malloc(size ? size : 1);

		if (exact == NULL) {
			free(data);
			return -1;
		}
		memcpy(exact, data, size);
		free(data);
		/* Named first, so the log shows which input broke when it aborts. */
		printf("%s (%zu bytes)\n", path, size);
		fflush(stdout);
		LLVMFuzzerTestOneInput(exact, size);
		free(exact);
	}
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file of dir in name order. Returns the count, or -1. */
static long replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	long done = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown == NULL)
			break;
		names = grown;
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && replay_file(names[i]) == 0)
			done++;
		free(names[i]);
	}
	free(names);
	return done;
}

int main(int argc, char **argv)
{
	char *defaults[] = { argv[0], (char *)FUZZ_CORPUS, NULL };
	long total = 0;
	int i;

	if (argc < 2) {
		argc = 2;
		argv = defaults;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			n = replay_dir(argv[i]);
		else
			n = replay_file(argv[i]) == 0 ? 1 : -1;
		if (n < 0)
			return 1;
		total += n;
	}
	printf("replay: %ld inputs, no invariant broken\n", total);
	return total > 0 ? 0 : 1;
}
