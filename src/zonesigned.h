/* SPDX-License-Identifier: BSD-3-Clause */
/* zonesigned.h: a loaded zone's DNSSEC state as an operator checks it: unsigned, NSEC or
 * NSEC3 (with its parameters), RRsets without signatures, signatures expired or about to
 * expire. Said by --check and logged once per zone version; never a reason to refuse a
 * zone (as NSD and Knot load such zones). Load and reload path only. */
#ifndef DUALNS_ZONESIGNED_H
#define DUALNS_ZONESIGNED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "zone.h"

/* RRsets and signatures named in one message; the rest are counted. */
#define ZONESIGNED_LIST_MAX 3

/* Signatures that expire within this many seconds get a warning (7 days). */
#define ZONESIGNED_SOON (7u * 86400u)

enum zonesigned_denial {
	ZONESIGNED_UNSIGNED,   /* no RRSIG and no DNSKEY at all */
	ZONESIGNED_NONE,       /* signatures, but neither NSEC nor NSEC3PARAM */
	ZONESIGNED_NSEC,       /* NSEC at the apex (RFC 4034 section 4) */
	ZONESIGNED_NSEC3,      /* NSEC3PARAM at the apex (RFC 5155 section 4) */
};

/* An RRset named in a message: its owner (a lowercased wire name inside the zone) and
 * type; for a signature, its expiration too. */
struct zonesigned_rrset {
	const uint8_t *owner;
	uint8_t owner_len;
	uint16_t type;
	uint32_t expiration;
};

struct zonesigned {
	enum zonesigned_denial denial;
	size_t signatures;             /* RRSIG records */
	/* The apex NSEC3PARAM (RFC 5155 section 4.2) and whether any NSEC3 has the opt-out
	 * flag (section 3.1.2.1). */
	uint8_t nsec3_alg;
	uint16_t nsec3_iterations;
	uint8_t salt_len;
	uint8_t salt[255];
	bool optout;
	/* Authoritative RRsets with no RRSIG covering their type (RFC 4035 section 2.2). */
	size_t unsigned_count;
	struct zonesigned_rrset unsigned_first[ZONESIGNED_LIST_MAX];
	/* Signatures past their expiration, and within ZONESIGNED_SOON of it (RFC 4034
	 * section 3.1.5, serial number arithmetic on the 32-bit times). */
	size_t expired;
	struct zonesigned_rrset expired_first[ZONESIGNED_LIST_MAX];
	size_t expiring;
	struct zonesigned_rrset expiring_first[ZONESIGNED_LIST_MAX];
	/* Signatures whose inception is still to come (a signer's clock ahead): not valid
	 * yet, RFC 4034 section 3.1.5. Their expiration field holds the inception. */
	size_t future;
	struct zonesigned_rrset future_first[ZONESIGNED_LIST_MAX];
	bool have_earliest;
	uint32_t earliest;             /* the earliest expiration of all signatures */
};

/* Reads z's state into s as of now (seconds since the epoch, cut to 32 bits as RRSIG
 * times are). z must be ok; s points into z's names while z lives. */
void zonesigned_inspect(struct zonesigned *s, const struct zone *z, uint32_t now);

/* Prints z's state for --check: one line "ORIGIN: unsigned" or "ORIGIN: signed with ...",
 * then one "ORIGIN: warning: ..." line per problem. */
void zonesigned_print(const struct zone *z, uint32_t now, FILE *out);

/* Logs z's problems as warnings ("zone ORIGIN: ..."), nothing for a sound zone. Returns
 * how many warnings it logged. */
unsigned zonesigned_log(const struct zone *z, uint32_t now);

/* The current time cut to 32 bits, as RRSIG times are (RFC 4034 section 3.1.5). */
uint32_t zonesigned_now(void);

#endif
