/* SPDX-License-Identifier: BSD-3-Clause */
/* encode.c: RRsets into the response, names compressed, each RRset all or nothing. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "dns.h"
#include "encode.h"
#include "wire.h"

/* Pointers can address only the first 16 KiB of a message (14-bit offsets). */
#define COMP_OFFSET_MAX 0x3fff

static inline uint8_t fold(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* True when the name at buf[off] (which may end in pointers, always to earlier offsets
 * that this encoder wrote) equals the uncompressed name n, ignoring ASCII case. */
static bool name_at_equals(const uint8_t *buf, size_t off, const uint8_t *n)
{
	for (;;) {
		uint8_t c = buf[off];
		unsigned i;

		while ((c & 0xc0) == 0xc0) {
			off = ((size_t)(c & 0x3f) << 8) | buf[off + 1];
			c = buf[off];
		}
		if (c != *n)
			return false;
		if (c == 0)
			return true;
		/* Equal bytes first: both sides are mostly in the same case. */
		for (i = 1; i <= c; i++)
			if (buf[off + i] != n[i] && fold(buf[off + i]) != fold(n[i]))
				return false;
		off += c + 1u;
		n += c + 1u;
	}
}

/* A compression pointer is about to be written at e->len. */
static inline void ptr_logged(struct encoder *e)
{
	if (__builtin_expect(e->ptr_log != NULL, 0))
		e->ptr_log[e->ptr_count++] = (uint16_t)e->len;
}

/* Back to the mark after something did not fit: the pointers past it are gone. */
static void rollback(struct encoder *e, size_t mark_len, uint16_t mark_comp)
{
	e->len = mark_len;
	e->comp_count = mark_comp;
	while (e->ptr_log != NULL && e->ptr_count > 0 && e->ptr_log[e->ptr_count - 1] >= mark_len)
		e->ptr_count--;
}

static void comp_add(struct encoder *e, size_t off)
{
	if (e->comp_count < ENCODE_COMP_MAX && off <= COMP_OFFSET_MAX)
		e->comp[e->comp_count++] = (uint16_t)off;
}

void encode_init(struct encoder *e, uint8_t *buf, size_t len, size_t limit, const uint8_t *qname)
{
	size_t off = DNS_HEADER_SIZE;

	e->buf = buf;
	e->len = len;
	e->limit = limit;
	memset(e->count, 0, sizeof(e->count));
	e->comp_count = 0;
	e->ptr_log = NULL;
	e->ptr_count = 0;
	/* The root has no suffix to point to; its owner is written as the one zero byte. */
	e->question = qname != NULL && qname[0] != 0 ? qname : NULL;
	if (qname == NULL)
		return;
	/* Every suffix of the question's name is a compression target. */
	while (buf[off] != 0) {
		comp_add(e, off);
		off += buf[off] + 1u;
	}
}

/* Finds the longest suffix of name already in the message. Returns the offset of name at
 * which that suffix starts (name_len - 1 for the root, which is never compressed) and
 * sets *target to where it is in the message. */
static size_t comp_find(const struct encoder *e, const uint8_t *name, size_t name_len,
			uint16_t *target)
{
	size_t pos = 0;

	while (name[pos] != 0) {
		unsigned i;

		for (i = 0; i < e->comp_count; i++) {
			/* Cheap filter on the label length before the full comparison. */
			if (e->buf[e->comp[i]] == name[pos] &&
			    name_at_equals(e->buf, e->comp[i], name + pos)) {
				*target = e->comp[i];
				return pos;
			}
		}
		pos += name[pos] + 1u;
	}
	(void)name_len;
	return pos;
}

/* Writes name compressed; *target is set to an offset at which the whole name can be
 * pointed to afterwards (0 when none can: past the 14-bit range). */
static int write_name(struct encoder *e, const uint8_t *name, size_t name_len, uint16_t *target)
{
	uint16_t found = 0;
	size_t prefix, need, pos;
	bool pointer;

	if (name == e->question) {
		/* The qname's own bytes, copied to offset 12: comp_find() would find them
		 * there first (the table starts with offset 12), after comparing every label. */
		if (e->len + 2 > e->limit)
			return -ENOSPC;
		*target = DNS_HEADER_SIZE;
		ptr_logged(e);
		dns_write16(e->buf + e->len, 0xc000u | DNS_HEADER_SIZE);
		e->len += 2;
		return 0;
	}
	prefix = comp_find(e, name, name_len, &found);
	pointer = name[prefix] != 0;
	need = prefix + (pointer ? 2 : 1);

	if (e->len + need > e->limit)
		return -ENOSPC;
	*target = prefix > 0 ? (e->len <= COMP_OFFSET_MAX ? (uint16_t)e->len : 0) : found;
	memcpy(e->buf + e->len, name, prefix);
	for (pos = 0; pos < prefix; pos += name[pos] + 1u)
		comp_add(e, e->len + pos);
	e->len += prefix;
	if (pointer) {
		ptr_logged(e);
		dns_write16(e->buf + e->len, 0xc000u | found);
		e->len += 2;
	} else {
		e->buf[e->len++] = 0;
	}
	return 0;
}

/* Appends a compressed name (an RDATA name). Returns 0 or -ENOSPC, then e->len is
 * unchanged; encode_rrset()'s rollback removes what the table gained. */
static int encode_name(struct encoder *e, const uint8_t *name, size_t name_len)
{
	uint16_t target;

	return write_name(e, name, name_len, &target);
}

/* Writes one record's RDATA (rdlen bytes), compressing the names at the offsets name_off
 * lists (RR_NAME_NONE ends the list). */
static int encode_rdata(struct encoder *e, unsigned rdlen, const uint16_t name_off[RR_MAX_NAMES],
			const uint8_t *rdata)
{
	size_t rdlen_pos = e->len - 2;
	unsigned copied = 0;
	int i;

	for (i = 0; i < RR_MAX_NAMES; i++) {
		size_t name_len;

		if (name_off[i] == RR_NAME_NONE)
			break;
		if (e->len + (name_off[i] - copied) > e->limit)
			return -ENOSPC;
		memcpy(e->buf + e->len, rdata + copied, name_off[i] - copied);
		e->len += name_off[i] - copied;
		name_len = wire_name_len(rdata + name_off[i]);
		if (encode_name(e, rdata + name_off[i], name_len) != 0)
			return -ENOSPC;
		copied = name_off[i] + (unsigned)name_len;
	}
	if (e->len + (rdlen - copied) > e->limit)
		return -ENOSPC;
	memcpy(e->buf + e->len, rdata + copied, rdlen - copied);
	e->len += rdlen - copied;
	dns_write16(e->buf + rdlen_pos, (unsigned)(e->len - rdlen_pos - 2));
	return 0;
}

/* The same for a record as an RRset stores it (zone.h). */
static int encode_stored_rdata(struct encoder *e, const uint8_t *rr)
{
	const uint16_t name_off[RR_MAX_NAMES] = { (uint16_t)dns_read16(rr + 2),
						  (uint16_t)dns_read16(rr + 4) };

	return encode_rdata(e, dns_read16(rr), name_off, rr + RR_HEADER_SIZE);
}

int encode_rr(struct encoder *e, enum encode_section section, const struct encode_rr *rr)
{
	size_t mark_len = e->len;
	uint16_t mark_comp = e->comp_count, owner_at;

	if (write_name(e, rr->owner, rr->owner_len, &owner_at) != 0 ||
	    e->len + DNS_RR_FIXED_SIZE > e->limit)
		goto nospace;
	dns_write16(e->buf + e->len + DNS_RR_OFF_TYPE, rr->type);
	dns_write16(e->buf + e->len + DNS_RR_OFF_CLASS, rr->rclass);
	dns_write32(e->buf + e->len + DNS_RR_OFF_TTL, rr->ttl);
	e->len += DNS_RR_FIXED_SIZE;
	if (encode_rdata(e, rr->rdlen, rr->name_off, rr->rdata) != 0)
		goto nospace;
	e->count[section]++;
	return 0;

nospace:
	rollback(e, mark_len, mark_comp);
	return -ENOSPC;
}

int encode_rrset(struct encoder *e, enum encode_section section, const uint8_t *owner,
		 size_t owner_len, const struct rrset *rrset, uint32_t ttl)
{
	/* The mark to roll back to: NSD's packet_encode_rrset keeps the same two. */
	size_t mark_len = e->len;
	uint16_t mark_comp = e->comp_count;
	const uint8_t *rr = rrset->data;
	uint16_t owner_at = 0;
	unsigned i;

	for (i = 0; i < rrset->count; i++) {
		/* Every record of an RRset has the same owner: after the first, a pointer to
		 * it, without searching the table again. */
		if (owner_at != 0 && e->len + 2 <= e->limit) {
			ptr_logged(e);
			dns_write16(e->buf + e->len, 0xc000u | owner_at);
			e->len += 2;
		} else if (owner_at != 0 || write_name(e, owner, owner_len, &owner_at) != 0) {
			goto nospace;
		}
		if (e->len + DNS_RR_FIXED_SIZE > e->limit)
			goto nospace;
		dns_write16(e->buf + e->len + DNS_RR_OFF_TYPE, rrset->type);
		dns_write16(e->buf + e->len + DNS_RR_OFF_CLASS, rrset->rclass);
		dns_write32(e->buf + e->len + DNS_RR_OFF_TTL, ttl);
		e->len += DNS_RR_FIXED_SIZE;
		if (encode_stored_rdata(e, rr) != 0)
			goto nospace;
		rr += RR_HEADER_SIZE + dns_read16(rr);
	}
	e->count[section] = (uint16_t)(e->count[section] + rrset->count);
	return 0;

nospace:
	rollback(e, mark_len, mark_comp);
	return -ENOSPC;
}

int encode_dname(struct encoder *e, enum encode_section section, const uint8_t *owner,
		 size_t owner_len, const struct rrset *dname, uint32_t ttl)
{
	const uint8_t *rr = dname->data, *last = rr;
	size_t pos;
	unsigned i;

	for (i = 1; i < dname->count; i++) {
		rr += RR_HEADER_SIZE + dns_read16(rr);
		last = rr;
	}
	if (encode_rrset(e, section, owner, owner_len, dname, ttl) != 0)
		return -ENOSPC;
	/* The last record's RDATA, its target, ends the message as it was copied: every
	 * label starts a suffix a later name may point to. */
	for (pos = e->len - dns_read16(last); e->buf[pos] != 0; pos += e->buf[pos] + 1u)
		comp_add(e, pos);
	return 0;
}
