/* SPDX-License-Identifier: BSD-3-Clause */
/* zone.h: one zone's immutable data: nodes by exact name (hash), RRsets in pre-encoded
 * wire form, built once from staged records (zone_build) and then only read. */
#ifndef DUALNS_ZONE_H
#define DUALNS_ZONE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"

struct journal;
struct prebuilt_set;
struct zone_dnssec;

/* RDATA names that may be compressed when written (RFC 3597 section 4: only the RFC 1035
 * types). RR_NAME_NONE marks an unused slot. */
#define RR_NAME_NONE 0xffff
#define RR_MAX_NAMES 2

/* One RRset. data holds `count` records, each as
 *   [rdlen:16][name offset 0:16][name offset 1:16][rdata: rdlen bytes]
 * where a name offset is where a compressible name starts inside the rdata. */
struct rrset {
	uint16_t type;
	uint16_t count;
	uint32_t ttl;
	uint16_t rclass;   /* IN for zone data; CH for the server's identity answers */
	uint32_t data_len;
	const uint8_t *data;
};
#define RR_HEADER_SIZE 6

/* A SHA-256 digest's size (zonedigest.h). */
#define ZONE_DIGEST_SIZE 32

enum node_flags {
	NODE_APEX = 1,     /* the zone's origin */
	NODE_CUT = 2,      /* NS below the apex: a delegation point */
	NODE_BELOW_CUT = 4,/* glue or occluded data under a delegation point */
	NODE_WILDCARD_PARENT = 8, /* has a child named "*": only then can a name below it be synthesized */
	NODE_DNAME = 16,   /* owns a DNAME: every name below it is redirected (RFC 6672 section 2.3) */
	/* owns NSEC3 records (and their RRSIGs) only: a hashed name, not a name of the zone
	 * for lookups (RFC 5155 section 7.2.8) */
	NODE_NSEC3 = 32,
};

/* A name in a zone. A node with no RRsets is an empty non-terminal. */
struct node {
	const uint8_t *name;     /* lowercased wire name */
	uint8_t name_len;
	uint8_t flags;
	uint16_t rrset_count;
	uint32_t sec;            /* 1 + its index in zone->dnssec's per-node array; 0: none */
	const struct rrset *rrsets;
	/* Its answers as the exact match of a qname, written at load (prebuilt.h); NULL:
	 * none, every answer at it is written per query. */
	const struct prebuilt_set *pre;
};

struct zone {
	uint8_t origin[DNS_MAX_NAME];  /* lowercased wire name */
	uint8_t origin_len;
	uint8_t origin_labels;
	char *origin_text;             /* presentation form, for messages */
	char *path;                    /* the file it came from */
	bool ok;                       /* false: failed to load, names under it get SERVFAIL */
	/* dbs and transfers holding it: a reload shares unchanged zones, and a zone transfer
	 * keeps the version it started from (dbswap.h, rule 5). */
	_Atomic unsigned refs;
	uint32_t serial;
	uint32_t neg_ttl;              /* min(SOA TTL, SOA MINIMUM), RFC 2308 section 3 */
	size_t rr_count;
	size_t node_count;
	/* What it serves, as zone_digest() (zonedigest.h) hashed it at load: a reload
	 * compares it to tell a content change. All zero for a failed zone. */
	uint8_t digest[ZONE_DIGEST_SIZE];
	const struct node *apex;
	const struct rrset *soa;
	/* The name table: zone.c builds it, zone_find_node_hashed() and db_prefetch()
	 * (zonedb.c) probe it. */
	struct node_slot *table;       /* nodes by name hash, open addressing */
	size_t table_mask;
	uint8_t *nodes;                /* every node with its name, RRsets and records, in name order */
	size_t nodes_size;
	/* Differences from earlier versions to this one, for IXFR (journal.h); NULL: none.
	 * Set by the reload that built this version, before it is published; freed with it. */
	struct journal *journal;
	/* RRSIGs by RRset, NSEC and NSEC3 indexes (dnssec.h); NULL for an unsigned zone. */
	struct zone_dnssec *dnssec;
	/* The block the nodes' prebuilt answers live in (prebuilt.h); NULL: none. */
	void *prebuilt;
};

/* A table slot: the hash beside the pointer, so a probe that misses reads no node. */
struct node_slot {
	const struct node *node;
	uint32_t hash;
};

/* A record as the loader stages it before zone_build() groups records into nodes. */
struct zone_staged_rr {
	const uint8_t *owner;          /* lowercased wire name */
	uint8_t owner_len;
	uint16_t type;
	uint32_t ttl;
	uint16_t rdlen;
	uint16_t name_off[RR_MAX_NAMES];
	const uint8_t *rdata;
	const char *file;              /* for messages: where the record was read */
	int line;
};

/* Returns a new zone with no data, marked not ok, holding one reference and copies of
 * origin_text (the origin's presentation form) and path; NULL when out of memory. */
struct zone *zone_new(const uint8_t *origin, size_t origin_len, const char *origin_text,
		      const char *path);

/* Orders staged records by owner, type and RDATA (a qsort comparator), so that the
 * records of one RRset are adjacent and duplicates are neighbours. */
int zone_staged_cmp(const void *a, const void *b);

/* Builds nodes (with empty non-terminals), RRsets and the name table from staged records
 * sorted with zone_staged_cmp, all at or below the origin and already checked
 * (zonecheck.h). Duplicate records are dropped. Marks the zone ok when it has an SOA at
 * its apex. Returns 0, or -ENOMEM (the zone keeps no data, and is freed as usual). */
int zone_build(struct zone *z, const struct zone_staged_rr *rrs, size_t count);

/* Takes one more reference to a zone someone holds already (a db the caller's thread
 * answers from), for a transfer that may outlive that db. Returns z. */
struct zone *zone_hold(const struct zone *z);

/* Drops one reference; frees the zone when it was the last, in whichever thread drops it
 * (nothing it frees belongs to a thread). NULL is ignored. */
void zone_free(struct zone *z);

/* Returns the node with this exact lowercased name, or NULL. */
const struct node *zone_find_node(const struct zone *z, const uint8_t *lname, size_t len);

/* The same, given the name's hash (name_hash(), as db_prefetch() computed it in struct
 * db_hint). */
const struct node *zone_find_node_hashed(const struct zone *z, const uint8_t *lname, size_t len,
					 uint32_t hash);

/* The zone's nodes in name order: the first with prev NULL, then the one after prev;
 * NULL after the last. For tools and tests; the query path looks names up. */
const struct node *zone_next_node(const struct zone *z, const struct node *prev);

/* Returns the node's RRset of this type, or NULL. */
const struct rrset *node_find_rrset(const struct node *n, uint16_t type);

#endif
