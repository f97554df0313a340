/* SPDX-License-Identifier: BSD-3-Clause */
/* test_privileges.c: zone paths mapped into the chroot, user and folder lookups, and a drop to nobody in a child process. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "privileges.h"

/* A scratch tree: base/jail (the chroot) with zones/, base/jail2 (a sibling whose name
 * starts like it), base/jail/out -> base (a link leading out). */
static char base[PATH_MAX], jail[PATH_MAX + 8];

static int setup(void **state)
{
	char tmpl[] = "/tmp/dualns-privileges-XXXXXX", *real, path[PATH_MAX + 64];

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	/* /tmp may itself be a link: compare against resolved paths. */
	real = realpath(tmpl, NULL);
	if (real == NULL)
		return -1;
	snprintf(base, sizeof(base), "%s", real);
	free(real);
	snprintf(jail, sizeof(jail), "%s/jail", base);
	mkdir(jail, 0755);
	snprintf(path, sizeof(path), "%s/zones", jail);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/jail2", base);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/out", jail);
	return symlink(base, path);
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

struct path_case {
	const char *name;
	const char *path;   /* "J" stands for the jail, "B" for the base */
	int ret;
	const char *want;   /* inside the chroot, for ret 0 */
};

static const struct path_case path_cases[] = {
	{ "a file in a folder", "J/zones/a.zone", 0, "/zones/a.zone" },
	{ "a file at the top", "J/a.zone", 0, "/a.zone" },
	{ "a missing file in an existing folder", "J/zones/missing.zone", 0, "/zones/missing.zone" },
	{ "dot-dot that stays inside", "J/zones/../a.zone", 0, "/a.zone" },
	{ "doubled slashes", "J//zones//a.zone", 0, "/zones/a.zone" },
	{ "outside", "B/a.zone", -EXDEV, NULL },
	{ "dot-dot that leaves", "J/zones/../../a.zone", -EXDEV, NULL },
	/* /x/jail2 starts with /x/jail but is not inside it. */
	{ "a sibling named like the chroot", "B/jail2/a.zone", -EXDEV, NULL },
	/* Inside the chroot the link would lead elsewhere: judged by where it leads now. */
	{ "a link that leads out", "J/out/a.zone", -EXDEV, NULL },
	{ "a link that leads out and back in", "J/out/jail/zones/a.zone", 0, "/zones/a.zone" },
	{ "a missing folder", "J/nope/a.zone", -ENOENT, NULL },
};

static void expand(char *out, size_t len, const char *pattern)
{
	if (pattern[0] == 'J')
		snprintf(out, len, "%s%s", jail, pattern + 1);
	else
		snprintf(out, len, "%s%s", base, pattern + 1);
}

static void test_path_cases(void **state)
{
	char path[PATH_MAX * 2], out[PATH_MAX];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		const struct path_case *tc = &path_cases[i];

		expand(path, sizeof(path), tc->path);
		r = privileges_path_in_chroot(out, sizeof(out), jail, path);
		if (r != tc->ret)
			fail_msg("%s: %s returned %d, expected %d", tc->name, path, r, tc->ret);
		if (r == 0 && strcmp(out, tc->want) != 0)
			fail_msg("%s: %s became %s, expected %s", tc->name, path, out, tc->want);
	}
}

/* Relative paths are relative to the current folder, as when dualnsd opens them. */
static void test_path_relative(void **state)
{
	char cwd[PATH_MAX], out[PATH_MAX];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(jail), 0);
	assert_int_equal(privileges_path_in_chroot(out, sizeof(out), jail, "zones/a.zone"), 0);
	assert_string_equal(out, "/zones/a.zone");
	assert_int_equal(privileges_path_in_chroot(out, sizeof(out), jail, "a.zone"), 0);
	assert_string_equal(out, "/a.zone");
	assert_int_equal(privileges_path_in_chroot(out, sizeof(out), jail, "../a.zone"), -EXDEV);
	assert_int_equal(chdir(cwd), 0);
}

static void test_path_root_and_small(void **state)
{
	char path[PATH_MAX * 2], out[PATH_MAX], tiny[8];

	(void)state;
	/* --chroot / changes nothing but resolves the folder. */
	expand(path, sizeof(path), "J/zones/../a.zone");
	assert_int_equal(privileges_path_in_chroot(out, sizeof(out), "/", path), 0);
	expand(path, sizeof(path), "J/a.zone");
	assert_string_equal(out, path);
	expand(path, sizeof(path), "J/zones/a.zone");
	assert_int_equal(privileges_path_in_chroot(tiny, sizeof(tiny), jail, path), -ENAMETOOLONG);
}

static void test_prepare(void **state)
{
	struct privileges p;
	char err[256], file[PATH_MAX * 2];

	(void)state;
	assert_int_equal(privileges_prepare(&p, NULL, NULL, err, sizeof(err)), 0);
	assert_null(p.user);
	assert_null(p.root);
	privileges_free(&p);

	assert_int_equal(privileges_prepare(&p, "dualns-no-such-user", NULL, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "--user: unknown user 'dualns-no-such-user'");
	privileges_free(&p);

	/* By name and by number, root is uid 0 and has its primary group among its groups. */
	assert_int_equal(privileges_prepare(&p, "root", NULL, err, sizeof(err)), 0);
	assert_int_equal(p.uid, 0);
	assert_int_equal(p.gid, 0);
	assert_true(p.group_count >= 1);
	privileges_free(&p);
	assert_int_equal(privileges_prepare(&p, "0", NULL, err, sizeof(err)), 0);
	assert_int_equal(p.uid, 0);
	privileges_free(&p);

	/* The chroot folder is resolved (a link, "..") or refused. */
	expand(file, sizeof(file), "J/zones/..");
	assert_int_equal(privileges_prepare(&p, NULL, file, err, sizeof(err)), 0);
	assert_string_equal(p.root, jail);
	privileges_free(&p);
	expand(file, sizeof(file), "J/missing");
	assert_int_equal(privileges_prepare(&p, NULL, file, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "--chroot: "));
	assert_non_null(strstr(err, "No such file or directory"));
	privileges_free(&p);
	assert_int_equal(privileges_prepare(&p, NULL, "/dev/null", err, sizeof(err)), -ENOTDIR);
	assert_string_equal(err, "--chroot: /dev/null: Not a directory");
	privileges_free(&p);
}

/* As root: a child drops to nobody for good. Skipped for other users (nothing to drop). */
static void test_drop_in_child(void **state)
{
	struct privileges p;
	struct passwd *pw;
	char err[256];
	pid_t pid;
	int status;

	(void)state;
	pw = getpwnam("nobody");
	if (geteuid() != 0 || pw == NULL) {
		skip();
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uid_t r, e, s;

		if (privileges_prepare(&p, "nobody", NULL, err, sizeof(err)) < 0 ||
		    privileges_drop(&p, err, sizeof(err)) < 0)
			_exit(10);
		if (getresuid(&r, &e, &s) < 0 || r != pw->pw_uid || e != pw->pw_uid ||
		    s != pw->pw_uid || getgid() != pw->pw_gid)
			_exit(11);
		if (setuid(0) == 0 || seteuid(0) == 0)
			_exit(12); /* root regained */
		/* Once dropped, dropping again is a no-op, not an error. */
		if (privileges_drop(&p, err, sizeof(err)) < 0)
			_exit(13);
		privileges_free(&p);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_cases),
		cmocka_unit_test(test_path_relative),
		cmocka_unit_test(test_path_root_and_small),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_drop_in_child),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
