/* SPDX-License-Identifier: BSD-3-Clause */
/* responder.h: one request in, one answer or nothing out, for every transport: the db to answer from, the query scratch, the counters and the query log. */
#ifndef DUALNS_RESPONDER_H
#define DUALNS_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbswap.h"
#include "query.h"
#include "rrl.h"
#include "stats.h"

/* What one thread that answers owns (a worker's loop for TCP, a UDP reader): nothing in it
 * is shared, so answering takes no lock and allocates nothing. */
struct responder {
	struct dbswap_reader db;   /* the db answers come from: moved only by responder_follow() */
	struct query query;        /* scratch reused by every request */
	struct stats stats;        /* this thread's counters, summed on demand by others */
	bool query_log;            /* -q: one line per request */
	struct rrl_thread rrl;     /* this thread's share of rate limiting: its slip count */
};

/* Sets up r to answer from the dbs published on swap, with config (which must outlive r
 * and not change while r answers). Attaches r to swap: call it from the publisher's
 * thread, before the thread that answers through r starts (dbswap.h, rule 4). */
void responder_init(struct responder *r, struct dbswap *swap, const struct query_config *config,
		    bool query_log);

/* Between events, in the answering thread: moves to the db published last (dbswap.h,
 * rule 2). Returns the db answers now come from. */
static inline const struct db *responder_follow(struct responder *r)
{
	return dbswap_follow(&r->db);
}

/* The db answers come from now, for query_prefetch(). */
static inline const struct db *responder_db(const struct responder *r)
{
	return r->db.db;
}

/* True when the answer q just made for req goes through rate limiting: over UDP only,
 * with RRL on, and not when the request carried a valid server cookie (it proves the
 * source address, RFC 7873 section 5.2.5). */
static inline bool responder_limits(const struct query *q, const struct query_request *req)
{
	return req->transport == QUERY_UDP && q->config->rrl != NULL && !q->cookie_valid;
}

/* Answers req into resp (resp_cap bytes: at least the UDP limit over UDP, at least 65535
 * over TCP), rate limits it over UDP (rrl.h: unless the request had a valid server
 * cookie), counts it and, with the query log on, logs one line. Returns the answer's
 * length, or 0 for none: over UDP drop the datagram, over TCP close the connection. */
size_t respond(struct responder *r, const struct query_request *req, uint8_t *resp,
	       size_t resp_cap);

#endif
