/* SPDX-License-Identifier: BSD-3-Clause */
/* test_zone_oom.c: loading and reloading zones, and listing them (zonelist.h), when
 * memory runs out. Each case counts the allocations of a load or a reload, then runs it
 * again once for every N of them, failing exactly the N-th (failalloc.h), and checks
 * what zonedb.h promises: the load or reload returns NULL, leaves no allocation behind,
 * and leaves the previous db and the reference count of every zone in it as they were.
 * Under --enable-sanitizers, ASan also checks that no freed memory is touched. ldns's
 * own allocations are not failed (failalloc.h says why): the project's handling of each
 * of its own is. */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "failalloc.h"
#include "testutil.h"
#include "zonefile.h"
#include "zonelist.h"

/* Zones for the cases with several: past NAME_TABLE_MIN / 2, so db_add_zone() grows the
 * origin table (and its zone array) while they are added. */
#define MANY_ZONES 12
#define PATH_MAX_LEN 512

static char tmpdir[256];
static FILE *devnull;

/* Writes a small zone for origin with this serial and returns its path (static buffer
 * per index). broken: an A record that does not parse, so the zone fails to load. */
static const char *write_zone(unsigned index, unsigned serial, bool broken)
{
	static char paths[MANY_ZONES][PATH_MAX_LEN];
	char *path = paths[index];
	FILE *f;

	snprintf(path, PATH_MAX_LEN, "%s/z%u.zone", tmpdir, index);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "$ORIGIN z%u.test.\n$TTL 300\n"
		   "@ IN SOA ns hostmaster %u 7200 3600 1209600 300\n"
		   "@ IN NS ns\nns IN A 192.0.2.1\nwww IN A %s\n"
		   "alias IN CNAME www\nsub IN NS ns.sub\nns.sub IN A 192.0.2.2\n"
		   "a.b.c IN TXT \"serial %u\"\n",
		index, serial, broken ? "192.0.2.300" : "192.0.2.80", serial);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void set_sources(struct zone_source *src, unsigned count, unsigned serial, int broken)
{
	unsigned i;

	for (i = 0; i < count; i++) {
		src[i].origin = NULL;
		src[i].path = write_zone(i, serial, (int)i == broken);
	}
}

/* The zones of a db and their reference counts, to compare after a failed reload. */
struct refs_snapshot {
	size_t count;
	struct zone *zones[MANY_ZONES + 4];
	unsigned refs[MANY_ZONES + 4];
};

static void snapshot(struct refs_snapshot *s, const struct db *db)
{
	size_t i;

	assert_true(db->zone_count <= MANY_ZONES + 4);
	s->count = db->zone_count;
	for (i = 0; i < db->zone_count; i++) {
		s->zones[i] = db->zones[i];
		s->refs[i] = db->zones[i]->refs;
	}
}

static void assert_unchanged(const struct refs_snapshot *s, const struct db *db)
{
	size_t i;

	assert_int_equal(db->zone_count, s->count);
	for (i = 0; i < s->count; i++) {
		assert_ptr_equal(db->zones[i], s->zones[i]);
		assert_int_equal(db->zones[i]->refs, s->refs[i]);
		assert_ptr_equal(db_find_origin(db, s->zones[i]->origin, s->zones[i]->origin_len),
				 s->zones[i]);
	}
}

/* Runs zonedb_reload(old, ...) (zonedb_load when old is NULL) once to count its
 * allocations, once failing each of them in turn (each must return NULL, leave no
 * allocation behind and leave old as it was), then once more without failure. Returns
 * the db of that last run. */
/* A changed zone gets a journal: its allocations are failed in turn too. */
static const struct journal_limits limits = {
	.depth = JOURNAL_DEFAULT_DEPTH, .bytes = JOURNAL_DEFAULT_BYTES,
};

static struct db *walk_reload(const struct db *old, const struct zone_source *src, size_t n,
			      size_t *failed)
{
	struct refs_snapshot before = { 0 };
	unsigned long total, i;
	size_t live = failalloc_live();
	struct db *db;

	if (old != NULL)
		snapshot(&before, old);
	failalloc_start(0);
	db = zonedb_reload(old, src, n, &limits, failed);
	total = failalloc_stop();
	assert_non_null(db);
	db_free(db);
	assert_int_equal(failalloc_live(), live);
	print_message("%lu allocations\n", total);
	assert_true(total > 0);
	for (i = 1; i <= total; i++) {
		failalloc_start(i);
		db = zonedb_reload(old, src, n, &limits, failed);
		failalloc_stop();
		if (db != NULL)
			fail_msg("allocation %lu of %lu failed, and the load still returned a db", i,
				 total);
		if (failalloc_live() != live)
			fail_msg("allocation %lu of %lu failed: %zu allocations left behind", i, total,
				 failalloc_live() - live);
		if (old != NULL)
			assert_unchanged(&before, old);
	}
	/* The run that succeeds; a zone that failed now shares old's version (one more
	 * reference: the caller checks). */
	db = zonedb_reload(old, src, n, &limits, failed);
	assert_non_null(db);
	return db;
}

static void test_load_one(void **state)
{
	struct zone_source src = { .origin = NULL, .path = TEST_DATADIR "/example.test.zone" };
	size_t live = failalloc_live(), failed;
	struct db *db;

	(void)state;
	db = walk_reload(NULL, &src, 1, &failed);
	assert_int_equal(failed, 0);
	assert_int_equal(db->zone_count, 1);
	assert_true(db->zones[0]->ok);
	db_free(db);
	assert_int_equal(failalloc_live(), live);
}

/* Enough zones to grow the db's tables, one of them broken (kept, failed, for SERVFAIL),
 * and one whose origin is another's (not added). */
static void test_load_many(void **state)
{
	struct zone_source src[MANY_ZONES + 1];
	size_t live = failalloc_live(), failed;
	struct db *db;

	(void)state;
	set_sources(src, MANY_ZONES, 1, 3);
	src[MANY_ZONES] = src[0];
	db = walk_reload(NULL, src, MANY_ZONES + 1, &failed);
	assert_int_equal(failed, 2);
	assert_int_equal(db->zone_count, MANY_ZONES);
	assert_false(db->zones[3]->ok);
	assert_true(db->zones[4]->ok);
	db_free(db);
	assert_int_equal(failalloc_live(), live);
}

/* A reload of the same files, of changed ones, and of a set where one broke: that zone
 * keeps its previous version, shared with the old db by one more reference. */
static void test_reload(void **state)
{
	struct zone_source src[MANY_ZONES];
	size_t live = failalloc_live(), failed;
	struct db *old, *db;
	unsigned i;

	(void)state;
	set_sources(src, MANY_ZONES, 1, -1);
	old = zonedb_load(src, MANY_ZONES, &failed);
	assert_non_null(old);
	assert_int_equal(failed, 0);

	print_message("unchanged: ");
	db = walk_reload(old, src, MANY_ZONES, &failed);
	assert_int_equal(failed, 0);
	/* Unchanged zones are shared, not loaded twice. */
	for (i = 0; i < MANY_ZONES; i++) {
		assert_int_equal(db->zones[i]->serial, 1);
		assert_ptr_equal(db->zones[i], old->zones[i]);
		assert_int_equal(old->zones[i]->refs, 2);
	}
	db_free(db);

	print_message("changed: ");
	set_sources(src, MANY_ZONES, 2, -1);
	db = walk_reload(old, src, MANY_ZONES, &failed);
	assert_int_equal(failed, 0);
	for (i = 0; i < MANY_ZONES; i++) {
		assert_int_equal(db->zones[i]->serial, 2);
		assert_non_null(journal_find(db->zones[i]->journal, 1));
	}
	db_free(db);

	print_message("failed: ");
	set_sources(src, MANY_ZONES, 3, 5);
	db = walk_reload(old, src, MANY_ZONES, &failed);
	assert_int_equal(failed, 1);
	assert_ptr_equal(db->zones[5], old->zones[5]);
	assert_int_equal(old->zones[5]->refs, 2);
	assert_int_equal(db->zones[4]->serial, 3);
	db_free(old);
	assert_int_equal(db->zones[5]->refs, 1);
	assert_int_equal(db->zones[5]->serial, 1);
	assert_non_null(zone_find_node(db->zones[5], (const uint8_t *)"\3www\2z5\4test", 13));
	db_free(db);
	assert_int_equal(failalloc_live(), live);
}

/* db_add_zone() either lists the zone and holds its reference, or fails and changes
 * nothing: the db lists the zones it had, finds no new one, and the caller still holds
 * the only reference to it. */
static void test_add_zone_atomic(void **state)
{
	struct zone_source src[MANY_ZONES];
	size_t live = failalloc_live(), n;
	struct refs_snapshot before;
	unsigned long i, made;
	struct db *db;
	struct zone *z;
	int rc;

	(void)state;
	set_sources(src, MANY_ZONES, 1, -1);
	db = db_new();
	assert_non_null(db);
	for (n = 0; n < MANY_ZONES; n++) {
		assert_int_equal(zonefile_load(src[n].path, NULL, &z), 0);
		snapshot(&before, db);
		/* Fail the first allocation, then the second...: once i is past the last one
		 * db_add_zone() makes, nothing fails and it succeeds. */
		for (i = 1;; i++) {
			failalloc_start(i);
			rc = db_add_zone(db, z);
			made = failalloc_stop();
			if (rc == 0)
				break;
			assert_int_equal(rc, -ENOMEM);
			assert_unchanged(&before, db);
			assert_null(db_find_origin(db, z->origin, z->origin_len));
			assert_int_equal(z->refs, 1);
		}
		assert_true(made < i);
		assert_true(i > 1);
		assert_int_equal(db->zone_count, n + 1);
		assert_ptr_equal(db_find_origin(db, z->origin, z->origin_len), z);
	}
	db_free(db);
	assert_int_equal(failalloc_live(), live);
}

/* One zone file read with every allocation failing in turn: out of memory, or nothing. */
static void test_zonefile_load(void **state)
{
	const char *path = TEST_DATADIR "/example.test.zone";
	size_t live = failalloc_live();
	unsigned long total, i;
	struct zone *z;

	(void)state;
	failalloc_start(0);
	assert_int_equal(zonefile_load(path, NULL, &z), 0);
	total = failalloc_stop();
	zone_free(z);
	for (i = 1; i <= total; i++) {
		failalloc_start(i);
		assert_int_equal(zonefile_load(path, NULL, &z), -ENOMEM);
		failalloc_stop();
		assert_null(z);
		assert_int_equal(failalloc_live(), live);
	}
}

/* The zone files of a folder listed with every allocation failing in turn: -ENOMEM, not
 * a shorter list or none (which would make dualnsd serve another folder's zones). */
static void test_sources_default(void **state)
{
	const char *dirs[2] = { tmpdir, TEST_DATADIR };
	struct zone_source src[MANY_ZONES], *found;
	size_t live = failalloc_live(), n;
	unsigned long total, i;
	const char *used;

	(void)state;
	set_sources(src, MANY_ZONES, 1, -1);
	failalloc_start(0);
	assert_int_equal(zone_sources_default(&found, &n, &used, dirs, 2), 0);
	total = failalloc_stop();
	assert_int_equal(n, MANY_ZONES);
	assert_ptr_equal(used, tmpdir);
	zone_sources_free(found, n);
	for (i = 1; i <= total; i++) {
		failalloc_start(i);
		assert_int_equal(zone_sources_default(&found, &n, &used, dirs, 2), -ENOMEM);
		failalloc_stop();
		assert_null(found);
		assert_int_equal(n, 0);
		assert_ptr_equal(used, tmpdir);
		assert_int_equal(failalloc_live(), live);
	}
}

/* One life of a zone list as dualnsd lives it: built from a folder and a file, scanned,
 * its sources listed, moved inside a chroot (root), scanned again for a reload, listed
 * again, freed. Returns 0, or the first -errno (-ENOMEM when an allocation failed; a
 * rescan keeps what it had instead). */
static int zonelist_life(char *const args[], size_t count, const char *root)
{
	struct zone_source *src;
	struct zonelist l;
	char err[256];
	ssize_t n;
	int r;

	r = zonelist_init(&l, args, count, NULL, 0, err, sizeof(err));
	if (r == 0)
		r = zonelist_scan(&l);
	if (r == 0 && (n = zonelist_sources(&l, &src)) < 0)
		r = (int)n;
	if (r == 0) {
		assert_int_equal(n, MANY_ZONES + 1);
		free(src);
		r = zonelist_chroot(&l, root);
	}
	if (r == 0) {
		(void)zonelist_rescan(&l);
		n = zonelist_sources(&l, &src);
		if (n < 0)
			r = (int)n;
		else
			free(src);
	}
	zonelist_free(&l);
	return r;
}

/* The zone list (zonelist.h) with each allocation failing in turn: -ENOMEM from the step
 * that failed (a rescan keeps the files it had), never a crash, and nothing left
 * allocated: the server frees its list at every reload and at exit. */
static void test_zonelist(void **state)
{
	char root[PATH_MAX], file[PATH_MAX + 32], *args[2];
	struct zone_source src[MANY_ZONES];
	size_t live = failalloc_live();
	unsigned long total, i;
	int r;

	(void)state;
	set_sources(src, MANY_ZONES, 1, -1);
	assert_non_null(realpath(tmpdir, root));
	snprintf(file, sizeof(file), "z0.test.=%s/z0.zone", root);
	args[0] = root;
	args[1] = file;
	failalloc_start(0);
	assert_int_equal(zonelist_life(args, 2, root), 0);
	total = failalloc_stop();
	assert_int_equal(failalloc_live(), live);
	print_message("%lu allocations\n", total);
	for (i = 1; i <= total; i++) {
		failalloc_start(i);
		r = zonelist_life(args, 2, root);
		failalloc_stop();
		if (r != 0 && r != -ENOMEM)
			fail_msg("allocation %lu of %lu failed: %d, not -ENOMEM", i, total, r);
		if (failalloc_live() != live)
			fail_msg("allocation %lu of %lu failed: %zu allocations left behind", i, total,
				 failalloc_live() - live);
	}
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "test_zone_oom.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	/* Every failed allocation is logged ("out of memory", "cannot read"): not wanted. */
	devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		return 1;
	log_init("test_zone_oom", LOG_LEVEL_ERROR);
	log_set_stream(devnull);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	log_set_stream(NULL);
	fclose(devnull);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) != 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zonefile_load),
		cmocka_unit_test(test_add_zone_atomic),
		cmocka_unit_test(test_load_one),
		cmocka_unit_test(test_load_many),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_sources_default),
		cmocka_unit_test(test_zonelist),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
