/* SPDX-License-Identifier: BSD-3-Clause */
/* zonereport.h: what the log says about the zones a db serves: what a reload changed
 * (zones added and removed). Load and reload path only. */
#ifndef DUALNS_ZONEREPORT_H
#define DUALNS_ZONEREPORT_H

#include <stddef.h>

#include "zonedb.h"

/* Zones named in one list of a reload line; the rest are counted ("and 7 more"). */
#define ZONEREPORT_LIST_MAX 5

/* Zones of db that answer with data (not failed). */
size_t zonereport_ok_zones(const struct db *db);

/* Writes what a reload from old to db changed, for its log line, into buf (cut to len):
 * "3 zones, 1 added (new.test. from /etc/dualns/zones/new.zone), 1 removed (old.test.)",
 * where "3 zones" counts the zones of db that answer with data, "added" the origins db
 * has and old had not (a failed one too: its names get SERVFAIL), "removed" those old
 * had and db has not (their names get REFUSED now). */
void zonereport_changes(const struct db *old, const struct db *db, char *buf, size_t len);

#endif
