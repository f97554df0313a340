/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_check.h: the invariants every response of query_process() must hold, checked
 * independently of the server's own bookkeeping; shared by the fuzz targets. A broken
 * invariant aborts, so libFuzzer (or the replay driver) reports the input. */
#ifndef DUALNS_FUZZ_CHECK_H
#define DUALNS_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dns.h"
#include "query.h"

#define FUZZ_REQUIRE(cond, what)                                                       \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what,    \
				__FILE__, __LINE__);                                   \
			abort();                                                       \
		}                                                                      \
	} while (0)

/* Prints a message in hex, for the report of a broken invariant. */
static inline void fuzz_dump(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes):", what, len);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 32 ? "" : "\n  ", p[i]);
	fprintf(stderr, "\n");
}

/* The UDP limit as the standards put it: 512 without EDNS (RFC 1035 section 4.2.1),
 * else max(512, min(client size, server size)) (RFC 6891 section 6.2.5). Computed here
 * from the request bytes' OPT as query.c saw it, not with edns_udp_limit(). */
static inline size_t fuzz_udp_limit(const struct query *q, uint16_t server_size)
{
	size_t size;

	if (!q->req.edns.present)
		return DNS_UDP_MIN;
	size = q->req.edns.udp_size < server_size ? q->req.edns.udp_size : server_size;
	return size < DNS_UDP_MIN ? DNS_UDP_MIN : size;
}

/* Checks one exchange: req (req_len bytes) went in, resp (resp_len bytes) came out. */
static inline void fuzz_check_response(const struct query *q, enum query_transport transport,
				       uint16_t server_size, const uint8_t *req, size_t req_len,
				       const uint8_t *resp, size_t resp_len)
{
	ldns_pkt *pkt = NULL;
	unsigned flags, rflags;

	if (resp_len == 0) {
		/* Only a message that is no query may go unanswered: under 12 bytes or QR=1
		 * (RFC 1035 section 4.1.1; tests/conformance.md, "Header and question"). */
		FUZZ_REQUIRE(req_len < DNS_HEADER_SIZE || (req[2] & 0x80) != 0,
			     "a query with a header and QR=0 was not answered");
		return;
	}
	FUZZ_REQUIRE(req_len >= DNS_HEADER_SIZE && (req[2] & 0x80) == 0,
		     "a message under 12 bytes or with QR=1 was answered");
	FUZZ_REQUIRE(resp_len >= DNS_HEADER_SIZE, "response shorter than a header");
	if (transport == QUERY_TCP)
		FUZZ_REQUIRE(resp_len <= DNS_MSG_MAX, "TCP response over 65535 bytes");
	else
		FUZZ_REQUIRE(resp_len <= fuzz_udp_limit(q, server_size),
			     "UDP response over the limit (RFC 1035 4.2.1, RFC 6891 6.2.5)");
	FUZZ_REQUIRE(resp[0] == req[0] && resp[1] == req[1], "ID not echoed (RFC 1035 4.1.1)");
	flags = dns_read16(resp + 2);
	rflags = dns_read16(req + 2);
	FUZZ_REQUIRE(flags & DNS_FLAG_QR, "QR not set in a response");
	FUZZ_REQUIRE(DNS_OPCODE(flags) == DNS_OPCODE(rflags), "opcode not copied");
	FUZZ_REQUIRE((flags & (DNS_FLAG_RA | DNS_FLAG_Z | DNS_FLAG_AD | DNS_FLAG_CD)) == 0,
		     "RA, Z, AD or CD set by an authoritative server");
	if (transport == QUERY_TCP)
		FUZZ_REQUIRE(!(flags & DNS_FLAG_TC), "TC over TCP (RFC 8906 3.2.7)");
	if (flags & DNS_FLAG_TC)
		/* Header + question (+ OPT) only (RFC 6891 section 7), and the TSIG of a
		 * signed request (RFC 8945 section 5.3). */
		FUZZ_REQUIRE(dns_read16(resp + 6) == 0 && dns_read16(resp + 8) == 0 &&
				     dns_read16(resp + 10) <= 1u + (q->tsig_result > 0 ||
								    q->tsig_result == 0),
			     "TC with records besides the OPT and the TSIG");
	if (DNS_OPCODE(rflags) != DNS_OPCODE_QUERY && DNS_OPCODE(rflags) != DNS_OPCODE_NOTIFY) {
		/* NOTIMP: a bare header (tests/conformance.md, "Header and question"; ISC's opcodeflg). */
		FUZZ_REQUIRE(resp_len == DNS_HEADER_SIZE && (flags & 0xf) == RCODE_NOTIMP,
			     "unknown opcode not answered with a bare NOTIMP header");
		return;
	}
	if (dns_read16(resp + 4) == 1) {
		/* The question is echoed byte for byte, case included (RFC 5452 section 9). */
		size_t qlen = q->req.question_len;

		FUZZ_REQUIRE(q->req.question_ok, "question echoed that did not parse");
		FUZZ_REQUIRE(DNS_HEADER_SIZE + qlen <= req_len && DNS_HEADER_SIZE + qlen <= resp_len &&
				     memcmp(req + DNS_HEADER_SIZE, resp + DNS_HEADER_SIZE, qlen) == 0,
			     "question not echoed byte for byte");
	} else {
		FUZZ_REQUIRE(dns_read16(resp + 4) == 0, "QDCOUNT other than 0 or 1");
	}
	/* An independent parser must accept what we send. */
	{
		ldns_status st = ldns_wire2pkt(&pkt, resp, resp_len);

		if (st != LDNS_STATUS_OK) {
			fuzz_dump("query", req, req_len);
			fuzz_dump("response", resp, resp_len);
			fprintf(stderr, "ldns: %s\n", ldns_get_errorstr_by_id(st));
		}
		FUZZ_REQUIRE(st == LDNS_STATUS_OK, "ldns_wire2pkt rejects the response");
	}
	/* No OPT in the query, none in the answer; else exactly one (RFC 6891 section 7). */
	FUZZ_REQUIRE(ldns_pkt_edns(pkt) == q->req.edns.present,
		     "OPT in the answer does not follow the query");
	ldns_pkt_free(pkt);
}

#endif
