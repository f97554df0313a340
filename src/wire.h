/* SPDX-License-Identifier: BSD-3-Clause */
/* wire.h: the strict, zero-allocation query parser and helpers for uncompressed wire names. */
#ifndef DUALNS_WIRE_H
#define DUALNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"
#include "edns.h"

/* A parsed query. The qname is kept twice: as received (case preserved, for the echo)
 * and lowercased with label offsets, for lookups that walk its suffixes. */
struct wire_query {
	uint16_t id;
	uint16_t flags;
	bool question_ok;               /* the question parsed: it may be echoed */
	size_t question_len;            /* qname + type + class, bytes after the header */
	const uint8_t *qname;           /* into the request */
	uint8_t qname_len;              /* wire length including the root label */
	uint8_t label_count;            /* labels, not counting the root */
	uint8_t label_off[DNS_MAX_LABELS]; /* offset of each label in lname; [label_count] is the root */
	uint8_t lname[DNS_MAX_NAME];    /* lowercased qname */
	uint16_t qtype;
	uint16_t qclass;
	/* IXFR: the serial of the SOA the client sent in the authority section (RFC 1995
	 * section 3); the only request that carries one. */
	uint32_t ixfr_serial;
	struct edns_query edns;
};

/* Parses a request of len bytes. Never reads past len.
 * Returns a verdict of enum dns_rcode (dns.h), never -errno: RCODE_NOERROR when the query
 * may be answered, RCODE_DISCARD (negative) when nothing must be sent (shorter than a
 * header, QR set), RCODE_NOTIMP for an opcode other than QUERY, RCODE_FORMERR for a
 * malformed message (an IXFR without exactly one SOA in the authority section too;
 * q->question_ok says whether the question may still be echoed,
 * q->edns.present whether an OPT is owed), RCODE_BADVERS for EDNS version > 0. */
enum dns_rcode wire_parse_query(struct wire_query *q, const uint8_t *pkt, size_t len);

/* Parses only the question's name, right after the header, into q's qname, qname_len,
 * label_count, label_off and lname, with wire_parse_query()'s rules. For a look ahead
 * (query_prefetch); the query is parsed in full when it is answered. Returns true when
 * the name is well formed. */
bool wire_peek_qname(struct wire_query *q, const uint8_t *pkt, size_t len);

/* Lowercases a wire name of len bytes into dest (ASCII only, RFC 4343). */
void wire_name_tolower(uint8_t *dest, const uint8_t *src, size_t len);

/* Length of a well-formed uncompressed wire name (including the root label). */
size_t wire_name_len(const uint8_t *name);

/* Number of labels of a well-formed wire name, root not counted. */
unsigned wire_name_labels(const uint8_t *name);

/* A well-formed uncompressed wire name in presentation form into out (size bytes, always
 * terminated; a name too long is cut at a label), escaping what is not printable (RFC 4343
 * section 2.1); the root is ".". */
void wire_name_format(const uint8_t *name, char *out, size_t size);

#endif
