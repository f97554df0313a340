/* SPDX-License-Identifier: BSD-3-Clause */
/* zonecheck.h: the rules a zone's records must meet before it is served, and the count
 * of the problems found while loading one zone (each logged with its file and line).
 * zonefile.c applies the rules as it reads, and once more on the whole zone. */
#ifndef DUALNS_ZONECHECK_H
#define DUALNS_ZONECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* Problems logged per zone: past this the file is hopeless; the rest are only counted. */
#define ZONECHECK_MAX_LOGGED 20

/* The problems found in one zone so far. A zone with any error is not served; warnings
 * (a TTL capped, say) are only said. */
struct zonecheck_errors {
	unsigned count;
	unsigned warnings;
	char first[160];           /* the first error's message, without its file and line */
};

/* Counts one problem and logs it as "file:line: message" ("file: message" when line is
 * 0) while at most ZONECHECK_MAX_LOGGED were logged. */
void zonecheck_error(struct zonecheck_errors *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The same with the column of the line where the problem is: "file:line:col: message"
 * ("file:line: message" when col is 0). */
void zonecheck_error_at(struct zonecheck_errors *e, const char *file, int line, int col,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Counts one warning and logs it at the warning level as zonecheck_error_at() would,
 * while at most ZONECHECK_MAX_LOGGED warnings were logged. */
void zonecheck_warning_at(struct zonecheck_errors *e, const char *file, int line, int col,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* True when the lowercased wire name is the origin or below it (a label-aligned
 * suffix): only such names belong in the zone (RFC 1034 section 4.2). */
bool zonecheck_in_zone(const uint8_t *name, size_t len, const uint8_t *origin, size_t origin_len);

/* What zonecheck_rdata_form() tells of a record's RDATA. */
enum zonecheck_form {
	ZONECHECK_FORM_OK,     /* it has its type's form */
	ZONECHECK_FORM_BAD,    /* it does not: a field cut short, bytes left over */
	ZONECHECK_FORM_PARSE,  /* not a type checked here: parse it back to tell */
};

/* A quick check of the RDATA of the commonest types, which hold no names (A, AAAA, TXT;
 * RFC 1035 section 3.3.14 and 3.4.1, RFC 3596 section 2.2). */
enum zonecheck_form zonecheck_rdata_form(uint16_t type, const uint8_t *rdata, size_t rdlen);

/* The checks on the whole zone, its count records sorted with zone_staged_cmp: one SOA
 * and only at the apex (RFC 1035 section 5.2), NS records at the apex (RFC 1034 section
 * 4.2.1), no CNAME at the apex, and no CNAME beside other data or a second CNAME for the
 * same name (RFC 1034 section 3.6.2, RFC 2181 section 10.1; RRSIG and NSEC may sit beside
 * a CNAME, RFC 4035 section 2.5), a DNAME beside a CNAME included (RFC 6672 section 2.4);
 * and the DNAME rules of zonecheck_dname.h. z gives the origin and the names for the
 * messages. Each problem is counted and logged in e. */
void zonecheck_zone(struct zonecheck_errors *e, const struct zone *z,
		    const struct zone_staged_rr *rrs, size_t count);

#endif
