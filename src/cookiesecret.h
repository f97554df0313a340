/* SPDX-License-Identifier: BSD-3-Clause */
/* cookiesecret.h: where DNS Cookie secrets come from: hex on the command line, a file
 * (re-read on SIGHUP), or random bytes at start. Not on the query path. */
#ifndef DUALNS_COOKIESECRET_H
#define DUALNS_COOKIESECRET_H

#include <stddef.h>
#include <stdint.h>

#include "cookie.h"

/* 32 hex digits: a 128-bit secret. */
#define COOKIE_SECRET_HEX (2 * COOKIE_SECRET_SIZE)

/* Parses exactly COOKIE_SECRET_HEX hex digits (either case) of text[0..len) into key.
 * Returns 0; -EINVAL when a character is not a hex digit (*bad is its offset) or the
 * length is wrong (*bad is len). key is unchanged on failure. */
int cookie_secret_parse(uint8_t key[COOKIE_SECRET_SIZE], const char *text, size_t len,
			size_t *bad);

/* Reads the secrets of a file: one per line, the first active, the second still
 * accepted; blank lines, lines starting with '#' (after blanks) and blanks around a
 * secret are ignored. Returns 0 with s holding 1 or 2 secrets; -errno when the file
 * cannot be read; -EINVAL when a line is not a secret, a third secret follows or the
 * file holds none. On failure s is unchanged and err holds one line naming the file (and
 * the line and column of a bad secret). */
int cookie_secrets_load(struct cookie_secrets *s, const char *path, char *err, size_t errlen);

/* One random active secret (libsodium's randombytes_buf). */
void cookie_secrets_random(struct cookie_secrets *s);

#endif
