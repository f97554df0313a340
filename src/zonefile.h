/* SPDX-License-Identifier: BSD-3-Clause */
/* zonefile.h: loading one zone from an RFC 1035 zone file (section 5): the records read
 * with ldns, the directives, the checks of zonecheck.h, then zone_build(). */
#ifndef DUALNS_ZONEFILE_H
#define DUALNS_ZONEFILE_H

#include "zone.h"

/* Default TTL until a $TTL line sets one (RFC 2308 section 4). */
#define ZONEFILE_DEFAULT_TTL 3600

/* Loads and checks the zone file at path (with its $INCLUDEs); origin is the zone's
 * origin in presentation form, or NULL to take the SOA owner or the $ORIGIN in force.
 * Every problem is logged with its file and line. Returns 0 and sets *zone to the zone:
 * ok, or marked failed (z->ok false, no data: its names get SERVFAIL) when the file has
 * any problem; -EINVAL when not even the origin could be found (logged; *zone NULL:
 * nothing to serve); -ENOMEM when out of memory (*zone NULL). */
int zonefile_load(const char *path, const char *origin, struct zone **zone);

struct ldns_struct_rr_list;

/* Builds a zone from records already parsed (ldns_rr, a zone transfer's), with the same
 * per-record and whole-zone checks as a zone file gets; origin is the lowercased wire
 * name, origin_text its presentation form, source names where the records came from in
 * the messages ("source:N: ..." where N is the record's place in rrs). The zone has no
 * path. Returns 0 with *zone ok; -EINVAL when the records fail a check (each logged, the
 * first one's message in err, with the count of the others; *zone NULL); -ENOMEM. */
int zonefile_build_rrs(const struct ldns_struct_rr_list *rrs, const uint8_t *origin,
		       size_t origin_len, const char *origin_text, const char *source,
		       struct zone **zone, char *err, size_t errlen);

#endif
