/* SPDX-License-Identifier: BSD-3-Clause */
/* cookie.h: DNS Cookies (RFC 7873) with interoperable server cookies (RFC 9018): minting
 * and checking a server cookie. No allocation, no ldns: called on the query path. */
#ifndef DUALNS_COOKIE_H
#define DUALNS_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "dns.h"

/* What an answer's COOKIE option carries: the client cookie and our server cookie. */
#define COOKIE_ANSWER_SIZE   (COOKIE_CLIENT_SIZE + COOKIE_SERVER_SIZE)

/* A secret is a 128-bit SipHash-2-4 key (RFC 9018 section 4.4). */
#define COOKIE_SECRET_SIZE 16
/* The active secret and one older secret still accepted during a rollover. */
#define COOKIE_SECRETS_MAX 2

/* Ages of a server cookie, in seconds (RFC 9018 section 4.3): older than an hour is
 * stale, more than five minutes ahead is from the future; one older than half an hour
 * is still valid but replaced by a new one in the answer. */
#define COOKIE_LIFETIME   3600
#define COOKIE_FUTURE_MAX 300
#define COOKIE_RENEW_AGE  1800

/* The secrets in force: key[0] mints and checks, key[1] (when count is 2) only checks.
 * count 0: no secret, cookies are neither minted nor checked. */
struct cookie_secrets {
	uint8_t key[COOKIE_SECRETS_MAX][COOKIE_SECRET_SIZE];
	unsigned count;
};

/* What a request's server cookie is worth. */
enum cookie_verdict {
	COOKIE_VALID,        /* minted by the active secret less than half an hour ago: send it back */
	COOKIE_VALID_RENEW,  /* valid, but older than half an hour or by the older secret: send a new one */
	COOKIE_INVALID,      /* wrong, stale, from the future, or not in RFC 9018's format */
};

/* Writes the server cookie for client (COOKIE_CLIENT_SIZE bytes) from peer at time now
 * with key into out: version 1, reserved zero, now, and the hash over client cookie |
 * version | reserved | timestamp | client address (RFC 9018 section 4). The address is
 * the 4 bytes of an AF_INET peer or the 16 of an AF_INET6 one, a v4-mapped one included,
 * as NSD, Knot and BIND hash what their socket reports; no address for any other
 * family or NULL. */
void cookie_mint(uint8_t out[COOKIE_SERVER_SIZE], const uint8_t key[COOKIE_SECRET_SIZE],
		 const uint8_t client[COOKIE_CLIENT_SIZE], uint32_t now,
		 const struct sockaddr *peer);

/* Checks server (server_len bytes) sent with client from peer at time now against the
 * active and the older secret. Timestamps compare in serial number arithmetic (RFC 1982),
 * so the check survives the 32-bit wrap. The reserved bytes are hashed as received (RFC
 * 9018 appendix A.3). */
enum cookie_verdict cookie_check(const struct cookie_secrets *s,
				 const uint8_t client[COOKIE_CLIENT_SIZE], const uint8_t *server,
				 size_t server_len, uint32_t now, const struct sockaddr *peer);

#endif
