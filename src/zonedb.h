/* SPDX-License-Identifier: BSD-3-Clause */
/* zonedb.h: the set of zones a server answers from (struct db: zones by origin, shared
 * between dbs by a reference count), and loading and reloading a db from zone sources
 * (files and origins). */
#ifndef DUALNS_ZONEDB_H
#define DUALNS_ZONEDB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cookie.h"
#include "journal.h"
#include "tsigkey.h"
#include "zone.h"

struct acl;
struct secondary;
struct zoneconf;

struct db {
	struct zone **zones;
	size_t zone_count;
	/* Private to zonedb.c: zones by origin. */
	struct zone **table;
	size_t table_mask;
	unsigned min_labels, max_labels; /* fewest and most labels of any origin */
	/* The DNS Cookie secrets answers use while this db is published. They travel with
	 * the db so that a new set reaches every worker under dbswap.h's rules, without a
	 * lock; zonedb.c leaves them zero (none), the server sets them before publishing. */
	struct cookie_secrets cookies;
	/* The TSIG keys requests are verified with, for the same reason: one reference,
	 * dropped by db_free; NULL (zonedb.c's default): no keys, every TSIG is BADKEY. */
	struct tsig_keyring *tsig;
	/* The server-wide transfer ACL (--allow-transfer): owned by the server, which
	 * outlives every db, and set before publishing; NULL: nobody may transfer. Read it
	 * through db_transfer_acl(). */
	const struct acl *transfer_acl;
	/* The zones' configuration (zoneconf.h: notify targets; its keys are tsig): one
	 * reference, dropped by db_free; NULL: none. */
	struct zoneconf *zoneconf;
	/* The secondary zones' state (secondary.h), which a NOTIFY for one of them wakes:
	 * owned by the server, which outlives every db. NULL: none. */
	struct secondary *secondary;
};

/* The ACL a transfer of zone from db is checked against (acl.h): the zone's own, from the
 * `acl` of its entry in the configuration file (db->zoneconf), when it has one; else the
 * server-wide --allow-transfer list. */
const struct acl *db_transfer_acl(const struct db *db, const struct zone *zone);

/* Returns an empty db, or NULL when out of memory. */
struct db *db_new(void);

/* Adds a zone; on success the db holds the caller's reference to it (db_free drops it).
 * Returns 0; -EEXIST when a zone with the same origin is there already, -ENOMEM when out
 * of memory: then the db is as it was and the caller keeps its reference. */
int db_add_zone(struct db *db, struct zone *z);

/* The zone with exactly this (lowercased) origin, or NULL. */
struct zone *db_find_origin(const struct db *db, const uint8_t *origin, size_t len);

/* The zone with the longest origin that is a suffix of the lowercased name, or NULL.
 * label_off lists the offset of each of the name's label_count labels. */
const struct zone *db_find_zone(const struct db *db, const uint8_t *lname,
				const uint8_t *label_off, unsigned label_count);

/* The same among the suffixes with at least skip labels fewer than the name: skip 1 finds
 * the zone above a zone's apex, where its DS lives (RFC 4035 section 3.1.4.1). */
const struct zone *db_find_zone_above(const struct db *db, const uint8_t *lname,
				      const uint8_t *label_off, unsigned label_count, unsigned skip);

/* Suffixes of a name whose hashes a struct db_hint keeps: the name and its parents down
 * to 7 labels below the origin. A deeper name is rare; its other suffixes are hashed
 * again when looked up. */
#define DB_HINT_LABELS 8

/* What db_prefetch() learned about a name, for db_prefetch_node() and for the answer
 * (lookup_name probes the same suffixes, and reuses their hashes). */
struct db_hint {
	const struct zone *zone;   /* NULL: no zone, nothing more to load */
	uint8_t count;             /* hashes kept: the name's labels below the origin, at most DB_HINT_LABELS */
	/* hash[i]: of the suffix that starts at label i (label_off[i]); hash[0] is the whole
	 * name's, set even when count is 0 (the name is the origin). */
	uint32_t hash[DB_HINT_LABELS];
};

/* Starts loading the name table slots that answering this lowercased name will probe, so
 * that they arrive while the queries before it are answered, and fills hint for the
 * second stage. Has no other effect. */
void db_prefetch(const struct db *db, const uint8_t *lname, const uint8_t *label_off,
		 unsigned label_count, struct db_hint *hint);

/* The second stage, once the slots had time to arrive: starts loading the nodes the
 * slots point to: the whole name's (its name, RRsets and first records) and its parents'
 * below the origin (the line the walk down reads: flags and name). Has no other effect. */
void db_prefetch_node(const struct db_hint *hint);

/* A copy of db in which z (the caller's reference, taken on success) replaces the zone of
 * the same origin, or is added: every other zone shared by a reference, and the cookies,
 * keys, zone configuration, transfer ACL and secondary state of db. Returns it, or NULL
 * when out of memory (z is still the caller's). */
struct db *db_replace_zone(const struct db *db, struct zone *z);

/* Drops the db's reference to each of its zones and frees the db. NULL is ignored. */
void db_free(struct db *db);

/* One zone to load: a file and, optionally, its origin (else the SOA owner / $ORIGIN).
 * zonelist.h says where they come from. */
struct zone_source {
	const char *origin; /* presentation form, or NULL */
	const char *path;
};

/* Loads every source into a new db (zonefile_load), adding the zones in the order of the
 * sources. A source that does not load is counted in *failed: its zone is in the db
 * marked failed (its names get SERVFAIL), or not at all when not even its origin was
 * found or another source has the same origin. Returns the db, or NULL when out of
 * memory (nothing is left allocated). */
struct db *zonedb_load(const struct zone_source *sources, size_t count, size_t *failed);

/* Loads every source again for a reload. A zone that fails keeps the version `old`
 * serves (shared with old by a reference, so old stays valid until db_free()), so a
 * broken edit never takes a zone off the air; so does a zone whose file loads to the same
 * content (zone_digest) from the same file, with its journal. A zone whose content
 * changed gets a journal (journal_update(), journal.h) from the version old serves, within
 * limits (NULL: no journal). *failed counts the sources that did not load this time.
 * Returns the new db, or NULL when out of memory: then old and every zone in it are as
 * they were. */
struct db *zonedb_reload(const struct db *old, const struct zone_source *sources, size_t count,
			 const struct journal_limits *limits, size_t *failed);

/* Prints one line per source of db (loaded from these count sources by zonedb_load), for
 * --check: origin, file, serial, records and names, and "ok"; or "failed", also for a
 * source whose zone is not in the db (no origin found: a missing file, a file with no
 * SOA; or an origin another source has). */
void zonedb_print_summary(const struct db *db, const struct zone_source *sources, size_t count,
			  FILE *out);

#endif
