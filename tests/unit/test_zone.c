/* SPDX-License-Identifier: BSD-3-Clause */
/* test_zone.c: the zone loader (zonefile.c, zonecheck.c), the zone data (zone.c) and the
 * db (zonedb.c): what it accepts, and for each broken input the message
 * (file:line: problem) it must print. Zone texts are written to a temporary folder. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "failalloc.h"
#include "testutil.h"
#include "wire.h"
#include "zonefile.h"
#include "zoneline.h"
#include "zonelist.h"

/* A literal wire name and its length: the literal's own NUL is the root label. */
#define NAME(s) (const uint8_t *)(s), sizeof(s)
#define SOA "@ IN SOA ns hostmaster 1 7200 3600 1209600 300\n@ IN NS ns\nns IN A 192.0.2.1\n"

static char tmpdir[256];
static char logbuf[8192];
static FILE *logstream;

static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

/* Loads text as zone file `name` with origin (may be NULL); returns the zone. */
static struct zone *load_text(const char *name, const char *origin, const char *text)
{
	const char *path = write_file(name, text, strlen(text));
	struct zone *z;
	int rc;

	memset(logbuf, 0, sizeof(logbuf));
	rewind(logstream);
	rc = zonefile_load(path, origin, &z);
	/* -EINVAL: no origin found, nothing to serve; never out of memory here. */
	assert_true(rc == 0 || rc == -EINVAL);
	assert_true((rc == 0) == (z != NULL));
	return z;
}

static const char *logged(void)
{
	fflush(logstream);
	return logbuf;
}

/* A zone that must load cleanly: on failure the test shows what the loader logged. */
static struct zone *load_good(const char *name, const char *text)
{
	struct zone *z = load_text(name, NULL, text);

	assert_non_null(z);
	if (!z->ok)
		fail_msg("%s", logged());
	return z;
}

struct broken_case {
	const char *why;
	const char *text;
	const char *message; /* what the log must contain, after "<file>:" */
};

static const struct broken_case broken[] = {
	{ "bad owner", "$ORIGIN t.\n" SOA "bad..name IN A 192.0.2.2\n",
	  "z.zone:5:1: 'bad..name IN A 192.0.2.2': bad owner name 'bad..name': an empty label" },
	{ "label of 64", "$ORIGIN t.\n" SOA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa IN A 192.0.2.2\n",
	  "z.zone:5:1: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...': bad owner name 'a" },
	{ "name over 255", "$ORIGIN t.\n" SOA
	  "a23456789012345678901234567890123456789012345678901234567890123.b23456789012345678901234567890123456789012345678901234567890123.c23456789012345678901234567890123456789012345678901234567890123.d23456789012345678901234567890123456789012345678901234567890 IN A 192.0.2.2\n",
	  "z.zone:5: owner name longer than 255 bytes" },
	{ "bad $TTL", "$ORIGIN t.\n$TTL 1x2y\n" SOA, "z.zone:2:6: '$TTL 1x2y': bad TTL '1x2y'" },
	{ "$TTL above 2^32-1, never wrapped (RFC 2181 section 8)", "$ORIGIN t.\n$TTL 99999999999\n" SOA,
	  "z.zone:2:6: '$TTL 99999999999': TTL 99999999999 is above 4294967295" },
	{ "record TTL above 2^32-1", "$ORIGIN t.\n" SOA "www 99999999999 IN A 192.0.2.2\n",
	  "z.zone:5:5: 'www 99999999999 IN A 192.0.2.2': TTL 99999999999 is above 4294967295" },
	{ "record TTL with units above 2^32-1", "$ORIGIN t.\n" SOA "www 7102w IN A 192.0.2.2\n",
	  "z.zone:5:5: 'www 7102w IN A 192.0.2.2': TTL 7102w is above 4294967295" },
	{ "a TTL with a letter after its number", "$ORIGIN t.\n" SOA "www 30x IN A 192.0.2.2\n",
	  "z.zone:5:5: 'www 30x IN A 192.0.2.2': bad TTL '30x'" },
	{ "negative TTL", "$ORIGIN t.\n" SOA "www -5 IN A 192.0.2.2\n", "z.zone:5:5: 'www -5 IN A 192.0.2.2': bad TTL '-5'" },
	{ "unknown type", "$ORIGIN t.\n" SOA "www IN AAA ::1\n", "z.zone:5:8: 'www IN AAA ::1': unknown type 'AAA'" },
	{ "bad class", "$ORIGIN t.\n" SOA "www CLASSX A 192.0.2.2\n", "z.zone:5:5: 'www CLASSX A 192.0.2.2': bad class 'CLASSX'" },
	{ "class above 16 bits", "$ORIGIN t.\n" SOA "www CLASS65536 A 192.0.2.2\n", "z.zone:5:5: 'www CLASS65536 A 192.0.2.2': bad class 'CLASS65536': above 65535" },
	{ "type above 16 bits", "$ORIGIN t.\n" SOA "www IN TYPE65536 \\# 0\n", "z.zone:5:8: 'www IN TYPE65536 \\# 0': bad type 'TYPE65536': above 65535" },
	{ "no type", "$ORIGIN t.\n" SOA "www IN\n", "z.zone:5:7: 'www IN': no type" },
	{ "unknown type number without \\#", "$ORIGIN t.\n" SOA "www IN TYPE65280 abcd\n",
	  "z.zone:5:18: 'www IN TYPE65280 abcd': TYPE65280 has no known form: give its data as \\# LENGTH HEX (RFC 3597 section 5)" },
	{ "text after the data", "$ORIGIN t.\n" SOA "www IN A 192.0.2.2 192.0.2.3\n",
	  "z.zone:5:20: 'www IN A 192.0.2.2 192.0.2.3': unexpected '192.0.2.3' after the A data" },
	{ "a field missing", "$ORIGIN t.\n" SOA "www IN MX 10\n", "z.zone:5:13: 'www IN MX 10': MX needs 2 fields, found 1" },
	{ "bad name in the data", "$ORIGIN t.\n" SOA "www IN CNAME a..b\n",
	  "z.zone:5:14: 'www IN CNAME a..b': not a domain name (an empty label)" },
	{ "a field of a multi-line record", "$ORIGIN t.\n@ IN SOA ns hostmaster (\n  1 ; serial\n  7200 3600\n  x 300 )\n",
	  "z.zone:5:3: '@ IN SOA ns hostmaster 1 7200 3600 x 300': SOA field 6, 'x': not a time" },
	{ "relative SOA owner, no origin: not the root zone", "@ IN SOA ns hostmaster 1 7200 3600 1209600 300\n@ IN NS ns\n",
	  "z.zone:1:1: '@ IN SOA ns hostmaster 1 7200 3600 1209600 300': no origin is given, so the SOA owner '@' would make this the root zone: add $ORIGIN example.com. or give example.com=" },
	{ "blank SOA owner, no origin", "  IN SOA ns hostmaster 1 7200 3600 1209600 300\n",
	  "z.zone:1:1: 'IN SOA ns hostmaster 1 7200 3600 1209600 300': no origin is given, so the SOA owner '@' would make this the root zone" },
	{ "relative named SOA owner, no origin", "example IN SOA ns hostmaster 1 7200 3600 1209600 300\n",
	  "z.zone:1:1: 'example IN SOA ns hostmaster 1 7200 3600 1209600 300': the SOA owner 'example' is relative and no origin is given: write 'example.', add $ORIGIN, or give ORIGIN=" },
	{ "bad A", "$ORIGIN t.\n" SOA "www IN A 300.1.1.1\n", "z.zone:5:10: 'www IN A 300.1.1.1': not an IPv4 address" },
	{ "A cut short", "$ORIGIN t.\n" SOA "www IN A 1.2.3\n", "z.zone:5:10: 'www IN A 1.2.3': not an IPv4 address" },
	{ "bad AAAA", "$ORIGIN t.\n" SOA "www IN AAAA 2001:db8::g\n", "z.zone:5:13: 'www IN AAAA 2001:db8::g': not an IPv6 address" },
	{ "bad MX", "$ORIGIN t.\n" SOA "www IN MX ten mail\n",
	  "z.zone:5:11: 'www IN MX ten mail': MX field 1, 'ten': not a number from 0 to 65535" },
	{ "bad SOA", "$ORIGIN t.\n@ IN SOA ns hostmaster one 2 3 4 5\n@ IN NS ns\n",
	  "z.zone:2:24: '@ IN SOA ns hostmaster one 2 3 4 5': SOA field 3, 'one': not a number from 0 to 4294967295" },
	{ "unterminated quote", "$ORIGIN t.\n" SOA "www IN TXT \"open\n", "z.zone:5: unterminated quote" },
	{ "unbalanced parenthesis", "$ORIGIN t.\n" SOA "www IN A ( 192.0.2.9\n", "z.zone:5: unterminated '('" },
	{ "missing SOA", "$ORIGIN t.\n@ IN NS ns\nns IN A 192.0.2.1\n", "z.zone: no SOA record at the apex t." },
	{ "two SOAs", "$ORIGIN t.\n" SOA "@ IN SOA ns2 hostmaster 2 7200 3600 1209600 300\n", "z.zone:5: a second SOA record at the apex" },
	{ "SOA below the apex", "$ORIGIN t.\n" SOA "x IN SOA ns hostmaster 2 7200 3600 1209600 300\n", "z.zone:5: SOA record not at the zone apex" },
	{ "no NS at the apex", "$ORIGIN t.\n@ IN SOA ns hostmaster 1 7200 3600 1209600 300\n", "z.zone: no NS records at the apex t." },
	{ "CNAME and other data", "$ORIGIN t.\n" SOA "www IN CNAME ns\nwww IN A 192.0.2.3\n", "z.zone:5: CNAME beside other data (line 6)" },
	{ "two CNAMEs", "$ORIGIN t.\n" SOA "www IN CNAME ns\nwww IN CNAME x\n", "a second CNAME for the same name" },
	{ "out-of-zone data", "$ORIGIN t.\n" SOA "www.example.org. IN A 192.0.2.3\n", "z.zone:5: www.example.org. is outside the zone t." },
	{ "class CH data", "$ORIGIN t.\n" SOA "www CH TXT \"x\"\n", "z.zone:5: class 3 is not served: only IN" },
	{ "$INCLUDE loop", "$ORIGIN t.\n" SOA "$INCLUDE z.zone\n", "nested deeper than 8" },
	{ "$INCLUDE of a missing file", "$ORIGIN t.\n" SOA "$INCLUDE nope.inc\n", "z.zone:5: cannot $INCLUDE" },
	{ "unknown directive", "$ORIGIN t.\n" SOA "$GENERATE 1-2 x$ A 192.0.2.$\n", "z.zone:5: unknown directive $GENERATE" },
	{ "empty file", "", "z.zone: no SOA record: the zone has no origin" },
};

static void test_broken_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		const struct broken_case *c = &broken[i];
		struct zone *z = load_text("z.zone", NULL, c->text);

		print_message("case %zu: %s\n", i, c->why);
		/* Not served: either no zone at all, or a failed one (SERVFAIL). */
		assert_true(z == NULL || !z->ok);
		if (strstr(logged(), c->message) == NULL)
			fail_msg("expected \"%s\" in:\n%s", c->message, logged());
		zone_free(z);
	}
}

/* Reads of a file: each allocates the file's text, its name, and a longer list of the
 * names read (zonefile.c, load_file). */
#define ALLOCS_PER_READ 3
/* Reads allowed for the self-including file below: the loader stops reading once more
 * problems than ZONECHECK_MAX_LOGGED were found, one per $INCLUDE past the depth limit,
 * so after the limit's 8 reads down and a few more files at the bottom. */
#define FANOUT_MAX_READS 100

/* A file that includes itself several times: the depth limit alone bounds the work to
 * k^8 reads (k includes per file); the loader must give up once the zone has failed.
 * The test counts the reads by the allocations they make (failalloc.h). */
static void test_include_loop_fanout(void **state)
{
	const char *one = "$ORIGIN t.\n" SOA "$INCLUDE one.inc\n";
	const char *bad_record = "x IN A 300.1.1.1\n";
	struct zone *z;
	unsigned long base, allocs, reads;

	(void)state;
	/* What a failed zone costs besides its reads: a file with one $INCLUDE (two reads)
	 * of a broken record. */
	write_file("one.inc", bad_record, strlen(bad_record));
	failalloc_start(0);
	z = load_text("one.zone", NULL, one);
	base = failalloc_stop();
	assert_non_null(z);
	assert_false(z->ok);
	zone_free(z);
	failalloc_start(0);
	z = load_text("fan.zone", NULL,
		      "$ORIGIN t.\n" SOA "$INCLUDE fan.zone\n$INCLUDE fan.zone\n$INCLUDE fan.zone\n"
		      "$INCLUDE fan.zone\n$INCLUDE fan.zone\n$INCLUDE fan.zone\n");
	allocs = failalloc_stop();
	assert_true(z == NULL || !z->ok);
	assert_non_null(strstr(logged(), "nested deeper than 8"));
	/* 6^8 = 1.7 million reads without the cut-off. */
	reads = allocs > base ? 2 + (allocs - base) / ALLOCS_PER_READ : 2;
	print_message("%lu allocations, about %lu reads\n", allocs, reads);
	if (reads > FANOUT_MAX_READS)
		fail_msg("a self-including file was read about %lu times before it failed", reads);
	zone_free(z);
}

/* RDATA that ldns' text parser lets through but that does not have its type's form
 * (RFC 3597 section 5 for the "\#" form of a known type): a load error naming the line,
 * never data the answer code would read past (an SOA or MX cut short). */
static void test_rdata_form(void **state)
{
	static const struct {
		const char *rr;
		bool ok;
	} cases[] = {
		{ "x IN MX \\# 0 mail\n", false },
		{ "x IN SRV \\# 6 000100020035\n", false },
		{ "@ IN SOA \\# ns1 hostmaster 2 7200 3600 1209600 300\n", false },
		{ "x IN TYPE65\\# 280 \\# 4 0a000001\n", false },
		{ "x IN NS \\# 3 016100\n", true },
		{ "x IN TXT \"a\" \"\"\n", true },
		{ "x IN HTTPS 1 . alpn=h2\n", true },
		{ "x IN A \\# 4 c0000201\n", true },
		{ "x IN TYPE65280 \\# 0\n", true },
	};
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zone *z;

		snprintf(text, sizeof(text), "$ORIGIN t.\n%s%s", SOA, cases[i].rr);
		z = load_text("form.zone", NULL, text);
		print_message("case %zu: %s", i, cases[i].rr);
		assert_non_null(z);
		assert_int_equal(z->ok, cases[i].ok);
		if (!cases[i].ok && strstr(logged(), "form.zone:5: the ") == NULL)
			fail_msg("expected \"form.zone:5: the ... record data\" in:\n%s", logged());
		zone_free(z);
	}
}

static void test_binary_garbage(void **state)
{
	const char junk[] = "\x7f" "ELF\0\1\2\3garbage";
	struct zone_source src = { .origin = "t.", .path = write_file("bin.zone", junk, sizeof(junk)) };
	struct zone *z;

	(void)state;
	rewind(logstream);
	memset(logbuf, 0, sizeof(logbuf));
	assert_int_equal(zonefile_load(src.path, src.origin, &z), 0);
	assert_non_null(z);  /* the origin was given: it is kept, failed, for SERVFAIL */
	assert_false(z->ok);
	assert_non_null(strstr(logged(), "bin.zone: binary data, not a zone file"));
	zone_free(z);
}

static void test_missing_file(void **state)
{
	struct zone_source src = { .origin = "t.", .path = "/nonexistent/dualns.zone" };
	struct zone *z;

	(void)state;
	rewind(logstream);
	memset(logbuf, 0, sizeof(logbuf));
	assert_int_equal(zonefile_load(src.path, src.origin, &z), 0);
	assert_non_null(z);
	assert_false(z->ok);
	assert_non_null(strstr(logged(), "/nonexistent/dualns.zone: cannot read: No such file"));
	zone_free(z);
}

static void test_good_zone(void **state)
{
	const char *inc = "; included\ninc IN TXT \"from the include\"\n";
	struct zone *z;
	const struct node *n;
	const struct rrset *s;

	(void)state;
	write_file("part.inc", inc, strlen(inc));
	/* Origin from the SOA owner; multi-line SOA; blank owner; RFC 3597; duplicates. */
	z = load_good("good.zone",
		      "good.test. 600 IN SOA ns.good.test. h.good.test. (\n"
		      "   42 ; serial\n   7200 3600 1209600\n   300 )\n"
		      "  IN NS ns\n"
		      "ns IN A 192.0.2.1\n"
		      "   IN AAAA 2001:db8::1\n"
		      "a.b.c IN A 192.0.2.2\n"
		      "dup IN A 192.0.2.3\ndup IN A 192.0.2.3\n"
		      "odd IN TYPE65280 \\# 2 abcd\n"
		      "$INCLUDE part.inc\n");
	assert_int_equal(z->serial, 42);
	assert_int_equal(z->neg_ttl, 300);
	n = zone_find_node(z, NAME("\2ns\4good\4test"));
	assert_non_null(n);
	assert_non_null(node_find_rrset(n, DNS_TYPE_AAAA)); /* blank owner: the previous one */
	/* Empty non-terminals exist as nodes without data. */
	n = zone_find_node(z, NAME("\1b\1c\4good\4test"));
	assert_non_null(n);
	assert_int_equal(n->rrset_count, 0);
	n = zone_find_node(z, NAME("\3dup\4good\4test"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_A)->count, 1);
	n = zone_find_node(z, NAME("\3odd\4good\4test"));
	s = node_find_rrset(n, 65280);
	assert_non_null(s);
	assert_int_equal(dns_read16(s->data), 2);
	n = zone_find_node(z, NAME("\3inc\4good\4test"));
	assert_non_null(n);
	assert_int_equal(z->rr_count, 8);
	zone_free(z);
}

/* The packed block holds every node once, in name order, each found by its name, with its
 * records beside it; the walk ends after the last. */
static void test_nodes_packed(void **state)
{
	struct zone *z;
	const struct node *n, *prev = NULL;
	size_t count = 0, records = 0;
	unsigned i;

	(void)state;
	z = load_good("packed.zone",
		      "p.test. 600 IN SOA ns.p.test. h.p.test. 1 7200 3600 1209600 300\n"
		      "  IN NS ns\n"
		      "ns IN A 192.0.2.1\n   IN AAAA 2001:db8::1\n"
		      "x.y.z IN TXT \"one\" \"two\"\n"
		      "x.y.z IN TXT \"three\"\n"
		      "empty.w IN MX 10 ns\n"
		      "sub IN NS ns.sub\nns.sub IN A 192.0.2.9\n");
	for (n = zone_next_node(z, NULL); n != NULL; prev = n, n = zone_next_node(z, n)) {
		assert_ptr_equal(zone_find_node(z, n->name, n->name_len), n);
		assert_true(((uintptr_t)n & 7u) == 0);
		if (prev != NULL)
			assert_true(memcmp(prev->name, n->name,
					   prev->name_len < n->name_len ? prev->name_len : n->name_len) <= 0);
		for (i = 0; i < n->rrset_count; i++)
			records += n->rrsets[i].count;
		count++;
	}
	/* p, ns, w, empty.w, z, y.z, x.y.z, sub, ns.sub */
	assert_int_equal(count, 9);
	assert_int_equal(count, z->node_count);
	assert_int_equal(records, z->rr_count);
	n = zone_find_node(z, NAME("\1x\1y\1z\1p\4test"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_TXT)->count, 2);
	assert_null(zone_find_node(z, NAME("\1q\1p\4test")));
	zone_free(z);
}

/* A zone built from no records at all is empty and not ok (no SOA), not out of memory. */
static void test_build_empty(void **state)
{
	struct zone *z = zone_new(NAME("\1e\4test"), "e.test.", "empty.zone");

	(void)state;
	assert_non_null(z);
	assert_int_equal(zone_build(z, NULL, 0), 0);
	assert_false(z->ok);
	assert_int_equal(z->rr_count, 0);
	assert_null(zone_find_node(z, NAME("\1e\4test")));
	zone_free(z);
}

/* Adds a zone of origin text, with only its SOA, to db; returns it. */
static struct zone *add_soa_zone(struct db *db, const char *origin)
{
	char text[256];
	struct zone *z;

	snprintf(text, sizeof(text), "$ORIGIN %s\n" SOA, origin);
	z = load_text("find.zone", origin, text);
	assert_non_null(z);
	assert_int_equal(db_add_zone(db, z), 0);
	return z;
}

/* test_find_zone_longest() with these origins, and fillers more zones (under "net.")
 * besides. */
static void find_zone_longest(const char *const origins[3], unsigned fillers)
{
	struct db *db = db_new();
	struct zone *zones[3];
	const struct zone *z;
	struct wire_query wq;
	unsigned i;

	assert_non_null(db);
	for (i = 0; i < 3; i++)
		zones[i] = add_soa_zone(db, origins[i]);
	for (i = 0; i < fillers; i++) {
		char origin[32];

		snprintf(origin, sizeof(origin), "f%u.net.", i);
		add_soa_zone(db, origin);
	}
	static const struct {
		const char *qname;
		int zone;  /* index in origins, -1 for none */
		int above; /* the same for a suffix with a label fewer at least (skip 1) */
	} cases[] = {
		{ "\1a\1x\1y\1c\4test", 2, 2 }, { "\1x\1y\1c\4test", 2, 1 },
		{ "\1y\1c\4test", 1, 1 }, { "\1c\4test", 1, 0 }, { "\1d\4test", 0, 0 },
		{ "\4test", 0, -1 }, { "\3org", -1, -1 }, { "", -1, -1 },
		{ "\1a\1b\1c\1d\1e\1f\1g\3org", -1, -1 },
	};
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t pkt[300] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
		struct db_hint hint;
		struct wire_qname peek;
		size_t nlen = strlen(cases[i].qname) + 1;

		memcpy(pkt + 12, cases[i].qname, nlen);
		pkt[12 + nlen + 1] = 1; /* type A, class IN */
		pkt[12 + nlen + 3] = 1;
		assert_int_equal(wire_parse_query(&wq, pkt, 12 + nlen + 4), RCODE_NOERROR);
		z = db_find_zone(db, wq.lname, wq.label_off, wq.label_count);
		if (cases[i].zone < 0)
			assert_null(z);
		else
			assert_ptr_equal(z, zones[cases[i].zone]);
		z = db_find_zone_above(db, wq.lname, wq.label_off, wq.label_count, 1);
		assert_ptr_equal(z, cases[i].above < 0 ? NULL : zones[cases[i].above]);
		/* The prefetch walks the same suffixes; it must accept every name. */
		assert_true(query_prefetch(db, pkt, 12 + nlen + 4, &peek, &hint));
		assert_ptr_equal(hint.zone, cases[i].zone < 0 ? NULL : zones[cases[i].zone]);
		db_prefetch_node(&hint);
	}
	db_free(db);
}

/* The longest origin wins, whatever the mix of origin lengths: db_find_zone() compares
 * the origins of a few zones in turn; with more, it tries only the suffixes as long as
 * some origin, in the table. Both ways. */
static void test_find_zone_longest(void **state)
{
	static const char *const origins[] = { "test.", "c.test.", "x.y.c.test." };

	(void)state;
	find_zone_longest(origins, 0);
	find_zone_longest(origins, 12);
}

static void test_origin_argument(void **state)
{
	struct zone *z = load_text("rel.zone", "given.test.",
				   "@ IN SOA ns hostmaster 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n");
	char arg[] = "example.org.=/tmp/x.zone", plain[] = "/tmp/y.zone";
	struct zone_source src;

	(void)state;
	assert_non_null(z);
	assert_true(z->ok);
	assert_string_equal(z->origin_text, "given.test.");
	zone_free(z);
	zone_source_parse(&src, arg);
	assert_string_equal(src.origin, "example.org.");
	assert_string_equal(src.path, "/tmp/x.zone");
	zone_source_parse(&src, plain);
	assert_null(src.origin);
	assert_string_equal(src.path, "/tmp/y.zone");
}

static void test_cuts_marked(void **state)
{
	struct zone *z = load_text("cut.zone", "c.test.",
				   SOA "d IN NS ns.d\nns.d IN A 192.0.2.9\n");
	const struct node *n;

	(void)state;
	assert_true(z->ok);
	n = zone_find_node(z, NAME("\1d\1c\4test"));
	assert_true(n->flags & NODE_CUT);
	n = zone_find_node(z, NAME("\2ns\1d\1c\4test"));
	assert_true(n->flags & NODE_BELOW_CUT);
	assert_true(z->apex->flags & NODE_APEX);
	zone_free(z);
}

/* A wildcard's parent is flagged, an empty non-terminal and the apex included, and no
 * other node is: answer.c probes for a "*" child only below a flagged node. */
static void test_wildcard_parents_marked(void **state)
{
	struct zone *z = load_text("wild.zone", "w.test.",
				   SOA "*.a IN A 192.0.2.1\n*.b.c IN TXT \"x\"\n*.a.d IN A 192.0.2.2\n"
				       "*  IN A 192.0.2.3\nx.a IN A 192.0.2.4\n");
	const struct node *n;
	unsigned flagged = 0;

	(void)state;
	assert_true(z->ok);
	assert_true(zone_find_node(z, NAME("\1a\1w\4test"))->flags & NODE_WILDCARD_PARENT);
	/* b.c and a.d exist only as the wildcards' parents: empty non-terminals. */
	assert_true(zone_find_node(z, NAME("\1b\1c\1w\4test"))->flags & NODE_WILDCARD_PARENT);
	assert_true(zone_find_node(z, NAME("\1a\1d\1w\4test"))->flags & NODE_WILDCARD_PARENT);
	assert_true(z->apex->flags & NODE_WILDCARD_PARENT);
	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n))
		flagged += (n->flags & NODE_WILDCARD_PARENT) != 0;
	assert_int_equal(flagged, 4);
	zone_free(z);
}

/* DNAME owners are flagged, at the apex too, and no other node is: answer.c stops its
 * walk down at a flagged node. */
static void test_dname_owners_marked(void **state)
{
	struct zone *z = load_text("dn.zone", "dn.test.",
				   SOA "old IN DNAME new.dn.test.\nwww.new IN A 192.0.2.6\n"
				       "d.e IN DNAME example.org.\n");
	struct zone *apex = load_text("apex.zone", "ap.test.",
				      "@ IN SOA ns.x. h.x. 1 7200 3600 1209600 300\n@ IN NS ns.x.\n"
				      "@ IN DNAME dn.test.\n");
	const struct node *n;
	unsigned flagged = 0;

	(void)state;
	assert_true(z->ok);
	assert_true(zone_find_node(z, NAME("\3old\2dn\4test"))->flags & NODE_DNAME);
	assert_true(zone_find_node(z, NAME("\1d\1e\2dn\4test"))->flags & NODE_DNAME);
	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n))
		flagged += (n->flags & NODE_DNAME) != 0;
	assert_int_equal(flagged, 2);
	assert_true(apex->ok);
	assert_true(apex->apex->flags & NODE_DNAME);
	zone_free(z);
	zone_free(apex);
}

/* RFC 6672 at load: each broken zone is refused with the file and line of the record at
 * fault, as NSD and Knot refuse it; a DNAME into its own subtree is a warning. */
static void test_dname_checks(void **state)
{
	static const struct broken_case cases[] = {
		{ "two DNAMEs at one name (RFC 6672 2.4)", "$ORIGIN t.\n" SOA "d IN DNAME a.example.\nd IN DNAME b.example.\n",
		  "z.zone:6: a second DNAME for the same name (line 5)" },
		{ "a CNAME beside a DNAME (RFC 6672 2.4)", "$ORIGIN t.\n" SOA "d IN DNAME a.example.\nd IN CNAME ns\n",
		  "z.zone:6: CNAME beside a DNAME (line 5)" },
		{ "a record below a DNAME (RFC 6672 2.4)", "$ORIGIN t.\n" SOA "d IN DNAME a.example.\nx.y.d IN A 192.0.2.1\n",
		  "z.zone:6: a record below the DNAME of " },
		{ "a record below an apex DNAME", "$ORIGIN t.\n" SOA "@ IN DNAME example.org.\n",
		  "z.zone:4: a record below the DNAME of " },
		{ "NS beside a DNAME below the apex (RFC 6672 2.3)", "$ORIGIN t.\n" SOA "d IN NS ns.example.\nd IN DNAME a.example.\n",
		  "z.zone:6: DNAME beside NS (line 5) below the apex" },
	};
	static const char *const good[] = {
		/* the same record twice is one record */
		"$ORIGIN t.\n" SOA "d IN DNAME a.example.\nd IN DNAME a.example.\nd IN TXT \"x\"\n",
		/* at the apex beside the SOA and NS, and NSEC3 below it (RFC 5155 owners) */
		"$ORIGIN t.\n@ IN SOA ns.x. h.x. 1 7200 3600 1209600 300\n@ IN NS ns.x.\n@ IN DNAME example.org.\n"
		"0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.t. IN NSEC3 1 0 10 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A\n",
		/* below a cut: occluded, not an error */
		"$ORIGIN t.\n" SOA "c IN NS ns.c\nns.c IN A 192.0.2.2\nx.c IN DNAME a.example.\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zone *z = load_text("z.zone", NULL, cases[i].text);

		print_message("case %zu: %s\n", i, cases[i].why);
		assert_true(z == NULL || !z->ok);
		if (strstr(logged(), cases[i].message) == NULL)
			fail_msg("expected \"%s\" in:\n%s", cases[i].message, logged());
		zone_free(z);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		print_message("good %zu\n", i);
		zone_free(load_good("z.zone", good[i]));
	}
	/* A DNAME into its own subtree: served, with a warning naming its line. */
	{
		struct zone *z = load_good("loop.zone", "$ORIGIN t.\n" SOA "d IN DNAME x.D.t.\n");

		if (strstr(logged(), "loop.zone:5: the DNAME's target is at or below its own owner") == NULL)
			fail_msg("expected the loop warning in:\n%s", logged());
		zone_free(z);
	}
}

static void test_db_duplicate_and_summary(void **state)
{
	struct zone_source src[2];
	char *out = NULL;
	size_t outlen = 0, failed;
	struct db *db;
	FILE *f;

	(void)state;
	src[0].origin = src[1].origin = NULL;
	src[0].path = strdup(write_file("one.zone", "$ORIGIN t.\n" SOA, strlen("$ORIGIN t.\n" SOA)));
	src[1].path = strdup(write_file("two.zone", "$ORIGIN t.\n" SOA, strlen("$ORIGIN t.\n" SOA)));
	rewind(logstream);
	db = zonedb_load(src, 2, &failed);
	assert_int_equal(db->zone_count, 1);
	assert_int_equal(failed, 1);
	assert_non_null(strstr(logged(), "two.zone: zone t. is already loaded"));
	f = open_memstream(&out, &outlen);
	zonedb_print_summary(db, src, 2, f);
	fclose(f);
	assert_non_null(strstr(out, "t.: "));
	assert_non_null(strstr(out, "serial 1, 3 records, 2 names: ok"));
	/* The second file's zone is not in the db: it gets a line of its own. */
	assert_non_null(strstr(out, "two.zone: failed\n"));
	free(out);
	db_free(db);
	free((char *)src[0].path);
	free((char *)src[1].path);
}

/* A reload keeps the old version of a zone whose file broke, and takes the new one once
 * the file is fixed; the old db can be freed while the new one shares the zone. */
static void test_reload_keeps_old_version(void **state)
{
	const char *v1 = "$ORIGIN r.test.\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n";
	const char *bad = "$ORIGIN r.test.\n@ IN SOA ns h 2 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.300\n";
	const char *v3 = "$ORIGIN r.test.\n@ IN SOA ns h 3 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.3\n";
	struct zone_source src = { .origin = NULL };
	struct db *db1, *db2, *db3;
	size_t failed;

	(void)state;
	src.path = strdup(write_file("r.zone", v1, strlen(v1)));
	db1 = zonedb_load(&src, 1, &failed);
	assert_int_equal(failed, 0);
	assert_int_equal(db1->zones[0]->serial, 1);

	write_file("r.zone", bad, strlen(bad));
	rewind(logstream);
	memset(logbuf, 0, sizeof(logbuf));
	db2 = zonedb_reload(db1, &src, 1, NULL, &failed);
	assert_int_equal(failed, 1);
	assert_int_equal(db2->zone_count, 1);
	assert_true(db2->zones[0]->ok);
	assert_int_equal(db2->zones[0]->serial, 1);          /* the old version, shared */
	assert_ptr_equal(db2->zones[0], db1->zones[0]);
	assert_non_null(strstr(logged(), "r.zone:4:9: "));    /* file, line and column of the error */
	assert_non_null(strstr(logged(), "zone r.test.: still serving serial 1"));
	db_free(db1);                                          /* the shared zone survives */
	assert_int_equal(db2->zones[0]->serial, 1);
	assert_non_null(zone_find_node(db2->zones[0], NAME("\2ns\1r\4test")));

	write_file("r.zone", v3, strlen(v3));
	db3 = zonedb_reload(db2, &src, 1, NULL, &failed);
	assert_int_equal(failed, 0);
	assert_int_equal(db3->zones[0]->serial, 3);
	db_free(db2);
	db_free(db3);
	free((char *)src.path);
}

/* The TTL of a record (RFC 2181 section 8): up to 2^31 - 1 as written; from 2^31 to
 * 2^32 - 1 a warning naming file, line and column, and served as 2^31 - 1; $TTL alike. */
static void test_ttl_capped(void **state)
{
	struct zone *z;
	const struct node *n;

	(void)state;
	z = load_good("ttl.zone", "$ORIGIN t.\n$TTL 3000000000\n" SOA
			      "max 2147483647 IN A 192.0.2.2\n"
			      "top 4294967295 IN A 192.0.2.3\n"
			      "units 1h30m IN A 192.0.2.4\n"
			      "after IN 600 A 192.0.2.5\n");
	assert_non_null(strstr(logged(), "warning: "));
	assert_non_null(strstr(logged(), "ttl.zone:2:6: '$TTL 3000000000': TTL 3000000000 is above "
				       "2147483647: served as 2147483647 (RFC 2181 section 8)"));
	assert_non_null(strstr(logged(), "ttl.zone:7:5: 'top 4294967295 IN A 192.0.2.3': TTL "
				       "4294967295 is above 2147483647"));
	assert_null(strstr(logged(), "ttl.zone:6:"));
	n = zone_find_node(z, NAME("\2ns\1t"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_A)->ttl, 2147483647);   /* from $TTL */
	n = zone_find_node(z, NAME("\3max\1t"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_A)->ttl, 2147483647);
	n = zone_find_node(z, NAME("\3top\1t"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_A)->ttl, 2147483647);
	n = zone_find_node(z, NAME("\5units\1t"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_A)->ttl, 5400);
	/* RFC 1035 section 5.1 lets the class come before the TTL. */
	n = zone_find_node(z, NAME("\5after\1t"));
	assert_int_equal(node_find_rrset(n, DNS_TYPE_A)->ttl, 600);
	zone_free(z);
}

/* zoneline_ttl(): seconds, or numbers with units; above 2^32 - 1 is -ERANGE, however
 * many digits; anything else -EINVAL. */
static void test_ttl_words(void **state)
{
	static const struct {
		const char *word;
		int rc;
		uint64_t ttl;
	} cases[] = {
		{ "0", 0, 0 }, { "3600", 0, 3600 }, { "1h30m", 0, 5400 }, { "1H30", 0, 3630 },
		{ "2w1d", 0, 1296000 }, { "4294967295", 0, 4294967295u },
		{ "4294967296", -ERANGE, 0 }, { "99999999999999999999999999", -ERANGE, 0 },
		{ "7102w", -ERANGE, 0 }, { "", -EINVAL, 0 }, { "h", -EINVAL, 0 },
		{ "1x", -EINVAL, 0 }, { "1hm", -EINVAL, 0 }, { "-5", -EINVAL, 0 }, { "+5", -EINVAL, 0 },
	};
	uint64_t ttl;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].word);
		assert_int_equal(zoneline_ttl(cases[i].word, strlen(cases[i].word), &ttl), cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(ttl, cases[i].ttl);
	}
}

/* The root zone is served only when asked for: ORIGIN ".", $ORIGIN ., or the owner "."
 * (a relative owner without an origin is an error: test_broken_table). */
static void test_root_zone_asked(void **state)
{
	static const char *const texts[] = {
		"$ORIGIN .\n@ IN SOA ns.root. h.root. 1 2 3 4 5\n@ IN NS ns.root.\n",
		". IN SOA ns.root. h.root. 1 2 3 4 5\n. IN NS ns.root.\n",
	};
	struct zone *z;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		z = load_good("root.zone", texts[i]);
		assert_string_equal(z->origin_text, ".");
		zone_free(z);
	}
	z = load_text("root.zone", ".", "@ IN SOA ns.root. h.root. 1 2 3 4 5\n@ IN NS ns.root.\n");
	assert_non_null(z);
	assert_true(z->ok);
	assert_string_equal(z->origin_text, ".");
	zone_free(z);
}

/* The digest (zonedigest.h) is of what is served: the same records give the same digest
 * whatever their order, comments, duplicates or letter case of owners; a changed TTL or
 * RDATA changes it. */
static void test_digest(void **state)
{
	static const char *const same[] = {
		"$ORIGIN d.test.\n" SOA "www IN A 192.0.2.9\nwww IN TXT \"x\"\n",
		"$ORIGIN d.test.\n; reordered\nwww IN TXT \"x\"\n" SOA "WWW IN A 192.0.2.9\n"
		"www IN A 192.0.2.9\n",
		"$ORIGIN d.test.\n@ IN SOA ns hostmaster 1 7200 3600 1209600 300\n@ IN NS ns\n"
		"ns 3600 IN A 192.0.2.1 ; the default TTL, written out\nwww IN A 192.0.2.9\n"
		"www IN TXT x\n",
	};
	static const char *const different[] = {
		"$ORIGIN d.test.\n" SOA "www 60 IN A 192.0.2.9\nwww IN TXT \"x\"\n",
		"$ORIGIN d.test.\n" SOA "www IN A 192.0.2.10\nwww IN TXT \"x\"\n",
		"$ORIGIN d.test.\n" SOA "www IN A 192.0.2.9\nwww IN TXT \"X\"\n",
		"$ORIGIN d.test.\n" SOA "www IN A 192.0.2.9\nwww IN TXT \"x\"\nwww IN TXT \"y\"\n",
		"$ORIGIN d.test.\n" SOA "www IN A 192.0.2.9\nxyz IN TXT \"x\"\n",
	};
	uint8_t first[ZONE_DIGEST_SIZE], zero[ZONE_DIGEST_SIZE] = { 0 };
	struct zone *z;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		z = load_good("digest.zone", same[i]);
		print_message("same %zu\n", i);
		if (i == 0)
			memcpy(first, z->digest, sizeof(first));
		assert_memory_not_equal(z->digest, zero, sizeof(zero));
		assert_memory_equal(z->digest, first, sizeof(first));
		zone_free(z);
	}
	for (i = 0; i < sizeof(different) / sizeof(different[0]); i++) {
		z = load_good("digest.zone", different[i]);
		print_message("different %zu\n", i);
		assert_memory_not_equal(z->digest, first, sizeof(first));
		zone_free(z);
	}
}

static void test_sources_from_dir(void **state)
{
	struct zone_source *src;
	size_t n;

	(void)state;
	n = zone_sources_from_dir(TEST_DATADIR, &src);
	/* Only *.zone files, in name order: the .inc is not a zone. */
	assert_int_equal(n, 6);
	assert_non_null(strstr(src[0].path, "broken.test.zone"));
	assert_non_null(strstr(src[1].path, "dn.test.zone"));
	assert_non_null(strstr(src[2].path, "dnapex.test.zone"));
	assert_non_null(strstr(src[3].path, "example.test.zone"));
	assert_non_null(strstr(src[4].path, "own.example.test.zone"));
	assert_non_null(strstr(src[5].path, "wild.test.zone"));
	zone_sources_free(src, n);
	assert_int_equal(zone_sources_from_dir("/nonexistent", &src), -ENOENT);
	assert_null(src);
}

/* The lookup dualnsd runs without zone arguments: the first folder with *.zone files wins
 * (operator's folder, then installed examples, then source tree); a missing or empty folder
 * is skipped, one that exists but cannot be read is an error, not a reason to serve the
 * examples instead. */
static void test_sources_default(void **state)
{
	char conf[300], examples[300], src_dir[300], notdir[300], loop[300];
	const char *dirs[3], *used;
	struct zone_source *src;
	size_t n;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/etc-zones", tmpdir);
	snprintf(examples, sizeof(examples), "%s/share-zones", tmpdir);
	snprintf(src_dir, sizeof(src_dir), "%s/src-zones", tmpdir);
	dirs[0] = conf;
	dirs[1] = examples;
	dirs[2] = src_dir;

	/* Nothing anywhere: no zones, and not an error (main says what to do). */
	assert_int_equal(zone_sources_default(&src, &n, &used, dirs, 3), 0);
	assert_int_equal(n, 0);

	/* Only the source tree (an uninstalled build). */
	assert_int_equal(mkdir(src_dir, 0755), 0);
	write_file("src-zones/s.zone", "", 0);
	assert_int_equal(zone_sources_default(&src, &n, &used, dirs, 3), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(used, src_dir);
	zone_sources_free(src, n);

	/* Installed examples beat the source tree; an empty operator folder (a README, no
	 * *.zone) is skipped. */
	assert_int_equal(mkdir(examples, 0755), 0);
	write_file("share-zones/b.zone", "", 0);
	write_file("share-zones/a.zone", "", 0);
	write_file("share-zones/a.inc", "", 0);
	assert_int_equal(mkdir(conf, 0755), 0);
	write_file("etc-zones/README", "", 0);
	assert_int_equal(zone_sources_default(&src, &n, &used, dirs, 3), 0);
	assert_int_equal(n, 2);
	assert_ptr_equal(used, examples);
	assert_non_null(strstr(src[0].path, "share-zones/a.zone"));
	zone_sources_free(src, n);

	/* One zone in the operator's folder replaces all the examples. */
	write_file("etc-zones/mine.zone", "", 0);
	assert_int_equal(zone_sources_default(&src, &n, &used, dirs, 3), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(used, conf);
	assert_non_null(strstr(src[0].path, "etc-zones/mine.zone"));
	zone_sources_free(src, n);

	/* A path through a file (ENOTDIR) counts as missing... */
	snprintf(notdir, sizeof(notdir), "%s/etc-zones/README/zones", tmpdir);
	dirs[0] = notdir;
	assert_int_equal(zone_sources_default(&src, &n, &used, dirs, 3), 0);
	assert_ptr_equal(used, examples);
	zone_sources_free(src, n);

	/* ...but an operator folder that cannot be opened stops the lookup (a symlink loop
	 * gives ELOOP even to root, who can read any mode). */
	snprintf(loop, sizeof(loop), "%s/loop", tmpdir);
	assert_int_equal(symlink("loop", loop), 0);
	dirs[0] = loop;
	assert_int_equal(zone_sources_default(&src, &n, &used, dirs, 3), -ELOOP);
	assert_ptr_equal(used, loop);
	assert_int_equal(n, 0);
}

static int setup(void **state)
{
	(void)state;
	return test_scratch_setup(tmpdir, sizeof(tmpdir), "test_zone", logbuf, sizeof(logbuf),
				  &logstream, LOG_LEVEL_WARNING);
}

static int teardown(void **state)
{
	(void)state;
	return test_scratch_teardown(tmpdir, logstream);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broken_table),
		cmocka_unit_test(test_include_loop_fanout),
		cmocka_unit_test(test_rdata_form),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_good_zone),
		cmocka_unit_test(test_nodes_packed),
		cmocka_unit_test(test_build_empty),
		cmocka_unit_test(test_find_zone_longest),
		cmocka_unit_test(test_origin_argument),
		cmocka_unit_test(test_cuts_marked),
		cmocka_unit_test(test_wildcard_parents_marked),
		cmocka_unit_test(test_dname_owners_marked),
		cmocka_unit_test(test_dname_checks),
		cmocka_unit_test(test_db_duplicate_and_summary),
		cmocka_unit_test(test_reload_keeps_old_version),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_ttl_capped),
		cmocka_unit_test(test_ttl_words),
		cmocka_unit_test(test_root_zone_asked),
		cmocka_unit_test(test_sources_from_dir),
		cmocka_unit_test(test_sources_default),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
