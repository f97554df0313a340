/* SPDX-License-Identifier: BSD-3-Clause */
/* zonedigest.c: the SHA-256 of a built zone's records (zonedigest.h). Load path only. */
#include "config.h"

#include <ldns/ldns.h>
#include <ldns/sha2.h>
#include <string.h>

#include "zonedigest.h"

/* A record's type, class and TTL in network order (RFC 1035 section 4.1.3), hashed
 * after its owner; then its RDLENGTH, the first field of a stored record (zone.h). */
#define DIGEST_RR_FIXED 8
#define DIGEST_RDLEN_SIZE 2

void zone_digest(struct zone *z)
{
	ldns_sha256_CTX ctx;
	const struct node *n;
	/* Owner, type, class, TTL and RDLENGTH of one record, hashed in one piece. */
	uint8_t head[DNS_MAX_NAME + DIGEST_RR_FIXED + DIGEST_RDLEN_SIZE];
	unsigned i, j;

	_Static_assert(ZONE_DIGEST_SIZE == LDNS_SHA256_DIGEST_LENGTH, "a SHA-256 digest");
	ldns_sha256_init(&ctx);
	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n)) {
		uint8_t *fixed = head + n->name_len;

		memcpy(head, n->name, n->name_len);
		for (i = 0; i < n->rrset_count; i++) {
			const struct rrset *s = &n->rrsets[i];
			const uint8_t *rr = s->data;

			dns_write16(fixed, s->type);
			dns_write16(fixed + 2, s->rclass);
			dns_write32(fixed + 4, s->ttl);
			for (j = 0; j < s->count; j++) {
				uint16_t rdlen = (uint16_t)dns_read16(rr);

				/* Each record in full, as RFC 8976 hashes it: owner, type, class,
				 * TTL, RDLENGTH, RDATA (not the compression offsets kept beside). */
				memcpy(fixed + DIGEST_RR_FIXED, rr, DIGEST_RDLEN_SIZE);
				ldns_sha256_update(&ctx, head, n->name_len + DIGEST_RR_FIXED +
						   DIGEST_RDLEN_SIZE);
				ldns_sha256_update(&ctx, rr + RR_HEADER_SIZE, rdlen);
				rr += RR_HEADER_SIZE + rdlen;
			}
		}
	}
	ldns_sha256_final(z->digest, &ctx);
}
