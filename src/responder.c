/* SPDX-License-Identifier: BSD-3-Clause */
/* responder.c: respond(): query_process() against the current db, then the counters and the query log. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "netio.h"
#include "responder.h"

/* Room for one query log line: the time, the transport, the client and the answer. */
#define RESPONDER_LOG_LINE 512
#define RESPONDER_LOG_TIME 32

void responder_init(struct responder *r, struct dbswap *swap, const struct query_config *config,
		    bool query_log)
{
	memset(r, 0, sizeof(*r));
	dbswap_reader_attach(swap, &r->db);
	query_init(&r->query, config);
	r->query_log = query_log;
}

/* One line for the query just answered: the time in UTC as RFC 3339 (section 5.6) writes
 * it, to the millisecond and with Z, so lines from servers in any time zone compare;
 * transport, client, then query_format_log()'s "qname class type RCODE size [TC]": one
 * line to grep. */
static void responder_log(const struct responder *r, const struct query_request *req)
{
	char addr[NETIO_ADDRSTRLEN];
	char line[RESPONDER_LOG_LINE], when[RESPONDER_LOG_TIME];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	netio_addr_format(addr, sizeof(addr), req->peer);
	query_format_log(&r->query, line, sizeof(line));
	log_info("%s.%03ldZ %s %s %s", when, now.tv_nsec / 1000000,
		 req->transport == QUERY_UDP ? "udp" : "tcp", addr, line);
}

/* Rate limiting of one UDP answer of len bytes in resp. Returns the length to send: len,
 * the bare TC=1 form's, or 0 to drop it. */
static size_t responder_limit(struct responder *r, const struct query_request *req,
			      uint8_t *resp, size_t len)
{
	struct query *q = &r->query;
	enum rrl_verdict v = rrl_answer(q->config->rrl, &r->rrl, q, req->peer);

	if (v == RRL_PASS) /* nearly always: tested first */
		return len;
	switch (v) {
	case RRL_LOGGED:
		stats_add(&r->stats.rrl_limited, 1);
		return len;
	case RRL_SLIP:
		stats_add(&r->stats.rrl_limited, 1);
		stats_add(&r->stats.rrl_slipped, 1);
		return query_truncate(q, resp);
	case RRL_DROP:
	default:
		stats_add(&r->stats.rrl_limited, 1);
		stats_add(&r->stats.rrl_dropped, 1);
		q->rcode = RCODE_DISCARD;
		q->resp_len = 0;
		return 0;
	}
}

size_t respond(struct responder *r, const struct query_request *req, uint8_t *resp,
	       size_t resp_cap)
{
	size_t len = query_process(&r->query, r->db.db, req, resp, resp_cap);

	if (len > 0 && responder_limits(&r->query, req))
		len = responder_limit(r, req, resp, len);

	stats_count_query(&r->stats, req->transport == QUERY_UDP ? STATS_UDP : STATS_TCP,
			  req->peer->sa_family == AF_INET6 ? STATS_IPV6 : STATS_IPV4,
			  r->query.rcode, r->query.tc);
	stats_count_cookie(&r->stats, r->query.cookie_valid, r->query.cookie_bad);
	stats_count_tsig(&r->stats, r->query.tsig_result);
	if (r->query.xfr_refused)
		stats_add(&r->stats.xfr_refused, 1);
	else if (r->query.ixfr_udp && len > 0)
		stats_add(&r->stats.ixfr_out, 1);
	if (r->query_log)
		responder_log(r, req);
	return len;
}
