/* SPDX-License-Identifier: BSD-3-Clause */
/* prebuilt.c: each node's answers as the exact match of a qname, and the anchored ones
 * (referrals, the NXDOMAIN, what wildcards synthesize), written at load with answer.c's
 * own code (answer_build) into one block per zone; prebuilt.h says why the query path
 * may copy them. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "encode.h"
#include "prebuilt.h"
#include "wire.h"

/* Types in a set: a node's own and those of the names its chain reaches. */
#define TYPES_MAX (ANSWER_MAX_CNAME * 16)

#define SET_ALIGN(x) (((x) + 7u) & ~(size_t)7u)

/* Shared answers already in the block, by their bytes' hash: one copy of each. */
struct kept {
	uint32_t off;   /* 0: an empty slot */
	uint16_t len;
};

/* The block being written: sets and answers' bytes, each set at an 8-byte boundary. */
struct block {
	uint8_t *data;
	size_t len, cap;
	struct kept *kept;
	size_t kept_mask, kept_count;
	uint8_t msg[DNS_MSG_MAX];   /* one response being written */
	uint16_t ptrs[DNS_MSG_MAX / 2]; /* its compression pointers (encoder's ptr_log) */
	uint8_t other[2][PREBUILT_MAX_LEN]; /* a node's PREBUILT_OTHER answers, without and with DO */
};

/* FNV-1a: the answers are ours, not an attacker's. */
static uint32_t bytes_hash(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int kept_grow(struct block *b)
{
	size_t size = b->kept_mask > 0 ? (b->kept_mask + 1) * 2 : 1024, i, j;
	struct kept *t = calloc(size, sizeof(*t));

	if (t == NULL)
		return -ENOMEM;
	for (i = 0; b->kept_mask > 0 && i <= b->kept_mask; i++) {
		if (b->kept[i].off == 0)
			continue;
		for (j = bytes_hash(b->data + b->kept[i].off, b->kept[i].len) & (size - 1);
		     t[j].off != 0; j = (j + 1) & (size - 1))
			;
		t[j] = b->kept[i];
	}
	free(b->kept);
	b->kept = t;
	b->kept_mask = size - 1;
	return 0;
}

static int block_reserve(struct block *b, size_t more)
{
	uint8_t *data;
	size_t cap;

	if (b->len + more <= b->cap)
		return 0;
	cap = b->cap > 0 ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	data = realloc(b->data, cap);
	if (data == NULL)
		return -ENOMEM;
	b->data = data;
	b->cap = cap;
	return 0;
}

/* A type no node of z has, to write the answer every such type gets (PREBUILT_OTHER):
 * one of the private ones (RFC 6895 section 3.1). 0 when z uses them all. */
static uint16_t unused_type(const struct zone *z)
{
	uint8_t used[256] = { 0 };
	const struct node *n;
	unsigned i;

	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n))
		for (i = 0; i < n->rrset_count; i++)
			if (n->rrsets[i].type >= 0xff00 && n->rrsets[i].type < 0xffff)
				used[n->rrsets[i].type - 0xff00] = 1;
	for (i = 0; i < 255; i++)
		if (!used[i])
			return (uint16_t)(0xff00 + i);
	return 0;
}

/* Writes the answer of z at n for qtype and DO into the message, the way a query of n's
 * name gets it, and fills p (its bytes at b->msg + *start); trace gets the nodes read. */
static void write_answer(struct block *b, const struct zone *z, const uint8_t *name,
			 size_t name_len, uint16_t qtype, bool dnssec, struct prebuilt *p,
			 size_t *start, struct answer_trace *trace, struct encoder *out)
{
	/* The qname as a query carries it: a copy, not the node's own bytes (encode.c
	 * treats an owner at the question's address differently). */
	uint8_t qname[DNS_MAX_NAME];
	size_t qend = DNS_HEADER_SIZE + name_len + DNS_QUESTION_FIXED_SIZE;
	struct answer_result res;
	struct encoder e;

	memcpy(qname, name, name_len);
	memcpy(b->msg + DNS_HEADER_SIZE, qname, name_len);
	dns_write16(b->msg + DNS_HEADER_SIZE + name_len, qtype);
	dns_write16(b->msg + DNS_HEADER_SIZE + name_len + 2, DNS_CLASS_IN);
	encode_init(&e, b->msg, qend, DNS_MSG_MAX, qname);
	e.ptr_log = b->ptrs;
	answer_build(&res, &e, z, qname, qtype, dnssec, trace);
	*p = (struct prebuilt){
		.qtype = qtype,
		.len = PREBUILT_NONE,
		.count = { e.count[SECTION_ANSWER], e.count[SECTION_AUTHORITY],
			   e.count[SECTION_ADDITIONAL] },
		.flags = dnssec ? PREBUILT_DO : 0,
		.kind = (uint8_t)res.kind,
		.rcode = (uint8_t)res.rcode,
	};
	*start = qend;
	/* Kept when whole and of the kinds answer.c copies: what is left (a truncated or
	 * overlong answer, YXDOMAIN) is written per query. Only a referral lacks AA. */
	if (!res.tc && res.aa == (res.kind != ANSWER_REFERRAL) && res.ede < 0 &&
	    e.len - qend <= PREBUILT_MAX_LEN &&
	    (res.rcode == RCODE_NOERROR || res.rcode == RCODE_NXDOMAIN) &&
	    (res.kind == ANSWER_POSITIVE || res.kind == ANSWER_NODATA ||
	     res.kind == ANSWER_NXDOMAIN || res.kind == ANSWER_REFERRAL ||
	     res.kind == ANSWER_WILDCARD))
		p->len = (uint16_t)(e.len - qend);
	if (out != NULL)
		*out = e;
}

static bool has_type(const uint16_t *types, unsigned count, uint16_t t)
{
	unsigned i;

	for (i = 0; i < count; i++)
		if (types[i] == t)
			return true;
	return false;
}

/* The types of the nodes an answer read, added to types (no repeats). */
static void add_traced_types(uint16_t *types, unsigned *count, const struct answer_trace *t)
{
	unsigned i, j;

	for (i = 0; i < t->count; i++)
		for (j = 0; j < t->node[i]->rrset_count; j++) {
			uint16_t type = t->node[i]->rrsets[j].type;

			if (*count < TYPES_MAX && !has_type(types, *count, type))
				types[(*count)++] = type;
		}
}

/* Copies an answer's bytes to the end of the block; their offset. */
static int put_bytes(struct block *b, const uint8_t *bytes, size_t len, uint32_t *off)
{
	if (block_reserve(b, len) != 0)
		return -ENOMEM;
	*off = (uint32_t)b->len;
	memcpy(b->data + b->len, bytes, len);
	b->len += len;
	return 0;
}

/* The same for an answer many names may share (PREBUILT_OTHER's NODATA, the same for
 * names of one length most of the time): not copied again when the block has it. */
static int put_shared_bytes(struct block *b, const uint8_t *bytes, size_t len, uint32_t *off)
{
	size_t i;

	if ((b->kept_count + 1) * 2 > b->kept_mask + 1 && kept_grow(b) != 0)
		return -ENOMEM;
	for (i = bytes_hash(bytes, len) & b->kept_mask; b->kept[i].off != 0;
	     i = (i + 1) & b->kept_mask) {
		if (b->kept[i].len == len && memcmp(b->data + b->kept[i].off, bytes, len) == 0) {
			*off = b->kept[i].off;
			return 0;
		}
	}
	if (put_bytes(b, bytes, len, off) != 0)
		return -ENOMEM;
	b->kept[i] = (struct kept){ .off = *off, .len = (uint16_t)len };
	b->kept_count++;
	return 0;
}

/* Puts one answer's entry in the set at b->data + set_off (its count of entries
 * reserved) and its bytes in the block. */
static int append_answer(struct block *b, size_t set_off, unsigned index,
			 const struct prebuilt *p, const uint8_t *bytes)
{
	struct prebuilt_set *set;
	uint32_t off = 0;
	int rc = 0;

	if (p->len != PREBUILT_NONE)
		rc = (p->flags & PREBUILT_OTHER) ? put_shared_bytes(b, bytes, p->len, &off)
						 : put_bytes(b, bytes, p->len, &off);
	if (rc != 0)
		return rc;
	set = (struct prebuilt_set *)(void *)(b->data + set_off);
	set->entry[index] = *p;
	set->entry[index].off = off;
	return 0;
}

/* The name at msg[off] (which may end in a pointer) into out, lowercased; its length. */
static size_t read_name(const uint8_t *msg, size_t off, uint8_t *out)
{
	size_t len = 0;

	for (;;) {
		uint8_t c = msg[off];

		if ((c & 0xc0) == 0xc0) {
			off = ((size_t)(c & 0x3f) << 8) | msg[off + 1];
			continue;
		}
		wire_name_tolower(out + len, msg + off, c + 1u);
		len += c + 1u;
		if (c == 0)
			return len;
		off += c + 1u;
	}
}

/* Adds to the labels (l, *len bytes) the label just under the anchor of every name that
 * the message e wrote below the anchor (lowercased, anchor_len bytes): each starts an
 * entry of the compression table after the question's own. Returns false when they do
 * not fit in cap bytes. */
static bool collect_labels(const struct encoder *e, unsigned question_labels,
			   const uint8_t *anchor, size_t anchor_len, uint8_t *l, size_t *len,
			   size_t cap)
{
	unsigned k;

	for (k = question_labels; k < e->comp_count; k++) {
		uint8_t name[DNS_MAX_NAME];
		size_t n = read_name(e->buf, e->comp[k], name), off = 0, at;
		bool seen = false;

		if (n <= anchor_len || memcmp(name + n - anchor_len, anchor, anchor_len) != 0)
			continue;
		/* The label whose end is where the anchor starts. */
		while (off + name[off] + 1u < n - anchor_len)
			off += name[off] + 1u;
		if (off + name[off] + 1u != n - anchor_len)
			continue;
		for (at = 0; at < *len && !seen; at += l[at] + 1u)
			seen = l[at] == name[off] && memcmp(l + at + 1, name + off + 1, name[off]) == 0;
		if (seen)
			continue;
		if (*len + name[off] + 1u > cap)
			return false;
		memcpy(l + *len, name + off, name[off] + 1u);
		*len += name[off] + 1u;
	}
	return true;
}

/* The offset a compression pointer at msg + at points to (RFC 1035 section 4.1.4: the
 * low 14 bits of its two bytes). */
static unsigned pointer_target(const uint8_t *msg, size_t at)
{
	return dns_read16(msg + at) & 0x3fffu;
}

/* True when each pointer of the answer e wrote (from start) that points to the question
 * is a record's whole owner name. In a wildcard's answer those owners are the qname,
 * whichever it is; a name of the data pointing there would be the built qname itself, or
 * a name below it. */
static bool question_pointers_are_owners(const struct encoder *e, size_t start)
{
	unsigned records = 0, r, i;

	for (i = 0; i < ENCODE_SECTIONS; i++)
		records += e->count[i];
	for (i = 0; i < e->ptr_count; i++) {
		size_t at = e->ptr_log[i], off = start;
		bool owner = false;

		if (pointer_target(e->buf, at) != DNS_HEADER_SIZE)
			continue;
		for (r = 0; r < records && off <= at && !owner; r++) {
			owner = off == at;
			if (wire_skip_name(e->buf, e->len, &off) != 0 ||
			    off + DNS_RR_FIXED_SIZE > e->len)
				return false;
			off += DNS_RR_FIXED_SIZE + dns_read16(e->buf + off + 8);
		}
		if (!owner)
			return false;
	}
	return true;
}

/* Writes the anchored answer (prebuilt.h: struct prebuilt_anchor) of z for the qname
 * name, whose last anchor_len bytes (anchor_labels labels) are the anchor, and puts its
 * entry at index in the set at set_off, with flags besides PREBUILT_ANCHORED: kept when
 * it is of the kind expected and every pointer in it points to the anchor or after it,
 * or, at a wildcard (PREBUILT_WILDCARD), is an owner that is the whole qname (not listed:
 * it stays). */
static int append_anchored(struct block *b, size_t set_off, unsigned index, const struct zone *z,
			   const uint8_t *name, size_t name_len, unsigned anchor_labels,
			   size_t anchor_len, uint16_t qtype, bool dnssec, enum answer_kind kind,
			   uint8_t flags)
{
	uint8_t labels[DNS_MAX_NAME * 2];
	size_t start, labels_len = 0, anchor_start = DNS_HEADER_SIZE + name_len - anchor_len, head;
	unsigned question_labels = wire_name_labels(name), i, listed = 0;
	bool wildcard = (flags & PREBUILT_WILDCARD) != 0;
	struct prebuilt_anchor *a;
	struct answer_trace trace;
	struct prebuilt p;
	struct encoder e;
	uint16_t *ptrs;
	bool keep;

	write_answer(b, z, name, name_len, qtype, dnssec, &p, &start, &trace, &e);
	p.flags |= PREBUILT_ANCHORED | flags;
	keep = p.len != PREBUILT_NONE && p.kind == kind &&
	       collect_labels(&e, question_labels, name + name_len - anchor_len, anchor_len,
			      labels, &labels_len, sizeof(labels)) &&
	       (!wildcard || question_pointers_are_owners(&e, start));
	for (i = 0; keep && i < e.ptr_count; i++) {
		unsigned target = pointer_target(b->msg, e.ptr_log[i]);

		keep = target >= anchor_start || (wildcard && target == DNS_HEADER_SIZE);
	}
	if (!keep) {
		p.len = PREBUILT_NONE;
		return append_answer(b, set_off, index, &p, NULL);
	}
	head = SET_ALIGN(b->len);
	if (block_reserve(b, head - b->len + sizeof(*a) + e.ptr_count * sizeof(uint16_t) +
			     labels_len + p.len) != 0)
		return -ENOMEM;
	a = (struct prebuilt_anchor *)(void *)(b->data + head);
	ptrs = (uint16_t *)(void *)(a + 1);
	for (i = 0; i < e.ptr_count; i++)
		if (pointer_target(b->msg, e.ptr_log[i]) >= anchor_start)
			ptrs[listed++] = (uint16_t)(e.ptr_log[i] - start);
	*a = (struct prebuilt_anchor){
		.ptr_count = (uint16_t)listed,
		.labels_len = (uint16_t)labels_len,
		.built_len = (uint8_t)name_len,
		.built_labels = (uint8_t)question_labels,
		.anchor_labels = (uint8_t)anchor_labels,
		.comp_used = (uint8_t)e.comp_count,
	};
	memcpy((uint8_t *)(ptrs + listed), labels, labels_len);
	memcpy((uint8_t *)(ptrs + listed) + labels_len, b->msg + start, p.len);
	b->len = head + sizeof(*a) + listed * sizeof(uint16_t) + labels_len + p.len;
	((struct prebuilt_set *)(void *)(b->data + set_off))->entry[index] = p;
	((struct prebuilt_set *)(void *)(b->data + set_off))->entry[index].off = (uint32_t)head;
	return 0;
}

/* A name no node of z has, one label under parent ("nxaa" to "nxzz"), for the answers
 * of names that do not exist (the NXDOMAIN, a wildcard's); its length, or 0 when none
 * is free. */
static size_t missing_name(const struct zone *z, const uint8_t *parent, size_t parent_len,
			   uint8_t *name)
{
	unsigned i;

	if (parent_len + 5u > DNS_MAX_NAME)
		return 0;
	for (i = 0; i < 26 * 26; i++) {
		name[0] = 4;
		name[1] = 'n';
		name[2] = 'x';
		name[3] = (uint8_t)('a' + i / 26);
		name[4] = (uint8_t)('a' + i % 26);
		memcpy(name + 5, parent, parent_len);
		if (zone_find_node(z, name, parent_len + 5u) == NULL)
			return parent_len + 5u;
	}
	return 0;
}

/* Starts a set of count entries at the end of the block; its offset in *head. */
static int start_set(struct block *b, unsigned count, size_t *head)
{
	*head = SET_ALIGN(b->len);
	if (block_reserve(b, *head - b->len + sizeof(struct prebuilt_set) +
			     count * sizeof(struct prebuilt)) != 0)
		return -ENOMEM;
	b->len = *head + sizeof(struct prebuilt_set) + count * sizeof(struct prebuilt);
	((struct prebuilt_set *)(void *)(b->data + *head))->count = (uint16_t)count;
	return 0;
}

/* A delegation point's set: its referral, for every qname at or below it (but DS at
 * it, which the parent answers). */
static int build_cut_set(struct block *b, const struct zone *z, const struct node *n,
			 size_t *set_off)
{
	unsigned variants = z->dnssec != NULL ? 2 : 1, v;
	int rc = start_set(b, variants, set_off);

	for (v = 0; v < variants && rc == 0; v++)
		rc = append_anchored(b, *set_off, v, z, n->name, n->name_len,
				     wire_name_labels(n->name), n->name_len, DNS_TYPE_A, v == 1,
				     ANSWER_REFERRAL, 0);
	return rc;
}

/* The set of node n at the end of the block; its offset in *set_off. At the apex, also
 * the zone's NXDOMAIN without proofs; at a wildcard, also the answers it synthesizes
 * without DO (with DO they prove that the qname does not exist, which depends on it),
 * built for a name under its parent that does not exist, for the same types (the same
 * nodes answer). */
static int build_set(struct block *b, const struct zone *z, const struct node *n,
		     uint16_t other_type, size_t *set_off)
{
	uint16_t types[TYPES_MAX];
	uint8_t missing[DNS_MAX_NAME], wild[DNS_MAX_NAME];
	struct prebuilt other[2], p;
	struct answer_trace trace;
	unsigned ntypes = 0, variants = z->dnssec != NULL ? 2 : 1, count, i, v, index = 0;
	size_t start, head, wild_len = 0,
			    missing_len = n == z->apex ? missing_name(z, z->origin, z->origin_len,
								      missing) : 0;
	int rc;

	if (n != z->apex && dns_name_is_wildcard(n->name))
		wild_len = missing_name(z, n->name + 2, n->name_len - 2, wild);

	/* The answers every other type gets, first: they tell which nodes answers at n
	 * read, and so which types need answers of their own. */
	for (v = 0; v < variants; v++) {
		write_answer(b, z, n->name, n->name_len, other_type, v == 1, &other[v], &start,
			     &trace, NULL);
		other[v].flags |= PREBUILT_OTHER;
		if (other[v].len != PREBUILT_NONE)
			memcpy(b->other[v], b->msg + start, other[v].len);
		add_traced_types(types, &ntypes, &trace);
	}
	if (ntypes == TYPES_MAX)
		return 1; /* too many to tell them all apart: n's answers are written per query */
	for (i = 0; i < n->rrset_count; i++)
		if (ntypes < TYPES_MAX && !has_type(types, ntypes, n->rrsets[i].type))
			types[ntypes++] = n->rrsets[i].type;
	count = (ntypes + (other_type != 0 ? 1 : 0)) * (variants + (wild_len > 0 ? 1 : 0)) +
		(missing_len > 0 ? 1 : 0);
	rc = start_set(b, count, &head);
	for (i = 0; i < ntypes && rc == 0; i++) {
		for (v = 0; v < variants && rc == 0; v++) {
			write_answer(b, z, n->name, n->name_len, types[i], v == 1, &p, &start,
				     &trace, NULL);
			rc = append_answer(b, head, index++, &p, b->msg + start);
		}
	}
	for (v = 0; other_type != 0 && v < variants && rc == 0; v++)
		rc = append_answer(b, head, index++, &other[v], b->other[v]);
	if (missing_len > 0 && rc == 0)
		rc = append_anchored(b, head, index++, z, missing, missing_len, z->origin_labels,
				     z->origin_len, DNS_TYPE_A, false, ANSWER_NXDOMAIN, 0);
	for (i = 0; wild_len > 0 && i < ntypes + (other_type != 0 ? 1 : 0) && rc == 0; i++)
		rc = append_anchored(b, head, index++, z, wild, wild_len,
				     wire_name_labels(n->name + 2), n->name_len - 2,
				     i < ntypes ? types[i] : other_type, false, ANSWER_WILDCARD,
				     PREBUILT_WILDCARD | (i < ntypes ? 0 : PREBUILT_OTHER));
	*set_off = head;
	return rc;
}

int prebuilt_build(struct zone *z)
{
	struct block *b = calloc(1, sizeof(*b));
	size_t *offs = NULL, i;
	uint16_t other_type = unused_type(z);
	struct node *n;
	uint8_t *data;
	int rc = 0;

	if (b == NULL || (offs = calloc(z->node_count ? z->node_count : 1, sizeof(*offs))) == NULL) {
		free(b);
		return -ENOMEM;
	}
	/* An offset of 0 is no set: every set starts past the block's first byte. */
	b->len = 8;
	for (i = 0, n = (struct node *)zone_next_node(z, NULL); n != NULL && rc >= 0;
	     n = (struct node *)zone_next_node(z, n), i++) {
		if (n->flags & (NODE_BELOW_CUT | NODE_NSEC3))
			continue;
		if (n->flags & NODE_CUT)
			rc = build_cut_set(b, z, n, &offs[i]);
		else
			rc = build_set(b, z, n, other_type, &offs[i]);
	}
	free(b->kept);
	/* Only now, with every answer written, do nodes get their pre: answer_build()
	 * above always wrote answers, never copied one. Zones may be many: give back what
	 * the doubling left unused, before any pointer into the block is taken. */
	data = rc >= 0 ? realloc(b->data, b->len) : NULL;
	if (data == NULL) {
		free(b->data);
		free(b);
		free(offs);
		return -ENOMEM;
	}
	b->data = data;
	for (i = 0, n = (struct node *)zone_next_node(z, NULL); n != NULL;
	     n = (struct node *)zone_next_node(z, n), i++)
		n->pre = offs[i] != 0 ? (const struct prebuilt_set *)(void *)(b->data + offs[i])
				      : NULL;
	z->prebuilt = b->data;
	free(b);
	free(offs);
	return 0;
}
