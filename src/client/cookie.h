/* SPDX-License-Identifier: BSD-3-Clause */
/* cookie.h: DNS Cookies on dualq's side (RFC 7873, RFC 9018): the option's bytes as typed,
 * a random client cookie, and what a reply's server cookie says. No I/O but the kernel's
 * random bytes. */
#ifndef DUALQ_COOKIE_H
#define DUALQ_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dns.h"

/* The longest COOKIE option (RFC 7873 section 4). */
#define COOKIE_MAX (COOKIE_CLIENT_SIZE + COOKIE_SERVER_MAX)
/* Room for cookie_hex's text of a whole option. */
#define COOKIE_HEX_MAX (2 * COOKIE_MAX + 1)

/* Is len a COOKIE option length RFC 7873 section 4 allows: 8 (client cookie alone) or
 * 16 to 40 (client and server cookie)? */
bool cookie_len_valid(size_t len);

/* Parses HEX (an even number of hex digits, either case) into out, which holds
 * COOKIE_MAX bytes. Returns the byte count, or -EINVAL when a character is not a hex
 * digit, the count of digits is odd, or the length is not one cookie_len_valid allows. */
int cookie_parse_hex(uint8_t *out, const char *hex);

/* Fills out with COOKIE_CLIENT_SIZE bytes from the kernel's CSPRNG: a client cookie must
 * not be guessable by an off-path attacker (RFC 7873 section 4.1). Returns 0 or -errno. */
int cookie_random_client(uint8_t *out);

/* Writes len bytes as lowercase hex into buf (buflen >= 2 * len + 1 to hold them all). */
void cookie_hex(char *buf, size_t buflen, const uint8_t *bytes, size_t len);

/* What an RFC 9018 server cookie says. */
struct cookie_v1 {
	bool is_v1;               /* 16 bytes and version 1; the rest is unset otherwise */
	uint8_t version;
	uint32_t timestamp;       /* seconds since 1970, serial arithmetic (RFC 1982) */
	long long age;            /* now - timestamp in seconds; negative: from the future */
};

/* Reads server (a server cookie of len bytes) as an RFC 9018 cookie, its age taken at now.
 * Cannot fail: a cookie of another length or version leaves is_v1 false. */
void cookie_v1_read(struct cookie_v1 *out, const uint8_t *server, size_t len, time_t now);

/* Room for cookie_time_str's text: "2026-12-01T06:30:00Z". */
#define COOKIE_TIME_MAX 32

/* A timestamp as UTC in ISO 8601 with a Z. */
void cookie_time_str(char *buf, size_t buflen, uint32_t timestamp);

#endif
