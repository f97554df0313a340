/* SPDX-License-Identifier: BSD-3-Clause */
/* wire.h: the strict, zero-allocation query parser and helpers for uncompressed wire names. */
#ifndef DUALNS_WIRE_H
#define DUALNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"
#include "edns.h"

/* A TSIG record (RFC 8945 section 4.2) as parsed from a message. The names are kept
 * lowercased (the MAC covers their canonical form, section 4.3.3); the MAC and Other Data
 * point into the message. */
struct wire_tsig {
	bool present;
	size_t offset;                  /* where the TSIG RR starts in the message */
	uint8_t key_name[DNS_MAX_NAME]; /* lowercased */
	uint8_t key_name_len;
	uint8_t alg_name[DNS_MAX_NAME]; /* lowercased */
	uint8_t alg_name_len;
	uint64_t time_signed;           /* 48 bits, seconds since the epoch */
	uint16_t fudge;
	uint16_t mac_size;
	const uint8_t *mac;
	uint16_t original_id;
	uint16_t error;
	uint16_t other_len;
	const uint8_t *other;
};

/* A parsed query. The qname is kept twice: as received (case preserved, for the echo)
 * and lowercased with label offsets, for lookups that walk its suffixes. */
/* A question's name, parsed: its length and labels, lowercased, with the offset of each
 * label. */
struct wire_qname {
	uint8_t len;                    /* wire length including the root label */
	uint8_t labels;                 /* labels, not counting the root */
	uint8_t label_off[DNS_MAX_LABELS]; /* offset of each label in lname; [labels] is the root */
	uint8_t lname[DNS_MAX_NAME];
};

struct wire_query {
	uint16_t id;
	uint16_t flags;
	bool question_ok;               /* the question parsed: it may be echoed */
	size_t question_len;            /* qname + type + class, bytes after the header */
	const uint8_t *qname;           /* into the request */
	uint8_t qname_len;              /* wire length including the root label */
	uint8_t label_count;            /* labels, not counting the root */
	const uint8_t *label_off;       /* offset of each label in lname; [label_count] is the root */
	const uint8_t *lname;           /* lowercased qname */
	/* Where label_off and lname are, unless a peek parsed them (wire_parse_query_peeked). */
	struct wire_qname parsed;
	uint16_t qtype;
	uint16_t qclass;
	/* IXFR: the serial of the SOA the client sent in the authority section (RFC 1995
	 * section 3); the only request that carries one. */
	uint32_t ixfr_serial;
	struct edns_query edns;
	struct wire_tsig tsig;          /* the last additional record, when a TSIG */
};

/* Parses the TSIG RR that starts at pkt[at] and must end exactly at len's record end:
 * owner and algorithm names uncompressed, CLASS ANY and TTL 0 (RFC 8945 section 4.2),
 * RDATA exactly as long as its fields. Returns 0 with t filled (t->present set), or
 * -EBADMSG. */
int wire_parse_tsig(struct wire_tsig *t, const uint8_t *pkt, size_t len, size_t at);

/* Skips a possibly compressed name at pkt[*at]. Returns 0 with *at moved past it, or
 * -EBADMSG when it runs past len or has an extended label type. */
int wire_skip_name(const uint8_t *pkt, size_t len, size_t *at);

/* Parses a request of len bytes. Never reads past len.
 * Returns a verdict of enum dns_rcode (dns.h), never -errno: RCODE_NOERROR when the query
 * may be answered, RCODE_DISCARD (negative) when nothing must be sent (shorter than a
 * header, QR set), RCODE_NOTIMP for an opcode other than QUERY and NOTIFY (a NOTIFY may
 * carry one SOA in its answer section, RFC 1996 section 3.7), RCODE_FORMERR for a
 * malformed message (q->question_ok says whether the question may still be echoed,
 * q->edns.present whether an OPT is owed; an IXFR without exactly one SOA in the
 * authority section is malformed too), RCODE_BADVERS for EDNS version > 0. A TSIG
 * must be the last additional record, and well formed (wire_parse_tsig), else FORMERR
 * (RFC 8945 section 5.1); q->tsig says whether there was one. */
enum dns_rcode wire_parse_query(struct wire_query *q, const uint8_t *pkt, size_t len);

/* Parses only the question's name, right after the header, into n, with
 * wire_parse_query()'s rules. For a look ahead (query_prefetch); the query is parsed in
 * full when it is answered. Returns true when the name is well formed. */
bool wire_peek_qname(struct wire_qname *n, const uint8_t *pkt, size_t len);

/* wire_parse_query(), taking the question's name from peek: what wire_peek_qname()
 * found in the same pkt and len (true), instead of parsing it again; NULL: parse it.
 * q's lname and label_off point into peek then, which must outlive q's use of them. */
enum dns_rcode wire_parse_query_peeked(struct wire_query *q, const uint8_t *pkt, size_t len,
				       const struct wire_qname *peek);

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
