/* SPDX-License-Identifier: BSD-3-Clause */
/* test_verdicts.c: the reply checks over hand-built replies: RFC 5452 matching, sizes, OPT, partial RRsets, TCP. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/exchange.h"
#include "client/msg.h"
#include "client/verdicts.h"

static void make_query(struct exchange_query *q, const char *name, uint16_t qtype, bool edns,
		       uint16_t bufsize)
{
	memset(q, 0, sizeof(*q));
	int n = exchange_name_from_str(q->qname, sizeof(q->qname), name);
	assert_true(n > 0);
	q->qname_len = (size_t)n;
	q->qtype = qtype;
	q->qclass = 1;
	q->edns = edns;
	q->bufsize = bufsize;
}

/* How to build a reply to a leg's query. */
struct reply_spec {
	unsigned records;         /* TXT records of 100 characters, owner = the qname */
	int ancount;              /* header ANCOUNT; -1 = records */
	bool tc, opt, cut;        /* cut: stop the message 10 bytes into the last record */
	uint16_t id_xor;
};

/* Fills leg as a completed exchange: its query, and a reply built from spec. */
static void make_leg(struct leg *leg, const struct exchange_query *q, bool tcp,
		     const struct reply_spec *s)
{
	memset(leg, 0, sizeof(*leg));
	leg->tcp = tcp;
	leg->id = tcp ? 0x2222 : 0x1111;
	int n = exchange_build_query(leg->query, sizeof(leg->query), leg->id, q);
	assert_true(n > 0);
	leg->query_len = (size_t)n;

	size_t qend = DNS_HEADER_SIZE + q->qname_len + 4, cap = qend + s->records * 113 + 11;
	uint8_t *r = calloc(1, cap);
	assert_non_null(r);
	memcpy(r, leg->query, qend);
	dns_write16(r + DNS_OFF_ID, leg->id ^ s->id_xor);
	dns_write16(r + DNS_OFF_FLAGS, DNS_FLAG_QR | DNS_FLAG_AA | (s->tc ? DNS_FLAG_TC : 0));
	dns_write16(r + DNS_OFF_ANCOUNT, (uint16_t)(s->ancount >= 0 ? (unsigned)s->ancount : s->records));
	dns_write16(r + DNS_OFF_ARCOUNT, s->opt ? 1 : 0);
	size_t o = qend;
	for (unsigned i = 0; i < s->records; i++) {
		dns_write16(r + o, 0xc00c);
		dns_write16(r + o + 2, 16);
		dns_write16(r + o + 4, 1);
		memset(r + o + 6, 0, 4);
		dns_write16(r + o + 10, 101);
		r[o + 12] = 100;
		memset(r + o + 13, 'x', 100);
		o += 113;
	}
	if (s->cut)
		o -= 103;
	if (s->opt) {
		r[o] = 0;
		dns_write16(r + o + 1, DNS_TYPE_OPT);
		dns_write16(r + o + 3, 1232);
		memset(r + o + 5, 0, 6);
		o += 11;
	}
	leg->reply = r;
	leg->reply_len = o;
}

/* The verdict for rfc on leg (first match): returns 1 ok, 0 failed, -1 absent. */
static int verdict(const struct verdicts *vd, const char *rfc, const char *leg)
{
	for (size_t i = 0; i < vd->n; i++)
		if (strcmp(vd->v[i].rfc, rfc) == 0 && strcmp(vd->v[i].leg, leg) == 0)
			return vd->v[i].ok;
	return -1;
}

/* Any failed verdict for rfc on leg? */
static bool failed(const struct verdicts *vd, const char *rfc, const char *leg)
{
	for (size_t i = 0; i < vd->n; i++)
		if (strcmp(vd->v[i].rfc, rfc) == 0 && strcmp(vd->v[i].leg, leg) == 0 && !vd->v[i].ok)
			return true;
	return false;
}

struct case_ {
	const char *what;
	bool edns;
	uint16_t bufsize;
	struct reply_spec udp;
	bool with_tcp;
	struct reply_spec tcp;
	const char *fail_rfc;     /* NULL: every verdict passes */
	const char *fail_leg;
};

static const struct case_ cases[] = {
	{ "fits, no TC", true, 1232, { .records = 8, .ancount = -1, .opt = true }, false, { 0 }, NULL, NULL },
	{ "TC then whole over TCP", true, 1232, { .records = 0, .ancount = -1, .tc = true, .opt = true },
	  true, { .records = 40, .ancount = -1, .opt = true }, NULL, NULL },
	/* RFC 6891 section 7: 1233 B or more against an advertised 1232 */
	{ "oversized UDP", true, 1232, { .records = 40, .ancount = -1, .opt = true }, false, { 0 },
	  "RFC 6891 section 7", "udp" },
	/* sizes under 512 count as 512: 4 records (about 500 B) fit +bufsize=100 */
	{ "bufsize below 512", true, 100, { .records = 4, .ancount = -1, .opt = true }, false, { 0 }, NULL, NULL },
	{ "oversized without EDNS", false, 0, { .records = 5, .ancount = -1 }, false, { 0 },
	  "RFC 1035 section 4.2.1", "udp" },
	{ "OPT in reply to a query without", false, 0, { .records = 1, .ancount = -1, .opt = true }, false, { 0 },
	  "RFC 6891 section 7", "udp" },
	{ "TC without OPT", true, 1232, { .records = 0, .ancount = -1, .tc = true }, true,
	  { .records = 40, .ancount = -1, .opt = true }, "RFC 6891 section 7", "udp" },
	/* RFC 2181 section 9, rule 1: counts claim more than is there */
	{ "counts beyond the message", true, 1232, { .records = 10, .ancount = 40, .opt = false }, false, { 0 },
	  "RFC 2181 section 9", "udp" },
	{ "last record cut", true, 1232, { .records = 3, .ancount = -1, .cut = true }, false, { 0 },
	  "RFC 2181 section 9", "udp" },
	/* the same with TC is allowed by RFC 1035 section 4.2.1 */
	{ "counts beyond the message with TC", false, 0, { .records = 4, .ancount = 40, .tc = true },
	  true, { .records = 40, .ancount = -1, .opt = true }, NULL, NULL },
	/* rule 2: a consistent message with fewer records than TCP */
	{ "fewer records than TCP", true, 1232, { .records = 10, .ancount = -1, .opt = true }, true,
	  { .records = 40, .ancount = -1, .opt = true }, "RFC 2181 section 9", "udp" },
	{ "as many records as TCP", true, 1232, { .records = 8, .ancount = -1, .opt = true }, true,
	  { .records = 8, .ancount = -1, .opt = true }, NULL, NULL },
	/* RFC 8906 section 3.2.7 */
	{ "TC over TCP", true, 1232, { .records = 0, .ancount = -1, .tc = true, .opt = true }, true,
	  { .records = 0, .ancount = -1, .tc = true, .opt = true }, "RFC 8906 section 3.2.7", "tcp" },
	{ "TCP capped at the UDP size", true, 1232, { .records = 0, .ancount = -1, .tc = true, .opt = true }, true,
	  { .records = 0, .ancount = -1, .opt = true }, "RFC 8906 section 3.2.7", "tcp" },
	{ "TCP answer cut", true, 1232, { .records = 0, .ancount = -1, .tc = true, .opt = true }, true,
	  { .records = 40, .ancount = 41, .opt = false }, "RFC 1035 section 4.2.2", "tcp" },
	/* RFC 5452 section 9.1 over TCP: the one reply is not filtered, it fails */
	{ "TCP wrong ID", true, 1232, { .records = 0, .ancount = -1, .tc = true, .opt = true }, true,
	  { .records = 40, .ancount = -1, .opt = true, .id_xor = 1 }, "RFC 5452 section 9.1", "tcp" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct exchange ex;
		struct verdicts vd;

		memset(&ex, 0, sizeof(ex));
		make_query(&ex.q, "big.example.com", 16, c->edns, c->bufsize);
		make_leg(&ex.legs[ex.nlegs++], &ex.q, false, &c->udp);
		if (c->with_tcp)
			make_leg(&ex.legs[ex.nlegs++], &ex.q, true, &c->tcp);
		/* a mismatch over TCP is recorded by exchange_tcp; do what it does */
		struct leg *tl = &ex.legs[ex.nlegs - 1];
		char why[96];
		if (tl->tcp && !exchange_reply_matches(why, sizeof(why), tl->query, tl->query_len,
						       tl->reply, tl->reply_len))
			tl->mismatched = 1;

		int nfailed = verdicts_check(&vd, &ex);
		if (c->fail_rfc == NULL) {
			for (size_t k = 0; k < vd.n; k++)
				if (!vd.v[k].ok)
					fail_msg("%s: unexpected failure %s: %s", c->what, vd.v[k].rfc, vd.v[k].check);
			assert_int_equal(nfailed, 0);
		} else if (!failed(&vd, c->fail_rfc, c->fail_leg)) {
			fail_msg("%s: no failed %s verdict on %s", c->what, c->fail_rfc, c->fail_leg);
		}
		exchange_free(&ex);
	}
}

/* An empty UDP answer with TC = 1 whose TCP answer fits the UDP limit is a slip or a forced
 * TC, not size (RFC 1035 section 4.1.1): a note, not a failure. A TCP answer beyond the
 * limit, or a truncated answer that holds records, is not called one. */
static void test_slip(void **state)
{
	static const struct {
		unsigned tcp_records;
		uint16_t bufsize;
		unsigned udp_records;
		bool slip;
	} slips[] = {
		{ 8, 1232, 0, true },     /* about 950 B: fits 1232 */
		{ 40, 1232, 0, false },   /* about 4.5 KB: truncated for size */
		{ 8, 512, 0, false },     /* fits 1232, not the 512 offered */
		{ 8, 1232, 1, false },    /* TC with a record: not an empty slip */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(slips) / sizeof(slips[0]); i++) {
		struct exchange ex;
		struct verdicts vd;
		struct reply_spec u = { .records = slips[i].udp_records, .ancount = -1, .tc = true, .opt = true };
		struct reply_spec t = { .records = slips[i].tcp_records, .ancount = -1, .opt = true };
		bool noted = false;

		memset(&ex, 0, sizeof(ex));
		make_query(&ex.q, "big.example.com", 16, true, slips[i].bufsize);
		make_leg(&ex.legs[ex.nlegs++], &ex.q, false, &u);
		make_leg(&ex.legs[ex.nlegs++], &ex.q, true, &t);
		verdicts_check(&vd, &ex);
		for (size_t k = 0; k < vd.n; k++) {
			if (strcmp(vd.v[k].rfc, "RFC 1035 section 4.1.1") != 0)
				continue;
			noted = true;
			assert_true(vd.v[k].ok);
			assert_true(vd.v[k].note);
			assert_non_null(strstr(vd.v[k].check, "rate-limit slip"));
		}
		assert_int_equal(noted, slips[i].slip);
		assert_int_equal(vd.slip, slips[i].slip);
		if (slips[i].slip) {
			assert_int_equal(vd.slip_tcp_bytes, ex.legs[1].reply_len);
			assert_int_equal(vd.slip_limit, 1232);
		}
		exchange_free(&ex);
	}
}

static void test_udp_limit(void **state)
{
	struct exchange_query q;

	(void)state;
	make_query(&q, "x", 1, false, 4096);
	assert_int_equal(verdicts_udp_limit(&q), 512);
	make_query(&q, "x", 1, true, 0);
	assert_int_equal(verdicts_udp_limit(&q), 512);
	make_query(&q, "x", 1, true, 1232);
	assert_int_equal(verdicts_udp_limit(&q), 1232);
}

static void test_truncated_opt_verdict_present(void **state)
{
	struct exchange ex;
	struct verdicts vd;
	const struct reply_spec s = { .records = 0, .ancount = -1, .tc = true, .opt = true };

	(void)state;
	memset(&ex, 0, sizeof(ex));
	make_query(&ex.q, "big.example.com", 16, true, 1232);
	make_leg(&ex.legs[ex.nlegs++], &ex.q, false, &s);
	verdicts_check(&vd, &ex);
	assert_int_equal(verdict(&vd, "RFC 6891 section 7", "udp"), 1);
	assert_int_equal(verdict(&vd, "RFC 5452 section 9.1", "udp"), 1);
	exchange_free(&ex);
}

/* A TCP leg that got no reply, as exchange_tcp leaves it after err at stage. */
static void make_failed_tcp(struct leg *leg, const struct exchange_query *q, int err,
			    const char *stage, bool connected)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&leg->remote;

	memset(leg, 0, sizeof(*leg));
	leg->tcp = true;
	leg->id = 0x2222;
	int n = exchange_build_query(leg->query, sizeof(leg->query), leg->id, q);
	assert_true(n > 0);
	leg->query_len = (size_t)n;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(5353);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	leg->err = err;
	leg->err_stage = stage;
	leg->connected = connected;
	leg->timeout_ms = 300;
}

/* The check text of the first verdict for rfc on leg, or NULL. */
static const char *verdict_text(const struct verdicts *vd, const char *rfc, const char *leg)
{
	for (size_t i = 0; i < vd->n; i++)
		if (strcmp(vd->v[i].rfc, rfc) == 0 && strcmp(vd->v[i].leg, leg) == 0)
			return vd->v[i].check;
	return NULL;
}

/* RFC 7766 section 5: a server that truncates must answer over TCP on the same port, and
 * every DNS server must answer over TCP too. TCP refused, never accepted, accepted and
 * silent, or closed early fails it; a failure on our side (no socket) does not. */
static void test_tcp_unanswered(void **state)
{
	static const struct {
		bool tc;              /* the UDP reply was truncated (else +compare asked) */
		int err;
		const char *stage;
		bool connected;
		const char *text;     /* the whole check text; NULL: no RFC 7766 verdict */
	} unanswered[] = {
		{ true, -ECONNREFUSED, "connect", false,
		  "udp answer truncated (TC = 1), but tcp to the same port 5353 was refused: "
		  "nothing listens on tcp there: a server that truncates must answer over tcp" },
		{ true, -ETIMEDOUT, "connect", false,
		  "udp answer truncated (TC = 1), but tcp to the same port 5353 was not accepted "
		  "in 300 ms: a server that truncates must answer over tcp" },
		{ true, -ETIMEDOUT, "receive", true,
		  "udp answer truncated (TC = 1), but tcp to the same port 5353 was accepted, then "
		  "no reply came in 300 ms: a server that truncates must answer over tcp" },
		{ true, -ECONNRESET, "receive", true,
		  "udp answer truncated (TC = 1), but tcp to the same port 5353 was closed before "
		  "the whole reply: a server that truncates must answer over tcp" },
		{ false, -ECONNREFUSED, "connect", false,
		  "tcp to the same port 5353 was refused: nothing listens on tcp there: a DNS "
		  "server must answer over tcp as well as udp" },
		{ true, -EMFILE, "socket", false, NULL },
	};
	const struct reply_spec tc = { .records = 0, .ancount = -1, .tc = true, .opt = true };
	const struct reply_spec fits = { .records = 8, .ancount = -1, .opt = true };

	(void)state;
	for (size_t i = 0; i < sizeof(unanswered) / sizeof(unanswered[0]); i++) {
		struct exchange ex;
		struct verdicts vd;

		memset(&ex, 0, sizeof(ex));
		make_query(&ex.q, "big.example.com", 16, true, 1232);
		make_leg(&ex.legs[ex.nlegs++], &ex.q, false, unanswered[i].tc ? &tc : &fits);
		make_failed_tcp(&ex.legs[ex.nlegs++], &ex.q, unanswered[i].err, unanswered[i].stage,
				unanswered[i].connected);
		int nfailed = verdicts_check(&vd, &ex);
		const char *text = verdict_text(&vd, "RFC 7766 section 5", "tcp");
		if (unanswered[i].text == NULL) {
			if (text != NULL)
				fail_msg("case %zu: unexpected verdict: %s", i, text);
			assert_int_equal(nfailed, 0);
		} else {
			if (text == NULL)
				fail_msg("case %zu: no RFC 7766 section 5 verdict", i);
			assert_string_equal(text, unanswered[i].text);
			assert_int_equal(verdict(&vd, "RFC 7766 section 5", "tcp"), 0);
			assert_int_equal(nfailed, 1);
		}
		exchange_free(&ex);
	}
}

/* RFC 5452 section 9.1: what exchange_reply_matches accepts. */
static void test_reply_matches(void **state)
{
	struct exchange_query q;
	uint8_t query[512], reply[512];
	char why[96];

	(void)state;
	make_query(&q, "WwW.Example.com", 1, true, 1232);
	int n = exchange_build_query(query, sizeof(query), 0xabcd, &q);
	assert_true(n > 0);
	size_t qlen = (size_t)n, rlen = qlen;

	memcpy(reply, query, qlen);
	reply[2] |= 0x80;
	assert_true(exchange_reply_matches(why, sizeof(why), query, qlen, reply, rlen));
	/* the name compared without regard to case */
	reply[13] = 'w';
	reply[14] = 'W';
	assert_true(exchange_reply_matches(why, sizeof(why), query, qlen, reply, rlen));
	/* wrong ID */
	reply[1] ^= 1;
	assert_false(exchange_reply_matches(why, sizeof(why), query, qlen, reply, rlen));
	assert_non_null(strstr(why, "ID"));
	reply[1] ^= 1;
	/* QR clear: a query, never taken as the answer */
	reply[2] &= 0x7f;
	assert_false(exchange_reply_matches(why, sizeof(why), query, qlen, reply, rlen));
	reply[2] |= 0x80;
	/* another name */
	reply[14] = 'x';
	assert_false(exchange_reply_matches(why, sizeof(why), query, qlen, reply, rlen));
	reply[14] = 'w';
	/* another type */
	reply[DNS_HEADER_SIZE + q.qname_len + 1] = 28;
	assert_false(exchange_reply_matches(why, sizeof(why), query, qlen, reply, rlen));
	reply[DNS_HEADER_SIZE + q.qname_len + 1] = 1;
	/* shorter than a header */
	assert_false(exchange_reply_matches(why, sizeof(why), query, qlen, reply, 11));
	/* FORMERR without a question is still the answer */
	uint8_t bare[12];
	memcpy(bare, reply, 12);
	bare[3] = 1;
	bare[4] = bare[5] = 0;
	bare[10] = bare[11] = 0;
	assert_true(exchange_reply_matches(why, sizeof(why), query, qlen, bare, 12));
	/* ...but a NOERROR without one is not */
	bare[3] = 0;
	assert_false(exchange_reply_matches(why, sizeof(why), query, qlen, bare, 12));
}

static void test_name_from_str(void **state)
{
	static const struct { const char *in; int len; } names[] = {
		{ "www.example.com", 17 }, { "www.example.com.", 17 }, { ".", 1 },
		{ "a\\.b.c", 7 }, { "\\065", 3 }, { "", -EINVAL }, { "a..b", -EINVAL },
		{ ".a", -EINVAL }, { "\\256", -EINVAL },
		/* a 64-character label */
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", -EINVAL },
	};
	uint8_t out[DNS_MAX_NAME];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n = exchange_name_from_str(out, sizeof(out), names[i].in);
		if (n != names[i].len)
			fail_msg("\"%s\": %d, expected %d", names[i].in, n, names[i].len);
	}
	/* 127 labels of one character make 255 bytes: the maximum (RFC 1035 section 2.3.4) */
	char name[300] = "";
	for (int i = 0; i < 127; i++)
		strcat(name, "a.");
	assert_int_equal(exchange_name_from_str(out, sizeof(out), name), 255);
	strcat(name, "a");
	assert_int_equal(exchange_name_from_str(out, sizeof(out), name), -EINVAL);
}

/* A compression pointer loop ends in -EBADMSG, not a hang (RFC 1035 section 4.1.4). */
static void test_name_loop(void **state)
{
	uint8_t msg[16] = { 0 }, out[DNS_MAX_NAME];
	size_t off = 12;

	(void)state;
	msg[12] = 0xc0;
	msg[13] = 12;
	assert_int_equal(msg_name_read(out, msg, sizeof(msg), &off, false), -EBADMSG);
	msg[12] = 0xc0;
	msg[13] = 200;  /* past the end */
	off = 12;
	assert_int_equal(msg_name_read(out, msg, sizeof(msg), &off, false), -EBADMSG);
}

/* A reply below a DNAME, as a server may send it for qname A (a name below
 * old.dn.test.): the DNAME old.dn.test. -> target (new.dn.test. when NULL) with TTL 600,
 * then, when cname is not NULL, a CNAME from the qname to cname with cname_ttl. */
struct dname_reply {
	const char *qname;
	const char *target;
	const char *cname;
	uint32_t cname_ttl;
	unsigned rcode;
};

#define OLD_DN_TEST_LEN 13 /* old.dn.test. in wire form */

static void make_dname_leg(struct exchange *ex, const struct dname_reply *r)
{
	uint8_t target[DNS_MAX_NAME], cname[DNS_MAX_NAME];
	struct leg *leg = &ex->legs[ex->nlegs++];
	int tlen = exchange_name_from_str(target, sizeof(target), r->target ? r->target : "new.dn.test");
	int clen = r->cname ? exchange_name_from_str(cname, sizeof(cname), r->cname) : 0;

	make_query(&ex->q, r->qname, DNS_TYPE_A, true, 1232);
	memset(leg, 0, sizeof(*leg));
	leg->id = 0x1111;
	int n = exchange_build_query(leg->query, sizeof(leg->query), leg->id, &ex->q);
	assert_true(n > 0 && tlen > 0 && clen >= 0);
	leg->query_len = (size_t)n;

	size_t qend = DNS_HEADER_SIZE + ex->q.qname_len + 4, o = qend;
	uint8_t *w = calloc(1, qend + 2 * (2 + DNS_RR_FIXED_SIZE) + (size_t)tlen + (size_t)clen);
	assert_non_null(w);
	memcpy(w, leg->query, qend);
	dns_write16(w + DNS_OFF_FLAGS, DNS_FLAG_QR | DNS_FLAG_AA | r->rcode);
	dns_write16(w + DNS_OFF_ANCOUNT, r->cname ? 2 : 1);
	dns_write16(w + DNS_OFF_ARCOUNT, 0);
	/* The DNAME's owner: a pointer to old.dn.test. at the end of the question's name. */
	dns_write16(w + o, 0xc000u | (unsigned)(DNS_HEADER_SIZE + ex->q.qname_len - OLD_DN_TEST_LEN));
	dns_write16(w + o + 2 + DNS_RR_OFF_TYPE, DNS_TYPE_DNAME);
	dns_write16(w + o + 2 + DNS_RR_OFF_CLASS, DNS_CLASS_IN);
	dns_write32(w + o + 2 + DNS_RR_OFF_TTL, 600);
	dns_write16(w + o + 2 + DNS_RR_OFF_RDLENGTH, (unsigned)tlen);
	memcpy(w + o + 2 + DNS_RR_FIXED_SIZE, target, (size_t)tlen);
	o += 2 + DNS_RR_FIXED_SIZE + (size_t)tlen;
	if (r->cname != NULL) {
		dns_write16(w + o, 0xc000u | DNS_HEADER_SIZE);
		dns_write16(w + o + 2 + DNS_RR_OFF_TYPE, DNS_TYPE_CNAME);
		dns_write16(w + o + 2 + DNS_RR_OFF_CLASS, DNS_CLASS_IN);
		dns_write32(w + o + 2 + DNS_RR_OFF_TTL, r->cname_ttl);
		dns_write16(w + o + 2 + DNS_RR_OFF_RDLENGTH, (unsigned)clen);
		memcpy(w + o + 2 + DNS_RR_FIXED_SIZE, cname, (size_t)clen);
		o += 2 + DNS_RR_FIXED_SIZE + (size_t)clen;
	}
	leg->reply = w;
	leg->reply_len = o;
}

#define L63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L60 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* RFC 6672 sections 3.1 and 2.2: the CNAME synthesized from a DNAME, judged against the
 * DNAME in the same answer. */
static void test_dname_synthesis(void **state)
{
	/* A target of 201 bytes: the 61 bytes of L60 above the owner make 262. */
	static const char long_target[] = L63 "." L63 "." L63 ".dn.test";
	static const struct {
		const char *what;
		struct dname_reply reply;
		const char *rfc;
		int ok;               /* the verdict for rfc on udp: 1 ok, 0 failed */
	} dname_cases[] = {
		{ "the DNAME applied", { "www.old.dn.test", NULL, "www.new.dn.test", 600, 0 },
		  "RFC 6672 section 3.1", 1 },
		{ "the DNAME applied, letter case aside", { "WwW.Old.dn.test", NULL, "www.NEW.dn.test", 600, 0 },
		  "RFC 6672 section 3.1", 1 },
		{ "a wrong target", { "www.old.dn.test", NULL, "www.other.dn.test", 600, 0 },
		  "RFC 6672 section 3.1", 0 },
		{ "the owner's labels kept", { "www.old.dn.test", NULL, "www.old.new.dn.test", 600, 0 },
		  "RFC 6672 section 3.1", 0 },
		{ "another TTL than the DNAME's", { "www.old.dn.test", NULL, "www.new.dn.test", 300, 0 },
		  "RFC 6672 section 3.1", 0 },
		{ "no CNAME for the query name", { "www.old.dn.test", NULL, NULL, 0, 0 },
		  "RFC 6672 section 3.1", 0 },
		{ "a CNAME where YXDOMAIN was due", { L60 ".old.dn.test", long_target, "www.new.dn.test", 600, 0 },
		  "RFC 6672 section 2.2", 0 },
		{ "YXDOMAIN, the substitution over 255", { L60 ".old.dn.test", long_target, NULL, 0, RCODE_YXDOMAIN },
		  "RFC 6672 section 2.2", 1 },
		{ "YXDOMAIN, the substitution fits", { "www.old.dn.test", long_target, NULL, 0, RCODE_YXDOMAIN },
		  "RFC 6672 section 2.2", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(dname_cases) / sizeof(dname_cases[0]); i++) {
		struct exchange ex;
		struct verdicts vd;

		memset(&ex, 0, sizeof(ex));
		make_dname_leg(&ex, &dname_cases[i].reply);
		verdicts_check(&vd, &ex);
		print_message("case %zu: %s\n", i, dname_cases[i].what);
		for (size_t k = 0; k < vd.n; k++)
			print_message("  %s %s: %s\n", vd.v[k].ok ? "ok" : "FAIL", vd.v[k].rfc,
				      vd.v[k].check);
		assert_int_equal(verdict(&vd, dname_cases[i].rfc, "udp"), dname_cases[i].ok);
		/* The other checks of the reply pass. */
		assert_int_equal(verdict(&vd, "RFC 2181 section 9", "udp"), 1);
		assert_int_equal(verdict(&vd, "RFC 5452 section 9.1", "udp"), 1);
		exchange_free(&ex);
	}
}

/* A reply without a DNAME gets no RFC 6672 verdict. */
static void test_no_dname_no_verdict(void **state)
{
	struct exchange ex;
	struct verdicts vd;
	const struct reply_spec s = { .records = 2, .ancount = -1, .opt = true };

	(void)state;
	memset(&ex, 0, sizeof(ex));
	make_query(&ex.q, "big.example.com", 16, true, 1232);
	make_leg(&ex.legs[ex.nlegs++], &ex.q, false, &s);
	verdicts_check(&vd, &ex);
	assert_int_equal(verdict(&vd, "RFC 6672 section 3.1", "udp"), -1);
	assert_int_equal(verdict(&vd, "RFC 6672 section 2.2", "udp"), -1);
	exchange_free(&ex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_udp_limit),
		cmocka_unit_test(test_slip),
		cmocka_unit_test(test_truncated_opt_verdict_present),
		cmocka_unit_test(test_tcp_unanswered),
		cmocka_unit_test(test_reply_matches),
		cmocka_unit_test(test_name_from_str),
		cmocka_unit_test(test_name_loop),
		cmocka_unit_test(test_dname_synthesis),
		cmocka_unit_test(test_no_dname_no_verdict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
