/* SPDX-License-Identifier: BSD-3-Clause */
/* test_rrl.c: response rate limiting (rrl.h): the token bucket, the classes and names of
 * real answers, prefix masking, exemptions, slipping, log-only, a tiny table, and what
 * respond() does with it over UDP and TCP. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "dbswap.h"
#include "responder.h"
#include "rrl.h"

#define Z ".example.test."
#define DN ".dn.test."

static struct db *db;

static int setup(void **state)
{
	(void)state;
	log_init("test_rrl", LOG_LEVEL_ERROR);
	db = test_load_db("example.test.zone", "broken.test.zone", "dn.test.zone", NULL);
	return db == NULL;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

static struct rrl_config config(unsigned rate, unsigned slip)
{
	struct rrl_config c = {
		.rate = rate, .slip = slip, .ipv4_prefix = RRL_DEFAULT_IPV4_PREFIX,
		.ipv6_prefix = RRL_DEFAULT_IPV6_PREFIX, .size = 1024,
	};

	return c;
}

static struct rrl *new_rrl(const struct rrl_config *c)
{
	struct rrl *r = NULL;

	assert_int_equal(rrl_new(&r, c), 0);
	return r;
}

static struct sockaddr_storage v4(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &sin->sin_addr), 1);
	return ss;
}

static struct sockaddr_storage v6(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &sin6->sin6_addr), 1);
	return ss;
}

static const uint8_t example_name[] = "\7example\4test";

/* One answer of the positive class for example.test. from peer at second now. */
static enum rrl_verdict ask(struct rrl *r, struct rrl_thread *t, const struct sockaddr_storage *peer,
			    uint32_t now)
{
	return rrl_account(r, t, (const struct sockaddr *)peer, RRL_POSITIVE, example_name,
			   sizeof(example_name), false, now);
}

/* How many of n answers in second now pass. */
static unsigned passes(struct rrl *r, const struct sockaddr_storage *peer, uint32_t now, unsigned n)
{
	struct rrl_thread t = { 0 };
	unsigned i, ok = 0;

	for (i = 0; i < n; i++)
		ok += ask(r, &t, peer, now) == RRL_PASS;
	return ok;
}

/* A burst of rate answers passes, the next is limited; a second later the tokens are back
 * (BIND/NSD RRL: a token bucket per second). */
static void test_bucket_burst_and_refill(void **state)
{
	struct rrl_config c = config(5, 0);
	struct rrl *r = new_rrl(&c);
	struct sockaddr_storage a = v4("192.0.2.1");
	struct rrl_thread t = { 0 };
	unsigned i;

	(void)state;
	for (i = 0; i < 5; i++)
		assert_int_equal(ask(r, &t, &a, 100), RRL_PASS);
	assert_int_equal(ask(r, &t, &a, 100), RRL_DROP);
	/* One over in second 100: a token of debt, so 4 of the next second's 5. */
	assert_int_equal(passes(r, &a, 101, 10), 4);
	assert_int_equal(passes(r, &a, 110, 10), 5);
	rrl_free(r);
}

/* The debt is bounded: after a flood of any size two quiet seconds give answers back. */
static void test_bucket_debt_bounded(void **state)
{
	struct rrl_config c = config(5, 0);
	struct rrl *r = new_rrl(&c);
	struct sockaddr_storage a = v4("192.0.2.1");

	(void)state;
	assert_int_equal(passes(r, &a, 200, 100000), 5);
	assert_int_equal(passes(r, &a, 201, 1), 0);
	assert_true(passes(r, &a, 203, 10) > 0);
	rrl_free(r);
}

/* Runs one query of class qclass through query_process() into q and returns its class,
 * with the name and whether it lies in the db. */
static enum rrl_class classify_name(struct query *q, const char *name, ldns_rr_type type,
				    ldns_rr_class qclass, int edns, const uint8_t **n,
				    size_t *n_len, bool *in_db)
{
	static struct query_config cfg = { .udp_size = DNS_MSG_MAX };
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), name, type, qclass, edns, false);
	enum rrl_class cls;

	chaos_config_init(&cfg.chaos, "ns.test", "dualns test");
	query_init(q, &cfg);
	test_resp_len = test_query(q, db, QUERY_UDP, req, len, test_resp, sizeof(test_resp));
	assert_true(test_resp_len > 0);
	cls = rrl_classify(q, n, n_len, in_db);
	assert_int_equal(*n_len, wire_name_len(*n));
	return cls;
}

/* classify_name() for class IN, with the name in presentation form: every name but the
 * root (outside every zone) is in the db. */
static enum rrl_class classify(struct query *q, const char *name, ldns_rr_type type, int edns,
			       char *text, size_t text_size)
{
	const uint8_t *n;
	size_t n_len;
	bool in_db;
	enum rrl_class cls = classify_name(q, name, type, LDNS_RR_CLASS_IN, edns, &n, &n_len,
					   &in_db);

	wire_name_format(n, text, text_size);
	if (in_db != (strcmp(text, ".") != 0))
		fail_msg("%s: %s is %sin the db", name, text, in_db ? "" : "not ");
	return cls;
}

/* Each answer's class and the name its bucket counts by (BIND/NSD RRL, Knot's mod-rrl). */
static void test_classes_and_names(void **state)
{
	static const struct {
		const char *qname;
		ldns_rr_type type;
		int edns;
		enum rrl_class cls;
		const char *name;
	} cases[] = {
		{ "WWW" Z, LDNS_RR_TYPE_A, 0, RRL_POSITIVE, "www.example.test." },
		/* A CNAME chain's first node; a DNAME's owner for every name it redirects. */
		{ "chain1" Z, LDNS_RR_TYPE_A, 0, RRL_POSITIVE, "chain1.example.test." },
		{ "www.old" DN, LDNS_RR_TYPE_A, 0, RRL_POSITIVE, "old.dn.test." },
		{ "mail.old" DN, LDNS_RR_TYPE_MX, 0, RRL_POSITIVE, "old.dn.test." },
		{ "www" Z, LDNS_RR_TYPE_TXT, 0, RRL_NODATA, "example.test." },
		{ "nothing" Z, LDNS_RR_TYPE_A, 0, RRL_NXDOMAIN, "example.test." },
		{ "dangling" Z, LDNS_RR_TYPE_A, 0, RRL_NXDOMAIN, "example.test." },
		{ "www.sub" Z, LDNS_RR_TYPE_A, 0, RRL_REFERRAL, "sub.example.test." },
		{ "anything.wild" Z, LDNS_RR_TYPE_A, 0, RRL_WILDCARD, "*.wild.example.test." },
		{ "a.b.wild" Z, LDNS_RR_TYPE_TXT, 0, RRL_WILDCARD, "*.wild.example.test." },
		{ "example.test.", LDNS_RR_TYPE_ANY, 0, RRL_ANY, "example.test." },
		{ "www.example.org.", LDNS_RR_TYPE_A, 0, RRL_ERROR, "." },
		{ "www" Z, LDNS_RR_TYPE_OPT, 0, RRL_ERROR, "." },
		{ "www.broken.test.", LDNS_RR_TYPE_A, 0, RRL_ERROR, "broken.test." },
		{ "0123456789abc.deep" DN, LDNS_RR_TYPE_A, 0, RRL_ERROR, "dn.test." },
		{ "big" Z, LDNS_RR_TYPE_TXT, 1232, RRL_LARGE, "big.example.test." },
		{ "big" Z, LDNS_RR_TYPE_TXT, DNS_MSG_MAX, RRL_LARGE, "big.example.test." },
		{ "medium" Z, LDNS_RR_TYPE_TXT, 1232, RRL_POSITIVE, "medium.example.test." },
		{ "medium" Z, LDNS_RR_TYPE_TXT, 0, RRL_LARGE, "medium.example.test." },
	};
	static struct query q;
	char text[DNS_MAX_NAME * 4 + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum rrl_class cls = classify(&q, cases[i].qname, cases[i].type, cases[i].edns,
					      text, sizeof(text));

		if (cls != cases[i].cls || strcmp(text, cases[i].name) != 0)
			fail_msg("%s: %s %s, wanted %s %s", cases[i].qname, rrl_class_name(cls), text,
				 rrl_class_name(cases[i].cls), cases[i].name);
	}
}

/* One answer of class cls for the name classify_name() found, from peer at second 1. */
static enum rrl_verdict ask_name(struct rrl *r, const struct sockaddr_storage *peer,
				 enum rrl_class cls, const uint8_t *n, size_t n_len, bool in_db)
{
	struct rrl_thread t = { 0 };

	return rrl_account(r, &t, (const struct sockaddr *)peer, cls, n, n_len, in_db, 1);
}

/* A name in the db counts by its node: two names of one prefix and class are two
 * buckets, the same name asked again is the same one. A name not in the db (a CH
 * answer's) counts by its bytes, wherever they are. */
static void test_bucket_names(void **state)
{
	static struct query q;
	struct rrl_config c = config(1, 0);
	struct rrl *r = new_rrl(&c);
	struct sockaddr_storage a = v4("192.0.2.1");
	const uint8_t *www, *mail, *again, *ch;
	uint8_t copy[DNS_MAX_NAME];
	size_t www_len, mail_len, again_len, ch_len;
	bool www_db, mail_db, again_db, ch_db;

	(void)state;
	assert_int_equal(classify_name(&q, "www" Z, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0, &www,
				       &www_len, &www_db), RRL_POSITIVE);
	assert_int_equal(classify_name(&q, "mail" Z, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0, &mail,
				       &mail_len, &mail_db), RRL_POSITIVE);
	assert_true(www_db && mail_db);
	assert_int_equal(ask_name(r, &a, RRL_POSITIVE, www, www_len, true), RRL_PASS);
	assert_int_equal(ask_name(r, &a, RRL_POSITIVE, mail, mail_len, true), RRL_PASS);
	assert_int_equal(classify_name(&q, "WWW" Z, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0, &again,
				       &again_len, &again_db), RRL_POSITIVE);
	assert_true(again_db);
	assert_ptr_equal(again, www);
	assert_int_equal(ask_name(r, &a, RRL_POSITIVE, again, again_len, true), RRL_DROP);
	assert_int_equal(ask_name(r, &a, RRL_POSITIVE, mail, mail_len, true), RRL_DROP);

	assert_int_equal(classify_name(&q, "version.server.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH,
				       0, &ch, &ch_len, &ch_db), RRL_POSITIVE);
	assert_false(ch_db);
	assert_int_equal(ask_name(r, &a, RRL_POSITIVE, ch, ch_len, false), RRL_PASS);
	memcpy(copy, ch, ch_len);
	assert_int_equal(ask_name(r, &a, RRL_POSITIVE, copy, ch_len, false), RRL_DROP);
	rrl_free(r);
}

/* The answering threads count in the second rrl_set_clock() last set; rrl_new() sets
 * the clock's. */
static void test_clock(void **state)
{
	struct rrl_config c = config(1, 0);
	struct rrl *r;
	uint32_t before = rrl_now();

	(void)state;
	r = new_rrl(&c);
	assert_true(rrl_clock(r) - before <= 1);
	rrl_set_clock(r, 12345);
	assert_int_equal(rrl_clock(r), 12345);
	rrl_free(r);
}

/* Two peers share a bucket when their addresses agree in the prefix's bits. */
static bool same_bucket(unsigned v4_prefix, unsigned v6_prefix, const struct sockaddr_storage *a,
			const struct sockaddr_storage *b)
{
	struct rrl_config c = config(1, 0);
	struct rrl *r;
	struct rrl_thread t = { 0 };
	bool same;

	c.ipv4_prefix = v4_prefix;
	c.ipv6_prefix = v6_prefix;
	r = new_rrl(&c);
	assert_int_equal(ask(r, &t, a, 1), RRL_PASS);
	same = ask(r, &t, b, 1) != RRL_PASS;
	rrl_free(r);
	return same;
}

static void test_prefix_masking(void **state)
{
	struct sockaddr_storage a = v4("198.51.100.7"), b = v4("198.51.100.200"),
		c = v4("198.51.101.7"), d = v4("198.51.112.7"), e = v4("203.0.113.1");
	struct sockaddr_storage x = v6("2001:db8:0:ab00::1"), y = v6("2001:db8:0:abff::2"),
		z = v6("2001:db8:0:ac00::1"), x2 = v6("2001:db8:0:ab00::2");
	struct sockaddr_storage mapped = v6("::ffff:198.51.100.9");

	(void)state;
	assert_true(same_bucket(24, 56, &a, &b));
	assert_false(same_bucket(24, 56, &a, &c));
	assert_true(same_bucket(20, 56, &a, &c));    /* 198.51.96.0/20 */
	assert_false(same_bucket(20, 56, &a, &d));   /* 198.51.112.0/20 is the next */
	assert_true(same_bucket(0, 56, &a, &e));
	assert_false(same_bucket(32, 56, &a, &b));
	assert_true(same_bucket(32, 56, &a, &a));
	assert_true(same_bucket(24, 56, &x, &y));
	assert_false(same_bucket(24, 56, &x, &z));
	assert_false(same_bucket(24, 128, &x, &x2));
	assert_true(same_bucket(24, 0, &x, &z));
	assert_false(same_bucket(24, 56, &a, &x));   /* never across families */
	assert_true(same_bucket(24, 56, &a, &mapped)); /* v4-mapped counts as IPv4 */
}

static void test_prefix_parse(void **state)
{
	static const char *const bad[] = {
		"", "x", "10.0.0.0/33", "::1/129", "1.2.3.4/", "/8", "1.2.3.4/-1", "1.2.3.4/ 8",
		"1.2.3.4/8x", "1.2.3", "fe80::1%eth0",
	};
	struct rrl_prefix p;
	uint8_t want[16] = { 10, 1, 0, 0 };
	size_t i;

	(void)state;
	assert_int_equal(rrl_prefix_parse(&p, "10.1.2.3/20"), 0);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 20);
	assert_memory_equal(p.addr, want, sizeof(want));
	assert_int_equal(rrl_prefix_parse(&p, "127.0.0.9"), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(rrl_prefix_parse(&p, "2001:db8::1/56"), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.len, 56);
	assert_int_equal(p.addr[15], 0);
	assert_int_equal(rrl_prefix_parse(&p, "::/0"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rrl_prefix_parse(&p, bad[i]) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
}

/* --rrl-exempt: never limited; a neighbour outside the prefix is. */
static void test_exempt(void **state)
{
	struct rrl_config c = config(1, 0);
	struct sockaddr_storage in = v4("127.0.0.9"), out = v4("127.0.0.10"),
		in6 = v6("2001:db8::5");
	struct rrl *r;

	(void)state;
	assert_int_equal(rrl_prefix_parse(&c.exempt[0], "127.0.0.9"), 0);
	assert_int_equal(rrl_prefix_parse(&c.exempt[1], "2001:db8::/32"), 0);
	c.exempt_count = 2;
	r = new_rrl(&c);
	assert_int_equal(passes(r, &in, 1, 50), 50);
	assert_int_equal(passes(r, &in6, 1, 50), 50);
	assert_int_equal(passes(r, &out, 1, 50), 1);
	rrl_free(r);
}

/* Every slip-th limited answer of a thread slips, the rest are dropped; 0 drops all. */
static void test_slip(void **state)
{
	static const struct {
		unsigned slip;
		enum rrl_verdict want[6];
	} cases[] = {
		{ 0, { RRL_DROP, RRL_DROP, RRL_DROP, RRL_DROP, RRL_DROP, RRL_DROP } },
		{ 1, { RRL_SLIP, RRL_SLIP, RRL_SLIP, RRL_SLIP, RRL_SLIP, RRL_SLIP } },
		{ 2, { RRL_DROP, RRL_SLIP, RRL_DROP, RRL_SLIP, RRL_DROP, RRL_SLIP } },
		{ 3, { RRL_DROP, RRL_DROP, RRL_SLIP, RRL_DROP, RRL_DROP, RRL_SLIP } },
	};
	struct sockaddr_storage a = v4("192.0.2.1");
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rrl_config c = config(1, cases[i].slip);
		struct rrl *r = new_rrl(&c);
		struct rrl_thread t = { 0 };

		assert_int_equal(ask(r, &t, &a, 1), RRL_PASS);
		for (j = 0; j < 6; j++)
			assert_int_equal(ask(r, &t, &a, 1), cases[i].want[j]);
		rrl_free(r);
	}
}

/* --rrl-log-only: over the rate is said, never done. */
static void test_log_only(void **state)
{
	struct rrl_config c = config(1, 1);
	struct sockaddr_storage a = v4("192.0.2.1");
	struct rrl_thread t = { 0 };
	struct rrl *r;
	unsigned i;

	(void)state;
	c.log_only = true;
	r = new_rrl(&c);
	assert_int_equal(ask(r, &t, &a, 1), RRL_PASS);
	for (i = 0; i < 5; i++)
		assert_int_equal(ask(r, &t, &a, 1), RRL_LOGGED);
	rrl_free(r);
}

/* A table of one or two buckets under many keys: new buckets replace old ones, the
 * table stays its size, nothing breaks; sizes round up to a power of two. */
static void test_tiny_table(void **state)
{
	struct rrl_config c = config(1, 0);
	struct rrl_thread t = { 0 };
	struct sockaddr_storage a = v4("192.0.2.1");
	uint8_t name[] = "\4n000\4test";
	struct rrl *r;
	unsigned i, passed = 0;
	size_t size;

	(void)state;
	for (size = 1; size <= 3; size++) {
		c.size = size;
		r = new_rrl(&c);
		assert_int_equal(rrl_buckets(r), size == 3 ? 4 : size);
		for (i = 0; i < 10000; i++) {
			snprintf((char *)name + 1, 5, "n%03u", i % 1000);
			name[5] = 4;
			passed += rrl_account(r, &t, (const struct sockaddr *)&a, RRL_POSITIVE, name,
					      sizeof(name), false, 1) == RRL_PASS;
		}
		/* With one bucket each new name replaces the one before and passes. */
		if (size == 1)
			assert_int_equal(passed, 10000);
		rrl_sweep(r, 5);
		assert_int_equal(rrl_buckets(r), size == 3 ? 4 : size);
		rrl_free(r);
		passed = 0;
	}
	c.size = 0;
	assert_int_equal(rrl_new(&r, &c), -EINVAL);
	c = config(0, 2);
	assert_int_equal(rrl_new(&r, &c), -EINVAL);
}

/* respond(): over UDP the limited answers slip (bare, TC=1, the OPT kept: RFC 6891
 * section 7) or are dropped and counted; over TCP nothing is ever limited. */
static void test_respond_udp_and_tcp(void **state)
{
	static struct query_config cfg = { .udp_size = DNS_UDP_DEFAULT };
	static struct responder r;
	struct rrl_config c = config(2, 2);
	struct sockaddr_storage peer = v4("127.0.0.2");
	struct dbswap s;
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN,
				     1232, false);
	struct query_request in = { .transport = QUERY_TCP, .wire = req, .len = len,
				    .peer = (const struct sockaddr *)&peer };
	size_t n, full;
	unsigned i;

	(void)state;
	cfg.rrl = new_rrl(&c);
	dbswap_init(&s, test_load_db("example.test.zone", NULL));
	responder_init(&r, &s, &cfg, false);
	for (i = 0; i < 20; i++)
		assert_true(respond(&r, &in, test_resp, sizeof(test_resp)) > 0);
	in.transport = QUERY_UDP;
	full = respond(&r, &in, test_resp, sizeof(test_resp));
	assert_true(full > 0);
	assert_true(respond(&r, &in, test_resp, sizeof(test_resp)) > 0);
	assert_int_equal(respond(&r, &in, test_resp, sizeof(test_resp)), 0);   /* dropped */
	n = respond(&r, &in, test_resp, sizeof(test_resp));                     /* slipped */
	assert_true(n > 0 && n < full);
	assert_true(dns_read16(test_resp + 2) & DNS_FLAG_TC);
	assert_int_equal(dns_read16(test_resp + 4), 1);
	assert_int_equal(dns_read16(test_resp + 6), 0);
	assert_int_equal(dns_read16(test_resp + 8), 0);
	assert_int_equal(dns_read16(test_resp + 10), 1); /* the OPT */
	assert_int_equal(n, len);  /* the same question and an OPT of the same size */
	assert_int_equal(r.stats.rrl_limited, 2);
	assert_int_equal(r.stats.rrl_slipped, 1);
	assert_int_equal(r.stats.rrl_dropped, 1);
	assert_int_equal(r.stats.queries[STATS_TCP][STATS_IPV4], 20);
	dbswap_free(&s);
	rrl_free(cfg.rrl);
	cfg.rrl = NULL;
}

/* A request with a valid server cookie is never limited (RFC 7873 section 5.2.5: its
 * source address is proven); TCP neither; UDP without one is. */
static void test_cookie_valid_exempt(void **state)
{
	struct rrl_config c = config(1, 0);
	struct query_config cfg = { .udp_size = DNS_UDP_DEFAULT };
	struct query q;
	struct query_request udp = { .transport = QUERY_UDP }, tcp = { .transport = QUERY_TCP };

	(void)state;
	query_init(&q, &cfg);
	assert_false(responder_limits(&q, &udp)); /* RRL off */
	cfg.rrl = new_rrl(&c);
	assert_true(responder_limits(&q, &udp));
	assert_false(responder_limits(&q, &tcp));
	q.cookie_valid = true;
	assert_false(responder_limits(&q, &udp));
	rrl_free(cfg.rrl);
}

/* Runs fn with the log at INFO into a string; returns it (free it). The stream's buffer
 * pointers are static: the stream writes them until fclose. */
static char *logged(void (*fn)(void))
{
	static char *out;
	static size_t outlen;
	FILE *f;

	out = NULL;
	outlen = 0;
	f = open_memstream(&out, &outlen);

	assert_non_null(f);
	log_set_stream(f);
	log_init("test_rrl", LOG_LEVEL_INFO);
	fn();
	log_set_stream(NULL);
	log_init("test_rrl", LOG_LEVEL_ERROR);
	fclose(f);
	return out;
}

static unsigned occurrences(const char *text, const char *what)
{
	unsigned n = 0;

	while ((text = strstr(text, what)) != NULL) {
		n++;
		text++;
	}
	return n;
}

static void limit_and_recover(void)
{
	struct rrl_config c = config(1, 2);
	struct rrl *r = new_rrl(&c);
	struct rrl_thread t = { 0 };
	struct sockaddr_storage a = v4("198.51.100.7"), b = v6("2001:db8:0:2ff::1");
	static const uint8_t apex[] = "\7example\4test";
	unsigned i;

	for (i = 0; i < 5; i++) {
		rrl_account(r, &t, (const struct sockaddr *)&a, RRL_NXDOMAIN, apex, sizeof(apex),
			    false, 10);
		rrl_account(r, &t, (const struct sockaddr *)&b, RRL_POSITIVE, apex, sizeof(apex),
			    false, 10);
	}
	/* Two seconds later the IPv4 bucket passes again: recovered. */
	assert_int_equal(rrl_account(r, &t, (const struct sockaddr *)&a, RRL_NXDOMAIN, apex,
				     sizeof(apex), false, 12), RRL_PASS);
	/* The IPv6 one is found idle by the sweep. */
	rrl_sweep(r, 13);
	rrl_sweep(r, 14);
	rrl_free(r);
}

/* One line when a bucket starts being limited, one when it stops (recovered, or idle at
 * the sweep), never one per answer; the prefix is the masked address. */
static void test_log_lines(void **state)
{
	char *out = logged(limit_and_recover);

	(void)state;
	assert_non_null(strstr(out, "rrl: limiting 198.51.100.0/24 nxdomain example.test. "
				    "(rate 1/s, slip 2)\n"));
	assert_non_null(strstr(out, "rrl: limiting 2001:db8:0:200::/56 positive example.test. "
				    "(rate 1/s, slip 2)\n"));
	assert_non_null(strstr(out, "rrl: stopped limiting 198.51.100.0/24 nxdomain example.test.\n"));
	assert_non_null(strstr(out, "rrl: stopped limiting 2001:db8:0:200::/56 positive example.test.\n"));
	assert_int_equal(occurrences(out, "rrl: limiting 198"), 1);
	assert_int_equal(occurrences(out, "rrl: stopped limiting 2001"), 1);
	free(out);
}

static void many_buckets(void)
{
	struct rrl_config c = config(1, 0);
	struct rrl *r;
	struct rrl_thread t = { 0 };
	struct sockaddr_storage a = v4("192.0.2.1");
	uint8_t name[] = "\3n00\4test";
	unsigned i;

	c.log_only = true;
	r = new_rrl(&c);
	for (i = 0; i < RRL_LOG_STARTS_PER_SECOND + 5; i++) {
		name[2] = (uint8_t)('a' + i);
		rrl_account(r, &t, (const struct sockaddr *)&a, RRL_POSITIVE, name, sizeof(name),
			    false, 7);
		rrl_account(r, &t, (const struct sockaddr *)&a, RRL_POSITIVE, name, sizeof(name),
			    false, 7);
	}
	rrl_sweep(r, 7);
	rrl_free(r);
}

/* A flood of buckets is not a flood of lines: at most RRL_LOG_STARTS_PER_SECOND start
 * lines a second, then one line with how many more; log-only lines say so. */
static void test_log_cap(void **state)
{
	char *out = logged(many_buckets);

	(void)state;
	assert_int_equal(occurrences(out, "rrl: (log-only) limiting 192.0.2.0/24 positive n"),
			 RRL_LOG_STARTS_PER_SECOND);
	assert_non_null(strstr(out, "rrl: (log-only) 5 more buckets limited\n"));
	free(out);
}

static void test_describe(void **state)
{
	struct rrl_config c = config(RRL_DEFAULT_RATE, RRL_DEFAULT_SLIP);
	char line[160];
	struct rrl *r;

	(void)state;
	c.size = RRL_DEFAULT_SIZE;
	r = new_rrl(&c);
	rrl_describe(r, line, sizeof(line));
	assert_string_equal(line, "rate 200/s, slip 2, /24 /56, 1048576 buckets (8 MiB)");
	rrl_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_burst_and_refill),
		cmocka_unit_test(test_bucket_debt_bounded),
		cmocka_unit_test(test_classes_and_names),
		cmocka_unit_test(test_bucket_names),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_prefix_masking),
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_exempt),
		cmocka_unit_test(test_slip),
		cmocka_unit_test(test_log_only),
		cmocka_unit_test(test_tiny_table),
		cmocka_unit_test(test_respond_udp_and_tcp),
		cmocka_unit_test(test_cookie_valid_exempt),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_log_cap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
