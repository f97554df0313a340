/* SPDX-License-Identifier: BSD-3-Clause */
/* test_encode.c: name compression and RRset-atomic writing at the exact byte limit. */
#include "testutil.h"

#include "encode.h"

/* One RRset built by hand: records in the db's layout [rdlen][name off x2][rdata]. */
static uint8_t rrdata[1024];

static struct rrset make_rrset(uint16_t type, const uint8_t *rdata, size_t rdlen, unsigned count,
			       uint16_t name_off)
{
	struct rrset s = { .type = type, .count = (uint16_t)count, .ttl = 300, .rclass = DNS_CLASS_IN,
			  .data = rrdata };
	size_t pos = 0;
	unsigned i;

	for (i = 0; i < count; i++) {
		dns_write16(rrdata + pos, (unsigned)rdlen);
		dns_write16(rrdata + pos + 2, name_off);
		dns_write16(rrdata + pos + 4, RR_NAME_NONE);
		memcpy(rrdata + pos + 6, rdata, rdlen);
		pos += 6 + rdlen;
	}
	s.data_len = (uint32_t)pos;
	return s;
}

static const uint8_t qname[] = "\3www\7example\4test";   /* 18 bytes with the root */

/* A header and question for www.example.test A, as query.c leaves them. */
static size_t start(uint8_t *buf)
{
	memset(buf, 0, 12);
	memcpy(buf + 12, qname, sizeof(qname));
	memcpy(buf + 12 + sizeof(qname), "\0\1\0\1", 4);
	return 12 + sizeof(qname) + 4;
}

static void test_owner_compressed_to_question(void **state)
{
	uint8_t buf[512];
	struct encoder e;
	const uint8_t a[4] = { 192, 0, 2, 1 };
	struct rrset s = make_rrset(DNS_TYPE_A, a, 4, 2, RR_NAME_NONE);
	size_t len = start(buf);

	(void)state;
	encode_init(&e, buf, len, sizeof(buf), qname);
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), 0);
	/* Each owner is a 2-byte pointer to offset 12: 2 + 10 + 4 bytes a record. */
	assert_int_equal(e.len, len + 2 * 16);
	assert_int_equal(buf[len], 0xc0);
	assert_int_equal(buf[len + 1], 12);
	assert_int_equal(e.count[SECTION_ANSWER], 2);
}

/* The answer's owner is usually the request's own qname pointer: written as a pointer to
 * the question without a search, it must come out exactly as a copy of the same name
 * (in another case) does through the search, and keep to the limit the same way. */
static void test_owner_is_question_source(void **state)
{
	uint8_t buf1[512], buf2[512], copy[sizeof(qname)];
	struct encoder e1, e2;
	const uint8_t a[4] = { 192, 0, 2, 1 };
	const uint8_t root[1] = { 0 };
	struct rrset s = make_rrset(DNS_TYPE_A, a, 4, 2, RR_NAME_NONE);
	size_t len = start(buf1);

	(void)state;
	start(buf2);
	memcpy(copy, qname, sizeof(qname));
	copy[1] = 'W';
	encode_init(&e1, buf1, len, sizeof(buf1), qname);
	encode_init(&e2, buf2, len, sizeof(buf2), qname);
	assert_int_equal(encode_rrset(&e1, SECTION_ANSWER, qname, sizeof(qname), &s, 300), 0);
	assert_int_equal(encode_rrset(&e2, SECTION_ANSWER, copy, sizeof(copy), &s, 300), 0);
	assert_int_equal(e1.len, e2.len);
	assert_memory_equal(buf1, buf2, e1.len);
	assert_int_equal(e1.comp_count, e2.comp_count);

	/* One byte short of the first record: nothing stays. */
	encode_init(&e1, buf1, len, len + 2 + 10 + 4 - 1, qname);
	assert_int_equal(encode_rrset(&e1, SECTION_ANSWER, qname, sizeof(qname), &s, 300), -ENOSPC);
	assert_int_equal(e1.len, len);

	/* A question for the root: its owner is the one zero byte, never a pointer. */
	memset(buf1, 0, 12);
	memcpy(buf1 + 12, "\0\0\1\0\1", 5);
	encode_init(&e1, buf1, 17, sizeof(buf1), root);
	assert_int_equal(encode_rrset(&e1, SECTION_ANSWER, root, 1, &s, 300), 0);
	assert_int_equal(buf1[17], 0);
	assert_int_equal(dns_read16(buf1 + 18), DNS_TYPE_A);
}

static void test_case_insensitive_suffix(void **state)
{
	uint8_t buf[512];
	struct encoder e;
	const uint8_t owner[] = "\4mail\7EXAMPLE\4Test";
	const uint8_t a[4] = { 192, 0, 2, 25 };
	struct rrset s = make_rrset(DNS_TYPE_A, a, 4, 1, RR_NAME_NONE);
	size_t len = start(buf);

	(void)state;
	encode_init(&e, buf, len, sizeof(buf), qname);
	assert_int_equal(encode_rrset(&e, SECTION_ADDITIONAL, owner, sizeof(owner), &s, 300), 0);
	/* "mail" then a pointer to "example.test" at offset 16 (RFC 1035 4.1.4; case folds). */
	assert_memory_equal(buf + len, "\4mail\xc0\x10", 7);
}

static void test_rdata_name_compressed(void **state)
{
	uint8_t buf[512];
	struct encoder e;
	const uint8_t mx[] = "\0\12\4mail\7example\4test";  /* preference 10, exchange */
	struct rrset s = make_rrset(DNS_TYPE_MX, mx, sizeof(mx), 1, 2);
	size_t len = start(buf);
	ldns_pkt *p = NULL;

	(void)state;
	encode_init(&e, buf, len, sizeof(buf), qname);
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), 0);
	/* owner ptr 2, fixed 10, preference 2, "mail" 5, ptr 2: RDLENGTH 9 */
	assert_int_equal(e.len, len + 2 + 10 + 9);
	assert_int_equal(dns_read16(buf + len + 10), 9);
	/* And ldns reads the compressed message back to the same exchange. */
	buf[5] = 1; buf[7] = 1;
	assert_int_equal(ldns_wire2pkt(&p, buf, e.len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
}

/* Names written as labels then a pointer are compression targets too, every suffix of
 * them: a referral's glue owner becomes one pointer to the NS target written before it,
 * and a sibling of that target points into it. */
static void test_suffixes_of_compressed_names(void **state)
{
	uint8_t buf[512];
	struct encoder e;
	const uint8_t cut[] = "\3sub\7example\4test";
	const uint8_t ns[] = "\3ns1\3sub\7example\4test";
	const uint8_t glue1[] = "\3NS1\3sub\7example\4test";
	const uint8_t glue2[] = "\3ns2\3SUB\7example\4test";
	const uint8_t apex[] = "\7EXAMPLE\4test";
	const uint8_t a[4] = { 192, 0, 2, 53 };
	struct rrset s_ns = make_rrset(DNS_TYPE_NS, ns, sizeof(ns), 1, 0);
	struct rrset s_a;
	size_t len = start(buf), at_cut, at_ns, at;
	ldns_pkt *p = NULL;

	(void)state;
	encode_init(&e, buf, len, sizeof(buf), qname);
	assert_int_equal(encode_rrset(&e, SECTION_AUTHORITY, cut, sizeof(cut), &s_ns, 300), 0);
	at_cut = len;                                   /* "sub" + pointer to example.test */
	assert_memory_equal(buf + at_cut, "\3sub\xc0\x10", 6);
	at_ns = at_cut + 6 + 10;                        /* RDATA: "ns1" + pointer to sub... */
	assert_memory_equal(buf + at_ns, "\3ns1\xc0", 5);
	assert_int_equal(buf[at_ns + 5], at_cut);

	s_a = make_rrset(DNS_TYPE_A, a, 4, 1, RR_NAME_NONE);
	at = e.len;
	assert_int_equal(encode_rrset(&e, SECTION_ADDITIONAL, glue1, sizeof(glue1), &s_a, 300), 0);
	assert_int_equal(buf[at], 0xc0);                /* the whole name: one pointer */
	assert_int_equal(buf[at + 1], at_ns);
	at = e.len;
	assert_int_equal(encode_rrset(&e, SECTION_ADDITIONAL, glue2, sizeof(glue2), &s_a, 300), 0);
	assert_memory_equal(buf + at, "\3ns2\xc0", 5);  /* "ns2" + pointer to sub... */
	assert_int_equal(buf[at + 5], at_cut);
	at = e.len;
	assert_int_equal(encode_rrset(&e, SECTION_ADDITIONAL, apex, sizeof(apex), &s_a, 300), 0);
	assert_memory_equal(buf + at, "\xc0\x10", 2);   /* a suffix of the question */

	buf[5] = 1; buf[9] = 1; buf[11] = 3;            /* QDCOUNT 1, NSCOUNT 1, ARCOUNT 3 */
	assert_int_equal(ldns_wire2pkt(&p, buf, e.len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
}

/* The exact byte boundary: a limit equal to the size fits, one byte less does not, and a
 * failed RRset leaves nothing behind. */
static void test_exact_limit(void **state)
{
	uint8_t buf[2048];
	struct encoder e;
	uint8_t txt[101];
	struct rrset s;
	size_t len, whole;

	(void)state;
	txt[0] = 100;
	memset(txt + 1, 'x', 100);
	s = make_rrset(DNS_TYPE_TXT, txt, sizeof(txt), 8, RR_NAME_NONE);
	len = start(buf);
	encode_init(&e, buf, len, sizeof(buf), qname);
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), 0);
	whole = e.len;
	assert_int_equal(whole, len + 8 * (2 + 10 + 101));

	encode_init(&e, buf, len, whole, qname);
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), 0);
	assert_int_equal(e.len, whole);

	encode_init(&e, buf, len, whole - 1, qname);
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), -ENOSPC);
	assert_int_equal(e.len, len);                       /* rolled back */
	assert_int_equal(e.count[SECTION_ANSWER], 0);
	assert_int_equal(e.comp_count, 3);                  /* only the question's suffixes */
}

static void test_comp_table_rollback(void **state)
{
	uint8_t buf[512];
	struct encoder e;
	const uint8_t ns[] = "\3ns1\3sub\7example\4test";
	struct rrset s = make_rrset(DNS_TYPE_NS, ns, sizeof(ns), 1, 0);
	size_t len = start(buf);

	(void)state;
	/* Room for the owner and fixed part but not the RDATA: the names the failed
	 * attempt entered into the table must go, or later names would point past the end. */
	encode_init(&e, buf, len, len + 2 + 10 + 3, qname);
	assert_int_equal(encode_rrset(&e, SECTION_AUTHORITY, ns + 4, sizeof(ns) - 4, &s, 300), -ENOSPC);
	assert_int_equal(e.comp_count, 3);
	assert_int_equal(e.len, len);
}

/* The pointer log (prebuilt.c's): the offset of every compression pointer written, in
 * the owners and in the RDATA; what a failed RRset wrote leaves it with the rollback. */
static void test_ptr_log(void **state)
{
	uint8_t buf[512];
	uint16_t log[64];
	struct encoder e;
	const uint8_t mx[] = "\0\12\4mail\7example\4test";
	struct rrset s = make_rrset(DNS_TYPE_MX, mx, sizeof(mx), 2, 2);
	size_t len = start(buf), i;

	(void)state;
	encode_init(&e, buf, len, sizeof(buf), qname);
	assert_null(e.ptr_log);
	e.ptr_log = log;
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), 0);
	/* Two records: each an owner pointer and an exchange ending in a pointer. */
	assert_int_equal(e.ptr_count, 4);
	for (i = 0; i < e.ptr_count; i++)
		assert_int_equal(buf[log[i]] & 0xc0, 0xc0);
	assert_int_equal(log[0], len);
	/* The same again, with room for one record only: nothing of it is logged. */
	e.limit = e.len + 20;
	assert_int_equal(encode_rrset(&e, SECTION_ANSWER, qname, sizeof(qname), &s, 300), -ENOSPC);
	assert_int_equal(e.ptr_count, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_compressed_to_question),
		cmocka_unit_test(test_owner_is_question_source),
		cmocka_unit_test(test_case_insensitive_suffix),
		cmocka_unit_test(test_rdata_name_compressed),
		cmocka_unit_test(test_suffixes_of_compressed_names),
		cmocka_unit_test(test_exact_limit),
		cmocka_unit_test(test_comp_table_rollback),
		cmocka_unit_test(test_ptr_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
