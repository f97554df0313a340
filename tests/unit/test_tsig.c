/* SPDX-License-Identifier: BSD-3-Clause */
/* test_tsig.c: TSIG (RFC 8945): HMAC vectors, interoperation with ldns both ways, each
 * error answer, multi-message streams, and no allocation on the query path. */
#include "config.h"

#include <errno.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "failalloc.h"
#include "stats.h"
#include "testutil.h"
#include "tsig.h"
#include "tsigkey.h"

#define SECRET "SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A="

/* The algorithms ldns signs and verifies: it has no hmac-sha224, and its hmac-sha384 is
 * misspelt; those two are checked against OpenSSL's HMAC() (test_hand_signed) and
 * against dig and kdig (tests/system/tsig.sh). */
static const int ldns_algs[] = { HMAC_SHA1, HMAC_SHA256, HMAC_SHA512 };
#define LDNS_ALGS 3

static const char *const alg_names[HMAC_ALGS] = {
	"hmac-sha1.", "hmac-sha224.", "hmac-sha256.", "hmac-sha384.", "hmac-sha512.",
};

static struct db *db;
static uint64_t fixed_now;

static uint64_t test_clock(void)
{
	return fixed_now;
}

static size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = 0;

	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2)
		out[n++] = (uint8_t)(dns_hex_digit(hex[0]) * 16 + dns_hex_digit(hex[1]));
	return n;
}

/* RFC 4231 section 4 (SHA-224 to SHA-512) and RFC 2202 section 3 (SHA-1) test cases 1,
 * 2 and 6 (a key longer than the block), through hmac.c. */
static void test_hmac_vectors(void **state)
{
	static const struct {
		enum hmac_alg alg;
		const char *key, *data, *mac;
	} v[] = {
		{ HMAC_SHA1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ HMAC_SHA1, "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ HMAC_SHA224, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22" },
		{ HMAC_SHA256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ HMAC_SHA384, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6" },
		{ HMAC_SHA512, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
		{ HMAC_SHA256, "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ HMAC_SHA384, "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		  "8e2240ca5e69e2c78b3239ecfab21649" },
	};
	/* Test case 6: a 131-byte key of 0xaa, longer than every block. */
	static const struct {
		enum hmac_alg alg;
		const char *mac;
	} long_key[] = {
		{ HMAC_SHA224, "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e" },
		{ HMAC_SHA256, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ HMAC_SHA512, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
			       "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	};
	static const char test6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	uint8_t key[160], data[64], want[64], got[HMAC_MAX_SIZE];
	struct hmac_ctx c;
	size_t i, kl, dl, ml;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kl = unhex(key, v[i].key);
		dl = unhex(data, v[i].data);
		ml = unhex(want, v[i].mac);
		hmac_init(&c, v[i].alg, key, kl);
		hmac_update(&c, data, 3);
		hmac_update(&c, data + 3, dl - 3);
		assert_int_equal(hmac_final(&c, got), ml);
		assert_memory_equal(got, want, ml);
	}
	memset(key, 0xaa, 131);
	for (i = 0; i < sizeof(long_key) / sizeof(long_key[0]); i++) {
		ml = unhex(want, long_key[i].mac);
		hmac_init(&c, long_key[i].alg, key, 131);
		hmac_update(&c, test6, strlen(test6));
		assert_int_equal(hmac_final(&c, got), ml);
		assert_memory_equal(got, want, ml);
	}
}

static void test_keyring(void **state)
{
	struct tsig_keyring *kr = tsig_keyring_new();
	const struct tsig_key *k;
	char err[256];

	(void)state;
	assert_int_equal(tsig_keyring_add(kr, "Key.Example.", "HMAC-SHA256", SECRET, err,
					  sizeof(err)), 0);
	assert_int_equal(tsig_keyring_add_spec(kr, "other:hmac-sha1.:" SECRET, err, sizeof(err)),
			 0);
	k = tsig_keyring_find(kr, (const uint8_t *)"\3key\7example", 13);
	assert_non_null(k);
	assert_int_equal(k->alg, HMAC_SHA256);
	assert_int_equal(k->secret_len, 32);
	assert_null(tsig_keyring_find(kr, (const uint8_t *)"\3kez\7example", 13));
	assert_int_equal(tsig_keyring_add(kr, "key.example", "hmac-sha1", SECRET, err,
					  sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(tsig_keyring_add(kr, "k2", "hmac-md5", SECRET, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "algorithm"));
	/* Strict base64: no missing padding, no stray characters, not empty. */
	assert_int_equal(tsig_keyring_add(kr, "k2", "hmac-sha1", "SBqA=", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(tsig_keyring_add(kr, "k2", "hmac-sha1", "SBq!", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(tsig_keyring_add(kr, "k2", "hmac-sha1", "", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "base64"));
	assert_int_equal(tsig_keyring_add(kr, "a..b", "hmac-sha1", SECRET, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(tsig_keyring_add_spec(kr, "nocolon", err, sizeof(err)), -EINVAL);
	assert_int_equal(kr->count, 2);
	tsig_keyring_unref(kr);
}

/* A query for name signed by ldns with the key of alg ("tk<alg>."), into out. */
static size_t ldns_signed_query(uint8_t *out, const char *name, ldns_rr_type type, int alg,
				int edns)
{
	ldns_pkt *p = NULL;
	uint8_t *wire = NULL;
	char kname[16];
	size_t len;

	snprintf(kname, sizeof(kname), "tk%d.", alg);
	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, type, LDNS_RR_CLASS_IN, LDNS_RD),
			 LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 0x4242);
	if (edns > 0) {
		ldns_pkt_set_edns_udp_size(p, (uint16_t)edns);
		ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, 0, ""));
	}
	assert_int_equal(ldns_pkt_tsig_sign(p, kname, SECRET, 300, alg_names[alg], NULL),
			 LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt2wire(&wire, p, &len), LDNS_STATUS_OK);
	memcpy(out, wire, len);
	free(wire);
	ldns_pkt_free(p);
	return len;
}

/* ldns checks the answer's TSIG against the request's MAC. */
static bool ldns_verifies(const uint8_t *resp, size_t len, const uint8_t *req, size_t req_len,
			  int alg)
{
	ldns_pkt *q = NULL, *a = NULL;
	char kname[16];
	bool ok;

	snprintf(kname, sizeof(kname), "tk%d.", alg);
	assert_int_equal(ldns_wire2pkt(&q, req, req_len), LDNS_STATUS_OK);
	assert_int_equal(ldns_wire2pkt(&a, resp, len), LDNS_STATUS_OK);
	ok = ldns_pkt_tsig_verify(a, resp, len, kname, SECRET,
				  ldns_rr_rdf(ldns_pkt_tsig(q), 3));
	ldns_pkt_free(q);
	ldns_pkt_free(a);
	return ok;
}

static struct query_config config = { .udp_size = 1232 };
static struct query q;

/* Runs req through query_process(): the answer in test_resp. */
static void ask(const uint8_t *req, size_t len, enum query_transport t)
{
	query_init(&q, &config);
	test_resp_len = test_query(&q, db, t, req, len, test_resp, sizeof(test_resp));
}

/* The TSIG of the last answer; fails the test when there is none. */
static void answer_tsig(struct wire_tsig *t)
{
	assert_int_equal(tsig_find(t, test_resp, test_resp_len), 0);
}

/* Every algorithm: ldns signs the query, dualns verifies it and signs the answer, ldns
 * verifies that (RFC 8945 sections 5.2 and 5.3). */
static void test_ldns_both_ways(void **state)
{
	uint8_t req[512];
	struct wire_tsig t;
	size_t len, i;
	int alg;

	(void)state;
	config.tsig_clock = NULL;
	for (i = 0; i < LDNS_ALGS; i++) {
		alg = ldns_algs[i];
		len = ldns_signed_query(req, "www.example.test.", LDNS_RR_TYPE_A, alg, 1232);
		ask(req, len, QUERY_UDP);
		assert_int_equal(q.tsig_result, 0);
		assert_non_null(q.tsig_key);
		assert_int_equal(q.rcode, RCODE_NOERROR);
		answer_tsig(&t);
		assert_int_equal(t.mac_size, hmac_size((enum hmac_alg)alg));
		assert_int_equal(t.error, 0);
		/* The TSIG is last, after the OPT. */
		assert_int_equal(t.offset + tsig_rr_size(t.key_name_len, t.alg_name_len,
							  t.mac_size, 0), test_resp_len);
		assert_true(ldns_verifies(test_resp, test_resp_len, req, len, alg));
		/* One bit changed in the answer: ldns refuses it. */
		test_resp[test_resp_len - 10] ^= 1;
		assert_false(ldns_verifies(test_resp, test_resp_len, req, len, alg));
	}
}

/* A query signed in the test, from RFC 8945 section 4.3's layout with OpenSSL's HMAC():
 * an independent computation. mac_size bytes of the MAC are sent; tweak alters the TSIG. */
enum tweak { PLAIN, CLASS_IN, TTL_1, OPT_AFTER, TWO_TSIGS, COMPRESSED };

static size_t hand_signed_query(uint8_t *out, const char *key, const EVP_MD *md,
				const char *alg, uint64_t when, size_t mac_size, enum tweak tw)
{
	uint8_t vars[600], mac[EVP_MAX_MD_SIZE], *rr;
	uint8_t kw[64], aw[64];
	unsigned mac_len = 0;
	size_t len = test_make_query(out, 512, "www.example.test.", LDNS_RR_TYPE_A,
				     LDNS_RR_CLASS_IN, 0, false);
	size_t kl = 0, al = 0, n = 0, i;
	uint8_t secret[64];
	size_t sl;

	/* Names to wire by hand: simple labels. */
	for (i = 0; key[i] != '\0';) {
		size_t l = strcspn(key + i, ".");

		kw[kl++] = (uint8_t)l;
		memcpy(kw + kl, key + i, l);
		kl += l;
		i += l + (key[i + l] == '.');
	}
	kw[kl++] = 0;
	for (i = 0; alg[i] != '\0';) {
		size_t l = strcspn(alg + i, ".");

		aw[al++] = (uint8_t)l;
		memcpy(aw + al, alg + i, l);
		al += l;
		i += l + (alg[i + l] == '.');
	}
	aw[al++] = 0;
	memcpy(vars, out, len);
	n = len;
	memcpy(vars + n, kw, kl);
	n += kl;
	memcpy(vars + n, "\0\xff\0\0\0\0", 6);
	n += 6;
	memcpy(vars + n, aw, al);
	n += al;
	dns_write16(vars + n, (unsigned)(when >> 32));
	dns_write32(vars + n + 2, (unsigned long)when);
	dns_write16(vars + n + 6, 300);
	dns_write32(vars + n + 8, 0); /* error, other len */
	n += 12;
	sl = (size_t)EVP_DecodeBlock(secret, (const unsigned char *)SECRET, 44) - 1;
	HMAC(md, secret, (int)sl, vars, n, mac, &mac_len);

	rr = out + len;
	if (tw == COMPRESSED) {
		rr[0] = 0xc0;
		rr[1] = 12;
		rr += 2;
	} else {
		memcpy(rr, kw, kl);
		rr += kl;
	}
	dns_write16(rr, DNS_TYPE_TSIG);
	dns_write16(rr + 2, tw == CLASS_IN ? DNS_CLASS_IN : DNS_CLASS_ANY);
	dns_write32(rr + 4, tw == TTL_1 ? 1 : 0);
	dns_write16(rr + 8, (unsigned)(al + 10 + mac_size + 6));
	rr += 10;
	memcpy(rr, aw, al);
	rr += al;
	dns_write16(rr, (unsigned)(when >> 32));
	dns_write32(rr + 2, (unsigned long)when);
	dns_write16(rr + 6, 300);
	dns_write16(rr + 8, (unsigned)mac_size);
	rr += 10;
	memset(rr, 0, mac_size);
	memcpy(rr, mac, mac_size < mac_len ? mac_size : mac_len);
	rr += mac_size;
	dns_write16(rr, dns_read16(out));
	dns_write32(rr + 2, 0);
	rr += 6;
	dns_write16(out + DNS_OFF_ARCOUNT, 1);
	if (tw == TWO_TSIGS || tw == OPT_AFTER) {
		size_t one = (size_t)(rr - (out + len));

		if (tw == TWO_TSIGS) {
			memcpy(rr, out + len, one);
			rr += one;
		} else {
			static const uint8_t opt[] = { 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0 };

			memcpy(rr, opt, sizeof(opt));
			rr += sizeof(opt);
		}
		dns_write16(out + DNS_OFF_ARCOUNT, 2);
	}
	return (size_t)(rr - out);
}

static const char *const key_names[HMAC_ALGS] = { "tk0.", "tk1.", "tk2.", "tk3.", "tk4." };
static const EVP_MD *(*const mds[HMAC_ALGS])(void) = {
	EVP_sha1, EVP_sha224, EVP_sha256, EVP_sha384, EVP_sha512,
};

/* Every algorithm, against OpenSSL's HMAC(): the hand-made query verifies, and the answer
 * verifies with the request's MAC (the layout in the test is the RFC's). */
static void test_hand_signed(void **state)
{
	uint8_t req[1024];
	struct wire_tsig rq;
	size_t len;
	int alg;

	(void)state;
	fixed_now = 1800000000;
	config.tsig_clock = test_clock;
	for (alg = 0; alg < HMAC_ALGS; alg++) {
		len = hand_signed_query(req, key_names[alg], mds[alg](), alg_names[alg], fixed_now,
					hmac_size((enum hmac_alg)alg), PLAIN);
		ask(req, len, QUERY_TCP);
		assert_int_equal(q.tsig_result, 0);
		assert_int_equal(q.rcode, RCODE_NOERROR);
		assert_int_equal(tsig_find(&rq, req, len), 0);
		assert_int_equal(tsig_verify_response(q.tsig_key, rq.mac, rq.mac_size, test_resp,
						      test_resp_len, fixed_now), 0);
		/* A changed question fails. */
		req[DNS_HEADER_SIZE + 1] ^= 0x20;
		ask(req, len, QUERY_TCP);
		assert_int_equal(q.tsig_result, TSIG_BADSIG);
	}
}

/* RFC 8945 section 5.2.2.1: truncation to at least max(10, half the hash) is accepted
 * (and the answer signed over the truncated request MAC); shorter or longer is BADSIG,
 * unsigned, as NSD and Knot answer (the RFC says FORMERR). */
static void test_truncated_macs(void **state)
{
	static const struct {
		const char *key, *alg;
		int mac_size, rcode;
	} c[] = {
		{ "tk2.", "hmac-sha256.", 16, RCODE_NOERROR },
		{ "tk2.", "hmac-sha256.", 15, RCODE_NOTAUTH },
		{ "tk2.", "hmac-sha256.", 33, RCODE_NOTAUTH },
		{ "tk0.", "hmac-sha1.", 10, RCODE_NOERROR },
		{ "tk0.", "hmac-sha1.", 9, RCODE_NOTAUTH },
		{ "tk0.", "hmac-sha1.", 0, RCODE_NOTAUTH },
	};
	const EVP_MD *md;
	uint8_t req[1024];
	struct wire_tsig t;
	size_t i, len;

	(void)state;
	fixed_now = 1800000000;
	config.tsig_clock = test_clock;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		md = c[i].key[2] == '2' ? EVP_sha256() : EVP_sha1();
		len = hand_signed_query(req, c[i].key, md, c[i].alg, fixed_now,
					(size_t)c[i].mac_size, PLAIN);
		ask(req, len, QUERY_UDP);
		assert_int_equal(q.rcode, c[i].rcode);
		if (c[i].rcode == RCODE_NOERROR) {
			struct wire_tsig rq;

			answer_tsig(&t);
			assert_int_equal(t.error, 0);
			assert_int_equal(tsig_find(&rq, req, len), 0);
			assert_int_equal(tsig_verify_response(q.tsig_key, rq.mac, rq.mac_size,
							      test_resp, test_resp_len,
							      fixed_now), 0);
		} else {
			answer_tsig(&t);
			assert_int_equal(t.error, TSIG_BADSIG);
			assert_int_equal(t.mac_size, 0);
		}
	}
}

/* RFC 8945 section 5.1 and 4.2: a TSIG not last, two of them, class not ANY, TTL not 0,
 * or a compressed owner: FORMERR. */
static void test_formerr(void **state)
{
	static const enum tweak tw[] = { CLASS_IN, TTL_1, OPT_AFTER, TWO_TSIGS, COMPRESSED };
	uint8_t req[1024];
	size_t i, len;

	(void)state;
	fixed_now = 1800000000;
	config.tsig_clock = test_clock;
	for (i = 0; i < sizeof(tw) / sizeof(tw[0]); i++) {
		len = hand_signed_query(req, "tk2.", EVP_sha256(), "hmac-sha256.", fixed_now, 32,
					tw[i]);
		ask(req, len, QUERY_UDP);
		assert_int_equal(q.rcode, RCODE_FORMERR);
		assert_int_equal(q.tsig_result, QUERY_TSIG_NONE);
	}
}

/* wire.c reads every field of a TSIG (RFC 8945 section 4.2): a 48-bit time, the MAC, the
 * Original ID, Error and Other Data; the names lowercased; RDATA that is longer or shorter
 * than its fields is FORMERR. */
static void test_wire_fields(void **state)
{
	static const uint8_t tsig_rr[] = {
		2, 'T', 'k', 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 27,
		4, 'H', 'm', 'A', 'c', 0,                  /* algorithm "hmac." */
		0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0, 7,  /* time 2^32 + 2, fudge 7 */
		0, 3, 0xaa, 0xbb, 0xcc,                    /* MAC */
		0x43, 0x21, 0, 18, 0, 2, 0x12, 0x34,       /* original ID, BADTIME, other */
	};
	uint8_t req[512];
	struct wire_query w;
	size_t len = test_make_query(req, sizeof(req), "www.example.test.", LDNS_RR_TYPE_A,
				     LDNS_RR_CLASS_IN, 0, false);

	(void)state;
	memcpy(req + len, tsig_rr, sizeof(tsig_rr));
	dns_write16(req + DNS_OFF_ARCOUNT, 1);
	assert_int_equal(wire_parse_query(&w, req, len + sizeof(tsig_rr)), RCODE_NOERROR);
	assert_true(w.tsig.present);
	assert_int_equal(w.tsig.offset, len);
	assert_memory_equal(w.tsig.key_name, "\2tk", 4);
	assert_memory_equal(w.tsig.alg_name, "\4hmac", 6);
	assert_int_equal(w.tsig.time_signed, 0x100000002ull);
	assert_int_equal(w.tsig.fudge, 7);
	assert_int_equal(w.tsig.mac_size, 3);
	assert_int_equal(w.tsig.mac[2], 0xcc);
	assert_int_equal(w.tsig.original_id, 0x4321);
	assert_int_equal(w.tsig.error, TSIG_BADTIME);
	assert_int_equal(w.tsig.other_len, 2);
	assert_int_equal(w.tsig.other[1], 0x34);
	/* One byte more in the RDATA than its fields, or Other Len past the RDATA. */
	req[len + 13] = 28;
	req[len + sizeof(tsig_rr)] = 0;
	assert_int_equal(wire_parse_query(&w, req, len + sizeof(tsig_rr) + 1), RCODE_FORMERR);
	req[len + 13] = 27;
	req[len + sizeof(tsig_rr) - 3] = 3;
	assert_int_equal(wire_parse_query(&w, req, len + sizeof(tsig_rr)), RCODE_FORMERR);
	/* ARCOUNT promising a record that is not there; then none at all: no TSIG. */
	assert_int_equal(wire_parse_query(&w, req, len), RCODE_FORMERR);
	dns_write16(req + DNS_OFF_ARCOUNT, 0);
	assert_int_equal(wire_parse_query(&w, req, len), RCODE_NOERROR);
	assert_false(w.tsig.present);
}

/* BADKEY (unknown key, wrong algorithm) and BADSIG: NOTAUTH with an unsigned TSIG
 * naming the request's key (RFC 8945 sections 5.2.1, 5.2.2, 5.3.2). */
static void test_badkey_badsig(void **state)
{
	uint8_t req[1024];
	struct wire_tsig t;
	size_t len;

	(void)state;
	fixed_now = 1800000000;
	config.tsig_clock = test_clock;
	len = hand_signed_query(req, "nokey.", EVP_sha256(), "hmac-sha256.", fixed_now, 32, PLAIN);
	ask(req, len, QUERY_UDP);
	assert_int_equal(q.rcode, RCODE_NOTAUTH);
	assert_int_equal(DNS_RCODE(dns_read16(test_resp + 2)), RCODE_NOTAUTH);
	assert_null(q.tsig_key);
	answer_tsig(&t);
	assert_int_equal(t.error, TSIG_BADKEY);
	assert_int_equal(t.mac_size, 0);
	assert_memory_equal(t.key_name, "\5nokey", 7);
	assert_int_equal(dns_read16(test_resp + DNS_OFF_ANCOUNT), 0);

	/* tk2 is an hmac-sha256 key: signed as sha1, it is BADKEY. */
	len = hand_signed_query(req, "tk2.", EVP_sha1(), "hmac-sha1.", fixed_now, 20, PLAIN);
	ask(req, len, QUERY_UDP);
	answer_tsig(&t);
	assert_int_equal(t.error, TSIG_BADKEY);

	len = hand_signed_query(req, "tk2.", EVP_sha256(), "hmac-sha256.", fixed_now, 32, PLAIN);
	req[len - 10] ^= 0x40; /* in the MAC */
	ask(req, len, QUERY_UDP);
	assert_int_equal(q.rcode, RCODE_NOTAUTH);
	assert_null(q.tsig_key);
	answer_tsig(&t);
	assert_int_equal(t.error, TSIG_BADSIG);
	assert_int_equal(t.mac_size, 0);
}

/* BADTIME: NOTAUTH, signed over the request's MAC, the request's Time Signed, our time in
 * Other Data (RFC 8945 section 5.2.3); at the edge of the fudge it still verifies. */
static void test_badtime(void **state)
{
	uint8_t req[1024];
	struct wire_tsig t, rq;
	uint64_t other;
	size_t len;

	(void)state;
	config.tsig_clock = test_clock;
	fixed_now = 1800000000;
	len = hand_signed_query(req, "tk2.", EVP_sha256(), "hmac-sha256.", fixed_now - 300, 32,
				PLAIN);
	ask(req, len, QUERY_UDP);
	assert_int_equal(q.rcode, RCODE_NOERROR);
	len = hand_signed_query(req, "tk2.", EVP_sha256(), "hmac-sha256.", fixed_now - 301, 32,
				PLAIN);
	ask(req, len, QUERY_UDP);
	assert_int_equal(q.rcode, RCODE_NOTAUTH);
	assert_null(q.tsig_key);
	answer_tsig(&t);
	assert_int_equal(t.error, TSIG_BADTIME);
	assert_int_equal(t.time_signed, fixed_now - 301);
	assert_int_equal(t.other_len, 6);
	other = ((uint64_t)dns_read16(t.other) << 32) | dns_read32(t.other + 2);
	assert_int_equal(other, fixed_now);
	assert_int_equal(t.mac_size, 32);
	/* Signed with the key: our verifier reports the error only once the MAC checked. */
	assert_int_equal(tsig_find(&rq, req, len), 0);
	assert_int_equal(tsig_verify_response(tsig_keyring_find(db->tsig, (const uint8_t *)"\3tk2",
								 5),
					      rq.mac, rq.mac_size, test_resp, test_resp_len,
					      fixed_now), TSIG_BADTIME);
	test_resp[t.offset - 1] ^= 1;
	assert_int_equal(tsig_verify_response(tsig_keyring_find(db->tsig, (const uint8_t *)"\3tk2",
								 5),
					      rq.mac, rq.mac_size, test_resp, test_resp_len,
					      fixed_now), TSIG_BADSIG);
}

/* A UDP answer that does not fit is cut to its bare form with TC, and still signed; the
 * room for the TSIG was kept (RFC 8945 section 5.3). */
static void test_truncated_answer_signed(void **state)
{
	uint8_t req[512];
	size_t len, i;
	int alg;

	(void)state;
	config.tsig_clock = NULL;
	for (i = 0; i < LDNS_ALGS; i++) {
		alg = ldns_algs[i];
		len = ldns_signed_query(req, "big.example.test.", LDNS_RR_TYPE_TXT, alg, 0);
		ask(req, len, QUERY_UDP);
		assert_true(q.tc);
		assert_true(test_resp_len <= 512);
		assert_true(dns_read16(test_resp + 2) & DNS_FLAG_TC);
		assert_true(ldns_verifies(test_resp, test_resp_len, req, len, alg));
		/* Rate limiting's slip cuts a signed answer again: still signed. */
		len = ldns_signed_query(req, "www.example.test.", LDNS_RR_TYPE_A, alg, 1232);
		ask(req, len, QUERY_UDP);
		assert_false(q.tc);
		test_resp_len = query_truncate(&q, test_resp);
		assert_true(q.tc);
		assert_true(ldns_verifies(test_resp, test_resp_len, req, len, alg));
	}
}

/* A transfer's messages signed by tsig_stream_sign(), each checked by ldns: the first over
 * the request MAC with every variable, the later ones over the previous MAC with the
 * timers only (RFC 8945 section 5.3.1). Then our own verifier accepts the stream. */
static void test_stream(void **state)
{
	const struct tsig_key *key = tsig_keyring_find(db->tsig, (const uint8_t *)"\3tk2", 5);
	uint8_t req[512], msg[3][1024], *wire = NULL;
	size_t len, mlen[3], i, wl;
	ldns_rdf *prev;
	ldns_pkt *rq = NULL;
	struct wire_tsig t;
	struct tsig_stream st, check;

	(void)state;
	len = ldns_signed_query(req, "example.test.", LDNS_RR_TYPE_AXFR, 2, 0);
	assert_int_equal(ldns_wire2pkt(&rq, req, len), LDNS_STATUS_OK);
	assert_int_equal(tsig_find(&t, req, len), 0);
	tsig_stream_start(&st, key, t.mac, t.mac_size);
	for (i = 0; i < 3; i++) {
		ldns_pkt *p = NULL;

		assert_int_equal(ldns_pkt_query_new_frm_str(&p, "example.test.", LDNS_RR_TYPE_AXFR,
							    LDNS_RR_CLASS_IN, 0), LDNS_STATUS_OK);
		ldns_pkt_set_qr(p, true);
		ldns_pkt_set_id(p, 0x4242);
		assert_int_equal(ldns_pkt2wire(&wire, p, &wl), LDNS_STATUS_OK);
		memcpy(msg[i], wire, wl);
		free(wire);
		ldns_pkt_free(p);
		assert_int_equal(tsig_stream_sign(&st, msg[i], wl, sizeof(msg[i]), &mlen[i]), 0);
	}
	prev = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(rq), 3));
	for (i = 0; i < 3; i++) {
		ldns_pkt *a = NULL;

		assert_int_equal(ldns_wire2pkt(&a, msg[i], mlen[i]), LDNS_STATUS_OK);
		assert_true(ldns_pkt_tsig_verify_next(a, msg[i], mlen[i], "tk2.", SECRET, prev,
						      i > 0));
		/* Not with the other rule: the first is not timers only, the rest are. */
		assert_false(ldns_pkt_tsig_verify_next(a, msg[i], mlen[i], "tk2.", SECRET, prev,
						       i == 0));
		ldns_rdf_deep_free(prev);
		prev = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(a), 3));
		ldns_pkt_free(a);
	}
	ldns_rdf_deep_free(prev);
	ldns_pkt_free(rq);

	tsig_stream_start(&check, key, t.mac, t.mac_size);
	for (i = 0; i < 3; i++)
		assert_int_equal(tsig_stream_verify(&check, msg[i], mlen[i]), 0);
	assert_int_equal(tsig_stream_finish(&check), 0);
	/* Out of order: the second message does not follow the first's MAC chain. */
	tsig_stream_start(&check, key, t.mac, t.mac_size);
	assert_int_equal(tsig_stream_verify(&check, msg[1], mlen[1]), TSIG_BADSIG);
}

/* Unsigned messages between signed ones: covered by the next MAC, up to 99 in a row
 * (RFC 8945 section 5.3.1); the first and the last must be signed. */
static void test_stream_unsigned(void **state)
{
	const struct tsig_key *key = tsig_keyring_find(db->tsig, (const uint8_t *)"\3tk2", 5);
	static const uint8_t bare[] = { 0x42, 0x42, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t reqmac[32] = { 1 }, first[256], last[256], mac[EVP_MAX_MD_SIZE];
	uint8_t buf[8192], sz[2];
	size_t flen, llen, n;
	unsigned ml, i, run;
	struct tsig_stream st;
	struct wire_tsig t;

	(void)state;
	fixed_now = (uint64_t)time(NULL);
	for (run = 98; run <= 100; run++) {
		uint8_t secret[64];
		size_t sl = (size_t)EVP_DecodeBlock(secret, (const unsigned char *)SECRET, 44) - 1;

		tsig_stream_start(&st, key, reqmac, sizeof(reqmac));
		memcpy(first, bare, sizeof(bare));
		assert_int_equal(tsig_stream_sign(&st, first, sizeof(bare), sizeof(first), &flen),
				 0);
		/* The last message, signed in the test over the first's MAC, run unsigned
		 * messages and itself, then the timers. */
		assert_int_equal(tsig_find(&t, first, flen), 0);
		n = 0;
		dns_write16(sz, t.mac_size);
		memcpy(buf + n, sz, 2);
		n += 2;
		memcpy(buf + n, t.mac, t.mac_size);
		n += t.mac_size;
		for (i = 0; i < run; i++) {
			memcpy(buf + n, bare, sizeof(bare));
			n += sizeof(bare);
		}
		memcpy(buf + n, bare, sizeof(bare));
		n += sizeof(bare);
		dns_write16(buf + n, 0);
		dns_write32(buf + n + 2, (unsigned long)fixed_now);
		dns_write16(buf + n + 6, 300);
		n += 8;
		HMAC(EVP_sha256(), secret, (int)sl, buf, n, mac, &ml);
		/* Its TSIG: the first's with the new MAC and time. */
		memcpy(last, first, flen);
		llen = flen;
		assert_int_equal(tsig_find(&t, last, llen), 0);
		memcpy(last + (t.mac - last), mac, ml);
		dns_write32(last + (t.mac - last) - 8, (unsigned long)fixed_now);

		tsig_stream_start(&st, key, reqmac, sizeof(reqmac));
		assert_int_equal(tsig_stream_verify(&st, first, flen), 0);
		for (i = 0; i < run && i < TSIG_STREAM_MAX_UNSIGNED; i++)
			assert_int_equal(tsig_stream_verify(&st, bare, sizeof(bare)), 1);
		assert_int_equal(tsig_stream_finish(&st), TSIG_BADSIG);
		if (run > TSIG_STREAM_MAX_UNSIGNED) {
			assert_int_equal(tsig_stream_verify(&st, bare, sizeof(bare)), TSIG_BADSIG);
			continue;
		}
		assert_int_equal(tsig_stream_verify(&st, last, llen), 0);
		assert_int_equal(tsig_stream_finish(&st), 0);
	}
	/* An unsigned first message is refused. */
	tsig_stream_start(&st, key, reqmac, sizeof(reqmac));
	assert_int_equal(tsig_stream_verify(&st, bare, sizeof(bare)), TSIG_BADSIG);
}

/* A request we sign (a NOTIFY) verifies with ldns; ldns signs the answer over our MAC and
 * tsig_verify_response() accepts it, and refuses it changed. */
static void test_request_response(void **state)
{
	const struct tsig_key *key = tsig_keyring_find(db->tsig, (const uint8_t *)"\3tk2", 5);
	uint8_t req[512], mac[HMAC_MAX_SIZE], *wire = NULL;
	size_t len, signed_len, mac_len, wl;
	ldns_pkt *p = NULL;
	ldns_rdf *rmac;

	(void)state;
	len = test_make_query(req, sizeof(req), "example.test.", LDNS_RR_TYPE_SOA,
			      LDNS_RR_CLASS_IN, 0, false);
	assert_int_equal(tsig_sign_request(key, req, len, sizeof(req), (uint64_t)time(NULL), mac,
					   &mac_len, &signed_len), 0);
	assert_int_equal(tsig_sign_request(key, req, len, len + 20, (uint64_t)time(NULL), mac,
					   &mac_len, &wl), -ENOSPC);
	assert_int_equal(ldns_wire2pkt(&p, req, signed_len), LDNS_STATUS_OK);
	assert_true(ldns_pkt_tsig_verify(p, req, signed_len, "tk2.", SECRET, NULL));
	rmac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(p), 3));
	ldns_rr_free(ldns_pkt_tsig(p));
	ldns_pkt_set_tsig(p, NULL);
	ldns_pkt_set_qr(p, true);
	assert_int_equal(ldns_pkt_tsig_sign(p, "tk2.", SECRET, 300, "hmac-sha256.", rmac),
			 LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt2wire(&wire, p, &wl), LDNS_STATUS_OK);
	assert_int_equal(tsig_verify_response(key, mac, mac_len, wire, wl, (uint64_t)time(NULL)),
			 0);
	assert_int_equal(tsig_verify_response(key, mac, mac_len, wire, wl,
					      (uint64_t)time(NULL) + 1000), TSIG_BADTIME);
	wire[3] ^= 1;
	assert_int_equal(tsig_verify_response(key, mac, mac_len, wire, wl, (uint64_t)time(NULL)),
			 TSIG_BADSIG);
	/* An unsigned answer is not accepted; one whose counts promise a TSIG that is not
	 * there is malformed. */
	assert_int_equal(tsig_verify_response(key, mac, mac_len, req, len, (uint64_t)time(NULL)),
			 RCODE_FORMERR);
	len = test_make_query(req, sizeof(req), "example.test.", LDNS_RR_TYPE_SOA,
			      LDNS_RR_CLASS_IN, 0, false);
	assert_int_equal(tsig_verify_response(key, mac, mac_len, req, len, (uint64_t)time(NULL)),
			 TSIG_BADSIG);
	free(wire);
	ldns_rdf_deep_free(rmac);
	ldns_pkt_free(p);
}

/* The query log's ending and the counters. */
static void test_log_and_stats(void **state)
{
	uint8_t req[1024];
	char line[512];
	struct stats s;
	size_t len;

	(void)state;
	memset(&s, 0, sizeof(s));
	config.tsig_clock = test_clock;
	fixed_now = 1800000000;
	len = hand_signed_query(req, "tk2.", EVP_sha256(), "hmac-sha256.", fixed_now, 32, PLAIN);
	ask(req, len, QUERY_UDP);
	query_format_log(&q, line, sizeof(line));
	assert_non_null(strstr(line, "NOERROR"));
	assert_string_equal(line + strlen(line) - 5, " TSIG");
	stats_count_tsig(&s, q.tsig_result);
	len = hand_signed_query(req, "nokey.", EVP_sha256(), "hmac-sha256.", fixed_now, 32, PLAIN);
	ask(req, len, QUERY_UDP);
	query_format_log(&q, line, sizeof(line));
	assert_non_null(strstr(line, " NOTAUTH "));
	assert_string_equal(line + strlen(line) - 12, " TSIG:BADKEY");
	stats_count_tsig(&s, q.tsig_result);
	len = test_make_query(req, sizeof(req), "www.example.test.", LDNS_RR_TYPE_A,
			      LDNS_RR_CLASS_IN, 0, false);
	ask(req, len, QUERY_UDP);
	query_format_log(&q, line, sizeof(line));
	assert_null(strstr(line, "TSIG"));
	stats_count_tsig(&s, q.tsig_result);
	stats_format(&s, line, sizeof(line), " ");
	assert_non_null(strstr(line, " tsig-valid=1 tsig-bad=1"));
}

/* Counts OpenSSL's allocations (CRYPTO_set_mem_functions, set before any). */
static unsigned long crypto_allocs;

static void *count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	crypto_allocs++;
	return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	crypto_allocs++;
	return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/* Verifying and signing allocate nothing once set up: not in dualns, not in OpenSSL. */
static void test_no_allocation(void **state)
{
	const struct tsig_key *key = tsig_keyring_find(db->tsig, (const uint8_t *)"\3tk2", 5);
	uint8_t reqs[HMAC_ALGS][1024], msg[1024];
	size_t lens[HMAC_ALGS], out;
	unsigned long before;
	struct tsig_stream st;
	int alg, i;

	(void)state;
	config.tsig_clock = NULL;
	for (alg = 0; alg < HMAC_ALGS; alg++)
		lens[alg] = hand_signed_query(reqs[alg], key_names[alg], mds[alg](), alg_names[alg],
					      (uint64_t)time(NULL), hmac_size((enum hmac_alg)alg),
					      PLAIN);
	query_init(&q, &config);
	before = crypto_allocs;
	failalloc_start(0);
	for (i = 0; i < 20; i++) {
		for (alg = 0; alg < HMAC_ALGS; alg++) {
			test_resp_len = test_query(&q, db, QUERY_UDP, reqs[alg], lens[alg], test_resp,
						   sizeof(test_resp));
			assert_int_equal(q.tsig_result, 0);
		}
		tsig_stream_start(&st, key, reqs[2], 32);
	}
	assert_int_equal(failalloc_stop(), 0);
	assert_int_equal(crypto_allocs, before);
	memset(msg, 0, DNS_HEADER_SIZE);
	before = crypto_allocs;
	failalloc_start(0);
	for (i = 0; i < 20; i++)
		assert_int_equal(tsig_stream_sign(&st, msg, DNS_HEADER_SIZE, sizeof(msg), &out), 0);
	assert_int_equal(failalloc_stop(), 0);
	assert_int_equal(crypto_allocs, before);
	/* The counter does see OpenSSL's allocations. */
	EVP_MD_CTX_free(EVP_MD_CTX_new());
	assert_true(crypto_allocs > before);
}

static int setup(void **state)
{
	char err[256], name[16];
	int alg;

	(void)state;
	db = test_load_db("example.test.zone", NULL);
	assert_non_null(db);
	db->tsig = tsig_keyring_new();
	for (alg = 0; alg < HMAC_ALGS; alg++) {
		snprintf(name, sizeof(name), "tk%d", alg);
		assert_int_equal(tsig_keyring_add(db->tsig, name, alg_names[alg], SECRET, err,
						  sizeof(err)), 0);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_vectors),
		cmocka_unit_test(test_keyring),
		cmocka_unit_test(test_ldns_both_ways),
		cmocka_unit_test(test_hand_signed),
		cmocka_unit_test(test_truncated_macs),
		cmocka_unit_test(test_formerr),
		cmocka_unit_test(test_wire_fields),
		cmocka_unit_test(test_badkey_badsig),
		cmocka_unit_test(test_badtime),
		cmocka_unit_test(test_truncated_answer_signed),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_unsigned),
		cmocka_unit_test(test_request_response),
		cmocka_unit_test(test_log_and_stats),
		cmocka_unit_test(test_no_allocation),
	};

	if (!CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free))
		return 1;
	log_init("test_tsig", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, setup, teardown);
}
