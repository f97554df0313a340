/* SPDX-License-Identifier: BSD-3-Clause */
/* zonereport.h: what the log says about the zones a db serves: one line per zone at
 * startup and after each reload, what a reload changed (zones added and removed), and
 * the serials secondaries would not follow. Load and reload path only. */
#ifndef DUALNS_ZONEREPORT_H
#define DUALNS_ZONEREPORT_H

#include <stddef.h>

#include "zonedb.h"

/* Zones named in one list of a reload line; the rest are counted ("and 7 more"). */
#define ZONEREPORT_LIST_MAX 5

/* Up to this many zones, each gets its line; past it one summary line, and each zone's
 * line only with -v (debug logging on). */
#define ZONEREPORT_ZONES_MAX 10

/* Zones of db that answer with data (not failed). */
size_t zonereport_ok_zones(const struct db *db);

/* Writes what a reload from old to db changed, for its log line, into buf (cut to len):
 * "3 zones, 1 added (new.test. from /etc/dualns/zones/new.zone), 1 removed (old.test.)",
 * where "3 zones" counts the zones of db that answer with data, "added" the origins db
 * has and old had not (a failed one too: its names get SERVFAIL), "removed" those old
 * had and db has not (their names get REFUSED now). */
void zonereport_changes(const struct db *old, const struct db *db, char *buf, size_t len);

/* Logs what db serves: per zone, "zone ORIGIN: serial S, N records, from FILE" (a zone
 * kept from old, unchanged or because its file failed, says so; a failed zone "failed to load from
 * FILE: its names get SERVFAIL"), or past ZONEREPORT_ZONES_MAX zones without -v one line
 * with the counts. old is the db db replaces, or NULL at startup. Each zone version loaded
 * since old (not one kept from it) also gets the warnings of zonesigned_log(), whatever
 * the number of zones. */
void zonereport_zones(const struct db *db, const struct db *old);

/* Warns, for each zone both old and db serve with data, when secondaries would not
 * follow the change: its content changed (zone_digest) but its serial did not, or its
 * serial went backwards or jumped by exactly 2^31 (RFC 1982 section 3.2). */
void zonereport_serials(const struct db *old, const struct db *db);

#endif
