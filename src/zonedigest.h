/* SPDX-License-Identifier: BSD-3-Clause */
/* zonedigest.h: a digest of what a zone serves, computed once at load, so that a reload
 * can tell whether a zone's content changed (and warn when its serial did not). */
#ifndef DUALNS_ZONEDIGEST_H
#define DUALNS_ZONEDIGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "zone.h"

/* SHA-256 (OpenSSL's, which ldns links already) over every record the zone serves, in
 * name order and, within a name, RRset by RRset: owner (lowercased wire form), type,
 * class, TTL, then each record's RDLENGTH and RDATA; the idea of the SIMPLE scheme of
 * RFC 8976 (ZONEMD) section 3.3, in the zone's own name order. The same records give the
 * same digest whatever their order in the file, duplicates and comments; any change a
 * client could see changes it. A zone with no data gets the digest of nothing. Fills
 * z->digest. Returns 0, or -ENOMEM when OpenSSL could not set up the hash. */
int zone_digest(struct zone *z);

#endif
