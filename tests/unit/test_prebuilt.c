/* SPDX-License-Identifier: BSD-3-Clause */
/* test_prebuilt.c: answers copied from what prebuilt.c wrote at load are, byte for byte,
 * the answers written per query: for every name of the test zones (signed and not, with
 * CNAME chains, DNAMEs, wildcards and cuts), many QTYPEs, with and without EDNS and DO,
 * over UDP and TCP, in lower and mixed case; and the query path does copy them. */
#include "testutil.h"

#include "prebuilt.h"

/* The zone files, each loaded into a db of its own (the DS of child.zone's apex is
 * nsec.zone's: both in one). */
static const char *const files[][3] = {
	{ "example.test.zone", "own.example.test.zone", NULL },
	{ "dn.test.zone", "dnapex.test.zone", NULL },
	{ "dnssec/nsec.zone", "dnssec/child.zone", NULL },
	{ "dnssec/nsec3-optout.zone", NULL, NULL },
	{ "wild.test.zone", NULL, NULL },
};

/* QTYPEs asked at every name beyond the zone's own: ANY, DS, CNAME and RRSIG each take
 * a path of their own in answer.c; 1234 and 65280 stand for types no name has. */
static const uint16_t extra_types[] = {
	DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_NS, DNS_TYPE_MX, DNS_TYPE_TXT, DNS_TYPE_CNAME,
	DNS_TYPE_SOA, DNS_TYPE_DS, DNS_TYPE_ANY, DNS_TYPE_RRSIG, DNS_TYPE_NSEC,
	DNS_TYPE_NSEC3, DNS_TYPE_DNAME, 1234, 65280,
};

/* EDNS as queries carry it: none (512 bytes), 1232 with and without DO, 4096 with DO. */
static const struct {
	int size;
	bool do_bit;
} ednses[] = { { 0, false }, { 1232, false }, { 1232, true }, { 4096, true } };

/* A query for the wire name (its case kept) into out; returns its length. */
static size_t make_query(uint8_t *out, const uint8_t *name, size_t name_len, uint16_t qtype,
			 int edns_size, bool do_bit)
{
	size_t len = DNS_HEADER_SIZE;

	memset(out, 0, DNS_HEADER_SIZE);
	dns_write16(out, 0x4242);
	dns_write16(out + 2, DNS_FLAG_RD);
	dns_write16(out + 4, 1);
	dns_write16(out + 10, edns_size > 0 ? 1 : 0);
	memcpy(out + len, name, name_len);
	len += name_len;
	dns_write16(out + len, qtype);
	dns_write16(out + len + 2, DNS_CLASS_IN);
	len += 4;
	if (edns_size > 0) {
		out[len] = 0; /* the root owns the OPT */
		dns_write16(out + len + 1, DNS_TYPE_OPT);
		dns_write16(out + len + 3, (unsigned)edns_size);
		dns_write32(out + len + 5, do_bit ? EDNS_FLAG_DO : 0);
		dns_write16(out + len + 9, 0);
		len += 11;
	}
	return len;
}

/* name in mixed case: every other letter upper case. */
static void mix_case(uint8_t *out, const uint8_t *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (i % 2 == 0 && name[i] >= 'a' && name[i] <= 'z') ? (uint8_t)(name[i] - 32)
									 : name[i];
}

/* Every node's prebuilt answers, set aside (NULL) or put back. */
static void set_prebuilt(const struct db *db, const struct prebuilt_set ***saved, bool on)
{
	size_t i, k = 0;

	for (i = 0; i < db->zone_count; i++) {
		struct node *n;

		for (n = (struct node *)zone_next_node(db->zones[i], NULL); n != NULL;
		     n = (struct node *)zone_next_node(db->zones[i], n), k++) {
			if (!on) {
				*saved = realloc(*saved, (k + 1) * sizeof(**saved));
				assert_non_null(*saved);
				(*saved)[k] = n->pre;
				n->pre = NULL;
			} else {
				n->pre = (*saved)[k];
			}
		}
	}
}

static void add_type(uint16_t *types, size_t *count, uint16_t t)
{
	size_t i;

	for (i = 0; i < *count; i++)
		if (types[i] == t)
			return;
	types[(*count)++] = t;
}

static size_t ask(const struct db *db, enum query_transport t, const uint8_t *req, size_t len,
		  uint8_t *resp)
{
	static struct query q;
	struct query_config cfg = { .udp_size = DNS_UDP_DEFAULT };

	query_init(&q, &cfg);
	return test_query(&q, db, t, req, len, resp, 65535);
}

/* The response to a query for name (its case kept) with and without the prebuilt
 * answers: the same, else the test fails. */
static void compare_one(const struct db *db, const uint8_t *name, size_t name_len, uint16_t type,
			int edns, bool do_bit, enum query_transport tp)
{
	static uint8_t with[65536], without[65536];
	static const struct prebuilt_set **saved;
	uint8_t req[512];
	size_t len = make_query(req, name, name_len, type, edns, do_bit), a, b;

	a = ask(db, tp, req, len, with);
	set_prebuilt(db, &saved, false);
	b = ask(db, tp, req, len, without);
	set_prebuilt(db, &saved, true);
	if (a != b || memcmp(with, without, a) != 0) {
		char text[DNS_MAX_NAME * 4 + 1];

		wire_name_format(name, text, sizeof(text));
		fail_msg("%s type %u edns %d do %d %s: %zu bytes prebuilt, %zu per query", text,
			 type, edns, do_bit, tp == QUERY_TCP ? "TCP" : "UDP", a, b);
	}
}

/* Names under each name of the zone: for referrals and NXDOMAIN answers, whose
 * pointers move, and wildcards. Every first label of the zone's names is one (a qname
 * under it offers its own compression targets), and so are "www" and "a.b". */
static size_t compare_below(const struct db *db, const struct zone *z, const struct node *n)
{
	static const uint16_t types[] = { DNS_TYPE_A,  DNS_TYPE_DS,  DNS_TYPE_NS,
					  DNS_TYPE_TXT, DNS_TYPE_MX, 1234 };
	const struct node *m;
	size_t cases = 0, t, e;

	for (m = zone_next_node(z, NULL); m != NULL; m = zone_next_node(z, m)) {
		uint8_t name[DNS_MAX_NAME * 2];
		size_t len = m->name[0] + 1u;

		if (m->name_len == 1 || len + n->name_len > DNS_MAX_NAME)
			continue;
		memcpy(name, m->name, len);
		if (m == zone_next_node(z, NULL)) { /* in place of the apex's own label */
			memcpy(name, "\001a\001b", 4);
			len = 4;
		}
		memcpy(name + len, n->name, n->name_len);
		for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
			for (e = 0; e < sizeof(ednses) / sizeof(ednses[0]); e++, cases++)
				compare_one(db, name, len + n->name_len, types[t], ednses[e].size,
					    ednses[e].do_bit, QUERY_UDP);
	}
	return cases;
}

/* The responses with and without the prebuilt answers, for every case at every name of
 * db; returns how many cases there were. */
static size_t compare_db(const struct db *db)
{
	size_t i, cases = 0;

	for (i = 0; i < db->zone_count; i++) {
		const struct zone *z = db->zones[i];
		const struct node *n, *m;

		for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n)) {
			uint16_t types[64];
			size_t ntypes = 0, t, e, c, tr;

			/* The zone's own types, then the others. */
			for (m = zone_next_node(z, NULL); m != NULL; m = zone_next_node(z, m))
				for (t = 0; t < m->rrset_count && ntypes < 48; t++)
					add_type(types, &ntypes, m->rrsets[t].type);
			for (t = 0; t < sizeof(extra_types) / sizeof(extra_types[0]); t++)
				add_type(types, &ntypes, extra_types[t]);
			for (t = 0; t < ntypes; t++)
				for (e = 0; e < sizeof(ednses) / sizeof(ednses[0]); e++)
					for (c = 0; c < 2; c++)
						for (tr = 0; tr < 2; tr++, cases++) {
							uint8_t name[DNS_MAX_NAME];

							if (c == 1)
								mix_case(name, n->name, n->name_len);
							else
								memcpy(name, n->name, n->name_len);
							compare_one(db, name, n->name_len, types[t],
								    ednses[e].size, ednses[e].do_bit,
								    tr ? QUERY_TCP : QUERY_UDP);
						}
			cases += compare_below(db, z, n);
		}
	}
	return cases;
}

static void test_same_bytes(void **state)
{
	size_t f;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct db *db = test_load_db(files[f][0], files[f][1], files[f][2], NULL);
		size_t cases;

		assert_non_null(db);
		cases = compare_db(db);
		print_message("%s: %zu cases the same\n", files[f][0], cases);
		assert_true(cases > 1000);
		db_free(db);
	}
}

/* The node of db named by the presentation name text, or NULL. */
static const struct node *find_node(const struct db *db, const char *text)
{
	ldns_rdf *r = NULL;
	const struct node *n = NULL;
	size_t i;

	assert_int_equal(ldns_str2rdf_dname(&r, text), LDNS_STATUS_OK);
	for (i = 0; i < db->zone_count && n == NULL; i++)
		n = zone_find_node(db->zones[i], ldns_rdf_data(r), ldns_rdf_size(r));
	ldns_rdf_deep_free(r);
	return n;
}

/* The query path copies the prebuilt bytes: change one in the copy (the answer's TTL)
 * and the response shows it. */
static void test_copied(void **state)
{
	struct db *db = test_load_db("example.test.zone", NULL);
	const struct node *n;
	const struct prebuilt *p;
	uint8_t req[512], resp[65536], name[DNS_MAX_NAME];
	uint8_t *ttl;
	size_t len, rlen, at;

	(void)state;
	assert_non_null(db);
	n = find_node(db, "www.example.test.");
	assert_non_null(n);
	assert_non_null(n->pre);
	p = prebuilt_find(n->pre, DNS_TYPE_A, false);
	assert_non_null(p);
	assert_int_not_equal(p->len, PREBUILT_NONE);
	assert_int_equal(p->count[0], 1);
	/* The answer's one record: a pointer to the question, TYPE, CLASS, then the TTL. */
	ttl = (uint8_t *)(uintptr_t)prebuilt_data(db->zones[0], p) + 2 + 4;
	memcpy(name, n->name, n->name_len);
	len = make_query(req, name, n->name_len, DNS_TYPE_A, 0, false);
	rlen = ask(db, QUERY_UDP, req, len, resp);
	at = len + 2 + 4;
	assert_true(rlen > at + 4);
	assert_memory_equal(resp + at, ttl, 4);
	ttl[3] ^= 0x55;
	rlen = ask(db, QUERY_UDP, req, len, resp);
	assert_memory_equal(resp + at, ttl, 4);
	ttl[3] ^= 0x55;
	db_free(db);
}

/* What is not the exact match of a name in the zone gets no prebuilt answer, nor do the
 * QTYPEs whose answer depends on them; the rest do, signed too. */
static void test_which(void **state)
{
	struct db *db = test_load_db("example.test.zone", NULL);
	struct db *signed_db = test_load_db("dnssec/nsec.zone", NULL);
	const struct node *n;

	(void)state;
	assert_non_null(db);
	assert_non_null(signed_db);
	/* A delegation point: its referral, for the names at or below it; not for DS at
	 * it. The glue below it: nothing. */
	n = find_node(db, "sub.example.test.");
	assert_non_null(n);
	assert_non_null(n->pre);
	assert_int_equal(prebuilt_find_anchored(n->pre, false)->kind, ANSWER_REFERRAL);
	assert_int_not_equal(prebuilt_find_anchored(n->pre, false)->len, PREBUILT_NONE);
	assert_null(prebuilt_find(n->pre, DNS_TYPE_A, false));
	assert_null(prebuilt_find(n->pre, DNS_TYPE_DS, false));
	n = find_node(db, "ns1.sub.example.test.");
	assert_non_null(n);
	assert_null(n->pre);
	/* The apex: its NS with the addresses, its MX with the exchange's, and the zone's
	 * NXDOMAIN, whose SOA names (ns1, hostmaster) a qname under them would compress. */
	n = find_node(db, "example.test.");
	assert_non_null(n);
	assert_int_equal(prebuilt_find_anchored(n->pre, false)->kind, ANSWER_NXDOMAIN);
	assert_int_not_equal(prebuilt_find_anchored(n->pre, false)->len, PREBUILT_NONE);
	assert_true(prebuilt_anchor_has_label(prebuilt_anchor(db->zones[0],
							       prebuilt_find_anchored(n->pre, false)),
					      (const uint8_t *)"\003ns1"));
	assert_non_null(prebuilt_find(n->pre, DNS_TYPE_NS, false));
	assert_non_null(prebuilt_find(n->pre, DNS_TYPE_MX, false));
	/* A type the name lacks: NODATA, for every such type; not ANY. */
	n = find_node(db, "www.example.test.");
	assert_non_null(n);
	assert_int_equal(prebuilt_find(n->pre, DNS_TYPE_TXT, false)->kind, ANSWER_NODATA);
	assert_ptr_equal(prebuilt_find(n->pre, DNS_TYPE_TXT, false),
			 prebuilt_find(n->pre, 1234, false));
	assert_null(prebuilt_find(n->pre, DNS_TYPE_ANY, false));
	/* A CNAME chain to a name without the type: the NXDOMAIN at its end. */
	n = find_node(db, "dangling.example.test.");
	assert_non_null(n);
	assert_int_equal(prebuilt_find(n->pre, DNS_TYPE_A, false)->rcode, RCODE_NXDOMAIN);
	/* Unsigned zone: no DO answers; signed: both. */
	assert_null(prebuilt_find(n->pre, DNS_TYPE_A, true));
	n = find_node(signed_db, "signed.test.");
	assert_non_null(n);
	assert_non_null(prebuilt_find(n->pre, DNS_TYPE_SOA, true));
	assert_non_null(prebuilt_find(n->pre, DNS_TYPE_SOA, false));
	assert_true(prebuilt_find(n->pre, DNS_TYPE_SOA, true)->len >
		    prebuilt_find(n->pre, DNS_TYPE_SOA, false)->len);
	db_free(db);
	db_free(signed_db);
}

/* A wildcard's set: what it synthesizes, for its types and every other type, without DO
 * only; kept unless a name of its data points into the question. */
static void test_which_wildcard(void **state)
{
	struct db *db = test_load_db("example.test.zone", NULL);
	struct db *wild_db = test_load_db("wild.test.zone", NULL);
	struct db *signed_db = test_load_db("dnssec/nsec.zone", NULL);
	const struct prebuilt *p;
	const struct node *n;

	(void)state;
	assert_non_null(db);
	assert_non_null(wild_db);
	assert_non_null(signed_db);
	n = find_node(db, "*.wild.example.test.");
	assert_non_null(n);
	p = prebuilt_find_wildcard(n->pre, DNS_TYPE_A);
	assert_non_null(p);
	assert_int_equal(p->kind, ANSWER_WILDCARD);
	assert_int_not_equal(p->len, PREBUILT_NONE);
	assert_int_equal(p->count[0], 1);
	/* The owner points to the question and stays: nothing to move. */
	assert_int_equal(prebuilt_anchor(db->zones[0], p)->ptr_count, 0);
	assert_ptr_not_equal(prebuilt_find_wildcard(n->pre, DNS_TYPE_TXT), p);
	assert_int_equal(prebuilt_find_wildcard(n->pre, DNS_TYPE_MX)->count[0], 0);
	assert_ptr_equal(prebuilt_find_wildcard(n->pre, DNS_TYPE_MX),
			 prebuilt_find_wildcard(n->pre, 1234));
	assert_null(prebuilt_find_wildcard(n->pre, DNS_TYPE_ANY));
	/* The exact match of "*.wild" is a set of its own. */
	assert_ptr_not_equal(prebuilt_find(n->pre, DNS_TYPE_A, false), p);
	/* The chain from a wildcard: its CNAME and the target's address. */
	n = find_node(db, "*.wcname.example.test.");
	assert_non_null(n);
	assert_int_equal(prebuilt_find_wildcard(n->pre, DNS_TYPE_A)->count[0], 2);
	/* An exchange named "nxaa.w", the name answers are built for: not kept. */
	n = find_node(wild_db, "*.w.wild.test.");
	assert_non_null(n);
	assert_int_equal(prebuilt_find_wildcard(n->pre, DNS_TYPE_MX)->len, PREBUILT_NONE);
	/* An exchange under "b.d": a qname whose label under "d" is b is answered per query. */
	n = find_node(wild_db, "*.d.wild.test.");
	assert_non_null(n);
	p = prebuilt_find_wildcard(n->pre, DNS_TYPE_MX);
	assert_int_not_equal(p->len, PREBUILT_NONE);
	assert_true(prebuilt_anchor_has_label(prebuilt_anchor(wild_db->zones[0], p),
					      (const uint8_t *)"\001b"));
	/* Signed: without DO only (with DO the proofs depend on the qname). */
	n = find_node(signed_db, "*.wild.signed.test.");
	assert_non_null(n);
	p = prebuilt_find_wildcard(n->pre, DNS_TYPE_A);
	assert_non_null(p);
	assert_int_not_equal(p->len, PREBUILT_NONE);
	assert_int_equal(p->flags & PREBUILT_DO, 0);
	db_free(db);
	db_free(wild_db);
	db_free(signed_db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_copied),
		cmocka_unit_test(test_which),
		cmocka_unit_test(test_which_wildcard),
	};

	log_init("test_prebuilt", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
