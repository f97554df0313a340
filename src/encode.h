/* SPDX-License-Identifier: BSD-3-Clause */
/* encode.h: writing RRsets into a response with name compression and RRset-atomic truncation. */
#ifndef DUALNS_ENCODE_H
#define DUALNS_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* Offsets of names already in the message, for compression (RFC 1035 section 4.1.4).
 * A small fixed table: when it is full later names are written uncompressed, which costs
 * bytes but never correctness. */
#define ENCODE_COMP_MAX 64

enum encode_section { SECTION_ANSWER = 0, SECTION_AUTHORITY = 1, SECTION_ADDITIONAL = 2 };
#define ENCODE_SECTIONS 3

/* A response being written. Lives in the worker's struct query and is reset per query,
 * so writing a response allocates nothing. */
struct encoder {
	uint8_t *buf;
	size_t len;            /* bytes written so far */
	size_t limit;          /* the response may not grow past this (UDP limit less OPT) */
	uint16_t count[ENCODE_SECTIONS]; /* records per section */
	uint16_t comp_count;
	uint16_t comp[ENCODE_COMP_MAX];
	const uint8_t *question;  /* where the qname at offset 12 was copied from, or NULL */
	/* prebuilt.c, at load: gets the offset of every compression pointer written, to
	 * move them when the answer is copied after a longer qname. NULL for queries. */
	uint16_t *ptr_log;
	unsigned ptr_count;
};

/* Starts a response in buf: its first len bytes are the room for the header, which the
 * caller writes once the counts are known, and the question, already copied there.
 * qname is where the question's name was copied from (in the request), or NULL when the
 * response has no question. Every suffix of the qname at offset 12 becomes a compression
 * target, and an owner passed as that same pointer (the answer's owner, most of the
 * time) is written as a pointer to offset 12 without a search. */
void encode_init(struct encoder *e, uint8_t *buf, size_t len, size_t limit, const uint8_t *qname);

/* Appends a whole RRset with this owner (a wire name, any case, uncompressed).
 * ttl is the TTL to write (the RRset's own, or the negative TTL for an SOA).
 * Returns 0, or -ENOSPC when the RRset does not fit: nothing of it stays in the message
 * (the length and the compression table are rolled back). */
int encode_rrset(struct encoder *e, enum encode_section section, const uint8_t *owner,
		 size_t owner_len, const struct rrset *rrset, uint32_t ttl);

/* One record by its fields: a zone's (zone.h) or a journal's (journal.h). */
struct encode_rr {
	const uint8_t *owner;          /* wire name, uncompressed */
	size_t owner_len;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	uint16_t rdlen;
	uint16_t name_off[RR_MAX_NAMES]; /* compressible names in rdata; RR_NAME_NONE: unused */
	const uint8_t *rdata;
};

/* Appends one record, for writers that split an RRset across messages (a zone transfer,
 * RFC 5936 section 2.2). Returns 0, or -ENOSPC when it does not fit: nothing of it stays
 * (length and compression table rolled back). */
int encode_rr(struct encoder *e, enum encode_section section, const struct encode_rr *rr);

/* Appends a DNAME RRset as encode_rrset() does, and makes its target a compression
 * target: the target itself is written whole (RFC 6672 section 2.5), but the CNAME
 * synthesized from it (section 3.1) ends with the same name and can point to it. The
 * RDATA of each record must be one uncompressed name, as the zone loader checks.
 * Returns 0, or -ENOSPC as encode_rrset(). */
int encode_dname(struct encoder *e, enum encode_section section, const uint8_t *owner,
		 size_t owner_len, const struct rrset *dname, uint32_t ttl);

#endif
