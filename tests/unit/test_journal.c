/* SPDX-License-Identifier: BSD-3-Clause */
/* test_journal.c: the journal (journal.c): the difference between two versions of a zone
 * record by record, the condensed differences over several versions (RFC 1995 section
 * 5), the depth and byte bounds, and how reloads (zonedb_reload) keep journals. Zone
 * texts are written to a temporary folder. */
#include <errno.h>
#include <unistd.h>

#include "journal.h"
#include "testutil.h"
#include "wire.h"
#include "zonefile.h"
#include "../xfr/journaltext.h"

#define HEAD "$ORIGIN j.test.\n$TTL 3600\n@ SOA ns h %u 7200 3600 1209600 300\n@ NS ns\n" \
	"ns A 192.0.2.1\n"

static char tmpdir[256];
static char logbuf[8192];
static FILE *logstream;

/* Writes zone file `name` from HEAD with this serial and body; returns its path. */
static const char *write_zone(const char *name, uint32_t serial, const char *body)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, HEAD, serial);
	fputs(body, f);
	fclose(f);
	return path;
}

/* A version of j.test. that must load cleanly. */
static struct zone *version(uint32_t serial, const char *body)
{
	struct zone *z = NULL;

	assert_int_equal(zonefile_load(write_zone("v.zone", serial, body), NULL, &z), 0);
	assert_non_null(z);
	assert_true(z->ok);
	return z;
}

static void clear_log(void)
{
	memset(logbuf, 0, sizeof(logbuf));
	rewind(logstream);
}

static const char *logged(void)
{
	fflush(logstream);
	return logbuf;
}

/* The record in text as ldns prints it, so that expectations may be written loosely. */
static void normalize(const char *text, char *buf, size_t len)
{
	ldns_rr *rr = NULL;
	char *s;

	assert_int_equal(ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL), LDNS_STATUS_OK);
	s = ldns_rr2str(rr);
	s[strcspn(s, "\n")] = '\0';
	snprintf(buf, len, "%s", s);
	free(s);
	ldns_rr_free(rr);
}

/* The records of a list past its SOA are exactly `want` (NULL-terminated), in the
 * zone's order: wire names by their bytes (a one-letter label before a two-letter one),
 * then type, then RDATA. */
static void expect_list(const struct journal_rr *rrs, size_t count, const char *const *want,
			const char *what)
{
	char got[1024], exp[1024];
	size_t i, n = 0;

	while (want[n] != NULL)
		n++;
	for (i = 1; i < count; i++)
		print_message("  %s: %s\n", what, journal_rr_text(&rrs[i], got, sizeof(got)));
	assert_int_equal(count - 1, n);
	for (i = 0; i < n; i++) {
		normalize(want[i], exp, sizeof(exp));
		assert_non_null(journal_rr_text(&rrs[i + 1], got, sizeof(got)));
		assert_string_equal(got, exp);
	}
}

/* The serial in the SOA record of a list's first entry. */
static uint32_t soa_serial(const struct journal_rr *soa)
{
	size_t off;

	assert_int_equal(soa->type, DNS_TYPE_SOA);
	off = wire_name_len(soa->rdata);
	off += wire_name_len(soa->rdata + off);
	return (uint32_t)dns_read32(soa->rdata + off);
}

/* A delta from `from` to `to` with exactly these removed and added records. */
static void expect_delta(const struct journal_delta *d, uint32_t from, uint32_t to,
			 const char *const *removed, const char *const *added)
{
	assert_non_null(d);
	assert_int_equal(d->from_serial, from);
	assert_true(d->removed_count >= 1 && d->added_count >= 1);
	assert_int_equal(soa_serial(&d->removed[0]), from);
	assert_int_equal(soa_serial(&d->added[0]), to);
	expect_list(d->removed, d->removed_count, removed, "removed");
	expect_list(d->added, d->added_count, added, "added");
}

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NONE ((const char *const[]){ NULL })

struct diff_case {
	const char *name;
	const char *v1, *v2;
	const char *const *removed, *const *added;
};

static const struct diff_case diff_cases[] = {
	{ "a record added", "", "a A 192.0.2.10\n", NONE, LIST("a.j.test. 3600 IN A 192.0.2.10") },
	{ "a record removed", "a A 192.0.2.10\n", "", LIST("a.j.test. 3600 IN A 192.0.2.10"), NONE },
	{ "RDATA changed", "a A 192.0.2.10\n", "a A 192.0.2.11\n",
	  LIST("a.j.test. 3600 IN A 192.0.2.10"), LIST("a.j.test. 3600 IN A 192.0.2.11") },
	/* IXFR carries a TTL change as the removal and addition of every record of the RRset. */
	{ "TTL changed", "a 3600 A 192.0.2.10\na 3600 A 192.0.2.12\n",
	  "a 60 A 192.0.2.10\na 60 A 192.0.2.12\n",
	  LIST("a.j.test. 3600 IN A 192.0.2.10", "a.j.test. 3600 IN A 192.0.2.12"),
	  LIST("a.j.test. 60 IN A 192.0.2.10", "a.j.test. 60 IN A 192.0.2.12") },
	{ "one record of an RRset added", "m TXT a\nm TXT c\n", "m TXT a\nm TXT b\nm TXT c\n",
	  NONE, LIST("m.j.test. 3600 IN TXT \"b\"") },
	/* The empty non-terminal d.j.test. comes and goes with no record of its own. */
	{ "a node removed, one added", "b TXT x\nb MX 10 ns\n", "c.d TXT y\n",
	  LIST("b.j.test. 3600 IN MX 10 ns.j.test.", "b.j.test. 3600 IN TXT \"x\""),
	  LIST("c.d.j.test. 3600 IN TXT \"y\"") },
	/* Glue and occluded data below a cut count like any record of the zone. */
	{ "glue changed", "sub NS ns.sub\nns.sub A 192.0.2.20\nx.sub TXT occluded\n",
	  "sub NS ns.sub\nns.sub A 192.0.2.21\n",
	  LIST("x.sub.j.test. 3600 IN TXT \"occluded\"", "ns.sub.j.test. 3600 IN A 192.0.2.20"),
	  LIST("ns.sub.j.test. 3600 IN A 192.0.2.21") },
	{ "apex records beside the SOA", "@ TXT old\n", "@ TXT new\n@ MX 5 ns\n",
	  LIST("j.test. 3600 IN TXT \"old\""),
	  LIST("j.test. 3600 IN MX 5 ns.j.test.", "j.test. 3600 IN TXT \"new\"") },
	{ "only the SOA changed", "a A 192.0.2.10\n", "a A 192.0.2.10\n", NONE, NONE },
};

static void test_diff_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(diff_cases) / sizeof(diff_cases[0]); i++) {
		const struct diff_case *c = &diff_cases[i];
		struct zone *v1 = version(1, c->v1), *v2 = version(2, c->v2);
		struct journal *j = journal_diff(v1, v2);

		print_message("%s\n", c->name);
		assert_non_null(j);
		assert_int_equal(j->to_serial, 2);
		assert_int_equal(j->count, 1);
		/* The journal keeps copies: it outlives both versions. */
		zone_free(v1);
		zone_free(v2);
		expect_delta(&j->deltas[0], 1, 2, c->removed, c->added);
		assert_int_equal(j->bytes, j->deltas[0].bytes);
		journal_free(j);
	}
}

/* The wire size of a delta: each record's owner, fixed fields and RDATA, uncompressed. */
static void test_delta_bytes(void **state)
{
	struct zone *v1 = version(1, ""), *v2 = version(2, "a A 192.0.2.10\n");
	struct journal *j = journal_diff(v1, v2);
	size_t soa = v1->soa->data_len - RR_HEADER_SIZE + v1->origin_len + 10;

	(void)state;
	/* Two SOAs of the same size, and a.j.test. A: 10 bytes of owner, 10, 4 of RDATA. */
	assert_int_equal(j->deltas[0].bytes, 2 * soa + 10 + 10 + 4);
	journal_free(j);
	zone_free(v1);
	zone_free(v2);
}

static const struct journal_limits unbounded = { .depth = 100, .bytes = 1 << 30 };

/* v[i] gets the journal journal_build() gives it from v[i - 1]. */
static void chain(struct zone **v, size_t n, const struct journal_limits *limits)
{
	size_t i;

	for (i = 1; i < n; i++)
		assert_int_equal(journal_build(&v[i]->journal, v[i - 1], v[i], limits), 0);
}

static void free_versions(struct zone **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		zone_free(v[i]);
}

/* A record added in v2 and deleted in v3 is in neither list from v1 (RFC 1995 section
 * 5); one deleted in v2 and added again in v3 neither; a TTL changed twice shows the
 * first TTL removed and the last added. */
static void test_condensed(void **state)
{
	struct zone *v[3];
	const struct journal *j;

	(void)state;
	v[0] = version(1, "y TXT stays\nt 100 TXT ttl\n");
	v[1] = version(2, "x TXT passing\nt 200 TXT ttl\n");
	v[2] = version(3, "y TXT stays\nt 300 TXT ttl\n");
	chain(v, 3, &unbounded);
	zone_free(v[0]);
	zone_free(v[1]);
	j = v[2]->journal;
	assert_int_equal(j->count, 2);
	assert_int_equal(j->to_serial, 3);
	/* Newest first: from 2, then from 1. */
	expect_delta(&j->deltas[0], 2, 3,
		     LIST("t.j.test. 200 IN TXT \"ttl\"", "x.j.test. 3600 IN TXT \"passing\""),
		     LIST("t.j.test. 300 IN TXT \"ttl\"", "y.j.test. 3600 IN TXT \"stays\""));
	expect_delta(journal_find(j, 1), 1, 3, LIST("t.j.test. 100 IN TXT \"ttl\""),
		     LIST("t.j.test. 300 IN TXT \"ttl\""));
	assert_ptr_equal(journal_find(j, 2), &j->deltas[0]);
	assert_null(journal_find(j, 3));
	assert_null(journal_find(NULL, 1));
	zone_free(v[2]);
}

/* Five versions, each adding one record: --ixfr-depth keeps the newest versions. */
static void test_depth_bound(void **state)
{
	static const char *const bodies[] = { "", "a TXT 1\n", "a TXT 1\nb TXT 2\n",
		"a TXT 1\nb TXT 2\nc TXT 3\n", "a TXT 1\nb TXT 2\nc TXT 3\nd TXT 4\n" };
	const struct journal_limits two = { .depth = 2, .bytes = 1 << 30 };
	struct zone *v[5];
	uint32_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		v[i] = version(i + 1, bodies[i]);
	chain(v, 5, &unbounded);
	assert_int_equal(v[4]->journal->count, 4);
	for (i = 1; i <= 4; i++)
		assert_non_null(journal_find(v[4]->journal, i));
	expect_delta(journal_find(v[4]->journal, 1), 1, 5, NONE,
		     LIST("a.j.test. 3600 IN TXT \"1\"", "b.j.test. 3600 IN TXT \"2\"",
			  "c.j.test. 3600 IN TXT \"3\"", "d.j.test. 3600 IN TXT \"4\""));
	for (i = 1; i < 5; i++) {
		journal_free(v[i]->journal);
		v[i]->journal = NULL;
	}
	chain(v, 5, &two);
	assert_int_equal(v[4]->journal->count, 2);
	assert_non_null(journal_find(v[4]->journal, 4));
	assert_non_null(journal_find(v[4]->journal, 3));
	assert_null(journal_find(v[4]->journal, 2));
	assert_null(journal_find(v[4]->journal, 1));
	free_versions(v, 5);
}

/* --ixfr-size: the oldest versions go until the sum fits; a difference alone over the
 * bound leaves no journal (-EFBIG). */
static void test_byte_bound(void **state)
{
	struct journal_limits limits = { .depth = 10 };
	struct zone *v[3];
	size_t newest, older;
	struct journal *j;

	(void)state;
	v[0] = version(1, "");
	v[1] = version(2, "a TXT 1\n");
	v[2] = version(3, "a TXT 1\nb TXT 2\n");
	chain(v, 3, &unbounded);
	newest = v[2]->journal->deltas[0].bytes;
	older = v[2]->journal->deltas[1].bytes;
	assert_int_equal(v[2]->journal->bytes, newest + older);

	limits.bytes = newest + older;
	assert_int_equal(journal_build(&j, v[1], v[2], &limits), 0);
	assert_int_equal(j->count, 2);
	journal_free(j);
	limits.bytes = newest + older - 1;
	assert_int_equal(journal_build(&j, v[1], v[2], &limits), 0);
	assert_int_equal(j->count, 1);
	assert_int_equal(j->bytes, newest);
	assert_int_equal(j->deltas[0].from_serial, 2);
	journal_free(j);
	limits.bytes = newest - 1;
	assert_int_equal(journal_build(&j, v[1], v[2], &limits), -EFBIG);
	assert_null(j);
	limits.depth = 0;
	limits.bytes = 1 << 30;
	assert_int_equal(journal_build(&j, v[1], v[2], &limits), 0);
	assert_null(j);
	assert_int_equal(journal_build(&j, v[1], v[2], NULL), 0);
	assert_null(j);
	free_versions(v, 3);
}

/* A serial that is not newer by RFC 1982 (the same with other content, older, or 2^31
 * away) gives no journal: a secondary would not ask for it. */
static void test_serial_not_newer(void **state)
{
	static const uint32_t serials[] = { 5, 4, 5 + DNS_SERIAL_HALF };
	struct zone *old = version(5, "a A 192.0.2.1\n");
	struct journal *j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		struct zone *cur = version(serials[i], "a A 192.0.2.2\n");

		assert_int_equal(journal_build(&j, old, cur, &unbounded), 0);
		assert_null(j);
		zone_free(cur);
	}
	zone_free(old);
}

/* Through reloads: a changed zone gets a journal and a log line; an unchanged file keeps
 * the version and its journal; a broken file keeps them too; a serial that did not move
 * leaves no journal. */
static void test_reload(void **state)
{
	const struct journal_limits limits = { .depth = 20, .bytes = 1 << 20 };
	struct zone_source src = { .origin = NULL };
	struct db *db[6];
	const struct zone *z;
	size_t failed, i;

	(void)state;
	src.path = strdup(write_zone("r.zone", 1, "a A 192.0.2.1\n"));
	db[0] = zonedb_load(&src, 1, &failed);
	assert_null(db[0]->zones[0]->journal);

	write_zone("r.zone", 2, "a A 192.0.2.2\n");
	clear_log();
	db[1] = zonedb_reload(db[0], &src, 1, &limits, &failed);
	z = db[1]->zones[0];
	assert_int_equal(z->serial, 2);
	assert_non_null(strstr(logged(), "zone j.test.: journal: serial 1 to 2, 1 record removed, "
				      "1 added, 1 version kept"));
	expect_delta(journal_find(z->journal, 1), 1, 2, LIST("a.j.test. 3600 IN A 192.0.2.1"),
		     LIST("a.j.test. 3600 IN A 192.0.2.2"));

	/* The same content again: the same version, journal and all. */
	db[2] = zonedb_reload(db[1], &src, 1, &limits, &failed);
	assert_ptr_equal(db[2]->zones[0], z);

	/* A broken file: the version before stays, with its journal. */
	write_zone("r.zone", 3, "a A 192.0.2.300\n");
	db[3] = zonedb_reload(db[2], &src, 1, &limits, &failed);
	assert_int_equal(failed, 1);
	assert_ptr_equal(db[3]->zones[0], z);
	assert_non_null(journal_find(db[3]->zones[0]->journal, 1));

	/* Mended: the journal grows, built from the version served. */
	write_zone("r.zone", 3, "a A 192.0.2.3\n");
	db[4] = zonedb_reload(db[3], &src, 1, &limits, &failed);
	for (i = 0; i < 4; i++)
		db_free(db[i]);
	z = db[4]->zones[0];
	assert_int_equal(z->journal->count, 2);
	expect_delta(journal_find(z->journal, 1), 1, 3, LIST("a.j.test. 3600 IN A 192.0.2.1"),
		     LIST("a.j.test. 3600 IN A 192.0.2.3"));

	/* Content changed, serial not: no journal. */
	write_zone("r.zone", 3, "a A 192.0.2.4\n");
	db[5] = zonedb_reload(db[4], &src, 1, &limits, &failed);
	assert_ptr_not_equal(db[5]->zones[0], z);
	assert_null(db[5]->zones[0]->journal);
	db_free(db[4]);
	db_free(db[5]);
	free((char *)src.path);
}

static int setup(void **state)
{
	(void)state;
	return test_scratch_setup(tmpdir, sizeof(tmpdir), "test_journal", logbuf, sizeof(logbuf),
				  &logstream, LOG_LEVEL_INFO);
}

static int teardown(void **state)
{
	(void)state;
	return test_scratch_teardown(tmpdir, logstream);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_table),
		cmocka_unit_test(test_delta_bytes),
		cmocka_unit_test(test_condensed),
		cmocka_unit_test(test_depth_bound),
		cmocka_unit_test(test_byte_bound),
		cmocka_unit_test(test_serial_not_newer),
		cmocka_unit_test(test_reload),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
