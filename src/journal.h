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

#endif
