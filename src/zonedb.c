/* SPDX-License-Identifier: BSD-3-Clause */
/* zonedb.c: the set of zones (struct db), and loading a db from zone sources with the
 * reload policy: a zone that fails keeps its previous version. The db's lookups
 * (db_find_zone, db_prefetch) are on the query path: hash probes, no allocation. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "namehash.h"
#include "zoneconf.h"
#include "zonedb.h"
#include "zonefile.h"
#include "zonesigned.h"

struct db *db_new(void)
{
	return calloc(1, sizeof(struct db));
}

struct zone *db_find_origin(const struct db *db, const uint8_t *lname, size_t len)
{
	size_t i;

	if (db->table == NULL)
		return NULL;
	for (i = name_hash(lname, len) & db->table_mask;; i = (i + 1) & db->table_mask) {
		struct zone *z = db->table[i];

		if (z == NULL)
			return NULL;
		if (dns_name_equal(z->origin, z->origin_len, lname, len))
			return z;
	}
}

int db_add_zone(struct db *db, struct zone *z)
{
	struct zone **zones, **table;
	size_t i, mask;

	if (db_find_origin(db, z->origin, z->origin_len) != NULL)
		return -EEXIST;
	/* Everything that can fail comes first, so that a failure changes nothing the db
	 * shows: the zone is listed only once the new origin table is there for it. */
	zones = realloc(db->zones, (db->zone_count + 1) * sizeof(*zones));
	if (zones == NULL)
		return -ENOMEM;
	db->zones = zones;
	mask = name_table_size(db->zone_count + 1) - 1;
	table = calloc(mask + 1, sizeof(*table));
	if (table == NULL)
		return -ENOMEM;
	db->zones[db->zone_count++] = z;
	/* Rebuild the origin table: zones are added a few times at startup, never per query. */
	free(db->table);
	db->table = table;
	db->table_mask = mask;
	db->min_labels = DNS_MAX_LABELS;
	db->max_labels = 0;
	for (i = 0; i < db->zone_count; i++) {
		size_t h = name_hash(db->zones[i]->origin, db->zones[i]->origin_len) & db->table_mask;

		if (db->zones[i]->origin_labels < db->min_labels)
			db->min_labels = db->zones[i]->origin_labels;
		if (db->zones[i]->origin_labels > db->max_labels)
			db->max_labels = db->zones[i]->origin_labels;

		while (db->table[h] != NULL)
			h = (h + 1) & db->table_mask;
		db->table[h] = db->zones[i];
	}
	return 0;
}

const struct zone *db_find_zone(const struct db *db, const uint8_t *lname,
				const uint8_t *label_off, unsigned label_count)
{
	return db_find_zone_above(db, lname, label_off, label_count, 0);
}

/* Up to this many zones, db_find_zone_above() compares origins instead of hashing. */
#define DB_SCAN_MAX 8

const struct zone *db_find_zone_above(const struct db *db, const uint8_t *lname,
				      const uint8_t *label_off, unsigned label_count, unsigned skip)
{
	size_t len = (size_t)label_off[label_count] + 1;
	unsigned i, first, last;

	if (db->zone_count == 0 || label_count < db->min_labels + skip)
		return NULL;
	/* A few zones (a small server's lot) are looked at in turn: comparing each origin
	 * with the suffix as long costs less than hashing a suffix. */
	if (db->zone_count <= DB_SCAN_MAX) {
		const struct zone *best = NULL;
		size_t k;

		for (k = 0; k < db->zone_count; k++) {
			const struct zone *z = db->zones[k];
			size_t off;

			if (z->origin_labels + skip > label_count ||
			    (best != NULL && z->origin_labels <= best->origin_labels))
				continue;
			off = label_off[label_count - z->origin_labels];
			if (dns_name_equal(z->origin, z->origin_len, lname + off, len - off))
				best = z;
		}
		return best;
	}
	/* Longest origin first, from the suffix with as many labels as the longest origin up
	 * to the one as short as the shortest: no other suffix can be an origin. */
	first = label_count > db->max_labels ? label_count - db->max_labels : 0;
	if (first < skip)
		first = skip;
	last = label_count - db->min_labels;
	for (i = first; i <= last; i++) {
		const struct zone *z = db_find_origin(db, lname + label_off[i], len - label_off[i]);

		if (z != NULL)
			return z;
	}
	return NULL;
}

void db_prefetch(const struct db *db, const uint8_t *lname, const uint8_t *label_off,
		 unsigned label_count, struct db_hint *hint)
{
	const struct zone *z = db_find_zone(db, lname, label_off, label_count);
	size_t len = (size_t)label_off[label_count] + 1;
	int i;

	hint->zone = NULL;
	hint->count = 0;
	if (z == NULL || z->table == NULL)
		return;
	hint->zone = z;
	hint->hash[0] = name_hash(lname, len);
	__builtin_prefetch(&z->table[hint->hash[0] & z->table_mask]);
	/* The other slots lookup_name() (answer.c) may probe: each suffix below the origin.
	 * The hashes of the first DB_HINT_LABELS are kept for the second stage and the
	 * answer. */
	for (i = (int)label_count - z->origin_labels - 1; i > 0; i--) {
		size_t off = label_off[i];
		uint32_t h = name_hash(lname + off, len - off);

		if (i < DB_HINT_LABELS)
			hint->hash[i] = h;
		__builtin_prefetch(&z->table[h & z->table_mask]);
	}
	i = (int)label_count - z->origin_labels;
	hint->count = (uint8_t)(i < DB_HINT_LABELS ? i : DB_HINT_LABELS);
}

/* Slots db_prefetch_node() looks at: a longer probe run is rare, and a miss costs nothing
 * but the prefetch not made. */
#define PREFETCH_PROBES 4

/* The node whose hash is h, as far as the first PREFETCH_PROBES slots tell (the name is
 * not compared: a wrong guess only loads a line for nothing); NULL when none. */
static const char *prefetch_guess(const struct zone *z, uint32_t h)
{
	size_t i, n;

	for (i = h & z->table_mask, n = 0; n < PREFETCH_PROBES; i = (i + 1) & z->table_mask, n++) {
		const struct node_slot *slot = &z->table[i];

		if (slot->node == NULL)
			return NULL;
		if (slot->hash == h)
			return (const char *)slot->node;
	}
	return NULL;
}

void db_prefetch_node(const struct db_hint *hint)
{
	const struct zone *z = hint->zone;
	const char *p;
	unsigned i;

	if (z == NULL)
		return;
	p = prefetch_guess(z, hint->hash[0]);
	if (p != NULL) {
		/* Node, name and RRsets, then the first records: three lines cover an address
		 * answer wherever the node starts in its line. */
		__builtin_prefetch(p);
		__builtin_prefetch(p + 64);
		__builtin_prefetch(p + 128);
	}
	/* The parents the walk down reads first (a delegation point above the name, the
	 * closest encloser of a name that does not exist): their node lines. */
	for (i = 1; i < hint->count; i++) {
		p = prefetch_guess(z, hint->hash[i]);
		if (p != NULL)
			__builtin_prefetch(p);
	}
}

const struct acl *db_transfer_acl(const struct db *db, const struct zone *zone)
{
	const struct zoneconf_zone *zz;

	if (db == NULL)
		return NULL;
	zz = zoneconf_find(db->zoneconf, zone->origin, zone->origin_len);
	if (zz != NULL && zz->transfer != NULL)
		return zz->transfer;
	return db->transfer_acl;
}

struct db *db_replace_zone(const struct db *db, struct zone *z)
{
	struct db *copy = db_new();
	size_t i;

	if (copy == NULL)
		return NULL;
	for (i = 0; i < db->zone_count; i++) {
		struct zone *old = db->zones[i];

		if (dns_name_equal(old->origin, old->origin_len, z->origin, z->origin_len))
			continue;
		if (db_add_zone(copy, zone_hold(old)) < 0) {
			zone_free(old);
			db_free(copy);
			return NULL;
		}
	}
	if (db_add_zone(copy, z) < 0) {
		db_free(copy);
		return NULL;
	}
	copy->cookies = db->cookies;
	copy->tsig = tsig_keyring_ref(db->tsig);
	copy->transfer_acl = db->transfer_acl;
	copy->zoneconf = zoneconf_ref(db->zoneconf);
	copy->secondary = db->secondary;
	return copy;
}

void db_free(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->zone_count; i++)
		zone_free(db->zones[i]);
	free(db->zones);
	free(db->table);
	tsig_keyring_unref(db->tsig);
	zoneconf_unref(db->zoneconf);
	free(db);
}

/* The zone of old that a failed load of src keeps: the loaded one of the same origin;
 * for a file that did not even yield an origin (it cannot be read now, say), the one
 * from the same path, loaded or failed (its names still get SERVFAIL then). */
static struct zone *previous_version(const struct db *old, const struct zone *failed,
				     const struct zone_source *src)
{
	struct zone *prev = NULL;
	size_t i;

	if (old == NULL)
		return NULL;
	if (failed != NULL) {
		prev = db_find_origin(old, failed->origin, failed->origin_len);
	} else {
		for (i = 0; i < old->zone_count && prev == NULL; i++)
			if (strcmp(old->zones[i]->path, src->path) == 0)
				prev = old->zones[i];
	}
	return prev != NULL && (prev->ok || failed == NULL) ? prev : NULL;
}

/* The version of old that loaded z replaces, when both have data; NULL otherwise. */
static struct zone *replaced_version(const struct db *old, const struct zone *z)
{
	struct zone *prev = old != NULL ? db_find_origin(old, z->origin, z->origin_len) : NULL;

	return prev != NULL && prev->ok ? prev : NULL;
}

/* z, just loaded with data, in place of prev (may be NULL): prev itself when nothing
 * changed (one version and its journal, shared), else z with its journal. Returns the
 * zone to add, or NULL when out of memory (z is freed). */
static struct zone *next_version(struct zone *z, struct zone *prev,
				 const struct journal_limits *limits)
{
	if (prev == NULL)
		return z;
	if (memcmp(prev->digest, z->digest, sizeof(z->digest)) == 0 &&
	    strcmp(prev->path, z->path) == 0) {
		zone_free(z);
		zone_hold(prev);
		return prev;
	}
	if (journal_update(z, prev, limits) < 0) {
		zone_free(z);
		return NULL;
	}
	return z;
}

struct db *zonedb_reload(const struct db *old, const struct zone_source *sources, size_t count,
			 const struct journal_limits *limits, size_t *failed)
{
	struct db *db = db_new();
	size_t i;

	*failed = 0;
	if (db == NULL)
		return NULL;
	for (i = 0; i < count; i++) {
		struct zone *z = NULL, *prev;
		int rc = zonefile_load(sources[i].path, sources[i].origin, &z);

		if (rc == -ENOMEM)
			goto nomem;
		if (rc != 0 || !z->ok) {
			(*failed)++;
			prev = previous_version(old, z, &sources[i]);
			if (prev != NULL) {
				if (prev->ok)
					log_error("zone %s: still serving serial %u until %s loads",
						  prev->origin_text, prev->serial, sources[i].path);
				else
					log_error("zone %s: its names still get SERVFAIL",
						  prev->origin_text);
				zone_free(z);
				zone_hold(prev);
				z = prev;
			} else if (z != NULL) {
				log_error("zone %s: its names get SERVFAIL", z->origin_text);
			}
		} else {
			z = next_version(z, replaced_version(old, z), limits);
			if (z == NULL)
				goto nomem;
		}
		if (z == NULL)
			continue;
		rc = db_add_zone(db, z);
		if (rc == -EEXIST) {
			log_error("%s: zone %s is already loaded from another file", z->path,
				  z->origin_text);
			(*failed)++;
		}
		if (rc != 0)
			zone_free(z);  /* the db did not take the reference */
		if (rc == -ENOMEM)
			goto nomem;
	}
	return db;
nomem:
	/* Drops only the references this db took: old's zones keep theirs. */
	db_free(db);
	return NULL;
}

struct db *zonedb_load(const struct zone_source *sources, size_t count, size_t *failed)
{
	return zonedb_reload(NULL, sources, count, NULL, failed);
}

void zonedb_print_summary(const struct db *db, const struct zone_source *sources, size_t count,
			  FILE *out)
{
	uint32_t now = zonesigned_now();
	size_t i, next = 0;

	for (i = 0; i < count; i++) {
		const struct zone *z = NULL;

		/* The db lists the zones in the order of their sources, skipping those that
		 * gave none. */
		if (next < db->zone_count && strcmp(db->zones[next]->path, sources[i].path) == 0)
			z = db->zones[next++];
		if (z != NULL && z->ok) {
			fprintf(out, "%s: %s: serial %u, %zu records, %zu names: ok\n",
				z->origin_text, z->path, z->serial, z->rr_count, z->node_count);
			zonesigned_print(z, now, out);
		} else if (z != NULL)
			fprintf(out, "%s: %s: failed\n", z->origin_text, z->path);
		else
			fprintf(out, "%s: %s: failed\n",
				sources[i].origin != NULL ? sources[i].origin : "(no origin)",
				sources[i].path);
	}
}
