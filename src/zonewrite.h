/* SPDX-License-Identifier: BSD-3-Clause */
/* zonewrite.h: writing a zone back to a zone file (RFC 1035 section 5) atomically: a crash leaves the old file or the new one, never a torn one. */
#ifndef DUALNS_ZONEWRITE_H
#define DUALNS_ZONEWRITE_H

#include <stddef.h>
#include <stdio.h>

#include "zone.h"

/* Writes z (ok) as zone-file text to out: $ORIGIN, the SOA first, then every record in
 * name order, as ldns prints them. Returns 0, -EIO when a write fails, -ENOMEM. */
int zonewrite_print(const struct zone *z, FILE *out);

/* Writes z to path: to PATH.tmp in the same folder, fsync, rename over path, fsync the
 * folder. Returns 0, or -errno with err saying which step failed on which file (the
 * temporary file is removed then). */
int zonewrite_file(const struct zone *z, const char *path, char *err, size_t errlen);

#endif
