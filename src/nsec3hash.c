/* SPDX-License-Identifier: BSD-3-Clause */
/* nsec3hash.c: NSEC3 hashes (RFC 5155 section 5) on OpenSSL's allocation-free SHA-1. */
#include "config.h"

/* As hmac.c: the SHA1_Init family keeps its state in the caller's struct, where EVP's
 * digest init allocates on every call. */
#define OPENSSL_API_COMPAT 0x10100000L

#include <openssl/sha.h>
#include <string.h>

#include "nsec3hash.h"

void nsec3_hash(uint8_t out[NSEC3_HASH_SIZE], const struct nsec3_params *p, const uint8_t *lname,
		size_t len)
{
	SHA_CTX c;
	unsigned i;

	SHA1_Init(&c);
	SHA1_Update(&c, lname, len);
	SHA1_Update(&c, p->salt, p->salt_len);
	SHA1_Final(out, &c);
	for (i = 0; i < p->iterations; i++) {
		SHA1_Init(&c);
		SHA1_Update(&c, out, NSEC3_HASH_SIZE);
		SHA1_Update(&c, p->salt, p->salt_len);
		SHA1_Final(out, &c);
	}
}

static int base32hex_digit(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'v')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'V')
		return ch - 'A' + 10;
	return -1;
}

bool nsec3_label_decode(uint8_t out[NSEC3_HASH_SIZE], const uint8_t *label, size_t len)
{
	unsigned bits = 0, acc = 0;
	size_t i, n = 0;

	if (len != NSEC3_LABEL_LEN)
		return false;
	for (i = 0; i < len; i++) {
		int d = base32hex_digit(label[i]);

		if (d < 0)
			return false;
		acc = (acc << 5) | (unsigned)d;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return n == NSEC3_HASH_SIZE;
}

bool nsec3_params_read(struct nsec3_params *p, uint8_t *flags, const uint8_t *rdata, size_t rdlen)
{
	if (rdlen < 5 || rdlen < 5u + rdata[4])
		return false;
	p->alg = rdata[0];
	if (flags != NULL)
		*flags = rdata[1];
	p->iterations = (uint16_t)((rdata[2] << 8) | rdata[3]);
	p->salt_len = rdata[4];
	memcpy(p->salt, rdata + 5, p->salt_len);
	return true;
}

bool nsec3_params_equal(const struct nsec3_params *a, const struct nsec3_params *b)
{
	return a->alg == b->alg && a->iterations == b->iterations && a->salt_len == b->salt_len &&
	       memcmp(a->salt, b->salt, a->salt_len) == 0;
}
