/* SPDX-License-Identifier: BSD-3-Clause */
/* zone.c: builds one zone's immutable data at load time and looks names up in it.
 * Lookups are hash probes by exact name; nothing on the query path scans a zone. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec.h"
#include "journal.h"
#include "namehash.h"
#include "prebuilt.h"
#include "wire.h"
#include "zone.h"

static int name_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

int zone_staged_cmp(const void *pa, const void *pb)
{
	const struct zone_staged_rr *a = pa, *b = pb;
	int c = name_cmp(a->owner, a->owner_len, b->owner, b->owner_len);

	if (c != 0)
		return c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return name_cmp(a->rdata, a->rdlen, b->rdata, b->rdlen);
}

struct zone *zone_new(const uint8_t *origin, size_t origin_len, const char *origin_text,
		      const char *path)
{
	struct zone *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return NULL;
	wire_name_tolower(z->origin, origin, origin_len);
	z->origin_len = (uint8_t)origin_len;
	z->origin_labels = (uint8_t)wire_name_labels(z->origin);
	z->refs = 1;
	z->origin_text = strdup(origin_text);
	z->path = strdup(path);
	if (z->origin_text == NULL || z->path == NULL) {
		zone_free(z);
		return NULL;
	}
	return z;
}

const struct node *zone_find_node(const struct zone *z, const uint8_t *lname, size_t len)
{
	return zone_find_node_hashed(z, lname, len, name_hash(lname, len));
}

const struct node *zone_find_node_hashed(const struct zone *z, const uint8_t *lname, size_t len,
					 uint32_t h)
{
	size_t i;

	if (z->table == NULL)
		return NULL;
	for (i = h & z->table_mask;; i = (i + 1) & z->table_mask) {
		const struct node_slot *slot = &z->table[i];

		if (slot->node == NULL)
			return NULL;
		if (slot->hash == h && dns_name_equal(slot->node->name, slot->node->name_len, lname, len))
			return slot->node;
	}
}

const struct rrset *node_find_rrset(const struct node *n, uint16_t type)
{
	unsigned i;

	/* A node has a handful of RRsets: a linear pass is faster than anything cleverer. */
	for (i = 0; i < n->rrset_count; i++)
		if (n->rrsets[i].type == type)
			return &n->rrsets[i];
	return NULL;
}

/* A name to become a node: an owner, or an ancestor of one (an empty non-terminal). */
struct name_ref {
	const uint8_t *name;
	uint8_t len;
};

static int name_ref_cmp(const void *pa, const void *pb)
{
	const struct name_ref *a = pa, *b = pb;

	return name_cmp(a->name, a->len, b->name, b->len);
}

static bool same_record(const struct zone_staged_rr *a, const struct zone_staged_rr *b)
{
	return a->type == b->type && dns_name_equal(a->owner, a->owner_len, b->owner, b->owner_len) &&
	       dns_name_equal(a->rdata, a->rdlen, b->rdata, b->rdlen);
}

static bool same_rrset(const struct zone_staged_rr *a, const struct zone_staged_rr *b)
{
	return a->type == b->type && dns_name_equal(a->owner, a->owner_len, b->owner, b->owner_len);
}

/* The arrays zone_build() fills before pack_nodes() moves them into one block. */
struct build {
	struct node *nodes;
	size_t node_count;
	struct rrset *rrsets;
	uint8_t *data;                 /* the records of every RRset */
	uint8_t *names;                /* the owner names of every node */
};

static void build_free(struct build *b)
{
	free(b->nodes);
	free(b->rrsets);
	free(b->data);
	free(b->names);
}

static void table_insert(struct zone *z, const struct node *n)
{
	uint32_t h = name_hash(n->name, n->name_len);
	size_t i = h & z->table_mask;

	while (z->table[i].node != NULL)
		i = (i + 1) & z->table_mask;
	z->table[i].node = n;
	z->table[i].hash = h;
}

/* A new, empty table for count nodes (replacing any old one). Returns 0 or -ENOMEM. */
static int table_alloc(struct zone *z, size_t count)
{
	free(z->table);
	z->table_mask = name_table_size(count) - 1;
	z->table = calloc(z->table_mask + 1, sizeof(*z->table));
	return z->table == NULL ? -ENOMEM : 0;
}

/* Copies the distinct owner names into b->names and lists them with every ancestor
 * between them and the origin into *out (*nrefs of them). Returns 0, or -ENOMEM. */
static int collect_names(struct build *b, const struct zone *z, const struct zone_staged_rr *rrs,
			 size_t count, struct name_ref **out, size_t *nrefs_out)
{
	size_t names_bytes = 0, refs_max = 0, nrefs = 0, i, pos = 0;
	struct name_ref *refs;

	for (i = 0; i < count; i++) {
		if (i > 0 && dns_name_equal(rrs[i].owner, rrs[i].owner_len, rrs[i - 1].owner,
					   rrs[i - 1].owner_len))
			continue;
		names_bytes += rrs[i].owner_len;
		refs_max += wire_name_labels(rrs[i].owner) - z->origin_labels + 1;
	}
	b->names = malloc(names_bytes ? names_bytes : 1);
	refs = malloc((refs_max ? refs_max : 1) * sizeof(*refs));
	if (b->names == NULL || refs == NULL) {
		free(refs);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		const uint8_t *name = b->names + pos;
		size_t len = rrs[i].owner_len, off = 0;

		if (i > 0 && dns_name_equal(rrs[i].owner, rrs[i].owner_len, rrs[i - 1].owner,
					   rrs[i - 1].owner_len))
			continue;
		memcpy(b->names + pos, rrs[i].owner, len);
		pos += len;
		/* The owner and each ancestor down to the origin; suffixes share the bytes. */
		while (len - off >= z->origin_len) {
			refs[nrefs].name = name + off;
			refs[nrefs].len = (uint8_t)(len - off);
			nrefs++;
			if (len - off == z->origin_len)
				break;
			off += name[off] + 1u;
		}
	}
	qsort(refs, nrefs, sizeof(*refs), name_ref_cmp);
	*out = refs;
	*nrefs_out = nrefs;
	return 0;
}

static int build_nodes(struct build *b, const struct name_ref *refs, size_t nrefs)
{
	size_t i, n = 0;

	b->nodes = calloc(nrefs ? nrefs : 1, sizeof(*b->nodes));
	if (b->nodes == NULL)
		return -ENOMEM;
	for (i = 0; i < nrefs; i++) {
		if (n > 0 && dns_name_equal(refs[i].name, refs[i].len, b->nodes[n - 1].name,
					   b->nodes[n - 1].name_len))
			continue;
		b->nodes[n].name = refs[i].name;
		b->nodes[n].name_len = refs[i].len;
		n++;
	}
	b->node_count = n;
	return 0;
}

/* Fills b->rrsets and b->data from the sorted records and hangs the RRsets on nodes. */
static int build_rrsets(struct zone *z, struct build *b, const struct zone_staged_rr *rrs, size_t count)
{
	size_t nsets = 0, data_bytes = 0, i, set = 0, pos = 0;
	struct node *node = NULL;

	for (i = 0; i < count; i++) {
		if (i > 0 && same_record(&rrs[i], &rrs[i - 1]))
			continue;
		if (i == 0 || !same_rrset(&rrs[i], &rrs[i - 1]))
			nsets++;
		data_bytes += RR_HEADER_SIZE + rrs[i].rdlen;
	}
	b->rrsets = calloc(nsets ? nsets : 1, sizeof(*b->rrsets));
	b->data = malloc(data_bytes ? data_bytes : 1);
	if (b->rrsets == NULL || b->data == NULL)
		return -ENOMEM;
	z->rr_count = 0;
	for (i = 0; i < count; i++) {
		const struct zone_staged_rr *rr = &rrs[i];
		struct rrset *s;
		uint8_t *p = b->data + pos;

		if (i > 0 && same_record(rr, &rrs[i - 1]))
			continue;
		if (i == 0 || !same_rrset(rr, &rrs[i - 1])) {
			s = &b->rrsets[set++];
			s->type = rr->type;
			s->rclass = DNS_CLASS_IN;
			s->ttl = rr->ttl;
			s->data = p;
			if (node == NULL || !dns_name_equal(node->name, node->name_len, rr->owner,
							   rr->owner_len)) {
				/* Nodes and records are sorted alike: walk to the owner's node
				 * (past empty non-terminals) instead of probing the table. */
				node = node == NULL ? b->nodes : node + 1;
				while (!dns_name_equal(node->name, node->name_len, rr->owner,
						      rr->owner_len))
					node++;
				node->rrsets = s;
			}
			node->rrset_count++;
		}
		s = &b->rrsets[set - 1];
		/* Records of one RRset should share a TTL (RFC 2181 section 5.2): use the lowest. */
		if (rr->ttl < s->ttl)
			s->ttl = rr->ttl;
		dns_write16(p, rr->rdlen);
		dns_write16(p + 2, rr->name_off[0]);
		dns_write16(p + 4, rr->name_off[1]);
		memcpy(p + RR_HEADER_SIZE, rr->rdata, rr->rdlen);
		pos += RR_HEADER_SIZE + rr->rdlen;
		s->count++;
		s->data_len += RR_HEADER_SIZE + rr->rdlen;
		z->rr_count++;
	}
	return 0;
}

/* Marks the apex, delegation points (NS below the apex), everything below them, DNAME
 * owners, and the parents of wildcards. Runs on the packed block: the node table is there
 * to look ancestors up. */
static void mark_cuts(struct zone *z)
{
	struct node *n;

	for (n = (struct node *)zone_next_node(z, NULL); n != NULL;
	     n = (struct node *)zone_next_node(z, n)) {

		if (n->name_len == z->origin_len)
			n->flags |= NODE_APEX;
		else if (node_find_rrset(n, DNS_TYPE_NS) != NULL)
			n->flags |= NODE_CUT;
		/* The walk down a zone (answer.c) stops at a DNAME owner as it stops at a
		 * cut: the flag spares it a look at every node's RRsets. */
		if (node_find_rrset(n, DNS_TYPE_DNAME) != NULL)
			n->flags |= NODE_DNAME;
		/* A wildcard's parent is a node too (an empty non-terminal if nothing else):
		 * flagging it spares every NXDOMAIN below a parent without one the probe for
		 * its "*" child. */
		if (dns_name_is_wildcard(n->name) && n->name_len > z->origin_len) {
			struct node *up = (struct node *)zone_find_node(z, n->name + 2,
									n->name_len - 2);

			if (up != NULL)
				up->flags |= NODE_WILDCARD_PARENT;
		}
	}
	for (n = (struct node *)zone_next_node(z, NULL); n != NULL;
	     n = (struct node *)zone_next_node(z, n)) {
		size_t off = n->name[0] + 1u;

		/* Any proper ancestor below the apex that is a cut occludes this node. */
		while (n->name_len - off > z->origin_len) {
			const struct node *up = zone_find_node(z, n->name + off, n->name_len - off);

			if (up != NULL && (up->flags & NODE_CUT)) {
				n->flags |= NODE_BELOW_CUT;
				break;
			}
			off += n->name[off] + 1u;
		}
	}
}

#define PACK_ALIGN(x) (((x) + 7u) & ~(size_t)7u)

/* Moves every node, its name, its RRsets and their records into one block, node after
 * node in name order, and points the table there. A lookup then reads the table slot and
 * one or two neighbouring cache lines, where the build arrays would scatter it over five
 * (slot, node, name, RRset, records): under load the kernel's work between two queries
 * evicts them, so each would be a miss. */
static int pack_nodes(struct zone *z, const struct build *b)
{
	size_t bytes = 0, pos = 0, i;
	unsigned j;

	for (i = 0; i < b->node_count; i++) {
		const struct node *n = &b->nodes[i];

		bytes += PACK_ALIGN(sizeof(*n) + n->name_len) + n->rrset_count * sizeof(struct rrset);
		for (j = 0; j < n->rrset_count; j++)
			bytes += n->rrsets[j].data_len;
		bytes = PACK_ALIGN(bytes);
	}
	z->nodes = malloc(bytes ? bytes : 1);
	if (z->nodes == NULL || table_alloc(z, b->node_count) != 0)
		return -ENOMEM;
	for (i = 0; i < b->node_count; i++) {
		const struct node *n = &b->nodes[i];
		struct node *m = (struct node *)(void *)(z->nodes + pos);
		uint8_t *name = z->nodes + pos + sizeof(*m);
		struct rrset *sets;

		memcpy(name, n->name, n->name_len);
		pos = PACK_ALIGN(pos + sizeof(*m) + n->name_len);
		sets = (struct rrset *)(void *)(z->nodes + pos);
		pos += n->rrset_count * sizeof(*sets);
		for (j = 0; j < n->rrset_count; j++) {
			sets[j] = n->rrsets[j];
			sets[j].data = z->nodes + pos;
			memcpy(z->nodes + pos, n->rrsets[j].data, n->rrsets[j].data_len);
			pos += n->rrsets[j].data_len;
		}
		pos = PACK_ALIGN(pos);
		*m = *n;
		m->name = name;
		m->rrsets = n->rrset_count ? sets : NULL;
		table_insert(z, m);
	}
	z->node_count = b->node_count;
	z->nodes_size = pos;
	return 0;
}

const struct node *zone_next_node(const struct zone *z, const struct node *prev)
{
	const uint8_t *end;
	size_t pos;

	if (prev == NULL)
		return z->node_count > 0 ? (const struct node *)(const void *)z->nodes : NULL;
	/* pack_nodes() put the next node after prev's last record (or its name), aligned. */
	if (prev->rrset_count > 0)
		end = prev->rrsets[prev->rrset_count - 1].data + prev->rrsets[prev->rrset_count - 1].data_len;
	else
		end = prev->name + prev->name_len;
	pos = PACK_ALIGN((size_t)(end - z->nodes));
	return pos < z->nodes_size ? (const struct node *)(const void *)(z->nodes + pos) : NULL;
}

/* Reads serial and MINIMUM from the apex SOA (after MNAME and RNAME). */
static void read_soa(struct zone *z)
{
	const uint8_t *rdata;
	size_t off;

	z->apex = zone_find_node(z, z->origin, z->origin_len);
	z->soa = z->apex ? node_find_rrset(z->apex, DNS_TYPE_SOA) : NULL;
	if (z->soa == NULL)
		return;
	rdata = z->soa->data + RR_HEADER_SIZE;
	off = wire_name_len(rdata);
	off += wire_name_len(rdata + off);
	z->serial = (uint32_t)dns_read32(rdata + off);
	z->neg_ttl = (uint32_t)dns_read32(rdata + off + 16);
	/* RFC 2308 section 3: the negative TTL is the lesser of the SOA TTL and MINIMUM. */
	if (z->soa->ttl < z->neg_ttl)
		z->neg_ttl = z->soa->ttl;
}

int zone_build(struct zone *z, const struct zone_staged_rr *rrs, size_t count)
{
	struct build b = { 0 };
	struct name_ref *refs = NULL;
	size_t nrefs = 0;
	int rc;

	rc = collect_names(&b, z, rrs, count, &refs, &nrefs);
	if (rc == 0) {
		rc = build_nodes(&b, refs, nrefs);
		free(refs);
	}
	if (rc == 0)
		rc = build_rrsets(z, &b, rrs, count);
	if (rc == 0)
		rc = pack_nodes(z, &b);
	build_free(&b);
	if (rc == 0) {
		mark_cuts(z);
		read_soa(z);
		rc = dnssec_build(z, rrs, count);
	}
	/* Answers are prebuilt from the zone as served: ok, signed or not. */
	z->ok = rc == 0 && z->soa != NULL;
	if (z->ok)
		rc = prebuilt_build(z);
	if (rc != 0) {
		z->ok = false;
		dnssec_free(z->dnssec);
		z->dnssec = NULL;
		free(z->nodes);
		free(z->table);
		z->nodes = NULL;
		z->table = NULL;
		z->apex = NULL;
		z->soa = NULL;
		z->nodes_size = z->node_count = z->rr_count = 0;
		return rc;
	}
	return 0;
}

struct zone *zone_hold(const struct zone *z)
{
	/* The caller's db keeps z alive while the count goes up: relaxed is enough. */
	struct zone *w = (struct zone *)(uintptr_t)z;

	atomic_fetch_add_explicit(&w->refs, 1, memory_order_relaxed);
	return w;
}

void zone_free(struct zone *z)
{
	/* Release so that this thread's reads of the zone happen before the free; acquire
	 * (by the last one) so that everyone else's happened before too. */
	if (z == NULL || atomic_fetch_sub_explicit(&z->refs, 1, memory_order_acq_rel) > 1)
		return;
	journal_free(z->journal);
	dnssec_free(z->dnssec);
	free(z->prebuilt);
	free(z->nodes);
	free(z->table);
	free(z->origin_text);
	free(z->path);
	free(z);
}

