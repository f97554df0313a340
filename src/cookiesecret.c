/* SPDX-License-Identifier: BSD-3-Clause */
/* cookiesecret.c: DNS Cookie secrets from hex text, from a file, or at random. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cookiesecret.h"

/* A line of the secrets file: a secret, blanks and a comment fit easily. */
#define COOKIE_FILE_LINE 256

int cookie_secret_parse(uint8_t key[COOKIE_SECRET_SIZE], const char *text, size_t len,
			size_t *bad)
{
	uint8_t out[COOKIE_SECRET_SIZE];
	size_t i;

	for (i = 0; i < len && i < COOKIE_SECRET_HEX; i++) {
		int v = dns_hex_digit(text[i]);

		if (v < 0) {
			*bad = i;
			return -EINVAL;
		}
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(v << 4);
		else
			out[i / 2] |= (uint8_t)v;
	}
	if (len != COOKIE_SECRET_HEX) {
		*bad = len;
		return -EINVAL;
	}
	memcpy(key, out, sizeof(out));
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cookie_secrets_load(struct cookie_secrets *s, const char *path, char *err, size_t errlen)
{
	struct cookie_secrets got = { .count = 0 };
	char line[COOKIE_FILE_LINE];
	unsigned long lineno = 0;
	FILE *f = fopen(path, "r");
	int r = 0;

	if (f == NULL) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return r;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t start = 0, end = strlen(line), bad;

		lineno++;
		if (end == sizeof(line) - 1 && line[end - 1] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s:%lu: line too long for a secret of %d hex digits",
				 path, lineno, COOKIE_SECRET_HEX);
			r = -EINVAL;
			break;
		}
		while (start < end && is_blank(line[start]))
			start++;
		while (end > start && is_blank(line[end - 1]))
			end--;
		if (start == end || line[start] == '#')
			continue;
		if (got.count == COOKIE_SECRETS_MAX) {
			snprintf(err, errlen, "%s:%lu: a third secret (only the active one and one "
				 "older one are kept)", path, lineno);
			r = -EINVAL;
			break;
		}
		if (cookie_secret_parse(got.key[got.count], line + start, end - start, &bad) < 0) {
			if (bad < end - start)
				snprintf(err, errlen, "%s:%lu:%zu: not a hex digit in a secret",
					 path, lineno, start + bad + 1);
			else
				snprintf(err, errlen, "%s:%lu:%zu: a secret is %d hex digits, "
					 "not %zu", path, lineno, start + 1, COOKIE_SECRET_HEX,
					 end - start);
			r = -EINVAL;
			break;
		}
		got.count++;
	}
	if (r == 0 && ferror(f)) {
		r = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	}
	fclose(f);
	if (r == 0 && got.count == 0) {
		snprintf(err, errlen, "%s: no secret in the file", path);
		r = -EINVAL;
	}
	if (r == 0)
		*s = got;
	sodium_memzero(&got, sizeof(got));
	return r;
}

void cookie_secrets_random(struct cookie_secrets *s)
{
	randombytes_buf(s->key[0], COOKIE_SECRET_SIZE);
	s->count = 1;
}
