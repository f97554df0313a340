/* SPDX-License-Identifier: BSD-3-Clause */
/* test_notify.c: the NOTIFY sender: the message (RFC 1996 section 3), which answers count, and retries, acknowledgement, refusal, replacement and cancelling through a real loop and socket. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "notify.h"

static struct db *db;
static const struct zone *zone;

static int setup(void **state)
{
	(void)state;
	log_init("test_notify", LOG_LEVEL_ERROR);
	db = test_load_db("example.test.zone", NULL);
	assert_non_null(db);
	zone = db_find_origin(db, (const uint8_t *)"\7example\4test", 14);
	assert_non_null(zone);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

/* RFC 1996 sections 3.3 and 3.7: opcode NOTIFY, AA, QR clear, the question (origin, SOA,
 * IN), the zone's SOA in the answer section; the ID as given. */
static void test_message(void **state)
{
	uint8_t buf[NOTIFY_MSG_MAX];
	ldns_pkt *p = NULL;
	ldns_rr *q, *soa;
	ldns_rdf *origin;
	ssize_t len;

	(void)state;
	len = notify_msg_build(buf, sizeof(buf), zone, 0xbeef);
	assert_true(len > 0);
	assert_int_equal(ldns_wire2pkt(&p, buf, (size_t)len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(p), 0xbeef);
	assert_int_equal(ldns_pkt_get_opcode(p), LDNS_PACKET_NOTIFY);
	assert_true(ldns_pkt_aa(p));
	assert_false(ldns_pkt_qr(p));
	assert_false(ldns_pkt_rd(p));
	assert_int_equal(ldns_pkt_qdcount(p), 1);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	assert_int_equal(ldns_pkt_arcount(p), 0);
	origin = ldns_dname_new_frm_str("example.test.");
	q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	assert_int_equal(ldns_dname_compare(ldns_rr_owner(q), origin), 0);
	assert_int_equal(ldns_rr_get_type(q), LDNS_RR_TYPE_SOA);
	assert_int_equal(ldns_rr_get_class(q), LDNS_RR_CLASS_IN);
	soa = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	assert_int_equal(ldns_dname_compare(ldns_rr_owner(soa), origin), 0);
	assert_int_equal(ldns_rr_get_type(soa), LDNS_RR_TYPE_SOA);
	assert_int_equal(ldns_rr_ttl(soa), 3600);
	assert_int_equal(ldns_rdf2native_int32(ldns_rr_rdf(soa, 2)), 2026112501);
	assert_int_equal(ldns_rdf2native_int32(ldns_rr_rdf(soa, 6)), 300);
	ldns_rdf_deep_free(origin);
	origin = ldns_dname_new_frm_str("ns1.example.test.");
	assert_int_equal(ldns_dname_compare(ldns_rr_rdf(soa, 0), origin), 0);
	ldns_rdf_deep_free(origin);
	ldns_pkt_free(p);
	/* Too small a buffer: an error, nothing written past it. */
	assert_int_equal(notify_msg_build(buf, (size_t)len - 1, zone, 1), -ENOSPC);
}

static void target_at(struct notify_target *t, const char *text)
{
	char err[256];

	assert_int_equal(notify_target_parse(t, text, err, sizeof(err)), 0);
}

/* The answer to msg as a target sends it: same ID and question, QR, opcode NOTIFY. */
static size_t answer_of(uint8_t *resp, const uint8_t *msg, size_t msg_len, int rcode)
{
	size_t qend = DNS_HEADER_SIZE + 14 + DNS_QUESTION_FIXED_SIZE;

	assert_true(msg_len >= qend);
	memcpy(resp, msg, qend);
	dns_write16(resp + DNS_OFF_FLAGS, DNS_FLAG_QR | (DNS_OPCODE_NOTIFY << 11) | DNS_FLAG_AA |
		    (unsigned)rcode);
	dns_write16(resp + DNS_OFF_ANCOUNT, 0);
	return qend;
}

/* RFC 1996 section 4.7 and RFC 5452 section 9.1: only an answer from the target's address
 * and port, with QR, opcode NOTIFY, the ID and the question counts; the rest is ignored,
 * junk and cut messages included. */
static void test_match(void **state)
{
	uint8_t msg[NOTIFY_MSG_MAX], resp[NOTIFY_MSG_MAX];
	struct notify_target t, from, other_port, other_addr, v6;
	size_t len, rlen, cut;
	ssize_t ml;
	unsigned i;

	(void)state;
	target_at(&t, "127.0.0.1@5300");
	target_at(&from, "127.0.0.1@5300");
	target_at(&other_port, "127.0.0.1@5301");
	target_at(&other_addr, "127.0.0.2@5300");
	target_at(&v6, "::1@5300");
	ml = notify_msg_build(msg, sizeof(msg), zone, 0x4242);
	assert_true(ml > 0);
	len = (size_t)ml;
#define MATCH(r, rl, f) notify_match(msg, len, &t, (r), (rl), \
				     (const struct sockaddr *)&(f).addr, (f).addr_len)
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	assert_int_equal(MATCH(resp, rlen, from), RCODE_NOERROR);
	/* The whole answer (with the SOA, as some servers echo it) matches too. */
	memcpy(resp, msg, len);
	dns_write16(resp + DNS_OFF_FLAGS, DNS_FLAG_QR | (DNS_OPCODE_NOTIFY << 11));
	assert_int_equal(MATCH(resp, len, from), RCODE_NOERROR);
	assert_int_equal(MATCH(resp, rlen, other_port), NOTIFY_IGNORE);
	assert_int_equal(MATCH(resp, rlen, other_addr), NOTIFY_IGNORE);
	assert_int_equal(MATCH(resp, rlen, v6), NOTIFY_IGNORE);

	rlen = answer_of(resp, msg, len, RCODE_REFUSED);
	assert_int_equal(MATCH(resp, rlen, from), RCODE_REFUSED);
	rlen = answer_of(resp, msg, len, 9); /* NOTAUTH */
	assert_int_equal(MATCH(resp, rlen, from), 9);

	/* Names compare case-insensitively (RFC 4343 section 3). */
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	resp[DNS_HEADER_SIZE + 1] = 'E';
	assert_int_equal(MATCH(resp, rlen, from), RCODE_NOERROR);
	/* Another name, type or class. */
	resp[DNS_HEADER_SIZE + 1] = 'x';
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	dns_write16(resp + rlen - 4, DNS_TYPE_A);
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	dns_write16(resp + rlen - 2, DNS_CLASS_CH);
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	/* Another ID. */
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	dns_write16(resp + DNS_OFF_ID, 0x4243);
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	/* QR clear: our own request reflected, or a NOTIFY to us. */
	assert_int_equal(MATCH(msg, len, from), NOTIFY_IGNORE);
	/* Another opcode. */
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	dns_write16(resp + DNS_OFF_FLAGS, DNS_FLAG_QR);
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	/* No question (some servers answer FORMERR so), or two. */
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	dns_write16(resp + DNS_OFF_QDCOUNT, 0);
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	dns_write16(resp + DNS_OFF_QDCOUNT, 2);
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	/* A compression pointer for the name. */
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	resp[DNS_HEADER_SIZE] = 0xc0;
	resp[DNS_HEADER_SIZE + 1] = DNS_HEADER_SIZE;
	assert_int_equal(MATCH(resp, rlen, from), NOTIFY_IGNORE);
	/* Every cut of a good answer. */
	rlen = answer_of(resp, msg, len, RCODE_NOERROR);
	for (cut = 0; cut < rlen; cut++)
		assert_int_equal(MATCH(resp, cut, from), NOTIFY_IGNORE);
	/* Junk with the right ID: never a crash, never read past its length (valgrind). */
	srand(7);
	for (i = 0; i < 2000; i++) {
		uint8_t *junk;
		size_t jl = (size_t)rand() % 64, j;

		junk = malloc(jl + 1);
		assert_non_null(junk);
		for (j = 0; j < jl; j++)
			junk[j] = (uint8_t)rand();
		if (jl >= 2)
			memcpy(junk, msg, 2);
		(void)MATCH(junk, jl, from);
		free(junk);
	}
#undef MATCH
}

/* A target on a real socket, and the notifier in a real loop. */
struct peer {
	int fd;
	struct notify_target target;
	unsigned got;                 /* NOTIFYs received */
	uint16_t ids[16];
	uint32_t serials[16];
	unsigned answer_from;         /* answer from the Nth on; 0: never */
	int rcode;
	struct sockaddr_storage from; /* the notifier's socket */
	socklen_t from_len;
};

static void peer_open(struct peer *p, unsigned answer_from, int rcode)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	memset(p, 0, sizeof(*p));
	p->answer_from = answer_from;
	p->rcode = rcode;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(p->fd >= 0);
	assert_int_equal(bind(p->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(p->fd, (struct sockaddr *)&sin, &len), 0);
	memcpy(&p->target.addr, &sin, sizeof(sin));
	p->target.addr_len = sizeof(sin);
}

/* Reads what came, answers as told. */
static void peer_serve(struct peer *p)
{
	uint8_t buf[DNS_MSG_MAX], resp[NOTIFY_MSG_MAX];
	struct sockaddr_storage from;
	socklen_t from_len = sizeof(from);
	ssize_t len;
	size_t rlen;

	while ((len = recvfrom(p->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			       &from_len)) > 0) {
		assert_true(p->got < 16);
		p->ids[p->got] = (uint16_t)dns_read16(buf);
		/* The SOA's serial: the last 20 bytes are its five numbers. */
		p->serials[p->got] = (uint32_t)dns_read32(buf + len - 20);
		p->got++;
		p->from = from;
		p->from_len = from_len;
		if (p->answer_from == 0 || p->got < p->answer_from)
			continue;
		rlen = answer_of(resp, buf, (size_t)len, p->rcode);
		assert_true(sendto(p->fd, resp, rlen, 0, (struct sockaddr *)&from, from_len) > 0);
		from_len = sizeof(from);
	}
}

/* Runs the loop until nothing is pending, for 5 s at most. */
static void run(struct ev_loop *loop, struct notifier *n, struct peer *p)
{
	struct timespec pause = { 0, 1000000 };
	unsigned i;

	for (i = 0; i < 5000 && notifier_pending_count(n) > 0; i++) {
		ev_run(loop, EVRUN_NOWAIT);
		peer_serve(p);
		nanosleep(&pause, NULL);
	}
	peer_serve(p);
}

static unsigned long count(const _Atomic unsigned long *c)
{
	return atomic_load(c);
}

/* One exchange: tries sends at most, retry seconds apart (long enough, where an answer is
 * expected, for the answer to come before the next send on a loaded machine). */
static void exchange(double retry, unsigned answer_from, int rcode, unsigned tries,
		     unsigned want_got,
		     unsigned long want_acked, unsigned long want_failed)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct notifier n;
	struct peer p;
	char err[256];
	unsigned i;

	peer_open(&p, answer_from, rcode);
	assert_int_equal(notifier_init(&n, loop, &p.target, 1, retry, tries, err, sizeof(err)), 0);
	notify_db(&n, db);
	assert_int_equal(notifier_pending_count(&n), 1);
	run(loop, &n, &p);
	assert_int_equal(notifier_pending_count(&n), 0);
	assert_int_equal(p.got, want_got);
	/* Retries are the same message: the same ID. */
	for (i = 1; i < p.got; i++)
		assert_int_equal(p.ids[i], p.ids[0]);
	assert_int_equal(count(&n.stats.notify_sent), want_got);
	assert_int_equal(count(&n.stats.notify_acked), want_acked);
	assert_int_equal(count(&n.stats.notify_failed), want_failed);
	notifier_free(&n);
	close(p.fd);
	ev_loop_destroy(loop);
}

static void test_no_answer(void **state)
{
	(void)state;
	exchange(0.02, 0, 0, 3, 3, 0, 1);
}

static void test_acked_on_second(void **state)
{
	(void)state;
	exchange(0.5, 2, RCODE_NOERROR, 5, 2, 1, 0);
}

static void test_refused_ends(void **state)
{
	(void)state;
	exchange(0.5, 1, RCODE_REFUSED, 5, 1, 0, 1);
}

/* A new announcement of the zone replaces the pending one: a new ID, fresh tries; the
 * old ID's answer no longer counts. A reload that drops the zone cancels it. */
static void test_replace_and_cancel(void **state)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	uint8_t resp[NOTIFY_MSG_MAX], msg[NOTIFY_MSG_MAX];
	struct notifier n;
	struct timespec pause = { 0, 1000000 };
	struct peer p;
	struct db *empty;
	char err[256];
	unsigned i;
	ssize_t ml;
	size_t rlen;

	(void)state;
	peer_open(&p, 0, 0);
	assert_int_equal(notifier_init(&n, loop, &p.target, 1, 30., 5, err, sizeof(err)), 0);
	assert_int_equal(notify_zone(&n, zone), 0);
	peer_serve(&p);
	assert_int_equal(notify_zone(&n, zone), 0);
	peer_serve(&p);
	assert_int_equal(p.got, 2);
	assert_int_equal(notifier_pending_count(&n), 1);
	assert_int_not_equal(p.ids[0], p.ids[1]);
	/* The answer to the first ID: ignored. */
	ml = notify_msg_build(msg, sizeof(msg), zone, p.ids[0]);
	assert_true(ml > 0);
	rlen = answer_of(resp, msg, (size_t)ml, RCODE_NOERROR);
	assert_true(sendto(p.fd, resp, rlen, 0, (struct sockaddr *)&p.from, p.from_len) > 0);
	for (i = 0; i < 50; i++) {
		ev_run(loop, EVRUN_NOWAIT);
		nanosleep(&pause, NULL);
	}
	assert_int_equal(notifier_pending_count(&n), 1);
	assert_int_equal(count(&n.stats.notify_acked), 0);
	/* The answer to the current ID acknowledges. */
	ml = notify_msg_build(msg, sizeof(msg), zone, p.ids[1]);
	assert_true(ml > 0);
	rlen = answer_of(resp, msg, (size_t)ml, RCODE_NOERROR);
	assert_true(sendto(p.fd, resp, rlen, 0, (struct sockaddr *)&p.from, p.from_len) > 0);
	for (i = 0; i < 5000 && notifier_pending_count(&n) > 0; i++) {
		ev_run(loop, EVRUN_NOWAIT);
		nanosleep(&pause, NULL);
	}
	assert_int_equal(count(&n.stats.notify_acked), 1);
	/* Announce again, for the cancel below. */
	assert_int_equal(notify_zone(&n, zone), 0);
	peer_serve(&p);
	assert_int_equal(p.got, 3);
	/* Unchanged serial: a reload announces nothing. */
	notify_reload(&n, db, db);
	peer_serve(&p);
	assert_int_equal(p.got, 3);
	/* A db without the zone cancels it, without counting a failure. */
	empty = db_new();
	assert_non_null(empty);
	notify_reload(&n, db, empty);
	assert_int_equal(notifier_pending_count(&n), 0);
	assert_int_equal(count(&n.stats.notify_failed), 0);
	/* A reload from no zone announces the new one. */
	notify_reload(&n, empty, db);
	peer_serve(&p);
	assert_int_equal(p.got, 4);
	assert_int_equal(p.serials[3], 2026112501);
	assert_int_equal(count(&n.stats.notify_sent), 4);
	db_free(empty);
	notifier_free(&n);
	close(p.fd);
	ev_loop_destroy(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_no_answer),
		cmocka_unit_test(test_acked_on_second),
		cmocka_unit_test(test_refused_ends),
		cmocka_unit_test(test_replace_and_cancel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
