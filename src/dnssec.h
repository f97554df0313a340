/* SPDX-License-Identifier: BSD-3-Clause */
/* dnssec.h: what a signed zone adds to its nodes (RFC 4033-4035, RFC 5155): the RRSIGs
 * of each RRset, NSEC owners in canonical order, the NSEC3 chain in hash order, and
 * the lookups that denial proofs need. dnssec_build() makes it at load time
 * (dnssecbuild.c); the rest is read per query and allocates nothing. */
#ifndef DUALNS_DNSSEC_H
#define DUALNS_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsec3hash.h"
#include "zone.h"

/* How a signed zone denies existence. */
enum dnssec_denial {
	DENIAL_NONE = 0,  /* signed without a usable chain, or not signed */
	DENIAL_NSEC,      /* RFC 4034 section 4 */
	DENIAL_NSEC3,     /* RFC 5155, the chain of the apex NSEC3PARAM */
};

/* A node's DNSSEC data; node->sec - 1 indexes the zone's array of them. */
struct node_sec {
	/* sigs[i]: the RRSIGs that cover node->rrsets[i], a slice of the node's RRSIG RRset
	 * (count 0: none). NULL when the node has no RRSIG at all. */
	const struct rrset *sigs;
	/* The node that owns the NSEC3 whose hash is this node's name, or NULL. */
	const struct node *nsec3;
};

/* One NSEC3 of the chain: its owner's hash and the node that holds it. */
struct nsec3_entry {
	uint8_t hash[NSEC3_HASH_SIZE];
	const struct node *node;
};

struct zone_dnssec {
	enum dnssec_denial denial;
	struct node_sec *node_sec;     /* one per node, in zone_next_node() order */
	struct rrset *sig_sets;        /* where node_sec[].sigs point */
	const struct node **nsec;      /* owners of NSEC records, in canonical order (RFC 4034 section 6.1) */
	size_t nsec_count;
	struct nsec3_entry *nsec3;     /* the chain, in hash order */
	size_t nsec3_count;
	struct nsec3_params nsec3_params;
	size_t opt_out;                /* NSEC3 records of the chain with the opt-out flag */
	size_t unsigned_nsec3;         /* NSEC3 records not in the chain (other parameters) */
};

/* Builds z->dnssec from the zone's nodes and the staged records it was built from (for
 * the TTL of each RRSIG, which the RRSIG RRset as a whole does not keep). Leaves
 * z->dnssec NULL for a zone without RRSIG, NSEC or NSEC3. Returns 0 or -ENOMEM. */
int dnssec_build(struct zone *z, const struct zone_staged_rr *rrs, size_t count);

void dnssec_free(struct zone_dnssec *d);

/* The RRSIGs covering s, an RRset of node n of z; NULL when there are none. */
static inline const struct rrset *dnssec_sigs(const struct zone *z, const struct node *n,
					      const struct rrset *s)
{
	const struct rrset *sigs;

	if (n->sec == 0 || (sigs = z->dnssec->node_sec[n->sec - 1].sigs) == NULL)
		return NULL;
	sigs += s - n->rrsets;
	return sigs->count > 0 ? sigs : NULL;
}

/* The node owning the NSEC3 that matches n's name, or NULL. */
static inline const struct node *dnssec_node_nsec3(const struct zone *z, const struct node *n)
{
	return n->sec != 0 ? z->dnssec->node_sec[n->sec - 1].nsec3 : NULL;
}

/* The TTL of the record at rec of RRset s at node n of z: for an RRSIG its own (the
 * RRSIGs of each covered type keep theirs, RFC 4034 section 3), else the RRset's. For
 * writers of whole RRSIG RRsets: QTYPE=RRSIG answers, transfers, zone files. */
uint32_t dnssec_record_ttl(const struct zone *z, const struct node *n, const struct rrset *s,
			   const uint8_t *rec);

/* Compares lowercased wire names in canonical order (RFC 4034 section 6.1). */
int dnssec_canonical_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* The owner of the NSEC that covers name (lowercased, in z, not itself an NSEC owner):
 * the last owner before it in canonical order. NULL when the zone has no NSEC. */
const struct node *dnssec_nsec_cover(const struct zone *z, const uint8_t *lname, size_t len);

/* The owner of the NSEC3 of d's chain with this hash, or when none has it the one whose
 * span covers it (the last before it in hash order, or the last of all: the chain wraps,
 * RFC 5155 section 3.1.7). NULL when the chain is empty. *match says which. */
const struct node *dnssec_nsec3_by_hash(const struct zone_dnssec *d,
					const uint8_t hash[NSEC3_HASH_SIZE], bool *match);

/* The owner of the NSEC3 that matches the hash of name, or when none does the one that
 * covers it (the last before it in hash order, or the last of all). NULL when the zone
 * has no NSEC3 chain. *match says which. Computes the hash: only for names the zone
 * does not hold as nodes (dnssec_node_nsec3() has those). */
const struct node *dnssec_nsec3_find(const struct zone *z, const uint8_t *lname, size_t len,
				     bool *match);

#endif
