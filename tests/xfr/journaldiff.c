/* SPDX-License-Identifier: BSD-3-Clause */
/* journaldiff.c: prints the condensed difference journal.c computes between versions of
 * a zone, for comparing with another server's IXFR (tests/xfr/journal.sh). Usage:
 * journaldiff FILE1 FILE2 [FILE...]: each file a later version of one zone; prints the
 * difference from FILE1's version to the last one, one record a line, "removed RR" then
 * "added RR", the SOAs first. Exits 0, or 1 with a message. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "journal.h"
#include "log.h"
#include "zonefile.h"
#include "journaltext.h"

static int print_list(const char *what, const struct journal_rr *rrs, size_t count)
{
	char text[70000];
	size_t i;

	for (i = 0; i < count; i++) {
		if (journal_rr_text(&rrs[i], text, sizeof(text)) == NULL)
			return -1;
		printf("%s %s\n", what, text);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct journal_limits unbounded = { .depth = (size_t)argc, .bytes = (size_t)-1 };
	const struct journal_delta *d;
	struct zone **v;
	int i, status = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: journaldiff FILE1 FILE2 [FILE...]\n");
		return 1;
	}
	log_init("journaldiff", LOG_LEVEL_WARNING);
	v = calloc((size_t)argc, sizeof(*v));
	if (v == NULL)
		return 1;
	for (i = 1; i < argc; i++) {
		if (zonefile_load(argv[i], NULL, &v[i]) != 0 || !v[i]->ok) {
			fprintf(stderr, "journaldiff: %s does not load\n", argv[i]);
			goto out;
		}
		if (i > 1 && journal_build(&v[i]->journal, v[i - 1], v[i], &unbounded) != 0) {
			fprintf(stderr, "journaldiff: out of memory\n");
			goto out;
		}
	}
	d = journal_find(v[argc - 1]->journal, v[1]->serial);
	if (d == NULL) {
		fprintf(stderr, "journaldiff: no difference from serial %u to %u (not newer?)\n",
			v[1]->serial, v[argc - 1]->serial);
		goto out;
	}
	if (print_list("removed", d->removed, d->removed_count) < 0 ||
	    print_list("added", d->added, d->added_count) < 0) {
		fprintf(stderr, "journaldiff: a record ldns cannot print\n");
		goto out;
	}
	status = 0;
out:
	for (i = 1; i < argc; i++)
		zone_free(v[i]);
	free(v);
	return status;
}
