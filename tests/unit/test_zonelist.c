/* SPDX-License-Identifier: BSD-3-Clause */
/* test_zonelist.c: where the zones come from (zonelist.c: files and folders, the default
 * folders, a rescan on reload, paths inside a chroot) and what the log says about the
 * zones and a reload (zonereport.c). Folders and zone files are made in a temporary
 * folder. */
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "zonelist.h"
#include "zonereport.h"

/* Room for the folder's path, and for a name in it. */
#define TMP_DIR_MAX 512
#define TMP_PATH_MAX 1024

static char tmpdir[TMP_DIR_MAX];
static char startdir[PATH_MAX];
static char logbuf[16384];
static FILE *logstream;

/* tmpdir/name, in one of a few static buffers (several are used at once). */
static const char *tmp_path(const char *name)
{
	static char paths[8][TMP_PATH_MAX];
	static unsigned next;
	char *p = paths[next++ % 8];

	snprintf(p, TMP_PATH_MAX, "%s/%s", tmpdir, name);
	return p;
}

/* A small good zone for origin in tmpdir/name. */
static void write_zone(const char *name, const char *origin, uint32_t serial)
{
	FILE *f = fopen(tmp_path(name), "w");

	assert_non_null(f);
	fprintf(f, "$ORIGIN %s\n@ IN SOA ns hostmaster %lu 7200 3600 1209600 300\n"
		   "@ IN NS ns\nns IN A 192.0.2.1\n", origin, (unsigned long)serial);
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *name)
{
	assert_int_equal(mkdir(tmp_path(name), 0755), 0);
}

/* Into tmpdir, for relative paths, and back. */
static void enter_tmpdir(void)
{
	assert_int_equal(chdir(tmpdir), 0);
}

static void leave_tmpdir(void)
{
	assert_int_equal(chdir(startdir), 0);
}

static void log_reset(void)
{
	fflush(logstream);
	memset(logbuf, 0, sizeof(logbuf));
	rewind(logstream);
}

static const char *logged(void)
{
	fflush(logstream);
	return logbuf;
}

/* The paths of the list's sources now, each without tmpdir, joined by spaces. */
static const char *source_names(const struct zonelist *l)
{
	static char out[2048];
	struct zone_source *src;
	ssize_t n = zonelist_sources(l, &src), i;
	size_t pos = 0, skip = strlen(tmpdir) + 1;

	assert_true(n >= 0);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		pos += (size_t)snprintf(out + pos, sizeof(out) - pos, "%s%s", i > 0 ? " " : "",
					strncmp(src[i].path, tmpdir, skip - 1) == 0 ?
					src[i].path + skip : src[i].path);
	free(src);
	return out;
}

/* Files and folders may be mixed; each keeps its place, a folder's files sorted. A
 * folder with ORIGIN= is refused: its files have origins of their own. */
static void test_files_and_folders(void **state)
{
	char *args[3], err[512];
	struct zonelist l;

	(void)state;
	make_dir("mixed");
	write_zone("mixed/b.zone", "b.test.", 1);
	write_zone("mixed/a.zone", "a.test.", 1);
	write_zone("mixed/notes.txt", "x.test.", 1);
	write_zone("one.zone", "one.test.", 1);
	args[0] = (char *)tmp_path("one.zone");
	args[1] = (char *)tmp_path("mixed");
	args[2] = (char *)"given.test.=/nonexistent/given.zone";
	assert_int_equal(zonelist_init(&l, args, 3, NULL, 0, err, sizeof(err)), 0);
	assert_false(zonelist_is_default(&l));
	assert_int_equal(l.entries[0].kind, ZONELIST_FILE);
	assert_int_equal(l.entries[1].kind, ZONELIST_DIR);
	assert_int_equal(l.entries[2].kind, ZONELIST_FILE);
	assert_string_equal(l.entries[2].file.origin, "given.test.");
	assert_int_equal(zonelist_scan(&l), 0);
	assert_string_equal(source_names(&l),
			    "one.zone mixed/a.zone mixed/b.zone /nonexistent/given.zone");
	zonelist_free(&l);

	args[0] = (char *)"example.test.=mixed";
	enter_tmpdir();
	assert_int_equal(zonelist_init(&l, args, 1, NULL, 0, err, sizeof(err)), -EINVAL);
	leave_tmpdir();
	assert_non_null(strstr(err, "example.test.=mixed: mixed is a folder"));
	assert_int_equal(l.count, 0);
	zonelist_free(&l);
}

/* A rescan sees files added to a folder and removed from it; a folder that cannot be
 * read any more keeps what it had, and says so. */
static void test_rescan(void **state)
{
	char *args[1], err[512];
	struct zonelist l;

	(void)state;
	make_dir("scan");
	write_zone("scan/old.zone", "old.test.", 1);
	write_zone("scan/kept.zone", "kept.test.", 1);
	args[0] = (char *)tmp_path("scan");
	assert_int_equal(zonelist_init(&l, args, 1, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(zonelist_scan(&l), 0);
	assert_string_equal(source_names(&l), "scan/kept.zone scan/old.zone");

	write_zone("scan/new.zone", "new.test.", 1);
	assert_int_equal(unlink(tmp_path("scan/old.zone")), 0);
	log_reset();
	assert_int_equal(zonelist_rescan(&l), 0);
	assert_string_equal(source_names(&l), "scan/kept.zone scan/new.zone");

	assert_int_equal(rename(tmp_path("scan"), tmp_path("scan.moved")), 0);
	log_reset();
	assert_int_equal(zonelist_rescan(&l), 1);
	assert_string_equal(source_names(&l), "scan/kept.zone scan/new.zone");
	assert_non_null(strstr(logged(), "reload: cannot read the zone folder "));
	assert_non_null(strstr(logged(), "scan: No such file or directory; the 2 zone files "
				       "listed before stay"));
	assert_int_equal(rename(tmp_path("scan.moved"), tmp_path("scan")), 0);
	zonelist_free(&l);
}

/* Without zone arguments the first default folder with zone files serves; a rescan
 * moves to the operator's folder once it has one, as a restart would. */
static void test_default_rescan(void **state)
{
	const char *dirs[2];
	char err[512];
	struct zonelist l;

	(void)state;
	make_dir("etc");
	make_dir("share");
	write_zone("share/example.zone", "example.test.", 1);
	dirs[0] = tmp_path("etc");
	dirs[1] = tmp_path("share");
	assert_int_equal(zonelist_init(&l, NULL, 0, dirs, 2, err, sizeof(err)), 0);
	assert_true(zonelist_is_default(&l));
	assert_int_equal(zonelist_scan(&l), 0);
	assert_string_equal(source_names(&l), "share/example.zone");
	assert_non_null(strstr(l.entries[0].used, "/share"));

	write_zone("etc/mine.zone", "mine.test.", 1);
	log_reset();
	assert_int_equal(zonelist_rescan(&l), 0);
	assert_string_equal(source_names(&l), "etc/mine.zone");
	assert_non_null(strstr(logged(), "reload: no zone arguments: serving the zones in "));
	assert_non_null(strstr(logged(), "/etc now, not "));
	zonelist_free(&l);
}

/* With --chroot every path becomes the one inside it; a folder outside is an error that
 * names it, the root itself is "/". */
static void test_chroot_paths(void **state)
{
	char *args[3], err[512], root[PATH_MAX];
	struct zonelist l;

	(void)state;
	make_dir("jail");
	make_dir("jail/zones");
	make_dir("outside");
	write_zone("jail/zones/in.zone", "in.test.", 1);
	write_zone("jail/top.zone", "top.test.", 1);
	assert_non_null(realpath(tmp_path("jail"), root));
	args[0] = (char *)tmp_path("jail/zones");
	args[1] = (char *)tmp_path("jail");
	args[2] = (char *)"x.test.=jail/../jail/zones/in.zone";
	enter_tmpdir();
	assert_int_equal(zonelist_init(&l, args, 3, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(zonelist_scan(&l), 0);
	assert_int_equal(zonelist_chroot(&l, root), 0);
	leave_tmpdir();
	assert_string_equal(l.entries[0].dirs[0], "/zones");
	assert_string_equal(l.entries[1].dirs[0], "/");
	assert_string_equal(l.entries[2].file.origin, "x.test.");
	assert_string_equal(l.entries[2].file.path, "/zones/in.zone");
	assert_string_equal(source_names(&l), "/zones/in.zone /top.zone /zones/in.zone");
	zonelist_free(&l);

	args[0] = (char *)tmp_path("outside");
	assert_int_equal(zonelist_init(&l, args, 1, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(zonelist_scan(&l), 0);
	log_reset();
	assert_int_equal(zonelist_chroot(&l, root), -EXDEV);
	assert_non_null(strstr(logged(), "the zone folder "));
	assert_non_null(strstr(logged(), "/outside is outside it"));
	/* Nothing changed. */
	assert_string_equal(l.entries[0].dirs[0], tmp_path("outside"));
	zonelist_free(&l);
}

/* A reload from a rescanned folder: the added file's zone is served, a broken added one
 * is there failed (SERVFAIL), the removed file's zone is gone (REFUSED); the reload line
 * names them. */
static void test_reload_changes(void **state)
{
	struct zone_source *src;
	char *args[1], err[512], line[4096], want[4096];
	struct zonelist l;
	struct db *db1, *db2;
	size_t failed;
	ssize_t n;
	FILE *f;

	(void)state;
	make_dir("reload");
	write_zone("reload/old.zone", "old.test.", 1);
	write_zone("reload/same.zone", "same.test.", 1);
	args[0] = (char *)tmp_path("reload");
	assert_int_equal(zonelist_init(&l, args, 1, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(zonelist_scan(&l), 0);
	n = zonelist_sources(&l, &src);
	db1 = zonedb_load(src, (size_t)n, &failed);
	free(src);
	assert_int_equal(failed, 0);
	zonereport_changes(NULL, db1, line, sizeof(line));
	snprintf(want, sizeof(want), "2 zones, 2 added (old.test. from %s, same.test. from %s), "
		 "0 removed", tmp_path("reload/old.zone"), tmp_path("reload/same.zone"));
	assert_string_equal(line, want);

	assert_int_equal(unlink(tmp_path("reload/old.zone")), 0);
	write_zone("reload/new.zone", "new.test.", 1);
	f = fopen(tmp_path("reload/broken.zone"), "w");
	assert_non_null(f);
	fputs("$ORIGIN broken.test.\n@ IN SOA ns hostmaster 1 2 3 4 5\n@ IN NS ns\nns IN A 1.2.3\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(zonelist_rescan(&l), 0);
	n = zonelist_sources(&l, &src);
	assert_int_equal(n, 3);
	log_reset();
	db2 = zonedb_reload(db1, src, (size_t)n, NULL, &failed);
	free(src);
	assert_non_null(db2);
	assert_int_equal(failed, 1);
	assert_non_null(db_find_origin(db2, (const uint8_t *)"\3new\4test", 10));
	assert_true(db_find_origin(db2, (const uint8_t *)"\3new\4test", 10)->ok);
	assert_non_null(db_find_origin(db2, (const uint8_t *)"\6broken\4test", 13));
	assert_false(db_find_origin(db2, (const uint8_t *)"\6broken\4test", 13)->ok);
	assert_null(db_find_origin(db2, (const uint8_t *)"\3old\4test", 10));
	zonereport_changes(db1, db2, line, sizeof(line));
	snprintf(want, sizeof(want), "2 zones, 2 added (broken.test. from %s, new.test. from %s), "
		 "1 removed (old.test.)", tmp_path("reload/broken.zone"), tmp_path("reload/new.zone"));
	assert_string_equal(line, want);
	db_free(db1);
	db_free(db2);
	zonelist_free(&l);
}

/* Loads the zone files of tmpdir/dir into a db. */
static struct db *load_dir(const char *dir)
{
	struct zone_source *src;
	struct db *db;
	size_t failed;
	ssize_t n = zone_sources_from_dir(tmp_path(dir), &src);

	assert_true(n > 0);
	db = zonedb_load(src, (size_t)n, &failed);
	assert_non_null(db);
	zone_sources_free(src, (size_t)n);
	return db;
}

/* How many lines of the log contain text. */
static size_t count_lines(const char *text)
{
	const char *p = logged();
	size_t n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p += strlen(text);
	}
	return n;
}

/* One line per zone up to ZONEREPORT_ZONES_MAX: origin, serial, records, file; past it
 * one summary line, and the list only with -v. */
static void test_zone_lines(void **state)
{
	char name[64], origin[64], want[TMP_PATH_MAX + 128];
	struct db *db;
	unsigned i;

	(void)state;
	make_dir("few");
	write_zone("few/a.zone", "a.test.", 7);
	write_zone("few/b.zone", "b.test.", 8);
	db = load_dir("few");
	log_reset();
	zonereport_zones(db, NULL);
	snprintf(want, sizeof(want), "zone a.test.: serial 7, 3 records, from %s\n",
		 tmp_path("few/a.zone"));
	assert_non_null(strstr(logged(), want));
	assert_int_equal(count_lines("zone "), 2);
	db_free(db);

	make_dir("many");
	for (i = 0; i <= ZONEREPORT_ZONES_MAX; i++) {
		snprintf(name, sizeof(name), "many/z%02u.zone", i);
		snprintf(origin, sizeof(origin), "z%02u.test.", i);
		write_zone(name, origin, 1);
	}
	db = load_dir("many");
	log_reset();
	zonereport_zones(db, NULL);
	assert_non_null(strstr(logged(), "zones: 11 with data, 0 failed (-v lists each)\n"));
	assert_int_equal(count_lines("zone z"), 0);
	log_init("test_zonelist", LOG_LEVEL_DEBUG);
	log_reset();
	zonereport_zones(db, NULL);
	log_init("test_zonelist", LOG_LEVEL_INFO);
	assert_non_null(strstr(logged(), "zones: 11 with data, 0 failed\n"));
	assert_int_equal(count_lines("zone z"), 11);
	db_free(db);
}

/* A reload warns when secondaries would not follow: content changed but the serial did
 * not, the serial went backwards, or jumped by 2^31 (RFC 1982 section 3.2); not for a new
 * serial, nor for an unchanged zone. */
static void test_serial_warnings(void **state)
{
	struct db *before, *after;
	FILE *f;

	(void)state;
	make_dir("v1");
	make_dir("v2");
	write_zone("v1/same.zone", "same.test.", 5);
	write_zone("v2/same.zone", "same.test.", 5);
	write_zone("v1/edited.zone", "edited.test.", 5);
	write_zone("v2/edited.zone", "edited.test.", 5);
	f = fopen(tmp_path("v2/edited.zone"), "a");
	assert_non_null(f);
	fputs("www IN A 192.0.2.80\n", f);
	assert_int_equal(fclose(f), 0);
	write_zone("v1/back.zone", "back.test.", 7);
	write_zone("v2/back.zone", "back.test.", 5);
	write_zone("v1/newer.zone", "newer.test.", 4294967295u);
	write_zone("v2/newer.zone", "newer.test.", 3);
	write_zone("v1/half.zone", "half.test.", 1);
	write_zone("v2/half.zone", "half.test.", 2147483649u);
	before = load_dir("v1");
	after = load_dir("v2");
	log_reset();
	zonereport_serials(before, after);
	assert_non_null(strstr(logged(), "warning: zone edited.test.: content changed but serial 5 "
				       "did not: secondaries will not follow\n"));
	assert_non_null(strstr(logged(), "warning: zone back.test.: serial went backwards from 7 "
				       "to 5 (RFC 1982): secondaries will not follow\n"));
	assert_non_null(strstr(logged(), "warning: zone half.test.: serial 1 to 2147483649 is "
				       "neither an increase nor a decrease"));
	assert_null(strstr(logged(), "same.test."));
	assert_null(strstr(logged(), "newer.test."));
	assert_int_equal(count_lines("warning: "), 3);
	db_free(before);
	db_free(after);
}

static int setup(void **state)
{
	char rel[64], real[PATH_MAX];

	(void)state;
	snprintf(rel, sizeof(rel), "test_zonelist.XXXXXX");
	if (getcwd(startdir, sizeof(startdir)) == NULL || mkdtemp(rel) == NULL ||
	    realpath(rel, real) == NULL || strlen(real) >= sizeof(tmpdir))
		return 1;
	snprintf(tmpdir, sizeof(tmpdir), "%s", real);
	logstream = fmemopen(logbuf, sizeof(logbuf), "w");
	log_init("test_zonelist", LOG_LEVEL_INFO);
	log_set_stream(logstream);
	return 0;
}

static int teardown(void **state)
{
	char cmd[TMP_DIR_MAX + 32];

	(void)state;
	log_set_stream(NULL);
	fclose(logstream);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) != 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_and_folders),
		cmocka_unit_test(test_rescan),
		cmocka_unit_test(test_default_rescan),
		cmocka_unit_test(test_chroot_paths),
		cmocka_unit_test(test_reload_changes),
		cmocka_unit_test(test_zone_lines),
		cmocka_unit_test(test_serial_warnings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
