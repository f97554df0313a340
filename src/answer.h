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

/* What an answer was, for rate limiting (rrl.h), with the name its bucket counts by. */
enum answer_kind {
	ANSWER_POSITIVE = 0, /* the node that answered the qname (node), or the qname */
	ANSWER_NODATA,       /* the zone apex */
	ANSWER_NXDOMAIN,     /* the zone apex (also at the end of a CNAME chain) */
	ANSWER_REFERRAL,     /* the delegation point */
	ANSWER_WILDCARD,     /* the wildcard's owner ("*" and its parent) */
	ANSWER_ERROR,        /* the zone apex, or the root when no zone is ours */
};

/* The outcome the header needs, and what rate limiting needs. */
struct answer_result {
	int rcode;   /* RCODE_NOERROR, RCODE_NXDOMAIN, RCODE_REFUSED, RCODE_SERVFAIL, RCODE_YXDOMAIN */
	bool aa;
	bool tc;     /* a required RRset did not fit: the caller sends header + question only */
	/* name is a name of the db answered from (not the query's, nor a constant): while
	 * that db is current its address alone identifies it. */
	bool name_in_db;
	int ede;     /* Extended DNS Error info-code for the OPT (RFC 8914), -1: none */
	enum answer_kind kind;
	/* The kind's name, lowercased wire form: in the db or in the query, never copied.
	 * For ANSWER_POSITIVE with node set, node's name is the kind's name instead. */
	const uint8_t *name;
	size_t name_len;
	/* The node of the db that answered the qname: the exact match (the first of a CNAME
	 * chain), the wildcard, or the owner of the DNAME that redirected it, so that every
	 * name one DNAME redirects counts as that owner. NULL when none did (NXDOMAIN, a
	 * referral, a CH answer). */
	const struct node *node;
};

#define EDE_NOT_READY 14 /* RFC 8914 section 4.15: the zone is not loaded */
#define EDE_PROHIBITED 18 /* RFC 8914 section 4.19: refused by policy (an ACL) */

/* Fills the sections of e for the query q from db. hint, when not NULL, is what
 * db_prefetch() found for the same qname in the same db (its zone and hash), used
 * instead of finding them again. */
void answer_query(struct answer_result *res, struct encoder *e, const struct db *db,
		  const struct wire_query *q, const struct db_hint *hint);

/* The nodes an answer looked at for its qtype: the exact match or wildcard of the qname
 * and of each name of its chain, in order (the first ANSWER_MAX_CNAME). */
struct answer_trace {
	const struct node *node[ANSWER_MAX_CNAME];
	unsigned count;
};

/* For prebuilt.c, at load: fills the sections of e as answer_query() would for a query
 * of qtype with this qname (a wire name, which e's question was copied from) and DO bit,
 * answered from z, never from a prebuilt answer; trace gets the nodes it looked at. */
void answer_build(struct answer_result *res, struct encoder *e, const struct zone *z,
		  const uint8_t *qname, uint16_t qtype, bool do_bit, struct answer_trace *trace);

#endif
