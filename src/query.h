/* SPDX-License-Identifier: BSD-3-Clause */
/* query.h: one query in, one response out. The only entry point the transports call. */
#ifndef DUALNS_QUERY_H
#define DUALNS_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "answer.h"
#include "chaos.h"
#include "encode.h"
#include "hmac.h"
#include "tsig.h"
#include "wire.h"
#include "xfrout.h"
#include "zonedb.h"

struct rrl;

/* Settings every query sees: set once at startup, never changed while queries run. */
struct query_config {
	uint16_t udp_size;   /* --udp-size: the largest UDP answer with EDNS (512..65535) */
	const uint8_t *nsid;  /* --nsid: sent to queries that ask (RFC 5001); NULL: none */
	uint16_t nsid_len;
	struct chaos_config chaos; /* identity and version in class CH */
	unsigned force_tc;    /* --force-tc[=N]: every Nth UDP answer is an empty TC=1; 0: off */
	/* --require-cookie: a UDP request with a client cookie but no valid server cookie
	 * gets BADCOOKIE (RFC 7873 sections 5.2.3 and 5.2.4). The secrets themselves travel
	 * with the db (struct db's cookies). */
	bool require_cookie;
	/* The time server cookies are minted and checked at, in seconds since the epoch
	 * (RFC 9018 section 4.3); NULL: time(). Tests set it. */
	uint32_t (*cookie_clock)(void);
	/* The time TSIG checks and signs at, in seconds since the epoch (RFC 8945 section
	 * 5.2.3); NULL: time(). Tests set it. */
	uint64_t (*tsig_clock)(void);
	struct rrl *rrl;      /* rate limiting of UDP answers (rrl.h), shared; NULL: off */
};

enum query_transport { QUERY_UDP, QUERY_TCP };

/* One request as the transport received it, with what only the transport knows. */
struct query_request {
	enum query_transport transport;
	const uint8_t *wire;           /* the DNS message */
	size_t len;
	const struct sockaddr *peer;   /* the client; stats.dualns. answers loopback only */
	/* TCP: the idle timeout this connection gets now, advertised with edns-tcp-keepalive
	 * (RFC 7828) when asked. Unused over UDP. */
	unsigned tcp_idle_ms;
	/* What query_prefetch() learned from the same request (its zone, its name's hash),
	 * so the answer need not find them again; NULL when there was no prefetch. */
	const struct db_hint *hint;
	/* The question's name as query_prefetch() parsed it, so it is not parsed twice;
	 * NULL when there was no prefetch, or the name did not parse. */
	const struct wire_qname *peek;
};

/* Per-worker scratch state, reused for every query so the query path never allocates.
 * After query_process() the fields describe the last query (for the query log). */
struct query {
	const struct query_config *config;
	struct wire_query req;
	struct encoder enc;
	int rcode;             /* what was answered; RCODE_DISCARD when nothing was */
	bool tc;
	/* The request carried a server cookie this server minted and still accepts (RFC 7873
	 * section 5.2.5): its source address is proven, so rate limiting lets it through. */
	bool cookie_valid;
	/* The request carried a server cookie that failed: wrong, stale or from the future. */
	bool cookie_bad;
	size_t resp_len;
	/* TSIG (RFC 8945): what verifying the request's TSIG gave (QUERY_TSIG_NONE: it had
	 * none; else tsig_verify_request's value), the key that signed it when that verified
	 * (NULL otherwise; transfer ACLs match on it), the time used, where the answer ends
	 * before its TSIG, and the MAC scratch, set up once per thread. */
	int tsig_result;
	const struct tsig_key *tsig_key;
	const struct tsig_key *tsig_signer; /* signs the answer: tsig_key, or BADTIME's key */
	uint64_t tsig_now;
	size_t unsigned_len;
	size_t resp_cap;
	struct hmac_ctx hmac;
	/* The answer's outcome: its kind and name tell rate limiting its bucket (rrl.h). The
	 * name points into the db answered from or into req. */
	struct answer_result answer;
	size_t qend;           /* where the question ends in the response */
	size_t opt_off;        /* where the OPT starts in the response (resp_len: none) */
	unsigned long udp_answers; /* counts UDP answers for --force-tc */
	struct chaos_stats stats_txt; /* room for the stats.dualns. answer */
	/* A zone transfer the TCP connection is to run (zone NULL: none): query_process()
	 * answered with the bare header and question, which the transport replaces with the
	 * transfer's first message (xfrout_start). */
	struct xfrout_request xfr;
	bool xfr_refused;      /* a transfer request the ACL turned away (counted) */
	bool ixfr_udp;         /* an IXFR difference sent whole in one datagram (counted) */
	struct xfrout xfr_udp; /* IXFR over UDP: the difference written in one datagram */
};

#define QUERY_TSIG_NONE (-1)

void query_init(struct query *q, const struct query_config *config);

/* Looks at the qname of a request that will be answered soon, parsed into name, and
 * starts loading the zone data its answer needs (db_prefetch). Reads at most len bytes;
 * a malformed request is simply skipped (hint->zone NULL). Changes nothing: query_process()
 * does all the checking. Pass hint to db_prefetch_node() once the whole batch is
 * prefetched. Returns true when the name parsed: name may go with the request to
 * query_process() (struct query_request's peek). */
bool query_prefetch(const struct db *db, const uint8_t *req, size_t len, struct wire_qname *name,
		    struct db_hint *hint);

/* Answers the request from db into resp (resp_cap bytes, at least 65535 for TCP, at least
 * the UDP limit for UDP). Returns the response length, or 0 when nothing may be sent:
 * over UDP drop the datagram, over TCP close the connection (RFC 7766 section 8; never
 * answer a response: tests/conformance.md, "Header and question"). */
size_t query_process(struct query *q, const struct db *db, const struct query_request *req,
		     uint8_t *resp, size_t resp_cap);

/* Cuts the response query_process() just wrote into resp (for q) to its bare form:
 * header and question, the OPT when the query had one, no records, TC set (RFC 6891
 * section 7, RFC 2181 section 9), the RCODE kept, and signed again when the request was
 * signed (RFC 8945 section 5.3). Sets q->tc and q->resp_len. Returns the new length
 * (never 0). */
size_t query_truncate(struct query *q, uint8_t *resp);

/* One-line summary of the last query for the query log: "qname class type RCODE size [TC]",
 * then " TSIG" for a request whose TSIG verified, or " TSIG:BADSIG" (BADKEY, BADTIME)
 * for one that did not.
 * Returns what snprintf returns. */
int query_format_log(const struct query *q, char *buf, size_t len);

#endif
