/* SPDX-License-Identifier: BSD-3-Clause */
/* edns.h: EDNS(0) in queries and answers (RFC 6891): payload size, version, DO, options. */
#ifndef DUALNS_EDNS_H
#define DUALNS_EDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cookie.h"

/* An OPT record's fields, as offsets from its owner, the root (one byte), and its size
 * without options (RFC 6891 section 6.1.2). */
#define EDNS_OPT_TYPE_OFF    1
#define EDNS_OPT_SIZE_OFF    3   /* CLASS: the sender's UDP payload size */
#define EDNS_OPT_TTL_OFF     5   /* extended RCODE, version, flags */
#define EDNS_OPT_RDLEN_OFF   9

/* The TTL field of an OPT (RFC 6891 section 6.1.3, RFC 3225 section 3): the upper 8 bits
 * of the extended RCODE, the version, then the DO bit and the zero flags. */
#define EDNS_TTL_RCODE_SHIFT   24
#define EDNS_TTL_VERSION_SHIFT 16

/* What a query's OPT record asked for. */
struct edns_query {
	bool present;
	uint8_t version;
	bool do_bit;
	uint16_t udp_size;      /* as sent; edns_udp_limit() applies the 512 floor */
	bool nsid;              /* option 3 present (RFC 5001) */
	bool keepalive;         /* option 11 present (RFC 7828) */
	/* COOKIE (option 10, RFC 7873 section 4), pointing into the request: the client
	 * cookie (COOKIE_CLIENT_SIZE bytes; NULL: no COOKIE option), then the server cookie
	 * that followed it (cookie_server_len bytes, 0 for none). */
	const uint8_t *cookie_client;
	const uint8_t *cookie_server;
	uint8_t cookie_server_len;
};

/* Parses the RDATA of a query's OPT record (the options) into e->nsid, e->keepalive and
 * e->cookie_*. Returns 0, or -EBADMSG when an option overruns the RDATA, a COOKIE has a
 * bad length or comes twice, or an edns-tcp-keepalive from a client carries a value (the
 * caller answers FORMERR: RFC 6891 section 6.1.2, RFC 7873 section 5.2.2, RFC 7828
 * section 3.1). */
int edns_parse_options(struct edns_query *e, const uint8_t *rdata, size_t rdlen);

/* The largest UDP answer for this query: 512 without EDNS, else
 * max(512, min(client size, server_size)) (RFC 6891 section 6.2.5). */
size_t edns_udp_limit(const struct edns_query *e, uint16_t server_size);

/* What the answer's OPT carries besides the fixed fields. Options are sent only when the
 * query asked for them (NSID, keepalive) or when there is something to say (EDE). */
struct edns_answer {
	uint16_t server_size;    /* our UDP payload size */
	uint16_t keepalive;      /* idle timeout in 100 ms units for edns-tcp-keepalive; 0: none */
	const uint8_t *nsid;     /* the server's NSID (RFC 5001), nsid_len bytes; NULL: none */
	uint16_t nsid_len;
	int ede;                 /* Extended DNS Error info-code (RFC 8914), -1: none */
	/* COOKIE to send (RFC 7873 section 5.2): the client cookie and our server cookie,
	 * COOKIE_ANSWER_SIZE bytes; NULL: none. */
	const uint8_t *cookie;
};

/* Bytes the answer's OPT record will take (owner, fixed fields, options we add). */
size_t edns_opt_size(const struct edns_query *e, const struct edns_answer *a);

/* Writes the answer's OPT record at dest: version 0, our UDP size, DO copied, the upper
 * 8 bits of the extended rcode; NSID when asked and configured (RFC 5001 section 2.3),
 * edns-tcp-keepalive when asked and a->keepalive is set (RFC 7828 section 3.3.2: TCP only,
 * the caller decides), COOKIE when a->cookie is set, an Extended DNS Error when
 * a->ede >= 0.
 * Returns the bytes written (edns_opt_size()). */
size_t edns_write_opt(uint8_t *dest, const struct edns_query *e, const struct edns_answer *a,
		      int rcode);

#endif
