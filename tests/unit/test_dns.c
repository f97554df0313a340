/* SPDX-License-Identifier: BSD-3-Clause */
/* test_dns.c: the shared protocol vocabulary in dns.h: header and OPT field layout, the
 * header accessors, the wire-name comparisons the server and dualq both use, and serial
 * number arithmetic. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dns.h"

#define NAME(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define EXAMPLE_COM 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0

/* Opcode and RCODE are the bits RFC 1035 section 4.1.1 gives them, whatever the others. */
static void test_header_fields(void **state)
{
	(void)state;
	assert_int_equal(DNS_OPCODE(0xffff & ~DNS_OPCODE_MASK), 0);
	assert_int_equal(DNS_OPCODE(DNS_FLAG_QR | (2u << 11) | DNS_FLAG_RD), 2);  /* STATUS */
	assert_int_equal(DNS_OPCODE(DNS_OPCODE_MASK), 15);
	assert_int_equal(DNS_RCODE(DNS_FLAG_QR | DNS_FLAG_AA | RCODE_NXDOMAIN), RCODE_NXDOMAIN);
	assert_int_equal(DNS_RCODE(0xfff0), 0);
	/* Every flag bit lies outside the opcode and RCODE fields. */
	assert_int_equal((DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_TC | DNS_FLAG_RD | DNS_FLAG_RA |
			  DNS_FLAG_Z | DNS_FLAG_AD | DNS_FLAG_CD) & (DNS_OPCODE_MASK | DNS_RCODE_MASK), 0);
	assert_int_equal(DNS_OFF_ARCOUNT + 2, DNS_HEADER_SIZE);
}

/* An OPT record laid out with the shared offsets reads back as RFC 6891 section 6.1.2 says. */
static void test_opt_layout(void **state)
{
	static const uint8_t expect[EDNS_OPT_RR_SIZE] = {
		0,              /* root owner */
		0, 41,          /* TYPE OPT */
		0x04, 0xd0,     /* UDP payload size 1232 */
		0, 0, 0x80, 0,  /* extended RCODE 0, version 0, DO */
		0, 0,           /* RDLENGTH */
	};
	uint8_t opt[EDNS_OPT_RR_SIZE] = { 0 };

	(void)state;
	dns_write16(opt + 1 + DNS_RR_OFF_TYPE, DNS_TYPE_OPT);
	dns_write16(opt + 1 + DNS_RR_OFF_CLASS, DNS_UDP_DEFAULT);
	dns_write32(opt + 1 + DNS_RR_OFF_TTL, EDNS_FLAG_DO);
	dns_write16(opt + 1 + DNS_RR_OFF_RDLENGTH, 0);
	assert_memory_equal(opt, expect, sizeof(expect));
	assert_int_equal(dns_read32(opt + 1 + DNS_RR_OFF_TTL) & EDNS_FLAG_DO, EDNS_FLAG_DO);
	assert_int_equal(DNS_RR_OFF_RDLENGTH + 2, DNS_RR_FIXED_SIZE);
}

static void test_name_equal(void **state)
{
	(void)state;
	assert_true(dns_name_equal(NAME(EXAMPLE_COM), NAME(EXAMPLE_COM)));
	assert_true(dns_name_equal(NAME(0), NAME(0)));
	assert_false(dns_name_equal(NAME(EXAMPLE_COM), NAME(0)));
	/* Byte for byte: callers lowercase first (RFC 4343 section 3). */
	assert_false(dns_name_equal(NAME(7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0),
				    NAME(EXAMPLE_COM)));
}

/* A wildcard's owner: the first label is "*" alone (RFC 4592 section 2.1.1). */
static void test_name_is_wildcard(void **state)
{
#define WIRE(...) ((const uint8_t[]){ __VA_ARGS__ })
	(void)state;
	assert_true(dns_name_is_wildcard(WIRE(1, '*', EXAMPLE_COM)));
	assert_true(dns_name_is_wildcard(WIRE(1, '*', 0)));
	assert_false(dns_name_is_wildcard(WIRE(EXAMPLE_COM)));
	assert_false(dns_name_is_wildcard(WIRE(2, '*', 'a', EXAMPLE_COM)));
	assert_false(dns_name_is_wildcard(WIRE(1, 'a', 1, '*', EXAMPLE_COM)));
	assert_false(dns_name_is_wildcard(WIRE(0)));
#undef WIRE
}

/* Every length a name can have, equal and differing at each byte: the compare goes by
 * words, with a last one that overlaps, and must see every byte. */
static void test_name_equal_lengths(void **state)
{
	uint8_t a[DNS_MAX_NAME + 8], b[DNS_MAX_NAME + 8];
	size_t len, at;

	(void)state;
	for (len = 1; len <= DNS_MAX_NAME; len++) {
		for (at = 0; at < len; at++)
			a[at] = b[at] = (uint8_t)(len * 7 + at);
		/* Bytes past the names differ: they must not be looked at. */
		a[len] = 1;
		b[len] = 2;
		assert_true(dns_name_equal(a, len, b, len));
		assert_false(dns_name_equal(a, len, b, len - 1));
		for (at = 0; at < len; at++) {
			b[at] ^= 0x20;
			assert_false(dns_name_equal(a, len, b, len));
			b[at] ^= 0x20;
		}
	}
}

/* At or below is a label-aligned suffix: the apex itself, any name under it, never a name
 * that merely ends in the same characters. */
static void test_name_at_or_below(void **state)
{
	(void)state;
	assert_true(dns_name_at_or_below(NAME(EXAMPLE_COM), NAME(EXAMPLE_COM)));
	assert_true(dns_name_at_or_below(NAME(3, 'w', 'w', 'w', EXAMPLE_COM), NAME(EXAMPLE_COM)));
	assert_true(dns_name_at_or_below(NAME(1, 'a', 1, 'b', EXAMPLE_COM), NAME(EXAMPLE_COM)));
	assert_true(dns_name_at_or_below(NAME(EXAMPLE_COM), NAME(0)));  /* everything is below the root */
	assert_false(dns_name_at_or_below(NAME(8, 'x', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
					       'm', 0), NAME(EXAMPLE_COM)));
	/* "a.bexample.com" vs "xample.com": same length tail, wrong labels */
	assert_false(dns_name_at_or_below(NAME(1, 'a', 8, 'b', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,
					       'c', 'o', 'm', 0),
					  NAME(6, 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0)));
	assert_false(dns_name_at_or_below(NAME(3, 'c', 'o', 'm', 0), NAME(EXAMPLE_COM)));  /* above */
	assert_false(dns_name_at_or_below(NAME(0), NAME(EXAMPLE_COM)));
	assert_false(dns_name_at_or_below(NAME(3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
					       3, 'n', 'e', 't', 0), NAME(EXAMPLE_COM)));
}

/* RFC 1982 section 3.2 with SERIAL_BITS 32: s1 < s2 when s2 is ahead by less than 2^31,
 * across the wrap too; 2^31 apart is undefined. */
static void test_serial_compare(void **state)
{
	(void)state;
	assert_int_equal(dns_serial_compare(5, 5), DNS_SERIAL_EQUAL);
	assert_int_equal(dns_serial_compare(5, 6), DNS_SERIAL_LESS);
	assert_int_equal(dns_serial_compare(7, 5), DNS_SERIAL_GREATER);
	assert_int_equal(dns_serial_compare(4294967295u, 0), DNS_SERIAL_LESS);
	assert_int_equal(dns_serial_compare(0, 4294967295u), DNS_SERIAL_GREATER);
	assert_int_equal(dns_serial_compare(1, 0x80000000u), DNS_SERIAL_LESS);
	assert_int_equal(dns_serial_compare(0, 0x80000000u), DNS_SERIAL_UNDEFINED);
	assert_int_equal(dns_serial_compare(0x80000000u, 0), DNS_SERIAL_UNDEFINED);
	assert_int_equal(dns_serial_compare(0, 0x80000001u), DNS_SERIAL_GREATER);
	assert_int_equal(dns_serial_compare(2026112501u, 2026112502u), DNS_SERIAL_LESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_opt_layout),
		cmocka_unit_test(test_name_equal),
		cmocka_unit_test(test_name_equal_lengths),
		cmocka_unit_test(test_name_is_wildcard),
		cmocka_unit_test(test_name_at_or_below),
		cmocka_unit_test(test_serial_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
