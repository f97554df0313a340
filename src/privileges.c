/* SPDX-License-Identifier: BSD-3-Clause */
/* privileges.c: --chroot and -u: look the user and folder up at startup, confine, then drop root for good. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privileges.h"

/* getpwnam, and for a number that names no user, getpwuid: "-u 65534" works as in NSD. */
static struct passwd *user_lookup(const char *user)
{
	struct passwd *pw;
	unsigned long v;
	char *end;

	errno = 0;
	pw = getpwnam(user);
	if (pw != NULL || user[0] < '0' || user[0] > '9')
		return pw;
	v = strtoul(user, &end, 10);
	if (*end != '\0' || v > (uid_t)-2)
		return NULL;
	return getpwuid((uid_t)v);
}

/* getgrouplist() is first given room for GROUPS_FIRST groups, then more as it asks, up
 * to GROUPS_MAX (Linux's NGROUPS_MAX). */
#define GROUPS_FIRST 16
#define GROUPS_MAX 65536

/* Fills p->groups and p->group_count with the groups of user name, primary group p->gid
 * included. Returns 0, -ENOMEM, or -E2BIG for more than GROUPS_MAX groups. */
static int groups_lookup(struct privileges *p, const char *name)
{
	int n = GROUPS_FIRST;

	for (;;) {
		gid_t *g = realloc(p->groups, (size_t)n * sizeof(*g));
		int got = n;

		if (g == NULL)
			return -ENOMEM;
		p->groups = g;
		if (getgrouplist(name, p->gid, g, &got) >= 0) {
			p->group_count = got;
			return 0;
		}
		/* got says how many there are; grow to that (glibc) or double. */
		n = got > n ? got : n * 2;
		if (n > GROUPS_MAX)
			return -E2BIG;
	}
}

int privileges_prepare(struct privileges *p, const char *user, const char *root, char *err,
		       size_t errlen)
{
	struct passwd *pw;
	struct stat st;
	int r;

	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	if (user != NULL) {
		pw = user_lookup(user);
		if (pw == NULL) {
			r = errno != 0 && errno != ENOENT && errno != ESRCH ? -errno : -ENOENT;
			if (r == -ENOENT)
				snprintf(err, errlen, "--user: unknown user '%s'", user);
			else
				snprintf(err, errlen, "--user: cannot look up '%s': %s", user,
					 strerror(-r));
			return r;
		}
		p->user = user;
		p->uid = pw->pw_uid;
		p->gid = pw->pw_gid;
		/* The groups file is outside the chroot: read it now. pw_name, not user: the
		 * name for a numeric -u. */
		r = groups_lookup(p, pw->pw_name);
		if (r < 0) {
			snprintf(err, errlen, "--user: cannot list the groups of '%s': %s", user,
				 strerror(-r));
			return r;
		}
	}
	if (root != NULL) {
		p->root = realpath(root, NULL);
		if (p->root == NULL) {
			r = -errno;
			snprintf(err, errlen, "--chroot: %s: %s", root, strerror(-r));
			return r;
		}
		if (stat(p->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "--chroot: %s: %s", root, strerror(ENOTDIR));
			return -ENOTDIR;
		}
	}
	return 0;
}

int privileges_path_in_chroot(char *out, size_t outlen, const char *root, const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX], *real;
	size_t root_len = strlen(root);
	const char *inside;
	int n;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	/* dirname and basename may modify their argument: each gets its own copy. */
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	real = realpath(dirname(dir), NULL);
	if (real == NULL)
		return -errno;
	/* "/" as root keeps every path; otherwise the folder must be root or below it (a
	 * mere prefix is not enough: /srv/dns2 is not inside /srv/dns). */
	if (strcmp(root, "/") == 0) {
		inside = real;
	} else if (strncmp(real, root, root_len) == 0 &&
		   (real[root_len] == '\0' || real[root_len] == '/')) {
		inside = real + root_len;
	} else {
		free(real);
		return -EXDEV;
	}
	n = snprintf(out, outlen, "%s/%s", inside, basename(base));
	free(real);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

int privileges_chroot(const struct privileges *p, char *err, size_t errlen)
{
	int r;

	if (p->root == NULL)
		return 0;
	if (chroot(p->root) < 0 || chdir("/") < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot chroot to %s: %s%s", p->root, strerror(-r),
			 r == -EPERM ? " (--chroot needs root)" : "");
		return r;
	}
	return 0;
}

int privileges_drop(const struct privileges *p, char *err, size_t errlen)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	const char *step;
	int r;

	if (p->user == NULL)
		return 0;
	/* Already that user (started by systemd with User=, say): nothing to drop, and a
	 * non-root process could not call setgroups anyway. */
	if (getuid() == p->uid && geteuid() == p->uid && getgid() == p->gid &&
	    getegid() == p->gid && geteuid() != 0)
		return 0;
	step = "set the supplementary groups";
	if (setgroups((size_t)p->group_count, p->groups) < 0)
		goto fail;
	step = "set the group";
	if (setgid(p->gid) < 0)
		goto fail;
	step = "set the user";
	if (setuid(p->uid) < 0)
		goto fail;
	/* setuid() as root sets all three ids; make sure, and make sure it is for good. */
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
		goto fail;
	if (ruid != p->uid || euid != p->uid || suid != p->uid || rgid != p->gid ||
	    egid != p->gid || sgid != p->gid || (p->uid != 0 && setuid(0) == 0)) {
		snprintf(err, errlen, "--user %s: after dropping privileges the process could "
			 "still regain root; not serving", p->user);
		return -EPERM;
	}
	return 0;
fail:
	r = errno;
	snprintf(err, errlen, "--user %s: cannot %s: %s%s", p->user, step, strerror(r),
		 r == EPERM ? " (-u needs root)" : "");
	return -r;
}

void privileges_free(struct privileges *p)
{
	free(p->groups);
	free(p->root);
	p->groups = NULL;
	p->root = NULL;
}
