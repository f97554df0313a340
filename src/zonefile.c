/* SPDX-License-Identifier: BSD-3-Clause */
/* zonefile.c: loads one zone from an RFC 1035 zone file: splits the text into entries,
 * follows $ORIGIN, $TTL and $INCLUDE, parses each record with ldns, applies the rules of
 * zonecheck.h and hands the records to zone_build(). Errors name the file and line.
 * ldns types stop at this file.
 *
 * Why not ldns's own file reading: ldns_zone_new_frm_fp_l() stops at the first $INCLUDE
 * with LDNS_STATUS_SYNTAX_INCLUDE_ERR_NOTIMPL, and at the first bad record, so one load
 * could report one error; it keeps the first SOA and drops any other without a word.
 * ldns_rr_new_frm_fp_l() reads one entry at a time, but for $INCLUDE it returns
 * LDNS_STATUS_SYNTAX_INCLUDE after freeing the line, so the file name is lost; it takes
 * "$TTL 1x2y" as a TTL of 1 (the rest of the word is ignored); and a relative $ORIGIN
 * does not get the current origin appended (RFC 1035 section 5.1 says it does). So this
 * file splits the entries itself (split_entries) and hands each record alone to
 * ldns_rr_new_frm_str(). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "wire.h"
#include "zonecheck.h"
#include "zonedigest.h"
#include "zonefile.h"
#include "zoneline.h"

#define ZONE_MAX_INCLUDE_DEPTH 8   /* deeper is a $INCLUDE loop in practice */
#define ARENA_CHUNK (1u << 20)
#define RDATA_BUF_START 512        /* ldns grows the RDATA buffer as records need */
#define RDATA_MAX 65535            /* RDLENGTH is 16 bits (RFC 1035 section 3.2.1) */
/* Lines of one entry whose starts are kept for the column of an error; an entry longer
 * than that (rare: a long DNSKEY in parentheses) reports later fields by line only. */
#define ENTRY_LINES_MAX 64
/* An entry shown in a message is cut after this many characters. */
#define ENTRY_SHOW_MAX 64

/* Bump allocator for staged names and RDATA: freed at once after the zone is built. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	uint8_t data[];
};

struct loader {
	ldns_rdf *origin;           /* the zone's origin, once known */
	struct zone_staged_rr *rrs;
	size_t count, cap;
	struct arena_chunk *arena;
	ldns_buffer *rdata_buf;     /* reused for every record's RDATA */
	uint8_t *rr_wire;           /* reused to parse each record's RDATA back (rdata_parse) */
	uint8_t origin_lc[DNS_MAX_NAME]; /* the origin lowercased, for the in-zone check */
	size_t origin_len;
	char **files;               /* every file read, kept for the messages */
	size_t nfiles;
	struct zonecheck_errors errors;
	bool nomem;                 /* an allocation failed: the load fails with -ENOMEM */
	bool origin_reported;       /* "no origin" was said: the records after it are skipped */
	int depth;
};

/* Where the lines of one entry start in its text, once split_entries() has removed the
 * comments and parentheses: within a line the text keeps its columns (a comment only
 * ever ends a line, and a parenthesis becomes a blank), so an offset in the entry gives
 * its line and column. */
struct entry_lines {
	int line[ENTRY_LINES_MAX];
	size_t off[ENTRY_LINES_MAX];
	unsigned count;
	bool truncated;             /* more lines than ENTRY_LINES_MAX */
};

/* The parsing state of one file; $INCLUDE gets a new one (RFC 1035 section 5.1: the
 * included file does not change the including file's origin). */
struct file_state {
	const char *path;
	ldns_rdf *origin;           /* current $ORIGIN, owned */
	ldns_rdf *prev;             /* previous owner, for blank owners, owned */
	uint32_t ttl;               /* current $TTL */
};

static void *arena_alloc(struct loader *l, size_t size)
{
	struct arena_chunk *c = l->arena;

	if (c == NULL || c->size - c->used < size) {
		size_t chunk = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + chunk);
		if (c == NULL)
			return NULL;
		c->next = l->arena;
		c->used = 0;
		c->size = chunk;
		l->arena = c;
	}
	c->used += size;
	return c->data + c->used - size;
}

static void arena_free(struct loader *l)
{
	while (l->arena != NULL) {
		struct arena_chunk *next = l->arena->next;

		free(l->arena);
		l->arena = next;
	}
}

/* The name in presentation form ("?" when ldns cannot write it); free it. NULL when out
 * of memory. */
static char *rdf_text(const ldns_rdf *rdf)
{
	char *s = ldns_rdf2str(rdf);

	return s ? s : strdup("?");
}

/* The compressible names in RDATA (RFC 3597 section 4: the RFC 1035 types only). */
static void find_rdata_names(const ldns_rr *rr, uint16_t name_off[RR_MAX_NAMES])
{
	int slots;
	size_t off = 0, i, n = 0;

	name_off[0] = name_off[1] = RR_NAME_NONE;
	switch (ldns_rr_get_type(rr)) {
	case LDNS_RR_TYPE_NS:
	case LDNS_RR_TYPE_CNAME:
	case LDNS_RR_TYPE_PTR:
	case LDNS_RR_TYPE_MX:
		slots = 1;
		break;
	case LDNS_RR_TYPE_SOA:
		slots = 2;
		break;
	default:
		return;
	}
	for (i = 0; i < ldns_rr_rd_count(rr) && (int)n < slots; i++) {
		const ldns_rdf *rdf = ldns_rr_rdf(rr, i);

		if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME)
			name_off[n++] = (uint16_t)off;
		off += ldns_rdf_size(rdf);
	}
}

#define RR_WIRE_PREFIX 11 /* root owner, type, class, TTL, RDLENGTH */

/* Parses a record's wire RDATA back as its type says. ldns' text parser lets some broken
 * RDATA through (an MX without its preference gives bytes no MX has), and RFC 3597
 * section 5 wants "\#" data of a known type to be valid for that type; the answer code
 * reads SOA, NS, MX, SRV and CNAME fields straight from these bytes, and clients parse
 * every record (ldns rejects an answer with an HTTPS target cut short). Returns the
 * parsed record (its fields locate the RDATA names), or NULL when the bytes do not have
 * the type's form: a field cut short, too few fields, bytes left over. */
static ldns_rr *rdata_parse(struct loader *l, uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	const ldns_rr_descriptor *desc = ldns_rr_descript(type);
	size_t len = RR_WIRE_PREFIX + rdlen, pos = 0;
	ldns_rr *rr = NULL;

	l->rr_wire[0] = 0;
	ldns_write_uint16(l->rr_wire + 1, type);
	ldns_write_uint16(l->rr_wire + 3, LDNS_RR_CLASS_IN);
	ldns_write_uint32(l->rr_wire + 5, 0);
	ldns_write_uint16(l->rr_wire + 9, (uint16_t)rdlen);
	memcpy(l->rr_wire + RR_WIRE_PREFIX, rdata, rdlen);
	if (ldns_wire2rr(&rr, l->rr_wire, len, &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
		return NULL;
	if (pos != len || (desc != NULL && ldns_rr_rd_count(rr) < ldns_rr_descriptor_minimum(desc))) {
		ldns_rr_free(rr);
		return NULL;
	}
	return rr;
}

/* Stages one parsed record after the per-record checks. */
static void stage_rr(struct loader *l, const struct file_state *fs, int line, const ldns_rr *rr)
{
	const ldns_rdf *owner = ldns_rr_owner(rr);
	struct zone_staged_rr *s;
	ldns_buffer *buf;
	uint8_t *owner_copy, *rdata, owner_lc[DNS_MAX_NAME];
	uint16_t name_off[RR_MAX_NAMES];
	ldns_rr *typed;
	enum zonecheck_form form;
	size_t i, owner_lc_len;

	/* ldns accepts names past 255 bytes; the wire does not (RFC 1035 section 2.3.4). */
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *rdf = ldns_rr_rdf(rr, i);

		if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME && ldns_rdf_size(rdf) > DNS_MAX_NAME) {
			zonecheck_error(&l->errors, fs->path, line, "a name in the data is longer than 255 bytes");
			return;
		}
	}
	if (ldns_rdf_size(owner) > DNS_MAX_NAME) {
		zonecheck_error(&l->errors, fs->path, line, "owner name longer than 255 bytes");
		return;
	}
	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
		zonecheck_error(&l->errors, fs->path, line, "class %u is not served: only IN",
			   (unsigned)ldns_rr_get_class(rr));
		return;
	}
	if (l->origin == NULL) {
		/* No ORIGIN=: the SOA owner names the zone, else the $ORIGIN in force. */
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA && fs->origin != NULL) {
			l->origin = ldns_rdf_clone(fs->origin);
		} else if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA) {
			if (!l->origin_reported)
				zonecheck_error(&l->errors, fs->path, line,
						"no origin: give ORIGIN=FILE, a $ORIGIN line or an SOA first");
			l->origin_reported = true;
			return;
		} else {
			l->origin = ldns_rdf_clone(owner);
		}
	}
	if (l->origin_len == 0) {
		l->origin_len = ldns_rdf_size(l->origin);
		wire_name_tolower(l->origin_lc, ldns_rdf_data(l->origin), l->origin_len);
	}
	owner_lc_len = ldns_rdf_size(owner);
	wire_name_tolower(owner_lc, ldns_rdf_data(owner), owner_lc_len);
	if (!zonecheck_in_zone(owner_lc, owner_lc_len, l->origin_lc, l->origin_len)) {
		char *o = rdf_text(owner), *z = rdf_text(l->origin);

		zonecheck_error(&l->errors, fs->path, line, "%s is outside the zone %s", o ? o : "?",
				z ? z : "?");
		free(o);
		free(z);
		return;
	}
	buf = l->rdata_buf;
	ldns_buffer_clear(buf);
	if (ldns_rr_rdata2buffer_wire(buf, rr) != LDNS_STATUS_OK ||
	    ldns_buffer_position(buf) > RDATA_MAX) {
		zonecheck_error(&l->errors, fs->path, line, "record data too long");
		return;
	}
	/* A, AAAA and TXT, most of a big zone, are checked quickly; every other type is
	 * parsed back (ldns_wire2rr for every record would slow the load of a big zone). */
	form = zonecheck_rdata_form(ldns_rr_get_type(rr), ldns_buffer_begin(buf),
				    ldns_buffer_position(buf));
	typed = NULL;
	if (form == ZONECHECK_FORM_PARSE)
		typed = rdata_parse(l, ldns_rr_get_type(rr), ldns_buffer_begin(buf),
				    ldns_buffer_position(buf));
	if (form == ZONECHECK_FORM_BAD || (form == ZONECHECK_FORM_PARSE && typed == NULL)) {
		char *t = ldns_rr_type2str(ldns_rr_get_type(rr));

		zonecheck_error(&l->errors, fs->path, line, "the %s record data does not have the form of its type",
			   t ? t : "?");
		free(t);
		return;
	}
	find_rdata_names(typed != NULL ? typed : rr, name_off);
	ldns_rr_free(typed);
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct zone_staged_rr *rrs = realloc(l->rrs, cap * sizeof(*rrs));

		if (rrs == NULL)
			goto nomem;
		l->rrs = rrs;
		l->cap = cap;
	}
	owner_copy = arena_alloc(l, ldns_rdf_size(owner));
	rdata = arena_alloc(l, ldns_buffer_position(buf) + 1);
	if (owner_copy == NULL || rdata == NULL)
		goto nomem;
	memcpy(owner_copy, owner_lc, owner_lc_len);
	memcpy(rdata, ldns_buffer_begin(buf), ldns_buffer_position(buf));
	s = &l->rrs[l->count++];
	s->owner = owner_copy;
	s->owner_len = (uint8_t)ldns_rdf_size(owner);
	s->type = ldns_rr_get_type(rr);
	s->ttl = ldns_rr_ttl(rr);
	s->rdlen = (uint16_t)ldns_buffer_position(buf);
	s->rdata = rdata;
	s->file = fs->path;
	s->line = line;
	memcpy(s->name_off, name_off, sizeof(name_off));
	return;
nomem:
	l->nomem = true;
	zonecheck_error(&l->errors, fs->path, line, "out of memory");
}

static int load_file(struct loader *l, const char *path, const ldns_rdf *origin, uint32_t ttl);

/* The line and column (0 when unknown) of offset off of an entry. */
static void locate(const struct entry_lines *el, size_t off, int *line, int *col)
{
	unsigned i = el->count;

	while (i > 1 && el->off[i - 1] > off)
		i--;
	*line = el->line[i - 1];
	*col = (int)(off - el->off[i - 1]) + 1;
	/* Past the last line kept, the line is not known: the last kept one, no column. */
	if (el->truncated && i == el->count)
		*col = 0;
}

/* The entry as a message shows it: blanks squeezed, cut after ENTRY_SHOW_MAX. */
static void entry_show(char *out, size_t len, const char *text)
{
	size_t o = 0;
	bool blank = false;

	while (*text == ' ' || *text == '\t' || *text == '\n')
		text++;
	for (; *text != '\0' && o + 4 < len; text++) {
		if (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r') {
			blank = true;
			continue;
		}
		if (blank && o > 0)
			out[o++] = ' ';
		blank = false;
		if (o >= ENTRY_SHOW_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		out[o++] = *text;
	}
	out[o] = '\0';
}

/* Logs a problem with the field at offset off of the entry text, as
 * "FILE:LINE:COL: 'ENTRY': message", an error or (warning) a warning. */
static void problem_at(struct loader *l, const struct file_state *fs, const struct entry_lines *el,
		       const char *text, size_t off, bool warning, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void problem_at(struct loader *l, const struct file_state *fs, const struct entry_lines *el,
		       const char *text, size_t off, bool warning, const char *fmt, ...)
{
	char msg[ZONELINE_MSG_MAX], show[ENTRY_SHOW_MAX + 8];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	entry_show(show, sizeof(show), text);
	locate(el, off, &line, &col);
	if (warning)
		zonecheck_warning_at(&l->errors, fs->path, line, col, "'%s': %s", show, msg);
	else
		zonecheck_error_at(&l->errors, fs->path, line, col, "'%s': %s", show, msg);
}

/* A TTL of a record or of $TTL: the len bytes at offset off of the entry text: an error
 * above 2^32 - 1, a warning from 2^31 on, which is then served as 2^31 - 1 (RFC 2181
 * section 8). Returns 0 and sets *value, or -EINVAL (logged). */
static int check_ttl(struct loader *l, const struct file_state *fs, const struct entry_lines *el,
		     const char *text, size_t off, size_t len, uint32_t *value)
{
	const char *ttl = text + off;
	uint64_t v;
	int r = zoneline_ttl(ttl, len, &v);

	if (r == -EINVAL) {
		problem_at(l, fs, el, text, off, false, "bad TTL '%.*s'", (int)len, ttl);
		return r;
	}
	if (r == -ERANGE) {
		problem_at(l, fs, el, text, off, false, "TTL %.*s is above 4294967295, the most "
			   "the TTL field holds", (int)len, ttl);
		return -EINVAL;
	}
	if (v > ZONELINE_TTL_MAX) {
		problem_at(l, fs, el, text, off, true, "TTL %.*s is above 2147483647: served as "
			   "2147483647 (RFC 2181 section 8)", (int)len, ttl);
		v = ZONELINE_TTL_MAX;
	}
	*value = (uint32_t)v;
	return 0;
}

/* $ORIGIN, $TTL and $INCLUDE (RFC 1035 section 5.1, RFC 2308 section 4). */
static void directive(struct loader *l, struct file_state *fs, const struct entry_lines *el,
		      char *entry)
{
	int line = el->line[0];
	char *save = NULL, *word = strtok_r(entry, " \t", &save);
	char *arg = strtok_r(NULL, " \t", &save);
	char *arg2 = strtok_r(NULL, " \t", &save);

	if (arg == NULL) {
		zonecheck_error(&l->errors, fs->path, line, "%s needs an argument", word);
		return;
	}
	if (strcasecmp(word, "$ORIGIN") == 0) {
		ldns_rdf *o = NULL;

		if (ldns_str2rdf_dname(&o, arg) != LDNS_STATUS_OK) {
			zonecheck_error(&l->errors, fs->path, line, "bad $ORIGIN %s", arg);
			return;
		}
		if (!ldns_dname_str_absolute(arg) && fs->origin != NULL)
			(void)ldns_dname_cat(o, fs->origin);
		ldns_rdf_deep_free(fs->origin);
		fs->origin = o;
	} else if (strcasecmp(word, "$TTL") == 0) {
		uint32_t t;
		char *q;

		/* strtok_r() cut the entry after the word: show "$TTL" and its argument. */
		for (q = entry; q < arg; q++)
			if (*q == '\0')
				*q = ' ';
		if (check_ttl(l, fs, el, entry, (size_t)(arg - entry), strlen(arg), &t) == 0)
			fs->ttl = t;
	} else if (strcasecmp(word, "$INCLUDE") == 0) {
		char dir[PATH_MAX], path[PATH_MAX];
		ldns_rdf *o = NULL;
		int rc;

		/* A relative path is relative to the including file's folder. */
		if (arg[0] == '/') {
			snprintf(path, sizeof(path), "%s", arg);
		} else {
			snprintf(dir, sizeof(dir), "%s", fs->path);
			snprintf(path, sizeof(path), "%s/%s", dirname(dir), arg);
		}
		if (arg2 != NULL && ldns_str2rdf_dname(&o, arg2) != LDNS_STATUS_OK) {
			zonecheck_error(&l->errors, fs->path, line, "bad origin %s in $INCLUDE", arg2);
			return;
		}
		if (l->errors.count > ZONECHECK_MAX_LOGGED) {
			/* The zone has failed for good: read no more. A $INCLUDE loop with k
			 * includes per file would otherwise read it k^8 times (8 = the depth
			 * limit), hours for k = 10, before giving up. */
		} else if (l->depth >= ZONE_MAX_INCLUDE_DEPTH) {
			zonecheck_error(&l->errors, fs->path, line, "$INCLUDE nested deeper than %d: a loop? (%s)",
				   ZONE_MAX_INCLUDE_DEPTH, path);
		} else if ((rc = load_file(l, path, o ? o : fs->origin, fs->ttl)) != 0) {
			l->nomem |= rc == -ENOMEM;
			zonecheck_error(&l->errors, fs->path, line, "cannot $INCLUDE %s: %s", path,
					strerror(-rc));
		}
		ldns_rdf_deep_free(o);
	} else {
		zonecheck_error(&l->errors, fs->path, line, "unknown directive %s", word);
	}
}

/* A name to suggest as the origin in a message: the file's name without ".zone" when it
 * looks like a domain name ("example.org.zone"), else example.com. */
static void origin_hint(char *out, size_t len, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n, i;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".zone") == 0)
		n -= 5;
	while (n > 0 && base[n - 1] == '.')
		n--;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)base[i]) && base[i] != '-' && base[i] != '.')
			break;
	if (n == 0 || i < n || memchr(base, '.', n) == NULL)
		snprintf(out, len, "example.com");
	else
		snprintf(out, len, "%.*s", (int)n, base);
}

/* With no origin known (no ORIGIN=, no $ORIGIN), a relative SOA owner would be taken
 * relative to the root: "@" would make this the root zone. Serving the root must be
 * asked for (".=FILE", "$ORIGIN .", or the owner "."), so this is an error that says
 * how to give the origin. */
static void relative_soa_owner(struct loader *l, const struct file_state *fs,
			       const struct entry_lines *el, const struct zoneline *zl)
{
	const char *owner = zl->owner.len > 0 ? zl->text + zl->owner.off : "@";
	int olen = zl->owner.len > 0 ? (int)zl->owner.len : 1;
	char hint[DNS_MAX_NAME + 1];

	l->origin_reported = true;
	if (olen == 1 && owner[0] == '@') {
		origin_hint(hint, sizeof(hint), fs->path);
		problem_at(l, fs, el, zl->text, zl->owner.off, false, "no origin is given, so the "
			   "SOA owner '@' would make this the root zone: add $ORIGIN %s. or give "
			   "%s=%s (to serve the root: $ORIGIN ., the owner '.', or .=FILE)", hint,
			   hint, fs->path);
	} else {
		problem_at(l, fs, el, zl->text, zl->owner.off, false, "the SOA owner '%.*s' is "
			   "relative and no origin is given: write '%.*s.', add $ORIGIN, or give "
			   "ORIGIN=%s", olen, owner, olen, owner, fs->path);
	}
}

static void entry(struct loader *l, struct file_state *fs, const struct entry_lines *el,
		  char *text)
{
	char msg[ZONELINE_MSG_MAX];
	const char *p = text;
	struct zoneline zl;
	uint32_t ttl = 0;
	ldns_rr *rr = NULL;
	ldns_status st;
	size_t off;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return;
	if (*p == '$' && p == text) {
		directive(l, fs, el, text);
		return;
	}
	zoneline_split(&zl, text);
	zoneline_ttl_first(&zl, text);
	if (zl.ttl.len > 0 && check_ttl(l, fs, el, text, zl.ttl.off, zl.ttl.len, &ttl) < 0)
		return;
	if (zoneline_check_numbers(&zl, msg, sizeof(msg), &off) < 0) {
		problem_at(l, fs, el, text, off, false, "%s", msg);
		return;
	}
	if (fs->origin == NULL && l->origin != NULL)
		fs->origin = ldns_rdf_clone(l->origin);
	st = ldns_rr_new_frm_str(&rr, text, fs->ttl, fs->origin, &fs->prev);
	if (st != LDNS_STATUS_OK) {
		zoneline_diagnose(&zl, (int)st, msg, sizeof(msg), &off);
		problem_at(l, fs, el, text, off, false, "%s", msg);
		return;
	}
	if (l->origin == NULL && fs->origin == NULL && ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
	    !zoneline_owner_absolute(&zl)) {
		relative_soa_owner(l, fs, el, &zl);
		ldns_rr_free(rr);
		return;
	}
	/* Ours, not ldns's reading of the TTL: a word ldns would wrap or cut is refused
	 * above, and one from 2^31 on is capped. */
	if (zl.ttl.len > 0)
		ldns_rr_set_ttl(rr, ttl);
	stage_rr(l, fs, el->line[0], rr);
	ldns_rr_free(rr);
}

/* Splits the text into entries: one line, or several joined by parentheses; comments
 * and the parentheses removed; quoted text kept as it is. Calls entry() for each with
 * the line it started on. */
static void split_entries(struct loader *l, struct file_state *fs, char *text, size_t len)
{
	char *out = text; /* entries are rewritten in place: they only shrink */
	char *start = text;
	struct entry_lines el = { .line = { 1 }, .count = 1 };
	int line = 1, depth = 0;
	bool quoted = false, newline;
	size_t i;

	for (i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';

		newline = false;
		if (quoted) {
			*out++ = c;
			if (c == '\\' && i + 1 < len) {
				*out++ = text[++i];
				newline = text[i] == '\n';
			} else if (c == '"') {
				quoted = false;
			} else if (c == '\n') {
				newline = true;
			}
		} else {
			switch (c) {
			case '"':
				quoted = true;
				*out++ = c;
				break;
			case '\\':
				*out++ = c;
				if (i + 1 < len) {
					*out++ = text[++i];
					newline = text[i] == '\n';
				}
				break;
			case ';':
				while (i + 1 < len && text[i + 1] != '\n')
					i++;
				break;
			case '(':
				depth++;
				*out++ = ' ';
				break;
			case ')':
				if (depth == 0)
					zonecheck_error(&l->errors, fs->path, line, "unbalanced ')'");
				else
					depth--;
				*out++ = ' ';
				break;
			case '\n':
				if (depth > 0) {
					*out++ = ' ';
					newline = true;
					break;
				}
				line++;
				*out = '\0';
				entry(l, fs, &el, start);
				start = out = text + i + 1;
				el.count = 1;
				el.truncated = false;
				el.line[0] = line;
				el.off[0] = 0;
				continue;
			default:
				*out++ = c;
			}
		}
		if (!newline)
			continue;
		line++;
		/* A new line inside the entry (in parentheses or quotes): where it starts. */
		if (el.count < ENTRY_LINES_MAX) {
			el.line[el.count] = line;
			el.off[el.count] = (size_t)(out - start);
			el.count++;
		} else {
			el.truncated = true;
		}
	}
	if (depth > 0 || quoted)
		zonecheck_error(&l->errors, fs->path, el.line[0], "unterminated %s",
				quoted ? "quote" : "'('");
}

/* Reads the regular file at path into *text (NUL-terminated, *len bytes before the NUL;
 * free it). Returns 0, or -errno (-EISDIR for anything but a regular file). */
static int read_whole(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	int rc = 0;

	*text = NULL;
	if (f == NULL)
		return -errno;
	if (fstat(fileno(f), &st) != 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = -EISDIR;
	else if ((*text = malloc((size_t)st.st_size + 1)) == NULL)
		rc = -ENOMEM;
	if (rc == 0) {
		*len = fread(*text, 1, (size_t)st.st_size, f);
		(*text)[*len] = '\0';
	}
	fclose(f);
	return rc;
}

/* Reads one file (the zone's, or an $INCLUDE's) with this origin and TTL in force.
 * Returns 0 once the file was read, whatever problems its text had (counted in
 * l->errors); -errno when it could not be read. */
static int load_file(struct loader *l, const char *path, const ldns_rdf *origin, uint32_t ttl)
{
	struct file_state fs = { .ttl = ttl };
	char **files, *text;
	size_t len = 0;
	int rc = read_whole(path, &text, &len);

	if (rc != 0)
		return rc;
	if (memchr(text, '\0', len) != NULL) {
		zonecheck_error(&l->errors, path, 0, "binary data, not a zone file");
		free(text);
		return 0;
	}
	files = realloc(l->files, (l->nfiles + 1) * sizeof(*files));
	if (files != NULL)
		l->files = files;
	if (files == NULL || (files[l->nfiles] = strdup(path)) == NULL) {
		free(text);
		return -ENOMEM;
	}
	fs.path = l->files[l->nfiles++];
	fs.origin = origin ? ldns_rdf_clone(origin) : NULL;
	l->depth++;
	split_entries(l, &fs, text, len);
	l->depth--;
	ldns_rdf_deep_free(fs.origin);
	ldns_rdf_deep_free(fs.prev);
	free(text);
	return 0;
}

static void loader_free(struct loader *l)
{
	size_t i;

	arena_free(l);
	ldns_buffer_free(l->rdata_buf);
	free(l->rr_wire);
	free(l->rrs);
	for (i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	ldns_rdf_deep_free(l->origin);
}

static int loader_init(struct loader *l)
{
	l->rdata_buf = ldns_buffer_new(RDATA_BUF_START);
	l->rr_wire = malloc(RR_WIRE_PREFIX + RDATA_MAX);
	return l->rdata_buf == NULL || l->rr_wire == NULL ? -ENOMEM : 0;
}

/* Builds the zone of the records staged in l for path: sorted, checked as a whole
 * (zonecheck_zone), built and digested. Returns 0 with *zone set, ok, or NULL when l
 * counted any problem (each logged); -ENOMEM (*zone NULL). */
static int loader_build(struct loader *l, const char *origin_text, const char *path,
			struct zone **zone)
{
	struct zone *z = zone_new(ldns_rdf_data(l->origin), ldns_rdf_size(l->origin), origin_text,
				  path);

	*zone = NULL;
	if (z == NULL)
		return -ENOMEM;
	/* No records (every one failed, or an empty file with ORIGIN=): l->rrs is NULL, and
	 * qsort's pointer must not be, even for 0 elements (C11 7.22.5). */
	if (l->count > 0)
		qsort(l->rrs, l->count, sizeof(*l->rrs), zone_staged_cmp);
	if (l->errors.count == 0)
		zonecheck_zone(&l->errors, z, l->rrs, l->count);
	if (l->errors.count == 0 && (zone_build(z, l->rrs, l->count) != 0 || zone_digest(z) != 0)) {
		zone_free(z);
		return -ENOMEM;
	}
	if (l->errors.count > ZONECHECK_MAX_LOGGED)
		log_error("%s: %u errors in all", path, l->errors.count);
	if (l->errors.warnings > ZONECHECK_MAX_LOGGED)
		log_warning("%s: %u warnings in all", path, l->errors.warnings);
	if (l->errors.count > 0)
		zone_free(z);
	else
		*zone = z;
	return 0;
}

int zonefile_load(const char *path, const char *origin, struct zone **zone)
{
	struct loader l = { 0 };
	struct zone *z = NULL;
	char *origin_text = NULL;
	int rc;

	*zone = NULL;
	rc = loader_init(&l);
	if (rc != 0)
		goto out;
	if (origin != NULL && ldns_str2rdf_dname(&l.origin, origin) != LDNS_STATUS_OK) {
		log_error("%s: bad origin %s", path, origin);
		rc = -EINVAL;
		goto out;
	}
	rc = load_file(&l, path, l.origin, ZONEFILE_DEFAULT_TTL);
	if (rc != 0) {
		l.nomem |= rc == -ENOMEM;
		zonecheck_error(&l.errors, path, 0, "cannot read: %s", strerror(-rc));
	}
	rc = -ENOMEM;
	if (l.nomem)
		goto out;
	if (l.origin == NULL) {
		if (l.errors.count == 0)
			zonecheck_error(&l.errors, path, 0, "no SOA record: the zone has no origin");
		rc = -EINVAL;
		goto out;
	}
	origin_text = rdf_text(l.origin);
	if (origin_text == NULL)
		goto out;
	rc = loader_build(&l, origin_text, path, &z);
	if (rc != 0)
		goto out;
	if (z == NULL) {
		/* Keep the origin so its names get SERVFAIL, but none of the data. */
		rc = -ENOMEM;
		z = zone_new(ldns_rdf_data(l.origin), ldns_rdf_size(l.origin), origin_text, path);
		if (z == NULL)
			goto out;
		log_error("zone %s from %s not loaded", z->origin_text, path);
	}
	*zone = z;
	rc = 0;
out:
	free(origin_text);
	loader_free(&l);
	return rc;
}

int zonefile_build_rrs(const struct ldns_struct_rr_list *rrs, const uint8_t *origin,
		       size_t origin_len, const char *origin_text, const char *source,
		       struct zone **zone, char *err, size_t errlen)
{
	struct loader l = { 0 };
	struct file_state fs = { .path = source };
	size_t i;
	int rc = loader_init(&l);

	*zone = NULL;
	if (rc == 0 && (l.origin = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, origin_len,
							   origin)) == NULL)
		rc = -ENOMEM;
	/* The record's place in the list stands for the line in the messages. */
	for (i = 0; rc == 0 && i < ldns_rr_list_rr_count(rrs) && !l.nomem; i++)
		stage_rr(&l, &fs, (int)i + 1, ldns_rr_list_rr(rrs, i));
	if (rc == 0 && l.nomem)
		rc = -ENOMEM;
	/* The whole-zone checks name the zone's path in their messages: the source until
	 * the zone is built, then none (the caller sets the file it writes, if any). */
	if (rc == 0)
		rc = loader_build(&l, origin_text, source, zone);
	if (rc == 0 && *zone == NULL) {
		rc = -EINVAL;
		if (l.errors.count > 1)
			snprintf(err, errlen, "%s (and %u more)", l.errors.first,
				 l.errors.count - 1);
		else
			snprintf(err, errlen, "%s", l.errors.first);
	}
	if (rc == 0) {
		free((*zone)->path);
		(*zone)->path = NULL;
	}
	loader_free(&l);
	return rc;
}
