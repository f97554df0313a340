/* SPDX-License-Identifier: BSD-3-Clause */
/* zonereport.c: log lines about the zones a db serves, what a reload changed, and
 * serials that secondaries would not follow. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "zonereport.h"
#include "zonesigned.h"

size_t zonereport_ok_zones(const struct db *db)
{
	size_t i, n = 0;

	for (i = 0; i < db->zone_count; i++)
		if (db->zones[i]->ok)
			n++;
	return n;
}

/* Appends to buf (len bytes, *pos used so far) what fmt says, cut at the end of buf. */
static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = *pos + (size_t)n < len ? *pos + (size_t)n : len;
}

/* Appends "N added (a from FILE, b from FILE)" (with_path) or "N removed (a, b)": the
 * zones of `in` whose origin `notin` lacks. */
static void append_diff(char *buf, size_t len, size_t *pos, const struct db *in,
			const struct db *notin, const char *what, bool with_path)
{
	size_t i, n = 0, listed = 0;

	for (i = 0; i < in->zone_count; i++)
		if (notin == NULL || db_find_origin(notin, in->zones[i]->origin,
						    in->zones[i]->origin_len) == NULL)
			n++;
	append(buf, len, pos, "%zu %s", n, what);
	if (n == 0)
		return;
	append(buf, len, pos, " (");
	for (i = 0; i < in->zone_count && listed < ZONEREPORT_LIST_MAX; i++) {
		const struct zone *z = in->zones[i];

		if (notin != NULL && db_find_origin(notin, z->origin, z->origin_len) != NULL)
			continue;
		append(buf, len, pos, "%s%s", listed > 0 ? ", " : "", z->origin_text);
		if (with_path)
			append(buf, len, pos, " from %s", z->path);
		listed++;
	}
	if (n > listed)
		append(buf, len, pos, " and %zu more", n - listed);
	append(buf, len, pos, ")");
}

void zonereport_changes(const struct db *old, const struct db *db, char *buf, size_t len)
{
	size_t pos = 0, ok = zonereport_ok_zones(db);

	if (len == 0)
		return;
	buf[0] = '\0';
	append(buf, len, &pos, "%zu zone%s, ", ok, ok == 1 ? "" : "s");
	append_diff(buf, len, &pos, db, old, "added", true);
	append(buf, len, &pos, ", ");
	if (old != NULL)
		append_diff(buf, len, &pos, old, db, "removed", false);
	else
		append(buf, len, &pos, "0 removed");
}

/* The zone of old with z's origin, or NULL. */
static const struct zone *in_old(const struct db *old, const struct zone *z)
{
	return old != NULL ? db_find_origin(old, z->origin, z->origin_len) : NULL;
}

void zonereport_zones(const struct db *db, const struct db *old)
{
	uint32_t now = zonesigned_now();
	size_t i, ok = zonereport_ok_zones(db);
	bool each = db->zone_count <= ZONEREPORT_ZONES_MAX || log_enabled(LOG_LEVEL_DEBUG);

	if (db->zone_count > ZONEREPORT_ZONES_MAX)
		log_info("zones: %zu with data, %zu failed%s", ok, db->zone_count - ok,
			 log_enabled(LOG_LEVEL_DEBUG) ? "" : " (-v lists each)");
	for (i = 0; i < db->zone_count; i++) {
		const struct zone *z = db->zones[i];

		if (!z->ok) {
			if (each)
				log_info("zone %s: failed to load from %s: its names get SERVFAIL",
					 z->origin_text, z->path);
			continue;
		}
		if (each)
			log_info("zone %s: serial %u, %zu record%s, from %s%s", z->origin_text,
				 z->serial, z->rr_count, z->rr_count == 1 ? "" : "s", z->path,
				 in_old(old, z) == z ? " (the version loaded before: unchanged, or its file failed)" : "");
		/* Once per zone version, whatever the number of zones: a zone kept from old
		 * was reported when it was loaded. */
		if (in_old(old, z) != z)
			zonesigned_log(z, now);
	}
}

void zonereport_serials(const struct db *old, const struct db *db)
{
	size_t i;

	if (old == NULL)
		return;
	for (i = 0; i < db->zone_count; i++) {
		const struct zone *z = db->zones[i], *was = in_old(old, z);

		/* The same zone (kept) did not change; a failed one has no serial. */
		if (was == NULL || was == z || !was->ok || !z->ok)
			continue;
		switch (dns_serial_compare(was->serial, z->serial)) {
		case DNS_SERIAL_EQUAL:
			if (memcmp(was->digest, z->digest, sizeof(z->digest)) != 0)
				log_warning("zone %s: content changed but serial %u did not: "
					    "secondaries will not follow", z->origin_text, z->serial);
			break;
		case DNS_SERIAL_GREATER:
			log_warning("zone %s: serial went backwards from %u to %u (RFC 1982): "
				    "secondaries will not follow", z->origin_text, was->serial,
				    z->serial);
			break;
		case DNS_SERIAL_UNDEFINED:
			log_warning("zone %s: serial %u to %u is neither an increase nor a decrease "
				    "(RFC 1982 section 3.2): secondaries may not follow",
				    z->origin_text, was->serial, z->serial);
			break;
		case DNS_SERIAL_LESS:
			break;
		}
	}
}
