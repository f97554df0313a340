/* SPDX-License-Identifier: BSD-3-Clause */
/* test_cookie.c: DNS Cookies: RFC 9018 server cookies (appendix A's vectors, ages,
 * rollover), the secrets file, and what query_process() answers to every case of RFC 7873
 * section 5.2. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include "testutil.h"

#include "cookie.h"
#include "cookiesecret.h"
#include "dns.h"
#include "stats.h"

#define Z ".example.test."

/* Hex text into bytes; the tests' inputs are always well formed. */
static void unhex(uint8_t *out, const char *hex)
{
	size_t i, n = strlen(hex) / 2;

	for (i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void set_secret(struct cookie_secrets *s, unsigned i, const char *hex)
{
	unhex(s->key[i], hex);
	if (s->count < i + 1)
		s->count = i + 1;
}

static struct sockaddr_in v4(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, addr, &sin.sin_addr), 1);
	return sin;
}

static struct sockaddr_in6 v6(const char *addr)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

	assert_int_equal(inet_pton(AF_INET6, addr, &sin6.sin6_addr), 1);
	return sin6;
}

static void assert_minted(const char *secret, const char *client, const char *addr,
			  uint32_t now, const char *expect)
{
	struct cookie_secrets s = { .count = 0 };
	uint8_t cc[COOKIE_CLIENT_SIZE], got[COOKIE_SERVER_SIZE], want[COOKIE_SERVER_SIZE];
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *peer;

	set_secret(&s, 0, secret);
	unhex(cc, client);
	unhex(want, expect);
	if (strchr(addr, ':') != NULL) {
		sin6 = v6(addr);
		peer = (const struct sockaddr *)&sin6;
	} else {
		sin = v4(addr);
		peer = (const struct sockaddr *)&sin;
	}
	cookie_mint(got, s.key[0], cc, now, peer);
	assert_memory_equal(got, want, COOKIE_SERVER_SIZE);
}

#define SECRET_A "e5e973e5a6b2a43f48e7dc849e37bfcf"
#define SECRET_OLD "dd3bdf9344b678b185a6f5cb60fca715"
#define SECRET_NEW "445536bcd2513298075a5d379663c962"

/* RFC 9018 appendix A.1: learning a new server cookie. */
static void test_rfc9018_a1_new(void **state)
{
	(void)state;
	assert_minted(SECRET_A, "2464c4abcf10c957", "198.51.100.100", 1559731985,
		      "010000005cf79f111f8130c3eee29480");
}

/* Appendix A.2: the same client 40 minutes later: its cookie is valid but older than half
 * an hour, so a new one is minted (RFC 9018 section 4.3). */
static void test_rfc9018_a2_same_client(void **state)
{
	struct cookie_secrets s = { .count = 0 };
	struct sockaddr_in peer = v4("198.51.100.100");
	uint8_t cc[COOKIE_CLIENT_SIZE], sc[COOKIE_SERVER_SIZE];

	(void)state;
	set_secret(&s, 0, SECRET_A);
	unhex(cc, "2464c4abcf10c957");
	unhex(sc, "010000005cf79f111f8130c3eee29480");
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), 1559734385,
				      (const struct sockaddr *)&peer), COOKIE_VALID_RENEW);
	assert_minted(SECRET_A, "2464c4abcf10c957", "198.51.100.100", 1559734385,
		      "010000005cf7a871d4a564a1442aca77");
}

/* Appendix A.3: another client; its cookie has reserved bytes set, hashed as received.
 * The vector's reply comes 1h52m after the cookie: stale by then, so a fresh one. */
static void test_rfc9018_a3_other_client(void **state)
{
	struct cookie_secrets s = { .count = 0 };
	struct sockaddr_in peer = v4("203.0.113.203");
	const struct sockaddr *sa = (const struct sockaddr *)&peer;
	uint8_t cc[COOKIE_CLIENT_SIZE], sc[COOKIE_SERVER_SIZE];

	(void)state;
	set_secret(&s, 0, SECRET_A);
	unhex(cc, "fc93fc62807ddb86");
	unhex(sc, "01abcdef5cf78f71a314227b6679ebf5");
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), 1559727985 + 60, sa), COOKIE_VALID);
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), 1559734700, sa), COOKIE_INVALID);
	assert_minted(SECRET_A, "fc93fc62807ddb86", "203.0.113.203", 1559734700,
		      "010000005cf7a9acf73a7810aca2381e");
}

/* Appendix A.4: IPv6, and a cookie of the previous secret after a rollover: accepted,
 * and replaced by one of the new secret. */
static void test_rfc9018_a4_ipv6_rollover(void **state)
{
	struct cookie_secrets s = { .count = 0 };
	struct sockaddr_in6 peer = v6("2001:db8:220:1:59de:d0f4:8769:82b8");
	const struct sockaddr *sa = (const struct sockaddr *)&peer;
	uint8_t cc[COOKIE_CLIENT_SIZE], sc[COOKIE_SERVER_SIZE];

	(void)state;
	set_secret(&s, 0, SECRET_NEW);
	set_secret(&s, 1, SECRET_OLD);
	unhex(cc, "22681ab97d52c298");
	unhex(sc, "010000005cf7c57926556bd0934c72f8");
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), 1559741961, sa), COOKIE_VALID_RENEW);
	assert_minted(SECRET_NEW, "22681ab97d52c298", "2001:db8:220:1:59de:d0f4:8769:82b8",
		      1559741961, "010000005cf7c609a6bb79d16625507a");
	/* Once the old secret is dropped, its cookies fail. */
	s.count = 1;
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), 1559741961, sa), COOKIE_INVALID);
	/* And the active secret's own young cookie comes back as it is. */
	s.count = 2;
	memcpy(s.key[0], s.key[1], COOKIE_SECRET_SIZE);
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), 1559741961, sa), COOKIE_VALID);
}

/* Ages (RFC 9018 section 4.3): valid up to an hour old and five minutes ahead, renewed
 * from half an hour; serial number arithmetic across the 32-bit wrap. */
static void test_ages(void **state)
{
	static const struct {
		uint32_t minted, now;
		enum cookie_verdict verdict;
	} cases[] = {
		{ 1000000, 1000000, COOKIE_VALID },
		{ 1000000, 1000000 + 1799, COOKIE_VALID },
		{ 1000000, 1000000 + 1800, COOKIE_VALID_RENEW },
		{ 1000000, 1000000 + 3600, COOKIE_VALID_RENEW },
		{ 1000000, 1000000 + 3601, COOKIE_INVALID },
		{ 1000000, 1000000 - 300, COOKIE_VALID },
		{ 1000000, 1000000 - 301, COOKIE_INVALID },
		{ 0xffffff00u, 0x00000010u, COOKIE_VALID },
		{ 0x00000010u, 0xffffff00u, COOKIE_VALID },   /* 272 s ahead */
		{ 0x00000200u, 0xffffff00u, COOKIE_INVALID }, /* 768 s ahead */
		{ 1000000, 1000000 + 0x80000000u, COOKIE_INVALID },
	};
	struct cookie_secrets s = { .count = 0 };
	struct sockaddr_in peer = v4("127.0.0.1");
	const struct sockaddr *sa = (const struct sockaddr *)&peer;
	uint8_t cc[COOKIE_CLIENT_SIZE] = "clientcc", sc[COOKIE_SERVER_SIZE];
	size_t i;

	(void)state;
	set_secret(&s, 0, SECRET_A);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cookie_mint(sc, s.key[0], cc, cases[i].minted, sa);
		print_message("minted %u, checked %u\n", cases[i].minted, cases[i].now);
		assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), cases[i].now, sa),
				 cases[i].verdict);
	}
}

/* What makes a cookie wrong: another client cookie, address, secret, a changed byte,
 * another version, another length. */
static void test_wrong(void **state)
{
	struct cookie_secrets s = { .count = 0 }, other = { .count = 0 };
	struct sockaddr_in peer = v4("127.0.0.1"), elsewhere = v4("127.0.0.2");
	struct sockaddr_in6 mapped = v6("::ffff:127.0.0.1");
	const struct sockaddr *sa = (const struct sockaddr *)&peer;
	uint8_t cc[COOKIE_CLIENT_SIZE] = "clientcc", cc2[COOKIE_CLIENT_SIZE] = "clientcd";
	uint8_t sc[COOKIE_SERVER_SIZE], bad[COOKIE_SERVER_MAX];
	const uint32_t now = 1700000000;
	size_t i;

	(void)state;
	set_secret(&s, 0, SECRET_A);
	set_secret(&other, 0, SECRET_NEW);
	cookie_mint(sc, s.key[0], cc, now, sa);
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), now, sa), COOKIE_VALID);
	assert_int_equal(cookie_check(&s, cc2, sc, sizeof(sc), now, sa), COOKIE_INVALID);
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), now,
				      (const struct sockaddr *)&elsewhere), COOKIE_INVALID);
	/* A v4-mapped address is hashed as its 16 bytes, as NSD, Knot and BIND do. */
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), now,
				      (const struct sockaddr *)&mapped), COOKIE_INVALID);
	assert_int_equal(cookie_check(&other, cc, sc, sizeof(sc), now, sa), COOKIE_INVALID);
	for (i = 0; i < sizeof(sc); i++) {
		memcpy(bad, sc, sizeof(sc));
		bad[i] ^= 0x01;
		assert_int_equal(cookie_check(&s, cc, bad, sizeof(sc), now, sa), COOKIE_INVALID);
	}
	memcpy(bad, sc, sizeof(sc));
	memset(bad + sizeof(sc), 0, sizeof(bad) - sizeof(sc));
	assert_int_equal(cookie_check(&s, cc, bad, COOKIE_SERVER_MIN, now, sa), COOKIE_INVALID);
	assert_int_equal(cookie_check(&s, cc, bad, COOKIE_SERVER_MAX, now, sa), COOKIE_INVALID);
	/* No secret: nothing is valid. */
	s.count = 0;
	assert_int_equal(cookie_check(&s, cc, sc, sizeof(sc), now, sa), COOKIE_INVALID);
}

/* A secrets file in a temporary folder; returns its path (static storage). */
static const char *write_file(const char *text)
{
	static char path[] = "/tmp/test_cookie.XXXXXX";
	int fd;

	strcpy(path, "/tmp/test_cookie.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int load_text(struct cookie_secrets *s, const char *text, char *err, size_t len)
{
	const char *path = write_file(text);
	int r = cookie_secrets_load(s, path, err, len);

	unlink(path);
	print_message("%s\n", r < 0 ? err : "ok");
	return r;
}

static void test_secret_file(void **state)
{
	struct cookie_secrets s = { .count = 0 }, want = { .count = 0 };
	char err[512];

	(void)state;
	set_secret(&want, 0, SECRET_NEW);
	set_secret(&want, 1, SECRET_OLD);
	assert_int_equal(load_text(&s, "# active, then the one before\n\n  " SECRET_NEW "  \n"
				   "\t# comment\n" "DD3BDF9344B678B185A6F5CB60FCA715\r\n\n",
				   err, sizeof(err)), 0);
	assert_int_equal(s.count, 2);
	assert_memory_equal(s.key, want.key, sizeof(want.key));
	/* One secret, no newline at the end. */
	assert_int_equal(load_text(&s, SECRET_A, err, sizeof(err)), 0);
	assert_int_equal(s.count, 1);
	/* Errors keep s as it was and name the line (and the column of a bad digit). */
	assert_int_equal(load_text(&s, "# x\n" SECRET_NEW "\n445536bcd2513298075a5d379663c96g\n",
				   err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":3:32: not a hex digit"));
	assert_int_equal(s.count, 1);
	assert_int_equal(load_text(&s, "\n  445536bcd2513298\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":2:3: a secret is 32 hex digits, not 16"));
	assert_int_equal(load_text(&s, SECRET_A "00\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1:1: a secret is 32 hex digits, not 34"));
	assert_int_equal(load_text(&s, SECRET_A " " SECRET_NEW "\n", err, sizeof(err)), -EINVAL);
	assert_int_equal(load_text(&s, SECRET_A "\n" SECRET_NEW "\n" SECRET_OLD "\n", err,
				   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":3: a third secret"));
	assert_int_equal(load_text(&s, "# nothing\n\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no secret"));
	assert_int_equal(cookie_secrets_load(&s, "/nonexistent/cookies", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/cookies"));
	set_secret(&want, 0, SECRET_A);
	assert_int_equal(s.count, 1);
	assert_memory_equal(s.key[0], want.key[0], COOKIE_SECRET_SIZE);
}

/* The command line's form: exactly 32 hex digits. */
static void test_secret_parse(void **state)
{
	uint8_t key[COOKIE_SECRET_SIZE];
	size_t bad;

	(void)state;
	assert_int_equal(cookie_secret_parse(key, SECRET_A, 32, &bad), 0);
	assert_int_equal(key[0], 0xe5);
	assert_int_equal(key[15], 0xcf);
	assert_int_equal(cookie_secret_parse(key, "e5e9", 4, &bad), -EINVAL);
	assert_int_equal(bad, 4);
	assert_int_equal(cookie_secret_parse(key, "x5e973e5a6b2a43f48e7dc849e37bfcf", 32, &bad),
			 -EINVAL);
	assert_int_equal(bad, 0);
}

/* Query level: query_process() with a clock the test sets. */
static struct db *db;
static uint32_t clock_now = 1700000000;

static uint32_t test_clock(void)
{
	return clock_now;
}

static int setup(void **state)
{
	(void)state;
	log_init("test_cookie", LOG_LEVEL_ERROR);
	db = test_load_db("example.test.zone", NULL);
	if (db == NULL)
		return 1;
	set_secret(&db->cookies, 0, SECRET_A);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

/* A query for name and type with EDNS and the given options (RDATA of the OPT). */
static size_t make_query(uint8_t *out, size_t cap, const char *name, ldns_rr_type type,
			 const uint8_t *options, size_t options_len)
{
	size_t len = test_make_query(out, cap, name, type, LDNS_RR_CLASS_IN, 1232, false);

	/* test_make_query ends with the OPT's empty RDATA: append the options to it. */
	assert_true(len + options_len <= cap);
	memcpy(out + len, options, options_len);
	dns_write16(out + len - 2, (unsigned)options_len);
	return len + options_len;
}

/* A COOKIE option of len bytes: the client cookie "clientcc", then server (len - 8). */
static size_t cookie_option(uint8_t *out, const uint8_t *server, size_t len)
{
	dns_write16(out, EDNS_OPT_COOKIE);
	dns_write16(out + 2, (unsigned)len);
	memcpy(out + 4, "clientcc", len < 8 ? len : 8);
	if (len > 8)
		memcpy(out + 12, server, len - 8);
	return 4 + len;
}

static struct query q;
static struct sockaddr_in client;

static size_t ask(struct query_config *cfg, enum query_transport t, const uint8_t *req,
		  size_t len)
{
	struct query_request in = { .transport = t, .wire = req, .len = len,
				    .peer = (const struct sockaddr *)&client };

	cfg->udp_size = 1232;
	cfg->cookie_clock = test_clock;
	query_init(&q, cfg);
	test_resp_len = query_process(&q, db, &in, test_resp, sizeof(test_resp));
	return test_resp_len;
}

/* The header's RCODE bits. */
static int rcode_of(void)
{
	return test_resp[3] & 0xf;
}

/* The COOKIE the answer carries (the last option of its OPT), or NULL. */
static const uint8_t *answer_cookie(void)
{
	const uint8_t *end = test_resp + test_resp_len;

	if (test_resp_len < 28 || dns_read16(end - 28) != EDNS_OPT_COOKIE ||
	    dns_read16(end - 26) != COOKIE_ANSWER_SIZE)
		return NULL;
	return end - COOKIE_ANSWER_SIZE;
}

/* The OPT's extended RCODE bits, the first byte of its TTL, when the OPT (the last record)
 * carries opt_rdlen bytes of options. */
static unsigned opt_ext_rcode(size_t opt_rdlen)
{
	return test_resp[test_resp_len - opt_rdlen - EDNS_OPT_RR_SIZE + EDNS_OPT_TTL_OFF];
}

/* RFC 7873 section 5.2.2: a COOKIE of 0..7, 9..15 or more than 40 bytes is FORMERR. */
static void test_query_formerr_lengths(void **state)
{
	static const uint8_t server[64];
	struct query_config cfg = { 0 };
	uint8_t opt[80], req[512];
	size_t len, n;

	(void)state;
	client = v4("127.0.0.1");
	for (n = 0; n <= 60; n++) {
		bool ok = n == 8 || (n >= 16 && n <= 40);

		len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt,
				 cookie_option(opt, server, n));
		assert_true(ask(&cfg, QUERY_UDP, req, len) > 0);
		print_message("COOKIE of %zu bytes: rcode %d\n", n, rcode_of());
		assert_int_equal(rcode_of(), ok ? RCODE_NOERROR : RCODE_FORMERR);
		/* A malformed COOKIE gets none back; a well-formed one does. */
		assert_int_equal(answer_cookie() != NULL, ok);
	}
}

/* Two COOKIE options: which one would be checked? FORMERR. */
static void test_query_two_cookies(void **state)
{
	struct query_config cfg = { 0 };
	uint8_t opt[80], req[512];
	size_t n, len;

	(void)state;
	client = v4("127.0.0.1");
	n = cookie_option(opt, NULL, 8);
	n += cookie_option(opt + n, NULL, 8);
	len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt, n);
	ask(&cfg, QUERY_UDP, req, len);
	assert_int_equal(rcode_of(), RCODE_FORMERR);
	assert_false(q.cookie_valid);
}

/* Client cookie only (RFC 7873 section 5.2.3): answered, with a fresh server cookie. */
static void test_query_client_only(void **state)
{
	struct query_config cfg = { 0 };
	uint8_t opt[80], req[512], want[COOKIE_SERVER_SIZE];
	const uint8_t *c;
	size_t len;

	(void)state;
	client = v4("198.51.100.100");
	len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt, cookie_option(opt, NULL, 8));
	ask(&cfg, QUERY_UDP, req, len);
	assert_int_equal(rcode_of(), RCODE_NOERROR);
	assert_int_equal(dns_read16(test_resp + 6), 1);
	c = answer_cookie();
	assert_non_null(c);
	assert_memory_equal(c, "clientcc", COOKIE_CLIENT_SIZE);
	cookie_mint(want, db->cookies.key[0], (const uint8_t *)"clientcc", clock_now,
		    (const struct sockaddr *)&client);
	assert_memory_equal(c + COOKIE_CLIENT_SIZE, want, COOKIE_SERVER_SIZE);
	assert_false(q.cookie_valid);
	assert_false(q.cookie_bad);
	/* Without a COOKIE option none comes back, and without EDNS there is no OPT. */
	len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt, 0);
	ask(&cfg, QUERY_UDP, req, len);
	assert_null(answer_cookie());
	len = test_make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0, false);
	ask(&cfg, QUERY_UDP, req, len);
	assert_int_equal(dns_read16(test_resp + 10), 0);
	assert_false(q.cookie_valid);
}

/* A valid server cookie (RFC 7873 section 5.2.5): cookie_valid, and the same cookie back
 * while younger than half an hour, a new one after (RFC 9018 section 4.3). */
static void test_query_valid(void **state)
{
	struct query_config cfg = { 0 };
	uint8_t opt[80], req[512], sc[COOKIE_SERVER_SIZE], want[COOKIE_SERVER_SIZE];
	const uint32_t minted = clock_now;
	size_t len;

	(void)state;
	client = v4("127.0.0.1");
	cookie_mint(sc, db->cookies.key[0], (const uint8_t *)"clientcc", minted,
		    (const struct sockaddr *)&client);
	len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt, cookie_option(opt, sc, 24));
	clock_now = minted + 1799;
	cfg.require_cookie = true;
	ask(&cfg, QUERY_UDP, req, len);
	assert_int_equal(rcode_of(), RCODE_NOERROR);
	assert_true(q.cookie_valid);
	assert_false(q.cookie_bad);
	assert_memory_equal(answer_cookie() + COOKIE_CLIENT_SIZE, sc, COOKIE_SERVER_SIZE);
	clock_now = minted + 1800;
	ask(&cfg, QUERY_UDP, req, len);
	assert_true(q.cookie_valid);
	cookie_mint(want, db->cookies.key[0], (const uint8_t *)"clientcc", clock_now,
		    (const struct sockaddr *)&client);
	assert_memory_equal(answer_cookie() + COOKIE_CLIENT_SIZE, want, COOKIE_SERVER_SIZE);
	clock_now = minted;
}

/* A wrong, stale or future server cookie (RFC 7873 section 5.2.4): answered with a fresh
 * cookie; with --require-cookie BADCOOKIE over UDP (RCODE 23: header 7, OPT 1), with the
 * fresh cookie and no records; over TCP never. A client cookie alone is turned away
 * the same way under --require-cookie. */
static void test_query_bad_and_required(void **state)
{
	struct query_config cfg = { 0 };
	uint8_t opt[80], req[512], sc[COOKIE_SERVER_SIZE], want[COOKIE_SERVER_SIZE];
	const uint32_t times[] = { clock_now, clock_now - 3601, clock_now + 301 };
	char line[512];
	size_t len, i;

	(void)state;
	client = v4("127.0.0.1");
	cookie_mint(want, db->cookies.key[0], (const uint8_t *)"clientcc", clock_now,
		    (const struct sockaddr *)&client);
	for (i = 0; i < 3; i++) {
		cookie_mint(sc, db->cookies.key[0], (const uint8_t *)"clientcc", times[i],
			    (const struct sockaddr *)&client);
		if (i == 0)
			sc[COOKIE_SERVER_SIZE - 1] ^= 1; /* wrong */
		len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt,
				 cookie_option(opt, sc, 24));
		cfg.require_cookie = false;
		ask(&cfg, QUERY_UDP, req, len);
		assert_int_equal(rcode_of(), RCODE_NOERROR);
		assert_int_equal(dns_read16(test_resp + 6), 1);
		assert_false(q.cookie_valid);
		assert_true(q.cookie_bad);
		assert_memory_equal(answer_cookie() + COOKIE_CLIENT_SIZE, want, COOKIE_SERVER_SIZE);
		cfg.require_cookie = true;
		ask(&cfg, QUERY_UDP, req, len);
		assert_int_equal(rcode_of(), RCODE_BADCOOKIE & 0xf);
		assert_int_equal(opt_ext_rcode(28), RCODE_BADCOOKIE >> 4);
		assert_int_equal(dns_read16(test_resp + 6), 0);
		assert_memory_equal(answer_cookie(), "clientcc", COOKIE_CLIENT_SIZE);
		assert_memory_equal(answer_cookie() + COOKIE_CLIENT_SIZE, want, COOKIE_SERVER_SIZE);
		assert_true(q.cookie_bad);
		query_format_log(&q, line, sizeof(line));
		assert_non_null(strstr(line, " BADCOOKIE "));
		ask(&cfg, QUERY_TCP, req, len);
		assert_int_equal(rcode_of(), RCODE_NOERROR);
		assert_int_equal(dns_read16(test_resp + 6), 1);
		assert_memory_equal(answer_cookie() + COOKIE_CLIENT_SIZE, want, COOKIE_SERVER_SIZE);
	}
	len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt, cookie_option(opt, NULL, 8));
	ask(&cfg, QUERY_UDP, req, len);
	assert_int_equal(rcode_of(), RCODE_BADCOOKIE & 0xf);
	assert_false(q.cookie_bad);
	/* A query without a COOKIE option cannot be told to get one: answered. */
	len = make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, opt, 0);
	ask(&cfg, QUERY_UDP, req, len);
	assert_int_equal(rcode_of(), RCODE_NOERROR);
}

/* The cookie's room is kept before answering (RFC 6891 section 7): an answer of exactly
 * the client's size is whole, one byte less truncates and still carries the cookie. */
static void test_query_truncation_keeps_cookie(void **state)
{
	struct query_config cfg = { 0 };
	uint8_t opt[80], req[512];
	size_t len, whole, size_off;

	(void)state;
	client = v4("127.0.0.1");
	len = make_query(req, sizeof(req), "medium" Z, LDNS_RR_TYPE_TXT, opt,
			 cookie_option(opt, NULL, 8));
	whole = ask(&cfg, QUERY_TCP, req, len);
	assert_true(whole > 512);
	assert_non_null(answer_cookie());
	/* The OPT's CLASS (the client's UDP size): its RDATA is the 12-byte COOKIE option. */
	size_off = len - 12 - EDNS_OPT_RR_SIZE + EDNS_OPT_SIZE_OFF;
	dns_write16(req + size_off, (unsigned)whole);
	assert_int_equal(ask(&cfg, QUERY_UDP, req, len), whole);
	assert_false(test_resp[2] & 0x02);
	dns_write16(req + size_off, (unsigned)whole - 1);
	assert_true(ask(&cfg, QUERY_UDP, req, len) <= whole - 1);
	assert_true(test_resp[2] & 0x02);
	assert_non_null(answer_cookie());
}

/* Counters: cookie-valid, cookie-bad, and badcookie beside "other". */
static void test_stats(void **state)
{
	static struct stats s;
	char text[1024];

	(void)state;
	stats_count_query(&s, STATS_UDP, STATS_IPV4, RCODE_BADCOOKIE, false);
	stats_count_cookie(&s, true, false);
	stats_count_cookie(&s, false, true);
	stats_count_cookie(&s, false, true);
	stats_count_cookie(&s, false, false);
	stats_format(&s, text, sizeof(text), " ");
	assert_non_null(strstr(text, " other=1 "));
	assert_non_null(strstr(text, " cookie-valid=1 cookie-bad=2 badcookie=1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9018_a1_new),
		cmocka_unit_test(test_rfc9018_a2_same_client),
		cmocka_unit_test(test_rfc9018_a3_other_client),
		cmocka_unit_test(test_rfc9018_a4_ipv6_rollover),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_wrong),
		cmocka_unit_test(test_secret_parse),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_query_formerr_lengths),
		cmocka_unit_test(test_query_two_cookies),
		cmocka_unit_test(test_query_client_only),
		cmocka_unit_test(test_query_valid),
		cmocka_unit_test(test_query_bad_and_required),
		cmocka_unit_test(test_query_truncation_keeps_cookie),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
