/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneline.h: one record entry of a zone file as text (RFC 1035 section 5.1): where its
 * fields are (owner, TTL, class, type, RDATA), what its TTL is, and when ldns cannot
 * parse it, which field is wrong and why: ldns says "could not parse the RR's rdata"
 * alike for a bad address and an unknown type. Load path only. */
#ifndef DUALNS_ZONELINE_H
#define DUALNS_ZONELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest TTL served: RFC 2181 section 8 (2^31 - 1). A zone file's TTL up to 2^32 - 1
 * loads as this, with a warning; above that it is an error. */
#define ZONELINE_TTL_MAX 0x7fffffffu
/* Room for one message about an entry (without its file and line). */
#define ZONELINE_MSG_MAX 400

/* A field of the entry: its offset in the text and its length (0: absent). */
struct zoneline_token {
	size_t off, len;
};

/* Where the fields of one entry are, in the order ldns reads them: an owner unless the
 * entry starts with a blank (the previous owner), then a TTL (a word starting with a
 * digit) and a class (IN, CH, CLASS3...) in either order, each optional, then the type;
 * the rest is RDATA. */
struct zoneline {
	const char *text;
	struct zoneline_token owner, ttl, cls, type;
	size_t rdata;        /* offset of the RDATA's first word (the text's end: none) */
	bool class_first;    /* the class came before the TTL (RFC 1035 allows both) */
};

/* Finds the fields of text (one entry, without comments or parentheses). */
void zoneline_split(struct zoneline *z, const char *text);

/* Rewrites text (z's, the same length) so that a TTL given after the class comes before
 * it, the only order ldns reads, and updates z. Does nothing unless z->class_first. */
void zoneline_ttl_first(struct zoneline *z, char *text);

/* True when the owner is written absolute (ends with an unescaped dot); false for a
 * relative one, "@", or none (a blank owner). */
bool zoneline_owner_absolute(const struct zoneline *z);

/* Reads a TTL of len bytes at s: decimal seconds, or numbers with units as ldns and BIND
 * read them ("1h30m": s, m, h, d, w in either case). Returns 0 and sets *ttl; -EINVAL
 * when it is not a TTL; -ERANGE when it is above 2^32 - 1 (the TTL field's 32 bits). */
int zoneline_ttl(const char *s, size_t len, uint64_t *ttl);

/* The class and type words must name a class and a type of 16 bits: ldns takes
 * CLASS99999 and TYPE99999 and keeps their low 16 bits. Returns 0; or -ERANGE with msg
 * ("bad class 'CLASS99999': above 65535") and *off the word's offset. */
int zoneline_check_numbers(const struct zoneline *z, char *msg, size_t len, size_t *off);

/* Why ldns could not parse the entry (status is ldns's ldns_status): which field is
 * wrong and how,
 * "not an IPv4 address", "unknown type 'AAA'", "bad TTL '30x'", "bad class 'CLASSx'",
 * "MX field 1, 'ten': not a number from 0 to 65535", into msg; *off is the field's
 * offset in the text. When no field looks wrong, msg has ldns's own message and *off
 * the RDATA's offset. */
void zoneline_diagnose(const struct zoneline *z, int status, char *msg, size_t len, size_t *off);

#endif
