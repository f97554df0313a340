/* SPDX-License-Identifier: BSD-3-Clause */
/* dnssec.c: the lookups of a signed zone that denial proofs need, per query, without
 * allocation: the NSEC that covers a name (RFC 4035 section 3.1.3) and the NSEC3 that
 * matches or covers a hash (RFC 5155 section 7.2). */
#include "config.h"

#include <string.h>

#include "dnssec.h"

/* Offsets of a wire name's labels, the root's excluded; returns how many. */
static unsigned label_offsets(const uint8_t *name, uint8_t off[DNS_MAX_LABELS])
{
	unsigned n = 0;
	size_t p;

	for (p = 0; name[p] != 0 && n < DNS_MAX_LABELS; p += name[p] + 1u)
		off[n++] = (uint8_t)p;
	return n;
}

uint32_t dnssec_record_ttl(const struct zone *z, const struct node *n, const struct rrset *s,
			   const uint8_t *rec)
{
	const struct rrset *sigs;
	unsigned i;

	if (s->type != DNS_TYPE_RRSIG || n->sec == 0 ||
	    (sigs = z->dnssec->node_sec[n->sec - 1].sigs) == NULL)
		return s->ttl;
	for (i = 0; i < n->rrset_count; i++)
		if (sigs[i].count > 0 && rec >= sigs[i].data && rec < sigs[i].data + sigs[i].data_len)
			return sigs[i].ttl;
	return s->ttl;
}

int dnssec_canonical_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint8_t aoff[DNS_MAX_LABELS], boff[DNS_MAX_LABELS];
	unsigned an = label_offsets(a, aoff), bn = label_offsets(b, boff);

	(void)alen;
	(void)blen;
	/* From the rightmost label leftwards; each label as a string of octets, where a
	 * label that is a prefix of the other sorts first (RFC 4034 section 6.1). */
	while (an > 0 && bn > 0) {
		const uint8_t *la = a + aoff[--an], *lb = b + boff[--bn];
		size_t m = la[0] < lb[0] ? la[0] : lb[0];
		int c = memcmp(la + 1, lb + 1, m);

		if (c != 0)
			return c;
		if (la[0] != lb[0])
			return la[0] < lb[0] ? -1 : 1;
	}
	return (an > 0) - (bn > 0);
}

const struct node *dnssec_nsec_cover(const struct zone *z, const uint8_t *lname, size_t len)
{
	const struct zone_dnssec *d = z->dnssec;
	size_t lo = 0, hi;

	if (d == NULL || d->nsec_count == 0)
		return NULL;
	/* The last owner before the name; the apex sorts before every name in the zone. */
	hi = d->nsec_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct node *n = d->nsec[mid];

		if (dnssec_canonical_cmp(n->name, n->name_len, lname, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return d->nsec[lo > 0 ? lo - 1 : d->nsec_count - 1];
}

const struct node *dnssec_nsec3_by_hash(const struct zone_dnssec *d,
					const uint8_t hash[NSEC3_HASH_SIZE], bool *match)
{
	size_t lo = 0, hi = d->nsec3_count;

	*match = false;
	if (hi == 0)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(d->nsec3[mid].hash, hash, NSEC3_HASH_SIZE);

		if (c == 0) {
			*match = true;
			return d->nsec3[mid].node;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return d->nsec3[lo > 0 ? lo - 1 : d->nsec3_count - 1].node;
}

const struct node *dnssec_nsec3_find(const struct zone *z, const uint8_t *lname, size_t len,
				     bool *match)
{
	uint8_t hash[NSEC3_HASH_SIZE];

	*match = false;
	if (z->dnssec == NULL || z->dnssec->nsec3_count == 0)
		return NULL;
	nsec3_hash(hash, &z->dnssec->nsec3_params, lname, len);
	return dnssec_nsec3_by_hash(z->dnssec, hash, match);
}
