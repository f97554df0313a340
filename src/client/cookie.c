/* SPDX-License-Identifier: BSD-3-Clause */
/* cookie.c: DNS Cookie bytes for dualq: parse the typed hex, make a client cookie, read a
 * server cookie's RFC 9018 fields. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "client/cookie.h"
#include "dns.h"

bool cookie_len_valid(size_t len)
{
	return len == COOKIE_CLIENT_SIZE ||
	       (len >= COOKIE_CLIENT_SIZE + COOKIE_SERVER_MIN && len <= COOKIE_MAX);
}

int cookie_parse_hex(uint8_t *out, const char *hex)
{
	size_t digits = strlen(hex), n = digits / 2;

	if (digits % 2 != 0 || !cookie_len_valid(n))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int hi = dns_hex_digit(hex[2 * i]), lo = dns_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)n;
}

int cookie_random_client(uint8_t *out)
{
	size_t got = 0;

	while (got < COOKIE_CLIENT_SIZE) {
		ssize_t n = getrandom(out + got, COOKIE_CLIENT_SIZE - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	return 0;
}

void cookie_hex(char *buf, size_t buflen, const uint8_t *bytes, size_t len)
{
	size_t o = 0;

	if (buflen == 0)
		return;
	for (size_t i = 0; i < len && o + 2 < buflen; i++)
		o += (size_t)snprintf(buf + o, buflen - o, "%02x", bytes[i]);
	buf[o] = '\0';
}

void cookie_v1_read(struct cookie_v1 *out, const uint8_t *server, size_t len, time_t now)
{
	memset(out, 0, sizeof(*out));
	if (len != COOKIE_SERVER_SIZE || server[0] != COOKIE_VERSION)
		return;
	out->is_v1 = true;
	out->version = server[0];
	out->timestamp = (uint32_t)dns_read32(server + COOKIE_TIME_OFF);
	/* Serial arithmetic (RFC 9018 section 4.3): the difference as a signed 32-bit value,
	 * so a timestamp just past 2^32 wraps still reads as recent. */
	out->age = (int32_t)((uint32_t)now - out->timestamp);
}

void cookie_time_str(char *buf, size_t buflen, uint32_t timestamp)
{
	time_t t = (time_t)timestamp;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, buflen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, buflen, "%lu", (unsigned long)timestamp);
}
