/* SPDX-License-Identifier: BSD-3-Clause */
/* prebuilt.h: the answers a node gives as the exact match of a qname (and, anchored, for
 * names below it: struct prebuilt_anchor), written once at load so that the query path
 * copies them instead of writing them record by record.
 *
 * Why the bytes can be copied: a qname that matches a node exactly is the node's name in
 * some case, so it has the same length and labels, sits at the same offset (12) and its
 * suffixes are the same compression targets. Names are compared ignoring case when
 * compressed (encode.c), so every compression choice, and every offset written, is the
 * same whatever the case the query used; the owners written as pointers to the question
 * show its case, as when written per query. The sections depend on nothing else but the
 * zone, the node, the QTYPE and DO: answer.c's answer_build() writes them with the code
 * that answers queries. A response is written from the first byte to the last, so when
 * the whole prebuilt answer fits the room a query leaves, writing it per query would have
 * fit at every step and made the same bytes; when it does not fit, the answer is written
 * per query and truncated as usual. */
#ifndef DUALNS_PREBUILT_H
#define DUALNS_PREBUILT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "zone.h"

/* Longer answers are written per query: they are rare, and their copy would cost memory
 * for little (the per-record work is small beside the bytes). */
#define PREBUILT_MAX_LEN 1232
/* The len of an answer not kept: no room is that large, so it is never copied. */
#define PREBUILT_NONE 0xffff

enum prebuilt_flags {
	PREBUILT_DO = 1,    /* for a query with DO, in a signed zone (RFC 4035 section 3.1) */
	/* For every QTYPE the answer's nodes do not have, except those whose answer
	 * depends on the QTYPE itself (prebuilt_other()). */
	PREBUILT_OTHER = 2,
	/* For a qname at or below the anchor, a name above the node that answers it
	 * (struct prebuilt_anchor): a delegation point's referral, or the zone's NXDOMAIN
	 * without proofs. */
	PREBUILT_ANCHORED = 4,
	/* Anchored too, at a wildcard (RFC 4592): the answer it synthesizes for a qname
	 * that does not exist below its parent (the anchor), without DO. The owners that
	 * are the qname point to the question and stay; every other pointer moves. */
	PREBUILT_WILDCARD = 8,
};

/* One answer: the sections after the question, and what the header and rate limiting
 * need (answer.h). */
struct prebuilt {
	uint16_t qtype;      /* unused with PREBUILT_OTHER */
	uint16_t len;        /* bytes, or PREBUILT_NONE */
	uint16_t count[3];   /* records in the answer, authority and additional sections */
	uint8_t flags;
	uint8_t kind;        /* ANSWER_POSITIVE, ANSWER_NODATA or ANSWER_NXDOMAIN (answer.h) */
	uint8_t rcode;       /* RCODE_NOERROR, or RCODE_NXDOMAIN at the end of a CNAME chain */
	uint32_t off;        /* where its bytes are in the zone's block (zone->prebuilt) */
};

/* An anchored answer was written for one qname (built) and serves others that share its
 * anchor, the name above which the qnames differ: the referral of a delegation point
 * serves every name at or below it, the zone's NXDOMAIN every name that does not exist,
 * a wildcard's answer every name it synthesizes for. Written after a longer qname, every
 * compression pointer listed moves by the difference in length (they all point to the
 * anchor or after it; those not listed, in a wildcard's answer, are owners that point to
 * the whole qname), which makes the bytes a query would have got, unless the longer
 * qname offers a target the built one did not: a name of the answer at or below the
 * qname's label just under the anchor (those labels are listed: a query whose label is
 * one of them is answered per query), or more labels than the compression table has room
 * for. In the block: this, the offsets of the pointers from the answer's start, the
 * labels (each a length byte and the lowercased bytes), then the answer. */
struct prebuilt_anchor {
	uint16_t ptr_count;
	uint16_t labels_len;     /* bytes of the labels */
	uint8_t built_len;       /* the built qname's length and labels */
	uint8_t built_labels;
	uint8_t anchor_labels;
	uint8_t comp_used;       /* compression table entries when it was written */
};

/* A node's answers: those for the types of the nodes they read (the node, and the names
 * its CNAME chain reaches), then those for every other type, each without and, in a
 * signed zone, with DO. */
struct prebuilt_set {
	uint16_t count;
	struct prebuilt entry[];
};

/* True for the QTYPEs whose answer PREBUILT_OTHER cannot stand for: ANY takes whichever
 * RRset comes first (RFC 8482), DS looks on the parent side of a cut, CNAME stops a chain
 * and RRSIG is answered as a set of its own (answer.c). */
static inline bool prebuilt_special(uint16_t qtype)
{
	return qtype == DNS_TYPE_ANY || qtype == DNS_TYPE_DS || qtype == DNS_TYPE_CNAME ||
	       qtype == DNS_TYPE_RRSIG;
}

/* The answer of set for qtype among those whose flags, but PREBUILT_OTHER, are want. */
static inline const struct prebuilt *prebuilt_find_flags(const struct prebuilt_set *set,
							 uint16_t qtype, uint8_t want)
{
	const struct prebuilt *other = NULL;
	unsigned i;

	for (i = 0; i < set->count; i++) {
		const struct prebuilt *p = &set->entry[i];

		if ((p->flags & (PREBUILT_DO | PREBUILT_ANCHORED | PREBUILT_WILDCARD)) != want)
			continue;
		if (p->flags & PREBUILT_OTHER)
			other = p;
		else if (p->qtype == qtype)
			return p;
	}
	return prebuilt_special(qtype) ? NULL : other;
}

/* The answer of set for qtype and DO (in a signed zone: dnssec) as the exact match of
 * the qname, or NULL. */
static inline const struct prebuilt *prebuilt_find(const struct prebuilt_set *set,
						   uint16_t qtype, bool dnssec)
{
	return prebuilt_find_flags(set, qtype, dnssec ? PREBUILT_DO : 0);
}

/* The answer of a wildcard's set for qtype as a qname it synthesizes for, without DO;
 * or NULL. */
static inline const struct prebuilt *prebuilt_find_wildcard(const struct prebuilt_set *set,
							    uint16_t qtype)
{
	return prebuilt_find_flags(set, qtype, PREBUILT_ANCHORED | PREBUILT_WILDCARD);
}

/* The bytes of p, an answer of zone z. Answers that are the same are kept once: the
 * NODATA answers of names of one length, most of the time. */
static inline const uint8_t *prebuilt_data(const struct zone *z, const struct prebuilt *p)
{
	return (const uint8_t *)z->prebuilt + p->off;
}

/* The anchored answer of set for DO (in a signed zone: dnssec), or NULL. */
static inline const struct prebuilt *prebuilt_find_anchored(const struct prebuilt_set *set,
							    bool dnssec)
{
	uint8_t want = PREBUILT_ANCHORED | (dnssec ? PREBUILT_DO : 0);
	unsigned i;

	for (i = 0; i < set->count; i++)
		if ((set->entry[i].flags & (PREBUILT_DO | PREBUILT_ANCHORED | PREBUILT_WILDCARD)) ==
		    want)
			return &set->entry[i];
	return NULL;
}

static inline const struct prebuilt_anchor *prebuilt_anchor(const struct zone *z,
							    const struct prebuilt *p)
{
	return (const struct prebuilt_anchor *)(const void *)prebuilt_data(z, p);
}

static inline const uint16_t *prebuilt_anchor_ptrs(const struct prebuilt_anchor *a)
{
	return (const uint16_t *)(const void *)(a + 1);
}

static inline const uint8_t *prebuilt_anchor_labels(const struct prebuilt_anchor *a)
{
	return (const uint8_t *)(prebuilt_anchor_ptrs(a) + a->ptr_count);
}

static inline const uint8_t *prebuilt_anchor_answer(const struct prebuilt_anchor *a)
{
	return prebuilt_anchor_labels(a) + a->labels_len;
}

/* True when label (a length byte, lowercased) is one of a's. */
static inline bool prebuilt_anchor_has_label(const struct prebuilt_anchor *a, const uint8_t *label)
{
	const uint8_t *l = prebuilt_anchor_labels(a), *end = l + a->labels_len;

	for (; l < end; l += l[0] + 1u)
		if (l[0] == label[0] && memcmp(l + 1, label + 1, l[0]) == 0)
			return true;
	return false;
}

/* Writes the prebuilt answers of every node of z that a qname can match exactly (not a
 * delegation point or below one, not an NSEC3 owner), the referral of every delegation
 * point, the zone's NXDOMAIN (at the apex) and what each wildcard synthesizes, and
 * points each node's pre at its own; z must be built (zone_build) and ok. Returns 0, or
 * -ENOMEM (no node has any then). The block is freed with the zone (zone_free). */
int prebuilt_build(struct zone *z);

#endif
