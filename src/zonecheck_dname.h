/* SPDX-License-Identifier: BSD-3-Clause */
/* zonecheck_dname.h: the rules for DNAME records (RFC 6672) a zone must meet before it is
 * served, on its staged records; part of zonecheck_zone(). */
#ifndef DUALNS_ZONECHECK_DNAME_H
#define DUALNS_ZONECHECK_DNAME_H

#include <stddef.h>

#include "zone.h"
#include "zonecheck.h"

/* Checks the DNAME records among the count records rrs, sorted with zone_staged_cmp: no
 * second DNAME at one name (RFC 6672 section 2.4), no NS beside a DNAME below the apex
 * (section 2.3), and no record below a DNAME's owner but NSEC3 and RRSIG (section 2.4).
 * Each problem is counted and logged in e with the file and line of the record at fault.
 * A DNAME whose target is at or below its own owner gets a warning only, as NSD and Knot
 * load such a zone: the loop shows in answers (answer.c ends an answer where the DNAME
 * comes back). z gives the origin. Allocates nothing. */
void zonecheck_dname(struct zonecheck_errors *e, const struct zone *z,
		     const struct zone_staged_rr *rrs, size_t count);

#endif
