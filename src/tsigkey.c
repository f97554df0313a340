/* SPDX-License-Identifier: BSD-3-Clause */
/* tsigkey.c: building the TSIG keyring from text (command line, configuration file). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "tsigkey.h"
#include "wire.h"

/* The algorithm names of the IANA "TSIG Algorithm Names" table (RFC 8945 section 6), in
 * wire form, in the order of enum hmac_alg. */
static const struct {
	const char *text;
	const uint8_t *wire;
	uint8_t wire_len;
} algs[HMAC_ALGS] = {
	{ "hmac-sha1", (const uint8_t *)"\11hmac-sha1", 11 },
	{ "hmac-sha224", (const uint8_t *)"\13hmac-sha224", 13 },
	{ "hmac-sha256", (const uint8_t *)"\13hmac-sha256", 13 },
	{ "hmac-sha384", (const uint8_t *)"\13hmac-sha384", 13 },
	{ "hmac-sha512", (const uint8_t *)"\13hmac-sha512", 13 },
};

struct tsig_keyring *tsig_keyring_new(void)
{
	struct tsig_keyring *kr = calloc(1, sizeof(*kr));

	if (kr != NULL)
		kr->refs = 1;
	return kr;
}

struct tsig_keyring *tsig_keyring_ref(struct tsig_keyring *kr)
{
	if (kr != NULL)
		kr->refs++;
	return kr;
}

void tsig_keyring_unref(struct tsig_keyring *kr)
{
	size_t i;

	if (kr == NULL || --kr->refs > 0)
		return;
	for (i = 0; i < kr->count; i++) {
		sodium_memzero(kr->keys[i], sizeof(*kr->keys[i]));
		free(kr->keys[i]);
	}
	free(kr->keys);
	free(kr);
}

int tsig_alg_from_wire(const uint8_t *name, size_t len)
{
	int i;

	for (i = 0; i < HMAC_ALGS; i++)
		if (dns_name_equal(name, len, algs[i].wire, algs[i].wire_len))
			return i;
	return -1;
}

size_t tsig_key_name_wire(uint8_t *out, const char *text, char *err, size_t errlen)
{
	size_t n = 0, len = strlen(text);
	const char *p = text, *end = text + len;

	if (len > 0 && text[len - 1] == '.')
		end--;
	if (end == text) {
		snprintf(err, errlen, "the key name is empty");
		return 0;
	}
	while (p < end) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t l = (size_t)((dot != NULL ? dot : end) - p);

		if (l == 0 || l > DNS_MAX_LABEL) {
			snprintf(err, errlen, "key name \"%s\": a label is %s", text,
				 l == 0 ? "empty" : "longer than 63 bytes");
			return 0;
		}
		if (memchr(p, '\\', l) != NULL) {
			snprintf(err, errlen, "key name \"%s\": escapes are not supported", text);
			return 0;
		}
		if (n + 1 + l + 1 > DNS_MAX_NAME) {
			snprintf(err, errlen, "key name \"%s\" is longer than 255 bytes", text);
			return 0;
		}
		out[n++] = (uint8_t)l;
		memcpy(out + n, p, l);
		n += l;
		p += l + (dot != NULL ? 1 : 0);
	}
	out[n++] = 0;
	wire_name_tolower(out, out, n);
	return n;
}

/* The algorithm named by text (any case, final dot optional), or -1. */
static int alg_from_text(const char *text)
{
	size_t len = strlen(text);
	int i;

	if (len > 0 && text[len - 1] == '.')
		len--;
	for (i = 0; i < HMAC_ALGS; i++)
		if (strlen(algs[i].text) == len && strncasecmp(algs[i].text, text, len) == 0)
			return i;
	return -1;
}

/* Decodes standard padded base64 strictly: every byte must belong to it. Returns the
 * length, or -1. */
static long decode_secret(uint8_t *out, const char *b64)
{
	size_t bin_len = 0, b64_len = strlen(b64);
	const char *end = NULL;

	if (b64_len == 0 || b64_len % 4 != 0)
		return -1;
	if (sodium_base642bin(out, TSIG_SECRET_MAX, b64, b64_len, NULL, &bin_len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + b64_len)
		return -1;
	return (long)bin_len;
}

int tsig_keyring_add(struct tsig_keyring *kr, const char *name_text, const char *alg_text,
		     const char *secret_b64, char *err, size_t errlen)
{
	return tsig_keyring_add_secret(kr, name_text, alg_text, NULL, 0, secret_b64, err, errlen);
}

int tsig_keyring_add_copy(struct tsig_keyring *kr, const struct tsig_key *key)
{
	char err[TSIG_NAME_TEXT_MAX + 128];

	return tsig_keyring_add_secret(kr, key->text, algs[key->alg].text, key->secret,
				       key->secret_len, NULL, err, sizeof(err));
}

int tsig_keyring_add_secret(struct tsig_keyring *kr, const char *name_text, const char *alg_text,
			    const uint8_t *secret, size_t secret_size, const char *secret_b64,
			    char *err, size_t errlen)
{
	struct tsig_key *k;
	long secret_len;
	int alg;

	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	k->name_len = (uint8_t)tsig_key_name_wire(k->name, name_text, err, errlen);
	if (k->name_len == 0)
		goto invalid;
	alg = alg_from_text(alg_text);
	if (alg < 0) {
		snprintf(err, errlen, "key %s: unknown algorithm \"%s\" (hmac-sha1, hmac-sha224, "
			 "hmac-sha256, hmac-sha384 or hmac-sha512)", name_text, alg_text);
		goto invalid;
	}
	k->alg = (enum hmac_alg)alg;
	k->alg_name = algs[alg].wire;
	k->alg_name_len = algs[alg].wire_len;
	if (secret != NULL && secret_size > 0 && secret_size <= TSIG_SECRET_MAX) {
		memcpy(k->secret, secret, secret_size);
		secret_len = (long)secret_size;
	} else {
		secret_len = secret != NULL ? -1 : decode_secret(k->secret, secret_b64);
	}
	if (secret_len <= 0) {
		snprintf(err, errlen, "key %s: the secret is not base64 of 1 to %d bytes",
			 name_text, TSIG_SECRET_MAX);
		goto invalid;
	}
	k->secret_len = (size_t)secret_len;
	snprintf(k->text, sizeof(k->text), "%s", name_text);
	if (tsig_keyring_find(kr, k->name, k->name_len) != NULL) {
		snprintf(err, errlen, "key %s is defined twice", name_text);
		sodium_memzero(k, sizeof(*k));
		free(k);
		return -EEXIST;
	}
	if (kr->count == kr->cap) {
		size_t cap = kr->cap ? kr->cap * 2 : 4;
		struct tsig_key **keys = reallocarray(kr->keys, cap, sizeof(*keys));

		if (keys == NULL) {
			snprintf(err, errlen, "out of memory");
			sodium_memzero(k, sizeof(*k));
			free(k);
			return -ENOMEM;
		}
		kr->keys = keys;
		kr->cap = cap;
	}
	kr->keys[kr->count++] = k;
	return 0;
invalid:
	sodium_memzero(k, sizeof(*k));
	free(k);
	return -EINVAL;
}

int tsig_keyring_add_spec(struct tsig_keyring *kr, const char *spec, char *err, size_t errlen)
{
	char buf[TSIG_NAME_TEXT_MAX + 32 + TSIG_SECRET_MAX * 2];
	char *alg, *secret;
	int r;

	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "too long");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	alg = strchr(buf, ':');
	secret = alg != NULL ? strchr(alg + 1, ':') : NULL;
	if (secret == NULL) {
		snprintf(err, errlen, "\"%s\" is not NAME:ALGORITHM:SECRET", spec);
		return -EINVAL;
	}
	*alg++ = '\0';
	*secret++ = '\0';
	r = tsig_keyring_add(kr, buf, alg, secret, err, errlen);
	sodium_memzero(buf, sizeof(buf));
	return r;
}

const struct tsig_key *tsig_keyring_find(const struct tsig_keyring *kr, const uint8_t *name,
					 size_t len)
{
	size_t i;

	if (kr == NULL)
		return NULL;
	for (i = 0; i < kr->count; i++)
		if (dns_name_equal(kr->keys[i]->name, kr->keys[i]->name_len, name, len))
			return kr->keys[i];
	return NULL;
}
