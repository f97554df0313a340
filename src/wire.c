/* SPDX-License-Identifier: BSD-3-Clause */
/* wire.c: the strict query parser. It allocates nothing, never follows a compression
 * pointer in the question, and never reads past the datagram. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wire.h"

/* 'A'..'Z' to 'a'..'z' in eight bytes at once, every other byte (0x80 and up included)
 * unchanged: bit 7 of a byte of `upper` is set when its low seven bits are at least 'A'
 * (0x41 + 0x3f carries into bit 7) and below '[' (0x5b + 0x25 would), and bit 7 of the
 * byte itself is clear; shifted down to bit 5 (0x20) it is what the fold adds. No carry
 * crosses a byte: seven-bit values plus 0x3f stay below 0x100. */
static inline uint64_t fold8(uint64_t w)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full, high = 0x8080808080808080ull;
	uint64_t h = w & low7;
	uint64_t upper = (h + 0x3f3f3f3f3f3f3f3full) & ~(h + 0x2525252525252525ull) & ~w & high;

	return w | (upper >> 2);
}

void wire_name_tolower(uint8_t *dest, const uint8_t *src, size_t len)
{
	size_t i = 0;

	for (; i + sizeof(uint64_t) <= len; i += sizeof(uint64_t)) {
		uint64_t w;

		memcpy(&w, src + i, sizeof(w));
		w = fold8(w);
		memcpy(dest + i, &w, sizeof(w));
	}
	/* Label length bytes are below 64, so folding them is harmless (RFC 4343 section 3). */
	if (i < len && len >= sizeof(uint64_t)) {
		/* The last eight bytes, some folded already: folding the source again gives
		 * them the same values, in place too. */
		uint64_t w;

		memcpy(&w, src + len - sizeof(w), sizeof(w));
		w = fold8(w);
		memcpy(dest + len - sizeof(w), &w, sizeof(w));
		return;
	}
	for (; i < len; i++) {
		uint8_t c = src[i];
		dest[i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
	}
}

size_t wire_name_len(const uint8_t *name)
{
	const uint8_t *p = name;

	while (*p != 0)
		p += *p + 1;
	return (size_t)(p - name) + 1;
}

unsigned wire_name_labels(const uint8_t *name)
{
	unsigned n = 0;

	for (; *name != 0; name += *name + 1)
		n++;
	return n;
}

/* Parses the qname at pkt[*at] into n: uncompressed labels only (a pointer or an extended
 * label type is FORMERR: a query has nothing to point back to), labels <= 63, name <= 255.
 * Returns 0 with *at moved past the name, or -EBADMSG (*at unchanged) when the name is
 * malformed or runs past len. */
static int parse_qname(struct wire_qname *n, const uint8_t *pkt, size_t len, size_t *at)
{
	size_t start = *at, pos = *at;
	unsigned labels = 0;

	for (;;) {
		uint8_t c;

		if (pos >= len)
			return -EBADMSG;
		c = pkt[pos];
		if (c & 0xc0)
			return -EBADMSG;
		if (pos - start + 1 + c > DNS_MAX_NAME)
			return -EBADMSG;
		if (labels >= DNS_MAX_LABELS)
			return -EBADMSG;
		n->label_off[labels] = (uint8_t)(pos - start);
		if (c == 0)
			break;
		if (pos + 1 + c > len)
			return -EBADMSG;
		labels++;
		pos += 1 + c;
	}
	pos++;
	n->len = (uint8_t)(pos - start);
	n->labels = (uint8_t)labels;
	wire_name_tolower(n->lname, pkt + start, n->len);
	*at = pos;
	return 0;
}

bool wire_peek_qname(struct wire_qname *n, const uint8_t *pkt, size_t len)
{
	size_t pos = DNS_HEADER_SIZE;

	return len > DNS_HEADER_SIZE && parse_qname(n, pkt, len, &pos) == 0;
}

int wire_skip_name(const uint8_t *pkt, size_t len, size_t *at)
{
	size_t pos = *at;

	for (;;) {
		uint8_t c;

		if (pos >= len)
			return -EBADMSG;
		c = pkt[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 2 > len)
				return -EBADMSG;
			*at = pos + 2;
			return 0;
		}
		if (c & 0xc0)
			return -EBADMSG;
		if (c == 0) {
			*at = pos + 1;
			return 0;
		}
		pos += 1 + c;
	}
}

/* Parses the one authority record of an IXFR request: an SOA (owner and RDATA names may
 * be compressed) whose RDATA is two names and five 32-bit fields; takes its serial into
 * q->ixfr_serial (RFC 1995 section 3). Returns 0 with *at past the record, or -EBADMSG
 * when it is not such a record. */
static int parse_ixfr_soa(struct wire_query *q, const uint8_t *pkt, size_t len, size_t *at)
{
	size_t pos = *at, rdata, end;
	unsigned rdlen;

	if (wire_skip_name(pkt, len, &pos) < 0 || pos + DNS_RR_FIXED_SIZE > len)
		return -EBADMSG;
	if (dns_read16(pkt + pos + DNS_RR_OFF_TYPE) != DNS_TYPE_SOA)
		return -EBADMSG;
	rdlen = dns_read16(pkt + pos + DNS_RR_OFF_RDLENGTH);
	rdata = pos + DNS_RR_FIXED_SIZE;
	end = rdata + rdlen;
	if (end > len)
		return -EBADMSG;
	pos = rdata;
	/* MNAME and RNAME, then SERIAL REFRESH RETRY EXPIRE MINIMUM, exactly. */
	if (wire_skip_name(pkt, end, &pos) < 0 || wire_skip_name(pkt, end, &pos) < 0 ||
	    pos + 5 * 4 != end)
		return -EBADMSG;
	q->ixfr_serial = (uint32_t)dns_read32(pkt + pos);
	*at = end;
	return 0;
}

/* Walks the additional section looking for the one OPT record (RFC 6891 section 6.1.1).
 * Returns RCODE_NOERROR or RCODE_FORMERR. */
static enum dns_rcode parse_additional(struct wire_query *q, const uint8_t *pkt, size_t len,
				       size_t pos, unsigned arcount)
{
	unsigned i;

	for (i = 0; i < arcount; i++) {
		size_t owner = pos, fixed, rdlen;
		unsigned type;
		unsigned long ttl;

		if (wire_skip_name(pkt, len, &pos) < 0 || pos + DNS_RR_FIXED_SIZE > len)
			return RCODE_FORMERR;
		fixed = pos;
		type = dns_read16(pkt + fixed + DNS_RR_OFF_TYPE);
		ttl = dns_read32(pkt + fixed + DNS_RR_OFF_TTL);
		rdlen = dns_read16(pkt + fixed + DNS_RR_OFF_RDLENGTH);
		pos += DNS_RR_FIXED_SIZE;
		if (pos + rdlen > len)
			return RCODE_FORMERR;
		if (type == DNS_TYPE_TSIG) {
			/* Only as the last record (RFC 8945 section 5.1): a second one is
			 * not last either. */
			if (i + 1 != arcount ||
			    wire_parse_tsig(&q->tsig, pkt, pos + rdlen, owner) < 0)
				return RCODE_FORMERR;
		} else if (type == DNS_TYPE_OPT) {
			/* Two OPTs, or an OPT not owned by the root: FORMERR (RFC 6891 6.1.1). */
			if (q->edns.present)
				return RCODE_FORMERR;
			q->edns.present = true;
			if (pkt[owner] != 0)
				return RCODE_FORMERR;
			q->edns.udp_size = (uint16_t)dns_read16(pkt + fixed + DNS_RR_OFF_CLASS);
			q->edns.version = (uint8_t)(ttl >> EDNS_TTL_VERSION_SHIFT);
			q->edns.do_bit = (ttl & EDNS_FLAG_DO) != 0;
			if (edns_parse_options(&q->edns, pkt + pos, rdlen) < 0)
				return RCODE_FORMERR;
		}
		pos += rdlen;
	}
	/* Bytes after the last record are ignored, as NSD and BIND do. */
	return RCODE_NOERROR;
}

/* Parses an uncompressed name at pkt[*at] (at most DNS_MAX_NAME bytes, ending before len)
 * into out, lowercased. Returns its length, or 0 when malformed. */
static size_t parse_plain_name(uint8_t *out, const uint8_t *pkt, size_t len, size_t *at)
{
	size_t start = *at, pos = *at;

	for (;;) {
		uint8_t c;

		if (pos >= len)
			return 0;
		c = pkt[pos];
		if ((c & 0xc0) != 0 || pos - start + 1 + c > DNS_MAX_NAME)
			return 0;
		pos += 1 + c;
		if (c == 0)
			break;
	}
	wire_name_tolower(out, pkt + start, pos - start);
	*at = pos;
	return pos - start;
}

int wire_parse_tsig(struct wire_tsig *t, const uint8_t *pkt, size_t len, size_t at)
{
	size_t pos = at, n;

	n = parse_plain_name(t->key_name, pkt, len, &pos);
	if (n == 0 || pos + DNS_RR_FIXED_SIZE > len)
		return -EBADMSG;
	t->key_name_len = (uint8_t)n;
	/* CLASS ANY, TTL 0 (RFC 8945 section 4.2); the RDATA ends the record at len. */
	if (dns_read16(pkt + pos + DNS_RR_OFF_TYPE) != DNS_TYPE_TSIG ||
	    dns_read16(pkt + pos + DNS_RR_OFF_CLASS) != DNS_CLASS_ANY ||
	    dns_read32(pkt + pos + DNS_RR_OFF_TTL) != 0 ||
	    pos + DNS_RR_FIXED_SIZE + dns_read16(pkt + pos + DNS_RR_OFF_RDLENGTH) != len)
		return -EBADMSG;
	pos += DNS_RR_FIXED_SIZE;
	n = parse_plain_name(t->alg_name, pkt, len, &pos);
	if (n == 0 || pos + TSIG_TIMERS_SIZE + 2 > len)
		return -EBADMSG;
	t->alg_name_len = (uint8_t)n;
	t->time_signed = ((uint64_t)dns_read16(pkt + pos) << 32) | dns_read32(pkt + pos + 2);
	t->fudge = (uint16_t)dns_read16(pkt + pos + 6);
	t->mac_size = (uint16_t)dns_read16(pkt + pos + 8);
	pos += TSIG_TIMERS_SIZE + 2;
	if (pos + t->mac_size + TSIG_TAIL_SIZE > len)
		return -EBADMSG;
	t->mac = pkt + pos;
	pos += t->mac_size;
	t->original_id = (uint16_t)dns_read16(pkt + pos);
	t->error = (uint16_t)dns_read16(pkt + pos + 2);
	t->other_len = (uint16_t)dns_read16(pkt + pos + 4);
	pos += TSIG_TAIL_SIZE;
	if (pos + t->other_len != len)
		return -EBADMSG;
	t->other = pkt + pos;
	t->offset = at;
	t->present = true;
	return 0;
}

enum dns_rcode wire_parse_query(struct wire_query *q, const uint8_t *pkt, size_t len)
{
	return wire_parse_query_peeked(q, pkt, len, NULL);
}

enum dns_rcode wire_parse_query_peeked(struct wire_query *q, const uint8_t *pkt, size_t len,
				       const struct wire_qname *peek)
{
	unsigned qdcount, ancount, nscount, arcount;
	size_t pos = DNS_HEADER_SIZE;
	const struct wire_qname *n = &q->parsed;
	enum dns_rcode rc;

	q->question_ok = false;
	q->question_len = 0;
	q->qname_len = 0;
	q->label_count = 0;
	q->lname = q->parsed.lname;
	q->label_off = q->parsed.label_off;
	memset(&q->edns, 0, sizeof(q->edns));
	q->tsig.present = false;

	/* Too short to carry an ID, or a response: never answer (reflection loops). */
	if (len < DNS_HEADER_SIZE)
		return RCODE_DISCARD;
	q->id = (uint16_t)dns_read16(pkt + DNS_OFF_ID);
	q->flags = (uint16_t)dns_read16(pkt + DNS_OFF_FLAGS);
	if (q->flags & DNS_FLAG_QR)
		return RCODE_DISCARD;
	if (DNS_OPCODE(q->flags) != DNS_OPCODE_QUERY &&
	    DNS_OPCODE(q->flags) != DNS_OPCODE_NOTIFY)
		return RCODE_NOTIMP;

	qdcount = dns_read16(pkt + DNS_OFF_QDCOUNT);
	ancount = dns_read16(pkt + DNS_OFF_ANCOUNT);
	nscount = dns_read16(pkt + DNS_OFF_NSCOUNT);
	arcount = dns_read16(pkt + DNS_OFF_ARCOUNT);
	if (qdcount != 1)
		return RCODE_FORMERR;

	/* The peek read the same bytes with the same rules: what it found stands. */
	if (peek != NULL) {
		n = peek;
		pos += peek->len;
	} else if (parse_qname(&q->parsed, pkt, len, &pos) < 0) {
		return RCODE_FORMERR;
	}
	q->qname = pkt + DNS_HEADER_SIZE;
	q->qname_len = n->len;
	q->label_count = n->labels;
	q->lname = n->lname;
	q->label_off = n->label_off;
	if (pos + DNS_QUESTION_FIXED_SIZE > len)
		return RCODE_FORMERR;
	q->qtype = (uint16_t)dns_read16(pkt + pos);
	q->qclass = (uint16_t)dns_read16(pkt + pos + 2);
	pos += DNS_QUESTION_FIXED_SIZE;
	q->question_ok = true;
	q->question_len = pos - DNS_HEADER_SIZE;

	/* A query carries no answer or authority records (RFC 1035 section 4.1.1; NSD);
	 * but an IXFR carries the client's SOA in its authority section (RFC 1995 section 3),
	 * and is malformed without it. */
	if (DNS_OPCODE(q->flags) == DNS_OPCODE_NOTIFY) {
		/* A NOTIFY may carry the zone's new SOA in its answer section (RFC 1996
		 * section 3.7); its serial is only a hint, kept where an IXFR's goes. */
		if (ancount > 1 || nscount != 0 ||
		    (ancount == 1 && parse_ixfr_soa(q, pkt, len, &pos) < 0))
			return RCODE_FORMERR;
	} else if (ancount != 0) {
		return RCODE_FORMERR;
	} else if (q->qtype == DNS_TYPE_IXFR) {
		if (nscount != 1 || parse_ixfr_soa(q, pkt, len, &pos) < 0)
			return RCODE_FORMERR;
	} else if (nscount != 0) {
		return RCODE_FORMERR;
	}
	rc = parse_additional(q, pkt, len, pos, arcount);
	if (rc != RCODE_NOERROR)
		return rc;
	/* Only version 0 exists (RFC 6891 section 6.1.3). */
	if (q->edns.present && q->edns.version > 0)
		return RCODE_BADVERS;
	return RCODE_NOERROR;
}

void wire_name_format(const uint8_t *name, char *out, size_t size)
{
	const uint8_t *p = name;
	size_t n = 0;

	if (name[0] == 0) {
		snprintf(out, size, ".");
		return;
	}
	out[0] = '\0';
	while (*p != 0 && n + 6 < size) {
		unsigned i;

		for (i = 1; i <= *p && n + 6 < size; i++) {
			uint8_t c = p[i];

			if (c == '.' || c == '\\')
				n += (size_t)snprintf(out + n, size - n, "\\%c", c);
			else if (c > 0x20 && c < 0x7f)
				out[n++] = (char)c;
			else
				n += (size_t)snprintf(out + n, size - n, "\\%03u", c);
		}
		out[n++] = '.';
		p += *p + 1;
	}
	out[n] = '\0';
}
