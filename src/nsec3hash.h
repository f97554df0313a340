/* SPDX-License-Identifier: BSD-3-Clause */
/* nsec3hash.h: the NSEC3 hash of a name (RFC 5155 section 5) and the base32hex owner
 * label that spells one (section 3.3), without allocation: the loader hashes every name
 * of a zone, and a query hashes the names its denial proof needs. */
#ifndef DUALNS_NSEC3HASH_H
#define DUALNS_NSEC3HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SHA-1, the one hash algorithm (RFC 5155 section 11). */
#define NSEC3_HASH_SHA1 1
#define NSEC3_HASH_SIZE 20
/* base32hex of 20 bytes, unpadded. */
#define NSEC3_LABEL_LEN 32

/* The NSEC3 parameters a zone's chain is made with (NSEC3PARAM, RFC 5155 section 4). */
struct nsec3_params {
	uint8_t alg;
	uint16_t iterations;
	uint8_t salt_len;
	uint8_t salt[255];
};

/* Hashes a lowercased wire name: IH(salt, name, iterations), section 5. */
void nsec3_hash(uint8_t out[NSEC3_HASH_SIZE], const struct nsec3_params *p, const uint8_t *lname,
		size_t len);

/* Decodes a label of NSEC3_LABEL_LEN base32hex digits (either case) into a hash.
 * Returns false when the label is not one. */
bool nsec3_label_decode(uint8_t out[NSEC3_HASH_SIZE], const uint8_t *label, size_t len);

/* Reads the algorithm, iterations and salt that start an NSEC3 or NSEC3PARAM RDATA
 * (section 3.2 and 4.2), and for an NSEC3 also its flags into *flags (NULL: not wanted).
 * Returns false when the RDATA is too short for them. */
bool nsec3_params_read(struct nsec3_params *p, uint8_t *flags, const uint8_t *rdata, size_t rdlen);

/* True when two parameter sets make the same chain. */
bool nsec3_params_equal(const struct nsec3_params *a, const struct nsec3_params *b);

#endif
