/* SPDX-License-Identifier: BSD-3-Clause */
/* zonecheck_dname.c: the DNAME rules of RFC 6672 on a zone's staged records, as NSD and
 * Knot DNS apply them when they load a zone. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "namehash.h"
#include "wire.h"
#include "zonecheck_dname.h"


/* A filter of the DNAME owners' hashes, so that the search for a DNAME above each
 * record runs only for the few names that may own one. */
#define DNAME_FILTER_BITS 1024
#define DNAME_FILTER_WORD 64

struct dname_filter {
	uint64_t bits[DNAME_FILTER_BITS / DNAME_FILTER_WORD];
};

static void filter_add(struct dname_filter *f, const uint8_t *name, size_t len)
{
	uint32_t h = name_hash(name, len) % DNAME_FILTER_BITS;

	f->bits[h / DNAME_FILTER_WORD] |= (uint64_t)1 << (h % DNAME_FILTER_WORD);
}

static bool filter_may_hold(const struct dname_filter *f, const uint8_t *name, size_t len)
{
	uint32_t h = name_hash(name, len) % DNAME_FILTER_BITS;

	return (f->bits[h / DNAME_FILTER_WORD] >> (h % DNAME_FILTER_WORD)) & 1u;
}

/* The first DNAME record of the name (a lowercased wire name), or NULL: a binary search
 * of the records, which zone_staged_cmp sorted by owner, then type. */
static const struct zone_staged_rr *find_dname(const struct zone_staged_rr *rrs, size_t count,
						const uint8_t *name, size_t len)
{
	/* The key sorts before every DNAME record of the name: its RDATA is empty. */
	struct zone_staged_rr key = {
		.owner = name, .owner_len = (uint8_t)len, .type = DNS_TYPE_DNAME, .rdata = name,
	};
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (zone_staged_cmp(&rrs[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < count && rrs[lo].type == DNS_TYPE_DNAME &&
	    dns_name_equal(rrs[lo].owner, rrs[lo].owner_len, name, len))
		return &rrs[lo];
	return NULL;
}

/* The records of r's owner are adjacent (sorted): true when r's is the first. */
static bool first_of_owner(const struct zone_staged_rr *rrs, const struct zone_staged_rr *r)
{
	return r == rrs || !dns_name_equal(r[-1].owner, r[-1].owner_len, r->owner, r->owner_len);
}

/* The DNAME at r: the only one at its name, no NS beside it below the apex, and a
 * warning when its target is at or below its owner. */
static void check_one(struct zonecheck_errors *e, const struct zone *z,
		      const struct zone_staged_rr *rrs, const struct zone_staged_rr *r)
{
	uint8_t target[DNS_MAX_NAME];
	size_t j;

	if (!first_of_owner(rrs, r) && r[-1].type == DNS_TYPE_DNAME) {
		/* A DNAME is a singleton: one redirection per name (RFC 6672 section 2.4). The
		 * same record twice is one record (zone_build drops the copy). */
		if (!dns_name_equal(r[-1].rdata, r[-1].rdlen, r->rdata, r->rdlen))
			zonecheck_error(e, r->file, r->line,
					"a second DNAME for the same name (line %d): one name has one "
					"redirection (RFC 6672 section 2.4)", r[-1].line);
		return;
	}
	if (!dns_name_equal(r->owner, r->owner_len, z->origin, z->origin_len)) {
		/* NS sorts before DNAME: the owner's records from its first up to r. */
		for (j = (size_t)(r - rrs); j > 0 && dns_name_equal(rrs[j - 1].owner, rrs[j - 1].owner_len,
								     r->owner, r->owner_len); j--) {
			if (rrs[j - 1].type == DNS_TYPE_NS) {
				zonecheck_error(e, r->file, r->line,
						"DNAME beside NS (line %d) below the apex: the NS makes a "
						"zone cut, the DNAME belongs in the child zone "
						"(RFC 6672 section 2.3)", rrs[j - 1].line);
				break;
			}
		}
	}
	wire_name_tolower(target, r->rdata, r->rdlen);
	if (dns_name_at_or_below(target, r->rdlen, r->owner, r->owner_len))
		zonecheck_warning_at(e, r->file, r->line, 0,
				     "the DNAME's target is at or below its own owner: it redirects "
				     "every name below the owner to a longer one below it, again and "
				     "again until the name is too long (YXDOMAIN, RFC 6672 section 2.2)");
}

/* Records below a DNAME's owner: an error each, with the DNAME's place. */
static void check_below(struct zonecheck_errors *e, const struct zone *z,
			const struct zone_staged_rr *rrs, size_t count,
			const struct dname_filter *filter)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const struct zone_staged_rr *r = &rrs[i];
		size_t off = 0;

		/* NSEC3 owners are hashes, not names below anything (RFC 5155 section 3); an
		 * RRSIG goes with a record reported on its own. */
		if (r->type == DNS_TYPE_NSEC3 || r->type == DNS_TYPE_RRSIG)
			continue;
		/* Every proper ancestor of the owner, the origin included. */
		while (r->owner_len - off > z->origin_len) {
			const struct zone_staged_rr *d;

			off += r->owner[off] + 1u;
			if (!filter_may_hold(filter, r->owner + off, r->owner_len - off))
				continue;
			d = find_dname(rrs, count, r->owner + off, r->owner_len - off);
			if (d != NULL) {
				zonecheck_error(e, r->file, r->line,
						"a record below the DNAME of %s:%d: a DNAME's owner has "
						"no names below it (RFC 6672 section 2.4)", d->file, d->line);
				break;
			}
		}
	}
}

void zonecheck_dname(struct zonecheck_errors *e, const struct zone *z,
		     const struct zone_staged_rr *rrs, size_t count)
{
	struct dname_filter filter;
	bool any = false;
	size_t i;

	memset(&filter, 0, sizeof(filter));
	for (i = 0; i < count; i++) {
		if (rrs[i].type != DNS_TYPE_DNAME)
			continue;
		check_one(e, z, rrs, &rrs[i]);
		filter_add(&filter, rrs[i].owner, rrs[i].owner_len);
		any = true;
	}
	if (any)
		check_below(e, z, rrs, count, &filter);
}
