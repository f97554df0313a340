/* SPDX-License-Identifier: BSD-3-Clause */
/* cookie.c: RFC 9018 server cookies: SipHash-2-4 (libsodium) over the client cookie, the
 * cookie's own first 8 bytes and the client's address. */
#include "config.h"

#include <string.h>

#include <netinet/in.h>
#include <sodium.h>

#include "cookie.h"
#include "dns.h"

/* The hash input: client cookie, version, reserved, timestamp, and an IPv6 address at
 * most. */
#define COOKIE_HASH_INPUT_MAX (COOKIE_CLIENT_SIZE + COOKIE_HASH_OFF + sizeof(struct in6_addr))

/* Half the serial number space (RFC 1982 section 3.2): a difference below it is "after". */
#define SERIAL_HALF 0x80000000u

/* The hash of RFC 9018 section 4 into out, with head the server cookie's first
 * COOKIE_HASH_OFF bytes. */
static void cookie_hash(uint8_t out[COOKIE_HASH_SIZE], const uint8_t key[COOKIE_SECRET_SIZE],
			const uint8_t client[COOKIE_CLIENT_SIZE], const uint8_t *head,
			const struct sockaddr *peer)
{
	uint8_t in[COOKIE_HASH_INPUT_MAX];
	size_t len = 0;

	memcpy(in, client, COOKIE_CLIENT_SIZE);
	len += COOKIE_CLIENT_SIZE;
	memcpy(in + len, head, COOKIE_HASH_OFF);
	len += COOKIE_HASH_OFF;
	if (peer != NULL && peer->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)peer;

		memcpy(in + len, &sin->sin_addr, sizeof(sin->sin_addr));
		len += sizeof(sin->sin_addr);
	} else if (peer != NULL && peer->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)peer;

		memcpy(in + len, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
		len += sizeof(sin6->sin6_addr);
	}
	crypto_shorthash_siphash24(out, in, len, key);
}

void cookie_mint(uint8_t out[COOKIE_SERVER_SIZE], const uint8_t key[COOKIE_SECRET_SIZE],
		 const uint8_t client[COOKIE_CLIENT_SIZE], uint32_t now,
		 const struct sockaddr *peer)
{
	memset(out, 0, COOKIE_HASH_OFF);
	out[COOKIE_VERSION_OFF] = COOKIE_VERSION;
	dns_write32(out + COOKIE_TIME_OFF, now);
	cookie_hash(out + COOKIE_HASH_OFF, key, client, out, peer);
}

enum cookie_verdict cookie_check(const struct cookie_secrets *s,
				 const uint8_t client[COOKIE_CLIENT_SIZE], const uint8_t *server,
				 size_t server_len, uint32_t now, const struct sockaddr *peer)
{
	uint8_t hash[COOKIE_HASH_SIZE];
	uint32_t stamp, age;
	unsigned i;

	if (server_len != COOKIE_SERVER_SIZE || server[COOKIE_VERSION_OFF] != COOKIE_VERSION)
		return COOKIE_INVALID;
	stamp = (uint32_t)dns_read32(server + COOKIE_TIME_OFF);
	age = now - stamp;
	if (age < SERIAL_HALF) {
		if (age > COOKIE_LIFETIME)
			return COOKIE_INVALID;
	} else if (stamp - now > COOKIE_FUTURE_MAX) {
		return COOKIE_INVALID;
	}
	for (i = 0; i < s->count && i < COOKIE_SECRETS_MAX; i++) {
		cookie_hash(hash, s->key[i], client, server, peer);
		if (sodium_memcmp(hash, server + COOKIE_HASH_OFF, COOKIE_HASH_SIZE) != 0)
			continue;
		if (i > 0 || (age < SERIAL_HALF && age >= COOKIE_RENEW_AGE))
			return COOKIE_VALID_RENEW;
		return COOKIE_VALID;
	}
	return COOKIE_INVALID;
}
