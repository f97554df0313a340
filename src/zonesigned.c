/* SPDX-License-Identifier: BSD-3-Clause */
/* zonesigned.c: a loaded zone's DNSSEC state (denial kind, NSEC3 parameters, unsigned
 * RRsets, expired and expiring signatures) for --check and the load log. */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "dns.h"
#include "log.h"
#include "zonesigned.h"

/* RRSIG RDATA (RFC 4034 section 3.1): type covered 2, algorithm 1, labels 1, original
 * TTL 4, expiration 4, inception 4, key tag 2, then the signer's name and the signature. */
#define RRSIG_FIXED 18
#define RRSIG_EXPIRATION 8
#define RRSIG_INCEPTION 12
/* NSEC3 and NSEC3PARAM RDATA (RFC 5155 sections 3.2 and 4.2): hash algorithm 1, flags 1,
 * iterations 2, salt length 1, salt. */
#define NSEC3_FIXED 5
#define NSEC3_FLAG_OPTOUT 0x01

/* The record at *p of an RRset (struct rrset's layout, zone.h): returns its RDATA, sets
 * *rdlen, and moves *p to the next record. */
static const uint8_t *next_rdata(const uint8_t **p, unsigned *rdlen)
{
	const uint8_t *rdata = *p + RR_HEADER_SIZE;

	*rdlen = dns_read16(*p);
	*p = rdata + *rdlen;
	return rdata;
}

/* Whether an RRSIG of the node's RRSIG RRset covers this type. */
static bool covered(const struct rrset *sigs, uint16_t type)
{
	const uint8_t *p, *rdata;
	unsigned rdlen;
	size_t i;

	if (sigs == NULL)
		return false;
	for (i = 0, p = sigs->data; i < sigs->count; i++) {
		rdata = next_rdata(&p, &rdlen);
		if (rdlen >= 2 && dns_read16(rdata) == type)
			return true;
	}
	return false;
}

/* Counts one RRset or signature in *count and names it in list while there is room. */
static void note(size_t *count, struct zonesigned_rrset *list, const struct node *n,
		 uint16_t type, uint32_t expiration)
{
	if (*count < ZONESIGNED_LIST_MAX) {
		list[*count].owner = n->name;
		list[*count].owner_len = n->name_len;
		list[*count].type = type;
		list[*count].expiration = expiration;
	}
	(*count)++;
}

/* The node's signatures against now: expired, expiring soon, the earliest expiration. */
static void inspect_signatures(struct zonesigned *s, const struct node *n,
			       const struct rrset *sigs, uint32_t now)
{
	const uint8_t *p;
	unsigned rdlen;
	size_t i;

	for (i = 0, p = sigs->data; i < sigs->count; i++) {
		const uint8_t *rdata = next_rdata(&p, &rdlen);
		uint32_t exp, inception;
		uint16_t type;

		if (rdlen < RRSIG_FIXED)
			continue;
		s->signatures++;
		type = (uint16_t)dns_read16(rdata);
		exp = (uint32_t)dns_read32(rdata + RRSIG_EXPIRATION);
		inception = (uint32_t)dns_read32(rdata + RRSIG_INCEPTION);
		if ((int32_t)(inception - now) > 0)
			note(&s->future, s->future_first, n, type, inception);
		/* RFC 4034 section 3.1.5: the times compare in serial number arithmetic
		 * (RFC 1982), so a signature stays valid across 2106. */
		if ((int32_t)(exp - now) < 0)
			note(&s->expired, s->expired_first, n, type, exp);
		else if (exp - now < ZONESIGNED_SOON)
			note(&s->expiring, s->expiring_first, n, type, exp);
		if (!s->have_earliest || (int32_t)(exp - s->earliest) < 0)
			s->earliest = exp;
		s->have_earliest = true;
	}
}

/* Whether the node's RRset of this type is authoritative data that a signed zone signs
 * (RFC 4035 section 2.2): not the NS of a delegation, nothing below a cut (glue and
 * occluded data); the DS and NSEC at a cut are the parent's and are signed. */
static bool needs_signature(const struct node *n, uint16_t type)
{
	if (type == DNS_TYPE_RRSIG || (n->flags & NODE_BELOW_CUT))
		return false;
	if ((n->flags & NODE_CUT) && !(n->flags & NODE_APEX))
		return type == DNS_TYPE_DS || type == DNS_TYPE_NSEC;
	return true;
}

/* The apex NSEC3PARAM's fields into s; false when it is cut short. */
static bool read_nsec3param(struct zonesigned *s, const struct rrset *param)
{
	const uint8_t *rdata = param->data + RR_HEADER_SIZE;
	unsigned rdlen = dns_read16(param->data);

	if (rdlen < NSEC3_FIXED || rdlen < NSEC3_FIXED + (unsigned)rdata[4])
		return false;
	s->nsec3_alg = rdata[0];
	s->nsec3_iterations = (uint16_t)dns_read16(rdata + 2);
	s->salt_len = rdata[4];
	memcpy(s->salt, rdata + NSEC3_FIXED, s->salt_len);
	return true;
}

/* Whether an NSEC3 of the RRset has the opt-out flag (RFC 5155 section 3.1.2.1). */
static bool has_optout(const struct rrset *nsec3)
{
	const uint8_t *p, *rdata;
	unsigned rdlen;
	size_t i;

	for (i = 0, p = nsec3->data; i < nsec3->count; i++) {
		rdata = next_rdata(&p, &rdlen);
		if (rdlen >= 2 && (rdata[1] & NSEC3_FLAG_OPTOUT))
			return true;
	}
	return false;
}

void zonesigned_inspect(struct zonesigned *s, const struct zone *z, uint32_t now)
{
	const struct node *n, *apex = z->apex;
	const struct rrset *param = apex != NULL ? node_find_rrset(apex, DNS_TYPE_NSEC3PARAM) : NULL;
	bool keys = apex != NULL && node_find_rrset(apex, DNS_TYPE_DNSKEY) != NULL;

	memset(s, 0, sizeof(*s));
	if (param != NULL && param->count > 0 && read_nsec3param(s, param))
		s->denial = ZONESIGNED_NSEC3;
	else if (apex != NULL && node_find_rrset(apex, DNS_TYPE_NSEC) != NULL)
		s->denial = ZONESIGNED_NSEC;
	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n)) {
		const struct rrset *sigs = node_find_rrset(n, DNS_TYPE_RRSIG);

		if (sigs != NULL)
			inspect_signatures(s, n, sigs, now);
		for (size_t i = 0; i < n->rrset_count; i++) {
			const struct rrset *rs = &n->rrsets[i];

			if (rs->type == DNS_TYPE_NSEC3 && has_optout(rs))
				s->optout = true;
			if (needs_signature(n, rs->type) && !covered(sigs, rs->type))
				note(&s->unsigned_count, s->unsigned_first, n, rs->type, 0);
		}
	}
	if (s->signatures == 0 && !keys && s->denial == ZONESIGNED_UNSIGNED) {
		/* Nothing signed: the missing signatures are no news. */
		s->unsigned_count = 0;
		return;
	}
	if (s->denial == ZONESIGNED_UNSIGNED)
		s->denial = ZONESIGNED_NONE;
}

uint32_t zonesigned_now(void)
{
	return (uint32_t)time(NULL);
}

/* Writes name (a wire name) in presentation form into buf, escaping as RFC 4343 section
 * 2.1 does: "\." and "\\" in labels, \DDD for bytes that are not printable. */
static void name_text(char *buf, size_t len, const uint8_t *name, size_t name_len)
{
	size_t pos = 0, i = 0;

	buf[0] = '\0';
	if (name_len <= 1) {
		snprintf(buf, len, ".");
		return;
	}
	while (i < name_len && name[i] != 0 && pos + 5 < len) {
		size_t l = name[i++];

		for (; l > 0 && i < name_len && pos + 5 < len; l--, i++) {
			uint8_t c = name[i];

			if (c == '.' || c == '\\')
				pos += (size_t)snprintf(buf + pos, len - pos, "\\%c", c);
			else if (c <= 0x20 || c >= 0x7f)
				pos += (size_t)snprintf(buf + pos, len - pos, "\\%03u", c);
			else
				buf[pos++] = (char)c;
		}
		buf[pos++] = '.';
		buf[pos] = '\0';
	}
}

/* Writes the type's mnemonic ("TYPE65000" for one ldns does not know) into buf. */
static void type_text(char *buf, size_t len, uint16_t type)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(type);

	if (d != NULL && d->_name != NULL)
		snprintf(buf, len, "%s", d->_name);
	else
		snprintf(buf, len, "TYPE%u", type);
}

/* Writes a 32-bit RRSIG time as "YYYY-MM-DD HH:MM:SS" UTC: the date nearest now that has
 * these low 32 bits (RFC 4034 section 3.1.5). */
static void time_text(char *buf, size_t len, uint32_t t, uint32_t now)
{
	time_t full = (time_t)now + (int32_t)(t - now);
	struct tm tm;

	if (gmtime_r(&full, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "%u", t);
}

/* Where the lines go: a --check FILE, or the log (warnings only). */
struct sink {
	const struct zone *z;
	FILE *out;
	unsigned warnings;
};

static void say(struct sink *k, bool warning, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct sink *k, bool warning, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (warning)
		k->warnings++;
	if (k->out != NULL)
		fprintf(k->out, "%s: %s%s\n", k->z->origin_text, warning ? "warning: " : "", line);
	else if (warning)
		log_warning("zone %s: %s", k->z->origin_text, line);
}

/* Writes "a.example. A, b.example. TXT (expires 2026-01-01 00:00:00)" for the listed
 * RRsets of one message, "and N more" past ZONESIGNED_LIST_MAX. */
static void list_text(char *buf, size_t len, const struct zonesigned_rrset *list,
		      size_t count, bool with_time, uint32_t now)
{
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; i < count && i < ZONESIGNED_LIST_MAX && pos < len; i++) {
		char name[DNS_MAX_NAME * 4 + 2], type[24], when[40] = "";

		name_text(name, sizeof(name), list[i].owner, list[i].owner_len);
		type_text(type, sizeof(type), list[i].type);
		if (with_time) {
			char t[32];

			time_text(t, sizeof(t), list[i].expiration, now);
			snprintf(when, sizeof(when), " (%s)", t);
		}
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s %s%s", i > 0 ? ", " : "",
					name, type, when);
	}
	if (count > ZONESIGNED_LIST_MAX && pos < len)
		snprintf(buf + pos, len - pos, " and %zu more", count - ZONESIGNED_LIST_MAX);
}

/* The state line and the warnings of z into k. */
static void report(struct sink *k, uint32_t now)
{
	struct zonesigned s;
	char salt[2 * 255 + 1] = "-", list[400], when[32];
	size_t i;

	zonesigned_inspect(&s, k->z, now);
	switch (s.denial) {
	case ZONESIGNED_UNSIGNED:
		say(k, false, "unsigned");
		return;
	case ZONESIGNED_NONE:
		say(k, true, "signed (%zu signatures) but with neither NSEC nor NSEC3PARAM at "
		    "the apex: no denial of existence (RFC 4035 section 2.3)", s.signatures);
		break;
	case ZONESIGNED_NSEC:
		say(k, false, "signed with NSEC, %zu signatures", s.signatures);
		break;
	case ZONESIGNED_NSEC3:
		for (i = 0; i < s.salt_len; i++)
			snprintf(salt + 2 * i, 3, "%02x", s.salt[i]);
		say(k, false, "signed with NSEC3: hash algorithm %u, %u iterations, salt %s, %s; "
		    "%zu signatures", s.nsec3_alg, s.nsec3_iterations, salt,
		    s.optout ? "opt-out" : "no opt-out", s.signatures);
		if (s.nsec3_iterations > 0 || s.salt_len > 0)
			say(k, true, "NSEC3 with %u iterations and salt %s: RFC 9276 section 3.1 "
			    "says 0 iterations and an empty salt", s.nsec3_iterations, salt);
		break;
	}
	if (s.have_earliest && k->out != NULL) {
		time_text(when, sizeof(when), s.earliest, now);
		say(k, false, "earliest signature expiration %s UTC", when);
	}
	if (s.unsigned_count > 0) {
		list_text(list, sizeof(list), s.unsigned_first, s.unsigned_count, false, now);
		say(k, true, "%zu RRset%s without signatures (RFC 4035 section 2.2): %s",
		    s.unsigned_count, s.unsigned_count == 1 ? "" : "s", list);
	}
	if (s.expired > 0) {
		list_text(list, sizeof(list), s.expired_first, s.expired, true, now);
		say(k, true, "%zu signature%s expired (RFC 4034 section 3.1.5): %s", s.expired,
		    s.expired == 1 ? "" : "s", list);
	}
	if (s.future > 0) {
		list_text(list, sizeof(list), s.future_first, s.future, true, now);
		say(k, true, "%zu signature%s not valid yet, the inception to come (RFC 4034 "
		    "section 3.1.5): %s", s.future, s.future == 1 ? "" : "s", list);
	}
	if (s.expiring > 0) {
		list_text(list, sizeof(list), s.expiring_first, s.expiring, true, now);
		say(k, true, "%zu signature%s expire within 7 days: %s", s.expiring,
		    s.expiring == 1 ? "" : "s", list);
	}
}

void zonesigned_print(const struct zone *z, uint32_t now, FILE *out)
{
	struct sink k = { .z = z, .out = out };

	report(&k, now);
}

unsigned zonesigned_log(const struct zone *z, uint32_t now)
{
	struct sink k = { .z = z, .out = NULL };

	report(&k, now);
	return k.warnings;
}
