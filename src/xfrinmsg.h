/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrinmsg.h: what a secondary reads from a primary: the SOA answer, and the messages of
 * an AXFR (RFC 5936) or IXFR (RFC 1995) checked one by one and turned into a new version
 * of the zone. No sockets here: xfrin.c feeds it the bytes. */
#ifndef DUALNS_XFRINMSG_H
#define DUALNS_XFRINMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "xfrin.h"
#include "zone.h"

/* Room for a request: header, question, the SOA of an IXFR and a TSIG. */
#define XFRIN_REQUEST_MAX 1024

/* Writes a request for qtype (SOA, AXFR or IXFR) of origin with this ID into buf (cap
 * bytes): opcode QUERY, RD clear; an IXFR carries current's SOA in the authority section
 * (RFC 1995 section 3). Returns its length, or -ENOSPC. */
ssize_t xfrin_request_build(uint8_t *buf, size_t cap, const uint8_t *origin, size_t origin_len,
			    uint16_t qtype, const struct zone *current, uint16_t id);

/* Reads the answer to the SOA query id for origin: ID, QR, opcode, the question, RCODE,
 * then the SOA of origin in the answer section. Returns 0 with *serial; 1 when TC is set
 * (ask again over TCP); -EAGAIN when the ID or the question is not ours (not the answer:
 * keep waiting, RFC 5452 section 9.1); -EPROTO with the reason in err. */
int xfrin_soa_answer(const uint8_t *msg, size_t len, uint16_t id, const uint8_t *origin,
		     size_t origin_len, uint32_t *serial, char *err, size_t errlen);

/* One transfer's answer read message by message. */
struct xfrin_stream;

/* Starts reading the answer to the request id for qtype (DNS_TYPE_AXFR or DNS_TYPE_IXFR)
 * of origin (lowercased wire name; origin_text for messages); current is the version an
 * IXFR changes (held until the stream is freed); source names the primary in messages.
 * Returns NULL when out of memory. */
struct xfrin_stream *xfrin_stream_new(const uint8_t *origin, size_t origin_len,
				      const char *origin_text, const struct zone *current,
				      uint16_t qtype, uint16_t id, const char *source);

/* Reads the next message. Returns 0 when more messages must follow; 1 when the answer
 * is complete (RFC 5936 section 2.2: the final SOA; RFC 1995 section 4: the final SOA of
 * the last delta, or a single SOA: up to date); -ENOTSUP when an IXFR was refused
 * (NOTIMP, REFUSED or FORMERR: ask for an AXFR); -EPROTO for anything wrong (the reason
 * in err): a wrong ID or question, an RCODE, a record of a class other than IN, an SOA
 * that does not fit the sequence, a removal of a record the zone does not have, records
 * after the end; -ENOMEM. */
int xfrin_stream_message(struct xfrin_stream *s, const uint8_t *msg, size_t len, char *err,
			 size_t errlen);

/* After xfrin_stream_message() returned 1: the new version. Returns 0 with *kind, *serial
 * (the primary's) and *zone (NULL when up to date; else one reference, path NULL, its
 * digest set); -EINVAL when the zone fails the checks of zonecheck.h (logged, the reason
 * in err); -EPROTO when the answer was not complete; -ENOMEM. */
int xfrin_stream_finish(struct xfrin_stream *s, enum xfrin_kind *kind, uint32_t *serial,
			struct zone **zone, char *err, size_t errlen);

/* Records read so far. */
size_t xfrin_stream_records(const struct xfrin_stream *s);

/* Frees the stream and what it read; NULL is fine. */
void xfrin_stream_free(struct xfrin_stream *s);

#endif
