/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrout.h: zone transfers out (AXFR, RFC 5936; IXFR, RFC 1995) as a resumable writer of
 * messages: each call fills one message from where the last one stopped. */
#ifndef DUALNS_XFROUT_H
#define DUALNS_XFROUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sys/socket.h>

#include "edns.h"
#include "encode.h"
#include "journal.h"
#include "tsig.h"
#include "wire.h"
#include "zone.h"

enum xfrout_kind { XFROUT_AXFR, XFROUT_IXFR };

/* What query_process() decided for a transfer that a TCP connection is to run: the zone
 * version of the db answered from, and the difference to send (NULL: the whole zone). */
struct xfrout_request {
	const struct zone *zone;       /* NULL: no transfer */
	const struct journal_delta *delta;
	enum xfrout_kind kind;
	uint16_t udp_size;             /* --udp-size, for the OPT of every message */
	/* The key the request's TSIG verified with (RFC 8945 section 5.2); NULL: unsigned.
	 * Every message of the transfer is then signed (section 5.3.1). */
	const struct tsig_key *key;
};

enum xfrout_phase {
	XFROUT_SOA_FIRST,   /* the current SOA opens every transfer */
	XFROUT_ZONE,        /* AXFR: every record at and below the apex but the SOA */
	XFROUT_REMOVED,     /* IXFR: the delta's removed records (the old SOA first) */
	XFROUT_ADDED,       /* IXFR: the delta's added records (the current SOA first) */
	XFROUT_SOA_LAST,    /* the current SOA again closes it */
	XFROUT_DONE,
};

/* One transfer: where the next record comes from, and what every message repeats. */
struct xfrout {
	const struct zone *zone;
	const struct journal_delta *delta;
	enum xfrout_kind kind;
	enum xfrout_phase phase;
	const struct node *node;       /* XFROUT_ZONE: the node, its RRset, the record */
	unsigned rrset;
	unsigned rr;
	const uint8_t *rr_data;
	size_t index;                  /* XFROUT_REMOVED, XFROUT_ADDED: the next record */
	/* What the messages repeat from the request: the ID, RD, the question (first
	 * message only) and an OPT when the request had one. */
	uint16_t id;
	uint16_t flags;
	uint8_t question[DNS_MAX_NAME + DNS_QUESTION_FIXED_SIZE];
	size_t question_len;
	struct edns_query edns;
	uint16_t udp_size;
	/* Bytes kept free at the end of every message: room for a TSIG record when the
	 * request was signed (RFC 8945 section 5.3.1); 0 unsigned. */
	size_t reserve;
	/* A signed transfer: a copy of the key (the keyring may go with a reload while the
	 * transfer runs), wiped at the end, and the chain of MACs. */
	bool signing;
	struct tsig_key key;
	struct tsig_stream tsig;
	/* For the transfer's log line. */
	unsigned long messages;
	unsigned long records;
	unsigned long long bytes;
	struct timespec started;
};

/* Starts x at the first record of a transfer of zone: the whole zone when delta is NULL,
 * else the condensed difference (journal.h). Takes no reference to zone. */
void xfrout_init(struct xfrout *x, const struct zone *zone, const struct journal_delta *delta,
		 enum xfrout_kind kind);

/* Appends the next records to e until one does not fit or the transfer is complete, in
 * the answer section; a record that does not fit is left whole for the next message
 * (RFC 5936 section 2.2 lets an RRset span messages). Returns true when every record
 * has been written. */
bool xfrout_fill(struct xfrout *x, struct encoder *e);

static inline bool xfrout_done(const struct xfrout *x)
{
	return x->phase == XFROUT_DONE;
}

/* A transfer for a TCP connection, allocated (per transfer, not per query), holding a
 * reference to the zone (zone_hold) until xfrout_end(), with the request's ID, flags,
 * question and OPT (w, parsed from wire). Returns NULL when out of memory. */
struct xfrout *xfrout_start(const struct xfrout_request *r, const struct wire_query *w,
			    const uint8_t *wire);

/* Writes the next message of x into buf (cap bytes, at most 65535): header, the question
 * in the first message only (RFC 5936 section 2.2.1: QDCOUNT may be 0 in the later ones,
 * which saves repeating it), as many records as fit, an OPT when the request had one.
 * AA set and the ID echoed in every message; each signed with the request's key, the MACs
 * chained (RFC 8945 section 5.3.1), when the request was. Returns its length, or 0 when not even one
 * record fits (a record too large for any message, or cap too small for the header,
 * question and OPT): the transfer cannot go on. */
size_t xfrout_next(struct xfrout *x, uint8_t *buf, size_t cap);

/* Logs one line for the transfer: kind, zone, serial, client, messages, records, bytes,
 * milliseconds; cut is NULL for a complete one, else why it stopped. */
void xfrout_log(const struct xfrout *x, const struct sockaddr *peer, const char *cut);

/* Drops the zone reference and frees x. NULL is ignored. */
void xfrout_end(struct xfrout *x);

#endif
