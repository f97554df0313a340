/* SPDX-License-Identifier: BSD-3-Clause */
/* privileges.h: give up root after binding: --chroot into a folder, then -u to a user and its groups, for good. */
#ifndef DUALNS_PRIVILEGES_H
#define DUALNS_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What main() looks up while it still can (the user database and the chroot folder are
 * outside the chroot), and applies later: privileges_chroot() before the zones are
 * loaded, privileges_drop() once every socket is bound or taken from systemd. */
struct privileges {
	const char *user;     /* -u, or NULL: keep the current user */
	uid_t uid;
	gid_t gid;            /* the user's primary group */
	gid_t *groups;        /* its supplementary groups (getgrouplist), allocated */
	int group_count;
	char *root;           /* --chroot, resolved (realpath), allocated; or NULL */
};

/* Looks up user (a name, or a number that is a uid in the user database) and resolves
 * root (a folder). Either may be NULL. Returns 0; or -errno with one line in err:
 * -ENOENT for an unknown user or a missing folder, -ENOTDIR when root is not a folder,
 * -ENOMEM, -E2BIG when the user has more groups than the kernel allows, or what the
 * user database or realpath() failed with. p needs privileges_free() either way. */
int privileges_prepare(struct privileges *p, const char *user, const char *root, char *err,
		       size_t errlen);

/* Where path (absolute, or relative to the current folder) is seen from inside the
 * chroot root (resolved, as in struct privileges): "/srv/dns/zones/a.zone" in root
 * "/srv/dns" becomes "/zones/a.zone". The path's folder is resolved (symbolic links,
 * "..") but not its last part, so the file itself may be missing (its zone then fails to
 * load as any missing file does). Returns 0; -EXDEV when the path lies outside root,
 * -ENOENT (or another -errno from realpath) when its folder cannot be resolved,
 * -ENAMETOOLONG when out is too small. */
int privileges_path_in_chroot(char *out, size_t outlen, const char *root, const char *path);

/* Changes the root folder to p->root and the current folder to its "/" (nothing when
 * p->root is NULL). Needs root (CAP_SYS_CHROOT). Returns 0, or -errno with one line in
 * err. */
int privileges_chroot(const struct privileges *p, char *err, size_t errlen);

/* Switches to p->user for good (nothing when it is NULL): supplementary groups
 * (setgroups), group (setgid), then user (setuid), in that order since each step needs
 * the privileges the next one gives up; then checks that real, effective and saved ids
 * are the user's and that setuid(0) fails. glibc applies each change to every thread of
 * the process. Returns 0; or -errno with one line in err (-EPERM when not root and the
 * user is another one, or when root could be regained). */
int privileges_drop(const struct privileges *p, char *err, size_t errlen);

/* Frees what privileges_prepare() allocated; p may be all zero. Safe to call twice. */
void privileges_free(struct privileges *p);

#endif
