/* SPDX-License-Identifier: BSD-3-Clause */
/* test_xfrin.c: the transfer client's checks and zone building (xfrinmsg.c) on canned
 * answers built with ldns: AXFR (RFC 5936 section 2.2), IXFR deltas, condensed or not,
 * and a single SOA (RFC 1995 section 4), the failures that leave the current version
 * alone, the SOA answer, the requests; and xfrin_start() with no primary. */
#include <errno.h>
#include <ev.h>

#include "testutil.h"
#include "dns.h"
#include "xfrin.h"
#include "xfrinmsg.h"
#include "zonefile.h"

#define ORIGIN "x.test."
#define ID 0x1234
#define SOA(serial) \
	ORIGIN " 3600 IN SOA ns." ORIGIN " h." ORIGIN " " #serial " 7200 3600 1209600 300"
#define END NULL

static const uint8_t origin_wire[] = "\001x\004test";
#define ORIGIN_LEN sizeof(origin_wire)

/* Version 1: what the IXFRs below change. */
static const char *const v1[] = {
	SOA(1), ORIGIN " 300 IN NS ns." ORIGIN, "ns." ORIGIN " 300 IN A 192.0.2.1",
	"www." ORIGIN " 300 IN A 192.0.2.80", "www." ORIGIN " 300 IN A 192.0.2.81",
	"gone." ORIGIN " 300 IN TXT \"bye\"", END,
};

static ldns_rr *rr_text(const char *text)
{
	ldns_rr *rr = NULL;

	assert_int_equal(ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL), LDNS_STATUS_OK);
	return rr;
}

static struct zone *zone_of(const char *const *lines)
{
	ldns_rr_list *l = ldns_rr_list_new();
	struct zone *z = NULL;

	for (; *lines != NULL; lines++)
		ldns_rr_list_push_rr(l, rr_text(*lines));
	assert_int_equal(zonefile_build_rrs(l, origin_wire, ORIGIN_LEN, ORIGIN, "test", &z, NULL,
					    0), 0);
	ldns_rr_list_deep_free(l);
	assert_true(z->ok);
	return z;
}

/* An answer to the request ID for qtype: QR, AA, the question (unless without), rcode,
 * and these records in the answer section; its wire form into out. */
static size_t answer(uint8_t *out, size_t cap, uint16_t id, uint16_t qtype, bool question,
		     unsigned rcode, const char *const *lines)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rdf *name = NULL;

	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	if (question) {
		ldns_rr *q = ldns_rr_new();

		assert_int_equal(ldns_str2rdf_dname(&name, ORIGIN), LDNS_STATUS_OK);
		ldns_rr_set_owner(q, name);
		ldns_rr_set_type(q, qtype);
		ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
		ldns_rr_set_question(q, true);
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	}
	for (; lines != NULL && *lines != NULL; lines++)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_text(*lines));
	return test_pkt_take(out, cap, p);
}

/* Feeds the messages (NULL-separated groups of records, ended by two NULLs) of an answer
 * to qtype to a stream over current; returns the last xfrin_stream_message() value,
 * stopping at the first that is not 0. */
static int feed(struct xfrin_stream *s, uint16_t qtype, const char *const *msgs, char *err,
		size_t errlen)
{
	uint8_t wire[65535];
	bool first = true;
	int rc = 0;

	while (*msgs != NULL) {
		size_t len = answer(wire, sizeof(wire), ID, qtype, first, 0, msgs);

		rc = xfrin_stream_message(s, wire, len, err, errlen);
		if (rc != 0)
			return rc;
		first = false;
		while (*msgs != NULL)
			msgs++;
		msgs++;
	}
	return rc;
}

/* True when the zone has exactly this record (owner, type, RDATA). */
static bool zone_has(const struct zone *z, const char *text)
{
	ldns_rr *rr = rr_text(text);
	ldns_buffer *b = ldns_buffer_new(512);
	uint8_t lc[DNS_MAX_NAME];
	const struct node *n;
	const struct rrset *s;
	bool found = false;

	ldns_rr_rdata2buffer_wire(b, rr);
	wire_name_tolower(lc, ldns_rdf_data(ldns_rr_owner(rr)), ldns_rdf_size(ldns_rr_owner(rr)));
	n = zone_find_node(z, lc, ldns_rdf_size(ldns_rr_owner(rr)));
	s = n != NULL ? node_find_rrset(n, ldns_rr_get_type(rr)) : NULL;
	if (s != NULL) {
		const uint8_t *p;

		for (p = s->data; p < s->data + s->data_len; p += RR_HEADER_SIZE + dns_read16(p))
			if (dns_read16(p) == ldns_buffer_position(b) &&
			    memcmp(p + RR_HEADER_SIZE, ldns_buffer_begin(b),
				   ldns_buffer_position(b)) == 0)
				found = true;
	}
	ldns_buffer_free(b);
	ldns_rr_free(rr);
	return found;
}

struct run {
	int rc;              /* the last xfrin_stream_message() value */
	int finish;          /* xfrin_stream_finish()'s, when rc was 1 */
	enum xfrin_kind kind;
	uint32_t serial;
	struct zone *zone;
	char err[256];
};

static void run(struct run *r, const struct zone *current, uint16_t qtype, const char *const *msgs)
{
	struct xfrin_stream *s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, current, qtype,
						  ID, "127.0.0.1#53");

	memset(r, 0, sizeof(*r));
	r->finish = -1;
	assert_non_null(s);
	r->rc = feed(s, qtype, msgs, r->err, sizeof(r->err));
	if (r->rc == 1 || r->rc == 0)
		r->finish = xfrin_stream_finish(s, &r->kind, &r->serial, &r->zone, r->err,
						sizeof(r->err));
	xfrin_stream_free(s);
}

static void test_axfr_good(void **state)
{
	static const char *const msgs[] = {
		SOA(5), ORIGIN " 300 IN NS ns." ORIGIN, END,
		"ns." ORIGIN " 300 IN A 192.0.2.1", "WWW.x.TEST. 300 IN A 192.0.2.9", END,
		SOA(5), END, END,
	};
	static const uint8_t zero[ZONE_DIGEST_SIZE];
	struct run r;

	(void)state;
	run(&r, NULL, DNS_TYPE_AXFR, msgs);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.finish, 0);
	assert_int_equal(r.kind, XFRIN_AXFR);
	assert_int_equal(r.serial, 5);
	assert_non_null(r.zone);
	assert_true(r.zone->ok);
	assert_null(r.zone->path);
	assert_int_equal(r.zone->serial, 5);
	assert_int_equal(r.zone->rr_count, 4);
	assert_true(zone_has(r.zone, "www." ORIGIN " 300 IN A 192.0.2.9"));
	/* The digest is set, so a reload can tell the content changed (zonedigest.h). */
	assert_memory_not_equal(r.zone->digest, zero, sizeof(zero));
	zone_free(r.zone);
}

static void test_axfr_without_final_soa(void **state)
{
	static const char *const msgs[] = {
		SOA(5), ORIGIN " 300 IN NS ns." ORIGIN, "ns." ORIGIN " 300 IN A 192.0.2.1", END,
		END,
	};
	struct run r;

	(void)state;
	run(&r, NULL, DNS_TYPE_AXFR, msgs);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.finish, -EPROTO);
	assert_null(r.zone);
	assert_non_null(strstr(r.err, "before its final SOA"));
}

static void test_axfr_bad_sequences(void **state)
{
	static const char *const not_soa_first[] = {
		ORIGIN " 300 IN NS ns." ORIGIN, SOA(5), END, END,
	};
	static const char *const other_serial[] = {
		SOA(5), ORIGIN " 300 IN NS ns." ORIGIN, SOA(4), END, END,
	};
	static const char *const after_end[] = {
		SOA(5), ORIGIN " 300 IN NS ns." ORIGIN, SOA(5), "ns." ORIGIN " 300 IN A 192.0.2.1",
		END, END,
	};
	static const char *const whole[] = { SOA(5), ORIGIN " 300 IN NS ns." ORIGIN, SOA(5), END };
	static const char *const more[] = { "ns." ORIGIN " 300 IN A 192.0.2.1", END };
	uint8_t wire[4096];
	struct xfrin_stream *s;
	struct run r;
	size_t len;

	(void)state;
	run(&r, NULL, DNS_TYPE_AXFR, not_soa_first);
	assert_int_equal(r.rc, -EPROTO);
	assert_non_null(strstr(r.err, "does not start with the SOA"));
	run(&r, NULL, DNS_TYPE_AXFR, other_serial);
	assert_int_equal(r.rc, -EPROTO);
	assert_non_null(strstr(r.err, "serial 4 inside the zone of serial 5"));
	run(&r, NULL, DNS_TYPE_AXFR, after_end);
	assert_int_equal(r.rc, -EPROTO);
	assert_non_null(strstr(r.err, "after the final SOA"));
	/* The final SOA ends the stream: one more message is refused. */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_AXFR, true, 0, whole);
	assert_int_equal(xfrin_stream_message(s, wire, len, r.err, sizeof(r.err)), 1);
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_AXFR, false, 0, more);
	assert_int_equal(xfrin_stream_message(s, wire, len, r.err, sizeof(r.err)), -EPROTO);
	assert_non_null(strstr(r.err, "after the final SOA"));
	xfrin_stream_free(s);
}

static void test_zone_failing_checks(void **state)
{
	/* CNAME beside other data (RFC 1034 section 3.6.2): the zone file checks apply. */
	static const char *const msgs[] = {
		SOA(5), ORIGIN " 300 IN NS ns." ORIGIN, "ns." ORIGIN " 300 IN A 192.0.2.1",
		"www." ORIGIN " 300 IN CNAME ns." ORIGIN, "www." ORIGIN " 300 IN A 192.0.2.9",
		SOA(5), END, END,
	};
	struct run r;
	char *logged = NULL;
	size_t logged_len = 0;
	FILE *f = open_memstream(&logged, &logged_len);

	(void)state;
	log_set_stream(f);
	run(&r, NULL, DNS_TYPE_AXFR, msgs);
	log_set_stream(NULL);
	fclose(f);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.finish, -EINVAL);
	assert_null(r.zone);
	assert_non_null(strstr(r.err, "fails the checks: CNAME beside other data (line 5)"));
	/* Logged as a zone file's problems are, the record's place for the line. */
	assert_non_null(strstr(logged, "AXFR of x.test. from 127.0.0.1#53:"));
	assert_non_null(strstr(logged, "CNAME beside other data"));
	free(logged);
}

static void test_header_checks(void **state)
{
	uint8_t wire[4096];
	static const char *const recs[] = { SOA(5), END };
	struct xfrin_stream *s;
	char err[256];
	size_t len;

	(void)state;
	/* Another ID on the connection: a broken stream. */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID + 1, DNS_TYPE_AXFR, true, 0, recs);
	assert_int_equal(xfrin_stream_message(s, wire, len, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "another ID"));
	xfrin_stream_free(s);
	/* Another question. */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_IXFR, true, 0, recs);
	assert_int_equal(xfrin_stream_message(s, wire, len, err, sizeof(err)), -EPROTO);
	xfrin_stream_free(s);
	/* The first message without its question (RFC 5936 section 2.2.1). */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_AXFR, false, 0, recs);
	assert_int_equal(xfrin_stream_message(s, wire, len, err, sizeof(err)), -EPROTO);
	xfrin_stream_free(s);
	/* QR clear. */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_AXFR, true, 0, recs);
	wire[2] &= 0x7f;
	assert_int_equal(xfrin_stream_message(s, wire, len, err, sizeof(err)), -EPROTO);
	xfrin_stream_free(s);
	/* A refused AXFR fails; a refused IXFR asks for an AXFR (RFC 1995 section 2). */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_AXFR, true, 5, NULL);
	assert_int_equal(xfrin_stream_message(s, wire, len, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "REFUSED"));
	xfrin_stream_free(s);
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_IXFR, ID, "p");
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_IXFR, true, 4, NULL);
	assert_int_equal(xfrin_stream_message(s, wire, len, err, sizeof(err)), -ENOTSUP);
	xfrin_stream_free(s);
	/* Not a DNS message at all. */
	s = xfrin_stream_new(origin_wire, ORIGIN_LEN, ORIGIN, NULL, DNS_TYPE_AXFR, ID, "p");
	assert_int_equal(xfrin_stream_message(s, wire, 7, err, sizeof(err)), -EPROTO);
	xfrin_stream_free(s);
}

static void test_ixfr_single_soa(void **state)
{
	static const char *const msgs[] = { SOA(1), END, END };
	struct zone *cur = zone_of(v1);
	struct run r;

	(void)state;
	run(&r, cur, DNS_TYPE_IXFR, msgs);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.finish, 0);
	assert_int_equal(r.kind, XFRIN_UPTODATE);
	assert_int_equal(r.serial, 1);
	assert_null(r.zone);
	zone_free(cur);
}

static void test_ixfr_condensed(void **state)
{
	static const char *const msgs[] = {
		SOA(3), SOA(1), "www." ORIGIN " 300 IN A 192.0.2.81",
		"GONE.x.test. 300 IN TXT \"bye\"",
		SOA(3), "www." ORIGIN " 300 IN A 192.0.2.82", "new." ORIGIN " 300 IN A 192.0.2.7",
		SOA(3), END, END,
	};
	struct zone *cur = zone_of(v1);
	struct run r;

	(void)state;
	run(&r, cur, DNS_TYPE_IXFR, msgs);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.finish, 0);
	assert_int_equal(r.kind, XFRIN_IXFR);
	assert_int_equal(r.serial, 3);
	assert_int_equal(r.zone->serial, 3);
	assert_true(zone_has(r.zone, "www." ORIGIN " 300 IN A 192.0.2.80"));
	assert_false(zone_has(r.zone, "www." ORIGIN " 300 IN A 192.0.2.81"));
	assert_true(zone_has(r.zone, "www." ORIGIN " 300 IN A 192.0.2.82"));
	assert_true(zone_has(r.zone, "new." ORIGIN " 300 IN A 192.0.2.7"));
	assert_null(zone_find_node(r.zone, (const uint8_t *)"\004gone\001x\004test", 13));
	assert_int_equal(r.zone->rr_count, 6);
	/* The current version is untouched. */
	assert_true(zone_has(cur, "www." ORIGIN " 300 IN A 192.0.2.81"));
	assert_int_equal(cur->serial, 1);
	zone_free(r.zone);
	zone_free(cur);
}

static void test_ixfr_multi_delta(void **state)
{
	/* 1 -> 2 -> 3 across messages: a record added by the first delta and removed by the
	 * second is gone; the deltas apply in order. */
	static const char *const msgs[] = {
		SOA(3), SOA(1), "gone." ORIGIN " 300 IN TXT \"bye\"", SOA(2), END,
		"tmp." ORIGIN " 300 IN A 192.0.2.5", SOA(2), "tmp." ORIGIN " 300 IN A 192.0.2.5",
		END,
		SOA(3), "last." ORIGIN " 300 IN AAAA 2001:db8::3", SOA(3), END, END,
	};
	struct zone *cur = zone_of(v1);
	struct run r;

	(void)state;
	run(&r, cur, DNS_TYPE_IXFR, msgs);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.finish, 0);
	assert_int_equal(r.kind, XFRIN_IXFR);
	assert_int_equal(r.serial, 3);
	assert_false(zone_has(r.zone, "gone." ORIGIN " 300 IN TXT \"bye\""));
	assert_false(zone_has(r.zone, "tmp." ORIGIN " 300 IN A 192.0.2.5"));
	assert_true(zone_has(r.zone, "last." ORIGIN " 300 IN AAAA 2001:db8::3"));
	assert_true(zone_has(r.zone, "www." ORIGIN " 300 IN A 192.0.2.81"));
	zone_free(r.zone);
	zone_free(cur);
}

static void test_ixfr_wrong_start_serial(void **state)
{
	static const char *const msgs[] = {
		SOA(3), SOA(2), SOA(3), "new." ORIGIN " 300 IN A 192.0.2.7", SOA(3), END, END,
	};
	static const char *const gap[] = {
		SOA(4), SOA(1), SOA(2), SOA(3), SOA(4), SOA(4), END, END,
	};
	struct zone *cur = zone_of(v1);
	struct run r;

	(void)state;
	run(&r, cur, DNS_TYPE_IXFR, msgs);
	assert_int_equal(r.rc, -EPROTO);
	assert_null(r.zone);
	assert_non_null(strstr(r.err, "starts at serial 2, ours is 1"));
	/* A delta that does not start where the previous one led. */
	run(&r, cur, DNS_TYPE_IXFR, gap);
	assert_int_equal(r.rc, -EPROTO);
	assert_non_null(strstr(r.err, "starts at serial 3 after one that led to 2"));
	zone_free(cur);
}

static void test_ixfr_removing_absent_record(void **state)
{
	static const char *const msgs[] = {
		SOA(2), SOA(1), "www." ORIGIN " 300 IN A 192.0.2.99", SOA(2), SOA(2), END, END,
	};
	struct zone *cur = zone_of(v1);
	struct run r;

	(void)state;
	run(&r, cur, DNS_TYPE_IXFR, msgs);
	assert_int_equal(r.rc, -EPROTO);
	assert_null(r.zone);
	assert_non_null(strstr(r.err, "does not have"));
	assert_non_null(strstr(r.err, "192.0.2.99"));
	zone_free(cur);
}

static void test_ixfr_answered_with_whole_zone(void **state)
{
	/* RFC 1995 section 4: the primary may send the whole zone, as an AXFR. */
	static const char *const msgs[] = {
		SOA(7), ORIGIN " 300 IN NS ns." ORIGIN, "ns." ORIGIN " 300 IN A 192.0.2.1", SOA(7),
		END, END,
	};
	struct zone *cur = zone_of(v1);
	struct run r;

	(void)state;
	run(&r, cur, DNS_TYPE_IXFR, msgs);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.finish, 0);
	assert_int_equal(r.kind, XFRIN_AXFR);
	assert_int_equal(r.zone->rr_count, 3);
	assert_false(zone_has(r.zone, "www." ORIGIN " 300 IN A 192.0.2.80"));
	zone_free(r.zone);
	zone_free(cur);
}

static void test_soa_answer(void **state)
{
	static const char *const soa[] = { SOA(42), END };
	uint8_t wire[4096];
	uint32_t serial = 0;
	char err[256];
	size_t len;

	(void)state;
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_SOA, true, 0, soa);
	assert_int_equal(xfrin_soa_answer(wire, len, ID, origin_wire, ORIGIN_LEN, &serial, err,
					  sizeof(err)), 0);
	assert_int_equal(serial, 42);
	/* Not our ID: not the answer, keep waiting (RFC 5452 section 9.1). */
	assert_int_equal(xfrin_soa_answer(wire, len, ID + 1, origin_wire, ORIGIN_LEN, &serial, err,
					  sizeof(err)), -EAGAIN);
	wire[2] |= DNS_FLAG_TC >> 8;
	assert_int_equal(xfrin_soa_answer(wire, len, ID, origin_wire, ORIGIN_LEN, &serial, err,
					  sizeof(err)), 1);
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_SOA, true, 5, NULL);
	assert_int_equal(xfrin_soa_answer(wire, len, ID, origin_wire, ORIGIN_LEN, &serial, err,
					  sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "REFUSED"));
	len = answer(wire, sizeof(wire), ID, DNS_TYPE_SOA, true, 0, NULL);
	assert_int_equal(xfrin_soa_answer(wire, len, ID, origin_wire, ORIGIN_LEN, &serial, err,
					  sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "no SOA"));
}

static void test_request_build(void **state)
{
	struct zone *cur = zone_of(v1);
	uint8_t wire[XFRIN_REQUEST_MAX];
	ldns_pkt *p = NULL;
	const ldns_rr *soa;
	ssize_t len;

	(void)state;
	len = xfrin_request_build(wire, sizeof(wire), origin_wire, ORIGIN_LEN, DNS_TYPE_IXFR, cur,
				  ID);
	assert_true(len > 0);
	assert_int_equal(ldns_wire2pkt(&p, wire, (size_t)len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(p), ID);
	assert_false(ldns_pkt_qr(p));
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(p), 0)),
			 LDNS_RR_TYPE_IXFR);
	/* RFC 1995 section 3: our SOA in the authority section. */
	assert_int_equal(ldns_pkt_nscount(p), 1);
	soa = ldns_rr_list_rr(ldns_pkt_authority(p), 0);
	assert_int_equal(ldns_rdf2native_int32(ldns_rr_rdf(soa, 2)), 1);
	ldns_pkt_free(p);
	len = xfrin_request_build(wire, sizeof(wire), origin_wire, ORIGIN_LEN, DNS_TYPE_AXFR, NULL,
				  ID);
	assert_int_equal(ldns_wire2pkt(&p, wire, (size_t)len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	ldns_pkt_free(p);
	assert_int_equal(xfrin_request_build(wire, 20, origin_wire, ORIGIN_LEN, DNS_TYPE_IXFR, cur,
					     ID), -ENOSPC);
	zone_free(cur);
}

static void no_primary_cb(const struct xfrin_result *r, void *arg)
{
	int *status = arg;

	*status = r->status;
	assert_null(r->zone);
}

static void test_start_without_primary(void **state)
{
	struct ev_loop *loop = ev_loop_new(0);
	int status = 1;

	(void)state;
	assert_non_null(xfrin_start(loop, origin_wire, ORIGIN_LEN, ORIGIN, NULL, NULL, 0, 1,
				    no_primary_cb, &status));
	/* Never called back from inside xfrin_start(). */
	assert_int_equal(status, 1);
	ev_run(loop, 0);
	assert_int_equal(status, -ENOENT);
	ev_loop_destroy(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axfr_good),
		cmocka_unit_test(test_axfr_without_final_soa),
		cmocka_unit_test(test_axfr_bad_sequences),
		cmocka_unit_test(test_zone_failing_checks),
		cmocka_unit_test(test_header_checks),
		cmocka_unit_test(test_ixfr_single_soa),
		cmocka_unit_test(test_ixfr_condensed),
		cmocka_unit_test(test_ixfr_multi_delta),
		cmocka_unit_test(test_ixfr_wrong_start_serial),
		cmocka_unit_test(test_ixfr_removing_absent_record),
		cmocka_unit_test(test_ixfr_answered_with_whole_zone),
		cmocka_unit_test(test_soa_answer),
		cmocka_unit_test(test_request_build),
		cmocka_unit_test(test_start_without_primary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
