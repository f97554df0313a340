/* SPDX-License-Identifier: BSD-3-Clause */
/* journal.h: a zone's recent history for IXFR out (RFC 1995): for each earlier version
 * kept, the condensed difference from it to the zone's current version. Built on reload
 * by the main thread, immutable once the zone that holds it is published, freed with
 * that zone. The query path only looks a serial up. */
#ifndef DUALNS_JOURNAL_H
#define DUALNS_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* One record, as the zone stores it (zone.h): a lowercased owner, and RDATA with the
 * offsets of the names in it that may be compressed when written. */
struct journal_rr {
	const uint8_t *owner;
	uint8_t owner_len;
	uint16_t type;
	uint32_t ttl;
	uint16_t rdlen;
	uint16_t name_off[RR_MAX_NAMES]; /* RR_NAME_NONE: unused */
	const uint8_t *rdata;
};

/* The condensed difference from version from_serial to the current one (RFC 1995
 * section 5: a record added and deleted again in between appears in neither list).
 * removed[0] is the old version's SOA and added[0] the current SOA, so that an IXFR
 * answer writes: current SOA, removed..., added..., current SOA. */
struct journal_delta {
	uint32_t from_serial;
	const struct journal_rr *removed;
	size_t removed_count;
	const struct journal_rr *added;
	size_t added_count;
	size_t bytes;                /* the wire size of its records, for the size bound */
};

struct journal {
	uint32_t to_serial;          /* the current version's serial */
	const struct journal_delta *deltas; /* newest earlier version first */
	size_t count;
	size_t bytes;                /* the sum of the deltas' bytes */
	void *storage;               /* private to journal.c: what journal_free() releases */
};

/* The difference from version serial to the current one, or NULL when that version is
 * not kept (then a transfer sends the whole zone). j may be NULL (no journal). */
static inline const struct journal_delta *journal_find(const struct journal *j, uint32_t serial)
{
	size_t i;

	if (j == NULL)
		return NULL;
	for (i = 0; i < j->count; i++)
		if (j->deltas[i].from_serial == serial)
			return &j->deltas[i];
	return NULL;
}

/* The bounds of one zone's journal (--ixfr-depth, --ixfr-size): at most depth earlier
 * versions, and at most bytes for the sum of their deltas; the oldest go first. depth 0:
 * no journal. */
struct journal_limits {
	size_t depth;
	size_t bytes;
};

/* Knot DNS's journal-max-depth; a size that holds many small changes of a large zone. */
#define JOURNAL_DEFAULT_DEPTH 20
#define JOURNAL_DEFAULT_BYTES (16u * 1024 * 1024)

/* The difference from old to cur alone, as a journal with one delta (from old's serial):
 * every record at and below the apex but the SOA, compared by owner, type, TTL and RDATA
 * (a TTL change is a removal and an addition, as IXFR carries it), and the two SOAs
 * first. Both zones must be ok. The journal owns copies of what it lists: old and cur
 * may be freed before it. Returns it, or NULL when out of memory. */
struct journal *journal_diff(const struct zone *old, const struct zone *cur);

/* The journal cur should have when it replaces old: the difference old -> cur, then, for
 * each delta of old's journal (newest first), the condensed difference from that version
 * to cur (RFC 1995 section 5), cut to limits by dropping the oldest. Sets *out to it, or
 * to NULL when there is none: limits NULL or depth 0, a serial of cur that is not newer
 * than old's (RFC 1982). Returns 0; -EFBIG when old -> cur alone is larger than
 * limits->bytes (then transfers are whole: *out NULL); -ENOMEM (*out NULL). */
int journal_build(struct journal **out, const struct zone *old, const struct zone *cur,
		  const struct journal_limits *limits);

/* Sets cur->journal by journal_build(), and logs a line naming the zone, the serials,
 * the records removed and added and the versions and bytes kept (or why no journal was
 * kept when the difference alone is over the byte bound). Returns 0, or -ENOMEM. */
int journal_update(struct zone *cur, const struct zone *old, const struct journal_limits *limits);

/* Frees a journal and everything it holds. NULL is ignored. */
void journal_free(struct journal *j);

#endif
