/* SPDX-License-Identifier: BSD-3-Clause */
/* msg.c: read DNS messages byte by byte for dualq's verdicts, trusting nothing in them. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client/msg.h"

/* The header's four counts are consecutive 16-bit words, in enum msg_section order. */
static uint16_t header_count(const uint8_t *wire, enum msg_section s)
{
	return (uint16_t)dns_read16(wire + DNS_OFF_QDCOUNT + 2 * (size_t)s);
}

int msg_name_read(uint8_t *out, const uint8_t *wire, size_t len, size_t *off, bool lower)
{
	size_t pos = *off, outlen = 0, end = 0;
	unsigned jumps = 0;
	bool jumped = false;

	for (;;) {
		if (pos >= len)
			return -EBADMSG;
		uint8_t c = wire[pos];
		if ((c & 0xc0) == 0xc0) {
			/* Compression pointer (RFC 1035 section 4.1.4). A name has at most 127
			 * labels, so more jumps than that can only be a loop. */
			if (pos + 1 >= len || ++jumps > DNS_MAX_LABELS - 1)
				return -EBADMSG;
			if (!jumped) {
				end = pos + 2;
				jumped = true;
			}
			pos = ((size_t)(c & 0x3f) << 8) | wire[pos + 1];
			continue;
		}
		if (c & 0xc0)
			return -EBADMSG;  /* 0x40 and 0x80 label types are obsolete (RFC 6891 section 5) */
		if (pos + 1 + c > len || outlen + 1 + c > DNS_MAX_NAME)
			return -EBADMSG;
		out[outlen++] = c;
		for (unsigned i = 0; i < c; i++) {
			uint8_t b = wire[pos + 1 + i];
			out[outlen++] = lower ? (uint8_t)tolower(b) : b;
		}
		pos += 1 + (size_t)c;
		if (c == 0)
			break;
	}
	*off = jumped ? end : pos;
	return (int)outlen;
}

int msg_iter_init(struct msg_iter *it, const uint8_t *wire, size_t len)
{
	uint8_t name[DNS_MAX_NAME];

	memset(it, 0, sizeof(*it));
	if (len < DNS_HEADER_SIZE)
		return -EBADMSG;
	it->wire = wire;
	it->len = len;
	for (int s = MSG_QD; s <= MSG_AR; s++)
		it->count[s] = header_count(wire, s);
	it->off = DNS_HEADER_SIZE;
	for (unsigned q = 0; q < it->count[MSG_QD]; q++) {
		if (msg_name_read(name, wire, len, &it->off, false) < 0 ||
		    it->off + DNS_QUESTION_FIXED_SIZE > len)
			return -EBADMSG;
		it->off += DNS_QUESTION_FIXED_SIZE;
	}
	it->section = MSG_AN;
	it->left = it->count[MSG_AN];
	return 0;
}

bool msg_iter_next(struct msg_iter *it, struct msg_rr *rr)
{
	while (it->left == 0) {
		if (it->section == MSG_AR)
			return false;
		it->section++;
		it->left = it->count[it->section];
	}
	size_t off = it->off;
	int n = msg_name_read(rr->owner, it->wire, it->len, &off, true);
	if (n < 0 || off + DNS_RR_FIXED_SIZE > it->len)
		return false;
	rr->owner_len = (size_t)n;
	rr->type = (uint16_t)dns_read16(it->wire + off + DNS_RR_OFF_TYPE);
	rr->rclass = (uint16_t)dns_read16(it->wire + off + DNS_RR_OFF_CLASS);
	rr->ttl = (uint32_t)dns_read32(it->wire + off + DNS_RR_OFF_TTL);
	rr->rdlen = (uint16_t)dns_read16(it->wire + off + DNS_RR_OFF_RDLENGTH);
	rr->rdata_off = off + DNS_RR_FIXED_SIZE;
	if (rr->rdata_off + rr->rdlen > it->len)
		return false;
	rr->section = it->section;
	it->off = rr->rdata_off + rr->rdlen;
	it->left--;
	return true;
}

/* Reads the OPT record's fixed fields, the NSID option (RFC 6891 section 6.1.2,
 * RFC 5001 section 2.3) and the COOKIE option (RFC 7873 section 4). */
static void msg_read_opt(struct msg_view *v, const uint8_t *wire, const struct msg_rr *rr)
{
	v->opt_count++;
	if (v->has_opt)
		return;
	v->has_opt = true;
	v->opt_udp_size = rr->rclass;
	v->opt_ext_rcode = (uint8_t)(rr->ttl >> 24);
	v->opt_version = (uint8_t)(rr->ttl >> 16);
	v->opt_do = (rr->ttl & EDNS_FLAG_DO) != 0;
	size_t p = rr->rdata_off, end = rr->rdata_off + rr->rdlen;
	while (p + EDNS_OPTION_HEADER_SIZE <= end) {
		unsigned code = dns_read16(wire + p), olen = dns_read16(wire + p + 2);
		p += EDNS_OPTION_HEADER_SIZE;
		if (p + olen > end)
			break;
		if (code == EDNS_OPT_NSID && !v->has_nsid) {
			v->has_nsid = true;
			v->nsid_len = olen < MSG_NSID_MAX ? olen : MSG_NSID_MAX;
			memcpy(v->nsid, wire + p, v->nsid_len);
		}
		if (code == EDNS_OPT_COOKIE && !v->has_cookie) {
			v->has_cookie = true;
			v->cookie_len = olen;
			memcpy(v->cookie, wire + p, olen < MSG_COOKIE_MAX ? olen : MSG_COOKIE_MAX);
		}
		p += olen;
	}
}

int msg_parse(struct msg_view *v, const uint8_t *wire, size_t len)
{
	struct msg_iter it;
	struct msg_rr rr;

	memset(v, 0, sizeof(*v));
	if (len < DNS_HEADER_SIZE)
		return -EINVAL;
	v->id = (uint16_t)dns_read16(wire + DNS_OFF_ID);
	v->flags = (uint16_t)dns_read16(wire + DNS_OFF_FLAGS);
	for (int s = MSG_QD; s <= MSG_AR; s++)
		v->count[s] = header_count(wire, s);
	if (v->count[MSG_QD] > 0) {
		size_t off = DNS_HEADER_SIZE;
		int n = msg_name_read(v->qname, wire, len, &off, false);
		if (n < 0 || off + DNS_QUESTION_FIXED_SIZE > len)
			return -EBADMSG;
		v->qname_len = (size_t)n;
		v->qtype = (uint16_t)dns_read16(wire + off);
		v->qclass = (uint16_t)dns_read16(wire + off + 2);
		v->has_question = true;
	}
	if (msg_iter_init(&it, wire, len) < 0)
		return -EBADMSG;
	v->present[MSG_QD] = v->count[MSG_QD];
	while (msg_iter_next(&it, &rr)) {
		v->present[rr.section]++;
		if (rr.section == MSG_AR && rr.type == DNS_TYPE_OPT)
			msg_read_opt(v, wire, &rr);
	}
	v->complete = true;
	for (int s = 1; s < 4; s++)
		if (v->present[s] != v->count[s])
			v->complete = false;
	v->trailing = v->complete ? len - it.off : 0;
	return 0;
}

unsigned msg_rcode(const struct msg_view *v)
{
	unsigned rcode = DNS_RCODE(v->flags);
	if (v->has_opt)
		rcode |= (unsigned)v->opt_ext_rcode << 4;
	return rcode;
}

void msg_name_str(char *buf, size_t buflen, const uint8_t *name, size_t name_len)
{
	size_t o = 0, p = 0;

	if (buflen == 0)
		return;
	buf[0] = '\0';
	if (name_len == 0 || name[0] == 0) {
		snprintf(buf, buflen, ".");
		return;
	}
	while (p < name_len && name[p] != 0) {
		uint8_t l = name[p++];
		for (unsigned i = 0; i < l && p < name_len; i++, p++) {
			uint8_t c = name[p];
			int w;
			if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')')
				w = snprintf(buf + o, buflen - o, "\\%c", c);
			else if (c < 0x21 || c > 0x7e)
				w = snprintf(buf + o, buflen - o, "\\%03u", c);
			else
				w = snprintf(buf + o, buflen - o, "%c", c);
			if (w < 0 || (size_t)w >= buflen - o)
				return;
			o += (size_t)w;
		}
		int w = snprintf(buf + o, buflen - o, ".");
		if (w < 0 || (size_t)w >= buflen - o)
			return;
		o += (size_t)w;
	}
}

void msg_type_str(char *buf, size_t buflen, uint16_t type)
{
	static const struct { uint16_t type; const char *name; } types[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
		{ 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" },
		{ 35, "NAPTR" }, { 39, "DNAME" }, { 41, "OPT" }, { 43, "DS" }, { 46, "RRSIG" },
		{ 47, "NSEC" }, { 48, "DNSKEY" }, { 50, "NSEC3" }, { 64, "SVCB" }, { 65, "HTTPS" },
		{ 99, "SPF" }, { 252, "AXFR" }, { 255, "ANY" }, { 257, "CAA" },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (types[i].type == type) {
			snprintf(buf, buflen, "%s", types[i].name);
			return;
		}
	}
	snprintf(buf, buflen, "TYPE%u", type);
}

void msg_rcode_str(char *buf, size_t buflen, unsigned rcode)
{
	const char *name = dns_rcode_text(rcode);

	if (name != NULL)
		snprintf(buf, buflen, "%s", name);
	else
		snprintf(buf, buflen, "RCODE%u", rcode);
}
