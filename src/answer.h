/* answer.h: the authoritative logic: answer, CNAME chain, wildcard, NODATA, NXDOMAIN, referral. */
#ifndef DUALNS_ANSWER_H
#define DUALNS_ANSWER_H

#include <stdbool.h>

#include "db.h"
#include "encode.h"
#include "wire.h"

/* The longest CNAME chain followed inside a zone before the answer stops. */
#define ANSWER_MAX_CNAME 8

/* The outcome the header needs. */
struct answer_result {
	int rcode;   /* RCODE_NOERROR, RCODE_NXDOMAIN, RCODE_REFUSED, RCODE_SERVFAIL */
	bool aa;
	bool tc;     /* a required RRset did not fit: the caller sends header + question only */
};

/* Fills the sections of e for the query q from db. */
void answer_query(struct answer_result *res, struct encoder *e, const struct db *db,
		  const struct wire_query *q);

#endif
