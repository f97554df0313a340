/* SPDX-License-Identifier: BSD-3-Clause */
/* test_wire.c: the query parser, table-driven over good and malformed raw queries, and
 * query_process()'s answer to each (drop, FORMERR, NOTIMP, BADVERS). */
#include "testutil.h"

#include <errno.h>

#include "edns.h"
#include "wire.h"

/* Header: ID 0xabcd, flags, QD, AN, NS, AR. */
#define HDR(flags_hi, flags_lo, qd, an, ns, ar) \
	0xab, 0xcd, flags_hi, flags_lo, 0, qd, 0, an, 0, ns, 0, ar
#define WWW_EXAMPLE_TEST 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0
#define TYPE_A_IN 0, 1, 0, 1
#define OPT_HDR(size_hi, size_lo, version, rdlen) 0, 0, 41, size_hi, size_lo, 0, version, 0, 0, 0, rdlen

struct wire_case {
	const char *why;
	uint8_t bytes[300];
	size_t len;
	int rc;              /* wire_parse_query()'s verdict */
	bool question_ok;
	int resp_rcode;      /* header RCODE of the answer, -1: no answer */
	bool resp_opt;       /* the answer carries an OPT */
};

#define CASE(why, rc, qok, rrc, opt, ...) \
	{ why, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), rc, qok, rrc, opt }

static const struct wire_case cases[] = {
	CASE("good query", RCODE_NOERROR, true, 0, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("trailing bytes are ignored (as NSD and BIND)", RCODE_NOERROR, true, 0, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN, 0xde, 0xad),
	CASE("11 bytes: dropped (RFC 1035 4.1.1)", RCODE_DISCARD, false, -1, false,
	     0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0),
	CASE("QR=1: a response is never answered", RCODE_DISCARD, false, -1, false,
	     HDR(0x81, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("opcode IQUERY: NOTIMP", RCODE_NOTIMP, false, 4, false,
	     HDR(0x08, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("opcode STATUS: NOTIMP", RCODE_NOTIMP, false, 4, false,
	     HDR(0x10, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("opcode 15: NOTIMP", RCODE_NOTIMP, false, 4, false,
	     HDR(0x78, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	/* RFC 1996 section 3.7: a NOTIFY may carry the new SOA in its answer section; with
	 * no secondary zone of ours for it, NOTAUTH. */
	CASE("NOTIFY with the SOA in the answer section: parsed", RCODE_NOERROR, true, 9, false,
	     HDR(0x24, 0, 1, 1, 0, 0), WWW_EXAMPLE_TEST, 0, 6, 0, 1, 0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4),
	CASE("NOTIFY without the SOA: parsed", RCODE_NOERROR, true, 9, false,
	     HDR(0x24, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, 0, 6, 0, 1),
	CASE("NOTIFY with two answer records: FORMERR", RCODE_FORMERR, true, 1, false,
	     HDR(0x24, 0, 1, 2, 0, 0), WWW_EXAMPLE_TEST, 0, 6, 0, 1, 0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4),
	CASE("NOTIFY with an A record in the answer: FORMERR", RCODE_FORMERR, true, 1, false,
	     HDR(0x24, 0, 1, 1, 0, 0), WWW_EXAMPLE_TEST, 0, 6, 0, 1,
	     0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1),
	CASE("NOTIFY with an authority record: FORMERR", RCODE_FORMERR, true, 1, false,
	     HDR(0x24, 0, 1, 0, 1, 0), WWW_EXAMPLE_TEST, 0, 6, 0, 1, 0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4),
	CASE("QDCOUNT 0: FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 0, 0, 0, 0)),
	CASE("QDCOUNT 2: FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 2, 0, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN, WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("ANCOUNT 1 in a query: FORMERR", RCODE_FORMERR, true, 1, false,
	     HDR(1, 0, 1, 1, 0, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("NSCOUNT 1 in a query: FORMERR", RCODE_FORMERR, true, 1, false,
	     HDR(1, 0, 1, 0, 1, 0), WWW_EXAMPLE_TEST, TYPE_A_IN),
	CASE("compression pointer in the qname: FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 1, 0, 0, 0), 3, 'w', 'w', 'w', 0xc0, 12, TYPE_A_IN),
	CASE("pointer loop in the qname: FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 1, 0, 0, 0), 0xc0, 12, TYPE_A_IN),
	CASE("label type 0x40 (length 64): FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 1, 0, 0, 0), 64, 'a', 'a', 'a', 0, TYPE_A_IN),
	CASE("question cut short: FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, 0, 1),
	CASE("qname runs past the end: FORMERR", RCODE_FORMERR, false, 1, false,
	     HDR(1, 0, 1, 0, 0, 0), 7, 'e', 'x', 'a'),
	CASE("EDNS version 1: BADVERS (RFC 6891 6.1.3)", RCODE_BADVERS, true, 0, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 1, 0)),
	CASE("two OPT records: FORMERR with OPT (RFC 6891 6.1.1)", RCODE_FORMERR, true, 1, true,
	     HDR(1, 0, 1, 0, 0, 2), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 0, 0),
	     OPT_HDR(4, 0xd0, 0, 0)),
	CASE("OPT owner not the root: FORMERR with OPT", RCODE_FORMERR, true, 1, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, 1, 'x', 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0),
	CASE("option overruns its RDATA: FORMERR with OPT", RCODE_FORMERR, true, 1, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 0, 6),
	     0, 3, 0, 9, 'a', 'b'),
	CASE("OPT RDATA runs past the message: FORMERR", RCODE_FORMERR, true, 1, false,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 0, 20)),
	CASE("COOKIE of 5 bytes: FORMERR (RFC 7873 5.2.2)", RCODE_FORMERR, true, 1, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 0, 9),
	     0, 10, 0, 5, 1, 2, 3, 4, 5),
	CASE("COOKIE of 8 bytes is fine", RCODE_NOERROR, true, 0, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 0, 12),
	     0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8),
	CASE("unknown option is ignored", RCODE_NOERROR, true, 0, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(4, 0xd0, 0, 6),
	     0xfd, 0xe9, 0, 2, 'h', 'i'),
	CASE("EDNS size 0 is answered (as 512)", RCODE_NOERROR, true, 0, true,
	     HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN, OPT_HDR(0, 0, 0, 0)),
	CASE("class CH: REFUSED", RCODE_NOERROR, true, 5, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, 0, 1, 0, 3),
	CASE("class ANY: REFUSED", RCODE_NOERROR, true, 5, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, 0, 1, 0, 255),
	CASE("class 0: REFUSED", RCODE_NOERROR, true, 5, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, 0, 1, 0, 0),
	CASE("QTYPE 0: NODATA", RCODE_NOERROR, true, 0, false,
	     HDR(1, 0, 1, 0, 0, 0), WWW_EXAMPLE_TEST, 0, 0, 0, 1),
};

static struct db *db;

static int setup(void **state)
{
	(void)state;
	log_init("test_wire", LOG_LEVEL_ERROR);
	db = test_load_db("example.test.zone", NULL);
	return db == NULL;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wire_case *c = &cases[i];
		struct wire_query q;

		print_message("case %zu: %s\n", i, c->why);
		assert_int_equal(wire_parse_query(&q, c->bytes, c->len), c->rc);
		if (c->rc != RCODE_DISCARD && c->rc != RCODE_NOTIMP)
			assert_int_equal(q.question_ok, c->question_ok);
	}
}

static void test_answer_table(void **state)
{
	static struct query q;
	struct query_config cfg = { .udp_size = 1232 };
	uint8_t resp[65536];
	size_t i;

	(void)state;
	query_init(&q, &cfg);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wire_case *c = &cases[i];
		size_t len = test_query(&q, db, QUERY_UDP, c->bytes, c->len, resp, sizeof(resp));

		print_message("case %zu: %s\n", i, c->why);
		if (c->resp_rcode < 0) {
			assert_int_equal(len, 0);
			continue;
		}
		assert_true(len >= DNS_HEADER_SIZE);
		assert_int_equal(dns_read16(resp), 0xabcd);        /* ID copied */
		assert_true(resp[2] & 0x80);                       /* QR */
		assert_int_equal(resp[3] & 0x0f, c->resp_rcode);
		assert_int_equal(resp[3] & 0x70, 0);               /* Z, AD, CD clear */
		assert_int_equal(resp[3] & 0x80, 0);               /* never RA */
		assert_int_equal(dns_read16(resp + 4), c->question_ok ? 1 : 0);
		if (c->rc == RCODE_NOTIMP) {
			/* A bare header: opcode copied, every other flag and count zero. */
			assert_int_equal(len, DNS_HEADER_SIZE);
			assert_int_equal(resp[2], 0x80 | (c->bytes[2] & 0x78));
			assert_int_equal(dns_read16(resp + 4) | dns_read16(resp + 6) |
					 dns_read16(resp + 8) | dns_read16(resp + 10), 0);
			continue;
		}
		/* One OPT exactly when the query had a usable one (RFC 6891 section 6.1.1). */
		assert_int_equal(dns_read16(resp + 10) >= 1, c->resp_opt);
		if (c->resp_opt) {
			const uint8_t *opt = resp + len - 11;

			assert_int_equal(opt[0], 0);
			assert_int_equal(dns_read16(opt + 1), DNS_TYPE_OPT);
			assert_int_equal(dns_read16(opt + 3), 1232);
			assert_int_equal(opt[6], 0); /* version 0 */
			if (c->rc == RCODE_BADVERS) {
				/* Extended RCODE 16: header 0, OPT upper bits 1; sections empty. */
				assert_int_equal(opt[5], 1);
				assert_int_equal(dns_read16(resp + 6), 0);
				assert_int_equal(dns_read16(resp + 8), 0);
				assert_int_equal(dns_read16(resp + 10), 1);
			} else {
				assert_int_equal(opt[5], 0);
			}
		}
		if (c->question_ok)
			assert_memory_equal(resp + 12, c->bytes + 12, len > 12 ? q.req.question_len : 0);
	}
}

static void test_name_limits(void **state)
{
	uint8_t pkt[400] = { HDR(1, 0, 1, 0, 0, 0) };
	struct wire_query q;
	size_t pos = 12, i;

	(void)state;
	/* 255 bytes: 4 labels of 63 (256 bytes with the root) is too long; 3x63 + 61 fits. */
	for (i = 0; i < 4; i++) {
		pkt[pos++] = 63;
		memset(pkt + pos, 'a', 63);
		pos += 63;
	}
	pkt[pos++] = 0;
	pkt[pos++] = 0; pkt[pos++] = 1; pkt[pos++] = 0; pkt[pos++] = 1;
	assert_int_equal(wire_parse_query(&q, pkt, pos), RCODE_FORMERR);
	pkt[12 + 3 * 64] = 61;
	memmove(pkt + 12 + 3 * 64 + 62, pkt + 12 + 4 * 64, 5);
	pos = 12 + 3 * 64 + 62 + 5;
	assert_int_equal(wire_parse_query(&q, pkt, pos), RCODE_NOERROR);
	assert_int_equal(q.qname_len, 255);
	assert_int_equal(q.label_count, 4);
}

static void test_lowercase_and_labels(void **state)
{
	const uint8_t pkt[] = { HDR(1, 0, 1, 0, 0, 0), 3, 'W', 'w', 'W', 7, 'E', 'x', 'a', 'm',
				'p', 'l', 'e', 4, 'T', 'E', 'S', 'T', 0, TYPE_A_IN };
	struct wire_query q;

	(void)state;
	assert_int_equal(wire_parse_query(&q, pkt, sizeof(pkt)), RCODE_NOERROR);
	assert_memory_equal(q.lname, "\3www\7example\4test", 18);
	assert_int_equal(q.label_count, 3);
	assert_int_equal(q.label_off[0], 0);
	assert_int_equal(q.label_off[1], 4);
	assert_int_equal(q.label_off[2], 12);
	assert_int_equal(q.label_off[3], 17);
	assert_int_equal(q.qtype, 1);
	assert_int_equal(q.qclass, 1);
	assert_int_equal(q.qname[0], 3);
	assert_int_equal(q.qname[1], 'W'); /* the received form keeps its case */
}

/* The look ahead reads the name as the full parse does, and only the name. */
static void test_peek_qname(void **state)
{
	const uint8_t pkt[] = { HDR(1, 0, 1, 0, 0, 0), 3, 'W', 'w', 'W', 7, 'E', 'x', 'a', 'm',
				'p', 'l', 'e', 4, 'T', 'E', 'S', 'T', 0, TYPE_A_IN };
	uint8_t bad[sizeof(pkt)];
	struct wire_query q, r;
	struct wire_qname peek;
	size_t i;

	(void)state;
	assert_int_equal(wire_parse_query(&q, pkt, sizeof(pkt)), RCODE_NOERROR);
	assert_true(wire_peek_qname(&peek, pkt, sizeof(pkt)));
	assert_int_equal(peek.len, q.qname_len);
	assert_int_equal(peek.labels, q.label_count);
	assert_memory_equal(peek.label_off, q.label_off, q.label_count + 1u);
	assert_memory_equal(peek.lname, q.lname, q.qname_len);
	/* Parsed with the peek: the same query, its name read from the peek. */
	assert_int_equal(wire_parse_query_peeked(&r, pkt, sizeof(pkt), &peek), RCODE_NOERROR);
	assert_ptr_equal(r.lname, peek.lname);
	assert_ptr_equal(r.label_off, peek.label_off);
	assert_ptr_equal(r.qname, q.qname);
	assert_int_equal(r.qname_len, q.qname_len);
	assert_int_equal(r.label_count, q.label_count);
	assert_int_equal(r.question_len, q.question_len);
	assert_int_equal(r.qtype, q.qtype);
	/* Without it, the name is the query's own. */
	assert_ptr_equal(q.lname, q.parsed.lname);
	/* The name alone is enough (no type and class yet)... */
	assert_true(wire_peek_qname(&peek, pkt, 12 + 18));
	/* ...but cut anywhere inside it, or with no name at all, there is nothing to read. */
	for (i = 0; i < 12 + 18; i++)
		assert_false(wire_peek_qname(&peek, pkt, i));
	/* A compression pointer in a question is malformed. */
	memcpy(bad, pkt, sizeof(pkt));
	bad[16] = 0xc0;
	assert_false(wire_peek_qname(&peek, bad, sizeof(bad)));
}

/* The OPT's options alone: 0 for good ones, -EBADMSG for each malformed kind, which the
 * parser turns into FORMERR (RFC 6891 section 6.1.2, RFC 7873 section 5.2.2, RFC 7828
 * section 3.1). */
static void test_edns_options(void **state)
{
	static const uint8_t good[] = { 0, 3, 0, 0, 0, 11, 0, 0,
					0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t overrun[] = { 0, 3, 0, 9, 'a', 'b' };
	static const uint8_t half_header[] = { 0, 3, 0 };
	static const uint8_t short_cookie[] = { 0, 10, 0, 5, 1, 2, 3, 4, 5 };
	static const uint8_t keepalive_value[] = { 0, 11, 0, 2, 0, 100 };
	struct edns_query e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(edns_parse_options(&e, good, sizeof(good)), 0);
	assert_true(e.nsid);
	assert_true(e.keepalive);
	assert_int_equal(edns_parse_options(&e, good, 0), 0);
	assert_int_equal(edns_parse_options(&e, overrun, sizeof(overrun)), -EBADMSG);
	assert_int_equal(edns_parse_options(&e, half_header, sizeof(half_header)), -EBADMSG);
	assert_int_equal(edns_parse_options(&e, short_cookie, sizeof(short_cookie)), -EBADMSG);
	assert_int_equal(edns_parse_options(&e, keepalive_value, sizeof(keepalive_value)),
			 -EBADMSG);
}

/* edns-tcp-keepalive (RFC 7828): answered over TCP with the idle timeout in 100 ms
 * units, never over UDP (section 3.3.2). */
static void test_keepalive(void **state)
{
	const uint8_t pkt[] = { HDR(1, 0, 1, 0, 0, 1), WWW_EXAMPLE_TEST, TYPE_A_IN,
				OPT_HDR(4, 0xd0, 0, 4), 0, 11, 0, 0 };
	static struct query q;
	struct query_config cfg = { .udp_size = 1232 };
	const struct query_request tcp = { .transport = QUERY_TCP, .wire = pkt, .len = sizeof(pkt),
					   .tcp_idle_ms = 10000 };
	uint8_t resp[65536];
	size_t len;

	(void)state;
	query_init(&q, &cfg);
	len = query_process(&q, db, &tcp, resp, sizeof(resp));
	assert_true(len > 17);
	/* The OPT ends the message: RDLENGTH 6, option 11, length 2, 100 x 100 ms. */
	assert_memory_equal(resp + len - 8, "\0\6\0\13\0\2\0\144", 8);
	len = test_query(&q, db, QUERY_UDP, pkt, sizeof(pkt), resp, sizeof(resp));
	assert_memory_equal(resp + len - 2, "\0\0", 2); /* RDLENGTH 0 over UDP */
}

/* wire_name_tolower() folds eight bytes at a time: every byte value, at every position of
 * the words, of the last word (which overlaps the one before) and of a short name's
 * byte-by-byte loop, must come out as the one-byte rule says (only 'A'..'Z' change; 0x80
 * and up, '@' and '[' do not), no byte may disturb another, and folding in place gives
 * the same. */
static void test_name_tolower_every_byte(void **state)
{
	uint8_t src[24], dst[24], inplace[24];
	unsigned v, pos, len, i;

	(void)state;
	for (len = 1; len <= sizeof(src); len++) {
		for (pos = 0; pos < len; pos++) {
			for (v = 0; v < 256; v++) {
				memset(src, 'Q', sizeof(src));
				src[pos] = (uint8_t)v;
				memset(dst, 0, sizeof(dst));
				wire_name_tolower(dst, src, len);
				for (i = 0; i < len; i++) {
					uint8_t c = src[i];
					uint8_t want = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;

					if (dst[i] != want)
						fail_msg("len %u, byte 0x%02x at %u: 0x%02x at %u, want 0x%02x",
							 len, v, pos, dst[i], i, want);
				}
				for (i = len; i < sizeof(dst); i++)
					assert_int_equal(dst[i], 0); /* nothing written past len */
				memcpy(inplace, src, len);
				wire_name_tolower(inplace, inplace, len);
				assert_memory_equal(inplace, dst, len);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_answer_table),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_name_tolower_every_byte),
		cmocka_unit_test(test_lowercase_and_labels),
		cmocka_unit_test(test_peek_qname),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_edns_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
