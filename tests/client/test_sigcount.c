/* SPDX-License-Identifier: BSD-3-Clause */
/* test_sigcount.c: DNSSEC counts and the RFC 4035 section 3.1.1 verdict over ldns-built replies. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "client/exchange.h"
#include "client/sigcount.h"
#include "client/verdicts.h"

#define SIG(covered, owner) owner " 300 IN RRSIG " covered " 13 2 300 20300101000000 " \
	"20200101000000 1234 example. AAAA"

/* A reply to www.example. A with the records given as "S text", S the section letter
 * (A answer, N authority, D additional); aa sets AA, tc TC. Returns its wire form. */
static uint8_t *build(size_t *len, bool aa, bool tc, const char *const *rrs)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = NULL;
	uint8_t *wire = NULL;

	assert_non_null(p);
	assert_int_equal(ldns_rr_new_question_frm_str(&q, "www.example. IN A", NULL, NULL), LDNS_STATUS_OK);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, aa);
	ldns_pkt_set_tc(p, tc);
	for (size_t i = 0; rrs[i] != NULL; i++) {
		ldns_rr *rr = NULL;
		ldns_pkt_section sec = rrs[i][0] == 'A' ? LDNS_SECTION_ANSWER
				     : rrs[i][0] == 'N' ? LDNS_SECTION_AUTHORITY : LDNS_SECTION_ADDITIONAL;
		assert_int_equal(ldns_rr_new_frm_str(&rr, rrs[i] + 2, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, sec, rr);
	}
	assert_int_equal(ldns_pkt2wire(&wire, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return wire;
}

struct case_ {
	const char *what;
	bool aa;
	const char *rrs[12];
	struct sigcount count;
	unsigned rrsets, unsigned_sets, exempt;
	const char *missing;
};

static const struct case_ cases[] = {
	{ "positive, signed", true,
	  { "A www.example. 300 IN A 192.0.2.1", "A " SIG("A", "www.example."),
	    "N example. 300 IN NS ns.example.", "N " SIG("NS", "example."), NULL },
	  { 2, 0, 0 }, 2, 0, 0, "" },
	{ "one RRset of two unsigned, and the SOA", true,
	  { "A www.example. 300 IN A 192.0.2.1", "A www.example. 300 IN A 192.0.2.2",
	    "A " SIG("A", "www.example."), "A www.example. 300 IN AAAA 2001:db8::1",
	    "N example. 300 IN SOA ns.example. h.example. 1 2 3 4 5", NULL },
	  { 1, 0, 0 }, 3, 2, 0, "www.example./AAAA, example./SOA" },
	{ "an RRSIG over another type does not cover", true,
	  { "A www.example. 300 IN A 192.0.2.1", "A " SIG("AAAA", "www.example."), NULL },
	  { 1, 0, 0 }, 1, 1, 0, "www.example./A" },
	{ "an RRSIG of another owner does not cover", true,
	  { "A www.example. 300 IN A 192.0.2.1", "A " SIG("A", "ftp.example."), NULL },
	  { 1, 0, 0 }, 1, 1, 0, "www.example./A" },
	{ "the RRSIG must be in the RRset's section", true,
	  { "A www.example. 300 IN A 192.0.2.1", "N " SIG("A", "www.example."), NULL },
	  { 1, 0, 0 }, 1, 1, 0, "www.example./A" },
	{ "NXDOMAIN with NSEC: counted, signed", true,
	  { "N example. 300 IN SOA ns.example. h.example. 1 2 3 4 5", "N " SIG("SOA", "example."),
	    "N example. 300 IN NSEC a.example. NS SOA RRSIG NSEC", "N " SIG("NSEC", "example."),
	    "N z.example. 300 IN NSEC example. A RRSIG NSEC", "N " SIG("NSEC", "z.example."), NULL },
	  { 3, 2, 0 }, 3, 0, 0, "" },
	{ "NSEC3 counted, one unsigned", true,
	  { "N 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 300 IN NSEC3 1 0 0 - "
	    "2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG", NULL },
	  { 0, 0, 1 }, 1, 1, 0, "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example./NSEC3" },
	{ "DNAME signed, synthesized CNAME exempt (RFC 6672 section 5.3.1)", true,
	  { "A example. 300 IN DNAME example.net.", "A " SIG("DNAME", "example."),
	    "A www.example. 300 IN CNAME www.example.net.", NULL },
	  { 1, 0, 0 }, 1, 0, 1, "" },
	{ "a CNAME not below the DNAME is judged", true,
	  { "A sub.example. 300 IN DNAME example.net.", "A " SIG("DNAME", "sub.example."),
	    "A www.example. 300 IN CNAME www.example.net.", NULL },
	  { 1, 0, 0 }, 2, 1, 0, "www.example./CNAME" },
	{ "referral: NS exempt, DS signed, glue not judged", false,
	  { "N child.example. 300 IN NS ns.child.example.",
	    "N child.example. 300 IN DS 1 13 2 0011223344556677889900112233445566778899001122334455667788990011",
	    "N " SIG("DS", "child.example."), "D ns.child.example. 300 IN A 192.0.2.53", NULL },
	  { 1, 0, 0 }, 1, 0, 1, "" },
	{ "an authoritative answer's NS is not exempt", true,
	  { "A www.example. 300 IN A 192.0.2.1", "A " SIG("A", "www.example."),
	    "N example. 300 IN NS ns.example.", "D " SIG("A", "ns.example."), NULL },
	  { 2, 0, 0 }, 2, 1, 0, "example./NS" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct sigcount n;
		struct sigcount_sets s;
		size_t len;
		uint8_t *wire = build(&len, c->aa, false, c->rrs);

		print_message("%s\n", c->what);
		assert_int_equal(sigcount_count(&n, wire, len), 0);
		assert_int_equal(n.rrsig, c->count.rrsig);
		assert_int_equal(n.nsec, c->count.nsec);
		assert_int_equal(n.nsec3, c->count.nsec3);
		assert_int_equal(sigcount_unsigned(&s, wire, len), 0);
		assert_int_equal(s.rrsets, c->rrsets);
		assert_int_equal(s.unsigned_sets, c->unsigned_sets);
		assert_int_equal(s.exempt, c->exempt);
		assert_string_equal(s.missing, c->missing);
		free(wire);
	}
}

/* Many unsigned RRsets: the list ends with ", ..." and stays within its buffer. */
static void test_missing_cut(void **state)
{
	static char text[40][64];
	const char *rrs[41];
	struct sigcount_sets s;
	size_t len;

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(text[i], sizeof(text[i]), "A name-number-%02d.example. 300 IN A 192.0.2.1", i);
		rrs[i] = text[i];
	}
	rrs[40] = NULL;
	uint8_t *wire = build(&len, true, false, rrs);
	assert_int_equal(sigcount_unsigned(&s, wire, len), 0);
	assert_int_equal(s.unsigned_sets, 40);
	assert_true(s.cut);
	assert_true(strlen(s.missing) < sizeof(s.missing));
	assert_non_null(strstr(s.missing, "name-number-00.example./A, "));
	assert_string_equal(s.missing + strlen(s.missing) - 5, ", ...");
	free(wire);
}

/* The verdict in verdicts_check: only with DO, not on a truncated leg, a note when no
 * RRSIG at all, a failure naming the RRset otherwise. */
static int sig_verdict(bool dnssec, bool tc, const char *const *rrs, bool *note, char *check)
{
	struct exchange *ex = calloc(1, sizeof(*ex));
	struct verdicts *vd = calloc(1, sizeof(*vd));
	int r = -1;

	assert_non_null(ex);
	assert_non_null(vd);
	int n = exchange_name_from_str(ex->q.qname, sizeof(ex->q.qname), "www.example");
	assert_true(n > 0);
	ex->q.qname_len = (size_t)n;
	ex->q.qtype = 1;
	ex->q.qclass = 1;
	ex->q.edns = true;
	ex->q.bufsize = 1232;
	ex->q.dnssec = dnssec;
	ex->nlegs = 1;
	ex->legs[0].reply = build(&ex->legs[0].reply_len, true, tc, rrs);
	verdicts_check(vd, ex);
	for (size_t i = 0; i < vd->n; i++)
		if (strcmp(vd->v[i].rfc, "RFC 4035 section 3.1.1") == 0) {
			r = vd->v[i].ok;
			*note = vd->v[i].note;
			strcpy(check, vd->v[i].check);
		}
	exchange_free(ex);
	free(ex);
	free(vd);
	return r;
}

static void test_verdict(void **state)
{
	static const char *const signed_[] = { "A www.example. 300 IN A 192.0.2.1",
		"A " SIG("A", "www.example."), NULL };
	static const char *const partly[] = { "A www.example. 300 IN A 192.0.2.1",
		"A " SIG("A", "www.example."), "N example. 300 IN SOA ns.example. h.example. 1 2 3 4 5",
		NULL };
	static const char *const bare[] = { "A www.example. 300 IN A 192.0.2.1", NULL };
	char check[400];
	bool note;

	(void)state;
	assert_int_equal(sig_verdict(false, false, partly, &note, check), -1);
	assert_int_equal(sig_verdict(true, true, partly, &note, check), -1);
	assert_int_equal(sig_verdict(true, false, signed_, &note, check), 1);
	assert_false(note);
	assert_non_null(strstr(check, "every RRset in answer and authority carries its RRSIG (1 RRset)"));
	assert_int_equal(sig_verdict(true, false, partly, &note, check), 0);
	assert_non_null(strstr(check, "1 of 2 RRsets in answer and authority without their RRSIG: example./SOA"));
	assert_int_equal(sig_verdict(true, false, bare, &note, check), 1);
	assert_true(note);
	assert_non_null(strstr(check, "no RRSIG at all"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_missing_cut),
		cmocka_unit_test(test_verdict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
