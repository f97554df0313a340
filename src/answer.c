/* SPDX-License-Identifier: BSD-3-Clause */
/* answer.c: authoritative answers from the zone db (RFC 1034 section 4.3.2, RFC 2308,
 * RFC 4592, RFC 6672, RFC 8482, RFC 9471), with their RRSIGs and denial proofs when the
 * query has DO and the zone is signed (RFC 4035 section 3.1, RFC 5155 section 7.2,
 * proofs chosen in denial.c). Reads the db and writes through encode.c; no allocation. */
#include "config.h"

#include <string.h>

#include "answer.h"
#include "denial.h"
#include "dnssec.h"
#include "prebuilt.h"
#include "wire.h"

/* Where the name to find additional addresses for starts in the RDATA: MX after its
 * PREFERENCE (RFC 1035 section 3.3.9), SRV after priority, weight and port (RFC 2782). */
#define MX_EXCHANGE_OFF 2
#define SRV_TARGET_OFF 6

/* The name of errors outside every zone. */
static const uint8_t root_name[] = { 0 };

/* The label that owns a wildcard (RFC 4592 section 2.1.1), as a wire-form prefix. */
static const uint8_t wildcard_label[] = { 1, '*' };

/* A name being answered: the owner to write (as received, as found in RDATA, or as
 * synthesized from a DNAME) and its lowercased form with label offsets for lookups.
 * Lives on the stack. */
struct qname {
	const uint8_t *owner;
	uint8_t len;
	uint8_t labels;
	const uint8_t *lname;
	const uint8_t *label_off;
	const struct db_hint *hint; /* its suffixes' hashes, for the question only, or NULL */
};

/* Where a name lands in a zone. */
struct lookup {
	const struct node *node;      /* the node that answers: exact match or wildcard */
	const struct node *cut;       /* a delegation point at or above the name */
	const struct node *dname;     /* the owner of a DNAME above the name: it redirects it */
	const struct node *encloser;  /* closest encloser when there is no exact match */
	bool wildcard;
};

/* The walk stops at the first delegation point on the way down (a referral, RFC 1034
 * section 4.3.2 step 3b), at the first DNAME owner above the name (RFC 6672 section 3.2
 * step 3c: nothing below it is looked at, section 2.4) and at the first missing name
 * (nothing exists below it). */
static void lookup_name(struct lookup *lk, const struct zone *z, const struct qname *n,
			uint16_t qtype)
{
	size_t len = n->len;
	int i;

	memset(lk, 0, sizeof(*lk));
	lk->encloser = z->apex;
	for (i = (int)n->labels - z->origin_labels - 1; i >= 0; i--) {
		size_t off = n->label_off[i];
		const struct node *node = n->hint != NULL && i < n->hint->count
			? zone_find_node_hashed(z, n->lname + off, len - off, n->hint->hash[i])
			: zone_find_node(z, n->lname + off, len - off);

		if (node == NULL)
			break;
		if (node->flags & (NODE_CUT | NODE_DNAME | NODE_NSEC3)) {
			/* A hashed NSEC3 owner is not a name of the zone (RFC 5155 section
			 * 7.2.8). */
			if (node->flags & NODE_NSEC3)
				break;
			lk->encloser = node;
			if (node->flags & NODE_CUT) {
				/* DS lives on the parent side of the cut (RFC 4035 section
				 * 3.1.4.1). A DNAME beside the NS is occluded like any data
				 * at a cut. */
				if (i == 0 && qtype == DNS_TYPE_DS) {
					lk->node = node;
					return;
				}
				lk->cut = node;
				return;
			}
			/* The owner itself is not redirected (RFC 6672 section 2.3). */
			if (i > 0) {
				lk->dname = node;
				return;
			}
		}
		lk->encloser = node;
		if (i == 0) {
			lk->node = node;
			return;
		}
	}
	if (n->labels == z->origin_labels) {
		lk->node = z->apex;
		return;
	}
	/* The walk above does not look at the apex: a DNAME there redirects every name
	 * below it (RFC 6672 section 2.3: beside the SOA and NS). */
	if (lk->encloser->flags & NODE_DNAME) {
		lk->dname = lk->encloser;
		return;
	}
	/* The name does not exist: a wildcard child of the closest encloser may synthesize
	 * it (RFC 4592 section 3.3.1). Existing names, empty non-terminals included, block. */
	{
		uint8_t wild[DNS_MAX_NAME];
		const struct node *w;
		size_t elen = lk->encloser->name_len;

		if (!(lk->encloser->flags & NODE_WILDCARD_PARENT) ||
		    elen + sizeof(wildcard_label) > DNS_MAX_NAME)
			return;
		memcpy(wild, wildcard_label, sizeof(wildcard_label));
		memcpy(wild + sizeof(wildcard_label), lk->encloser->name, elen);
		w = zone_find_node(z, wild, elen + sizeof(wildcard_label));
		if (w != NULL) {
			lk->node = w;
			lk->wildcard = true;
		}
	}
}

static bool name_in_zone(const struct zone *z, const uint8_t *lname, size_t len)
{
	return dns_name_at_or_below(lname, len, z->origin, z->origin_len);
}

/* Fills q from a wire name found in RDATA, using the caller's buffers. */
static void qname_from_rdata(struct qname *q, const uint8_t *name, uint8_t *lname,
			     uint8_t *label_off)
{
	size_t len = wire_name_len(name), off = 0;
	unsigned labels = 0;

	wire_name_tolower(lname, name, len);
	while (lname[off] != 0) {
		label_off[labels++] = (uint8_t)off;
		off += lname[off] + 1u;
	}
	label_off[labels] = (uint8_t)off;
	q->owner = name;
	q->len = (uint8_t)len;
	q->labels = (uint8_t)labels;
	q->lname = lname;
	q->label_off = label_off;
	q->hint = NULL;
}

/* One answer being written: where, from which zone, and what is owed after the answer
 * section (the SOA of a negative answer, denial proofs, additional addresses). */
struct answer_ctx {
	struct answer_result *res;
	struct encoder *e;
	const struct zone *z;
	/* DO set and the zone signed: each RRset goes with its RRSIGs, and negative and
	 * wildcard answers with their proofs (RFC 4035 section 3.1). */
	bool dnssec;
	bool negative;                 /* the SOA is owed in the authority section */
	const struct rrset *extra;     /* the RRset whose names get addresses, or NULL */
	struct denial denial;
	/* prebuilt.c building: gets the nodes the answer looked at. NULL when answering a
	 * query. (No prebuilt answer is copied while they are built: prebuilt_build() sets
	 * the nodes' pre only once all are written.) */
	struct answer_trace *trace;
};

/* The RRSIGs of the RRset s of node n, just written with owner, when the answer is
 * signed; see put_rrset(). Kept out of line: unsigned answers never call it. */
static __attribute__((noinline)) bool put_sigs(struct answer_ctx *c, enum encode_section section,
					       const uint8_t *owner, size_t owner_len,
					       const struct node *n, const struct rrset *s,
					       uint32_t ttl, bool required)
{
	const struct rrset *sigs = dnssec_sigs(c->z, n, s);

	if (sigs == NULL ||
	    encode_rrset(c->e, section, owner, owner_len, sigs, sigs->ttl < ttl ? sigs->ttl : ttl) == 0)
		return true;
	if (required)
		c->res->tc = true;
	return false;
}

/* Writes the RRset s of node n with owner (a wire name), then its RRSIGs when the
 * answer is signed. A required RRset, or its RRSIGs (RFC 4035 section 3.1.1), that do
 * not fit set tc; an optional one is left out. The RRSIGs' TTL is capped at ttl, as the
 * negative TTL caps the SOA's. Returns false when something did not fit. */
static inline bool put_rrset(struct answer_ctx *c, enum encode_section section,
			     const uint8_t *owner, size_t owner_len, const struct node *n,
			     const struct rrset *s, uint32_t ttl, bool required)
{
	if (encode_rrset(c->e, section, owner, owner_len, s, ttl) != 0) {
		if (required)
			c->res->tc = true;
		return false;
	}
	return !c->dnssec || put_sigs(c, section, owner, owner_len, n, s, ttl, required);
}

/* A QTYPE=RRSIG answer: the node's whole RRSIG RRset, each record with its own TTL
 * (dnssec_record_ttl()), all or nothing like any RRset. Returns false when it did not fit. */
static bool put_rrsig_set(struct answer_ctx *c, const uint8_t *owner, size_t owner_len,
			  const struct node *n, const struct rrset *s)
{
	struct encoder *e = c->e;
	size_t mark_len = e->len;
	uint16_t mark_comp = e->comp_count, mark_count = e->count[SECTION_ANSWER];
	const uint8_t *rec = s->data;
	unsigned i;

	for (i = 0; i < s->count; i++, rec += RR_HEADER_SIZE + dns_read16(rec)) {
		struct encode_rr rr = {
			.owner = owner, .owner_len = owner_len, .type = DNS_TYPE_RRSIG,
			.rclass = s->rclass, .ttl = dnssec_record_ttl(c->z, n, s, rec),
			.rdlen = dns_read16(rec), .name_off = { dns_read16(rec + 2), dns_read16(rec + 4) },
			.rdata = rec + RR_HEADER_SIZE,
		};

		if (encode_rr(e, SECTION_ANSWER, &rr) != 0) {
			e->len = mark_len;
			e->comp_count = mark_comp;
			e->count[SECTION_ANSWER] = mark_count;
			c->res->tc = true;
			return false;
		}
	}
	return true;
}

/* The SOA of a negative answer is required: without it the answer is not cacheable
 * (RFC 2308 section 3); its TTL is the negative TTL. */
static void add_negative_soa(struct answer_ctx *c)
{
	put_rrset(c, SECTION_AUTHORITY, c->z->origin, c->z->origin_len, c->z->apex, c->z->soa,
		  c->z->neg_ttl, true);
}

/* The NSEC or NSEC3 records the answer's proofs chose (denial.h), each with its
 * RRSIGs: required as the answer itself (RFC 4035 section 3.1.1). */
static void add_denial(struct answer_ctx *c)
{
	uint16_t type = c->z->dnssec->denial == DENIAL_NSEC3 ? DNS_TYPE_NSEC3 : DNS_TYPE_NSEC;
	unsigned i;

	for (i = 0; i < c->denial.count && !c->res->tc; i++) {
		const struct node *n = c->denial.owner[i];
		const struct rrset *s = node_find_rrset(n, type);

		if (s != NULL)
			put_rrset(c, SECTION_AUTHORITY, n->name, n->name_len, n, s, s->ttl, true);
	}
}

/* The address records of a name in this zone, in the additional section. Data below a
 * delegation point is glue: only a referral may hand it out. */
static void add_addresses(struct answer_ctx *c, const uint8_t *name, bool referral, bool required)
{
	const struct zone *z = c->z;
	uint8_t lname[DNS_MAX_NAME];
	size_t len = wire_name_len(name);
	const struct node *n;
	static const uint16_t types[] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	unsigned i;

	wire_name_tolower(lname, name, len);
	if (!name_in_zone(z, lname, len))
		return;
	n = zone_find_node(z, lname, len);
	if (n == NULL || ((n->flags & NODE_BELOW_CUT) && !referral))
		return;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct rrset *s = node_find_rrset(n, types[i]);

		const struct rrset *sigs;

		if (s == NULL)
			continue;
		if (encode_rrset(c->e, SECTION_ADDITIONAL, name, len, s, s->ttl) != 0) {
			if (required)
				c->res->tc = true;
			continue;
		}
		/* Glue has none; the RRSIGs of other additional data are optional (RFC 4035
		 * section 3.1.1). */
		if (c->dnssec && (sigs = dnssec_sigs(z, n, s)) != NULL)
			encode_rrset(c->e, SECTION_ADDITIONAL, name, len, sigs, sigs->ttl);
	}
}

/* Referral (RFC 1034 section 4.3.2 step 3b): NS of the cut in authority, AA clear;
 * when signed, the DS with its RRSIGs or the proof that there is none (RFC 4035 section
 * 3.1.4). Glue for name servers inside the delegated zone is required, sibling glue is
 * not (RFC 9471 section 3). */
static void add_referral(struct answer_ctx *c, const struct node *cut)
{
	const struct rrset *ns = node_find_rrset(cut, DNS_TYPE_NS);
	const uint8_t *rr;
	unsigned i, pass;

	c->res->aa = false;
	if (encode_rrset(c->e, SECTION_AUTHORITY, cut->name, cut->name_len, ns, ns->ttl) != 0) {
		c->res->tc = true;
		return;
	}
	if (c->dnssec) {
		const struct rrset *ds = node_find_rrset(cut, DNS_TYPE_DS);

		if (ds != NULL)
			put_rrset(c, SECTION_AUTHORITY, cut->name, cut->name_len, cut, ds, ds->ttl, true);
		else
			denial_no_ds(&c->denial, c->z, cut);
		add_denial(c);
	}
	/* In-domain glue first so that optional sibling glue never crowds it out. */
	for (pass = 0; pass < 2 && !c->res->tc; pass++) {
		for (i = 0, rr = ns->data; i < ns->count; i++, rr += RR_HEADER_SIZE + dns_read16(rr)) {
			const uint8_t *target = rr + RR_HEADER_SIZE;
			uint8_t lname[DNS_MAX_NAME];
			size_t len = wire_name_len(target);
			bool in_domain;

			wire_name_tolower(lname, target, len);
			in_domain = dns_name_at_or_below(lname, len, cut->name, cut->name_len);
			if (in_domain == (pass == 0))
				add_addresses(c, target, true, in_domain);
			if (c->res->tc)
				return;
		}
	}
}

/* Optional additional data for the names an answer points to (RFC 1035 section 3.3). */
static void add_additional(struct answer_ctx *c, const struct rrset *s)
{
	size_t name_pos;
	const uint8_t *rr;
	unsigned i;

	switch (s->type) {
	case DNS_TYPE_NS:
		name_pos = 0;
		break;
	case DNS_TYPE_MX:
		name_pos = MX_EXCHANGE_OFF;
		break;
	case DNS_TYPE_SRV:
		name_pos = SRV_TARGET_OFF;
		break;
	default:
		return;
	}
	for (i = 0, rr = s->data; i < s->count; i++, rr += RR_HEADER_SIZE + dns_read16(rr))
		if (dns_read16(rr) > name_pos)
			add_addresses(c, rr + RR_HEADER_SIZE + name_pos, false, false);
}

/* The steps of one answer's chain of CNAMEs and DNAMEs, to stop it when it loops. */
struct chain {
	const struct node *seen[ANSWER_MAX_CNAME];  /* the CNAME or DNAME owner of each step */
	/* For a DNAME step: the name it redirected, lowercased. */
	uint8_t redirected[ANSWER_MAX_CNAME][DNS_MAX_NAME];
	uint8_t redirected_len[ANSWER_MAX_CNAME];
};

/* A CNAME synthesized from a DNAME, as a one-record RRset in zone.h's layout so that
 * encode_rrset() writes it; its RDATA, the new name, may be compressed. */
struct synth_cname {
	uint8_t data[RR_HEADER_SIZE + DNS_MAX_NAME];
	struct rrset set;
};

/* True when the DNAME at d redirects to its own owner or below: applied again, it only
 * makes the name longer. */
static bool dname_loops(const struct node *d, const struct rrset *s)
{
	uint8_t target[DNS_MAX_NAME];
	size_t len = dns_read16(s->data);

	wire_name_tolower(target, s->data + RR_HEADER_SIZE, len);
	return dns_name_at_or_below(target, len, d->name, d->name_len);
}

/* The DNAME step (RFC 6672 section 3.2 step 3c): n is below the owner of the DNAME at
 * d. Writes the DNAME RRset, with the owner as n spells it, then the CNAME synthesized
 * from it (section 3.1): owner n, the DNAME's TTL, RDATA n with the owner's labels
 * replaced by the DNAME's target; the labels kept are lowercased, as NSD and Knot write
 * them (tests/conformance.md, "Answers"). A DNAME that an earlier step of this answer
 * wrote is not written again; when the same name comes back to it the chain loops, and a
 * DNAME that points into its own subtree met again would only grow the name: the answer
 * ends there. A new name longer than 255 bytes makes the answer YXDOMAIN after the DNAME
 * (section 2.2); a required RRset that does not fit sets tc. Returns the new name (in
 * out) for the answer to go on with, or NULL when the answer ends.
 *
 * The DNAME goes with its RRSIGs when the answer is signed; the synthesized CNAME has
 * none (RFC 6672 section 5.3.1). Not inlined: inside answer_node() its buffers'
 * addresses would be worked out at the start of every answer, DNAME or not. */
__attribute__((noinline))
static const uint8_t *answer_dname(struct answer_ctx *ac, struct chain *c, unsigned depth,
				   const struct qname *n, const struct node *d,
				   struct synth_cname *out)
{
	const struct rrset *s = node_find_rrset(d, DNS_TYPE_DNAME), *sigs;
	size_t target_len = dns_read16(s->data);
	size_t prefix = (size_t)n->len - d->name_len; /* n's labels above the owner */
	bool again = false;
	unsigned i;

	for (i = 0; i < depth; i++) {
		if (c->seen[i] != d)
			continue;
		if (dns_name_equal(c->redirected[i], c->redirected_len[i], n->lname, n->len))
			return NULL;
		again = true;
	}
	if (again && dname_loops(d, s))
		return NULL;
	if (!again) {
		if (encode_dname(ac->e, SECTION_ANSWER, n->owner + prefix, d->name_len, s, s->ttl) != 0 ||
		    (ac->dnssec && (sigs = dnssec_sigs(ac->z, d, s)) != NULL &&
		     encode_rrset(ac->e, SECTION_ANSWER, n->owner + prefix, d->name_len, sigs,
				  sigs->ttl) != 0)) {
			ac->res->tc = true;
			return NULL;
		}
	}
	c->seen[depth] = d;
	memcpy(c->redirected[depth], n->lname, n->len);
	c->redirected_len[depth] = n->len;
	if (prefix + target_len > DNS_MAX_NAME) {
		ac->res->rcode = RCODE_YXDOMAIN;
		return NULL;
	}
	dns_write16(out->data, (unsigned)(prefix + target_len));
	dns_write16(out->data + 2, 0);            /* the name starts the RDATA */
	dns_write16(out->data + 4, RR_NAME_NONE);
	memcpy(out->data + RR_HEADER_SIZE, n->lname, prefix);
	memcpy(out->data + RR_HEADER_SIZE + prefix, s->data + RR_HEADER_SIZE, target_len);
	out->set = (struct rrset){
		.type = DNS_TYPE_CNAME, .count = 1, .ttl = s->ttl, .rclass = DNS_CLASS_IN,
		.data_len = (uint32_t)(RR_HEADER_SIZE + prefix + target_len), .data = out->data,
	};
	if (encode_rrset(ac->e, SECTION_ANSWER, n->owner, n->len, &out->set, out->set.ttl) != 0) {
		ac->res->tc = true;
		return NULL;
	}
	return out->data + RR_HEADER_SIZE;
}

/* True for the types that only a signed answer carries beside the data (RFC 3225
 * section 3): without DO, they appear only when asked for by type. */
static bool dnssec_type(uint16_t t)
{
	return t == DNS_TYPE_RRSIG || t == DNS_TYPE_NSEC || t == DNS_TYPE_NSEC3;
}

/* The RRset an ANY query gets: one is enough (RFC 8482 section 4.2), the first in type
 * order that is data of the name rather than its DNSSEC records. NULL when none. */
static const struct rrset *any_rrset(const struct node *n)
{
	unsigned i;

	for (i = 0; i < n->rrset_count; i++)
		if (!dnssec_type(n->rrsets[i].type))
			return &n->rrsets[i];
	return NULL;
}

/* Answers qtype at the node the lookup found for n (RFC 1034 section 4.3.2 step 3a):
 * the RRset, NODATA, NXDOMAIN, or the node's CNAME, with the proofs a signed answer
 * owes for a missing name or type and for a wildcard (denial.h). Returns the CNAME's
 * target for the answer to go on with, or NULL when the answer ends here. */
static const uint8_t *answer_found(struct answer_ctx *ac, struct chain *c, unsigned depth,
				   const struct qname *n, const struct lookup *lk, uint16_t qtype)
{
	struct answer_result *res = ac->res;
	const struct zone *z = ac->z;
	const struct rrset *s;
	unsigned i;

	if (lk->node == NULL) {
		res->rcode = RCODE_NXDOMAIN; /* also at the end of a chain, RFC 6604 */
		res->kind = ANSWER_NXDOMAIN;
		res->name = z->origin;
		res->name_len = z->origin_len;
		ac->negative = true;
		if (ac->dnssec)
			denial_nxdomain(&ac->denial, z, n->lname, n->len, lk->encloser);
		return NULL;
	}
	if (ac->trace != NULL && ac->trace->count < ANSWER_MAX_CNAME)
		ac->trace->node[ac->trace->count++] = lk->node;
	s = qtype == DNS_TYPE_ANY ? any_rrset(lk->node) : node_find_rrset(lk->node, qtype);
	if (s != NULL && s->type == DNS_TYPE_RRSIG && z->dnssec != NULL) {
		put_rrsig_set(ac, n->owner, n->len, lk->node, s);
		return NULL;
	}
	if (s != NULL) {
		if (put_rrset(ac, SECTION_ANSWER, n->owner, n->len, lk->node, s, s->ttl, true))
			ac->extra = s;
		if (lk->wildcard && ac->dnssec)
			denial_wildcard(&ac->denial, z, n->lname, n->len, lk->encloser);
		return NULL;
	}
	s = node_find_rrset(lk->node, DNS_TYPE_CNAME);
	if (s == NULL) {
		if (depth == 0 && !lk->wildcard) {
			res->kind = ANSWER_NODATA;
			res->name = z->origin;
			res->name_len = z->origin_len;
		}
		ac->negative = true; /* NODATA, RFC 2308 section 2.2 */
		if (ac->dnssec && lk->wildcard)
			denial_wildcard_nodata(&ac->denial, z, n->lname, n->len, lk->encloser, lk->node);
		else if (ac->dnssec)
			denial_nodata(&ac->denial, z, lk->node);
		return NULL;
	}
	/* A CNAME already answered: the chain loops; stop before repeating it. */
	for (i = 0; i < depth; i++)
		if (c->seen[i] == lk->node)
			return NULL;
	if (!put_rrset(ac, SECTION_ANSWER, n->owner, n->len, lk->node, s, s->ttl, true))
		return NULL;
	if (lk->wildcard && ac->dnssec)
		denial_wildcard(&ac->denial, z, n->lname, n->len, lk->encloser);
	c->seen[depth] = lk->node;
	return s->data + RR_HEADER_SIZE;
}

/* After the answer section: the SOA of a negative answer, the proofs, then additional
 * addresses, in the order the sections go on the wire. */
static void answer_finish(struct answer_ctx *ac)
{
	if (ac->res->tc)
		return;
	if (ac->negative)
		add_negative_soa(ac);
	if (ac->dnssec && !ac->res->tc)
		add_denial(ac);
	if (ac->extra != NULL && !ac->res->tc)
		add_additional(ac, ac->extra);
}

/* Appends the prebuilt answer p (its bytes, len of them) and takes its header fields:
 * the RCODE, AA (all but a referral), and the kind's name for an answer of the zone's
 * apex (NODATA, NXDOMAIN); answer_node() has set the others. Returns where the bytes went. */
static uint8_t *put_prebuilt(struct answer_ctx *ac, const struct prebuilt *p, const uint8_t *bytes)
{
	struct encoder *e = ac->e;
	uint8_t *out = e->buf + e->len;
	unsigned i;

	memcpy(out, bytes, p->len);
	e->len += p->len;
	for (i = 0; i < ENCODE_SECTIONS; i++)
		e->count[i] = (uint16_t)(e->count[i] + p->count[i]);
	ac->res->rcode = p->rcode;
	ac->res->aa = p->kind != ANSWER_REFERRAL;
	if (p->kind == ANSWER_NODATA || p->kind == ANSWER_NXDOMAIN) {
		ac->res->kind = p->kind;
		ac->res->name = ac->z->origin;
		ac->res->name_len = ac->z->origin_len;
	}
	return out;
}

/* The whole answer to qtype at node n, the qname's exact match, copied from what
 * prebuilt.c wrote for it at load when it fits (prebuilt.h says why the bytes are the
 * same). Returns false when there is none or it does not fit: the answer is written as
 * usual, and sets tc or leaves out what is optional as usual. */
static inline bool answer_prebuilt(struct answer_ctx *ac, const struct node *n, uint16_t qtype)
{
	const struct prebuilt *p = prebuilt_find(n->pre, qtype, ac->dnssec);

	if (p == NULL || ac->e->len + p->len > ac->e->limit)
		return false;
	put_prebuilt(ac, p, prebuilt_data(ac->z, p));
	return true;
}

/* The referral, NXDOMAIN or wildcard answer p (prebuilt.h: struct prebuilt_anchor) for
 * the qname n, copied with its pointers moved after n, when it fits and n offers no
 * compression target the built qname did not. Returns false when p is NULL or it cannot
 * be copied: the answer is written as usual. */
static bool answer_anchored(struct answer_ctx *ac, const struct qname *n, const struct prebuilt *p)
{
	const struct prebuilt_anchor *a;
	const uint16_t *ptrs;
	uint8_t *out;
	unsigned i;
	int delta;

	if (p == NULL || ac->e->len + p->len > ac->e->limit)
		return false;
	a = prebuilt_anchor(ac->z, p);
	if (n->labels < a->built_labels ||
	    a->comp_used + (n->labels - a->built_labels) > ENCODE_COMP_MAX ||
	    (n->labels > a->anchor_labels &&
	     prebuilt_anchor_has_label(a, n->lname + n->label_off[n->labels - a->anchor_labels - 1])))
		return false;
	out = put_prebuilt(ac, p, prebuilt_anchor_answer(a));
	delta = (int)n->len - a->built_len;
	ptrs = prebuilt_anchor_ptrs(a);
	for (i = 0; delta != 0 && i < a->ptr_count; i++)
		dns_write16(out + ptrs[i], (unsigned)((int)dns_read16(out + ptrs[i]) + delta));
	return true;
}

/* Answers qtype for n; follows CNAMEs, and DNAMEs through the CNAMEs they synthesize,
 * inside the zone. */
static void answer_node(struct answer_ctx *ac, const struct qname *n, uint16_t qtype)
{
	struct answer_result *res = ac->res;
	const struct zone *z = ac->z;
	struct chain chain;
	/* Two, used in turn: a DNAME step reads the name the step before synthesized. */
	struct synth_cname synth[2];
	uint8_t lname[DNS_MAX_NAME], label_off[DNS_MAX_LABELS];
	struct qname target;
	struct lookup lk;
	unsigned depth;

	for (depth = 0;; depth++) {
		const uint8_t *next;

		lookup_name(&lk, z, n, qtype);
		if (lk.cut != NULL) {
			/* The first name is delegated: a referral. A CNAME target that is
			 * delegated ends the chain; the resolver follows it. */
			if (depth == 0) {
				res->kind = ANSWER_REFERRAL;
				res->name = lk.cut->name;
				res->name_len = lk.cut->name_len;
				if (lk.cut->pre == NULL ||
				    !answer_anchored(ac, n, prebuilt_find_anchored(lk.cut->pre, ac->dnssec)))
					add_referral(ac, lk.cut);
				return;
			}
			break;
		}
		if (depth == 0) {
			res->node = lk.dname != NULL ? lk.dname : lk.node;
			if (lk.node != NULL && lk.node->pre != NULL && !lk.wildcard &&
			    lk.dname == NULL && answer_prebuilt(ac, lk.node, qtype))
				return;
			/* A name that does not exist, and no proof owed for it. */
			if (lk.node == NULL && lk.dname == NULL && !ac->dnssec && z->apex->pre != NULL &&
			    answer_anchored(ac, n, prebuilt_find_anchored(z->apex->pre, false)))
				return;
			if (lk.wildcard) {
				res->kind = ANSWER_WILDCARD;
				res->name = lk.node->name;
				res->name_len = lk.node->name_len;
				/* What the wildcard synthesizes, when no proof is owed. */
				if (lk.dname == NULL && !ac->dnssec && lk.node->pre != NULL &&
				    answer_anchored(ac, n, prebuilt_find_wildcard(lk.node->pre, qtype)))
					return;
			}
		}
		if (lk.dname != NULL)
			next = answer_dname(ac, &chain, depth, n, lk.dname, &synth[depth & 1]);
		else
			next = answer_found(ac, &chain, depth, n, &lk, qtype);
		/* Follow the chain while it stays in the zone, and only so far. A CNAME query
		 * is answered by a synthesized CNAME as by a CNAME of the zone: not followed. */
		if (next == NULL || qtype == DNS_TYPE_CNAME || depth + 1 >= ANSWER_MAX_CNAME)
			break;
		qname_from_rdata(&target, next, lname, label_off);
		if (!name_in_zone(z, target.lname, target.len))
			break;
		n = &target;
	}
	answer_finish(ac);
}

/* Answers qtype for n from z (NULL: not ours), as answer_query() says; trace as in
 * struct answer_ctx. */
static void answer_zone(struct answer_result *res, struct encoder *e, const struct zone *z,
			const struct qname *n, uint16_t qtype, bool do_bit,
			struct answer_trace *trace)
{
	struct answer_ctx ac;

	res->rcode = RCODE_NOERROR;
	res->aa = false;
	res->tc = false;
	res->ede = -1;
	res->name_in_db = false;
	res->node = NULL;
	if (z == NULL) {
		res->rcode = RCODE_REFUSED; /* not authoritative for it: no AA */
		res->kind = ANSWER_ERROR;
		res->name = root_name;
		res->name_len = sizeof(root_name);
		return;
	}
	res->name_in_db = true; /* from here on every name is the zone's */
	if (!z->ok) {
		res->rcode = RCODE_SERVFAIL;
		res->ede = EDE_NOT_READY;
		res->kind = ANSWER_ERROR;
		res->name = z->origin;
		res->name_len = z->origin_len;
		return;
	}
	res->aa = true;
	res->kind = ANSWER_POSITIVE;
	ac.res = res;
	ac.e = e;
	ac.z = z;
	ac.dnssec = do_bit && z->dnssec != NULL;
	ac.negative = false;
	ac.extra = NULL;
	ac.denial.count = 0;
	ac.trace = trace;
	answer_node(&ac, n, qtype);
	if (res->rcode == RCODE_YXDOMAIN) {
		res->kind = ANSWER_ERROR; /* a DNAME made the name too long */
		res->name = z->origin;
		res->name_len = z->origin_len;
	}
}

void answer_query(struct answer_result *res, struct encoder *e, const struct db *db,
		  const struct wire_query *q, const struct db_hint *hint)
{
	bool hinted = hint != NULL && hint->zone != NULL;
	const struct zone *z = hinted ? hint->zone
				      : db_find_zone(db, q->lname, q->label_off, q->label_count);
	struct qname n = {
		.owner = q->qname, .len = q->qname_len, .labels = q->label_count,
		.lname = q->lname, .label_off = q->label_off, .hint = hinted ? hint : NULL,
	};

	/* The DS of a zone's apex is the parent's data: when the parent is ours too, it
	 * answers (RFC 4035 section 3.1.4.1). */
	if (q->qtype == DNS_TYPE_DS && z != NULL && q->label_count == z->origin_labels &&
	    q->label_count > 0) {
		const struct zone *parent = db_find_zone_above(db, q->lname, q->label_off,
								q->label_count, 1);

		if (parent != NULL) {
			z = parent;
			n.hint = NULL;
		}
	}
	answer_zone(res, e, z, &n, q->qtype, q->edns.do_bit, NULL);
}

void answer_build(struct answer_result *res, struct encoder *e, const struct zone *z,
		  const uint8_t *qname, uint16_t qtype, bool do_bit, struct answer_trace *trace)
{
	uint8_t lname[DNS_MAX_NAME], label_off[DNS_MAX_LABELS];
	struct qname n;

	qname_from_rdata(&n, qname, lname, label_off);
	trace->count = 0;
	answer_zone(res, e, z, &n, qtype, do_bit, trace);
}
