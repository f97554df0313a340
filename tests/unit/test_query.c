/* SPDX-License-Identifier: BSD-3-Clause */
/* test_query.c: in-process query tests: wire queries through query_process() against the
 * zones in tests/data, one table row per answer kind, asserting flags, RCODE and sections. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#define Z ".example.test."
#define DN ".dn.test."

struct query_case {
	const char *why;
	const char *name;
	ldns_rr_type type;
	int edns;                 /* advertised UDP size, 0 for no OPT */
	enum query_transport transport;
	ldns_pkt_rcode rcode;
	bool aa, tc;
	int an, ns, ar;           /* section counts (ar without the OPT) */
	ldns_rr_type first_type;  /* type of the first answer record, 0 to skip */
};

static const struct query_case cases[] = {
	{ "positive answer, AA (RFC 1034 4.3.2)", "www" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_A },
	{ "positive AAAA", "www" Z, LDNS_RR_TYPE_AAAA, 1232, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_AAAA },
	{ "names match case-insensitively (RFC 4343)", "wWw.ExAmPlE.tEsT.", LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_A },
	{ "zone data in mixed case", "mixed" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_A },
	{ "NXDOMAIN with the SOA (RFC 2308 3)", "nothing" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NXDOMAIN, true, false, 0, 1, 0, 0 },
	{ "NODATA with the SOA (RFC 2308 2.2)", "www" Z, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "empty non-terminal is NODATA", "b.ent" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "empty non-terminal two up", "ent" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "below an empty non-terminal", "a.b.ent" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_A },
	{ "CNAME followed in the zone", "alias" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_CNAME },
	{ "CNAME chain", "chain1" Z, LDNS_RR_TYPE_AAAA, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 3, 0, 0, LDNS_RR_TYPE_CNAME },
	{ "CNAME to a missing name: NXDOMAIN (RFC 6604)", "dangling" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NXDOMAIN, true, false, 1, 1, 0, LDNS_RR_TYPE_CNAME },
	{ "CNAME to a name without the type: NODATA", "nodata-end" Z, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 1, 0, LDNS_RR_TYPE_CNAME },
	{ "CNAME leaving the zone ends there", "external" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_CNAME },
	{ "CNAME loop is bounded", "loop1" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_CNAME },
	{ "CNAME asked for itself", "alias" Z, LDNS_RR_TYPE_CNAME, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_CNAME },
	{ "wildcard synthesizes (RFC 4592)", "anything.wild" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_A },
	{ "wildcard covers several labels", "a.b.wild" Z, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_TXT },
	{ "an existing name blocks the wildcard", "host.wild" Z, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "below a blocking name: no wildcard", "x.host.wild" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NXDOMAIN, true, false, 0, 1, 0, 0 },
	{ "wildcard NODATA", "anything.wild" Z, LDNS_RR_TYPE_MX, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "wildcard CNAME is followed", "foo.wcname" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_CNAME },
	{ "referral at a cut, AA clear, glue (RFC 9471)", "sub" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 2, 1, 0 },
	{ "referral below a cut", "www.sub" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 2, 1, 0 },
	{ "glue is not an answer", "ns1.sub" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 2, 1, 0 },
	{ "NS at the cut is a referral", "sub" Z, LDNS_RR_TYPE_NS, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 2, 1, 0 },
	{ "DS at a cut: parent NODATA (RFC 4035 3.1.4.1)", "sub" Z, LDNS_RR_TYPE_DS, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "DS at a cut: parent answers", "deleg" Z, LDNS_RR_TYPE_DS, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_DS },
	{ "sibling glue is added when it fits", "deleg" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 1, 2, 0 },
	{ "ANY returns one RRset (RFC 8482)", "example.test.", LDNS_RR_TYPE_ANY, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, -1, 0 },
	{ "ANY over TCP is minimal too", "www" Z, LDNS_RR_TYPE_ANY, 0, QUERY_TCP, LDNS_RCODE_NOERROR, true, false, 1, 0, -1, 0 },
	{ "apex NS with addresses", "example.test.", LDNS_RR_TYPE_NS, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 3, LDNS_RR_TYPE_NS },
	{ "MX with the exchange's address", "example.test.", LDNS_RR_TYPE_MX, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 1, LDNS_RR_TYPE_MX },
	{ "apex SOA", "example.test.", LDNS_RR_TYPE_SOA, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_SOA },
	{ "outside every zone: REFUSED, no AA", "www.example.org.", LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_REFUSED, false, false, 0, 0, 0, 0 },
	{ "the root is not served", ".", LDNS_RR_TYPE_NS, 0, QUERY_UDP, LDNS_RCODE_REFUSED, false, false, 0, 0, 0, 0 },
	{ "unknown type in RFC 3597 form", "unknown" Z, (ldns_rr_type)65280, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, (ldns_rr_type)65280 },
	{ "unknown QTYPE: NODATA, not NOTIMP (RFC 8906 3.1.2)", "www" Z, (ldns_rr_type)1234, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "AXFR over UDP: an error", "example.test.", LDNS_RR_TYPE_AXFR, 0, QUERY_UDP, LDNS_RCODE_NOTIMPL, false, false, 0, 0, 0, 0 },
	{ "AXFR over TCP with no transfer ACL: refused", "example.test.", LDNS_RR_TYPE_AXFR, 0, QUERY_TCP, LDNS_RCODE_REFUSED, false, false, 0, 0, 0, 0 },
	{ "IXFR without the client's SOA: FORMERR (RFC 1995 3)", "example.test.", LDNS_RR_TYPE_IXFR, 0, QUERY_UDP, LDNS_RCODE_FORMERR, false, false, 0, 0, 0, 0 },
	{ "OPT as QTYPE: FORMERR", "www" Z, LDNS_RR_TYPE_OPT, 0, QUERY_UDP, LDNS_RCODE_FORMERR, false, false, 0, 0, 0, 0 },
	{ "big RRset over UDP: TC, empty (RFC 2181 9)", "big" Z, LDNS_RR_TYPE_TXT, 1232, QUERY_UDP, LDNS_RCODE_NOERROR, true, true, 0, 0, 0, 0 },
	{ "big RRset without EDNS: TC, empty", "big" Z, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, true, 0, 0, 0, 0 },
	{ "big RRset over TCP: whole (RFC 8906 3.2.7)", "big" Z, LDNS_RR_TYPE_TXT, 1232, QUERY_TCP, LDNS_RCODE_NOERROR, true, false, 40, 0, 0, LDNS_RR_TYPE_TXT },
	{ "medium fits 1232 with EDNS", "medium" Z, LDNS_RR_TYPE_TXT, 1232, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 8, 0, 0, LDNS_RR_TYPE_TXT },
	{ "medium does not fit 512", "medium" Z, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, true, 0, 0, 0, 0 },
	{ "EDNS size under 512 counts as 512 (RFC 6891 6.2.5)", "medium" Z, LDNS_RR_TYPE_TXT, 100, QUERY_UDP, LDNS_RCODE_NOERROR, true, true, 0, 0, 0, 0 },
	{ "in-domain glue that does not fit: TC (RFC 9471)", "manyglue" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, true, 0, 0, 0, 0 },
	{ "in-domain glue fits with EDNS", "manyglue" Z, LDNS_RR_TYPE_A, 1232, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 12, 12, 0 },
	{ "optional additional dropped without TC (RFC 2181 9)", "example.test.", LDNS_RR_TYPE_NS, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, -1, LDNS_RR_TYPE_NS },
	{ "below a DNAME: DNAME, synthesized CNAME, target (RFC 6672 3.1)", "www.old" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 3, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "below a DNAME over TCP", "www.old" DN, LDNS_RR_TYPE_AAAA, 1232, QUERY_TCP, LDNS_RCODE_NOERROR, true, false, 3, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "additional data for the target (RFC 1035 3.3.9)", "mail.old" DN, LDNS_RR_TYPE_MX, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 3, 0, 2, LDNS_RR_TYPE_DNAME },
	{ "the DNAME owner is not redirected (RFC 6672 2.3)", "old" DN, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_TXT },
	{ "the DNAME owner's DNAME", "old" DN, LDNS_RR_TYPE_DNAME, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "the DNAME owner, a type it lacks: NODATA", "old" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "synthesized name missing: NXDOMAIN (RFC 6604)", "nothing.old" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NXDOMAIN, true, false, 2, 1, 0, LDNS_RR_TYPE_DNAME },
	{ "synthesized name without the type: NODATA", "www.old" DN, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 1, 0, LDNS_RR_TYPE_DNAME },
	{ "synthesized name owns a CNAME: followed", "alias.old" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 4, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "a CNAME query gets the synthesized CNAME", "www.old" DN, LDNS_RR_TYPE_CNAME, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "ANY below a DNAME: the target's first RRset", "www.old" DN, LDNS_RR_TYPE_ANY, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 3, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "DNAME out of the zone: the resolver follows", "www.away" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "a CNAME at the target does not redirect below it", "www.tocname" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NXDOMAIN, true, false, 2, 1, 0, LDNS_RR_TYPE_DNAME },
	{ "a DNAME beside a wildcard redirects below its owner", "www.red.side" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 3, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "the wildcard beside a DNAME answers beside it", "www.side" DN, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_TXT },
	{ "DNAME owner beside a wildcard: NODATA", "red.side" DN, LDNS_RR_TYPE_TXT, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 0, 1, 0, 0 },
	{ "over 255 bytes: YXDOMAIN, the DNAME only (RFC 6672 2.2)", "0123456789abc.deep" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_YXDOMAIN, true, false, 1, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "over 255 bytes in the zone: YXDOMAIN", "0123456789abc.deepin" DN, LDNS_RR_TYPE_A, 0, QUERY_TCP, LDNS_RCODE_YXDOMAIN, true, false, 1, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "exactly 255 bytes: synthesized", "0123456789ab.deep" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "exactly 255 bytes in the zone: NXDOMAIN there", "0123456789ab.deepin" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NXDOMAIN, true, false, 2, 1, 0, LDNS_RR_TYPE_DNAME },
	{ "a DNAME below a cut: referral", "www.x.cut" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 1, 1, 0 },
	{ "a DNAME below a cut, asked for: referral", "x.cut" DN, LDNS_RR_TYPE_DNAME, 0, QUERY_UDP, LDNS_RCODE_NOERROR, false, false, 0, 1, 1, 0 },
	{ "a DNAME into its own subtree: met again, the answer ends", "a.loop" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "DNAMEs into each other: ends before a CNAME repeats", "x.ping" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 4, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "DNAME at the apex: the SOA (RFC 6672 2.3)", "dnapex.test.", LDNS_RR_TYPE_SOA, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_SOA },
	{ "DNAME at the apex: the NS", "dnapex.test.", LDNS_RR_TYPE_NS, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_NS },
	{ "DNAME at the apex: other data", "dnapex.test.", LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 1, 0, 0, LDNS_RR_TYPE_A },
	{ "DNAME at the apex redirects the names below", "www.new.dnapex.test.", LDNS_RR_TYPE_A, 0, QUERY_UDP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_DNAME },
	{ "DNAME at the apex, a name one below", "x.dnapex.test.", LDNS_RR_TYPE_TXT, 1232, QUERY_TCP, LDNS_RCODE_NOERROR, true, false, 2, 0, 0, LDNS_RR_TYPE_DNAME },
};

static struct db *db;

static int setup(void **state)
{
	(void)state;
	log_init("test_query", LOG_LEVEL_ERROR);
	db = test_load_db("example.test.zone", "own.example.test.zone", "broken.test.zone",
			  "dn.test.zone", "dnapex.test.zone", NULL);
	return db == NULL;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct query_case *c = &cases[i];
		ldns_pkt *p = test_ask(db, c->name, c->type, c->edns, c->transport);

		print_message("case %zu: %s\n", i, c->why);
		assert_non_null(p);
		assert_int_equal(ldns_pkt_get_rcode(p), c->rcode);
		assert_int_equal(ldns_pkt_aa(p), c->aa);
		assert_int_equal(ldns_pkt_tc(p), c->tc);
		assert_true(ldns_pkt_qr(p));
		/* Never RA, AD or CD from an authoritative server. */
		assert_false(ldns_pkt_ra(p));
		assert_false(ldns_pkt_ad(p));
		assert_false(ldns_pkt_cd(p));
		assert_true(ldns_pkt_rd(p)); /* copied from the query */
		assert_int_equal(ldns_pkt_id(p), 0x1234);
		assert_int_equal(ldns_pkt_ancount(p), c->an);
		if (c->ns >= 0)
			assert_int_equal(ldns_pkt_nscount(p), c->ns);
		if (c->ar >= 0)
			assert_int_equal(ldns_pkt_arcount(p), c->ar); /* ldns counts no OPT here */
		/* ldns takes the OPT out of the additional section into the EDNS fields. */
		assert_int_equal(ldns_pkt_edns(p), c->edns > 0);
		if (c->first_type != 0)
			assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_answer(p), 0)),
					 c->first_type);
		if (c->transport == QUERY_UDP)
			assert_true(test_resp_len <= (c->edns >= 512 ? (size_t)c->edns : 512));
		ldns_pkt_free(p);
	}
}

static void test_negative_ttl(void **state)
{
	ldns_pkt *p = test_ask(db, "nothing" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP);

	(void)state;
	/* RFC 2308 section 3: the SOA's TTL is min(SOA TTL 3600, MINIMUM 300). */
	assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_authority(p), 0)), 300);
	assert_int_equal(test_count(ldns_pkt_authority(p), LDNS_RR_TYPE_SOA, "example.test."), 1);
	ldns_pkt_free(p);
	p = test_ask(db, "ttl" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP);
	assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(p), 0)), 60);
	ldns_pkt_free(p);
}

static void test_wildcard_owner(void **state)
{
	ldns_pkt *p = test_ask(db, "Anything.wild" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP);

	(void)state;
	/* The synthesized owner is the query name, not *.wild (RFC 4592 section 3.3.1). */
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_A, "anything.wild" Z), 1);
	ldns_pkt_free(p);
}

static void test_referral_sections(void **state)
{
	ldns_pkt *p = test_ask(db, "www.sub" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP);

	(void)state;
	assert_int_equal(test_count(ldns_pkt_authority(p), LDNS_RR_TYPE_NS, "sub" Z), 2);
	assert_int_equal(test_count(ldns_pkt_additional(p), LDNS_RR_TYPE_A, "ns1.sub" Z), 1);
	ldns_pkt_free(p);
}

static void test_question_echo(void **state)
{
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "WwW.eXaMpLe.TeSt.", LDNS_RR_TYPE_A,
				     LDNS_RR_CLASS_IN, 0, false);
	ldns_pkt *p;

	(void)state;
	req[3] |= 0x10; /* CD set in the query */
	p = test_process(db, 1232, QUERY_UDP, req, len);
	/* The question comes back byte for byte, case included (0x20, RFC 5452 section 9.3). */
	assert_memory_equal(test_resp + 12, req + 12, len - 12);
	assert_false(ldns_pkt_cd(p)); /* CD is cleared by an authoritative server */
	ldns_pkt_free(p);
}

static void test_longest_match(void **state)
{
	ldns_pkt *p = test_ask(db, "own" Z, LDNS_RR_TYPE_SOA, 0, QUERY_UDP);

	(void)state;
	/* own.example.test is served as its own zone: its SOA, AA, not a referral. */
	assert_true(ldns_pkt_aa(p));
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_SOA, "own" Z), 1);
	ldns_pkt_free(p);
	p = test_ask(db, "www.own" Z, LDNS_RR_TYPE_A, 0, QUERY_UDP);
	assert_true(ldns_pkt_aa(p));
	assert_int_equal(ldns_pkt_ancount(p), 1);
	ldns_pkt_free(p);
}

static void test_failed_zone_servfail(void **state)
{
	ldns_pkt *p = test_ask(db, "ns1.broken.test.", LDNS_RR_TYPE_A, 0, QUERY_UDP);

	(void)state;
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	assert_false(ldns_pkt_aa(p));
	ldns_pkt_free(p);
}

/* The exact byte boundary: a response of exactly the limit has TC=0, one byte more TC=1. */
static void test_tc_boundary(void **state)
{
	/* An answer RRset and a referral with required glue, both larger than 512. */
	const char *names[] = { "medium" Z, "manyglue" Z };
	const ldns_rr_type types[] = { LDNS_RR_TYPE_TXT, LDNS_RR_TYPE_NS };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		uint8_t req[512];
		size_t len = test_make_query(req, sizeof(req), names[i], types[i], LDNS_RR_CLASS_IN, 4096, false);
		ldns_pkt *p = test_process(db, 65535, QUERY_TCP, req, len);
		size_t whole = test_resp_len;
		ldns_pkt *at, *under;

		assert_false(ldns_pkt_tc(p));
		ldns_pkt_free(p);
		assert_true(whole > 512); /* else no client size could sit at the boundary */
		len = test_make_query(req, sizeof(req), names[i], types[i], LDNS_RR_CLASS_IN, (int)whole, false);
		at = test_process(db, 65535, QUERY_UDP, req, len);
		assert_false(ldns_pkt_tc(at));
		assert_int_equal(test_resp_len, whole);
		ldns_pkt_free(at);
		len = test_make_query(req, sizeof(req), names[i], types[i], LDNS_RR_CLASS_IN, (int)whole - 1, false);
		under = test_process(db, 65535, QUERY_UDP, req, len);
		assert_true(test_resp_len <= whole - 1);
		assert_true(ldns_pkt_tc(under));
		ldns_pkt_free(under);
	}
}

/* The server's --udp-size caps what a client may ask for. */
static void test_server_udp_size(void **state)
{
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "medium" Z, LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_IN, 4096, false);
	ldns_pkt *p = test_process(db, 512, QUERY_UDP, req, len);

	(void)state;
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), 512);
	ldns_pkt_free(p);
	p = test_process(db, 4096, QUERY_UDP, req, len);
	assert_false(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), 4096);
	ldns_pkt_free(p);
}

static void test_do_copied(void **state)
{
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "www" Z, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 1232, true);
	ldns_pkt *p = test_process(db, 1232, QUERY_UDP, req, len);

	(void)state;
	/* RFC 3225 section 3: DO is copied into the answer's OPT. */
	assert_true(ldns_pkt_edns_do(p));
	assert_int_equal(ldns_pkt_edns_version(p), 0);
	ldns_pkt_free(p);
}

/* Runs a query with a full configuration: NSID and identity set. */
static ldns_pkt *ask_configured(struct query_config *cfg, const char *name, ldns_rr_type type,
			       ldns_rr_class cls, bool nsid)
{
	static struct query q;
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), name, type, cls, 1232, false);
	ldns_pkt *p = NULL;

	if (nsid) {
		/* Append an empty NSID option to the OPT (the last 11 bytes): RDLENGTH 4. */
		memcpy(req + len, "\0\3\0\0", 4);
		req[len - 1] = 4;
		len += 4;
	}
	query_init(&q, cfg);
	test_resp_len = test_query(&q, db, QUERY_UDP, req, len, test_resp, sizeof(test_resp));
	assert_int_equal(ldns_wire2pkt(&p, test_resp, test_resp_len), LDNS_STATUS_OK);
	return p;
}

static void test_chaos_identity(void **state)
{
	static struct query_config cfg = { .udp_size = 1232 };
	const char *names[] = { "id.server.", "hostname.bind.", "ID.Server.", "version.server.", "version.bind." };
	const char *want[] = { "\"ns-a.test\"", "\"ns-a.test\"", "\"ns-a.test\"", "\"dualns 9.9\"", "\"dualns 9.9\"" };
	ldns_pkt *p;
	char *text;
	size_t i;

	(void)state;
	chaos_config_init(&cfg.chaos, "ns-a.test", "dualns 9.9");
	for (i = 0; i < 5; i++) {
		p = ask_configured(&cfg, names[i], LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, false);
		assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
		assert_true(ldns_pkt_aa(p));
		assert_int_equal(ldns_pkt_ancount(p), 1);
		assert_int_equal(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_answer(p), 0)), LDNS_RR_CLASS_CH);
		text = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(ldns_pkt_answer(p), 0), 0));
		assert_string_equal(text, want[i]);
		free(text);
		ldns_pkt_free(p);
	}
	/* Another type of a known name: NODATA; an unknown CH name: REFUSED. */
	p = ask_configured(&cfg, "id.server.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_CH, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(p), 0);
	ldns_pkt_free(p);
	p = ask_configured(&cfg, "www.example.test.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
	ldns_pkt_free(p);
	/* --hide-identity and --hide-version: REFUSED. */
	cfg.chaos.hide_identity = true;
	cfg.chaos.hide_version = true;
	p = ask_configured(&cfg, "id.server.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
	ldns_pkt_free(p);
	p = ask_configured(&cfg, "version.bind.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
	ldns_pkt_free(p);
}

static int fake_stats(const void *ctx, char *buf, size_t len)
{
	(void)ctx;
	return snprintf(buf, len, "udp4=7 tcp4=2");
}

/* stats.dualns. CH TXT: the counters, one string each, to loopback clients only. */
static void test_chaos_stats(void **state)
{
	static struct query_config cfg = { .udp_size = 1232 };
	static struct query q;
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), "stats.dualns.", LDNS_RR_TYPE_TXT,
				     LDNS_RR_CLASS_CH, 0, false);
	ldns_pkt *p = NULL;
	char *text;
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000002) };
	struct sockaddr_in other = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0xc0000201) };
	struct sockaddr_in6 lo6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct query_request in = { .transport = QUERY_UDP, .wire = req, .len = len };

	(void)state;
	chaos_config_init(&cfg.chaos, "x", "y");
	cfg.chaos.stats_text = fake_stats;
	query_init(&q, &cfg);
	/* From 127.0.0.2 and from ::1: the loopback. */
	in.peer = (const struct sockaddr *)&lo6;
	test_resp_len = query_process(&q, db, &in, test_resp, sizeof(test_resp));
	assert_int_equal(test_resp[3] & 0xf, LDNS_RCODE_NOERROR);
	in.peer = (const struct sockaddr *)&lo;
	test_resp_len = query_process(&q, db, &in, test_resp, sizeof(test_resp));
	assert_int_equal(ldns_wire2pkt(&p, test_resp, test_resp_len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	text = ldns_rr2str(ldns_rr_list_rr(ldns_pkt_answer(p), 0));
	assert_non_null(strstr(text, "\"udp4=7\" \"tcp4=2\""));
	free(text);
	ldns_pkt_free(p);
	/* From anywhere else: REFUSED, the counters are the operator's. */
	in.peer = (const struct sockaddr *)&other;
	test_resp_len = query_process(&q, db, &in, test_resp, sizeof(test_resp));
	assert_int_equal(test_resp[3] & 0xf, LDNS_RCODE_REFUSED);
	/* And from no known client at all. */
	in.peer = NULL;
	test_resp_len = query_process(&q, db, &in, test_resp, sizeof(test_resp));
	assert_int_equal(test_resp[3] & 0xf, LDNS_RCODE_REFUSED);
	assert_int_equal(dns_read16(test_resp + 6), 0);
}

/* NSID (RFC 5001 section 2.3): in the answer's OPT when the query asked and one is set. */
static void test_nsid(void **state)
{
	static struct query_config cfg = { .udp_size = 1232, .nsid = (const uint8_t *)"worker-7",
					   .nsid_len = 8 };
	ldns_pkt *p;

	(void)state;
	p = ask_configured(&cfg, "www.example.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, true);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_memory_equal(test_resp + test_resp_len - 14, "\0\14\0\3\0\10worker-7", 14);
	ldns_pkt_free(p);
	p = ask_configured(&cfg, "www.example.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, false);
	assert_memory_equal(test_resp + test_resp_len - 2, "\0\0", 2); /* not asked: no option */
	ldns_pkt_free(p);
	cfg.nsid = NULL;
	cfg.nsid_len = 0;
	p = ask_configured(&cfg, "www.example.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, true);
	assert_memory_equal(test_resp + test_resp_len - 2, "\0\0", 2); /* none set: none sent */
	ldns_pkt_free(p);
}

/* A long NSID beside a long question must not push a UDP answer past 512 bytes (RFC 1035
 * section 4.2.1): the optional NSID is left out instead (RFC 5001 section 2.3). */
static void test_nsid_never_over_limit(void **state)
{
	static uint8_t nsid[300];
	static struct query_config cfg = { .udp_size = 512, .nsid = nsid, .nsid_len = sizeof(nsid) };
	/* 253 bytes: three 63-byte labels, one of 46, then example.test. */
	char name[256] = "";
	const char *qnames[] = { name, "ns1.broken.test.", "www.example.test." };
	size_t i;

	(void)state;
	memset(nsid, 'n', sizeof(nsid));
	for (i = 0; i < 3; i++)
		strcat(name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
	strcat(name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.test.");
	for (i = 0; i < 3; i++) {
		ldns_pkt *p = ask_configured(&cfg, qnames[i], LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, true);

		print_message("%s: %zu bytes\n", qnames[i], test_resp_len);
		assert_true(test_resp_len <= 512);
		assert_true(ldns_pkt_edns(p));
		ldns_pkt_free(p);
	}
	/* With room to spare the NSID is still sent (the last option of the OPT). */
	assert_memory_equal(test_resp + test_resp_len - 300, nsid, 300);
}

/* A zone that failed to load: SERVFAIL with EDE 14, Not Ready (RFC 8914 section 4.15). */
static void test_servfail_ede(void **state)
{
	static struct query_config cfg = { .udp_size = 1232 };
	ldns_pkt *p;

	(void)state;
	p = ask_configured(&cfg, "ns1.broken.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	assert_memory_equal(test_resp + test_resp_len - 8, "\0\6\0\17\0\2\0\16", 8);
	ldns_pkt_free(p);
}

/* --force-tc=N: every Nth UDP answer is empty with TC=1; TCP is never forced. */
static void test_force_tc(void **state)
{
	static struct query_config cfg = { .udp_size = 1232, .force_tc = 3 };
	static struct query q;
	uint8_t req[512], resp[65536];
	size_t len = test_make_query(req, sizeof(req), "www.example.test.", LDNS_RR_TYPE_A,
				     LDNS_RR_CLASS_IN, 0, false);
	int i, truncated = 0;

	(void)state;
	query_init(&q, &cfg);
	for (i = 0; i < 9; i++) {
		size_t n = test_query(&q, db, QUERY_UDP, req, len, resp, sizeof(resp));

		if (resp[2] & 0x02) {
			truncated++;
			assert_int_equal(dns_read16(resp + 6), 0);  /* no answer records */
			assert_int_equal(n, len);                     /* header + question */
		} else {
			assert_int_equal(dns_read16(resp + 6), 1);
		}
	}
	assert_int_equal(truncated, 3);
	for (i = 0; i < 6; i++) {
		test_query(&q, db, QUERY_TCP, req, len, resp, sizeof(resp));
		assert_false(resp[2] & 0x02);
	}
}

/* The answer below a DNAME, byte for byte (RFC 6672 section 3.1): the DNAME with its owner
 * pointing into the question and its target whole (section 2.5), the CNAME synthesized
 * with the DNAME's TTL, its RDATA the query name's first label and a pointer to the
 * DNAME's target, then the target's data, its owner a pointer to that RDATA. */
static void test_dname_sections(void **state)
{
	static const uint8_t want[] = {
		/* old.dn.test. DNAME 600 new.dn.test. */
		0xc0, 16, 0, 39, 0, 1, 0, 0, 0x02, 0x58, 0, 13,
		3, 'n', 'e', 'w', 2, 'd', 'n', 4, 't', 'e', 's', 't', 0,
		/* www.old.dn.test. CNAME 600 www. + pointer to the DNAME's target (offset 45) */
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0x02, 0x58, 0, 6, 3, 'w', 'w', 'w', 0xc0, 45,
		/* www.new.dn.test. A 3600 192.0.2.6, the owner the CNAME's RDATA (offset 70) */
		0xc0, 70, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 6,
	};
	ldns_pkt *p = test_ask(db, "www.old" DN, LDNS_RR_TYPE_A, 0, QUERY_UDP);
	const size_t qend = DNS_HEADER_SIZE + sizeof("\3www\3old\2dn\4test") + 4;

	(void)state;
	assert_int_equal(ldns_pkt_ancount(p), 3);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_DNAME, "old" DN), 1);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_CNAME, "www.old" DN), 1);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_A, "www.new" DN), 1);
	assert_int_equal(test_resp_len, qend + sizeof(want));
	assert_memory_equal(test_resp + qend, want, sizeof(want));
	ldns_pkt_free(p);
}

/* The owners of the DNAME and of the synthesized CNAME are the query name as asked, case
 * included; the CNAME's RDATA is the query name's first labels in lower case, then the
 * target as the zone has it (tests/conformance.md, "Answers"). */
static void test_dname_case(void **state)
{
	ldns_pkt *p = test_ask(db, "WwW.OLD.dn.test.", LDNS_RR_TYPE_A, 0, QUERY_UDP);
	char *text;

	(void)state;
	text = ldns_rr2str(ldns_rr_list_rr(ldns_pkt_answer(p), 0));
	assert_string_equal(text, "OLD.dn.test.\t600\tIN\tDNAME\tnew.dn.test.\n");
	free(text);
	text = ldns_rr2str(ldns_rr_list_rr(ldns_pkt_answer(p), 1));
	assert_string_equal(text, "WwW.OLD.dn.test.\t600\tIN\tCNAME\twww.new.dn.test.\n");
	free(text);
	ldns_pkt_free(p);
}

/* YXDOMAIN (RFC 6672 section 2.2): the DNAME and nothing else, no SOA, AA set. */
static void test_dname_yxdomain(void **state)
{
	ldns_pkt *p = test_ask(db, "0123456789abc.deep" DN, LDNS_RR_TYPE_A, 1232, QUERY_UDP);
	ldns_pkt *fits = test_ask(db, "0123456789ab.deep" DN, LDNS_RR_TYPE_A, 1232, QUERY_UDP);
	const ldns_rr *cname = ldns_rr_list_rr(ldns_pkt_answer(fits), 1);

	(void)state;
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_YXDOMAIN);
	assert_true(ldns_pkt_aa(p));
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_DNAME, "deep" DN), 1);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	/* One byte shorter: a synthesized name of exactly 255 bytes. */
	assert_int_equal(ldns_rr_get_type(cname), LDNS_RR_TYPE_CNAME);
	assert_int_equal(ldns_rdf_size(ldns_rr_rdf(cname, 0)), DNS_MAX_NAME);
	ldns_pkt_free(p);
	ldns_pkt_free(fits);
}

/* The DNAME and the synthesized CNAME are required like a CNAME chain (RFC 2181 section
 * 9): a name of 242 bytes above old.dn.test. makes a CNAME of 256 bytes that cannot fit
 * 512 beside the question: TC and nothing; with EDNS the whole answer; and at the exact
 * size of the whole answer, no TC, one byte less, TC. */
static void test_dname_truncation(void **state)
{
	char name[DNS_MAX_NAME * 2] = "";
	uint8_t req[512];
	size_t len, whole, i;
	ldns_pkt *p;

	(void)state;
	for (i = 0; i < 3; i++)
		strcat(name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
	strcat(name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.old" DN);
	p = test_ask(db, name, LDNS_RR_TYPE_A, 0, QUERY_UDP);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	ldns_pkt_free(p);
	p = test_ask(db, name, LDNS_RR_TYPE_A, 1232, QUERY_UDP);
	assert_false(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_DNAME, "old" DN), 1);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_CNAME, name), 1);
	assert_true(test_resp_len > DNS_UDP_MIN);
	whole = test_resp_len;
	ldns_pkt_free(p);
	len = test_make_query(req, sizeof(req), name, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, (int)whole, false);
	p = test_process(db, 65535, QUERY_UDP, req, len);
	assert_false(ldns_pkt_tc(p));
	assert_int_equal(test_resp_len, whole);
	ldns_pkt_free(p);
	len = test_make_query(req, sizeof(req), name, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN,
			      (int)whole - 1, false);
	p = test_process(db, 65535, QUERY_UDP, req, len);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	ldns_pkt_free(p);
}

/* udp.c hands query_process() what the batch's prefetch learned (zone, hash of the
 * qname, the qname parsed). Every answer kind of the table, and a few more names, must come out byte for
 * byte the same with the hint as without it; a hint used for the wrong name (a CNAME
 * target, a suffix) would change the CNAME, wildcard and referral rows. */
static void test_hint_same_answer(void **state)
{
	static struct query q;
	static uint8_t plain[65536];
	struct query_config cfg = { .udp_size = DNS_UDP_DEFAULT };
	static const char *extra[] = { "b.ent" Z, "x.y.z.nothing" Z, "a.b.c.wild" Z,
				       "deep.www.sub" Z, "EXAMPLE.TEST.", "own.example.test.",
				       "www.own.example.test.", "broken.test.",
				       /* deeper than the hint keeps hashes for (DB_HINT_LABELS) */
				       "a.b.c.d.e.f.g.h.i.sub" Z, "a.b.c.d.e.f.g.h.i.wild" Z,
				       "a.b.c.d.e.f.g.h.www" Z };
	size_t i, n = sizeof(cases) / sizeof(cases[0]);
	unsigned hinted = 0;

	(void)state;
	query_init(&q, &cfg);
	for (i = 0; i < n + sizeof(extra) / sizeof(extra[0]); i++) {
		const char *name = i < n ? cases[i].name : extra[i - n];
		ldns_rr_type type = i < n ? cases[i].type : LDNS_RR_TYPE_A;
		uint8_t req[512];
		size_t len = test_make_query(req, sizeof(req), name, type, LDNS_RR_CLASS_IN,
					     i < n ? cases[i].edns : 1232, false);
		struct db_hint hint;
		struct wire_qname peek;
		size_t plain_len, hinted_len;

		struct query_request in = { .transport = QUERY_UDP, .wire = req, .len = len };

		plain_len = query_process(&q, db, &in, plain, sizeof(plain));
		in.peek = query_prefetch(db, req, len, &peek, &hint) ? &peek : NULL;
		db_prefetch_node(&hint);
		hinted += hint.zone != NULL;
		in.hint = &hint;
		hinted_len = query_process(&q, db, &in, test_resp, sizeof(test_resp));
		print_message("%s %d\n", name, (int)type);
		assert_int_equal(hinted_len, plain_len);
		assert_memory_equal(test_resp, plain, plain_len);
	}
	/* Most names are in a zone: the hint was really there to use. */
	assert_true(hinted > n / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_negative_ttl),
		cmocka_unit_test(test_wildcard_owner),
		cmocka_unit_test(test_referral_sections),
		cmocka_unit_test(test_question_echo),
		cmocka_unit_test(test_longest_match),
		cmocka_unit_test(test_failed_zone_servfail),
		cmocka_unit_test(test_tc_boundary),
		cmocka_unit_test(test_server_udp_size),
		cmocka_unit_test(test_do_copied),
		cmocka_unit_test(test_chaos_identity),
		cmocka_unit_test(test_nsid_never_over_limit),
		cmocka_unit_test(test_nsid),
		cmocka_unit_test(test_chaos_stats),
		cmocka_unit_test(test_servfail_ede),
		cmocka_unit_test(test_force_tc),
		cmocka_unit_test(test_hint_same_answer),
		cmocka_unit_test(test_dname_sections),
		cmocka_unit_test(test_dname_case),
		cmocka_unit_test(test_dname_yxdomain),
		cmocka_unit_test(test_dname_truncation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
