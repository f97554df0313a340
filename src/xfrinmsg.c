/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrinmsg.c: checks what a primary answers a secondary and builds the new version of
 * the zone: an AXFR's records (RFC 5936 section 2.2), or an IXFR's deltas (RFC 1995
 * section 4) applied to a copy of the current version's records; either way the zone is
 * built and checked by zonefile_build_rrs() exactly as a zone file would be. Transfers
 * only, never the query path: ldns parses here. */
#include "config.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "log.h"
#include "wire.h"
#include "xfrinmsg.h"
#include "zonefile.h"

enum stream_state {
	ST_FIRST,   /* nothing read yet: the SOA must come first */
	ST_SECOND,  /* the first SOA read: an SOA next starts IXFR deltas, else a whole zone */
	ST_AXFR,    /* the records of a whole zone, until the SOA again */
	ST_DEL,     /* in a delta: the records it removes, until its new SOA */
	ST_ADD,     /* in a delta: the records it adds, until the next SOA */
	ST_DONE,    /* the final SOA read */
};

struct xfrin_stream {
	uint8_t origin[DNS_MAX_NAME];
	size_t origin_len;
	char *origin_text;
	char *source;
	struct zone *current;
	uint16_t qtype, id;
	enum stream_state state;
	enum xfrin_kind kind;
	unsigned messages;
	size_t records;
	uint32_t serial;            /* the primary's: the first SOA's */
	uint32_t to;                /* the serial the delta being read leads to */
	ldns_rr *soa;               /* the first SOA */
	/* A whole zone: every record so far, the first SOA included. IXFR: the records the
	 * deltas read so far added. */
	ldns_rr_list *rrs;
	/* IXFR: the current version's records but its SOA, sorted by rr_cmp(); gone marks
	 * those the deltas removed. */
	ldns_rr **base;
	bool *gone;
	size_t base_count;
};

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint16_t hdr_flags(const uint8_t *msg)
{
	return dns_read16(msg + DNS_OFF_FLAGS);
}

ssize_t xfrin_request_build(uint8_t *buf, size_t cap, const uint8_t *origin, size_t origin_len,
			    uint16_t qtype, const struct zone *current, uint16_t id)
{
	bool ixfr = qtype == DNS_TYPE_IXFR;
	size_t rdlen = ixfr ? dns_read16(current->soa->data) : 0;
	size_t need = DNS_HEADER_SIZE + origin_len + DNS_QUESTION_FIXED_SIZE;
	uint8_t *p = buf;

	if (ixfr)
		need += 2 + DNS_RR_FIXED_SIZE + rdlen;
	if (need > cap)
		return -ENOSPC;
	memset(p, 0, DNS_HEADER_SIZE);
	dns_write16(p + DNS_OFF_ID, id);
	dns_write16(p + DNS_OFF_QDCOUNT, 1);
	/* RFC 1995 section 3: the client's SOA in the authority section. */
	dns_write16(p + DNS_OFF_NSCOUNT, ixfr ? 1 : 0);
	p += DNS_HEADER_SIZE;
	memcpy(p, origin, origin_len);
	p += origin_len;
	dns_write16(p, qtype);
	dns_write16(p + 2, DNS_CLASS_IN);
	p += DNS_QUESTION_FIXED_SIZE;
	if (ixfr) {
		dns_write16(p, 0xc000 | DNS_HEADER_SIZE);
		p += 2;
		dns_write16(p + DNS_RR_OFF_TYPE, DNS_TYPE_SOA);
		dns_write16(p + DNS_RR_OFF_CLASS, DNS_CLASS_IN);
		dns_write32(p + DNS_RR_OFF_TTL, current->soa->ttl);
		dns_write16(p + DNS_RR_OFF_RDLENGTH, (uint16_t)rdlen);
		p += DNS_RR_FIXED_SIZE;
		memcpy(p, current->soa->data + RR_HEADER_SIZE, rdlen);
	}
	return (ssize_t)need;
}

static bool is_origin(const ldns_rdf *name, const uint8_t *origin, size_t origin_len)
{
	uint8_t lc[DNS_MAX_NAME];

	if (ldns_rdf_size(name) != origin_len)
		return false;
	wire_name_tolower(lc, ldns_rdf_data(name), origin_len);
	return memcmp(lc, origin, origin_len) == 0;
}

/* The name of an RCODE for messages. */
static const char *rcode_name(unsigned rcode)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					     "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
					     "NXRRSET", "NOTAUTH", "NOTZONE" };

	return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : "an unknown RCODE";
}

/* The header and question of an answer to the request id for qtype of origin. The
 * question may be left out after the first message of a transfer (RFC 5936 section
 * 2.2.1). Returns 0; -EAGAIN when the ID is not ours; -EPROTO (err says why). */
static int check_answer(const uint8_t *msg, size_t len, const ldns_pkt *pkt, uint16_t id,
			const uint8_t *origin, size_t origin_len, uint16_t qtype,
			bool question_needed, char *err, size_t errlen)
{
	const ldns_rr_list *q = ldns_pkt_question(pkt);
	const ldns_rr *qrr;

	if (len < DNS_HEADER_SIZE || dns_read16(msg + DNS_OFF_ID) != id)
		return -EAGAIN;
	if (!(hdr_flags(msg) & DNS_FLAG_QR) || DNS_OPCODE(hdr_flags(msg)) != DNS_OPCODE_QUERY) {
		say(err, errlen, "the answer is not a QUERY response (QR clear or another opcode)");
		return -EPROTO;
	}
	if (ldns_rr_list_rr_count(q) == 0 && !question_needed)
		return 0;
	if (ldns_rr_list_rr_count(q) != 1) {
		say(err, errlen, "the answer has %zu questions, not our one",
		    ldns_rr_list_rr_count(q));
		return -EPROTO;
	}
	qrr = ldns_rr_list_rr(q, 0);
	if (!is_origin(ldns_rr_owner(qrr), origin, origin_len) ||
	    ldns_rr_get_type(qrr) != qtype || ldns_rr_get_class(qrr) != LDNS_RR_CLASS_IN) {
		say(err, errlen, "the answer's question is not ours");
		return -EAGAIN;
	}
	return 0;
}

static bool is_apex_soa(const ldns_rr *rr, const uint8_t *origin, size_t origin_len)
{
	return ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) == 7 &&
	       is_origin(ldns_rr_owner(rr), origin, origin_len);
}

static uint32_t soa_serial(const ldns_rr *soa)
{
	return ldns_rdf2native_int32(ldns_rr_rdf(soa, 2));
}

int xfrin_soa_answer(const uint8_t *msg, size_t len, uint16_t id, const uint8_t *origin,
		     size_t origin_len, uint32_t *serial, char *err, size_t errlen)
{
	ldns_pkt *pkt = NULL;
	const ldns_rr_list *an;
	size_t i;
	int rc;

	if (len < DNS_HEADER_SIZE || dns_read16(msg + DNS_OFF_ID) != id)
		return -EAGAIN;
	if (ldns_wire2pkt(&pkt, msg, len) != LDNS_STATUS_OK) {
		say(err, errlen, "malformed SOA answer");
		return -EPROTO;
	}
	rc = check_answer(msg, len, pkt, id, origin, origin_len, DNS_TYPE_SOA, true, err, errlen);
	if (rc == 0 && (hdr_flags(msg) & DNS_FLAG_TC))
		rc = 1;
	if (rc == 0 && DNS_RCODE(hdr_flags(msg)) != 0) {
		say(err, errlen, "the SOA query got %s", rcode_name(DNS_RCODE(hdr_flags(msg))));
		rc = -EPROTO;
	}
	an = ldns_pkt_answer(pkt);
	for (i = 0; rc == 0 && i < ldns_rr_list_rr_count(an); i++) {
		if (is_apex_soa(ldns_rr_list_rr(an, i), origin, origin_len)) {
			*serial = soa_serial(ldns_rr_list_rr(an, i));
			break;
		}
	}
	if (rc == 0 && i == ldns_rr_list_rr_count(an)) {
		say(err, errlen, "the SOA answer has no SOA of the zone (not authoritative?)");
		rc = -EPROTO;
	}
	ldns_pkt_free(pkt);
	return rc;
}

struct xfrin_stream *xfrin_stream_new(const uint8_t *origin, size_t origin_len,
				      const char *origin_text, const struct zone *current,
				      uint16_t qtype, uint16_t id, const char *source)
{
	struct xfrin_stream *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	memcpy(s->origin, origin, origin_len);
	s->origin_len = origin_len;
	s->origin_text = strdup(origin_text);
	s->source = strdup(source);
	s->rrs = ldns_rr_list_new();
	if (s->origin_text == NULL || s->source == NULL || s->rrs == NULL) {
		xfrin_stream_free(s);
		return NULL;
	}
	s->current = current != NULL ? zone_hold(current) : NULL;
	s->qtype = qtype;
	s->id = id;
	s->kind = XFRIN_AXFR;
	return s;
}

/* The record in presentation form for a message, cut to fit. */
static void rr_show(char *out, size_t len, const ldns_rr *rr)
{
	char *t = ldns_rr2str(rr);
	size_t n;

	snprintf(out, len, "%s", t != NULL ? t : "?");
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\t'))
		out[--n] = '\0';
	free(t);
}

/* Owner (any case), type, class and RDATA; the TTL aside, as an RRset has one TTL (RFC
 * 2181 section 5.2): the order of s->base, and 0 for the same record. */
static int rr_cmp(const ldns_rr *a, const ldns_rr *b)
{
	size_t i;
	int c = ldns_dname_compare(ldns_rr_owner(a), ldns_rr_owner(b));

	if (c != 0)
		return c;
	if (ldns_rr_get_type(a) != ldns_rr_get_type(b))
		return ldns_rr_get_type(a) < ldns_rr_get_type(b) ? -1 : 1;
	if (ldns_rr_get_class(a) != ldns_rr_get_class(b))
		return ldns_rr_get_class(a) < ldns_rr_get_class(b) ? -1 : 1;
	if (ldns_rr_rd_count(a) != ldns_rr_rd_count(b))
		return ldns_rr_rd_count(a) < ldns_rr_rd_count(b) ? -1 : 1;
	for (i = 0; i < ldns_rr_rd_count(a); i++) {
		c = ldns_rdf_compare(ldns_rr_rdf(a, i), ldns_rr_rdf(b, i));
		if (c != 0)
			return c;
	}
	return 0;
}

static int rr_ptr_cmp(const void *a, const void *b)
{
	return rr_cmp(*(ldns_rr *const *)a, *(ldns_rr *const *)b);
}

static int base_push(struct xfrin_stream *s, ldns_rr *rr, size_t *cap)
{
	if (s->base_count == *cap) {
		size_t n = *cap > 0 ? 2 * *cap : 1024;
		ldns_rr **p = reallocarray(s->base, n, sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		s->base = p;
		*cap = n;
	}
	s->base[s->base_count++] = rr;
	return 0;
}

/* The current version's records, its SOA left out, as ldns records for the deltas to
 * change (zone.h gives each record's wire RDATA; names in it are not compressed), sorted
 * so that finding a removal is a binary search. */
static int current_records(struct xfrin_stream *s)
{
	const struct zone *z = s->current;
	const struct node *n;
	uint8_t wire[DNS_MAX_NAME + DNS_RR_FIXED_SIZE + DNS_MSG_MAX];
	size_t cap = 0;

	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n)) {
		unsigned i;

		for (i = 0; i < n->rrset_count; i++) {
			const struct rrset *set = &n->rrsets[i];
			const uint8_t *p = set->data, *end = set->data + set->data_len;

			if (set->rclass != DNS_CLASS_IN ||
			    (set->type == DNS_TYPE_SOA && (n->flags & NODE_APEX)))
				continue;
			while (p < end) {
				uint16_t rdlen = dns_read16(p);
				size_t len = n->name_len, pos = 0;
				ldns_rr *rr = NULL;

				memcpy(wire, n->name, n->name_len);
				dns_write16(wire + len + DNS_RR_OFF_TYPE, set->type);
				dns_write16(wire + len + DNS_RR_OFF_CLASS, DNS_CLASS_IN);
				dns_write32(wire + len + DNS_RR_OFF_TTL, set->ttl);
				dns_write16(wire + len + DNS_RR_OFF_RDLENGTH, rdlen);
				len += DNS_RR_FIXED_SIZE;
				memcpy(wire + len, p + RR_HEADER_SIZE, rdlen);
				len += rdlen;
				if (ldns_wire2rr(&rr, wire, len, &pos, LDNS_SECTION_ANSWER) !=
				    LDNS_STATUS_OK)
					return -ENOMEM;
				if (base_push(s, rr, &cap) != 0) {
					ldns_rr_free(rr);
					return -ENOMEM;
				}
				p += RR_HEADER_SIZE + rdlen;
			}
		}
	}
	s->gone = calloc(s->base_count > 0 ? s->base_count : 1, sizeof(*s->gone));
	if (s->gone == NULL)
		return -ENOMEM;
	if (s->base_count > 0)
		qsort(s->base, s->base_count, sizeof(*s->base), rr_ptr_cmp);
	return 0;
}

/* The place of rr in s->base, or -1 when it is not there (or removed already). A zone
 * holds no two records rr_cmp() finds the same (zone_build drops duplicates, and an
 * RRset has one TTL). */
static ssize_t base_find(const struct xfrin_stream *s, const ldns_rr *rr)
{
	size_t lo = 0, hi = s->base_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = rr_cmp(s->base[mid], rr);

		if (c == 0)
			return s->gone[mid] ? -1 : (ssize_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Removes a record of a delta from the working copy (RFC 1995 section 4: it must be
 * there). Returns 0, or -EPROTO. */
static int remove_rr(struct xfrin_stream *s, const ldns_rr *rr, char *err, size_t errlen)
{
	size_t i, count = ldns_rr_list_rr_count(s->rrs);
	ssize_t at = base_find(s, rr);
	char show[160];

	if (at >= 0) {
		s->gone[at] = true;
		return 0;
	}
	/* Else one an earlier delta added: few, a linear search. */
	for (i = 0; i < count; i++) {
		if (rr_cmp(ldns_rr_list_rr(s->rrs, i), rr) == 0) {
			ldns_rr *last = ldns_rr_list_pop_rr(s->rrs);

			if (i + 1 < count)
				ldns_rr_free(ldns_rr_list_set_rr(s->rrs, last, i));
			else
				ldns_rr_free(last);
			return 0;
		}
	}
	rr_show(show, sizeof(show), rr);
	say(err, errlen, "the IXFR removes a record the zone does not have: %s", show);
	return -EPROTO;
}

/* One record of the answer, in order; rr is the stream's from now on. Returns 0; 1 when it
 * was the final SOA; -EPROTO or -ENOMEM. */
static int stream_rr(struct xfrin_stream *s, ldns_rr *rr, char *err, size_t errlen)
{
	bool soa = is_apex_soa(rr, s->origin, s->origin_len);
	uint32_t serial = soa ? soa_serial(rr) : 0;
	int rc = 0;

	switch (s->state) {
	case ST_FIRST:
		if (!soa) {
			say(err, errlen, "the answer does not start with the SOA of %s",
			    s->origin_text);
			rc = -EPROTO;
			break;
		}
		s->soa = rr;
		s->serial = serial;
		s->state = ST_SECOND;
		return 0;
	case ST_SECOND:
		if (soa && s->qtype == DNS_TYPE_IXFR && s->current != NULL) {
			/* RFC 1995 section 4: the deltas start at our version. */
			if (serial != s->current->serial) {
				say(err, errlen, "the IXFR starts at serial %u, ours is %u", serial,
				    s->current->serial);
				rc = -EPROTO;
				break;
			}
			s->kind = XFRIN_IXFR;
			s->state = ST_DEL;
			rc = current_records(s);
			break;
		}
		/* A whole zone (an AXFR, or an IXFR answered so: RFC 1995 section 4). */
		s->kind = XFRIN_AXFR;
		s->state = ST_AXFR;
		if (!ldns_rr_list_push_rr(s->rrs, s->soa)) {
			rc = -ENOMEM;
			break;
		}
		s->soa = ldns_rr_clone(s->soa);
		if (s->soa == NULL) {
			rc = -ENOMEM;
			break;
		}
		return stream_rr(s, rr, err, errlen);
	case ST_AXFR:
		if (!soa)
			break; /* kept below */
		if (serial != s->serial) {
			say(err, errlen, "an SOA with serial %u inside the zone of serial %u",
			    serial, s->serial);
			rc = -EPROTO;
			break;
		}
		s->state = ST_DONE;
		rc = 1;
		break;
	case ST_DEL:
		if (soa) {
			s->to = serial;
			s->state = ST_ADD;
		} else {
			rc = remove_rr(s, rr, err, errlen);
		}
		break;
	case ST_ADD:
		if (!soa)
			break; /* kept below */
		if (serial == s->serial && s->to == s->serial) {
			s->state = ST_DONE;
			rc = 1;
		} else if (serial == s->to) {
			s->state = ST_DEL;
		} else {
			say(err, errlen, "an IXFR delta starts at serial %u after one that led "
			    "to %u", serial, s->to);
			rc = -EPROTO;
		}
		break;
	case ST_DONE:
		say(err, errlen, "records after the final SOA");
		rc = -EPROTO;
		break;
	}
	/* An addition the zone has already: kept once (the removal of it must take it). */
	if (rc == 0 && !soa && s->state == ST_ADD && base_find(s, rr) >= 0) {
		ldns_rr_free(rr);
		return 0;
	}
	if (rc == 0 && !soa && (s->state == ST_AXFR || s->state == ST_ADD)) {
		if (!ldns_rr_list_push_rr(s->rrs, rr)) {
			ldns_rr_free(rr);
			return -ENOMEM;
		}
		return 0;
	}
	ldns_rr_free(rr);
	return rc;
}

int xfrin_stream_message(struct xfrin_stream *s, const uint8_t *msg, size_t len, char *err,
			 size_t errlen)
{
	ldns_pkt *pkt = NULL;
	const ldns_rr_list *an;
	unsigned rcode;
	size_t i;
	int rc;

	if (s->state == ST_DONE) {
		say(err, errlen, "a message after the final SOA");
		return -EPROTO;
	}
	if (ldns_wire2pkt(&pkt, msg, len) != LDNS_STATUS_OK) {
		say(err, errlen, "malformed message %u of the transfer", s->messages + 1);
		return -EPROTO;
	}
	rc = check_answer(msg, len, pkt, s->id, s->origin, s->origin_len, s->qtype,
			  s->messages == 0, err, errlen);
	if (rc == -EAGAIN) {
		/* Over TCP to the one peer, a stray answer is a broken stream. */
		if (dns_read16(msg + DNS_OFF_ID) != s->id)
			say(err, errlen, "message %u of the transfer has another ID",
			    s->messages + 1);
		rc = -EPROTO;
	}
	rcode = DNS_RCODE(hdr_flags(msg));
	if (rc == 0 && rcode != 0) {
		say(err, errlen, "the %s got %s", s->qtype == DNS_TYPE_IXFR ? "IXFR" : "AXFR",
		    rcode_name(rcode));
		/* RFC 1995 section 2 and RFC 5936 section 2.2: a primary without IXFR. */
		rc = s->qtype == DNS_TYPE_IXFR && s->messages == 0 &&
		     (rcode == 1 || rcode == 4 || rcode == 5) ? -ENOTSUP : -EPROTO;
	}
	if (rc == 0 && (hdr_flags(msg) & DNS_FLAG_TC)) {
		say(err, errlen, "message %u of the transfer is truncated", s->messages + 1);
		rc = -EPROTO;
	}
	s->messages++;
	an = ldns_pkt_answer(pkt);
	for (i = 0; rc == 0 && i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr *rr = ldns_rr_clone(ldns_rr_list_rr(an, i));

		if (rr == NULL) {
			rc = -ENOMEM;
			break;
		}
		if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
			say(err, errlen, "a record of class %u in the transfer: only IN",
			    (unsigned)ldns_rr_get_class(rr));
			ldns_rr_free(rr);
			rc = -EPROTO;
			break;
		}
		s->records++;
		rc = stream_rr(s, rr, err, errlen);
		if (rc == 1 && i + 1 < ldns_rr_list_rr_count(an)) {
			say(err, errlen, "records after the final SOA");
			rc = -EPROTO;
		}
	}
	if (rc == 0 && i == 0 && ldns_rr_list_rr_count(an) == 0) {
		say(err, errlen, "message %u of the transfer has no records", s->messages);
		rc = -EPROTO;
	}
	/* RFC 1995 section 4: a single SOA, not newer than ours, is the whole answer. */
	if (rc == 0 && s->state == ST_SECOND && s->messages == 1 && s->qtype == DNS_TYPE_IXFR &&
	    s->current != NULL &&
	    dns_serial_compare(s->current->serial, s->serial) != DNS_SERIAL_LESS) {
		s->kind = XFRIN_UPTODATE;
		s->state = ST_DONE;
		rc = 1;
	}
	ldns_pkt_free(pkt);
	return rc;
}

int xfrin_stream_finish(struct xfrin_stream *s, enum xfrin_kind *kind, uint32_t *serial,
			struct zone **zone, char *err, size_t errlen)
{
	char source[300], why[200];
	int rc;

	*zone = NULL;
	if (s->state != ST_DONE) {
		say(err, errlen, "the transfer ended before its final SOA");
		return -EPROTO;
	}
	*kind = s->kind;
	*serial = s->serial;
	if (s->kind == XFRIN_UPTODATE)
		return 0;
	if (s->kind == XFRIN_IXFR) {
		/* The current records the deltas left, what they added, and the new SOA. */
		size_t i;

		for (i = 0; i < s->base_count; i++) {
			if (s->gone[i])
				continue;
			if (!ldns_rr_list_push_rr(s->rrs, s->base[i]))
				return -ENOMEM;
			s->base[i] = NULL;
			s->gone[i] = true;
		}
		if (!ldns_rr_list_push_rr(s->rrs, s->soa))
			return -ENOMEM;
		s->soa = NULL;
	}
	snprintf(source, sizeof(source), "%s of %s from %s",
		 s->kind == XFRIN_IXFR ? "IXFR" : "AXFR", s->origin_text, s->source);
	rc = zonefile_build_rrs(s->rrs, s->origin, s->origin_len, s->origin_text, source, zone,
				why, sizeof(why));
	if (rc == -EINVAL)
		say(err, errlen, "the zone of serial %u fails the checks: %s", s->serial, why);
	return rc;
}

size_t xfrin_stream_records(const struct xfrin_stream *s)
{
	return s->records;
}

void xfrin_stream_free(struct xfrin_stream *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->origin_text);
	free(s->source);
	zone_free(s->current);
	ldns_rr_free(s->soa);
	ldns_rr_list_deep_free(s->rrs);
	for (i = 0; i < s->base_count; i++)
		ldns_rr_free(s->base[i]);
	free(s->base);
	free(s->gone);
	free(s);
}
