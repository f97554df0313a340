/* SPDX-License-Identifier: BSD-3-Clause */
/* hmac.h: HMAC (RFC 2104) over SHA-1 and SHA-2 with no allocation, for TSIG (RFC 8945). */
#ifndef DUALNS_HMAC_H
#define DUALNS_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/sha.h>

enum hmac_alg {
	HMAC_SHA1 = 0,
	HMAC_SHA224,
	HMAC_SHA256,
	HMAC_SHA384,
	HMAC_SHA512,
};
#define HMAC_ALGS      5
#define HMAC_MAX_SIZE  64  /* SHA-512's output */
#define HMAC_MAX_BLOCK 128 /* SHA-384's and SHA-512's block */

/* One MAC in progress. The state lives in the struct, so a MAC costs no allocation (the
 * EVP digest API of OpenSSL 3.0 allocates a provider context at every init). */
struct hmac_ctx {
	enum hmac_alg alg;
	union {
		SHA_CTX sha1;
		SHA256_CTX sha256;
		SHA512_CTX sha512;
	} h;
	uint8_t opad[HMAC_MAX_BLOCK]; /* the key XOR opad, for the outer hash */
};

/* The output size of alg in bytes. */
size_t hmac_size(enum hmac_alg alg);

/* Starts a MAC with key (any length: a key longer than the block is hashed first, RFC 2104
 * section 2). */
void hmac_init(struct hmac_ctx *c, enum hmac_alg alg, const uint8_t *key, size_t keylen);

void hmac_update(struct hmac_ctx *c, const void *data, size_t len);

/* Writes the MAC (hmac_size(alg) bytes) into out. Returns its size. */
size_t hmac_final(struct hmac_ctx *c, uint8_t out[HMAC_MAX_SIZE]);

#endif
