/* SPDX-License-Identifier: BSD-3-Clause */
/* dns.h: the protocol vocabulary shared by the server and dualq: constants, header and
 * record field offsets, big-endian accessors and wire-name comparisons (RFC 1035, 6891 and
 * the IANA registries). No allocation and no ldns: the query path uses it. */
#ifndef DUALNS_DNS_H
#define DUALNS_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_HEADER_SIZE   12
#define DNS_MAX_NAME      255   /* RFC 1035 section 2.3.4, wire form */
#define DNS_MAX_LABEL     63
#define DNS_MAX_LABELS    128   /* 127 one-byte labels plus the root */
#define DNS_UDP_MIN       512   /* RFC 1035 section 4.2.1 */
#define DNS_UDP_DEFAULT   1232  /* DNS Flag Day 2020 */
#define DNS_MSG_MAX       65535 /* TCP length prefix, RFC 1035 section 4.2.2 */
#define DNS_TCP_LENGTH_SIZE 2   /* that prefix, before each message over TCP */

/* Byte offsets of the header fields (RFC 1035 section 4.1.1). */
#define DNS_OFF_ID      0
#define DNS_OFF_FLAGS   2
#define DNS_OFF_QDCOUNT 4
#define DNS_OFF_ANCOUNT 6
#define DNS_OFF_NSCOUNT 8
#define DNS_OFF_ARCOUNT 10

/* After a question's name: QTYPE, QCLASS (RFC 1035 section 4.1.2). */
#define DNS_QUESTION_FIXED_SIZE 4

/* After a record's owner name: TYPE, CLASS, TTL, RDLENGTH, then the RDATA (RFC 1035
 * section 4.1.3); the offsets are from the end of the owner name. */
#define DNS_RR_FIXED_SIZE  10
#define DNS_RR_OFF_TYPE     0
#define DNS_RR_OFF_CLASS    2
#define DNS_RR_OFF_TTL      4
#define DNS_RR_OFF_RDLENGTH 8

/* Header flag bits in the 16-bit flags word. */
#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_FLAG_RA 0x0080
#define DNS_FLAG_Z  0x0040
#define DNS_FLAG_AD 0x0020
#define DNS_FLAG_CD 0x0010
#define DNS_OPCODE_MASK  0x7800
#define DNS_OPCODE(flags) (((flags) & DNS_OPCODE_MASK) >> 11)
#define DNS_OPCODE_QUERY 0
#define DNS_OPCODE_NOTIFY 4 /* RFC 1996 section 3.1 */
#define DNS_RCODE_MASK   0x000f /* the low four bits; EDNS adds eight above them */
#define DNS_RCODE(flags) ((flags) & DNS_RCODE_MASK)

#define DNS_CLASS_IN   1
#define DNS_CLASS_CH   3
#define DNS_CLASS_NONE 254
#define DNS_CLASS_ANY  255

#define DNS_TYPE_A      1
#define DNS_TYPE_NS     2
#define DNS_TYPE_CNAME  5
#define DNS_TYPE_SOA    6
#define DNS_TYPE_PTR    12
#define DNS_TYPE_MX     15
#define DNS_TYPE_TXT    16
#define DNS_TYPE_AAAA   28
#define DNS_TYPE_SRV    33
#define DNS_TYPE_DNAME  39
#define DNS_TYPE_OPT    41
#define DNS_TYPE_DS     43
#define DNS_TYPE_RRSIG  46
#define DNS_TYPE_NSEC   47
#define DNS_TYPE_DNSKEY 48
#define DNS_TYPE_NSEC3  50
#define DNS_TYPE_NSEC3PARAM 51
#define DNS_TYPE_TKEY   249
#define DNS_TYPE_TSIG   250
#define DNS_TYPE_IXFR   251
#define DNS_TYPE_AXFR   252
#define DNS_TYPE_MAILB  253
#define DNS_TYPE_MAILA  254
#define DNS_TYPE_ANY    255

/* The OPT pseudo-record (RFC 6891 section 6.1.2): root owner, TYPE 41, CLASS = UDP payload
 * size, TTL = extended RCODE (8 bits), version (8), DO (1), Z (15), then the options. */
#define EDNS_OPT_RR_SIZE   (1 + DNS_RR_FIXED_SIZE) /* root owner and the fixed fields */
#define EDNS_FLAG_DO       0x8000 /* in the OPT TTL (RFC 3225 section 3) */
#define EDNS_OPTION_HEADER_SIZE 4 /* OPTION-CODE, OPTION-LENGTH */

/* EDNS option codes (IANA "DNS EDNS0 Option Codes"). */
#define EDNS_OPT_NSID      3  /* RFC 5001 */
#define EDNS_OPT_COOKIE    10 /* RFC 7873 */
#define EDNS_OPT_KEEPALIVE 11 /* RFC 7828 */
#define EDNS_OPT_EDE       15 /* RFC 8914 */

/* The COOKIE option (RFC 7873 section 4): an 8-byte client cookie, then maybe a server
 * cookie of 8 to 32 bytes. A server cookie as RFC 9018 section 4 makes it: version 1,
 * 3 reserved bytes, a 32-bit timestamp, an 8-byte hash. */
#define COOKIE_CLIENT_SIZE   8
#define COOKIE_SERVER_MIN    8
#define COOKIE_SERVER_MAX    32
#define COOKIE_SERVER_SIZE   16
#define COOKIE_VERSION       1
#define COOKIE_VERSION_OFF   0
#define COOKIE_RESERVED_OFF  1
#define COOKIE_TIME_OFF      4
#define COOKIE_HASH_OFF      8
#define COOKIE_HASH_SIZE     8

/* TSIG (RFC 8945 section 4.2): after the algorithm name, Time Signed (48 bits) and Fudge
 * (the "timers", section 4.3.3), MAC Size, the MAC, then Original ID, Error, Other Len
 * and Other Data. TSIG errors (section 3, IANA "DNS RCODEs") go in the Error field. */
#define TSIG_TIMERS_SIZE 8
#define TSIG_TAIL_SIZE   6
#define TSIG_TIME_SIZE   6  /* a 48-bit time, also the Other Data of BADTIME */
#define TSIG_FUDGE       300 /* seconds; RFC 8945 section 10 recommends 300 */
#define TSIG_BADSIG      16
#define TSIG_BADKEY      17
#define TSIG_BADTIME     18
#define TSIG_BADTRUNC    22

/* The result of processing a query: the wire RCODEs plus one value for "send nothing". */
enum dns_rcode {
	RCODE_DISCARD = -1, /* drop a UDP datagram; close a TCP connection */
	RCODE_NOERROR = 0,
	RCODE_FORMERR = 1,
	RCODE_SERVFAIL = 2,
	RCODE_NXDOMAIN = 3,
	RCODE_NOTIMP = 4,
	RCODE_REFUSED = 5,
	RCODE_YXDOMAIN = 6, /* RFC 2136; a DNAME substitution over 255 bytes (RFC 6672 section 2.2) */
	RCODE_NOTAUTH = 9,  /* TSIG failures (RFC 8945 section 5.2); a transfer of a zone not
			     * served (RFC 5936 section 2.2.1) */
	RCODE_BADVERS = 16, /* extended: header 0, OPT extended RCODE 1 (RFC 6891 section 6.1.3) */
	RCODE_BADCOOKIE = 23, /* extended: header 7, OPT extended RCODE 1 (RFC 7873 section 8) */
};

/* The mnemonic of an RCODE (the IANA DNS RCODEs registry), or NULL for an unassigned one. */
static inline const char *dns_rcode_text(unsigned rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
		"YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", NULL, NULL, NULL, NULL,
		"BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE",
	};

	return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : NULL;
}

/* The value of one hex digit (either case), or -1: for the hex the operator and dualq's
 * user type (cookie secrets, +cookie=HEX). */
static inline int dns_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline unsigned dns_read16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static inline unsigned long dns_read32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | p[3];
}

static inline void dns_write16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void dns_write32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* How serial number s1 relates to s2 in RFC 1982 serial number arithmetic (section 3.2,
 * SERIAL_BITS 32): the SOA serial that secondaries compare. s1 + 2^31 is neither less nor
 * greater than s1. */
enum dns_serial_order {
	DNS_SERIAL_EQUAL,
	DNS_SERIAL_LESS,       /* s1 < s2: s2 is newer */
	DNS_SERIAL_GREATER,    /* s1 > s2: s2 went backwards */
	DNS_SERIAL_UNDEFINED,  /* they are 2^31 apart */
};
#define DNS_SERIAL_HALF 0x80000000u /* 2^(SERIAL_BITS - 1) */

static inline enum dns_serial_order dns_serial_compare(uint32_t s1, uint32_t s2)
{
	uint32_t ahead = s2 - s1; /* modulo 2^32 */

	if (ahead == 0)
		return DNS_SERIAL_EQUAL;
	if (ahead == DNS_SERIAL_HALF)
		return DNS_SERIAL_UNDEFINED;
	return ahead < DNS_SERIAL_HALF ? DNS_SERIAL_LESS : DNS_SERIAL_GREATER;
}

/* True when the wire names a (alen bytes) and b (blen bytes) are the same bytes: for
 * lowercased names, the same name (RFC 4343 section 3). Eight bytes a step, the last
 * step overlapping the one before, inline: a query compares two or three names that
 * match (its zone's origin, its node's name), and a byte loop cost a hundred and more
 * instructions for them; memcmp() is a call. */
static inline bool dns_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint64_t x, y;
	uint32_t u, v;
	size_t i;

	if (alen != blen)
		return false;
	if (alen >= 8) {
		for (i = 0; i + 8 < alen; i += 8) {
			__builtin_memcpy(&x, a + i, 8);
			__builtin_memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		__builtin_memcpy(&x, a + alen - 8, 8);
		__builtin_memcpy(&y, b + alen - 8, 8);
		return x == y;
	}
	if (alen >= 4) {
		__builtin_memcpy(&u, a, 4);
		__builtin_memcpy(&v, b, 4);
		if (u != v)
			return false;
		__builtin_memcpy(&u, a + alen - 4, 4);
		__builtin_memcpy(&v, b + alen - 4, 4);
		return u == v;
	}
	for (i = 0; i < alen; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* True when the wire name's first label is "*": the owner of a wildcard (RFC 4592
 * section 2.1.1). */
static inline bool dns_name_is_wildcard(const uint8_t *name)
{
	return name[0] == 1 && name[1] == '*';
}

/* True when the lowercased, uncompressed wire name lname (len bytes) is apex (alen bytes,
 * lowercased too) or a name below it: apex is a label-aligned suffix of lname. */
static inline bool dns_name_at_or_below(const uint8_t *lname, size_t len, const uint8_t *apex,
					size_t alen)
{
	size_t off = 0;

	while (len - off > alen)
		off += lname[off] + 1u;
	return dns_name_equal(lname + off, len - off, apex, alen);
}

#endif
