/* SPDX-License-Identifier: BSD-3-Clause */
/* hmac.c: HMAC (RFC 2104) on OpenSSL's one-shot-state SHA functions, allocation free. */
#include "config.h"

/* The SHA*_Init family is deprecated in OpenSSL 3.0 in favour of EVP, whose digest init
 * allocates every time; these keep all state in the caller's struct. */
#define OPENSSL_API_COMPAT 0x10100000L

#include <string.h>

#include "hmac.h"

#define IPAD 0x36
#define OPAD 0x5c

static size_t block_size(enum hmac_alg alg)
{
	return alg >= HMAC_SHA384 ? 128 : 64;
}

size_t hmac_size(enum hmac_alg alg)
{
	static const size_t sizes[HMAC_ALGS] = { 20, 28, 32, 48, 64 };

	return sizes[alg];
}

static void hash_init(struct hmac_ctx *c)
{
	switch (c->alg) {
	case HMAC_SHA1: SHA1_Init(&c->h.sha1); break;
	case HMAC_SHA224: SHA224_Init(&c->h.sha256); break;
	case HMAC_SHA256: SHA256_Init(&c->h.sha256); break;
	case HMAC_SHA384: SHA384_Init(&c->h.sha512); break;
	case HMAC_SHA512: SHA512_Init(&c->h.sha512); break;
	}
}

void hmac_update(struct hmac_ctx *c, const void *data, size_t len)
{
	switch (c->alg) {
	case HMAC_SHA1: SHA1_Update(&c->h.sha1, data, len); break;
	case HMAC_SHA224: SHA224_Update(&c->h.sha256, data, len); break;
	case HMAC_SHA256: SHA256_Update(&c->h.sha256, data, len); break;
	case HMAC_SHA384: SHA384_Update(&c->h.sha512, data, len); break;
	case HMAC_SHA512: SHA512_Update(&c->h.sha512, data, len); break;
	}
}

static void hash_final(struct hmac_ctx *c, uint8_t *out)
{
	switch (c->alg) {
	case HMAC_SHA1: SHA1_Final(out, &c->h.sha1); break;
	case HMAC_SHA224: SHA224_Final(out, &c->h.sha256); break;
	case HMAC_SHA256: SHA256_Final(out, &c->h.sha256); break;
	case HMAC_SHA384: SHA384_Final(out, &c->h.sha512); break;
	case HMAC_SHA512: SHA512_Final(out, &c->h.sha512); break;
	}
}

void hmac_init(struct hmac_ctx *c, enum hmac_alg alg, const uint8_t *key, size_t keylen)
{
	size_t bs = block_size(alg), i;
	uint8_t k[HMAC_MAX_BLOCK] = { 0 }, ipad[HMAC_MAX_BLOCK];

	c->alg = alg;
	if (keylen > bs) {
		hash_init(c);
		hmac_update(c, key, keylen);
		hash_final(c, k);
	} else if (keylen > 0) {
		memcpy(k, key, keylen);
	}
	for (i = 0; i < bs; i++) {
		ipad[i] = k[i] ^ IPAD;
		c->opad[i] = k[i] ^ OPAD;
	}
	hash_init(c);
	hmac_update(c, ipad, bs);
}

size_t hmac_final(struct hmac_ctx *c, uint8_t out[HMAC_MAX_SIZE])
{
	uint8_t inner[HMAC_MAX_SIZE];
	size_t n = hmac_size(c->alg);

	hash_final(c, inner);
	hash_init(c);
	hmac_update(c, c->opad, block_size(c->alg));
	hmac_update(c, inner, n);
	hash_final(c, out);
	return n;
}
