/* SPDX-License-Identifier: BSD-3-Clause */
/* denial.c: the NSEC and NSEC3 records of negative and wildcard answers (RFC 4035
 * section 3.1.3, RFC 5155 section 7.2). A name the zone holds has its matching NSEC3
 * from load time; only names that do not exist are hashed here, one or two per proof. */
#include "config.h"

#include <string.h>

#include "denial.h"
#include "dnssec.h"
#include "wire.h"

/* The wildcard label, as a wire-form prefix. */
static const uint8_t wild_label[] = { 1, '*' };

static void add(struct denial *d, const struct node *owner)
{
	unsigned i;

	if (owner == NULL)
		return;
	for (i = 0; i < d->count; i++)
		if (d->owner[i] == owner)
			return;
	if (d->count < DENIAL_MAX)
		d->owner[d->count++] = owner;
}

static enum dnssec_denial kind(const struct zone *z)
{
	return z->dnssec != NULL ? z->dnssec->denial : DENIAL_NONE;
}

/* Writes "*." and the encloser's name into wild; returns the length, 0 when too long. */
static size_t wildcard_of(uint8_t wild[DNS_MAX_NAME], const struct node *ce)
{
	if (ce->name_len + sizeof(wild_label) > DNS_MAX_NAME)
		return 0;
	memcpy(wild, wild_label, sizeof(wild_label));
	memcpy(wild + sizeof(wild_label), ce->name, ce->name_len);
	return ce->name_len + sizeof(wild_label);
}

/* The suffix of name with one label more than the encloser (of enc_len bytes): the next
 * closer name (RFC 5155 section 1.3). Returns its offset in name. */
static size_t next_closer(const uint8_t *lname, size_t len, size_t enc_len)
{
	size_t p = 0;

	while (lname[p] != 0 && len - (p + lname[p] + 1u) > enc_len)
		p += lname[p] + 1u;
	return p;
}

static void add_nsec3_cover(struct denial *d, const struct zone *z, const uint8_t *lname, size_t len)
{
	bool match;

	add(d, dnssec_nsec3_find(z, lname, len, &match));
}

/* The closest provable encloser proof (RFC 5155 section 7.2.1) for a name whose closest
 * encloser is ce: the NSEC3 matching the nearest of ce and its ancestors that has one (an
 * empty non-terminal under opt-out may have none, section 7.1) and the NSEC3 covering
 * the next closer name. Returns that encloser. */
static const struct node *closest_provable(struct denial *d, const struct zone *z,
					   const uint8_t *lname, size_t len, const struct node *ce)
{
	const struct node *cpe = ce, *m;
	size_t nc;

	while ((m = dnssec_node_nsec3(z, cpe)) == NULL && cpe->name_len > z->origin_len) {
		const struct node *up = zone_find_node(z, cpe->name + cpe->name[0] + 1,
						       cpe->name_len - cpe->name[0] - 1u);

		if (up == NULL)
			break;
		cpe = up;
	}
	add(d, m);
	if (len > cpe->name_len) {
		nc = next_closer(lname, len, cpe->name_len);
		add_nsec3_cover(d, z, lname + nc, len - nc);
	}
	return cpe;
}

void denial_nxdomain(struct denial *d, const struct zone *z, const uint8_t *lname, size_t len,
		     const struct node *ce)
{
	uint8_t wild[DNS_MAX_NAME];
	size_t wlen;

	switch (kind(z)) {
	case DENIAL_NSEC:
		add(d, dnssec_nsec_cover(z, lname, len));
		wlen = wildcard_of(wild, ce);
		if (wlen > 0)
			add(d, dnssec_nsec_cover(z, wild, wlen));
		break;
	case DENIAL_NSEC3:
		ce = closest_provable(d, z, lname, len, ce);
		wlen = wildcard_of(wild, ce);
		if (wlen > 0)
			add_nsec3_cover(d, z, wild, wlen);
		break;
	case DENIAL_NONE:
		break;
	}
}

void denial_nodata(struct denial *d, const struct zone *z, const struct node *n)
{
	switch (kind(z)) {
	case DENIAL_NSEC:
		/* An empty non-terminal has no NSEC: the one before it covers it. */
		if (node_find_rrset(n, DNS_TYPE_NSEC) != NULL)
			add(d, n);
		else
			add(d, dnssec_nsec_cover(z, n->name, n->name_len));
		break;
	case DENIAL_NSEC3:
		/* Without a matching NSEC3 (opt-out: an insecure delegation's DS, an empty
		 * non-terminal above only such), the closest provable encloser proof. */
		if (dnssec_node_nsec3(z, n) != NULL)
			add(d, dnssec_node_nsec3(z, n));
		else
			closest_provable(d, z, n->name, n->name_len, n);
		break;
	case DENIAL_NONE:
		break;
	}
}

void denial_wildcard(struct denial *d, const struct zone *z, const uint8_t *lname, size_t len,
		     const struct node *ce)
{
	size_t nc;

	switch (kind(z)) {
	case DENIAL_NSEC:
		add(d, dnssec_nsec_cover(z, lname, len));
		break;
	case DENIAL_NSEC3:
		/* The wildcard's RRSIG labels give the closest encloser; the next closer
		 * name's cover completes the proof. */
		nc = next_closer(lname, len, ce->name_len);
		add_nsec3_cover(d, z, lname + nc, len - nc);
		break;
	case DENIAL_NONE:
		break;
	}
}

void denial_wildcard_nodata(struct denial *d, const struct zone *z, const uint8_t *lname,
			    size_t len, const struct node *ce, const struct node *w)
{
	switch (kind(z)) {
	case DENIAL_NSEC:
		add(d, dnssec_nsec_cover(z, lname, len));
		add(d, w);
		break;
	case DENIAL_NSEC3:
		closest_provable(d, z, lname, len, ce);
		add(d, dnssec_node_nsec3(z, w));
		break;
	case DENIAL_NONE:
		break;
	}
}

void denial_no_ds(struct denial *d, const struct zone *z, const struct node *cut)
{
	denial_nodata(d, z, cut);
}
