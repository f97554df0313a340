/* SPDX-License-Identifier: BSD-3-Clause */
/* tsigkey.h: the TSIG keyring (RFC 8945 section 6): keys by name, each with its HMAC
 * algorithm and secret, shared by reference between the dbs that publish it. */
#ifndef DUALNS_TSIGKEY_H
#define DUALNS_TSIGKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"
#include "hmac.h"

/* Secrets longer than this are refused: an HMAC key beyond the hash's block size is
 * hashed down anyway (RFC 2104 section 3). */
#define TSIG_SECRET_MAX 512
/* Room for a key name in presentation form, for messages and logs. */
#define TSIG_NAME_TEXT_MAX (DNS_MAX_NAME * 4 + 1)

struct tsig_key {
	uint8_t name[DNS_MAX_NAME];   /* lowercased wire form */
	uint8_t name_len;
	enum hmac_alg alg;
	const uint8_t *alg_name;      /* the algorithm's wire name, lowercase (RFC 8945 section 6) */
	uint8_t alg_name_len;
	uint8_t secret[TSIG_SECRET_MAX];
	size_t secret_len;
	char text[TSIG_NAME_TEXT_MAX]; /* the name as the operator wrote it, for logs */
};

/* The keys. Immutable once published with a db; its references change only in the
 * publisher's thread (dbswap.h, rule 5), so the count needs no atomics. */
struct tsig_keyring {
	unsigned refs;
	size_t count, cap;
	struct tsig_key **keys;
};

/* Returns an empty keyring holding one reference, or NULL when out of memory. */
struct tsig_keyring *tsig_keyring_new(void);

/* Takes one more reference to kr (NULL allowed). Returns kr. */
struct tsig_keyring *tsig_keyring_ref(struct tsig_keyring *kr);

/* Drops one reference; the last one frees the keys, wiping their secrets. NULL is fine. */
void tsig_keyring_unref(struct tsig_keyring *kr);

/* Adds a key: name_text a domain name ("key.example." or without the final dot), alg_text
 * one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512 (a final dot and
 * any case allowed), secret_b64 the secret in base64 (RFC 4648 section 4, padding
 * required, nothing else around it). Returns 0; -EINVAL with a reason in err for a bad
 * name, algorithm or secret; -EEXIST when a key of that name is there already; -ENOMEM. */
int tsig_keyring_add(struct tsig_keyring *kr, const char *name_text, const char *alg_text,
		     const char *secret_b64, char *err, size_t errlen);

/* The same with the secret already decoded (secret, secret_size bytes: 1 to
 * TSIG_SECRET_MAX), as the configuration file gives it; with secret NULL, secret_b64 is
 * decoded as tsig_keyring_add() does. */
int tsig_keyring_add_secret(struct tsig_keyring *kr, const char *name_text, const char *alg_text,
			    const uint8_t *secret, size_t secret_size, const char *secret_b64,
			    char *err, size_t errlen);

/* Adds a copy of key (from another keyring). Returns 0, -EEXIST or -ENOMEM. */
int tsig_keyring_add_copy(struct tsig_keyring *kr, const struct tsig_key *key);

/* Adds a key written NAME:ALG:SECRET (--key), as tsig_keyring_add() does. */
int tsig_keyring_add_spec(struct tsig_keyring *kr, const char *spec, char *err, size_t errlen);

/* A key name in presentation form to lowercased wire form into out (DNS_MAX_NAME bytes):
 * labels of 1 to 63 bytes, 255 bytes in all, an optional final dot; no escapes (a key
 * name needs none). Returns the wire length, or 0 with a reason in err. */
size_t tsig_key_name_wire(uint8_t *out, const char *text, char *err, size_t errlen);

/* The key named by the lowercased wire name (len bytes), or NULL. */
const struct tsig_key *tsig_keyring_find(const struct tsig_keyring *kr, const uint8_t *name,
					 size_t len);

/* The algorithm whose lowercased wire name is name (len bytes); -1 when none is known. */
int tsig_alg_from_wire(const uint8_t *name, size_t len);

#endif
