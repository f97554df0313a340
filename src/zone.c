/* zone.c: reads RFC 1035 zone files (records parsed by ldns), checks them, and hands the
 * records to db.c. Errors name the file and line. ldns types stop at this file. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "wire.h"
#include "zone.h"

#define ZONE_MAX_INCLUDE_DEPTH 8   /* deeper is a $INCLUDE loop in practice */
#define ZONE_MAX_ERRORS 20         /* past this the file is hopeless; stop reporting */
#define ARENA_CHUNK (1u << 20)

/* Bump allocator for staged names and RDATA: freed at once after the zone is built. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	uint8_t data[];
};

struct loader {
	struct zone_source src;
	ldns_rdf *origin;           /* the zone's origin, once known */
	struct db_staged_rr *rrs;
	size_t count, cap;
	struct arena_chunk *arena;
	ldns_buffer *rdata_buf;     /* reused for every record's RDATA */
	uint8_t *rr_wire;           /* reused to parse each record's RDATA back (rdata_parse) */
	uint8_t origin_lc[DNS_MAX_NAME]; /* the origin lowercased, for the in-zone check */
	size_t origin_len;
	char **files;               /* every file read, kept for the messages */
	size_t nfiles;
	unsigned errors;
	int depth;
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

static void load_error(struct loader *l, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void load_error(struct loader *l, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	l->errors++;
	if (l->errors > ZONE_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		log_error("%s:%d: %s", file, line, msg);
	else
		log_error("%s: %s", file, msg);
}

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

/* True when the lowercased name is the origin or below it (label-aligned suffix). */
static bool name_in_origin(const uint8_t *name, size_t len, const uint8_t *origin, size_t olen)
{
	size_t off = 0;

	while (len - off > olen)
		off += name[off] + 1u;
	return len - off == olen && memcmp(name + off, origin, olen) == 0;
}

#define RR_WIRE_PREFIX 11 /* root owner, type, class, TTL, RDLENGTH */

/* A quick check of the commonest types' RDATA, which have no names: returns 1 when it has
 * its type's form, 0 when not, -1 for the other types (rdata_parse() decides). */
static int rdata_form_quick(uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	size_t pos = 0;

	switch (type) {
	case DNS_TYPE_A:
		return rdlen == 4;
	case DNS_TYPE_AAAA:
		return rdlen == 16;
	case DNS_TYPE_TXT:
		/* One or more character-strings, each a length byte and that many bytes. */
		while (pos < rdlen)
			pos += 1u + rdata[pos];
		return rdlen > 0 && pos == rdlen;
	default:
		return -1;
	}
}

/* Parses a record's wire RDATA back as its type says. ldns' text parser lets some broken
 * RDATA through (an MX without its preference gives bytes no MX has), and RFC 3597
 * section 5 wants "\#" data of a known type to be valid for that type; the answer code
 * reads SOA, NS, MX, SRV and CNAME fields straight from these bytes, and clients parse
 * every record (an HTTPS target cut short made answers ldns rejects). Returns the parsed
 * record (its fields locate the RDATA names), or NULL when the bytes do not have the
 * type's form: a field cut short, too few fields, bytes left over. */
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
	struct db_staged_rr *s;
	ldns_buffer *buf;
	uint8_t *owner_copy, *rdata, owner_lc[DNS_MAX_NAME];
	uint16_t name_off[RR_MAX_NAMES];
	ldns_rr *typed;
	int quick;
	size_t i, owner_lc_len;

	/* ldns accepts names past 255 bytes; the wire does not (RFC 1035 section 2.3.4). */
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *rdf = ldns_rr_rdf(rr, i);

		if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME && ldns_rdf_size(rdf) > DNS_MAX_NAME) {
			load_error(l, fs->path, line, "a name in the data is longer than 255 bytes");
			return;
		}
	}
	if (ldns_rdf_size(owner) > DNS_MAX_NAME) {
		load_error(l, fs->path, line, "owner name longer than 255 bytes");
		return;
	}
	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
		load_error(l, fs->path, line, "class %u is not served: only IN",
			   (unsigned)ldns_rr_get_class(rr));
		return;
	}
	if (l->origin == NULL) {
		/* No ORIGIN=: the SOA owner names the zone, else the $ORIGIN in force. */
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA && fs->origin != NULL) {
			l->origin = ldns_rdf_clone(fs->origin);
		} else if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA) {
			load_error(l, fs->path, line,
				   "no origin: give ORIGIN=FILE, a $ORIGIN line or an SOA first");
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
	if (!name_in_origin(owner_lc, owner_lc_len, l->origin_lc, l->origin_len)) {
		char *o = rdf_text(owner), *z = rdf_text(l->origin);

		load_error(l, fs->path, line, "%s is outside the zone %s", o, z);
		free(o);
		free(z);
		return;
	}
	buf = l->rdata_buf;
	ldns_buffer_clear(buf);
	if (ldns_rr_rdata2buffer_wire(buf, rr) != LDNS_STATUS_OK ||
	    ldns_buffer_position(buf) > 65535) {
		load_error(l, fs->path, line, "record data too long");
		return;
	}
	/* A, AAAA and TXT, most of a big zone, are checked quickly; every other type is
	 * parsed back (ldns_wire2rr for every record would add a fifth to the load time). */
	quick = rdata_form_quick(ldns_rr_get_type(rr), ldns_buffer_begin(buf),
				 ldns_buffer_position(buf));
	typed = NULL;
	if (quick < 0)
		typed = rdata_parse(l, ldns_rr_get_type(rr), ldns_buffer_begin(buf),
				    ldns_buffer_position(buf));
	if (quick == 0 || (quick < 0 && typed == NULL)) {
		char *t = ldns_rr_type2str(ldns_rr_get_type(rr));

		load_error(l, fs->path, line, "the %s record data does not have the form of its type",
			   t ? t : "?");
		free(t);
		return;
	}
	find_rdata_names(typed != NULL ? typed : rr, name_off);
	ldns_rr_free(typed);
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct db_staged_rr *rrs = realloc(l->rrs, cap * sizeof(*rrs));

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
	load_error(l, fs->path, line, "out of memory");
}

static int load_file(struct loader *l, const char *path, const ldns_rdf *origin, uint32_t ttl);

/* $ORIGIN, $TTL and $INCLUDE (RFC 1035 section 5.1, RFC 2308 section 4). */
static void directive(struct loader *l, struct file_state *fs, int line, char *entry)
{
	char *save = NULL, *word = strtok_r(entry, " \t", &save);
	char *arg = strtok_r(NULL, " \t", &save);
	char *arg2 = strtok_r(NULL, " \t", &save);

	if (arg == NULL) {
		load_error(l, fs->path, line, "%s needs an argument", word);
		return;
	}
	if (strcasecmp(word, "$ORIGIN") == 0) {
		ldns_rdf *o = NULL;

		if (ldns_str2rdf_dname(&o, arg) != LDNS_STATUS_OK) {
			load_error(l, fs->path, line, "bad $ORIGIN %s", arg);
			return;
		}
		if (!ldns_dname_str_absolute(arg) && fs->origin != NULL)
			(void)ldns_dname_cat(o, fs->origin);
		ldns_rdf_deep_free(fs->origin);
		fs->origin = o;
	} else if (strcasecmp(word, "$TTL") == 0) {
		const char *end = arg;
		uint32_t t = ldns_str2period(arg, &end);

		if (*end != '\0' || end == arg)
			load_error(l, fs->path, line, "bad $TTL %s", arg);
		else
			fs->ttl = t;
	} else if (strcasecmp(word, "$INCLUDE") == 0) {
		char dir[PATH_MAX], path[PATH_MAX];
		ldns_rdf *o = NULL;

		/* A relative path is relative to the including file's folder. */
		if (arg[0] == '/') {
			snprintf(path, sizeof(path), "%s", arg);
		} else {
			snprintf(dir, sizeof(dir), "%s", fs->path);
			snprintf(path, sizeof(path), "%s/%s", dirname(dir), arg);
		}
		if (arg2 != NULL && ldns_str2rdf_dname(&o, arg2) != LDNS_STATUS_OK) {
			load_error(l, fs->path, line, "bad origin %s in $INCLUDE", arg2);
			return;
		}
		if (l->errors > ZONE_MAX_ERRORS) {
			/* The zone has failed for good: read no more. A $INCLUDE loop with k
			 * includes per file would otherwise read it k^8 times (8 = the depth
			 * limit), hours for k = 10, before giving up. */
		} else if (l->depth >= ZONE_MAX_INCLUDE_DEPTH) {
			load_error(l, fs->path, line, "$INCLUDE nested deeper than %d: a loop? (%s)",
				   ZONE_MAX_INCLUDE_DEPTH, path);
		} else if (load_file(l, path, o ? o : fs->origin, fs->ttl) != 0) {
			load_error(l, fs->path, line, "cannot $INCLUDE %s: %s", path, strerror(errno));
		}
		ldns_rdf_deep_free(o);
	} else {
		load_error(l, fs->path, line, "unknown directive %s", word);
	}
}

static void entry(struct loader *l, struct file_state *fs, int line, char *text)
{
	const char *p = text;
	ldns_rr *rr = NULL;
	ldns_status st;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return;
	if (*p == '$' && p == text) {
		directive(l, fs, line, text);
		return;
	}
	if (fs->origin == NULL && l->origin != NULL)
		fs->origin = ldns_rdf_clone(l->origin);
	st = ldns_rr_new_frm_str(&rr, text, fs->ttl, fs->origin, &fs->prev);
	if (st != LDNS_STATUS_OK) {
		load_error(l, fs->path, line, "%s", ldns_get_errorstr_by_id(st));
		return;
	}
	stage_rr(l, fs, line, rr);
	ldns_rr_free(rr);
}

/* Splits the text into entries: one line, or several joined by parentheses; comments
 * and the parentheses removed; quoted text kept as it is. Calls entry() for each with
 * the line it started on. */
static void split_entries(struct loader *l, struct file_state *fs, char *text, size_t len)
{
	char *out = text; /* entries are rewritten in place: they only shrink */
	char *start = text;
	int line = 1, start_line = 1, depth = 0;
	bool quoted = false;
	size_t i;

	for (i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';

		if (quoted) {
			*out++ = c;
			if (c == '\\' && i + 1 < len) {
				*out++ = text[++i];
				if (text[i] == '\n')
					line++;
			} else if (c == '"') {
				quoted = false;
			} else if (c == '\n') {
				line++;
			}
			continue;
		}
		switch (c) {
		case '"':
			quoted = true;
			*out++ = c;
			break;
		case '\\':
			*out++ = c;
			if (i + 1 < len)
				*out++ = text[++i];
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
				load_error(l, fs->path, line, "unbalanced ')'");
			else
				depth--;
			*out++ = ' ';
			break;
		case '\n':
			line++;
			if (depth > 0) {
				*out++ = ' ';
				break;
			}
			*out = '\0';
			entry(l, fs, start_line, start);
			start = out = text + i + 1;
			start_line = line;
			break;
		default:
			*out++ = c;
		}
	}
	if (depth > 0 || quoted)
		load_error(l, fs->path, start_line, "unterminated %s", quoted ? "quote" : "'('");
}

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	struct stat st;

	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		text = malloc((size_t)st.st_size + 1);
		if (text != NULL) {
			*len = fread(text, 1, (size_t)st.st_size, f);
			text[*len] = '\0';
		}
	} else {
		errno = EISDIR;
	}
	fclose(f);
	return text;
}

static int load_file(struct loader *l, const char *path, const ldns_rdf *origin, uint32_t ttl)
{
	struct file_state fs = { .ttl = ttl };
	char **files;
	size_t len = 0;
	char *text = read_whole(path, &len);

	if (text == NULL)
		return -1;
	if (memchr(text, '\0', len) != NULL) {
		load_error(l, path, 0, "binary data, not a zone file");
		free(text);
		return 0;
	}
	files = realloc(l->files, (l->nfiles + 1) * sizeof(*files));
	if (files == NULL || (files[l->nfiles] = strdup(path)) == NULL) {
		l->files = files ? files : l->files;
		free(text);
		return -1;
	}
	l->files = files;
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

/* Zone-level checks on the sorted records (RFC 1034 section 4.3.4, RFC 2181 10.1). */
static void check_zone(struct loader *l, const struct zone *z)
{
	const struct db_staged_rr *rrs = l->rrs;
	size_t i, soa = 0, apex_ns = 0;

	for (i = 0; i < l->count; i++) {
		const struct db_staged_rr *r = &rrs[i];
		bool apex = db_name_equal(r->owner, r->owner_len, z->origin, z->origin_len);

		if (r->type == DNS_TYPE_SOA) {
			if (!apex)
				load_error(l, r->file, r->line, "SOA record not at the zone apex");
			else if (++soa > 1)
				load_error(l, r->file, r->line, "a second SOA record at the apex");
		}
		if (r->type == DNS_TYPE_NS && apex)
			apex_ns++;
		if (r->type == DNS_TYPE_CNAME) {
			/* RRSIG and NSEC may sit beside a CNAME (RFC 4035 section 2.5). */
			size_t j;

			if (apex)
				load_error(l, r->file, r->line, "CNAME at the zone apex");
			for (j = i; j > 0 && db_name_equal(rrs[j - 1].owner, rrs[j - 1].owner_len,
							     r->owner, r->owner_len); j--)
				;
			for (; j < l->count && db_name_equal(rrs[j].owner, rrs[j].owner_len,
							       r->owner, r->owner_len); j++) {
				const struct db_staged_rr *o = &rrs[j];

				if (o == r || o->type == DNS_TYPE_RRSIG || o->type == DNS_TYPE_NSEC)
					continue;
				if (o->type == DNS_TYPE_CNAME && o > r) {
					load_error(l, o->file, o->line, "a second CNAME for the same name");
				} else if (o->type != DNS_TYPE_CNAME) {
					load_error(l, r->file, r->line,
						   "CNAME beside other data (line %d)", o->line);
					break;
				}
			}
		}
	}
	if (soa == 0)
		load_error(l, z->path, 0, "no SOA record at the apex %s", z->origin_text);
	if (apex_ns == 0)
		load_error(l, z->path, 0, "no NS records at the apex %s", z->origin_text);
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

struct zone *zone_load(const struct zone_source *src)
{
	struct loader l = { .src = *src };
	struct zone *z;

	l.rdata_buf = ldns_buffer_new(512);
	l.rr_wire = malloc(RR_WIRE_PREFIX + 65535);
	if (l.rdata_buf == NULL || l.rr_wire == NULL) {
		loader_free(&l);
		return NULL;
	}
	if (src->origin != NULL) {
		if (ldns_str2rdf_dname(&l.origin, src->origin) != LDNS_STATUS_OK) {
			log_error("%s: bad origin %s", src->path, src->origin);
			loader_free(&l);
			return NULL;
		}
	}
	if (load_file(&l, src->path, l.origin, 3600) != 0)
		load_error(&l, src->path, 0, "cannot read: %s", strerror(errno));
	if (l.origin == NULL) {
		if (l.errors == 0)
			load_error(&l, src->path, 0, "no SOA record: the zone has no origin");
		loader_free(&l);
		return NULL;
	}
	z = zone_new(ldns_rdf_data(l.origin), ldns_rdf_size(l.origin), src->path);
	if (z == NULL) {
		loader_free(&l);
		return NULL;
	}
	z->origin_text = rdf_text(l.origin);
	/* No records (every one failed, or an empty file with ORIGIN=): l.rrs is NULL, and
	 * qsort's pointer must not be, even for 0 elements (C11 7.22.5). */
	if (l.count > 0)
		qsort(l.rrs, l.count, sizeof(*l.rrs), db_staged_cmp);
	if (l.errors == 0)
		check_zone(&l, z);
	if (l.errors == 0 && zone_build(z, l.rrs, l.count) != 0)
		load_error(&l, src->path, 0, "out of memory");
	if (l.errors > ZONE_MAX_ERRORS)
		log_error("%s: %u errors in all", src->path, l.errors);
	if (l.errors > 0) {
		/* Keep the origin so its names get SERVFAIL, but none of the data. */
		struct zone *failed = zone_new(z->origin, z->origin_len, src->path);

		if (failed != NULL) {
			failed->origin_text = z->origin_text;
			z->origin_text = NULL;
		}
		zone_free(z);
		z = failed;
		if (z != NULL)
			log_error("zone %s from %s not loaded", z->origin_text, src->path);
	}
	loader_free(&l);
	return z;
}

/* The loaded zone of old that a failed load of src replaces: same origin, or for a file
 * that did not even yield an origin, the same path. */
static struct zone *previous_version(const struct db *old, const struct zone *failed,
				     const struct zone_source *src)
{
	struct zone *prev = NULL;
	size_t i;

	if (old == NULL)
		return NULL;
	if (failed != NULL) {
		prev = db_find_origin(old, failed->origin, failed->origin_len);
	} else {
		for (i = 0; i < old->zone_count && prev == NULL; i++)
			if (strcmp(old->zones[i]->path, src->path) == 0)
				prev = old->zones[i];
	}
	return prev != NULL && prev->ok ? prev : NULL;
}

struct db *zone_reload_db(const struct db *old, const struct zone_source *sources, size_t count,
			  size_t *failed)
{
	struct db *db = db_new();
	size_t i;

	*failed = 0;
	if (db == NULL)
		return NULL;
	for (i = 0; i < count; i++) {
		struct zone *z = zone_load(&sources[i]);
		struct zone *prev;
		int rc;

		if (z == NULL || !z->ok) {
			(*failed)++;
			prev = previous_version(old, z, &sources[i]);
			if (prev != NULL) {
				log_error("zone %s: still serving serial %u until %s loads",
					  prev->origin_text, prev->serial, sources[i].path);
				zone_free(z);
				prev->refs++;
				z = prev;
			} else if (z != NULL) {
				log_error("zone %s: its names get SERVFAIL", z->origin_text);
			}
		}
		if (z == NULL)
			continue;
		rc = db_add_zone(db, z);
		if (rc == -EEXIST) {
			log_error("%s: zone %s is already loaded from another file", z->path,
				  z->origin_text);
			(*failed)++;
		}
		if (rc != 0)
			zone_free(z);
	}
	return db;
}

struct db *zone_load_db(const struct zone_source *sources, size_t count, size_t *failed)
{
	return zone_reload_db(NULL, sources, count, failed);
}

void zone_print_summary(const struct db *db, FILE *out)
{
	size_t i;

	for (i = 0; i < db->zone_count; i++) {
		const struct zone *z = db->zones[i];

		if (z->ok)
			fprintf(out, "%s: %s: serial %u, %zu records, %zu names: ok\n",
				z->origin_text, z->path, z->serial, z->rr_count, z->node_count);
		else
			fprintf(out, "%s: %s: failed\n", z->origin_text, z->path);
	}
}

int zone_source_parse(struct zone_source *src, char *arg)
{
	char *eq = strchr(arg, '=');

	src->origin = NULL;
	src->path = arg;
	if (eq != NULL) {
		*eq = '\0';
		src->origin = arg;
		src->path = eq + 1;
	}
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t zone_sources_from_dir(const char *dir, struct zone_source **sources)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	*sources = NULL;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char **grown;

		if (len <= 5 || strcmp(e->d_name + len - 5, ".zone") != 0)
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown == NULL)
			break;
		names = grown;
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	if (n == 0) {
		free(names);
		return 0;
	}
	qsort(names, n, sizeof(*names), str_cmp);
	*sources = calloc(n, sizeof(**sources));
	if (*sources == NULL) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return 0;
	}
	for (i = 0; i < n; i++)
		(*sources)[i].path = names[i];
	free(names);
	return n;
}

void zone_sources_free(struct zone_source *sources, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free((char *)sources[i].path);
	free(sources);
}

int zone_sources_default(struct zone_source **sources, size_t *count, const char **used,
			 const char *const dirs[], size_t dir_count)
{
	size_t i;

	*sources = NULL;
	*count = 0;
	*used = NULL;
	for (i = 0; i < dir_count; i++) {
		DIR *d = opendir(dirs[i]);

		if (d == NULL) {
			/* Missing is normal (nothing installed there); anything else is not. */
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			*used = dirs[i];
			return -errno;
		}
		closedir(d);
		*count = zone_sources_from_dir(dirs[i], sources);
		if (*count > 0) {
			*used = dirs[i];
			return 0;
		}
	}
	return 0;
}
