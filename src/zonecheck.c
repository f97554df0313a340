/* SPDX-License-Identifier: BSD-3-Clause */
/* zonecheck.c: the rules a zone must meet, on its staged records (no ldns here: these
 * are wire-form checks that need no parser). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "zonecheck.h"
#include "zonecheck_dname.h"

/* Room for one message before its file and line are put in front. */
#define ZONECHECK_MSG_MAX 512

/* Logs "file:line:col: message" at level, leaving out what is 0. */
static void vlog_at(enum log_level level, const char *file, int line, int col, const char *fmt,
		    va_list ap) __attribute__((format(printf, 5, 0)));

static void vlog_at(enum log_level level, const char *file, int line, int col, const char *fmt,
		    va_list ap)
{
	char msg[ZONECHECK_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0 && col > 0)
		log_msg(level, "%s:%d:%d: %s", file, line, col, msg);
	else if (line > 0)
		log_msg(level, "%s:%d: %s", file, line, msg);
	else
		log_msg(level, "%s: %s", file, msg);
}

/* Keeps the first error's message, for a caller that reports one line (a transfer). */
static void keep_first(struct zonecheck_errors *e, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void keep_first(struct zonecheck_errors *e, const char *fmt, va_list ap)
{
	if (e->count == 1)
		vsnprintf(e->first, sizeof(e->first), fmt, ap);
}

void zonecheck_error(struct zonecheck_errors *e, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	e->count++;
	if (e->count > ZONECHECK_MAX_LOGGED)
		return;
	va_start(ap, fmt);
	keep_first(e, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vlog_at(LOG_LEVEL_ERROR, file, line, 0, fmt, ap);
	va_end(ap);
}

void zonecheck_error_at(struct zonecheck_errors *e, const char *file, int line, int col,
			const char *fmt, ...)
{
	va_list ap;

	e->count++;
	if (e->count > ZONECHECK_MAX_LOGGED)
		return;
	va_start(ap, fmt);
	keep_first(e, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vlog_at(LOG_LEVEL_ERROR, file, line, col, fmt, ap);
	va_end(ap);
}

void zonecheck_warning_at(struct zonecheck_errors *e, const char *file, int line, int col,
			  const char *fmt, ...)
{
	va_list ap;

	e->warnings++;
	if (e->warnings > ZONECHECK_MAX_LOGGED)
		return;
	va_start(ap, fmt);
	vlog_at(LOG_LEVEL_WARNING, file, line, col, fmt, ap);
	va_end(ap);
}

bool zonecheck_in_zone(const uint8_t *name, size_t len, const uint8_t *origin, size_t origin_len)
{
	size_t off = 0;

	while (len - off > origin_len)
		off += name[off] + 1u;
	return len - off == origin_len && memcmp(name + off, origin, origin_len) == 0;
}

enum zonecheck_form zonecheck_rdata_form(uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	size_t pos = 0;

	switch (type) {
	case DNS_TYPE_A:
		return rdlen == 4 ? ZONECHECK_FORM_OK : ZONECHECK_FORM_BAD;
	case DNS_TYPE_AAAA:
		return rdlen == 16 ? ZONECHECK_FORM_OK : ZONECHECK_FORM_BAD;
	case DNS_TYPE_TXT:
		/* One or more character-strings, each a length byte and that many bytes. */
		while (pos < rdlen)
			pos += 1u + rdata[pos];
		return rdlen > 0 && pos == rdlen ? ZONECHECK_FORM_OK : ZONECHECK_FORM_BAD;
	default:
		return ZONECHECK_FORM_PARSE;
	}
}

/* The CNAME at r: alone at its name but for RRSIG and NSEC. */
static void check_cname(struct zonecheck_errors *e, const struct zone_staged_rr *rrs, size_t count,
			const struct zone_staged_rr *r)
{
	size_t j = (size_t)(r - rrs);

	/* The records of r's owner are adjacent (sorted): from the first of them. */
	while (j > 0 && dns_name_equal(rrs[j - 1].owner, rrs[j - 1].owner_len, r->owner, r->owner_len))
		j--;
	for (; j < count && dns_name_equal(rrs[j].owner, rrs[j].owner_len, r->owner, r->owner_len);
	     j++) {
		const struct zone_staged_rr *o = &rrs[j];

		if (o == r || o->type == DNS_TYPE_RRSIG || o->type == DNS_TYPE_NSEC)
			continue;
		if (o->type == DNS_TYPE_CNAME && o > r) {
			zonecheck_error(e, o->file, o->line, "a second CNAME for the same name");
		} else if (o->type == DNS_TYPE_DNAME) {
			zonecheck_error(e, r->file, r->line,
					"CNAME beside a DNAME (line %d): one name has one redirection "
					"(RFC 6672 section 2.4)", o->line);
			break;
		} else if (o->type != DNS_TYPE_CNAME) {
			zonecheck_error(e, r->file, r->line, "CNAME beside other data (line %d)",
					o->line);
			break;
		}
	}
}

void zonecheck_zone(struct zonecheck_errors *e, const struct zone *z,
		    const struct zone_staged_rr *rrs, size_t count)
{
	size_t i, soa = 0, apex_ns = 0;

	for (i = 0; i < count; i++) {
		const struct zone_staged_rr *r = &rrs[i];
		bool apex = dns_name_equal(r->owner, r->owner_len, z->origin, z->origin_len);

		if (r->type == DNS_TYPE_SOA) {
			if (!apex)
				zonecheck_error(e, r->file, r->line, "SOA record not at the zone apex");
			else if (++soa > 1)
				zonecheck_error(e, r->file, r->line, "a second SOA record at the apex");
		}
		if (r->type == DNS_TYPE_NS && apex)
			apex_ns++;
		if (r->type == DNS_TYPE_CNAME) {
			if (apex)
				zonecheck_error(e, r->file, r->line, "CNAME at the zone apex");
			check_cname(e, rrs, count, r);
		}
	}
	zonecheck_dname(e, z, rrs, count);
	if (soa == 0)
		zonecheck_error(e, z->path, 0, "no SOA record at the apex %s", z->origin_text);
	if (apex_ns == 0)
		zonecheck_error(e, z->path, 0, "no NS records at the apex %s", z->origin_text);
}
