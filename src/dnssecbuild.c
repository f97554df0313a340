/* SPDX-License-Identifier: BSD-3-Clause */
/* dnssecbuild.c: builds a signed zone's DNSSEC indexes once, at load time (dnssec.h):
 * each RRset's RRSIGs as a slice of its node's RRSIG RRset, the NSEC owners in
 * canonical order, and the NSEC3 chain of the apex NSEC3PARAM in hash order, with the
 * matching NSEC3 of every name, so that a query only hashes names that do not exist. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "dnssec.h"
#include "wire.h"

/* RRSIG RDATA (RFC 4034 section 3.1) starts with the type it covers. */
#define RRSIG_TYPE_COVERED_OFF 0

static bool node_is_signed_data(const struct node *n)
{
	unsigned i;

	for (i = 0; i < n->rrset_count; i++) {
		uint16_t t = n->rrsets[i].type;

		if (t == DNS_TYPE_RRSIG || t == DNS_TYPE_NSEC || t == DNS_TYPE_NSEC3)
			return true;
	}
	return false;
}

/* Index of the RRset of type t at n, or -1. */
static int rrset_index(const struct node *n, uint16_t t)
{
	unsigned i;

	for (i = 0; i < n->rrset_count; i++)
		if (n->rrsets[i].type == t)
			return (int)i;
	return -1;
}

/* Cuts the node's RRSIG RRset into one slice per covered RRset. The loader sorted the
 * records of an RRset by RDATA, which starts with the type covered: the RRSIGs of one
 * type are adjacent. An RRSIG covering a type the node does not have stays only in the
 * RRSIG RRset (a QTYPE=RRSIG answer still shows it). */
static void slice_sigs(struct rrset *sigs, const struct node *n, const struct rrset *rrsig)
{
	const uint8_t *rr = rrsig->data;
	unsigned i;

	for (i = 0; i < rrsig->count; i++, rr += RR_HEADER_SIZE + dns_read16(rr)) {
		uint16_t rdlen = dns_read16(rr);
		int idx;
		struct rrset *g;

		if (rdlen < 2)
			continue;
		idx = rrset_index(n, dns_read16(rr + RR_HEADER_SIZE + RRSIG_TYPE_COVERED_OFF));
		if (idx < 0 || n->rrsets[idx].type == DNS_TYPE_RRSIG)
			continue;
		g = &sigs[idx];
		if (g->count == 0) {
			g->type = DNS_TYPE_RRSIG;
			g->rclass = DNS_CLASS_IN;
			g->ttl = UINT32_MAX; /* slice_ttls() sets it */
			g->data = rr;
		}
		g->count++;
		g->data_len += RR_HEADER_SIZE + rdlen;
	}
}

/* The RRSIG RRset keeps the lowest TTL of its records; each slice gets the lowest of its
 * own, which a signer makes the covered RRset's TTL (RFC 4034 section 3). */
static void slice_ttls(const struct zone *z, const struct zone_staged_rr *rrs, size_t count)
{
	const struct node *n = NULL;
	size_t i;

	for (i = 0; i < count; i++) {
		const struct zone_staged_rr *rr = &rrs[i];
		const struct rrset *sigs;
		int idx;

		if (rr->type != DNS_TYPE_RRSIG || rr->rdlen < 2)
			continue;
		if (n == NULL || !dns_name_equal(n->name, n->name_len, rr->owner, rr->owner_len))
			n = zone_find_node(z, rr->owner, rr->owner_len);
		if (n == NULL || n->sec == 0 || (sigs = z->dnssec->node_sec[n->sec - 1].sigs) == NULL)
			continue;
		idx = rrset_index(n, dns_read16(rr->rdata + RRSIG_TYPE_COVERED_OFF));
		if (idx >= 0 && sigs[idx].count > 0 && rr->ttl < sigs[idx].ttl)
			((struct rrset *)(uintptr_t)&sigs[idx])->ttl = rr->ttl;
	}
}

static int build_sigs(struct zone *z, struct zone_dnssec *d)
{
	const struct node *n;
	size_t slots = 0, pos = 0, i = 0;

	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n))
		if (rrset_index(n, DNS_TYPE_RRSIG) >= 0)
			slots += n->rrset_count;
	d->node_sec = calloc(z->node_count ? z->node_count : 1, sizeof(*d->node_sec));
	d->sig_sets = calloc(slots ? slots : 1, sizeof(*d->sig_sets));
	if (d->node_sec == NULL || d->sig_sets == NULL)
		return -ENOMEM;
	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n), i++) {
		int idx = rrset_index(n, DNS_TYPE_RRSIG);

		((struct node *)(uintptr_t)n)->sec = (uint32_t)(i + 1);
		if (idx < 0)
			continue;
		d->node_sec[i].sigs = &d->sig_sets[pos];
		slice_sigs(&d->sig_sets[pos], n, &n->rrsets[idx]);
		pos += n->rrset_count;
	}
	return 0;
}

static int nsec_owner_cmp(const void *pa, const void *pb)
{
	const struct node *a = *(const struct node *const *)pa, *b = *(const struct node *const *)pb;

	return dnssec_canonical_cmp(a->name, a->name_len, b->name, b->name_len);
}

static int build_nsec(const struct zone *z, struct zone_dnssec *d)
{
	const struct node *n;
	size_t count = 0;

	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n))
		if (!(n->flags & NODE_BELOW_CUT) && node_find_rrset(n, DNS_TYPE_NSEC) != NULL)
			count++;
	if (count == 0)
		return 0;
	d->nsec = malloc(count * sizeof(*d->nsec));
	if (d->nsec == NULL)
		return -ENOMEM;
	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n))
		if (!(n->flags & NODE_BELOW_CUT) && node_find_rrset(n, DNS_TYPE_NSEC) != NULL)
			d->nsec[d->nsec_count++] = n;
	qsort(d->nsec, d->nsec_count, sizeof(*d->nsec), nsec_owner_cmp);
	return 0;
}

/* A hashed owner: one label of base32hex right under the apex, holding NSEC3 records
 * and their RRSIGs only. Flagged, lookups treat it as a name that does not exist. */
static bool mark_nsec3_owner(const struct zone *z, struct node *n)
{
	bool has = false;
	unsigned i;

	if (n->name_len != n->name[0] + 1u + z->origin_len)
		return false;
	for (i = 0; i < n->rrset_count; i++) {
		if (n->rrsets[i].type == DNS_TYPE_NSEC3)
			has = true;
		else if (n->rrsets[i].type != DNS_TYPE_RRSIG)
			return false;
	}
	if (has)
		n->flags |= NODE_NSEC3;
	return has;
}

static int nsec3_entry_cmp(const void *pa, const void *pb)
{
	const struct nsec3_entry *a = pa, *b = pb;

	return memcmp(a->hash, b->hash, NSEC3_HASH_SIZE);
}

/* Adds n's NSEC3 to the chain when one of its records has the chain's parameters. */
static void add_chain_entry(struct zone_dnssec *d, const struct node *n, bool have_params)
{
	const struct rrset *s = node_find_rrset(n, DNS_TYPE_NSEC3);
	const uint8_t *rr = s->data;
	bool in_chain = false;
	unsigned i;

	for (i = 0; i < s->count; i++, rr += RR_HEADER_SIZE + dns_read16(rr)) {
		struct nsec3_params p;
		uint8_t flags;

		if (have_params && nsec3_params_read(&p, &flags, rr + RR_HEADER_SIZE, dns_read16(rr)) &&
		    nsec3_params_equal(&p, &d->nsec3_params) && !in_chain) {
			in_chain = true;
			if (flags & 1)  /* opt-out, RFC 5155 section 3.1.2.1 */
				d->opt_out++;
		} else {
			d->unsigned_nsec3++;
		}
	}
	if (in_chain && nsec3_label_decode(d->nsec3[d->nsec3_count].hash, n->name + 1, n->name[0]))
		d->nsec3[d->nsec3_count++].node = n;
}

static int build_nsec3(struct zone *z, struct zone_dnssec *d)
{
	const struct rrset *param = z->apex != NULL ? node_find_rrset(z->apex, DNS_TYPE_NSEC3PARAM) : NULL;
	bool have_params = false;
	struct node *n;
	size_t owners = 0, i = 0;
	uint8_t flags;

	if (param != NULL && nsec3_params_read(&d->nsec3_params, &flags, param->data + RR_HEADER_SIZE,
					       dns_read16(param->data)))
		/* Flags must be zero in an NSEC3PARAM a server uses (RFC 5155 section 4.1.2). */
		have_params = d->nsec3_params.alg == NSEC3_HASH_SHA1 && flags == 0;
	for (n = (struct node *)zone_next_node(z, NULL); n != NULL;
	     n = (struct node *)zone_next_node(z, n))
		if (mark_nsec3_owner(z, n))
			owners++;
	if (owners == 0)
		return 0;
	d->nsec3 = malloc(owners * sizeof(*d->nsec3));
	if (d->nsec3 == NULL)
		return -ENOMEM;
	for (n = (struct node *)zone_next_node(z, NULL); n != NULL;
	     n = (struct node *)zone_next_node(z, n))
		if (n->flags & NODE_NSEC3)
			add_chain_entry(d, n, have_params);
	qsort(d->nsec3, d->nsec3_count, sizeof(*d->nsec3), nsec3_entry_cmp);
	if (d->nsec3_count == 0)
		return 0;
	/* Every name of the zone that a proof may match: hashed once, here. */
	for (n = (struct node *)zone_next_node(z, NULL); n != NULL;
	     n = (struct node *)zone_next_node(z, n), i++) {
		uint8_t hash[NSEC3_HASH_SIZE];
		const struct node *owner;
		bool match;

		if (n->flags & (NODE_NSEC3 | NODE_BELOW_CUT))
			continue;
		nsec3_hash(hash, &d->nsec3_params, n->name, n->name_len);
		owner = dnssec_nsec3_by_hash(d, hash, &match);
		if (match)
			d->node_sec[i].nsec3 = owner;
	}
	return 0;
}

int dnssec_build(struct zone *z, const struct zone_staged_rr *rrs, size_t count)
{
	struct zone_dnssec *d;
	const struct node *n;
	bool any = false;
	int rc;

	for (n = zone_next_node(z, NULL); n != NULL && !any; n = zone_next_node(z, n))
		any = node_is_signed_data(n);
	if (!any)
		return 0;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	z->dnssec = d;
	rc = build_sigs(z, d);
	if (rc == 0) {
		slice_ttls(z, rrs, count);
		rc = build_nsec(z, d);
	}
	if (rc == 0)
		rc = build_nsec3(z, d);
	if (rc != 0) {
		/* zone_build() drops the nodes that point here. */
		dnssec_free(d);
		z->dnssec = NULL;
		return rc;
	}
	if (d->nsec3_count > 0)
		d->denial = DENIAL_NSEC3;
	else if (d->nsec_count > 0)
		d->denial = DENIAL_NSEC;
	return 0;
}

void dnssec_free(struct zone_dnssec *d)
{
	if (d == NULL)
		return;
	free(d->node_sec);
	free(d->sig_sets);
	free(d->nsec);
	free(d->nsec3);
	free(d);
}
