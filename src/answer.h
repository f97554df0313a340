/* SPDX-License-Identifier: BSD-3-Clause */
/* answer.h: the authoritative logic: answer, CNAME chain, DNAME, wildcard, NODATA,
 * NXDOMAIN, referral. */
#ifndef DUALNS_ANSWER_H
#define DUALNS_ANSWER_H

#include <stdbool.h>

#include "encode.h"
#include "wire.h"
#include "zonedb.h"

/* The longest CNAME chain followed inside a zone before the answer stops; each DNAME
 * applied on the way counts as one CNAME, the one it synthesizes. */
#define ANSWER_MAX_CNAME 8

/* The outcome the header needs. */
struct answer_result {
	int rcode;   /* RCODE_NOERROR, RCODE_NXDOMAIN, RCODE_REFUSED, RCODE_SERVFAIL, RCODE_YXDOMAIN */
	bool aa;
	bool tc;     /* a required RRset did not fit: the caller sends header + question only */
	int ede;     /* Extended DNS Error info-code for the OPT (RFC 8914), -1: none */
};

#define EDE_NOT_READY 14 /* RFC 8914 section 4.15: the zone is not loaded */

/* Fills the sections of e for the query q from db. hint, when not NULL, is what
 * db_prefetch() found for the same qname in the same db (its zone and hash), used
 * instead of finding them again. */
void answer_query(struct answer_result *res, struct encoder *e, const struct db *db,
		  const struct wire_query *q, const struct db_hint *hint);

#endif
