/* SPDX-License-Identifier: BSD-3-Clause */
/* sigcount.c: walk a reply's records for its DNSSEC counts and for RRsets left without an RRSIG. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client/msg.h"
#include "client/sigcount.h"

int sigcount_count(struct sigcount *c, const uint8_t *wire, size_t len)
{
	struct msg_iter it;
	struct msg_rr rr;

	memset(c, 0, sizeof(*c));
	if (msg_iter_init(&it, wire, len) < 0)
		return -EBADMSG;
	while (msg_iter_next(&it, &rr)) {
		if (rr.type == DNS_TYPE_RRSIG)
			c->rrsig++;
		else if (rr.type == DNS_TYPE_NSEC)
			c->nsec++;
		else if (rr.type == DNS_TYPE_NSEC3)
			c->nsec3++;
	}
	return 0;
}

/* The type an RRSIG covers: the first two bytes of its RDATA (RFC 4034 section 3.1). */
static bool rrsig_covered(const uint8_t *wire, const struct msg_rr *rr, uint16_t *type)
{
	if (rr->type != DNS_TYPE_RRSIG || rr->rdlen < 2)
		return false;
	*type = (uint16_t)(wire[rr->rdata_off] << 8 | wire[rr->rdata_off + 1]);
	return true;
}

static bool same_set(const struct msg_rr *a, const struct msg_rr *b)
{
	return a->section == b->section && a->rclass == b->rclass &&
	       dns_name_equal(a->owner, a->owner_len, b->owner, b->owner_len);
}

/* Does a record before `stop` (an offset) in the same section start the RRset of rr?
 * Then rr's set has been judged already. */
static bool seen_before(const uint8_t *wire, size_t len, size_t stop, const struct msg_rr *rr)
{
	struct msg_iter it;
	struct msg_rr o;

	if (msg_iter_init(&it, wire, len) < 0)
		return false;
	while (it.off < stop && msg_iter_next(&it, &o))
		if (o.type == rr->type && same_set(&o, rr))
			return true;
	return false;
}

/* Is there an RRSIG covering rr's RRset in its section? */
static bool has_rrsig(const uint8_t *wire, size_t len, const struct msg_rr *rr)
{
	struct msg_iter it;
	struct msg_rr o;
	uint16_t covered;

	if (msg_iter_init(&it, wire, len) < 0)
		return false;
	while (msg_iter_next(&it, &o))
		if (rrsig_covered(wire, &o, &covered) && covered == rr->type && same_set(&o, rr))
			return true;
	return false;
}

/* Is rr a CNAME of the answer below the owner of a DNAME of the answer? */
static bool synthesized_cname(const uint8_t *wire, size_t len, const struct msg_rr *rr)
{
	struct msg_iter it;
	struct msg_rr o;

	if (rr->type != DNS_TYPE_CNAME || rr->section != MSG_AN || msg_iter_init(&it, wire, len) < 0)
		return false;
	while (msg_iter_next(&it, &o) && o.section == MSG_AN)
		if (o.type == DNS_TYPE_DNAME && rr->owner_len > o.owner_len &&
		    dns_name_at_or_below(rr->owner, rr->owner_len, o.owner, o.owner_len))
			return true;
	return false;
}

/* Appends "owner/TYPE" to s->missing; once one does not fit, ", ..." ends the list (room
 * for it is always kept). */
static void add_missing(struct sigcount_sets *s, const struct msg_rr *rr)
{
	static const char more[] = ", ...";
	char name[1024], type[16], item[1100];
	size_t used = strlen(s->missing);

	if (s->cut)
		return;
	msg_name_str(name, sizeof(name), rr->owner, rr->owner_len);
	msg_type_str(type, sizeof(type), rr->type);
	snprintf(item, sizeof(item), "%s%s/%s", used ? ", " : "", name, type);
	if (used + strlen(item) + sizeof(more) <= sizeof(s->missing)) {
		memcpy(s->missing + used, item, strlen(item) + 1);
		return;
	}
	s->cut = true;
	memcpy(s->missing + used, more, sizeof(more));
}

int sigcount_unsigned(struct sigcount_sets *s, const uint8_t *wire, size_t len)
{
	struct msg_view v;
	struct msg_iter it;
	struct msg_rr rr;

	memset(s, 0, sizeof(*s));
	if (msg_parse(&v, wire, len) < 0 || msg_iter_init(&it, wire, len) < 0)
		return -EBADMSG;
	bool referral = !(v.flags & DNS_FLAG_AA);
	for (;;) {
		size_t at = it.off;
		if (!msg_iter_next(&it, &rr) || rr.section == MSG_AR)
			break;
		if (rr.type == DNS_TYPE_RRSIG || seen_before(wire, len, at, &rr))
			continue;
		if (synthesized_cname(wire, len, &rr) ||
		    (referral && rr.section == MSG_NS && rr.type == DNS_TYPE_NS)) {
			s->exempt++;
			continue;
		}
		s->rrsets++;
		if (!has_rrsig(wire, len, &rr)) {
			s->unsigned_sets++;
			add_missing(s, &rr);
		}
	}
	return 0;
}
