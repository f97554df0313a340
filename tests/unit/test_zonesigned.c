/* SPDX-License-Identifier: BSD-3-Clause */
/* test_zonesigned.c: a zone's DNSSEC state as --check and the load log say it
 * (zonesigned.c): denial kind and NSEC3 parameters, RRsets without signatures (not the
 * delegation's NS nor glue, but the DS at a cut), expired and expiring signatures in
 * serial number arithmetic (RFC 4034 section 3.1.5). Zones are built in memory. */
#include "testutil.h"
#include "zonefile.h"
#include "zonesigned.h"

#define ORIGIN "t.test."
static const uint8_t origin_wire[] = "\001t\004test";
#define ORIGIN_LEN sizeof(origin_wire)

/* A far-off time, a present, and the RRSIG lines signed from long before now to far
 * after it. */
#define NOW 1800000000u
#define FAR "3000000000 1700000000"

#define BASE                                                                              \
	"t.test. 3600 IN SOA ns.t.test. host.t.test. 1 3600 900 604800 300",              \
	"t.test. 3600 IN NS ns.t.test.",                                                  \
	"ns.t.test. 3600 IN A 192.0.2.1"

#define SIG(owner, type, labels, times) \
	owner " 3600 IN RRSIG " type " 8 " labels " 3600 " times " 4711 t.test. AAAA"

#define BASE_SIGS                                  \
	SIG("t.test.", "SOA", "2", FAR),             \
	SIG("t.test.", "NS", "2", FAR),              \
	SIG("ns.t.test.", "A", "3", FAR),            \
	"t.test. 3600 IN DNSKEY 257 3 8 AwEAAQ=="

static struct zone *build(const char *const *lines)
{
	ldns_rr_list *l = ldns_rr_list_new();
	struct zone *z = NULL;

	for (; *lines != NULL; lines++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, *lines, 3600, NULL, NULL) != LDNS_STATUS_OK)
			fail_msg("cannot parse %s", *lines);
		ldns_rr_list_push_rr(l, rr);
	}
	assert_int_equal(zonefile_build_rrs(l, origin_wire, ORIGIN_LEN, ORIGIN, "test", &z, NULL,
					    0), 0);
	ldns_rr_list_deep_free(l);
	assert_true(z->ok);
	return z;
}

/* What zonesigned_print() writes for z at NOW, in a static buffer. */
static const char *printed(const struct zone *z)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	zonesigned_print(z, NOW, f);
	fclose(f);
	return buf;
}

/* What zonesigned_log() logs for z at NOW, in a static buffer; *count its count. */
static const char *logged(const struct zone *z, unsigned *count)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	log_set_stream(f);
	*count = zonesigned_log(z, NOW);
	fclose(f);
	log_set_stream(stderr);
	return buf;
}

static void test_unsigned(void **state)
{
	static const char *const lines[] = { BASE, "www.t.test. 3600 IN A 192.0.2.2", NULL };
	struct zone *z = build(lines);
	struct zonesigned s;

	(void)state;
	zonesigned_inspect(&s, z, NOW);
	assert_int_equal(s.denial, ZONESIGNED_UNSIGNED);
	/* Nothing is signed: the RRsets without signatures are not news. */
	assert_int_equal(s.unsigned_count, 0);
	assert_int_equal(s.signatures, 0);
	assert_string_equal(printed(z), "t.test.: unsigned\n");
	assert_int_equal(zonesigned_log(z, NOW), 0);
	zone_free(z);
}

/* A delegation: its NS and the glue below it are not signed (RFC 4035 section 2.2), its DS
 * and NSEC are. */
#define DELEGATION                                                   \
	"sub.t.test. 3600 IN NS ns.sub.t.test.",                     \
	"ns.sub.t.test. 3600 IN A 192.0.2.3",                         \
	"sub.t.test. 3600 IN DS 1 8 2 0000000000000000000000000000000000000000000000000000000000000000", \
	"t.test. 3600 IN NSEC ns.t.test. SOA NS RRSIG NSEC DNSKEY",   \
	"ns.t.test. 3600 IN NSEC sub.t.test. A RRSIG NSEC",           \
	"sub.t.test. 3600 IN NSEC t.test. NS DS RRSIG NSEC",          \
	SIG("t.test.", "NSEC", "2", FAR),                             \
	SIG("t.test.", "DNSKEY", "2", FAR),                           \
	SIG("ns.t.test.", "NSEC", "3", FAR),                          \
	SIG("sub.t.test.", "NSEC", "3", FAR)

static void test_nsec_all_signed(void **state)
{
	static const char *const lines[] = { BASE, BASE_SIGS, DELEGATION,
					     SIG("sub.t.test.", "DS", "3", FAR), NULL };
	struct zone *z = build(lines);
	struct zonesigned s;

	(void)state;
	zonesigned_inspect(&s, z, NOW);
	assert_int_equal(s.denial, ZONESIGNED_NSEC);
	assert_int_equal(s.unsigned_count, 0);
	assert_int_equal(s.signatures, 8);
	assert_int_equal(s.expired, 0);
	assert_int_equal(s.expiring, 0);
	assert_true(s.have_earliest);
	assert_int_equal(s.earliest, 3000000000u);
	assert_non_null(strstr(printed(z), "t.test.: signed with NSEC, 8 signatures\n"));
	assert_null(strstr(printed(z), "warning"));
	assert_int_equal(zonesigned_log(z, NOW), 0);
	zone_free(z);
}

static void test_unsigned_ds_and_data(void **state)
{
	/* The DS at the cut lacks its RRSIG, and so does one TXT; the NS of the delegation
	 * and its glue are not counted. */
	static const char *const lines[] = { BASE, BASE_SIGS, DELEGATION,
					     "www.t.test. 3600 IN TXT late", NULL };
	struct zone *z = build(lines);
	struct zonesigned s;
	const char *out;
	unsigned n;

	(void)state;
	zonesigned_inspect(&s, z, NOW);
	assert_int_equal(s.unsigned_count, 2);
	assert_int_equal(s.unsigned_first[0].type, DNS_TYPE_DS);
	assert_int_equal(s.unsigned_first[0].owner_len, sizeof("\003sub\001t\004test"));
	assert_memory_equal(s.unsigned_first[0].owner, "\003sub\001t\004test",
			    sizeof("\003sub\001t\004test"));
	assert_int_equal(s.unsigned_first[1].type, DNS_TYPE_TXT);
	out = printed(z);
	assert_non_null(strstr(out, "t.test.: warning: 2 RRsets without signatures (RFC 4035 "
				    "section 2.2): sub.t.test. DS, www.t.test. TXT\n"));
	out = logged(z, &n);
	assert_int_equal(n, 1);
	/* The log says the warning, and nothing about a sound state. */
	assert_non_null(strstr(out, "zone t.test.: 2 RRsets without signatures"));
	assert_null(strstr(out, "signed with"));
	zone_free(z);
}

static void test_unsigned_list_cut(void **state)
{
	static const char *const lines[] = { BASE, BASE_SIGS, SIG("t.test.", "DNSKEY", "2", FAR),
		"a.t.test. 3600 IN TXT a", "b.t.test. 3600 IN TXT b", "c.t.test. 3600 IN TXT c",
		"d.t.test. 3600 IN TXT d", "e.t.test. 3600 IN TXT e", NULL };
	struct zone *z = build(lines);

	(void)state;
	assert_non_null(strstr(printed(z), "5 RRsets without signatures (RFC 4035 section "
				 "2.2): a.t.test. TXT, b.t.test. TXT, c.t.test. TXT and 2 more\n"));
	zone_free(z);
}

/* NSEC3 zones: the parameters from the NSEC3PARAM, opt-out from the NSEC3 flags; RFC
 * 9276 section 3.1's 0 iterations and empty salt get no warning, others do. */
static const struct nsec3_case {
	const char *params;     /* NSEC3PARAM and NSEC3 iterations and salt */
	unsigned flags;         /* the NSEC3's flags */
	uint16_t iterations;
	uint8_t salt_len;
	const char *salt;
	const char *line;       /* what --check says */
	unsigned warnings;
} nsec3_cases[] = {
	{ "5 ABCD", 1, 5, 2, "\xab\xcd",
	  "t.test.: signed with NSEC3: hash algorithm 1, 5 iterations, salt abcd, opt-out; "
	  "6 signatures\nt.test.: warning: NSEC3 with 5 iterations and salt abcd: RFC 9276 "
	  "section 3.1 says 0 iterations and an empty salt\n", 1 },
	{ "0 ABCD", 0, 0, 2, "\xab\xcd", "salt abcd, no opt-out; 6 signatures\nt.test.: "
	  "warning: NSEC3 with 0 iterations and salt abcd: RFC 9276", 1 },
	{ "1 -", 0, 1, 0, "", "1 iterations, salt -, no opt-out; 6 signatures\nt.test.: warning:"
	  " NSEC3 with 1 iterations and salt -: RFC 9276", 1 },
	{ "0 -", 0, 0, 0, "", "0 iterations, salt -, no opt-out; 6 signatures\n", 0 },
};

static void test_nsec3(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(nsec3_cases) / sizeof(nsec3_cases[0]); i++) {
		const struct nsec3_case *c = &nsec3_cases[i];
		char param[80], nsec3[200];
		const char *const lines[] = { BASE, BASE_SIGS, param, nsec3,
			SIG("t.test.", "NSEC3PARAM", "2", FAR),
			SIG("t.test.", "DNSKEY", "2", FAR),
			SIG("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.t.test.", "NSEC3", "3", FAR), NULL };
		struct zonesigned s;
		struct zone *z;

		snprintf(param, sizeof(param), "t.test. 0 IN NSEC3PARAM 1 0 %s", c->params);
		snprintf(nsec3, sizeof(nsec3), "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.t.test. 300 IN "
			 "NSEC3 1 %u %s 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG", c->flags,
			 c->params);
		z = build(lines);
		zonesigned_inspect(&s, z, NOW);
		assert_int_equal(s.denial, ZONESIGNED_NSEC3);
		assert_int_equal(s.nsec3_alg, 1);
		assert_int_equal(s.nsec3_iterations, c->iterations);
		assert_int_equal(s.salt_len, c->salt_len);
		assert_memory_equal(s.salt, c->salt, c->salt_len);
		assert_int_equal(s.optout, c->flags == 1);
		assert_int_equal(s.unsigned_count, 0);
		if (strstr(printed(z), c->line) == NULL)
			fail_msg("case %zu: %s", i, printed(z));
		assert_int_equal(zonesigned_log(z, NOW), c->warnings);
		zone_free(z);
	}
}

/* Signatures but no denial records at the apex. */
static void test_signed_without_denial(void **state)
{
	static const char *const lines[] = { BASE, BASE_SIGS,
					     SIG("t.test.", "DNSKEY", "2", FAR), NULL };
	struct zone *z = build(lines);
	struct zonesigned s;

	(void)state;
	zonesigned_inspect(&s, z, NOW);
	assert_int_equal(s.denial, ZONESIGNED_NONE);
	assert_non_null(strstr(printed(z), "warning: signed (4 signatures) but with neither "
				 "NSEC nor NSEC3PARAM"));
	zone_free(z);
}

/* An NSEC zone with every RRset signed, the signatures valid during these times
 * ("EXPIRATION INCEPTION") */
#define TIMED(soa, ns, a, nsec)                                         \
	BASE, SIG("t.test.", "SOA", "2", soa), SIG("t.test.", "NS", "2", ns), \
	SIG("ns.t.test.", "A", "3", a),                                 \
	"t.test. 3600 IN NSEC ns.t.test. SOA NS RRSIG NSEC",            \
	"ns.t.test. 3600 IN NSEC t.test. A RRSIG NSEC",                 \
	SIG("t.test.", "NSEC", "2", nsec), SIG("ns.t.test.", "NSEC", "3", nsec), NULL

/* Expired (one second before NOW), expiring within 7 days (NOW itself and 7 days less a
 * second), and fine (exactly 7 days). */
static void test_expiry(void **state)
{
	static const char *const lines[] = {
		TIMED("1799999999 1700000000", "1800000000 1700000000", "1800604799 1700000000",
		      "1800604800 1700000000") };
	struct zone *z = build(lines);
	struct zonesigned s;
	const char *out;

	(void)state;
	zonesigned_inspect(&s, z, NOW);
	assert_int_equal(s.expired, 1);
	assert_int_equal(s.expired_first[0].type, DNS_TYPE_SOA);
	assert_int_equal(s.expired_first[0].expiration, 1799999999u);
	assert_int_equal(s.expiring, 2);
	assert_int_equal(s.earliest, 1799999999u);
	out = printed(z);
	/* 1799999999 is 2027-01-15 07:59:59 UTC. */
	assert_non_null(strstr(out, "t.test.: warning: 1 signature expired (RFC 4034 section "
				    "3.1.5): t.test. SOA (2027-01-15 07:59:59)\n"));
	assert_non_null(strstr(out, "t.test.: warning: 2 signatures expire within 7 days: "));
	assert_null(strstr(out, "not valid yet"));
	assert_int_equal(zonesigned_log(z, NOW), 2);
	zone_free(z);
}

/* A signature made with a clock ahead: its inception one second after NOW. */
static void test_inception_to_come(void **state)
{
	static const char *const lines[] = {
		TIMED("1900000000 1800000001", "1900000000 1800000000", "1900000000 1700000000",
		      "1900000000 1799999999") };
	struct zone *z = build(lines);
	struct zonesigned s;

	(void)state;
	zonesigned_inspect(&s, z, NOW);
	assert_int_equal(s.future, 1);
	assert_int_equal(s.future_first[0].type, DNS_TYPE_SOA);
	assert_int_equal(s.future_first[0].expiration, 1800000001u);
	assert_int_equal(s.expired + s.expiring, 0);
	assert_non_null(strstr(printed(z), "t.test.: warning: 1 signature not valid yet, the "
				 "inception to come (RFC 4034 section 3.1.5): t.test. SOA"));
	zone_free(z);
}

/* RFC 4034 section 3.1.5: times compare in serial number arithmetic, so an expiration
 * past 2106 (a small 32-bit number) is later than a present just before the wrap, and
 * one just before the wrap is earlier than a present just after it. */
static void test_expiry_wraps(void **state)
{
	static const char *const lines[] = {
		TIMED("100000000 4000000000", "4294000000 4000000000", "100000000 4000000000",
		      "100000000 4000000000") };
	struct zone *z = build(lines);
	struct zonesigned s;

	(void)state;
	zonesigned_inspect(&s, z, 4200000000u);
	assert_int_equal(s.expired, 0);
	assert_int_equal(s.expiring, 0);
	assert_int_equal(s.earliest, 4294000000u);
	zonesigned_inspect(&s, z, 1000);
	assert_int_equal(s.expired, 1);
	assert_int_equal(s.expired_first[0].expiration, 4294000000u);
	assert_int_equal(s.earliest, 4294000000u);
	zone_free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_nsec_all_signed),
		cmocka_unit_test(test_unsigned_ds_and_data),
		cmocka_unit_test(test_unsigned_list_cut),
		cmocka_unit_test(test_nsec3),
		cmocka_unit_test(test_signed_without_denial),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_expiry_wraps),
		cmocka_unit_test(test_inception_to_come),
	};

	log_init("test_zonesigned", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
