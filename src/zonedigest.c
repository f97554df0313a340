/* SPDX-License-Identifier: BSD-3-Clause */
/* zonedigest.c: the SHA-256 of a built zone's records (zonedigest.h), with OpenSSL's EVP
 * interface, which uses the CPU's SHA instructions where there are any: a zone of a
 * million records is hashed in a few tens of milliseconds. Load path only. */
#include "config.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

#include "zonedigest.h"

/* A record's type, class and TTL in network order (RFC 1035 section 4.1.3), hashed
 * after its owner; then its RDLENGTH, the first field of a stored record (zone.h). */
#define DIGEST_RR_FIXED 8
#define DIGEST_RDLEN_SIZE 2
/* Records are gathered into this much before each update: one call per record would
 * cost more than the hashing. */
#define DIGEST_BUF_SIZE 16384

struct digest {
	EVP_MD_CTX *ctx;
	uint8_t buf[DIGEST_BUF_SIZE];
	size_t used;
	bool ok;
};

static void digest_flush(struct digest *d)
{
	if (d->used > 0 && EVP_DigestUpdate(d->ctx, d->buf, d->used) != 1)
		d->ok = false;
	d->used = 0;
}

static void digest_add(struct digest *d, const uint8_t *p, size_t len)
{
	if (d->used + len > sizeof(d->buf))
		digest_flush(d);
	if (len > sizeof(d->buf)) {
		if (EVP_DigestUpdate(d->ctx, p, len) != 1)
			d->ok = false;
		return;
	}
	memcpy(d->buf + d->used, p, len);
	d->used += len;
}

int zone_digest(struct zone *z)
{
	struct digest d;
	const struct node *n;
	/* Owner, type, class, TTL and RDLENGTH of one record. */
	uint8_t head[DNS_MAX_NAME + DIGEST_RR_FIXED + DIGEST_RDLEN_SIZE];
	unsigned i, j, len = 0;

	_Static_assert(ZONE_DIGEST_SIZE == 32, "a SHA-256 digest");
	d.ctx = EVP_MD_CTX_new();
	d.used = 0;
	d.ok = d.ctx != NULL && EVP_DigestInit_ex(d.ctx, EVP_sha256(), NULL) == 1;
	for (n = zone_next_node(z, NULL); n != NULL && d.ok; n = zone_next_node(z, n)) {
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
				digest_add(&d, head, n->name_len + DIGEST_RR_FIXED + DIGEST_RDLEN_SIZE);
				digest_add(&d, rr + RR_HEADER_SIZE, rdlen);
				rr += RR_HEADER_SIZE + rdlen;
			}
		}
	}
	if (d.ok)
		digest_flush(&d);
	if (d.ok && (EVP_DigestFinal_ex(d.ctx, z->digest, &len) != 1 || len != ZONE_DIGEST_SIZE))
		d.ok = false;
	EVP_MD_CTX_free(d.ctx);
	d.ctx = NULL;
	return d.ok ? 0 : -ENOMEM;
}
