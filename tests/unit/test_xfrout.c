/* SPDX-License-Identifier: BSD-3-Clause */
/* test_xfrout.c: AXFR and IXFR out (RFC 5936, RFC 1995) built in-process from the test
 * zones and a journal made by hand, every message parsed back with ldns; and the ACL. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "acl.h"
#include "journal.h"
#include "xfrout.h"

#define ORIGIN "example.test."

static struct db *db;
static struct zone *zone;
static struct acl acl;
static struct sockaddr_in client4;   /* 127.0.0.1: allowed */
static struct sockaddr_in stranger4; /* 192.0.2.1: not in the ACL */

static int setup(void **state)
{
	char err[256];

	(void)state;
	log_init("test_xfrout", LOG_LEVEL_ERROR);
	db = test_load_db("example.test.zone", "broken.test.zone", NULL);
	if (db == NULL)
		return 1;
	zone = db_find_origin(db, (const uint8_t *)"\7example\4test", 14);
	if (zone == NULL || acl_add(&acl, "127.0.0.0/8", ACL_TRANSFER, err, sizeof(err)) < 0)
		return 1;
	db->transfer_acl = &acl;
	client4.sin_family = AF_INET;
	client4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	stranger4.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &stranger4.sin_addr);
	return 0;
}

static struct journal journal;

static int teardown(void **state)
{
	(void)state;
	/* The journal made by hand is static: not the zone's to free (zone_free). */
	if (zone->journal == &journal)
		zone->journal = NULL;
	db_free(db);
	return 0;
}

/* A transfer request in wire form; an IXFR carries an SOA with serial in its authority
 * section (RFC 1995 section 3). */
static size_t make_request(uint8_t *out, size_t cap, const char *name, ldns_rr_type type,
			   uint32_t serial)
{
	ldns_pkt *p = NULL;

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, type, LDNS_RR_CLASS_IN, 0),
			 LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 0x4321);
	if (type == LDNS_RR_TYPE_IXFR) {
		char text[256];
		ldns_rr *soa = NULL;

		snprintf(text, sizeof(text), "%s 0 IN SOA ns1 hostmaster %u 1 1 1 1", name, serial);
		assert_int_equal(ldns_rr_new_frm_str(&soa, text, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, soa);
	}
	return test_pkt_take(out, cap, p);
}

/* What a transfer sent: every message's records in order, and facts about the messages. */
struct transfer {
	int rcode;
	bool aa;
	size_t messages;
	ldns_rr_list *rrs;
	size_t max_len;
	size_t bytes;
	size_t uncompressed;   /* what the records would take without compression */
	bool later_question;   /* a message after the first carried a question */
	bool id_echoed;        /* every message had the request's ID */
	size_t ede;            /* the EDE info-code of the first message + 1; 0: none */
};

static void take_message(struct transfer *t, const uint8_t *msg, size_t len)
{
	ldns_pkt *p = NULL;
	size_t i;

	assert_int_equal(ldns_wire2pkt(&p, msg, len), LDNS_STATUS_OK);
	if (t->messages == 0) {
		t->rcode = ldns_pkt_get_rcode(p);
		t->aa = ldns_pkt_aa(p);
	} else {
		t->aa = t->aa && ldns_pkt_aa(p);
		if (ldns_pkt_qdcount(p) != 0)
			t->later_question = true;
	}
	if (ldns_pkt_id(p) != 0x4321)
		t->id_echoed = false;
	for (i = 0; i < ldns_pkt_ancount(p); i++) {
		ldns_rr *rr = ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_answer(p), i));

		t->uncompressed += ldns_rr_uncompressed_size(rr);
		ldns_rr_list_push_rr(t->rrs, rr);
	}
	t->messages++;
	t->bytes += len;
	if (len > t->max_len)
		t->max_len = len;
	ldns_pkt_free(p);
}

/* The query state of the last run(). */
static struct query run_query;

/* Runs a request from peer through query_process() and, when it starts a transfer over
 * TCP, every message xfrout_next() builds with at most cap bytes each. */
static struct transfer run(const char *name, ldns_rr_type type, uint32_t serial,
			   enum query_transport transport, const struct sockaddr_in *peer, size_t cap)
{
	static struct query_config cfg = { .udp_size = 1232 };
	struct query *q = &run_query;
	static uint8_t req[512], resp[65536];
	struct transfer t = { .rrs = ldns_rr_list_new(), .id_echoed = true };
	const struct query_request in = {
		.transport = transport,
		.wire = req,
		.len = make_request(req, sizeof(req), name, type, serial),
		.peer = (const struct sockaddr *)peer,
	};
	size_t n;

	query_init(q, &cfg);
	n = query_process(q, db, &in, resp, transport == QUERY_UDP ? 512 : sizeof(resp));
	assert_true(n > 0);
	if (q->xfr.zone == NULL) {
		take_message(&t, resp, n);
		return t;
	}
	struct xfrout *x = xfrout_start(&q->xfr, &q->req, req);

	assert_non_null(x);
	while (!xfrout_done(x)) {
		n = xfrout_next(x, resp, cap);
		assert_true(n > 0);
		take_message(&t, resp, n);
	}
	assert_int_equal(x->records, ldns_rr_list_rr_count(t.rrs));
	xfrout_end(x);
	return t;
}

static ldns_rr_type rr_type_at(const struct transfer *t, size_t i)
{
	return ldns_rr_get_type(ldns_rr_list_rr(t->rrs, i));
}

static uint32_t soa_serial_at(const struct transfer *t, size_t i)
{
	ldns_rr *rr = ldns_rr_list_rr(t->rrs, i);

	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_SOA);
	return ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
}

/* True when the zone has this record (its owner, type and RDATA). */
static bool zone_has(const ldns_rr *rr)
{
	uint8_t owner[DNS_MAX_NAME], *rdata = NULL;
	size_t owner_len = ldns_rdf_size(ldns_rr_owner(rr)), rdata_len = 0, i;
	const struct rrset *rs;
	const struct node *n;
	const uint8_t *p;
	ldns_buffer *b = ldns_buffer_new(65535);
	bool found = false;

	assert_true(owner_len <= sizeof(owner));
	wire_name_tolower(owner, ldns_rdf_data(ldns_rr_owner(rr)), owner_len);
	assert_int_equal(ldns_rr_rdata2buffer_wire(b, rr), LDNS_STATUS_OK);
	rdata = ldns_buffer_begin(b);
	rdata_len = ldns_buffer_position(b);
	n = zone_find_node(zone, owner, owner_len);
	rs = n != NULL ? node_find_rrset(n, ldns_rr_get_type(rr)) : NULL;
	for (i = 0, p = rs != NULL ? rs->data : NULL; rs != NULL && i < rs->count; i++) {
		size_t len = dns_read16(p);

		if (len == rdata_len && memcmp(p + RR_HEADER_SIZE, rdata, len) == 0 &&
		    rs->ttl == ldns_rr_ttl(rr))
			found = true;
		p += RR_HEADER_SIZE + len;
	}
	ldns_buffer_free(b);
	return found;
}

/* Every record of the zone exactly once, between the SOA first and last (RFC 5936
 * section 2.2): as many as the zone holds, each one of its own, no two the same. */
static void assert_whole_zone(const struct transfer *t)
{
	size_t count = ldns_rr_list_rr_count(t->rrs), i;
	ldns_rr_list *body = ldns_rr_list_new();

	assert_int_equal(t->rcode, LDNS_RCODE_NOERROR);
	assert_true(t->aa);
	assert_int_equal(count, zone->rr_count + 1);
	assert_int_equal(soa_serial_at(t, 0), zone->serial);
	assert_int_equal(soa_serial_at(t, count - 1), zone->serial);
	for (i = 1; i + 1 < count; i++) {
		ldns_rr *rr = ldns_rr_list_rr(t->rrs, i);

		assert_int_not_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_SOA);
		assert_true(zone_has(rr));
		ldns_rr_list_push_rr(body, rr);
	}
	ldns_rr_list_sort(body);
	for (i = 1; i < ldns_rr_list_rr_count(body); i++)
		assert_int_not_equal(ldns_rr_compare(ldns_rr_list_rr(body, i - 1),
						     ldns_rr_list_rr(body, i)), 0);
	ldns_rr_list_free(body);
	assert_true(t->id_echoed);
}

static void transfer_free(struct transfer *t)
{
	ldns_rr_list_deep_free(t->rrs);
}

/* AXFR in one message: the whole zone, glue and occluded data included, compressed. */
static void test_axfr_whole(void **state)
{
	struct transfer t = run(ORIGIN, LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 65535);

	(void)state;
	assert_whole_zone(&t);
	assert_int_equal(t.messages, 1);
	/* Names compressed within the message (RFC 1035 section 4.1.4; RFC 5936 section
	 * 2.2): every owner ends in the origin, which is written once, so each record saves
	 * at least the 14 bytes of "example.test." less a 2-byte pointer. */
	assert_true(t.bytes + 12 * ldns_rr_list_rr_count(t.rrs) <=
		    DNS_HEADER_SIZE + 18 + t.uncompressed);
	transfer_free(&t);
}

/* A zone larger than a message: split, each message within its limit, the question only
 * in the first (RFC 5936 section 2.2.1), the same records as in one message. */
static void test_axfr_split(void **state)
{
	struct transfer one = run(ORIGIN, LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 65535);
	struct transfer t = run(ORIGIN, LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 700);
	size_t i;

	(void)state;
	assert_whole_zone(&t);
	assert_true(t.messages > 5);
	assert_true(t.max_len <= 700);
	assert_false(t.later_question);
	assert_int_equal(ldns_rr_list_rr_count(t.rrs), ldns_rr_list_rr_count(one.rrs));
	for (i = 0; i < ldns_rr_list_rr_count(t.rrs); i++)
		assert_int_equal(ldns_rr_compare(ldns_rr_list_rr(t.rrs, i),
						 ldns_rr_list_rr(one.rrs, i)), 0);
	transfer_free(&one);
	transfer_free(&t);
}

/* An RRset larger than what is left of a message (big TXT: 40 records, about 4 KB)
 * continues in the next message, every record once. */
static void test_axfr_rrset_spans(void **state)
{
	struct transfer t = run(ORIGIN, LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 1024);
	size_t i, big = 0;

	(void)state;
	assert_whole_zone(&t);
	for (i = 0; i < ldns_rr_list_rr_count(t.rrs); i++)
		if (rr_type_at(&t, i) == LDNS_RR_TYPE_TXT)
			big++;
	assert_true(big >= 40);
	assert_true(t.max_len <= 1024);
	transfer_free(&t);
}

/* A record that fits no message at all stops the transfer (xfrout_next returns 0). */
static void test_axfr_record_too_big(void **state)
{
	static struct query_config cfg = { .udp_size = 1232 };
	static struct query q;
	uint8_t req[512], resp[512];
	const struct query_request in = {
		.transport = QUERY_TCP, .wire = req,
		.len = make_request(req, sizeof(req), ORIGIN, LDNS_RR_TYPE_AXFR, 0),
		.peer = (const struct sockaddr *)&client4,
	};
	struct xfrout *x;
	size_t n, last = 1;

	(void)state;
	query_init(&q, &cfg);
	assert_true(query_process(&q, db, &in, resp, sizeof(resp)) > 0);
	x = xfrout_start(&q.xfr, &q.req, req);
	/* Not even room for the header and the question: nothing written, nothing lost. */
	assert_int_equal(xfrout_next(x, resp, DNS_HEADER_SIZE + 10), 0);
	assert_int_equal(x->records, 0);
	/* 120 bytes: the big TXT records (about 110 bytes each with owner) never fit. */
	while (!xfrout_done(x) && (n = xfrout_next(x, resp, 120)) > 0)
		last = n;
	assert_false(xfrout_done(x));
	assert_true(last <= 120);
	xfrout_end(x);
}

/* Errors decided before any transfer (RFC 5936 section 2.2.1 and 4.2). */
static void test_refusals(void **state)
{
	struct transfer t;
	size_t i;

	(void)state;
	/* Not the apex, or no zone of ours: NOTAUTH. */
	t = run("www." ORIGIN, LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 65535);
	assert_int_equal(t.rcode, LDNS_RCODE_NOTAUTH);
	assert_int_equal(ldns_rr_list_rr_count(t.rrs), 0);
	transfer_free(&t);
	t = run("example.org.", LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 65535);
	assert_int_equal(t.rcode, LDNS_RCODE_NOTAUTH);
	transfer_free(&t);
	/* A zone that did not load: SERVFAIL. */
	t = run("broken.test.", LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, &client4, 65535);
	assert_int_equal(t.rcode, LDNS_RCODE_SERVFAIL);
	transfer_free(&t);
	/* AXFR over UDP: NOTIMP (RFC 5936 section 4.2). */
	t = run(ORIGIN, LDNS_RR_TYPE_AXFR, 0, QUERY_UDP, &client4, 65535);
	assert_int_equal(t.rcode, LDNS_RCODE_NOTIMPL);
	transfer_free(&t);
	/* Outside the ACL, over either transport and for either type: REFUSED. */
	for (i = 0; i < 3; i++) {
		t = run(ORIGIN, i == 0 ? LDNS_RR_TYPE_AXFR : LDNS_RR_TYPE_IXFR, 1,
			i == 2 ? QUERY_UDP : QUERY_TCP, &stranger4, 65535);
		assert_int_equal(t.rcode, LDNS_RCODE_REFUSED);
		assert_int_equal(ldns_rr_list_rr_count(t.rrs), 0);
		transfer_free(&t);
	}
}

/* REFUSED with EDE 18, Prohibited (RFC 8914 section 4.19), when the request had EDNS. */
static void test_refused_ede(void **state)
{
	static struct query_config cfg = { .udp_size = 1232 };
	static struct query q;
	uint8_t req[512], resp[512];
	size_t len = test_make_query(req, sizeof(req), ORIGIN, LDNS_RR_TYPE_AXFR,
				     LDNS_RR_CLASS_IN, 1232, false);
	struct query_request in = {
		.transport = QUERY_TCP, .wire = req, .len = len,
		.peer = (const struct sockaddr *)&stranger4,
	};
	size_t n;

	(void)state;
	query_init(&q, &cfg);
	n = query_process(&q, db, &in, resp, sizeof(resp));
	assert_int_equal(resp[3] & 0xf, RCODE_REFUSED);
	assert_true(q.xfr_refused);
	assert_null(q.xfr.zone);
	assert_memory_equal(resp + n - 6, "\0\17\0\2\0\22", 6);
	/* No ACL at all: nobody may transfer. */
	db->transfer_acl = NULL;
	in.peer = (const struct sockaddr *)&client4;
	n = query_process(&q, db, &in, resp, sizeof(resp));
	db->transfer_acl = &acl;
	assert_int_equal(resp[3] & 0xf, RCODE_REFUSED);
}

/* IXFR from a serial as new as ours or newer (RFC 1982): our SOA alone, one record, over
 * TCP and UDP (RFC 1995 section 2). */
static void test_ixfr_up_to_date(void **state)
{
	const uint32_t serials[] = {
		zone->serial,                   /* equal */
		zone->serial + 1,               /* newer */
		zone->serial + 0x7fffffffu,     /* newest that is still newer: wraps past 2^32 */
	};
	size_t i, tr;

	(void)state;
	for (i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		for (tr = 0; tr < 2; tr++) {
			struct transfer t = run(ORIGIN, LDNS_RR_TYPE_IXFR, serials[i],
						tr ? QUERY_UDP : QUERY_TCP, &client4, 65535);

			assert_int_equal(t.rcode, LDNS_RCODE_NOERROR);
			assert_true(t.aa);
			assert_int_equal(ldns_rr_list_rr_count(t.rrs), 1);
			assert_int_equal(soa_serial_at(&t, 0), zone->serial);
			transfer_free(&t);
		}
	}
}

/* IXFR from a serial not kept (older by 2^31 + 1, across the wrap, or any other): over
 * TCP the whole zone AXFR-style (RFC 1995 section 4); over UDP our SOA alone, never a
 * zone (RFC 1995 section 2). */
static void test_ixfr_unknown(void **state)
{
	struct transfer t;

	(void)state;
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, zone->serial + 0x80000001u, QUERY_TCP, &client4, 65535);
	assert_whole_zone(&t);
	transfer_free(&t);
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, 7, QUERY_TCP, &client4, 2000);
	assert_whole_zone(&t);
	assert_true(t.messages > 1);
	transfer_free(&t);
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, 7, QUERY_UDP, &client4, 65535);
	assert_int_equal(ldns_rr_list_rr_count(t.rrs), 1);
	assert_int_equal(soa_serial_at(&t, 0), zone->serial);
	transfer_free(&t);
}

/* A journal by hand: from serial - 1, www's A changed (small); from serial - 2, thirty
 * TXT records removed as well (too big for a datagram). */
#define BIG_REMOVED 30
static uint8_t old_soa1[64], old_soa2[64];
static uint8_t txt[BIG_REMOVED][101];
static struct journal_rr removed1[2], added1[2], removed2[2 + BIG_REMOVED], added2[2];
static struct journal_delta deltas[2];

static struct journal_rr soa_rr(const uint8_t *rdata)
{
	const uint8_t *rr = zone->soa->data;

	return (struct journal_rr){
		.owner = zone->origin, .owner_len = zone->origin_len, .type = DNS_TYPE_SOA,
		.ttl = zone->soa->ttl, .rdlen = (uint16_t)dns_read16(rr),
		.name_off = { (uint16_t)dns_read16(rr + 2), (uint16_t)dns_read16(rr + 4) },
		.rdata = rdata,
	};
}

static struct journal_rr www_a(const uint8_t *addr)
{
	static const uint8_t www[] = "\3www\7example\4test";

	return (struct journal_rr){
		.owner = www, .owner_len = sizeof(www), .type = DNS_TYPE_A, .ttl = 3600,
		.rdlen = 4, .name_off = { RR_NAME_NONE, RR_NAME_NONE }, .rdata = addr,
	};
}

static void hand_journal(void)
{
	static const uint8_t old_a[4] = { 192, 0, 2, 79 }, new_a[4] = { 192, 0, 2, 80 };
	static const uint8_t txt_owner[] = "\3old\7example\4test";
	size_t soa_len = dns_read16(zone->soa->data), i;

	assert_true(soa_len <= sizeof(old_soa1));
	memcpy(old_soa1, zone->soa->data + RR_HEADER_SIZE, soa_len);
	memcpy(old_soa2, old_soa1, soa_len);
	/* The serial follows MNAME and RNAME: the last 20 bytes hold the five numbers. */
	dns_write32(old_soa1 + soa_len - 20, zone->serial - 1);
	dns_write32(old_soa2 + soa_len - 20, zone->serial - 2);
	removed1[0] = soa_rr(old_soa1);
	removed1[1] = www_a(old_a);
	added1[0] = soa_rr(zone->soa->data + RR_HEADER_SIZE);
	added1[1] = www_a(new_a);
	removed2[0] = soa_rr(old_soa2);
	removed2[1] = www_a(old_a);
	for (i = 0; i < BIG_REMOVED; i++) {
		txt[i][0] = 100;
		memset(txt[i] + 1, 'a' + (int)i % 26, 100);
		removed2[2 + i] = (struct journal_rr){
			.owner = txt_owner, .owner_len = sizeof(txt_owner), .type = DNS_TYPE_TXT,
			.ttl = 3600, .rdlen = 101, .name_off = { RR_NAME_NONE, RR_NAME_NONE },
			.rdata = txt[i],
		};
	}
	added2[0] = added1[0];
	added2[1] = added1[1];
	deltas[0] = (struct journal_delta){ .from_serial = zone->serial - 1, .removed = removed1,
		.removed_count = 2, .added = added1, .added_count = 2 };
	deltas[1] = (struct journal_delta){ .from_serial = zone->serial - 2, .removed = removed2,
		.removed_count = 2 + BIG_REMOVED, .added = added2, .added_count = 2 };
	journal = (struct journal){ .to_serial = zone->serial, .deltas = deltas, .count = 2 };
}

/* The condensed difference (RFC 1995 section 4): current SOA, old SOA, what was removed,
 * current SOA, what was added, current SOA. */
static void assert_condensed(const struct transfer *t, uint32_t from, size_t removed)
{
	size_t count = ldns_rr_list_rr_count(t->rrs), i;

	assert_int_equal(t->rcode, LDNS_RCODE_NOERROR);
	assert_true(t->aa);
	assert_int_equal(count, 1 + removed + 2 + 1);
	assert_int_equal(soa_serial_at(t, 0), zone->serial);
	assert_int_equal(soa_serial_at(t, 1), from);
	for (i = 2; i < 1 + removed; i++)
		assert_int_not_equal(rr_type_at(t, i), LDNS_RR_TYPE_SOA);
	assert_int_equal(soa_serial_at(t, 1 + removed), zone->serial);
	assert_int_equal(rr_type_at(t, 2 + removed), LDNS_RR_TYPE_A);
	assert_int_equal(soa_serial_at(t, count - 1), zone->serial);
}

static void test_ixfr_journal(void **state)
{
	struct transfer t;

	(void)state;
	hand_journal();
	zone->journal = &journal;
	/* The small difference: over TCP, and over UDP since it fits 512 bytes. */
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, zone->serial - 1, QUERY_TCP, &client4, 65535);
	assert_condensed(&t, zone->serial - 1, 2);
	assert_int_equal(t.messages, 1);
	transfer_free(&t);
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, zone->serial - 1, QUERY_UDP, &client4, 65535);
	assert_condensed(&t, zone->serial - 1, 2);
	assert_true(run_query.ixfr_udp); /* counted as an IXFR sent */
	transfer_free(&t);
	/* The big one: over TCP in several messages, over UDP our SOA alone (RFC 1995
	 * section 2). */
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, zone->serial - 2, QUERY_TCP, &client4, 1024);
	assert_condensed(&t, zone->serial - 2, 2 + BIG_REMOVED);
	assert_true(t.messages > 2);
	assert_false(t.later_question);
	transfer_free(&t);
	t = run(ORIGIN, LDNS_RR_TYPE_IXFR, zone->serial - 2, QUERY_UDP, &client4, 65535);
	assert_false(run_query.ixfr_udp);
	assert_int_equal(ldns_rr_list_rr_count(t.rrs), 1);
	assert_int_equal(soa_serial_at(&t, 0), zone->serial);
	transfer_free(&t);
	zone->journal = NULL;
}

/* The authority section of a transfer request: an IXFR needs exactly one well-formed SOA
 * (RFC 1995 section 3), any other query none (RFC 1035 section 4.1.1). */
static void test_ixfr_request_parse(void **state)
{
	uint8_t req[512];
	struct wire_query w;
	size_t len, rdlen_at;

	(void)state;
	len = make_request(req, sizeof(req), ORIGIN, LDNS_RR_TYPE_IXFR, 0x01020304);
	assert_int_equal(wire_parse_query(&w, req, len), RCODE_NOERROR);
	assert_int_equal(w.ixfr_serial, 0x01020304);
	/* Cut inside the SOA's numbers: FORMERR. */
	assert_int_equal(wire_parse_query(&w, req, len - 1), RCODE_FORMERR);
	/* An RDLENGTH one byte short of the five numbers: FORMERR. */
	rdlen_at = DNS_HEADER_SIZE + 14 + DNS_QUESTION_FIXED_SIZE;
	rdlen_at += (req[rdlen_at] & 0xc0) ? 2 : 14;
	rdlen_at += DNS_RR_OFF_RDLENGTH;
	dns_write16(req + rdlen_at, dns_read16(req + rdlen_at) - 1);
	assert_int_equal(wire_parse_query(&w, req, len - 1), RCODE_FORMERR);
	/* Not an SOA: FORMERR. */
	len = make_request(req, sizeof(req), ORIGIN, LDNS_RR_TYPE_IXFR, 5);
	req[rdlen_at - DNS_RR_OFF_RDLENGTH + 1] = DNS_TYPE_NS;
	assert_int_equal(wire_parse_query(&w, req, len), RCODE_FORMERR);
	/* No SOA at all. */
	len = make_request(req, sizeof(req), ORIGIN, LDNS_RR_TYPE_AXFR, 0);
	req[len - 3] = DNS_TYPE_IXFR; /* the question's type byte */
	assert_int_equal(wire_parse_query(&w, req, len), RCODE_FORMERR);
	/* An AXFR with an authority record: FORMERR. */
	len = make_request(req, sizeof(req), ORIGIN, LDNS_RR_TYPE_IXFR, 5);
	req[DNS_HEADER_SIZE + 14 + 1] = 252;
	assert_int_equal(wire_parse_query(&w, req, len), RCODE_FORMERR);
}

/* acl_add and acl_allows: prefixes, IPv4-mapped peers, keys, order. */
static void test_acl(void **state)
{
	static const uint8_t key1[] = "\4key1\7example", key2[] = "\4key2\7example";
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *p4 = (const struct sockaddr *)&v4, *p6 = (const struct sockaddr *)&v6;
	struct acl a = { .count = 0 };
	char err[256];

	(void)state;
	assert_false(acl_allows(NULL, p4, NULL, ACL_TRANSFER));
	assert_false(acl_allows(&a, p4, NULL, ACL_TRANSFER));
	assert_int_equal(acl_add(&a, "10.1.0.0/16", ACL_TRANSFER, err, sizeof(err)), 0);
	assert_int_equal(acl_add(&a, "2001:db8::/32:Key1.Example.", ACL_TRANSFER, err, sizeof(err)), 0);
	assert_int_equal(acl_add(&a, "192.0.2.7:key2.example", ACL_NOTIFY, err, sizeof(err)), 0);
	assert_int_equal(acl_add(&a, "::1", ACL_TRANSFER | ACL_NOTIFY, err, sizeof(err)), 0);
	assert_int_equal(a.count, 4);

	inet_pton(AF_INET, "10.1.200.3", &v4.sin_addr);
	assert_true(acl_allows(&a, p4, NULL, ACL_TRANSFER));
	assert_false(acl_allows(&a, p4, NULL, ACL_NOTIFY));
	inet_pton(AF_INET, "10.2.0.1", &v4.sin_addr);
	assert_false(acl_allows(&a, p4, NULL, ACL_TRANSFER));
	/* An IPv4-mapped peer matches the IPv4 entries. */
	inet_pton(AF_INET6, "::ffff:10.1.0.9", &v6.sin6_addr);
	assert_true(acl_allows(&a, p6, NULL, ACL_TRANSFER));
	/* A key entry: only requests signed with that key (names compared lowercased). */
	inet_pton(AF_INET6, "2001:db8:1::5", &v6.sin6_addr);
	assert_false(acl_allows(&a, p6, NULL, ACL_TRANSFER));
	assert_false(acl_allows(&a, p6, key2, ACL_TRANSFER));
	assert_true(acl_allows(&a, p6, key1, ACL_TRANSFER));
	inet_pton(AF_INET, "192.0.2.7", &v4.sin_addr);
	assert_true(acl_allows(&a, p4, key2, ACL_NOTIFY));
	assert_false(acl_allows(&a, p4, key2, ACL_TRANSFER));
	inet_pton(AF_INET6, "::1", &v6.sin6_addr);
	assert_true(acl_allows(&a, p6, NULL, ACL_NOTIFY));
	/* Bad text: a clear error, nothing added. */
	assert_int_equal(acl_add(&a, "10.1.0.0/33", ACL_TRANSFER, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "10.1.0.0/33"));
	assert_int_equal(acl_add(&a, "nowhere", ACL_TRANSFER, err, sizeof(err)), -EINVAL);
	assert_int_equal(acl_add(&a, "10.0.0.1:bad..name", ACL_TRANSFER, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad..name"));
	assert_int_equal(a.count, 4);
}

/* First match wins: an entry for a key before a broader one without. */
static void test_acl_order(void **state)
{
	static const uint8_t key1[] = "\4key1";
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	struct acl a = { .count = 0 };
	char err[256];

	(void)state;
	assert_int_equal(acl_add(&a, "10.0.0.0/8:key1", ACL_TRANSFER, err, sizeof(err)), 0);
	assert_int_equal(acl_add(&a, "10.0.0.0/24", ACL_TRANSFER, err, sizeof(err)), 0);
	inet_pton(AF_INET, "10.0.0.1", &v4.sin_addr);
	assert_true(acl_allows(&a, (const struct sockaddr *)&v4, NULL, ACL_TRANSFER));
	assert_true(acl_allows(&a, (const struct sockaddr *)&v4, key1, ACL_TRANSFER));
	inet_pton(AF_INET, "10.9.0.1", &v4.sin_addr);
	assert_false(acl_allows(&a, (const struct sockaddr *)&v4, NULL, ACL_TRANSFER));
	assert_true(acl_allows(&a, (const struct sockaddr *)&v4, key1, ACL_TRANSFER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axfr_whole),
		cmocka_unit_test(test_axfr_split),
		cmocka_unit_test(test_axfr_rrset_spans),
		cmocka_unit_test(test_axfr_record_too_big),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_refused_ede),
		cmocka_unit_test(test_ixfr_up_to_date),
		cmocka_unit_test(test_ixfr_unknown),
		cmocka_unit_test(test_ixfr_journal),
		cmocka_unit_test(test_ixfr_request_parse),
		cmocka_unit_test(test_acl),
		cmocka_unit_test(test_acl_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
