/* SPDX-License-Identifier: BSD-3-Clause */
/* sigcount.h: a reply's DNSSEC records counted, and its RRsets without an RRSIG (pure, no ldns). */
#ifndef DUALQ_SIGCOUNT_H
#define DUALQ_SIGCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef DNS_TYPE_NSEC3
#define DNS_TYPE_NSEC3 50
#endif

/* RRSIG, NSEC and NSEC3 records in every section of a reply. */
struct sigcount {
	unsigned rrsig, nsec, nsec3;
};

/* What sigcount_unsigned() found: the RRsets of the answer and authority sections, those
 * without an RRSIG in their section, and the first of them as "owner/TYPE" text. */
struct sigcount_sets {
	unsigned rrsets;          /* RRsets judged (exempt ones left out) */
	unsigned unsigned_sets;   /* of them, the ones no RRSIG covers */
	unsigned exempt;          /* RRsets left out: synthesized CNAMEs, a referral's NS */
	char missing[256];        /* "www.example.com./A, example.com./SOA", cut with ", ..." */
	bool cut;                 /* missing could not hold them all */
};

/* Counts the DNSSEC records of wire[0..len). Returns 0, -EBADMSG when the records
 * cannot be walked. Records after a cut one are not counted. */
int sigcount_count(struct sigcount *c, const uint8_t *wire, size_t len);

/* RFC 4035 section 3.1.1: every RRset of the answer and authority sections carries the
 * RRSIGs that cover it, in the same section. Exempt: a CNAME in the answer whose owner is
 * below a DNAME's owner there (synthesized, unsigned: RFC 6672 section 5.3.1) and the NS
 * RRset of the authority section of a referral (AA = 0: the parent is not authoritative
 * for it, RFC 4035 section 2.2). Glue is in the additional section, which is not judged.
 * Returns 0, -EBADMSG when the records cannot be walked. */
int sigcount_unsigned(struct sigcount_sets *s, const uint8_t *wire, size_t len);

#endif
