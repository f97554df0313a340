/* SPDX-License-Identifier: BSD-3-Clause */
/* journal.c: the differences between versions of a zone, computed at reload from the two
 * versions in memory, condensed (RFC 1995 section 5), and copied into one block the
 * journal owns. Main thread, reload path only: allocation is fine here. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec.h"
#include "journal.h"
#include "log.h"

/* Records that point into zones or journals alive while a journal is built. */
struct rr_list {
	struct journal_rr *rr;
	size_t count, cap;
	const struct zone *zone;       /* whose records it takes (their TTLs, dnssec.h) */
};

/* A read-only run of records: part of a list, or of a kept delta (past its SOA). */
struct rr_span {
	const struct journal_rr *rr;
	size_t count;
};

/* One delta while it is built: the SOAs apart, both lists in rr_cmp() order. */
struct delta_work {
	uint32_t from_serial;
	struct journal_rr old_soa, new_soa;
	struct rr_list removed, added;
	size_t bytes;
};

static int list_push(struct rr_list *l, const struct journal_rr *rr)
{
	if (l->count == l->cap) {
		size_t cap = l->cap > 0 ? 2 * l->cap : 64;
		struct journal_rr *p = reallocarray(l->rr, cap, sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		l->rr = p;
		l->cap = cap;
	}
	l->rr[l->count++] = *rr;
	return 0;
}

static struct rr_span list_span(const struct rr_list *l)
{
	return (struct rr_span){ .rr = l->rr, .count = l->count };
}

static void work_free(struct delta_work *w)
{
	free(w->removed.rr);
	free(w->added.rr);
	memset(w, 0, sizeof(*w));
}

/* Bytes, then length: the order zone.c sorts owners and RDATA in (zone_staged_cmp). */
static int bytes_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/* Owner, type, RDATA, then TTL: the order a walk of a zone's nodes, RRsets and records
 * meets them in, so the lists of a difference come out sorted. */
static int rr_cmp(const struct journal_rr *a, const struct journal_rr *b)
{
	int c = bytes_cmp(a->owner, a->owner_len, b->owner, b->owner_len);

	if (c != 0)
		return c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	c = bytes_cmp(a->rdata, a->rdlen, b->rdata, b->rdlen);
	if (c != 0)
		return c;
	return (a->ttl > b->ttl) - (a->ttl < b->ttl);
}

/* The record's size in a message, uncompressed: owner, type, class, TTL, RDLENGTH, RDATA. */
static size_t rr_wire_size(const struct journal_rr *rr)
{
	return (size_t)rr->owner_len + 10 + rr->rdlen;
}

/* The record at rec (zone.h: [rdlen][name offset 0][name offset 1][rdata]) of RRset s. */
static void rr_of(struct journal_rr *out, const struct zone *z, const struct node *n,
		  const struct rrset *s, const uint8_t *rec)
{
	out->owner = n->name;
	out->owner_len = n->name_len;
	out->type = s->type;
	out->ttl = dnssec_record_ttl(z, n, s, rec);
	out->rdlen = dns_read16(rec);
	out->name_off[0] = dns_read16(rec + 2);
	out->name_off[1] = dns_read16(rec + 4);
	out->rdata = rec + RR_HEADER_SIZE;
}

static const uint8_t *next_record(const uint8_t *rec)
{
	return rec + RR_HEADER_SIZE + dns_read16(rec);
}

static int push_rrset(struct rr_list *l, const struct node *n, const struct rrset *s)
{
	const uint8_t *p, *end = s->data + s->data_len;
	struct journal_rr rr;

	for (p = s->data; p < end; p = next_record(p)) {
		rr_of(&rr, l->zone, n, s, p);
		if (list_push(l, &rr) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The SOA is not a record of the lists: journal.h puts it first in each. */
static bool skipped(const struct node *n, const struct rrset *s)
{
	return s->type == DNS_TYPE_SOA && (n->flags & NODE_APEX);
}

static int push_node(struct rr_list *l, const struct node *n)
{
	unsigned i;

	for (i = 0; i < n->rrset_count; i++)
		if (!skipped(n, &n->rrsets[i]) && push_rrset(l, n, &n->rrsets[i]) < 0)
			return -ENOMEM;
	return 0;
}

/* Two RRsets of one owner and type: a TTL change replaces every record (IXFR has no
 * other way to carry it), else the records are merged by RDATA, both sorted alike. */
static int diff_rrset(struct delta_work *w, const struct node *na, const struct rrset *a,
		      const struct node *nb, const struct rrset *b)
{
	const uint8_t *p = a->data, *pend = a->data + a->data_len;
	const uint8_t *q = b->data, *qend = b->data + b->data_len;
	struct journal_rr x, y;

	if (a->ttl != b->ttl)
		return push_rrset(&w->removed, na, a) < 0 ? -ENOMEM : push_rrset(&w->added, nb, b);
	while (p < pend || q < qend) {
		int c;

		if (p < pend)
			rr_of(&x, w->removed.zone, na, a, p);
		if (q < qend)
			rr_of(&y, w->added.zone, nb, b, q);
		c = p >= pend ? 1 : q >= qend ? -1 : bytes_cmp(x.rdata, x.rdlen, y.rdata, y.rdlen);
		if (c < 0 && list_push(&w->removed, &x) < 0)
			return -ENOMEM;
		if (c > 0 && list_push(&w->added, &y) < 0)
			return -ENOMEM;
		if (c <= 0)
			p = next_record(p);
		if (c >= 0)
			q = next_record(q);
	}
	return 0;
}

/* Two nodes of one name: their RRsets merged by type (zone.c sorts them by type). */
static int diff_node(struct delta_work *w, const struct node *a, const struct node *b)
{
	unsigned i = 0, j = 0;

	while (i < a->rrset_count || j < b->rrset_count) {
		const struct rrset *x = i < a->rrset_count ? &a->rrsets[i] : NULL;
		const struct rrset *y = j < b->rrset_count ? &b->rrsets[j] : NULL;
		int c = x == NULL ? 1 : y == NULL ? -1 : (x->type > y->type) - (x->type < y->type);
		int r = 0;

		if (c == 0 && !skipped(a, x))
			r = diff_rrset(w, a, x, b, y);
		else if (c < 0 && !skipped(a, x))
			r = push_rrset(&w->removed, a, x);
		else if (c > 0 && !skipped(b, y))
			r = push_rrset(&w->added, b, y);
		if (r < 0)
			return r;
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	return 0;
}

/* The SOA record of an ok zone. */
static void soa_of(struct journal_rr *out, const struct zone *z)
{
	rr_of(out, z, z->apex, z->soa, z->soa->data);
}

static size_t span_bytes(struct rr_span s)
{
	size_t i, bytes = 0;

	for (i = 0; i < s.count; i++)
		bytes += rr_wire_size(&s.rr[i]);
	return bytes;
}

static void work_bytes(struct delta_work *w)
{
	w->bytes = rr_wire_size(&w->old_soa) + rr_wire_size(&w->new_soa) +
		   span_bytes(list_span(&w->removed)) + span_bytes(list_span(&w->added));
}

/* Both zones' nodes walked together in name order: a node only in old is removed, one
 * only in cur added; one walk, no lookups. */
static int diff_zones(struct delta_work *w, const struct zone *old, const struct zone *cur)
{
	const struct node *a = zone_next_node(old, NULL), *b = zone_next_node(cur, NULL);

	memset(w, 0, sizeof(*w));
	w->removed.zone = old;
	w->added.zone = cur;
	w->from_serial = old->serial;
	soa_of(&w->old_soa, old);
	soa_of(&w->new_soa, cur);
	while (a != NULL || b != NULL) {
		int c = a == NULL ? 1 : b == NULL ? -1 :
			bytes_cmp(a->name, a->name_len, b->name, b->name_len);
		int r = c == 0 ? diff_node(w, a, b) : c < 0 ? push_node(&w->removed, a) :
			push_node(&w->added, b);

		if (r < 0) {
			work_free(w);
			return r;
		}
		if (c <= 0)
			a = zone_next_node(old, a);
		if (c >= 0)
			b = zone_next_node(cur, b);
	}
	work_bytes(w);
	return 0;
}

/* Appends to out the records of a (sorted) that b (sorted) lacks. */
static int span_minus(struct rr_list *out, struct rr_span a, struct rr_span b)
{
	size_t i, j = 0;

	for (i = 0; i < a.count; i++) {
		int c = 1;

		while (j < b.count && (c = rr_cmp(&b.rr[j], &a.rr[i])) < 0)
			j++;
		if (j < b.count && c == 0)
			continue;
		if (list_push(out, &a.rr[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Appends to out the records of a and b (each sorted, no record in both), sorted. */
static int span_merge(struct rr_list *out, struct rr_span a, struct rr_span b)
{
	size_t i = 0, j = 0;

	while (i < a.count || j < b.count) {
		bool first = j == b.count || (i < a.count && rr_cmp(&a.rr[i], &b.rr[j]) <= 0);

		if (list_push(out, first ? &a.rr[i++] : &b.rr[j++]) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* out = (x minus y) merged with (z minus v): the records of the composed list. */
static int compose_list(struct rr_list *out, struct rr_span x, struct rr_span y,
			struct rr_span z, struct rr_span v)
{
	struct rr_list l1 = { 0 }, l2 = { 0 };
	int r = -ENOMEM;

	if (span_minus(&l1, x, y) == 0 && span_minus(&l2, z, v) == 0)
		r = span_merge(out, list_span(&l1), list_span(&l2));
	free(l1.rr);
	free(l2.rr);
	return r;
}

/* The condensed difference S -> cur from d (S -> old) and last (old -> cur). A record
 * that S has and cur has too appears in neither list, one added and removed again in
 * neither (RFC 1995 section 5):
 *   removed = (removed(S->old) - added(old->cur)) + (removed(old->cur) - added(S->old))
 *   added   = (added(S->old) - removed(old->cur)) + (added(old->cur) - removed(S->old))
 * The two parts of each are disjoint: a record of removed(S->old) is not in old, one of
 * removed(old->cur) is. */
static int compose(struct delta_work *w, const struct journal_delta *d,
		   const struct delta_work *last)
{
	struct rr_span r1 = { d->removed + 1, d->removed_count - 1 };
	struct rr_span a1 = { d->added + 1, d->added_count - 1 };
	struct rr_span r2 = list_span(&last->removed), a2 = list_span(&last->added);

	memset(w, 0, sizeof(*w));
	w->from_serial = d->from_serial;
	w->old_soa = d->removed[0];
	w->new_soa = last->new_soa;
	if (compose_list(&w->removed, r1, a2, r2, a1) < 0 ||
	    compose_list(&w->added, a1, r2, a2, r1) < 0) {
		work_free(w);
		return -ENOMEM;
	}
	work_bytes(w);
	return 0;
}

/* Copies rr into *dst, its owner and RDATA into the arena at *arena; an owner the record
 * before had too (the same bytes in the source) is shared. */
static void copy_rr(struct journal_rr *dst, const struct journal_rr *rr, uint8_t **arena,
		    const struct journal_rr *prev_src, const struct journal_rr *prev_dst)
{
	*dst = *rr;
	if (prev_src != NULL && prev_src->owner == rr->owner) {
		dst->owner = prev_dst->owner;
	} else {
		memcpy(*arena, rr->owner, rr->owner_len);
		dst->owner = *arena;
		*arena += rr->owner_len;
	}
	memcpy(*arena, rr->rdata, rr->rdlen);
	dst->rdata = *arena;
	*arena += rr->rdlen;
}

/* Copies the SOA then the list into dst; returns the records written. */
static size_t copy_list(struct journal_rr *dst, const struct journal_rr *soa,
			const struct rr_list *l, uint8_t **arena)
{
	size_t i;

	copy_rr(&dst[0], soa, arena, NULL, NULL);
	for (i = 0; i < l->count; i++)
		copy_rr(&dst[i + 1], &l->rr[i], arena, i > 0 ? &l->rr[i - 1] : NULL,
			i > 0 ? &dst[i] : NULL);
	return l->count + 1;
}

/* Bytes the arena needs for l: each owner once per run of records sharing it, and each
 * RDATA (an upper bound of what copy_rr() writes). */
static size_t arena_bytes(const struct journal_rr *soa, const struct rr_list *l)
{
	size_t i, bytes = (size_t)soa->owner_len + soa->rdlen;

	for (i = 0; i < l->count; i++) {
		bytes += l->rr[i].rdlen;
		if (i == 0 || l->rr[i - 1].owner != l->rr[i].owner)
			bytes += l->rr[i].owner_len;
	}
	return bytes;
}

/* One block: the journal, its deltas, their records, then the owners and RDATA they
 * point to. Every part before the arena is a whole number of pointer-aligned structs. */
static struct journal *pack(const struct delta_work *w, size_t n, uint32_t to_serial)
{
	size_t i, rrs = 0, arena = 0;
	struct journal_delta *deltas;
	struct journal_rr *rr;
	struct journal *j;
	uint8_t *bytes;

	for (i = 0; i < n; i++) {
		rrs += w[i].removed.count + w[i].added.count + 2;
		arena += arena_bytes(&w[i].old_soa, &w[i].removed) +
			 arena_bytes(&w[i].new_soa, &w[i].added);
	}
	j = malloc(sizeof(*j) + n * sizeof(*deltas) + rrs * sizeof(*rr) + arena);
	if (j == NULL)
		return NULL;
	deltas = (struct journal_delta *)(void *)(j + 1);
	rr = (struct journal_rr *)(void *)(deltas + n);
	bytes = (uint8_t *)(rr + rrs);
	j->to_serial = to_serial;
	j->deltas = deltas;
	j->count = n;
	j->bytes = 0;
	j->storage = j;
	for (i = 0; i < n; i++) {
		deltas[i].from_serial = w[i].from_serial;
		deltas[i].removed = rr;
		deltas[i].removed_count = copy_list(rr, &w[i].old_soa, &w[i].removed, &bytes);
		rr += deltas[i].removed_count;
		deltas[i].added = rr;
		deltas[i].added_count = copy_list(rr, &w[i].new_soa, &w[i].added, &bytes);
		rr += deltas[i].added_count;
		deltas[i].bytes = w[i].bytes;
		j->bytes += w[i].bytes;
	}
	return j;
}

struct journal *journal_diff(const struct zone *old, const struct zone *cur)
{
	struct delta_work w;
	struct journal *j;

	if (diff_zones(&w, old, cur) < 0)
		return NULL;
	j = pack(&w, 1, cur->serial);
	work_free(&w);
	return j;
}

/* True when old carries a journal that ends at its own serial, to extend. */
static bool extends(const struct zone *old)
{
	return old->journal != NULL && old->journal->to_serial == old->serial;
}

int journal_build(struct journal **out, const struct zone *old, const struct zone *cur,
		  const struct journal_limits *limits)
{
	size_t n = 1, i, max, total;
	struct delta_work *w;
	int r = 0;

	*out = NULL;
	if (limits == NULL || limits->depth == 0 ||
	    dns_serial_compare(old->serial, cur->serial) != DNS_SERIAL_LESS)
		return 0;
	max = limits->depth;
	if (max > 1 + (extends(old) ? old->journal->count : 0))
		max = 1 + (extends(old) ? old->journal->count : 0);
	w = calloc(max, sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	if (diff_zones(&w[0], old, cur) < 0) {
		free(w);
		return -ENOMEM;
	}
	total = w[0].bytes;
	if (total > limits->bytes) {
		r = -EFBIG;
		goto out;
	}
	/* Newest first; past the bounds the older versions are dropped. */
	for (i = 0; n < max; i++, n++) {
		const struct journal_delta *d = &old->journal->deltas[i];

		/* A version whose serial cur's is not newer than cannot ask for it. */
		if (dns_serial_compare(d->from_serial, cur->serial) != DNS_SERIAL_LESS)
			break;
		if (compose(&w[n], d, &w[0]) < 0) {
			r = -ENOMEM;
			goto out;
		}
		if (total + w[n].bytes > limits->bytes) {
			work_free(&w[n]);
			break;
		}
		total += w[n].bytes;
	}
	*out = pack(w, n, cur->serial);
	if (*out == NULL)
		r = -ENOMEM;
out:
	for (i = 0; i < max; i++)
		work_free(&w[i]);
	free(w);
	return r;
}

int journal_update(struct zone *cur, const struct zone *old, const struct journal_limits *limits)
{
	const struct journal_delta *d;
	struct journal *j;
	int r = journal_build(&j, old, cur, limits);

	if (r == -EFBIG) {
		log_info("zone %s: the difference from serial %u to %u is over %zu bytes "
			 "(--ixfr-size): no journal, transfers send the whole zone",
			 cur->origin_text, old->serial, cur->serial, limits->bytes);
		return 0;
	}
	if (r < 0)
		return r;
	cur->journal = j;
	if (j == NULL)
		return 0;
	d = &j->deltas[0];
	log_info("zone %s: journal: serial %u to %u, %zu record%s removed, %zu added, "
		 "%zu version%s kept, %zu bytes", cur->origin_text, d->from_serial, j->to_serial,
		 d->removed_count - 1, d->removed_count == 2 ? "" : "s", d->added_count - 1,
		 j->count, j->count == 1 ? "" : "s", j->bytes);
	return 0;
}

void journal_free(struct journal *j)
{
	if (j != NULL)
		free(j->storage);
}
