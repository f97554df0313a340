/* SPDX-License-Identifier: BSD-3-Clause */
/* test_dnssec.c: serving signed zones in-process: RRSIGs beside each RRset with DO and
 * none without (RFC 3225, RFC 4035 section 3.1), NSEC proofs (section 3.1.3) and NSEC3
 * proofs with opt-out (RFC 5155 section 7.2) checked with ldns's own coverage and hash
 * functions, truncation that keeps signatures whole (section 3.1.1), the NSEC3 hash and
 * canonical order the lookups rest on, and no allocation per query. */
#include "testutil.h"

#include "dnssec.h"
#include "failalloc.h"
#include "nsec3hash.h"

#define Z ".signed.test."
#define ORIGIN "signed.test."

/* The NSEC-signed and the NSEC3 opt-out fixture: the same names. */
static struct db *db_nsec, *db_nsec3;

static int setup(void **state)
{
	(void)state;
	db_nsec = test_load_db("dnssec/nsec.zone", NULL);
	db_nsec3 = test_load_db("dnssec/nsec3-optout.zone", NULL);
	return db_nsec == NULL || db_nsec3 == NULL;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db_nsec);
	db_free(db_nsec3);
	return 0;
}

/* A query with EDNS of this size (0: none), DO as given and CD when cd, answered as by
 * a server whose --udp-size is 4096 over UDP. */
static ldns_pkt *ask(const struct db *db, const char *name, ldns_rr_type type, int size,
		     bool do_bit, bool cd)
{
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), name, type, LDNS_RR_CLASS_IN, size, do_bit);

	if (cd)
		req[3] |= 0x10;
	return test_process(db, 4096, QUERY_UDP, req, len);
}

static ldns_rdf *dname(const char *s)
{
	ldns_rdf *r = NULL;

	assert_int_equal(ldns_str2rdf_dname(&r, s), LDNS_STATUS_OK);
	ldns_dname2canonical(r);
	return r;
}

/* For an NSEC: name itself; for an NSEC3: the owner name its hash would have (hashed by
 * ldns with the record's own parameters), canonical. */
static ldns_rdf *proof_name(const ldns_rr *rr, const char *name)
{
	ldns_rdf *n = dname(name), *zone, *h;

	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC)
		return n;
	zone = dname(ORIGIN);
	h = ldns_nsec3_hash_name_frm_nsec3(rr, n);
	assert_int_equal(ldns_dname_cat(h, zone), LDNS_STATUS_OK);
	ldns_dname2canonical(h);
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(n);
	return h;
}

/* The NSEC or NSEC3 rr matches name: its owner is the name, or the name's hash. */
static bool proof_matches(ldns_rr *rr, const char *name)
{
	ldns_rdf *n = proof_name(rr, name);
	bool eq;

	ldns_rr2canonical(rr);
	eq = ldns_dname_compare(ldns_rr_owner(rr), n) == 0;
	ldns_rdf_deep_free(n);
	return eq;
}

/* The rr's span covers name: it lies strictly between owner and next (ldns compares the
 * hashed name for an NSEC3). */
static bool proof_covers(ldns_rr *rr, const char *name)
{
	ldns_rdf *n = proof_name(rr, name);
	bool c;

	ldns_rr2canonical(rr);
	c = ldns_nsec_covers_name(rr, n) && ldns_dname_compare(ldns_rr_owner(rr), n) != 0;
	ldns_rdf_deep_free(n);
	return c;
}

/* Every RRset of the section has an RRSIG of the same owner covering its type, but
 * those exempt: the NS of a referral (unsigned at a cut, RFC 4035 section 2.2) and a
 * CNAME synthesized from a DNAME (RFC 6672 section 5.3.1). */
static void assert_signed(const ldns_rr_list *l, bool referral)
{
	size_t i, j;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool found = false;

		if (t == LDNS_RR_TYPE_RRSIG || (referral && t == LDNS_RR_TYPE_NS) ||
		    (t == LDNS_RR_TYPE_CNAME && test_count(l, LDNS_RR_TYPE_DNAME, NULL) > 0))
			continue;
		for (j = 0; j < ldns_rr_list_rr_count(l) && !found; j++) {
			const ldns_rr *s = ldns_rr_list_rr(l, j);

			found = ldns_rr_get_type(s) == LDNS_RR_TYPE_RRSIG &&
				ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(s)) == t &&
				ldns_dname_compare(ldns_rr_owner(s), ldns_rr_owner(rr)) == 0;
		}
		if (!found) {
			char *text = ldns_rr2str(rr);

			fail_msg("no RRSIG for %s", text);
		}
	}
}

/* What one proof must contain: a record that matches or covers name. */
struct proof_need {
	char role;          /* 'm': matches, 'c': covers, 0: unused */
	const char *name;
};

struct proof_case {
	const char *why;
	bool nsec3;
	const char *qname;
	ldns_rr_type qtype;
	ldns_pkt_rcode rcode;
	bool aa;
	int an;                      /* answer records, RRSIGs included */
	int proofs;                  /* NSEC or NSEC3 records in authority */
	struct proof_need need[3];
};

static const struct proof_case cases[] = {
	/* NSEC, RFC 4035 section 3.1.3 */
	{ "NXDOMAIN: the name and the wildcard denied (3.1.3.2)", false, "nx" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 0, 2,
	  { { 'c', "nx" Z }, { 'c', "*" Z } } },
	{ "NXDOMAIN: one NSEC denies both, sent once", false, "a" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 0, 1,
	  { { 'c', "a" Z }, { 'c', "*" Z } } },
	{ "NODATA: the name's own NSEC (3.1.3.1)", false, "www" Z, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, true, 0, 1,
	  { { 'm', "www" Z } } },
	{ "NODATA at an empty non-terminal: the covering NSEC", false, "y.z" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 0, 1,
	  { { 'c', "y.z" Z } } },
	{ "wildcard answer: no closer match (3.1.3.3)", false, "a.wild" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 2, 1,
	  { { 'c', "a.wild" Z } } },
	{ "wildcard NODATA (3.1.3.4): the wildcard's NSEC also covers the name", false, "a.wild" Z, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, true, 0, 1,
	  { { 'c', "a.wild" Z }, { 'm', "*.wild" Z } } },
	{ "unsigned referral: the NSEC without DS (3.1.4)", false, "insecure" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, false, 0, 1,
	  { { 'm', "insecure" Z } } },
	{ "DS NODATA at a cut, from the parent", false, "insecure" Z, LDNS_RR_TYPE_DS, LDNS_RCODE_NOERROR, true, 0, 1,
	  { { 'm', "insecure" Z } } },
	{ "signed referral: NS, DS and its RRSIG, no proof", false, "secure" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, false, 0, 0, { { 0, NULL } } },
	{ "DS at a secure cut answered with its RRSIG", false, "secure" Z, LDNS_RR_TYPE_DS, LDNS_RCODE_NOERROR, true, 2, 0, { { 0, NULL } } },
	{ "child apex DNSKEY at the parent: a referral", false, "secure" Z, LDNS_RR_TYPE_DNSKEY, LDNS_RCODE_NOERROR, false, 0, 0, { { 0, NULL } } },
	{ "CNAME to a missing name: CNAME signed, target denied", false, "cname2" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 2, 2,
	  { { 'c', "nothere" Z }, { 'c', "*" Z } } },
	{ "CNAME to a wildcard name: both signed, wildcard proof", false, "cname3" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 4, 1,
	  { { 'c', "foo.wild" Z } } },
	{ "DNAME signed, synthesized CNAME not (RFC 6672 5.3.1)", false, "x.dn" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 3, 0, { { 0, NULL } } },
	/* NSEC3 with opt-out, RFC 5155 section 7.2 */
	{ "NSEC3 NXDOMAIN: encloser, next closer, wildcard (7.2.2)", true, "nx" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 0, 3,
	  { { 'm', ORIGIN }, { 'c', "nx" Z }, { 'c', "*" Z } } },
	{ "NSEC3 NXDOMAIN two labels down", true, "b.a" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 0, 3,
	  { { 'm', ORIGIN }, { 'c', "a" Z }, { 'c', "*" Z } } },
	{ "NSEC3 NODATA: the matching NSEC3 alone (7.2.3)", true, "www" Z, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, true, 0, 1,
	  { { 'm', "www" Z } } },
	{ "NSEC3 NODATA at an empty non-terminal", true, "y.z" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 0, 1,
	  { { 'm', "y.z" Z } } },
	{ "NSEC3 SOA below a cut is a referral, not the apex NSEC3", true, "ns.secure" Z, LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, false, 0, 0, { { 0, NULL } } },
	{ "NSEC3 wildcard answer: next closer covered (7.2.6)", true, "a.wild" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 2, 1,
	  { { 'c', "a.wild" Z } } },
	{ "NSEC3 wildcard NODATA (7.2.5)", true, "a.wild" Z, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, true, 0, 3,
	  { { 'm', "wild" Z }, { 'c', "a.wild" Z }, { 'm', "*.wild" Z } } },
	{ "NSEC3 DS at an opt-out cut: closest provable encloser (7.2.4)", true, "insecure" Z, LDNS_RR_TYPE_DS, LDNS_RCODE_NOERROR, true, 0, 2,
	  { { 'm', ORIGIN }, { 'c', "insecure" Z } } },
	{ "NSEC3 referral to an opt-out cut (7.2.7)", true, "insecure" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, false, 0, 2,
	  { { 'm', ORIGIN }, { 'c', "insecure" Z } } },
	{ "NSEC3 empty non-terminal above opt-out cuts only: next closer too", true, "ent2" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, true, 0, 2,
	  { { 'm', ORIGIN }, { 'c', "ent2" Z } } },
	{ "NSEC3 NXDOMAIN below such an empty non-terminal", true, "c.ent2" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 0, 3,
	  { { 'm', ORIGIN }, { 'c', "ent2" Z }, { 'c', "*" Z } } },
	{ "NSEC3 SOA at an opt-out cut: a referral with the closest provable encloser proof", true, "insecure" Z, LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, false, 0, 2,
	  { { 'm', ORIGIN }, { 'c', "insecure" Z } } },
	{ "NSEC3 signed referral", true, "secure" Z, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, false, 0, 0, { { 0, NULL } } },
};

static void check_need(const ldns_rr_list *auth, const struct proof_need *need)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (t != LDNS_RR_TYPE_NSEC && t != LDNS_RR_TYPE_NSEC3)
			continue;
		if (need->role == 'm' ? proof_matches(rr, need->name) : proof_covers(rr, need->name))
			return;
	}
	fail_msg("no NSEC/NSEC3 that %s %s", need->role == 'm' ? "matches" : "covers", need->name);
}

static void test_proofs(void **state)
{
	size_t i;
	unsigned k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct proof_case *c = &cases[i];
		ldns_pkt *p = ask(c->nsec3 ? db_nsec3 : db_nsec, c->qname, c->qtype, 4096, true, false);
		ldns_rr_list *auth;
		size_t proofs;

		print_message("%s\n", c->why);
		assert_non_null(p);
		auth = ldns_pkt_authority(p);
		assert_int_equal(ldns_pkt_get_rcode(p), c->rcode);
		assert_int_equal(ldns_pkt_aa(p), c->aa);
		assert_false(ldns_pkt_tc(p));
		assert_false(ldns_pkt_ad(p));
		assert_true(ldns_pkt_edns_do(p));
		assert_int_equal(ldns_pkt_ancount(p), c->an);
		proofs = test_count(auth, c->nsec3 ? LDNS_RR_TYPE_NSEC3 : LDNS_RR_TYPE_NSEC, NULL);
		assert_int_equal(proofs, c->proofs);
		for (k = 0; k < 3 && c->need[k].role != 0; k++)
			check_need(auth, &c->need[k]);
		assert_signed(ldns_pkt_answer(p), false);
		assert_signed(auth, !c->aa);
		/* A negative answer has its SOA, signed. */
		if (c->aa && c->an == 0)
			assert_int_equal(test_count(auth, LDNS_RR_TYPE_SOA, ORIGIN), 1);
		ldns_pkt_free(p);
	}
}

/* A signed referral: NS, then DS with its RRSIG in authority; glue unsigned. */
static void test_signed_referral(void **state)
{
	ldns_pkt *p = ask(db_nsec, "www.secure" Z, LDNS_RR_TYPE_A, 4096, true, false);

	(void)state;
	assert_int_equal(test_count(ldns_pkt_authority(p), LDNS_RR_TYPE_DS, "secure" Z), 1);
	assert_int_equal(test_count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG, "secure" Z), 1);
	assert_int_equal(test_count(ldns_pkt_additional(p), LDNS_RR_TYPE_A, "ns.secure" Z), 1);
	assert_int_equal(test_count(ldns_pkt_additional(p), LDNS_RR_TYPE_RRSIG, NULL), 0);
	ldns_pkt_free(p);
}

/* Without DO nothing of DNSSEC is added (RFC 3225 section 3), unless asked for by type. */
static void test_without_do(void **state)
{
	ldns_pkt *p;

	(void)state;
	p = ask(db_nsec, "www" Z, LDNS_RR_TYPE_A, 4096, false, false);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_false(ldns_pkt_edns_do(p));
	ldns_pkt_free(p);
	p = ask(db_nsec3, "nx" Z, LDNS_RR_TYPE_A, 0, false, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_int_equal(ldns_pkt_nscount(p), 1);
	ldns_pkt_free(p);
	p = ask(db_nsec, "insecure" Z, LDNS_RR_TYPE_A, 4096, false, false);
	assert_int_equal(test_count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC, NULL), 0);
	assert_int_equal(test_count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG, NULL), 0);
	ldns_pkt_free(p);
	/* Asked for: the NSEC and the RRSIGs are the data. */
	p = ask(db_nsec, "www" Z, LDNS_RR_TYPE_NSEC, 0, false, false);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_NSEC, "www" Z), 1);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	ldns_pkt_free(p);
	/* ANY picks data, never the DNSSEC records beside it. */
	p = ask(db_nsec, "www" Z, LDNS_RR_TYPE_ANY, 0, false, false);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_A, NULL), 1);
	ldns_pkt_free(p);
}

/* QTYPE=RRSIG: every RRSIG of the name, each with its own TTL (that of the RRset it
 * covers), with or without DO. */
static void test_rrsig_query(void **state)
{
	ldns_pkt *p = ask(db_nsec, "www" Z, LDNS_RR_TYPE_RRSIG, 0, false, false);
	size_t i;

	(void)state;
	assert_int_equal(ldns_pkt_ancount(p), 3);
	for (i = 0; i < 3; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ldns_pkt_answer(p), i);
		ldns_rr_type covered = ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr));

		assert_int_equal(ldns_rr_ttl(rr), covered == LDNS_RR_TYPE_NSEC ? 300 : 3600);
	}
	ldns_pkt_free(p);
}

/* The negative SOA's RRSIG has the negative TTL too (RFC 2308 section 3), and the NSEC
 * its own. */
static void test_negative_ttls(void **state)
{
	ldns_pkt *p = ask(db_nsec, "nx" Z, LDNS_RR_TYPE_A, 4096, true, false);
	ldns_rr_list *auth = ldns_pkt_authority(p);
	size_t i;

	(void)state;
	for (i = 0; i < ldns_rr_list_rr_count(auth); i++)
		assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(auth, i)), 300);
	ldns_pkt_free(p);
}

/* AD never set, CD cleared in an authoritative answer (RFC 4035 section 3.1.6). */
static void test_flags(void **state)
{
	ldns_pkt *p = ask(db_nsec, "www" Z, LDNS_RR_TYPE_A, 4096, true, true);

	(void)state;
	assert_false(ldns_pkt_cd(p));
	assert_false(ldns_pkt_ad(p));
	assert_true(ldns_pkt_aa(p));
	ldns_pkt_free(p);
}

/* An RRSIG that does not fit truncates like its RRset (RFC 4035 section 3.1.1): TC and
 * the bare answer. The same answer without DO fits. */
static void test_truncation(void **state)
{
	ldns_pkt *p;

	(void)state;
	p = ask(db_nsec, "big" Z, LDNS_RR_TYPE_TXT, 512, false, false);
	assert_false(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 1);
	ldns_pkt_free(p);
	p = ask(db_nsec, "big" Z, LDNS_RR_TYPE_TXT, 512, true, false);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	assert_true(ldns_pkt_edns_do(p));
	ldns_pkt_free(p);
	p = ask(db_nsec, "big" Z, LDNS_RR_TYPE_TXT, 1232, true, false);
	assert_false(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 2);
	ldns_pkt_free(p);
	/* A proof that does not fit truncates too: the NSEC3 NXDOMAIN needs about 700 bytes. */
	p = ask(db_nsec3, "nx" Z, LDNS_RR_TYPE_A, 512, true, false);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_nscount(p), 0);
	ldns_pkt_free(p);
}

/* An NSEC3 owner name is not a name of the zone (RFC 5155 section 7.2.8). */
static void test_nsec3_owner_name(void **state)
{
	ldns_rdf *www = dname("www" Z);
	ldns_rdf *h = ldns_nsec3_hash_name(www, 1, 0, 0, NULL);
	char *label = ldns_rdf2str(h), qname[128];
	ldns_pkt *p;

	(void)state;
	snprintf(qname, sizeof(qname), "%s" ORIGIN, label);
	p = ask(db_nsec3, qname, LDNS_RR_TYPE_NSEC3, 4096, true, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	ldns_pkt_free(p);
	free(label);
	ldns_rdf_deep_free(h);
	ldns_rdf_deep_free(www);
}

/* Answering signed queries allocates nothing (DESIGN: the hot path), NSEC3 hashing of
 * missing names included. */
static void test_no_allocation(void **state)
{
	uint8_t req[sizeof(cases) / sizeof(cases[0])][512];
	size_t len[sizeof(cases) / sizeof(cases[0])], i;
	static struct query q;
	struct query_config cfg = { .udp_size = 4096 };
	unsigned long allocs;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		len[i] = test_make_query(req[i], sizeof(req[i]), cases[i].qname, cases[i].qtype,
					 LDNS_RR_CLASS_IN, 4096, true);
	query_init(&q, &cfg);
	failalloc_start(0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_true(test_query(&q, cases[i].nsec3 ? db_nsec3 : db_nsec, QUERY_UDP, req[i],
				       len[i], test_resp, sizeof(test_resp)) > 12);
	allocs = failalloc_stop();
	assert_int_equal(allocs, 0);
}

/* The hash and its spelling agree with ldns's, with salt and iterations too. */
static void test_nsec3_hash(void **state)
{
	static const char *const names[] = { "signed.test.", "www.signed.test.", "*.a.b.example.", "." };
	static const uint8_t salt[] = { 0xab, 0xcd };
	unsigned iter[] = { 0, 1, 12 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (j = 0; j < 3; j++) {
			ldns_rdf *n = dname(names[i]);
			ldns_rdf *h = ldns_nsec3_hash_name(n, 1, (uint16_t)iter[j], j ? 2 : 0, (uint8_t *)salt);
			struct nsec3_params p = { .alg = 1, .iterations = (uint16_t)iter[j],
						  .salt_len = j ? 2 : 0 };
			uint8_t ours[NSEC3_HASH_SIZE], decoded[NSEC3_HASH_SIZE];
			const uint8_t *label = ldns_rdf_data(h);

			memcpy(p.salt, salt, sizeof(salt));
			nsec3_hash(ours, &p, ldns_rdf_data(n), ldns_rdf_size(n));
			assert_true(nsec3_label_decode(decoded, label + 1, label[0]));
			assert_memory_equal(ours, decoded, NSEC3_HASH_SIZE);
			ldns_rdf_deep_free(h);
			ldns_rdf_deep_free(n);
		}
	}
	assert_false(nsec3_label_decode((uint8_t[NSEC3_HASH_SIZE]){ 0 }, (const uint8_t *)"w0000000000000000000000000000000", 32));
	assert_false(nsec3_label_decode((uint8_t[NSEC3_HASH_SIZE]){ 0 }, (const uint8_t *)"0000", 4));
}

/* RFC 4034 section 6.1's example, in its order. */
static void test_canonical_order(void **state)
{
	static const char *const ordered[] = {
		"example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
		"zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.",
	};
	size_t i, j, n = sizeof(ordered) / sizeof(ordered[0]);

	(void)state;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			ldns_rdf *a = dname(ordered[i]), *b = dname(ordered[j]);
			int c = dnssec_canonical_cmp(ldns_rdf_data(a), ldns_rdf_size(a),
						     ldns_rdf_data(b), ldns_rdf_size(b));

			assert_true(i < j ? c < 0 : i > j ? c > 0 : c == 0);
			ldns_rdf_deep_free(a);
			ldns_rdf_deep_free(b);
		}
	}
}

/* What loading found: the chain, its parameters and opt-out. */
static void test_loaded_state(void **state)
{
	const struct zone *z3 = db_nsec3->zones[0], *z = db_nsec->zones[0];

	(void)state;
	assert_non_null(z->dnssec);
	assert_int_equal(z->dnssec->denial, DENIAL_NSEC);
	assert_true(z->dnssec->nsec_count > 10);
	assert_non_null(z3->dnssec);
	assert_int_equal(z3->dnssec->denial, DENIAL_NSEC3);
	assert_int_equal(z3->dnssec->nsec3_params.iterations, 0);
	assert_int_equal(z3->dnssec->nsec3_params.salt_len, 0);
	assert_int_equal(z3->dnssec->opt_out, z3->dnssec->nsec3_count);
}

/* Serving the parent and the child, the parent answers the DS of the child's apex, and
 * the child everything else there (RFC 4035 section 3.1.4.1). */
static void test_ds_from_parent(void **state)
{
	struct db *db = test_load_db("dnssec/nsec.zone", "dnssec/child.zone", NULL);
	ldns_pkt *p;

	(void)state;
	assert_non_null(db);
	p = ask(db, "secure" Z, LDNS_RR_TYPE_DS, 4096, true, false);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	assert_true(ldns_pkt_aa(p));
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_DS, "secure" Z), 1);
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG, "secure" Z), 1);
	ldns_pkt_free(p);
	p = ask(db, "secure" Z, LDNS_RR_TYPE_SOA, 4096, true, false);
	assert_true(ldns_pkt_aa(p));
	assert_int_equal(test_count(ldns_pkt_answer(p), LDNS_RR_TYPE_SOA, "secure" Z), 1);
	ldns_pkt_free(p);
	db_free(db);
}

/* An unsigned zone gets no DNSSEC data at all. */
static void test_unsigned_zone(void **state)
{
	struct db *db = test_load_db("example.test.zone", NULL);

	(void)state;
	assert_non_null(db);
	assert_null(db->zones[0]->dnssec);
	db_free(db);
}

/* Every allocation of loading a signed zone may fail: the load fails cleanly, leaking
 * nothing. */
static void test_load_oom(void **state)
{
	size_t live = failalloc_live();
	unsigned long n, total;

	(void)state;
	failalloc_start(0);
	db_free(test_load_db("dnssec/nsec3-optout.zone", NULL));
	total = failalloc_stop();
	assert_int_equal(failalloc_live(), live);
	print_message("%lu allocations\n", total);
	for (n = 1; n <= total; n++) {
		struct db *db;

		failalloc_start(n);
		db = test_load_db("dnssec/nsec3-optout.zone", NULL);
		failalloc_stop();
		db_free(db);
		if (failalloc_live() != live)
			fail_msg("allocation %lu of %lu failed: %zu left behind", n, total,
				 failalloc_live() - live);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proofs),
		cmocka_unit_test(test_signed_referral),
		cmocka_unit_test(test_without_do),
		cmocka_unit_test(test_rrsig_query),
		cmocka_unit_test(test_negative_ttls),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_nsec3_owner_name),
		cmocka_unit_test(test_no_allocation),
		cmocka_unit_test(test_nsec3_hash),
		cmocka_unit_test(test_canonical_order),
		cmocka_unit_test(test_loaded_state),
		cmocka_unit_test(test_ds_from_parent),
		cmocka_unit_test(test_unsigned_zone),
		cmocka_unit_test(test_load_oom),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
