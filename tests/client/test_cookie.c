/* SPDX-License-Identifier: BSD-3-Clause */
/* test_cookie.c: dualq's DNS Cookie pieces (RFC 7873, RFC 9018): the hex of +cookie=HEX and
 * its lengths, the options that set it, the COOKIE option in the query, reading it back from a
 * reply, keeping the server cookie, and the RFC 9018 fields. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/cookie.h"
#include "client/exchange.h"
#include "client/msg.h"
#include "client/options.h"

/* n bytes 0x00, 0x11, 0x22... as hex. */
static void hex_of(char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", (unsigned)((i * 0x11) & 0xff));
}

/* RFC 7873 section 4: 8 bytes (client cookie alone) or 16 to 40 (with a server cookie). */
static void test_hex_lengths(void **state)
{
	uint8_t out[COOKIE_MAX];
	char hex[2 * 64 + 1];

	(void)state;
	for (size_t n = 0; n <= 48; n++) {
		hex_of(hex, n);
		hex[2 * n] = '\0';
		bool valid = n == 8 || (n >= 16 && n <= 40);
		assert_int_equal(cookie_len_valid(n), valid);
		if (valid) {
			assert_int_equal(cookie_parse_hex(out, hex), (int)n);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(out[i], (i * 0x11) & 0xff);
		} else {
			assert_int_equal(cookie_parse_hex(out, hex), -EINVAL);
		}
	}
}

static void test_hex_digits(void **state)
{
	uint8_t out[COOKIE_MAX];

	(void)state;
	assert_int_equal(cookie_parse_hex(out, "0123456789ABCDEF"), 8);
	assert_memory_equal(out, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	assert_int_equal(cookie_parse_hex(out, "0123456789abcdeg"), -EINVAL);  /* not hex */
	assert_int_equal(cookie_parse_hex(out, "0123456789abcde"), -EINVAL);   /* odd */
	assert_int_equal(cookie_parse_hex(out, "0x23456789abcdef"), -EINVAL);
	assert_int_equal(cookie_parse_hex(out, ""), -EINVAL);
	assert_int_equal(cookie_parse_hex(out, "01234567 9abcdef"), -EINVAL);
}

static int parse(struct dualq_options *opt, char *err, size_t errlen, int argc, const char **argv)
{
	options_init(opt);
	return options_parse(opt, err, errlen, argc, (char **)argv);
}

static void test_options(void **state)
{
	struct dualq_options opt;
	char err[256];

	(void)state;
	const char *none[] = { "dualq", "x" };
	assert_int_equal(parse(&opt, err, sizeof(err), 2, none), 0);
	assert_false(opt.cookie);  /* +nocookie is the default */

	const char *plain[] = { "dualq", "+noedns", "x", "+cookie" };
	assert_int_equal(parse(&opt, err, sizeof(err), 4, plain), 0);
	assert_true(opt.cookie);
	assert_true(opt.edns);  /* +cookie implies EDNS */
	assert_int_equal(opt.cookie_len, 0);

	const char *hex[] = { "dualq", "x", "+cookie=00112233445566778899aabbccddeeff" };
	assert_int_equal(parse(&opt, err, sizeof(err), 3, hex), 0);
	assert_true(opt.cookie);
	assert_int_equal(opt.cookie_len, 16);
	assert_int_equal(opt.cookie_bytes[15], 0xff);

	const char *off[] = { "dualq", "x", "+cookie=0011223344556677", "+nocookie" };
	assert_int_equal(parse(&opt, err, sizeof(err), 4, off), 0);
	assert_false(opt.cookie);

	const char *bad[] = { "dualq", "x", "+cookie=001122" };
	assert_int_equal(parse(&opt, err, sizeof(err), 3, bad), -EINVAL);
	assert_non_null(strstr(err, "+cookie=001122"));
	assert_non_null(strstr(err, "8 bytes"));
	assert_non_null(strstr(err, "16 to 40 bytes"));

	const char *notx[] = { "dualq", "x", "+cookie=zz11223344556677" };
	assert_int_equal(parse(&opt, err, sizeof(err), 3, notx), -EINVAL);
	assert_non_null(strstr(err, "zz11223344556677"));

	const char *noedns[] = { "dualq", "x", "+cookie", "+noedns" };
	assert_int_equal(parse(&opt, err, sizeof(err), 4, noedns), -EINVAL);
	assert_non_null(strstr(err, "+noedns"));

	const char *negval[] = { "dualq", "x", "+nocookie=00" };
	assert_int_equal(parse(&opt, err, sizeof(err), 3, negval), -EINVAL);
}

/* options_query: HEX as given, or a random 8-byte client cookie, new each time. */
static void test_query_cookie(void **state)
{
	struct dualq_options opt;
	struct exchange_query a, b;
	char err[256];

	(void)state;
	const char *hex[] = { "dualq", "x", "+cookie=0011223344556677" };
	assert_int_equal(parse(&opt, err, sizeof(err), 3, hex), 0);
	assert_int_equal(options_query(&a, &opt), 0);
	assert_int_equal(a.cookie_len, 8);
	assert_memory_equal(a.cookie, "\x00\x11\x22\x33\x44\x55\x66\x77", 8);

	const char *rnd[] = { "dualq", "x", "+cookie" };
	assert_int_equal(parse(&opt, err, sizeof(err), 3, rnd), 0);
	assert_int_equal(options_query(&a, &opt), 0);
	assert_int_equal(options_query(&b, &opt), 0);
	assert_int_equal(a.cookie_len, COOKIE_CLIENT_SIZE);
	assert_int_equal(b.cookie_len, COOKIE_CLIENT_SIZE);
	assert_memory_not_equal(a.cookie, b.cookie, COOKIE_CLIENT_SIZE);

	const char *none[] = { "dualq", "x" };
	assert_int_equal(parse(&opt, err, sizeof(err), 2, none), 0);
	assert_int_equal(options_query(&a, &opt), 0);
	assert_int_equal(a.cookie_len, 0);
}

/* The COOKIE option in the OPT record (RFC 7873 section 4), after NSID, read back by msg_parse. */
static void test_build_and_read(void **state)
{
	struct exchange_query q;
	struct msg_view v;
	uint8_t buf[EXCHANGE_QUERY_MAX];

	(void)state;
	memset(&q, 0, sizeof(q));
	q.qname_len = (size_t)exchange_name_from_str(q.qname, sizeof(q.qname), "x");
	q.qtype = 1;
	q.qclass = 1;
	q.edns = true;
	q.bufsize = 1232;
	q.nsid = true;
	assert_int_equal(cookie_parse_hex(q.cookie, "00112233445566778899aabbccddeeff00112233"), 20);
	q.cookie_len = 20;
	int n = exchange_build_query(buf, sizeof(buf), 7, &q);
	size_t opt = DNS_HEADER_SIZE + q.qname_len + DNS_QUESTION_FIXED_SIZE;
	assert_int_equal(n, (int)(opt + EDNS_OPT_RR_SIZE + 2 * EDNS_OPTION_HEADER_SIZE + 20));
	assert_int_equal(dns_read16(buf + opt + 1 + DNS_RR_OFF_RDLENGTH), 2 * EDNS_OPTION_HEADER_SIZE + 20);
	size_t c = opt + EDNS_OPT_RR_SIZE + EDNS_OPTION_HEADER_SIZE;
	assert_int_equal(dns_read16(buf + c), EDNS_OPT_COOKIE);
	assert_int_equal(dns_read16(buf + c + 2), 20);
	assert_memory_equal(buf + c + EDNS_OPTION_HEADER_SIZE, q.cookie, 20);

	assert_int_equal(msg_parse(&v, buf, (size_t)n), 0);
	assert_true(v.has_nsid);
	assert_true(v.has_cookie);
	assert_int_equal(v.cookie_len, 20);
	assert_memory_equal(v.cookie, q.cookie, 20);

	/* too small a buffer */
	assert_int_equal(exchange_build_query(buf, (size_t)n - 1, 7, &q), -ENOSPC);
	/* no cookie, no option */
	q.cookie_len = 0;
	q.nsid = false;
	n = exchange_build_query(buf, sizeof(buf), 7, &q);
	assert_int_equal(msg_parse(&v, buf, (size_t)n), 0);
	assert_false(v.has_cookie);
}

/* exchange_learn_cookie keeps a server cookie only from a reply that echoes ours (RFC 7873
 * section 5.3) and has a legal length (section 4). */
static void test_learn(void **state)
{
	struct exchange_query q;
	struct msg_view v;

	(void)state;
	memset(&q, 0, sizeof(q));
	memset(&v, 0, sizeof(v));
	memcpy(q.cookie, "CLIENT01", 8);
	q.cookie_len = 8;
	v.has_cookie = true;
	memcpy(v.cookie, "CLIENT01SERVER0123456789", 24);
	v.cookie_len = 24;
	assert_true(exchange_learn_cookie(&q, &v));
	assert_int_equal(q.cookie_len, 24);
	assert_memory_equal(q.cookie, "CLIENT01SERVER0123456789", 24);

	/* a shorter server cookie replaces the longer one whole */
	memcpy(v.cookie, "CLIENT01server01", 16);
	v.cookie_len = 16;
	assert_true(exchange_learn_cookie(&q, &v));
	assert_int_equal(q.cookie_len, 16);
	assert_memory_equal(q.cookie, "CLIENT01server01", 16);

	v.cookie[0] = 'X';  /* not our client cookie */
	assert_false(exchange_learn_cookie(&q, &v));
	v.cookie[0] = 'C';
	v.cookie_len = 12;  /* a 4-byte server cookie */
	assert_false(exchange_learn_cookie(&q, &v));
	v.cookie_len = 8;   /* none */
	assert_false(exchange_learn_cookie(&q, &v));
	v.has_cookie = false;
	v.cookie_len = 16;
	assert_false(exchange_learn_cookie(&q, &v));
	assert_int_equal(q.cookie_len, 16);
}

/* RFC 9018 section 4: version 1, three reserved bytes, a 32-bit timestamp, the hash. */
static void test_v1(void **state)
{
	struct cookie_v1 c;
	uint8_t s[COOKIE_SERVER_SIZE] = { 1, 0, 0, 0, 0x6b, 0x0e, 0x68, 0xc5, 1, 2, 3, 4, 5, 6, 7, 8 };
	char when[COOKIE_TIME_MAX];

	(void)state;
	cookie_v1_read(&c, s, sizeof(s), (time_t)0x6b0e68c5 + 5);
	assert_true(c.is_v1);
	assert_int_equal(c.version, 1);
	assert_int_equal(c.timestamp, 0x6b0e68c5);
	assert_int_equal(c.age, 5);
	cookie_v1_read(&c, s, sizeof(s), (time_t)0x6b0e68c5 - 300);
	assert_int_equal(c.age, -300);  /* from the future */
	cookie_time_str(when, sizeof(when), c.timestamp);
	assert_string_equal(when, "2026-12-01T06:27:17Z");

	/* serial arithmetic across 2^32 (RFC 1982) */
	uint8_t w[COOKIE_SERVER_SIZE] = { 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0 };
	cookie_v1_read(&c, w, sizeof(w), (time_t)0x100000010LL);
	assert_int_equal(c.age, 0x20);

	s[0] = 2;
	cookie_v1_read(&c, s, sizeof(s), 0);
	assert_false(c.is_v1);
	s[0] = 1;
	cookie_v1_read(&c, s, 8, 0);
	assert_false(c.is_v1);
}

static void test_hex_out(void **state)
{
	char buf[COOKIE_HEX_MAX];

	(void)state;
	cookie_hex(buf, sizeof(buf), (const uint8_t *)"\x00\xab\xff", 3);
	assert_string_equal(buf, "00abff");
	cookie_hex(buf, 5, (const uint8_t *)"\x00\xab\xff", 3);
	assert_string_equal(buf, "00ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_lengths),
		cmocka_unit_test(test_hex_digits),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_query_cookie),
		cmocka_unit_test(test_build_and_read),
		cmocka_unit_test(test_learn),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_hex_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
