/* SPDX-License-Identifier: BSD-3-Clause */
/* test_dbswap.c: publishing a db and freeing the old one (dbswap.h's rules), and
 * respond() as every transport calls it (responder.h): the db it answers from, its
 * counters and its query log line. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "dbswap.h"
#include "responder.h"

static unsigned moved_calls;

static void count_moved(void *arg)
{
	(void)arg;
	moved_calls++;
}

/* A db is freed only once no reader holds it: not while a reader still answers from it,
 * and at once when the last one moves on. */
static void test_reclaim_waits_for_every_reader(void **state)
{
	struct dbswap s;
	struct dbswap_reader a, b;
	struct db *first = db_new(), *second = db_new(), *third = db_new();

	(void)state;
	assert_non_null(first);
	assert_non_null(second);
	assert_non_null(third);
	moved_calls = 0;
	dbswap_init(&s, first);
	s.moved = count_moved;
	dbswap_reader_attach(&s, &a);
	dbswap_reader_attach(&s, &b);
	assert_ptr_equal(a.db, first);
	assert_ptr_equal(dbswap_follow(&a), first);
	assert_int_equal(moved_calls, 0); /* nothing new: no wake-up for the publisher */

	assert_int_equal(dbswap_publish(&s, second), 0);
	assert_ptr_equal(dbswap_current(&s), second);
	assert_ptr_equal(a.db, first);   /* readers switch only when they follow */
	assert_int_equal(dbswap_reclaim(&s), 0);
	assert_ptr_equal(dbswap_follow(&a), second);
	assert_int_equal(moved_calls, 1);
	assert_int_equal(dbswap_reclaim(&s), 0); /* b still reads first */

	/* A second publication before b moved: two retired, first still held by b. */
	assert_int_equal(dbswap_publish(&s, third), 0);
	assert_ptr_equal(dbswap_follow(&a), third);
	assert_int_equal(dbswap_reclaim(&s), 1); /* second: nobody holds it */
	assert_ptr_equal(dbswap_follow(&b), third);
	assert_int_equal(moved_calls, 3);
	assert_int_equal(dbswap_reclaim(&s), 1); /* first */
	assert_null(s.retired);
	dbswap_free(&s);
	assert_null(dbswap_current(&s));
}

/* With no reader at all, a retired db goes at the next reclaim; freeing the swap frees
 * what is still retired and the current one (ASan's leak check sees the rest). */
static void test_free_with_retired(void **state)
{
	struct dbswap s;
	struct dbswap_reader a;

	(void)state;
	dbswap_init(&s, db_new());
	dbswap_reader_attach(&s, &a);
	assert_int_equal(dbswap_publish(&s, db_new()), 0);
	assert_int_equal(dbswap_publish(&s, db_new()), 0);
	assert_int_equal(dbswap_reclaim(&s), 1); /* the middle one; a holds the first */
	dbswap_free(&s);
}

static char fake_stats_buf[1];

static int no_stats(const void *ctx, char *buf, size_t len)
{
	(void)ctx;
	return snprintf(buf, len, "%s", fake_stats_buf);
}

/* respond() answers from the db its thread follows: a name of the zone published later
 * is REFUSED until the responder follows, then answered. */
static void test_respond_follows_published_db(void **state)
{
	static struct query_config cfg = { .udp_size = DNS_UDP_DEFAULT };
	static struct responder r;
	struct dbswap s;
	struct sockaddr_in6 peer = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "www.example.test.", LDNS_RR_TYPE_A,
				     LDNS_RR_CLASS_IN, 0, false);
	const struct query_request in = { .transport = QUERY_UDP, .wire = req, .len = len,
					  .peer = (const struct sockaddr *)&peer };

	(void)state;
	chaos_config_init(&cfg.chaos, "x", "y");
	cfg.chaos.stats_text = no_stats;
	dbswap_init(&s, db_new());
	responder_init(&r, &s, &cfg, false);
	assert_true(respond(&r, &in, test_resp, sizeof(test_resp)) > 0);
	assert_int_equal(test_resp[3] & 0xf, LDNS_RCODE_REFUSED);
	assert_int_equal(dbswap_publish(&s, test_load_db("example.test.zone", NULL)), 0);
	assert_true(respond(&r, &in, test_resp, sizeof(test_resp)) > 0);
	assert_int_equal(test_resp[3] & 0xf, LDNS_RCODE_REFUSED); /* not followed yet */
	responder_follow(&r);
	assert_true(respond(&r, &in, test_resp, sizeof(test_resp)) > 0);
	assert_int_equal(test_resp[3] & 0xf, LDNS_RCODE_NOERROR);
	assert_int_equal(dns_read16(test_resp + 6), 1);
	/* Three UDP queries over IPv6, two REFUSED, one NOERROR. */
	assert_int_equal(r.stats.queries[STATS_UDP][STATS_IPV6], 3);
	assert_int_equal(r.stats.queries[STATS_UDP][STATS_IPV4], 0);
	assert_int_equal(r.stats.answers[RCODE_REFUSED], 2);
	assert_int_equal(r.stats.answers[RCODE_NOERROR], 1);
	assert_int_equal(dbswap_reclaim(&s), 1);
	dbswap_free(&s);
}

/* Over TCP: counted as TCP, and nothing at all for a response (QR=1): the connection is
 * closed (RFC 7766 section 8); counted as dropped. With -q, one log line per request,
 * naming the transport and the client. */
static void test_respond_tcp_counts_and_logs(void **state)
{
	static struct query_config cfg = { .udp_size = DNS_UDP_DEFAULT };
	static struct responder r;
	struct dbswap s;
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(5300) };
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "www.example.test.", LDNS_RR_TYPE_A,
				     LDNS_RR_CLASS_IN, 0, false);
	struct query_request in = { .transport = QUERY_TCP, .wire = req, .len = len,
				    .peer = (const struct sockaddr *)&peer };
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	(void)state;
	peer.sin_addr.s_addr = htonl(0xc0000207); /* 192.0.2.7 */
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	log_set_stream(f);
	log_init("test_dbswap", LOG_LEVEL_INFO); /* the query log is at INFO */
	dbswap_init(&s, test_load_db("example.test.zone", NULL));
	responder_init(&r, &s, &cfg, true);
	assert_true(respond(&r, &in, test_resp, sizeof(test_resp)) > 0);
	req[2] |= 0x80; /* QR: a response */
	assert_int_equal(respond(&r, &in, test_resp, sizeof(test_resp)), 0);
	log_set_stream(NULL);
	log_init("test_dbswap", LOG_LEVEL_ERROR);
	fclose(f);
	assert_int_equal(r.stats.queries[STATS_TCP][STATS_IPV4], 2);
	assert_int_equal(r.stats.dropped, 1);
	assert_non_null(strstr(out, " tcp 192.0.2.7:5300 www.example.test. IN A NOERROR "));
	assert_non_null(strstr(out, " tcp 192.0.2.7:5300 - - - DROPPED 0"));
	free(out);
	dbswap_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reclaim_waits_for_every_reader),
		cmocka_unit_test(test_free_with_retired),
		cmocka_unit_test(test_respond_follows_published_db),
		cmocka_unit_test(test_respond_tcp_counts_and_logs),
	};

	log_init("test_dbswap", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
