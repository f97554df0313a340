/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneline.c: the fields of one zone file entry, its TTL, and which field is wrong when
 * ldns cannot parse it (zoneline.h). Load path only: ldns is used for the names of types
 * and classes and to try one field at a time. */
#include "config.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "zoneline.h"

/* Room for one word tried with ldns (a field, a type or class name); a longer word is
 * not tried, and is reported by ldns's own message. */
#define WORD_MAX 1024
/* The longest field moved by zoneline_ttl_first(): a TTL, blanks and a class. */
#define SWAP_MAX 256
/* Room for a type's name: "NSEC3PARAM", "TYPE65535". */
#define TYPE_NAME_MAX 32
/* Largest class and type numbers: 16-bit fields (RFC 1035 section 3.2.1). */
#define NUMBER16_MAX 65535u
/* Seconds in the units a TTL may use. */
#define SECONDS_MINUTE 60u
#define SECONDS_HOUR   3600u
#define SECONDS_DAY    86400u
#define SECONDS_WEEK   604800u
/* Anything above this is above 2^32 - 1: kept here while adding, so nothing overflows. */
#define TTL_TOO_BIG ((uint64_t)UINT32_MAX + 1)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The word at or after pos: blanks skipped, then up to the next unescaped blank; a word
 * that starts with a quote runs to the closing quote. Returns false at the end. */
static bool next_word(const char *text, size_t *pos, struct zoneline_token *w)
{
	size_t i = *pos;
	bool quoted;

	while (text[i] != '\0' && is_blank(text[i]))
		i++;
	w->off = i;
	w->len = 0;
	if (text[i] == '\0') {
		*pos = i;
		return false;
	}
	quoted = text[i] == '"';
	if (quoted)
		i++;
	while (text[i] != '\0') {
		if (text[i] == '\\' && text[i + 1] != '\0') {
			i += 2;
			continue;
		}
		if (quoted && text[i] == '"') {
			i++;
			break;
		}
		if (!quoted && is_blank(text[i]))
			break;
		i++;
	}
	w->len = i - w->off;
	*pos = i;
	return true;
}

/* Copies a word into buf (NUL-terminated). Returns false when it does not fit. */
static bool word_copy(char *buf, size_t size, const char *text, const struct zoneline_token *w)
{
	if (w->len >= size)
		return false;
	memcpy(buf, text + w->off, w->len);
	buf[w->len] = '\0';
	return true;
}

/* The number after a prefix such as "CLASS" or "TYPE" (any case), or -1 when the word
 * is not the prefix and digits only; numbers above 16 bits give NUMBER16_MAX + 1. */
static long prefixed_number(const char *text, const struct zoneline_token *w, const char *prefix)
{
	size_t plen = strlen(prefix), i;
	long v = 0;

	if (w->len <= plen || strncasecmp(text + w->off, prefix, plen) != 0)
		return -1;
	for (i = plen; i < w->len; i++) {
		if (!is_digit(text[w->off + i]))
			return -1;
		if (v <= (long)NUMBER16_MAX)
			v = v * 10 + (text[w->off + i] - '0');
	}
	return v > (long)NUMBER16_MAX ? (long)NUMBER16_MAX + 1 : v;
}

/* The class names ldns reads (ldns_get_rr_class_by_name), besides CLASSn: compared
 * here, without copying the word, for every record of a zone. */
static const char *const class_names[] = { "IN", "CH", "HS", "NONE", "ANY" };

/* True when the word names a class, as ldns reads one (IN, CH, HS, NONE, ANY, CLASSn). */
static bool is_class(const char *text, const struct zoneline_token *w)
{
	size_t i;

	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (w->len == strlen(class_names[i]) &&
		    strncasecmp(text + w->off, class_names[i], w->len) == 0)
			return true;
	return prefixed_number(text, w, "CLASS") >= 0;
}

void zoneline_split(struct zoneline *z, const char *text)
{
	struct zoneline_token w;
	size_t pos = 0;

	memset(z, 0, sizeof(*z));
	z->text = text;
	/* A blank first means the previous owner (RFC 1035 section 5.1). */
	if (text[0] != '\0' && !is_blank(text[0]))
		(void)next_word(text, &pos, &z->owner);
	if (!next_word(text, &pos, &w)) {
		z->rdata = pos;
		return;
	}
	if (is_digit(text[w.off])) {
		z->ttl = w;
		if (next_word(text, &pos, &w) && is_class(text, &w)) {
			z->cls = w;
			(void)next_word(text, &pos, &w);
		}
	} else if (is_class(text, &w)) {
		z->cls = w;
		if (next_word(text, &pos, &w) && is_digit(text[w.off])) {
			z->ttl = w;
			z->class_first = true;
			(void)next_word(text, &pos, &w);
		}
	}
	z->type = w;
	while (text[pos] != '\0' && is_blank(text[pos]))
		pos++;
	z->rdata = pos;
}

void zoneline_ttl_first(struct zoneline *z, char *text)
{
	char swap[SWAP_MAX];
	size_t start, gap, end;

	if (!z->class_first)
		return;
	start = z->cls.off;
	end = z->ttl.off + z->ttl.len;
	gap = z->ttl.off - (z->cls.off + z->cls.len);
	if (end - start > sizeof(swap))
		return; /* absurd blanks: left for ldns to refuse */
	memcpy(swap, text + z->ttl.off, z->ttl.len);
	memcpy(swap + z->ttl.len, text + z->cls.off + z->cls.len, gap);
	memcpy(swap + z->ttl.len + gap, text + z->cls.off, z->cls.len);
	memcpy(text + start, swap, end - start);
	z->ttl.off = start;
	z->cls.off = start + z->ttl.len + gap;
	z->class_first = false;
}

bool zoneline_owner_absolute(const struct zoneline *z)
{
	const char *o = z->text + z->owner.off;
	size_t n = z->owner.len, slashes = 0;

	if (n == 0 || o[n - 1] != '.')
		return false;
	/* "a\." ends with an escaped dot, a label's text: relative. */
	while (slashes + 1 < n && o[n - 2 - slashes] == '\\')
		slashes++;
	return slashes % 2 == 0;
}

int zoneline_ttl(const char *s, size_t len, uint64_t *ttl)
{
	uint64_t total = 0, num = 0;
	bool digits = false;
	size_t i;

	*ttl = 0;
	if (len == 0 || !is_digit(s[0]))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		uint64_t unit;

		if (is_digit(s[i])) {
			num = num * 10 + (uint64_t)(s[i] - '0');
			if (num > TTL_TOO_BIG)
				num = TTL_TOO_BIG;
			digits = true;
			continue;
		}
		switch (s[i]) {
		case 's': case 'S': unit = 1; break;
		case 'm': case 'M': unit = SECONDS_MINUTE; break;
		case 'h': case 'H': unit = SECONDS_HOUR; break;
		case 'd': case 'D': unit = SECONDS_DAY; break;
		case 'w': case 'W': unit = SECONDS_WEEK; break;
		default: return -EINVAL;
		}
		if (!digits)
			return -EINVAL; /* "1hm": a unit without its number */
		total += num * unit;
		if (total > TTL_TOO_BIG)
			total = TTL_TOO_BIG;
		num = 0;
		digits = false;
	}
	total += num; /* a last number without a unit: seconds */
	if (total > UINT32_MAX)
		return -ERANGE;
	*ttl = total;
	return 0;
}

int zoneline_check_numbers(const struct zoneline *z, char *msg, size_t len, size_t *off)
{
	if (z->cls.len > 0 && prefixed_number(z->text, &z->cls, "CLASS") > (long)NUMBER16_MAX) {
		snprintf(msg, len, "bad class '%.*s': above %u", (int)z->cls.len,
			 z->text + z->cls.off, NUMBER16_MAX);
		*off = z->cls.off;
		return -ERANGE;
	}
	if (z->type.len > 0 && prefixed_number(z->text, &z->type, "TYPE") > (long)NUMBER16_MAX) {
		snprintf(msg, len, "bad type '%.*s': above %u", (int)z->type.len,
			 z->text + z->type.off, NUMBER16_MAX);
		*off = z->type.off;
		return -ERANGE;
	}
	return 0;
}

/* What is wrong with a name ldns could not read. */
static const char *name_problem(ldns_status s)
{
	switch (s) {
	case LDNS_STATUS_EMPTY_LABEL:
		return "an empty label";
	case LDNS_STATUS_LABEL_OVERFLOW:
		return "a label longer than 63 bytes";
	case LDNS_STATUS_DOMAINNAME_OVERFLOW:
		return "longer than 255 bytes";
	case LDNS_STATUS_DDD_OVERFLOW:
		return "a \\DDD escape above 255";
	default:
		return ldns_get_errorstr_by_id(s);
	}
}

/* What a field of this kind must be, for the kinds that are one word and that ldns
 * checks fully; NULL for the others (not tried one by one). */
static const char *field_kind(ldns_rdf_type t)
{
	switch (t) {
	case LDNS_RDF_TYPE_A:
		return "not an IPv4 address";
	case LDNS_RDF_TYPE_AAAA:
		return "not an IPv6 address";
	case LDNS_RDF_TYPE_DNAME:
		return "not a domain name";
	case LDNS_RDF_TYPE_INT8:
		return "not a number from 0 to 255";
	case LDNS_RDF_TYPE_INT16:
		return "not a number from 0 to 65535";
	case LDNS_RDF_TYPE_INT32:
		return "not a number from 0 to 4294967295";
	case LDNS_RDF_TYPE_PERIOD:
		return "not a time in seconds (or with units, as 1h30m)";
	default:
		return NULL;
	}
}

/* The RDATA of a known type, field by field (zoneline_diagnose). */
static void diagnose_rdata(const struct zoneline *z, ldns_rr_type type, int status, char *msg,
			   size_t len, size_t *off)
{
	const ldns_rr_descriptor *desc = ldns_rr_descript((uint16_t)type);
	const char *ldns_msg = ldns_get_errorstr_by_id((ldns_status)status);
	char name[TYPE_NAME_MAX], word[WORD_MAX];
	struct zoneline_token w;
	size_t pos = z->rdata, i, min, max, words = 0;
	bool variable;

	*off = z->rdata;
	if (desc != NULL && desc->_name != NULL)
		snprintf(name, sizeof(name), "%s", desc->_name);
	else
		snprintf(name, sizeof(name), "TYPE%u", (unsigned)type);
	if (next_word(z->text, &pos, &w) && w.len == 2 && strncmp(z->text + w.off, "\\#", 2) == 0) {
		snprintf(msg, len, "bad \\# data for %s: %s", name, ldns_msg);
		return;
	}
	/* ldns describes a type it does not know with no name and no fields. */
	if (desc == NULL || desc->_name == NULL) {
		snprintf(msg, len, "%s has no known form: give its data as \\# LENGTH HEX "
			 "(RFC 3597 section 5)", name);
		return;
	}
	min = ldns_rr_descriptor_minimum(desc);
	max = ldns_rr_descriptor_maximum(desc);
	variable = desc->_variable != LDNS_RDF_TYPE_NONE;
	pos = z->rdata;
	for (i = 0;; i++) {
		bool have = next_word(z->text, &pos, &w);
		char detail[ZONELINE_MSG_MAX / 2];
		ldns_rdf_type t;
		const char *kind;
		ldns_status st;
		ldns_rdf *rdf;

		if (!have && i < min) {
			snprintf(msg, len, "%s needs %s%zu field%s, found %zu", name,
				 min < max ? "at least " : "", min, min == 1 ? "" : "s", words);
			*off = w.off;
			return;
		}
		if (!have)
			break;
		words++;
		if (i >= max && !variable) {
			snprintf(msg, len, "unexpected '%.*s' after the %s data", (int)w.len,
				 z->text + w.off, name);
			*off = w.off;
			return;
		}
		t = ldns_rr_descriptor_field_type(desc, i);
		kind = field_kind(t);
		if (kind == NULL || !word_copy(word, sizeof(word), z->text, &w))
			break; /* a field of several words, or not tried alone */
		rdf = NULL;
		st = t == LDNS_RDF_TYPE_DNAME ? ldns_str2rdf_dname(&rdf, word) :
		     (rdf = ldns_rdf_new_frm_str(t, word)) != NULL ? LDNS_STATUS_OK : LDNS_STATUS_ERR;
		ldns_rdf_deep_free(rdf);
		if (st == LDNS_STATUS_OK)
			continue;
		/* A name says what is wrong with it: an empty label, a label too long. */
		if (t == LDNS_RDF_TYPE_DNAME)
			snprintf(detail, sizeof(detail), "%s (%s)", kind, name_problem(st));
		else
			snprintf(detail, sizeof(detail), "%s", kind);
		if (max == 1 && !variable)
			snprintf(msg, len, "%s", detail);
		else
			snprintf(msg, len, "%s field %zu, '%s': %s", name, i + 1, word, detail);
		*off = w.off;
		return;
	}
	snprintf(msg, len, "bad %s data: %s", name, ldns_msg);
	*off = z->rdata;
}

void zoneline_diagnose(const struct zoneline *z, int status, char *msg, size_t len, size_t *off)
{
	const char *t = z->text;
	char word[WORD_MAX];
	ldns_rr_type type;
	uint64_t ttl;

	if (z->owner.len > 0 && !(z->owner.len == 1 && t[z->owner.off] == '@') &&
	    word_copy(word, sizeof(word), t, &z->owner)) {
		ldns_rdf *rdf = NULL;
		ldns_status s = ldns_str2rdf_dname(&rdf, word);

		ldns_rdf_deep_free(rdf);
		*off = z->owner.off;
		if (s != LDNS_STATUS_OK) {
			snprintf(msg, len, "bad owner name '%s': %s", word, name_problem(s));
			return;
		}
	}
	if (z->ttl.len > 0 && zoneline_ttl(t + z->ttl.off, z->ttl.len, &ttl) < 0) {
		snprintf(msg, len, "bad TTL '%.*s'", (int)z->ttl.len, t + z->ttl.off);
		*off = z->ttl.off;
		return;
	}
	*off = z->type.off;
	if (z->type.len == 0) {
		snprintf(msg, len, "no type");
		return;
	}
	if (!word_copy(word, sizeof(word), t, &z->type)) {
		snprintf(msg, len, "unknown type '%.*s...'", 16, t + z->type.off);
		return;
	}
	/* Where a TTL or a class was meant: "-5", "CLASSX". */
	if ((word[0] == '-' || word[0] == '+') && is_digit(word[1])) {
		snprintf(msg, len, "bad TTL '%s'", word);
		return;
	}
	if (strncasecmp(word, "CLASS", strlen("CLASS")) == 0) {
		snprintf(msg, len, "bad class '%s'", word);
		return;
	}
	type = ldns_get_rr_type_by_name(word);
	if (type == 0) {
		snprintf(msg, len, "unknown type '%s'", word);
		return;
	}
	diagnose_rdata(z, type, status, msg, len, off);
}
