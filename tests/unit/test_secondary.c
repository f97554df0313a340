/* SPDX-License-Identifier: BSD-3-Clause */
/* test_secondary.c: secondary zones against a test double of the zone transfer client:
 * SOA timers (RFC 1034 section 4.3.5), NOTIFY in (RFC 1996), publishing and write-back. */
#include "testutil.h"

#include <arpa/inet.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbswap.h"
#include "secondary.h"
#include "zonedigest.h"
#include "zonefile.h"
#include "zonewrite.h"

/* ---- the test double of xfrin.h: records each start; the test ends it ---- */

struct xfrin {
	int unused;
};

static struct {
	struct xfrin handle;
	int started, cancelled;
	const struct zone *current;
	const struct xfrin_primary *primaries;
	size_t primary_count;
	xfrin_done_cb cb;
	void *arg;
	bool fail_at_once;  /* call back before returning, as a client may on a bad address */
} xfr;

struct xfrin *xfrin_start(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
			  const char *origin_text, const struct zone *current,
			  const struct xfrin_primary *primaries, size_t count, double timeout,
			  xfrin_done_cb cb, void *arg)
{
	(void)loop;
	(void)origin;
	(void)origin_len;
	(void)origin_text;
	(void)timeout;
	assert_null(xfr.cb); /* never two refreshes of one zone at once */
	xfr.started++;
	xfr.current = current;
	xfr.primaries = primaries;
	xfr.primary_count = count;
	xfr.cb = cb;
	xfr.arg = arg;
	if (xfr.fail_at_once) {
		struct xfrin_result r = { .status = -EAFNOSUPPORT, .error = "no address" };

		xfr.cb = NULL;
		cb(&r, arg);
	}
	return &xfr.handle;
}

void xfrin_cancel(struct xfrin *x)
{
	assert_ptr_equal(x, &xfr.handle);
	xfr.cancelled++;
	xfr.cb = NULL;
}

/* Ends the running refresh: status 0 with zone received by kind, or a failure. */
static void finish_as(int status, struct zone *zone, enum xfrin_kind kind)
{
	struct xfrin_result r = {
		.status = status,
		.kind = kind,
		.serial = zone != NULL ? zone->serial : 0,
		.zone = zone,
		.from = xfr.primaries,
		.messages = 1, .records = zone != NULL ? zone->rr_count : 0,
	};
	xfrin_done_cb cb = xfr.cb;

	assert_non_null(cb);
	if (status < 0)
		snprintf(r.error, sizeof(r.error), "connection refused");
	xfr.cb = NULL;
	cb(&r, xfr.arg);
}

/* The same by AXFR (zone NULL: up to date). */
static void finish(int status, struct zone *zone)
{
	finish_as(status, zone, zone != NULL ? XFRIN_AXFR : XFRIN_UPTODATE);
}

/* ---- fixtures ---- */

static const uint8_t origin[] = "\3sec\7example";
#define ORIGIN_LEN sizeof(origin)

struct fixture {
	char dir[64], log[16384], file[128];
	FILE *stream;
	struct ev_loop *loop;
	struct dbswap dbs;
	struct secondary sec;
	struct zoneconf zc;
	struct zoneconf_zone zz;
	struct xfrin_primary primary;
	struct journal_limits limits;
	ev_timer tick;  /* wakes the loop often, so RUN_UNTIL checks its deadline */
};

static void tick_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
}

/* A zone of sec.example. with this serial and SOA timers, loaded from a file. */
/* The transfer-in counters: axfr-in, ixfr-in, xfr-in-failed. */
static void assert_counted(const struct fixture *f, unsigned long axfr, unsigned long ixfr,
			   unsigned long failed)
{
	assert_int_equal(atomic_load(&f->sec.stats.axfr_in), axfr);
	assert_int_equal(atomic_load(&f->sec.stats.ixfr_in), ixfr);
	assert_int_equal(atomic_load(&f->sec.stats.xfr_in_failed), failed);
}

static struct zone *make_zone(struct fixture *f, uint32_t serial, unsigned refresh,
			      unsigned retry, unsigned expire, const char *extra)
{
	char path[160];
	struct zone *z = NULL;
	FILE *out;

	snprintf(path, sizeof(path), "%s/in.zone", f->dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fprintf(out, "$ORIGIN sec.example.\n$TTL 300\n"
		"@ IN SOA ns1 hostmaster %u %u %u %u 60\n"
		"@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN AAAA 2001:db8::1\n"
		"txt IN TXT \"two words\" \"and \\\"quotes\\\"\"\n%s", serial, refresh, retry,
		expire, extra);
	fclose(out);
	assert_int_equal(zonefile_load(path, "sec.example.", &z), 0);
	assert_true(z->ok);
	unlink(path);
	return z;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || test_scratch_setup(f->dir, sizeof(f->dir), "test_secondary", f->log,
					    sizeof(f->log), &f->stream, LOG_LEVEL_INFO) != 0)
		return 1;
	memset(&xfr, 0, sizeof(xfr));
	f->loop = ev_loop_new(EVFLAG_AUTO);
	ev_timer_init(&f->tick, tick_cb, 0.05, 0.05);
	ev_timer_start(f->loop, &f->tick);
	snprintf(f->file, sizeof(f->file), "%s/sec.example.zone", f->dir);
	/* One secondary zone with one primary, kept in f->file, and a notify ACL. */
	memcpy(f->zz.origin, origin, ORIGIN_LEN);
	f->zz.origin_len = ORIGIN_LEN;
	f->zz.name = "sec.example";
	f->zz.file = f->file;
	f->primary.addr.ss_family = AF_INET;
	f->primary.addr_len = sizeof(struct sockaddr_in);
	f->zz.primaries = &f->primary;
	f->zz.primary_count = 1;
	f->zc.refs = 1000;
	f->zc.zones = &f->zz;
	f->zc.zone_count = 1;
	f->limits = (struct journal_limits){ .depth = 5, .bytes = 1 << 20 };
	assert_int_equal(secondary_init(&f->sec), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int r;

	secondary_free(&f->sec);
	dbswap_free(&f->dbs);
	ev_timer_stop(f->loop, &f->tick);
	ev_loop_destroy(f->loop);
	r = test_scratch_teardown(f->dir, f->stream);
	free(f);
	return r;
}

/* Configures the zone, publishes a db with it, starts the timers (new versions announced
 * by notifier; NULL: none). */
static void start_with(struct fixture *f, struct notifier *notifier)
{
	struct db *db = db_new();

	assert_non_null(db);
	assert_int_equal(secondary_configure(&f->sec, &f->zc), 0);
	assert_int_equal(secondary_add_zones(&f->sec, db), 0);
	db->zoneconf = &f->zc; /* never freed: refs stays high */
	dbswap_init(&f->dbs, db);
	secondary_start(&f->sec, f->loop, &f->dbs, notifier, &f->limits);
}

static void start(struct fixture *f)
{
	start_with(f, NULL);
}

/* The zone the published db serves for sec.example. */
static const struct zone *served(struct fixture *f)
{
	const struct db *db = dbswap_current(&f->dbs);
	const struct zone *z = db_find_origin(db, origin, ORIGIN_LEN);

	assert_non_null(z);
	assert_ptr_equal(db->secondary, &f->sec);
	return z;
}

/* Runs the loop until cond holds, for at most seconds. */
#define RUN_UNTIL(f, cond, seconds) do { \
		ev_tstamp end_ = ev_time() + (seconds); \
		while (!(cond) && ev_time() < end_) \
			ev_run((f)->loop, EVRUN_ONCE); \
		assert_true(cond); \
	} while (0)

static size_t count_lines(const struct fixture *f, const char *needle)
{
	const char *p = f->log;
	size_t n = 0;

	fflush(f->stream);
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* ---- tests ---- */

/* No kept file: SERVFAIL (a failed zone) until the first transfer, which starts at once;
 * then the next refresh after REFRESH, after a failure RETRY. */
static void test_timers(void **state)
{
	struct fixture *f = *state;
	struct secondary_zone *sz;

	start(f);
	assert_false(served(f)->ok);
	RUN_UNTIL(f, xfr.started == 1, 2);
	assert_null(xfr.current);
	assert_int_equal(xfr.primary_count, 1);
	finish(0, make_zone(f, 7, 3600, 600, 86400, ""));
	assert_true(served(f)->ok);
	assert_int_equal(served(f)->serial, 7);
	sz = secondary_find(&f->sec, origin, ORIGIN_LEN);
	assert_non_null(sz);
	assert_true(sz->last_refresh > 0);
	assert_true(fabs(ev_timer_remaining(f->loop, &sz->refresh) - 3600) < 2);
	assert_true(fabs(sz->next_refresh - (ev_now(f->loop) + 3600)) < 2);
	assert_int_equal(count_lines(f, "transfer: AXFR sec.example serial 7 from 0.0.0.0"), 1);
	assert_counted(f, 1, 0, 0);

	/* A failed refresh: RETRY, the data still served, the error kept. */
	secondary_refresh(sz);
	assert_int_equal(xfr.started, 2);
	assert_ptr_equal(xfr.current, sz->current);
	finish(-ECONNREFUSED, NULL);
	assert_true(fabs(ev_timer_remaining(f->loop, &sz->refresh) - 600) < 2);
	assert_string_equal(sz->error, "connection refused");
	assert_int_equal(served(f)->serial, 7);
	assert_counted(f, 1, 0, 1);

	/* Up to date: REFRESH again, the error cleared, the same version, nothing counted. */
	secondary_refresh(sz);
	finish(0, NULL);
	assert_counted(f, 1, 0, 1);
	assert_true(fabs(ev_timer_remaining(f->loop, &sz->refresh) - 3600) < 2);
	assert_string_equal(sz->error, "");
	assert_int_equal(served(f)->serial, 7);

	/* A version whose SOA says REFRESH 0 and RETRY 0: no loop of queries, the floor. */
	secondary_refresh(sz);
	finish(0, make_zone(f, 8, 0, 0, 86400, ""));
	assert_true(fabs(ev_timer_remaining(f->loop, &sz->refresh) - SECONDARY_MIN_INTERVAL) < 1);
	secondary_refresh(sz);
	finish(-ECONNREFUSED, NULL);
	assert_true(fabs(ev_timer_remaining(f->loop, &sz->refresh) - SECONDARY_MIN_INTERVAL) < 1);
	secondary_refresh(sz);
	finish_as(0, make_zone(f, 9, 3600, 600, 86400, ""), XFRIN_IXFR);
	assert_counted(f, 2, 1, 2);

	/* A client that calls back before returning: its handle is not kept. */
	xfr.fail_at_once = true;
	secondary_refresh(sz);
	assert_null(sz->xfr);
	assert_string_equal(sz->error, "no address");
	assert_true(fabs(ev_timer_remaining(f->loop, &sz->refresh) - 600) < 2);
	xfr.fail_at_once = false;
	secondary_refresh(sz);
	assert_non_null(sz->xfr);
	finish(0, NULL);
}

/* EXPIRE seconds without a successful check: SERVFAIL, said once; a refresh that
 * succeeds serves the data again. */
static void test_expire(void **state)
{
	struct fixture *f = *state;
	struct secondary_zone *sz;

	start(f);
	RUN_UNTIL(f, xfr.started == 1, 2);
	finish(0, make_zone(f, 1, 3600, 3600, 1, ""));
	sz = secondary_find(&f->sec, origin, ORIGIN_LEN);
	secondary_refresh(sz);
	finish(-ETIMEDOUT, NULL);
	assert_true(served(f)->ok);
	RUN_UNTIL(f, sz->expired, 5);
	assert_false(served(f)->ok);
	/* Another failure does not say it again. */
	secondary_refresh(sz);
	finish(-ETIMEDOUT, NULL);
	assert_int_equal(count_lines(f, "expired"), 1);
	/* Up to date again: the same version is served again. */
	secondary_refresh(sz);
	finish(0, NULL);
	assert_false(sz->expired);
	assert_true(served(f)->ok);
	assert_int_equal(served(f)->serial, 1);
}

static void *notify_thread(void *arg)
{
	struct fixture *f = arg;

	secondary_notify(&f->sec, origin, ORIGIN_LEN);
	return NULL;
}

/* A NOTIFY from a worker thread starts a refresh now (RFC 1996 section 3.11); one that
 * comes during a refresh starts no second one. */
static void test_notify(void **state)
{
	struct fixture *f = *state;
	pthread_t t;

	start(f);
	RUN_UNTIL(f, xfr.started == 1, 2);
	finish(0, make_zone(f, 1, 3600, 3600, 86400, ""));
	assert_int_equal(pthread_create(&t, NULL, notify_thread, f), 0);
	pthread_join(t, NULL);
	RUN_UNTIL(f, xfr.started == 2, 2);
	assert_int_equal(count_lines(f, "NOTIFY received"), 1);
	secondary_notify(&f->sec, origin, ORIGIN_LEN);
	RUN_UNTIL(f, count_lines(f, "NOTIFY received") == 2, 2);
	assert_int_equal(xfr.started, 2); /* the double asserts no second start */
	finish(0, NULL);
}

/* A NOTIFY through query_process(): NOERROR, AA, the question, and the refresh; REFUSED
 * with EDE 18 from outside the notify ACL; NOTAUTH for a zone that is not a secondary. */
static void test_notify_query(void **state)
{
	struct fixture *f = *state;
	struct acl acl = { .count = 0 };
	char err[128];
	uint8_t req[512];
	struct query q;
	struct query_config cfg = { .udp_size = 1232 };
	struct sockaddr_in peer = { .sin_family = AF_INET };
	struct query_request in = { .transport = QUERY_UDP, .wire = req,
				    .peer = (struct sockaddr *)&peer };
	uint8_t resp[512];
	size_t len;
	ldns_pkt *p;

	assert_int_equal(acl_add(&acl, "192.0.2.0/24", ACL_NOTIFY, err, sizeof(err)), 0);
	f->zz.notify_in = &acl;
	start(f);
	RUN_UNTIL(f, xfr.started == 1, 2);
	finish(0, make_zone(f, 1, 3600, 3600, 86400, ""));
	query_init(&q, &cfg);

	in.len = test_make_query(req, sizeof(req), "SEC.example.", LDNS_RR_TYPE_SOA,
				 LDNS_RR_CLASS_IN, 0, false);
	req[2] = (uint8_t)((req[2] & 0x87) | (DNS_OPCODE_NOTIFY << 3)); /* opcode NOTIFY, RD off */
	req[2] &= (uint8_t)~1;
	inet_pton(AF_INET, "192.0.2.9", &peer.sin_addr);
	len = query_process(&q, dbswap_current(&f->dbs), &in, resp, sizeof(resp));
	assert_true(len > 0);
	assert_int_equal(ldns_wire2pkt(&p, resp, len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_get_opcode(p), LDNS_PACKET_NOTIFY);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	assert_true(ldns_pkt_aa(p));
	assert_true(ldns_pkt_qr(p));
	assert_int_equal(ldns_pkt_qdcount(p), 1);
	assert_memory_equal(resp + DNS_HEADER_SIZE, req + DNS_HEADER_SIZE, ORIGIN_LEN + 4);
	ldns_pkt_free(p);
	RUN_UNTIL(f, xfr.started == 2, 2);
	finish(0, NULL);

	inet_pton(AF_INET, "198.51.100.1", &peer.sin_addr);
	len = query_process(&q, dbswap_current(&f->dbs), &in, resp, sizeof(resp));
	assert_int_equal(dns_read16(resp + 2) & 0xf, RCODE_REFUSED);
	assert_int_equal(q.answer.ede, EDE_PROHIBITED);

	f->zz.primary_count = 0; /* the same zone, configured as a primary zone */
	inet_pton(AF_INET, "192.0.2.9", &peer.sin_addr);
	len = query_process(&q, dbswap_current(&f->dbs), &in, resp, sizeof(resp));
	assert_int_equal(dns_read16(resp + 2) & 0xf, RCODE_NOTAUTH);
	f->zz.primary_count = 1;
	assert_int_equal(xfr.started, 2);
}

/* A new version replaces the zone in the published db (the other zones shared), gets a
 * journal from the previous one, and is written to its file: no temporary file left,
 * and the file loads back to the same content. */
static void test_publish_and_write(void **state)
{
	struct fixture *f = *state;
	struct zone *other, *back = NULL, *z2;
	struct secondary_zone *sz;
	char tmp[160];
	struct db *db;
	struct stat st;

	/* A second zone in the db: a primary zone that must stay as it is. */
	start(f);
	db = (struct db *)dbswap_current(&f->dbs);
	other = make_zone(f, 1, 1, 1, 1, "");
	memcpy(other->origin, "\5other\7example", 15);
	other->origin_len = 15;
	assert_int_equal(db_add_zone(db, other), 0);
	RUN_UNTIL(f, xfr.started == 1, 2);
	finish(0, make_zone(f, 1, 3600, 3600, 86400, ""));
	assert_int_equal(served(f)->serial, 1);
	secondary_refresh(secondary_find(&f->sec, origin, ORIGIN_LEN));
	/* Records whose text is easy to get wrong: a wildcard, an escaped dot, an unknown
	 * type (RFC 3597), a TXT with quotes and spaces (make_zone's). */
	z2 = make_zone(f, 2, 3600, 3600, 86400, "new IN A 192.0.2.2\n*.wild IN MX 10 mail\n"
		       "escaped\\.dot IN A 192.0.2.3\nodd IN TYPE65534 \\# 2 abcd\n");
	finish(0, z2);
	assert_ptr_equal(served(f), z2);
	assert_ptr_equal(db_find_origin(dbswap_current(&f->dbs),
					(const uint8_t *)"\5other\7example", 15), other);
	assert_non_null(z2->journal); /* our own secondaries get IXFR from serial 1 */
	/* The file, written by a thread: renamed into place, read back equal. */
	sz = secondary_find(&f->sec, origin, ORIGIN_LEN);
	RUN_UNTIL(f, sz->writing == NULL && count_lines(f, "serial 2 kept in") == 1, 10);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->file);
	assert_int_equal(stat(tmp, &st), -1);
	assert_int_equal(zonefile_load(f->file, "sec.example.", &back), 0);
	assert_true(back->ok);
	assert_int_equal(back->serial, 2);
	assert_int_equal(back->rr_count, z2->rr_count);
	assert_memory_equal(back->digest, z2->digest, ZONE_DIGEST_SIZE);
	zone_free(back);
	/* ldns's own reader takes it too, when installed. */
	if (system("command -v ldns-read-zone >/dev/null") == 0) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "ldns-read-zone '%s' >/dev/null", f->file);
		assert_int_equal(system(cmd), 0);
	}

	/* Two versions in a row: the second waits for the first write, then is written. */
	secondary_refresh(sz);
	finish(0, make_zone(f, 3, 3600, 3600, 86400, ""));
	secondary_refresh(sz);
	z2 = make_zone(f, 4, 3600, 3600, 86400, "four IN A 192.0.2.4\n");
	finish(0, z2);
	RUN_UNTIL(f, sz->writing == NULL && count_lines(f, "serial 4 kept in") == 1, 10);
	back = NULL;
	assert_int_equal(zonefile_load(f->file, "sec.example.", &back), 0);
	assert_int_equal(back->serial, 4);
	assert_memory_equal(back->digest, z2->digest, ZONE_DIGEST_SIZE);
	zone_free(back);
}

/* At start, a kept file is served at once, then refreshed with it as the current version;
 * a configuration without the zone stops it (its refresh cancelled). */
static void test_kept_file_and_removal(void **state)
{
	struct fixture *f = *state;
	struct zone *z = make_zone(f, 42, 3600, 3600, 86400, "");
	char err[256];
	struct zoneconf empty = { .refs = 1 };

	assert_int_equal(zonewrite_file(z, f->file, err, sizeof(err)), 0);
	start(f);
	assert_true(served(f)->ok);
	assert_int_equal(served(f)->serial, 42);
	assert_memory_equal(served(f)->digest, z->digest, ZONE_DIGEST_SIZE);
	RUN_UNTIL(f, xfr.started == 1, 2);
	assert_non_null(xfr.current);
	assert_int_equal(xfr.current->serial, 42);
	assert_int_equal(secondary_configure(&f->sec, &empty), 0);
	assert_int_equal(xfr.cancelled, 1);
	assert_int_equal(f->sec.count, 0);
	zone_free(z);
}

/* A reload with the same primaries leaves a running refresh alone; new primaries end it
 * and start one with them. */
static void test_reconfigure(void **state)
{
	struct fixture *f = *state;
	struct xfrin_primary other = f->primary;

	start(f);
	RUN_UNTIL(f, xfr.started == 1, 2);
	assert_int_equal(secondary_configure(&f->sec, &f->zc), 0);
	assert_int_equal(xfr.cancelled, 0);
	assert_int_equal(f->sec.count, 1);
	((struct sockaddr_in *)&other.addr)->sin_port = htons(5300);
	f->zz.primaries = &other;
	assert_int_equal(secondary_configure(&f->sec, &f->zc), 0);
	assert_int_equal(xfr.cancelled, 1);
	RUN_UNTIL(f, xfr.started == 2, 2);
	assert_int_equal(((const struct sockaddr_in *)&xfr.primaries[0].addr)->sin_port,
			 htons(5300));
	finish(0, make_zone(f, 1, 3600, 3600, 86400, ""));
	f->zz.primaries = &f->primary;
}

/* A new version is announced to the NOTIFY targets (RFC 1996 section 4): a listener on
 * 127.0.0.1 receives a NOTIFY for the zone with the new serial. */
static void test_announced(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	struct notify_target target;
	struct notifier n;
	uint8_t buf[512];
	char err[128], text[64];
	ldns_pkt *p = NULL;
	ssize_t got = -1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	snprintf(text, sizeof(text), "127.0.0.1@%u", ntohs(addr.sin_port));
	assert_int_equal(notify_target_parse(&target, text, err, sizeof(err)), 0);
	assert_int_equal(notifier_init(&n, f->loop, &target, 1, 30., 1, err, sizeof(err)), 0);
	start_with(f, &n);
	RUN_UNTIL(f, xfr.started == 1, 2);
	finish(0, make_zone(f, 77, 3600, 3600, 86400, ""));
	/* RUN_UNTIL tests its condition once more at the end: got keeps the datagram. */
	RUN_UNTIL(f, got > 0 || (got = recv(fd, buf, sizeof(buf), 0)) > 0, 5);
	assert_int_equal(ldns_wire2pkt(&p, buf, (size_t)got), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_get_opcode(p), LDNS_PACKET_NOTIFY);
	assert_int_equal(ldns_rdf2native_int32(ldns_rr_rdf(ldns_rr_list_rr(ldns_pkt_answer(p), 0),
							   2)), 77);
	ldns_pkt_free(p);
	secondary_free(&f->sec); /* before the notifier it points to */
	assert_int_equal(secondary_init(&f->sec), 0);
	notifier_free(&n);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_timers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_and_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_file_and_removal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_announced, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
