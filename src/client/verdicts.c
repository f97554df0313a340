/* SPDX-License-Identifier: BSD-3-Clause */
/* verdicts.c: judge each leg's raw reply against the RFCs, citing the section for each check. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "client/cookie.h"
#include "client/sigcount.h"
#include "client/udplimit.h"
#include "client/verdicts.h"

/* One verdict: ok or failed, a note when note is set (a passing remark, not a check). */
static void add_v(struct verdicts *out, const char *rfc, const char *leg, bool ok, bool note,
		  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void add_v(struct verdicts *out, const char *rfc, const char *leg, bool ok, bool note,
		  const char *fmt, va_list ap)
{
	if (out->n >= VERDICTS_MAX)
		return;
	struct verdict *v = &out->v[out->n++];
	v->rfc = rfc;
	v->leg = leg;
	v->ok = ok;
	v->note = note;
	vsnprintf(v->check, sizeof(v->check), fmt, ap);
}

static void add(struct verdicts *out, const char *rfc, const char *leg, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add(struct verdicts *out, const char *rfc, const char *leg, bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_v(out, rfc, leg, ok, false, fmt, ap);
	va_end(ap);
}

void verdicts_add(struct verdicts *out, const char *rfc, const char *leg, bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_v(out, rfc, leg, ok, false, fmt, ap);
	va_end(ap);
}

/* Adds a passing verdict marked as a note. */
static void note(struct verdicts *out, const char *rfc, const char *leg, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void note(struct verdicts *out, const char *rfc, const char *leg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_v(out, rfc, leg, true, true, fmt, ap);
	va_end(ap);
}

size_t verdicts_udp_limit(const struct exchange_query *q)
{
	if (!q->edns)
		return 512;
	return q->bufsize < 512 ? 512 : q->bufsize;
}

/* Counts the records of (owner, type, class) in the answer section. */
static unsigned rrset_count(const uint8_t *wire, size_t len, const struct msg_rr *key)
{
	struct msg_iter it;
	struct msg_rr rr;
	unsigned n = 0;

	if (msg_iter_init(&it, wire, len) < 0)
		return 0;
	while (msg_iter_next(&it, &rr) && rr.section == MSG_AN)
		if (rr.type == key->type && rr.rclass == key->rclass && rr.owner_len == key->owner_len &&
		    memcmp(rr.owner, key->owner, rr.owner_len) == 0)
			n++;
	return n;
}

/* Rule 2: is every answer RRset of the UDP reply as large as over TCP? Writes the first
 * difference in why. Returns true when they agree. */
static bool rrsets_complete(char *why, size_t whylen, const struct leg *udp, const struct leg *tcp)
{
	struct msg_iter it;
	struct msg_rr rr;
	char name[1024], tname[16];

	/* Every TCP answer RRset, compared with its UDP count; this also finds RRsets
	 * missing from the UDP reply altogether. */
	if (msg_iter_init(&it, tcp->reply, tcp->reply_len) < 0)
		return true;
	while (msg_iter_next(&it, &rr) && rr.section == MSG_AN) {
		unsigned t = rrset_count(tcp->reply, tcp->reply_len, &rr);
		unsigned u = rrset_count(udp->reply, udp->reply_len, &rr);
		if (u < t) {
			msg_name_str(name, sizeof(name), rr.owner, rr.owner_len);
			msg_type_str(tname, sizeof(tname), rr.type);
			snprintf(why, whylen, "udp answer has %u of the %u %.120s %s records tcp returned, with TC = 0",
				 u, t, name, tname);
			return false;
		}
	}
	return true;
}

static void check_match(struct verdicts *out, const struct leg *leg, const char *ln)
{
	if (leg->mismatched == 0)
		add(out, "RFC 5452 section 9.1", ln, true,
		    "%s reply ID %u and question match the query", ln, leg->id);
	else
		add(out, "RFC 5452 section 9.1", ln, false,
		    "%s: %u reply%s with a wrong ID or question (%s)%s", ln, leg->mismatched,
		    leg->mismatched == 1 ? "" : "s", leg->mismatch_why,
		    leg->tcp ? "" : ", ignored");
}

static void check_udp(struct verdicts *out, const struct exchange *ex, const struct leg *udp,
		      const struct leg *tcp)
{
	struct msg_view v;
	size_t limit = verdicts_udp_limit(&ex->q);

	if (msg_parse(&v, udp->reply, udp->reply_len) < 0)
		return;
	bool tc = (v.flags & DNS_FLAG_TC) != 0;

	bool fits = udp->reply_len <= limit;
	if (ex->q.edns)
		add(out, "RFC 6891 section 7", "udp", fits, "udp answer (%zu B) %s the advertised %zu B",
		    udp->reply_len, fits ? "fits" : "exceeds", limit);
	else
		add(out, "RFC 1035 section 4.2.1", "udp", fits, "udp answer (%zu B) %s 512 B without EDNS",
		    udp->reply_len, fits ? "fits" : "exceeds");

	if (ex->q.edns && tc)
		add(out, "RFC 6891 section 7", "udp", v.has_opt,
		    "truncated answer to an EDNS query %s an OPT record",
		    v.has_opt ? "carries" : "lacks");
	if (!ex->q.edns)
		add(out, "RFC 6891 section 7", "udp", !v.has_opt,
		    "no OPT record in the answer to a query without one%s",
		    v.has_opt ? ": the answer has one" : "");
	if (v.opt_count > 1)
		add(out, "RFC 6891 section 6.1.1", "udp", false, "%u OPT records, at most 1 allowed",
		    v.opt_count);

	if (!tc) {
		/* Rule 1: TC = 0 promises the whole message. */
		if (!v.complete)
			add(out, "RFC 2181 section 9", "udp", false,
			    "udp answer without TC holds %u/%u/%u of the %u/%u/%u records its header counts",
			    v.present[1], v.present[2], v.present[3], v.count[1], v.count[2], v.count[3]);
		else if (tcp != NULL && tcp->reply != NULL && msg_rcode(&v) != RCODE_BADCOOKIE) {
			/* (A BADCOOKIE reply holds no answer to compare: the server refused it.) */
			char why[320];
			bool ok = rrsets_complete(why, sizeof(why), udp, tcp);
			if (ok)
				add(out, "RFC 2181 section 9", "udp", true,
				    "no partial RRset without TC: every udp answer RRset is as large as over tcp");
			else
				add(out, "RFC 2181 section 9", "udp", false, "partial RRset without TC: %s", why);
		} else
			add(out, "RFC 2181 section 9", "udp", true,
			    "no partial RRset without TC: all %u records the header counts are whole",
			    v.count[1] + v.count[2] + v.count[3]);
	}
	check_match(out, udp, "udp");
}

static void check_tcp(struct verdicts *out, const struct exchange *ex, const struct leg *udp,
		      const struct leg *tcp)
{
	struct msg_view v, uv;

	if (msg_parse(&v, tcp->reply, tcp->reply_len) < 0)
		return;
	bool tc = (v.flags & DNS_FLAG_TC) != 0;
	add(out, "RFC 8906 section 3.2.7", "tcp", !tc, "%s over tcp", tc ? "TC set" : "no TC");
	add(out, "RFC 1035 section 4.2.2", "tcp", v.complete,
	    "tcp answer holds %s records its header counts", v.complete ? "all" : "not all");

	/* "Capped at the UDP size": after a truncated UDP reply the TCP reply must bring
	 * more than UDP could; a TCP reply that is no bigger than the UDP limit and has no
	 * more records than the truncated one is the UDP answer again. */
	if (udp != NULL && udp->reply != NULL && msg_parse(&uv, udp->reply, udp->reply_len) == 0 &&
	    (uv.flags & DNS_FLAG_TC)) {
		size_t limit = verdicts_udp_limit(&ex->q);
		unsigned urr = uv.count[1] + uv.count[2] + uv.count[3] - uv.opt_count;
		unsigned trr = v.count[1] + v.count[2] + v.count[3] - v.opt_count;
		bool capped = tcp->reply_len <= limit && trr <= urr;
		add(out, "RFC 8906 section 3.2.7", "tcp", !capped,
		    capped ? "tcp answer (%zu B, %u records) is capped at the udp size of %zu B"
			   : "tcp answer (%zu B, %u records) is not capped at the udp size of %zu B",
		    tcp->reply_len, trr, limit);
	}
	check_match(out, tcp, "tcp");
}

/* The COOKIE of a leg's reply when its query sent one (RFC 7873): a server cookie of a
 * legal length, the client cookie echoed unchanged, and what a BADCOOKIE led to. */
static void check_cookie(struct verdicts *out, const struct exchange *ex, const struct leg *leg)
{
	struct msg_view q, v;
	const char *ln = leg->tcp ? "tcp" : "udp";
	const char *what = leg->tcp ? "tcp" : leg->badcookie_retry ? "udp retry" : "udp";
	char sent[COOKIE_HEX_MAX], got[COOKIE_HEX_MAX];

	if (msg_parse(&q, leg->query, leg->query_len) < 0 || !q.has_cookie ||
	    msg_parse(&v, leg->reply, leg->reply_len) < 0)
		return;
	if (!v.has_cookie) {
		note(out, "RFC 7873 section 5.3", ln, "%s reply carries no COOKIE: the server does "
		     "not do DNS Cookies (allowed)", what);
		return;
	}
	if (!cookie_len_valid(v.cookie_len) || v.cookie_len == COOKIE_CLIENT_SIZE)
		add(out, "RFC 7873 section 4", ln, false, "%s reply COOKIE is %zu bytes: the %d-byte "
		    "client cookie and a server cookie of %d to %d bytes make %d to %d", what,
		    v.cookie_len, COOKIE_CLIENT_SIZE, COOKIE_SERVER_MIN, COOKIE_SERVER_MAX,
		    COOKIE_CLIENT_SIZE + COOKIE_SERVER_MIN, COOKIE_MAX);
	else
		add(out, "RFC 7873 section 4", ln, true, "%s server cookie is %zu bytes (%d to %d)",
		    what, v.cookie_len - COOKIE_CLIENT_SIZE, COOKIE_SERVER_MIN, COOKIE_SERVER_MAX);
	if (v.cookie_len >= COOKIE_CLIENT_SIZE) {
		bool echoed = memcmp(v.cookie, q.cookie, COOKIE_CLIENT_SIZE) == 0;
		cookie_hex(sent, sizeof(sent), q.cookie, COOKIE_CLIENT_SIZE);
		cookie_hex(got, sizeof(got), v.cookie, COOKIE_CLIENT_SIZE);
		if (echoed)
			add(out, "RFC 7873 section 5.3", ln, true, "%s reply echoes the client cookie "
			    "%s unchanged", what, sent);
		else
			add(out, "RFC 7873 section 5.3", ln, false, "%s reply returns the client cookie "
			    "%s, not the %s sent: a client discards such a reply", what, got, sent);
	}
	if (msg_rcode(&v) != RCODE_BADCOOKIE || leg->tcp)
		return;
	if (!leg->badcookie_retry) {
		bool retried = false;
		for (size_t i = 0; i < ex->nlegs; i++)
			retried |= ex->legs[i].badcookie_retry;
		if (retried)
			note(out, "RFC 7873 section 5.3", ln, "udp reply BADCOOKIE: the server wants its "
			     "cookie; retried over udp with the server cookie it sent");
		return;
	}
	add(out, "RFC 7873 section 5.3", ln, false, "udp retry with the server's fresh cookie got "
	    "BADCOOKIE again: the server rejects the cookie it just gave (inconsistent secrets "
	    "across servers?); the client retries over tcp");
}

/* A UDP answer empty with TC = 1 (no answer or authority records, nothing additional but
 * OPT) whose TCP answer fits the UDP limit was not truncated for size, which is what TC
 * says (RFC 1035 section 4.1.1): a rate limiter's slip or a forced TC. A note. */
static void check_slip(struct verdicts *out, const struct exchange *ex, const struct leg *udp,
		       const struct leg *tcp)
{
	struct msg_view u, t;
	struct udplimit lim;
	char why[UDPLIMIT_TEXT_MAX];

	if (udp == NULL || udp->reply == NULL || tcp == NULL || tcp->reply == NULL ||
	    msg_parse(&u, udp->reply, udp->reply_len) < 0 ||
	    msg_parse(&t, tcp->reply, tcp->reply_len) < 0)
		return;
	if (!(u.flags & DNS_FLAG_TC) || u.count[MSG_AN] != 0 || u.count[MSG_NS] != 0 ||
	    u.count[MSG_AR] != u.opt_count)
		return;
	udplimit_of(&lim, &ex->q, &u);
	if (tcp->reply_len > lim.bytes)
		return;
	udplimit_str(why, sizeof(why), &lim);
	out->slip = true;
	out->slip_limit = lim.bytes;
	out->slip_tcp_bytes = tcp->reply_len;
	note(out, "RFC 1035 section 4.1.1", "both", "udp answer empty with TC = 1, but the tcp "
	     "answer (%zu B) fits the udp limit of %s: the truncation looks like a rate-limit slip "
	     "(or a forced TC), not size", tcp->reply_len, why);
}

/* Room for tcp_failure_str's text, strerror's longest message included. */
#define TCP_FAILURE_MAX 128

/* Why a TCP leg got no reply, in words that finish "tcp to the same port N ...". */
static void tcp_failure_str(char *buf, size_t buflen, const struct leg *tcp)
{
	if (tcp->err == -ECONNREFUSED)
		snprintf(buf, buflen, "was refused: nothing listens on tcp there");
	else if (tcp->err == -ETIMEDOUT && !tcp->connected)
		snprintf(buf, buflen, "was not accepted in %u ms", tcp->timeout_ms);
	else if (tcp->err == -ETIMEDOUT)
		snprintf(buf, buflen, "was accepted, then no reply came in %u ms", tcp->timeout_ms);
	else if (tcp->err == -ECONNRESET)
		snprintf(buf, buflen, "was closed before the whole reply");
	else
		snprintf(buf, buflen, "failed at %s: %s", tcp->err_stage ? tcp->err_stage : "exchange",
			 strerror(-tcp->err));
}

/* RFC 7766 section 5: a server that truncates over UDP must answer over TCP on the same
 * port, and every general-purpose DNS server must answer over TCP as well as UDP. A TCP
 * leg that went unanswered after a UDP reply fails it, unless the failure was on this
 * side (no socket, no memory). */
static void check_tcp_answered(struct verdicts *out, const struct leg *udp, const struct leg *tcp)
{
	struct msg_view v;
	char why[TCP_FAILURE_MAX];

	if (udp == NULL || udp->reply == NULL || tcp == NULL || tcp->reply != NULL || tcp->err == 0)
		return;
	if (tcp->err == -ENOMEM || tcp->err == -ENOSPC ||
	    (tcp->err_stage != NULL && strcmp(tcp->err_stage, "socket") == 0))
		return;
	bool tc = msg_parse(&v, udp->reply, udp->reply_len) == 0 && (v.flags & DNS_FLAG_TC);
	unsigned port = tcp->remote.ss_family == AF_INET6
		? ntohs(((const struct sockaddr_in6 *)&tcp->remote)->sin6_port)
		: ntohs(((const struct sockaddr_in *)&tcp->remote)->sin_port);
	tcp_failure_str(why, sizeof(why), tcp);
	if (tc)
		add(out, "RFC 7766 section 5", "tcp", false,
		    "udp answer truncated (TC = 1), but tcp to the same port %u %s: a server that "
		    "truncates must answer over tcp", port, why);
	else
		add(out, "RFC 7766 section 5", "tcp", false,
		    "tcp to the same port %u %s: a DNS server must answer over tcp as well as udp",
		    port, why);
}

/* A CNAME or DNAME of the answer section: owner, target and TTL, the names lowercased. */
struct alias_rr {
	uint8_t owner[DNS_MAX_NAME];
	size_t owner_len;
	uint8_t target[DNS_MAX_NAME];
	size_t target_len;
	uint32_t ttl;
};

/* Reads the next answer record of type `type` into *d. Returns false at the end of the
 * answer section. */
static bool next_answer(struct msg_iter *it, const uint8_t *wire, size_t len, uint16_t type,
			struct alias_rr *d)
{
	struct msg_rr rr;

	while (msg_iter_next(it, &rr) && rr.section == MSG_AN) {
		size_t off = rr.rdata_off;
		int n;

		if (rr.type != type)
			continue;
		n = msg_name_read(d->target, wire, len, &off, true);
		if (n < 0)
			continue;
		memcpy(d->owner, rr.owner, rr.owner_len);
		d->owner_len = rr.owner_len;
		d->target_len = (size_t)n;
		d->ttl = rr.ttl;
		return true;
	}
	return false;
}

/* True when name is strictly below owner (both lowercased wire names). */
static bool strictly_below(const uint8_t *name, size_t len, const uint8_t *owner, size_t owner_len)
{
	return len > owner_len && dns_name_at_or_below(name, len, owner, owner_len);
}

/* The CNAMEs of the answer synthesized from the DNAME d (owner strictly below its owner)
 * must be the DNAME applied: the owner with the DNAME's owner replaced by its target, and
 * the DNAME's TTL (RFC 6672 section 3.1). Adds one verdict for them. */
static void check_synthesized(struct verdicts *out, const struct leg *leg, const char *ln,
			      const struct alias_rr *d)
{
	char dn[128], dt[128], cn[128], ct[128], want[128];
	struct msg_iter it;
	struct alias_rr c;
	unsigned matched = 0;

	msg_name_str(dn, sizeof(dn), d->owner, d->owner_len);
	msg_name_str(dt, sizeof(dt), d->target, d->target_len);
	if (msg_iter_init(&it, leg->reply, leg->reply_len) < 0)
		return;
	while (next_answer(&it, leg->reply, leg->reply_len, DNS_TYPE_CNAME, &c)) {
		uint8_t expect[DNS_MAX_NAME];
		size_t prefix = c.owner_len - d->owner_len;
		bool fits = prefix + d->target_len <= DNS_MAX_NAME;

		if (!strictly_below(c.owner, c.owner_len, d->owner, d->owner_len))
			continue;
		if (fits) {
			memcpy(expect, c.owner, prefix);
			memcpy(expect + prefix, d->target, d->target_len);
		}
		if (fits && dns_name_equal(expect, prefix + d->target_len, c.target, c.target_len) &&
		    c.ttl == d->ttl) {
			if (matched++ == 0) {
				msg_name_str(cn, sizeof(cn), c.owner, c.owner_len);
				msg_name_str(ct, sizeof(ct), c.target, c.target_len);
			}
			continue;
		}
		msg_name_str(cn, sizeof(cn), c.owner, c.owner_len);
		msg_name_str(ct, sizeof(ct), c.target, c.target_len);
		if (!fits)
			add(out, "RFC 6672 section 2.2", ln, false,
			    "%s answer: CNAME %s -> %s from the DNAME %s -> %s: the substitution "
			    "passes 255 bytes, the answer should be YXDOMAIN", ln, cn, ct, dn, dt);
		else {
			msg_name_str(want, sizeof(want), expect, prefix + d->target_len);
			add(out, "RFC 6672 section 3.1", ln, false,
			    "%s answer: CNAME %s -> %s (TTL %lu) does not match the DNAME %s -> %s: "
			    "want %s, TTL %lu", ln, cn, ct, (unsigned long)c.ttl, dn, dt, want,
			    (unsigned long)d->ttl);
		}
		return;
	}
	if (matched > 0)
		add(out, "RFC 6672 section 3.1", ln, true,
		    "%s answer: CNAME %s -> %s%s is the DNAME %s -> %s applied, with its TTL %lu", ln,
		    cn, ct, matched > 1 ? " (and the others below it)" : "", dn, dt,
		    (unsigned long)d->ttl);
}

/* The query name below the DNAME d: the answer holds the CNAME synthesized for it, or is
 * YXDOMAIN because that CNAME's name would pass 255 bytes (RFC 6672 sections 3.1, 2.2). */
static void check_redirected_qname(struct verdicts *out, const struct msg_view *v,
				   const struct leg *leg, const char *ln, const struct alias_rr *d)
{
	char qn[128], dn[128];
	struct msg_iter it;
	struct alias_rr c;
	uint8_t qname[DNS_MAX_NAME];
	size_t synthesized;

	for (size_t i = 0; i < v->qname_len; i++)
		qname[i] = (uint8_t)tolower(v->qname[i]);
	if (!strictly_below(qname, v->qname_len, d->owner, d->owner_len))
		return;
	synthesized = v->qname_len - d->owner_len + d->target_len;
	msg_name_str(qn, sizeof(qn), v->qname, v->qname_len);
	msg_name_str(dn, sizeof(dn), d->owner, d->owner_len);
	if (msg_rcode(v) == RCODE_YXDOMAIN) {
		add(out, "RFC 6672 section 2.2", ln, synthesized > DNS_MAX_NAME,
		    "%s answer YXDOMAIN: %s with the DNAME %s applied is %zu bytes, %s 255", ln, qn,
		    dn, synthesized, synthesized > DNS_MAX_NAME ? "over" : "not over");
		return;
	}
	if (msg_iter_init(&it, leg->reply, leg->reply_len) < 0)
		return;
	while (next_answer(&it, leg->reply, leg->reply_len, DNS_TYPE_CNAME, &c))
		if (dns_name_equal(c.owner, c.owner_len, qname, v->qname_len))
			return; /* check_synthesized() judges it */
	add(out, "RFC 6672 section 3.1", ln, false,
	    "%s answer has the DNAME %s above %s but no CNAME synthesized for it", ln, dn, qn);
}

/* Every DNAME in the answer section of a leg's reply (RFC 6672). */
static void check_dnames(struct verdicts *out, const struct leg *leg, const char *ln)
{
	struct msg_view v;
	struct msg_iter it;
	struct alias_rr d;

	if (msg_parse(&v, leg->reply, leg->reply_len) < 0 || !v.has_question ||
	    msg_iter_init(&it, leg->reply, leg->reply_len) < 0)
		return;
	while (next_answer(&it, leg->reply, leg->reply_len, DNS_TYPE_DNAME, &d)) {
		check_redirected_qname(out, &v, leg, ln, &d);
		check_synthesized(out, leg, ln, &d);
	}
}

/* With DO set, RFC 4035 section 3.1.1: every RRset of the answer and authority sections
 * carries its RRSIGs. A truncated leg is not judged (it may hold only part of the answer),
 * and a reply without any RRSIG is a note: the zone looks unsigned, and the rule binds
 * signed zones only. */
static void check_signed(struct verdicts *out, const struct exchange *ex, const struct leg *leg,
			 const char *ln)
{
	struct msg_view v;
	struct sigcount c;
	struct sigcount_sets s;

	if (!ex->q.dnssec || msg_parse(&v, leg->reply, leg->reply_len) < 0 ||
	    (v.flags & DNS_FLAG_TC) || sigcount_count(&c, leg->reply, leg->reply_len) < 0 ||
	    sigcount_unsigned(&s, leg->reply, leg->reply_len) < 0 || s.rrsets == 0)
		return;
	if (c.rrsig == 0)
		note(out, "RFC 4035 section 3.1.1", ln, "%s answer to DO carries no RRSIG at all: the "
		     "zone looks unsigned (%u RRset%s without one)", ln, s.unsigned_sets,
		     s.unsigned_sets == 1 ? "" : "s");
	else if (s.unsigned_sets == 0)
		add(out, "RFC 4035 section 3.1.1", ln, true, "%s answer: every RRset in answer and "
		    "authority carries its RRSIG (%u RRset%s%s)", ln, s.rrsets,
		    s.rrsets == 1 ? "" : "s",
		    s.exempt ? "; a synthesized CNAME or a referral's NS exempt" : "");
	else
		add(out, "RFC 4035 section 3.1.1", ln, false, "%s answer: %u of %u RRsets in answer and "
		    "authority without their RRSIG: %s", ln, s.unsigned_sets, s.rrsets, s.missing);
}

int verdicts_check(struct verdicts *out, const struct exchange *ex)
{
	const struct leg *udp = NULL, *tcp = NULL;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ex->nlegs; i++) {
		const struct leg *l = &ex->legs[i];
		if (l->tcp)
			tcp = l;
		else
			udp = l;
	}
	/* A UDP leg answered BADCOOKIE and retried gets its own ID check; the retry is the
	 * UDP answer every other rule judges. */
	for (size_t i = 0; i < ex->nlegs; i++)
		if (&ex->legs[i] != udp && !ex->legs[i].tcp && ex->legs[i].reply != NULL)
			check_match(out, &ex->legs[i], "udp");
	for (size_t i = 0; i < ex->nlegs; i++)
		if (ex->legs[i].reply != NULL)
			check_cookie(out, ex, &ex->legs[i]);
	if (udp != NULL && udp->reply != NULL)
		check_udp(out, ex, udp, tcp);
	if (tcp != NULL && tcp->reply != NULL)
		check_tcp(out, ex, udp, tcp);
	check_slip(out, ex, udp, tcp);
	check_tcp_answered(out, udp, tcp);
	if (udp != NULL && udp->reply != NULL)
		check_dnames(out, udp, "udp");
	if (tcp != NULL && tcp->reply != NULL)
		check_dnames(out, tcp, "tcp");
	if (udp != NULL && udp->reply != NULL)
		check_signed(out, ex, udp, "udp");
	if (tcp != NULL && tcp->reply != NULL)
		check_signed(out, ex, tcp, "tcp");
	for (size_t i = 0; i < out->n; i++)
		if (!out->v[i].ok)
			failed++;
	return failed;
}
