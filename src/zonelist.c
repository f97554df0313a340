/* SPDX-License-Identifier: BSD-3-Clause */
/* zonelist.c: the zone files and folders to serve, read at startup and again on every
 * reload; with --chroot their paths as seen from inside it. Load path only. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "privileges.h"
#include "zonelist.h"

void zone_source_parse(struct zone_source *src, char *arg)
{
	char *eq = strchr(arg, '=');

	src->origin = NULL;
	src->path = arg;
	if (eq != NULL) {
		*eq = '\0';
		src->origin = arg;
		src->path = eq + 1;
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

ssize_t zone_sources_from_dir(const char *dir, struct zone_source **sources)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i, dir_len = strlen(dir);
	/* "zones/" names its files "zones/a.zone", not "zones//a.zone". */
	const char *sep = dir_len > 0 && dir[dir_len - 1] == '/' ? "" : "/";

	*sources = NULL;
	if (d == NULL)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char **grown;

		if (len <= 5 || strcmp(e->d_name + len - 5, ".zone") != 0)
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown == NULL || asprintf(&grown[n], "%s%s%s", dir, sep, e->d_name) < 0) {
			/* A shorter list would serve fewer zones, or another folder's. */
			closedir(d);
			names_free(grown != NULL ? grown : names, n);
			return -ENOMEM;
		}
		names = grown;
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
		names_free(names, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		(*sources)[i].path = names[i];
	free(names);
	return (ssize_t)n;
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
		ssize_t n = zone_sources_from_dir(dirs[i], sources);

		/* Missing is normal (nothing installed there); anything else is not. */
		if (n == -ENOENT || n == -ENOTDIR)
			continue;
		if (n < 0) {
			*used = dirs[i];
			return (int)n;
		}
		if (n > 0) {
			*count = (size_t)n;
			*used = dirs[i];
			return 0;
		}
	}
	return 0;
}

static void entry_free(struct zonelist_entry *e)
{
	size_t i;

	free(e->arg);
	for (i = 0; i < e->dir_count; i++)
		free(e->dirs[i]);
	free(e->dirs);
	zone_sources_free(e->found, e->found_count);
	memset(e, 0, sizeof(*e));
}

void zonelist_free(struct zonelist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		entry_free(&l->entries[i]);
	free(l->entries);
	l->entries = NULL;
	l->count = 0;
}

/* Copies the folders into e->dirs. Returns 0 or -ENOMEM. */
static int entry_set_dirs(struct zonelist_entry *e, const char *const dirs[], size_t count)
{
	size_t i;

	e->dirs = calloc(count, sizeof(*e->dirs));
	if (e->dirs == NULL)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		e->dirs[i] = strdup(dirs[i]);
		if (e->dirs[i] == NULL)
			return -ENOMEM;
		e->dir_count++;
	}
	return 0;
}

/* Fills e from one zone argument. Returns 0, -EINVAL (err says why) or -ENOMEM. */
static int entry_from_arg(struct zonelist_entry *e, const char *arg, char *err, size_t errlen)
{
	struct stat st;
	const char *path;

	e->arg = strdup(arg);
	if (e->arg == NULL)
		return -ENOMEM;
	zone_source_parse(&e->file, e->arg);
	/* Whatever is not a folder now is a file: a missing one fails to load as any file
	 * that cannot be read does, and is reported with the zones. */
	if (stat(e->file.path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		e->kind = ZONELIST_FILE;
		return 0;
	}
	if (e->file.origin != NULL) {
		snprintf(err, errlen, "%s=%s: %s is a folder, whose zone files each have their "
			 "own origin; give the folder alone, or ORIGIN=FILE for one file", e->file.origin,
			 e->file.path, e->file.path);
		return -EINVAL;
	}
	e->kind = ZONELIST_DIR;
	path = e->file.path;
	return entry_set_dirs(e, &path, 1);
}

int zonelist_init(struct zonelist *l, char *const args[], size_t count,
		  const char *const dirs[], size_t dir_count, char *err, size_t errlen)
{
	size_t i;
	int r;

	memset(l, 0, sizeof(*l));
	err[0] = '\0';
	l->entries = calloc(count > 0 ? count : 1, sizeof(*l->entries));
	if (l->entries == NULL)
		return -ENOMEM;
	if (count == 0) {
		l->count = 1;
		l->entries[0].kind = ZONELIST_DEFAULT;
		r = entry_set_dirs(&l->entries[0], dirs, dir_count);
		if (r < 0)
			zonelist_free(l);
		return r;
	}
	for (i = 0; i < count; i++) {
		l->count++;
		r = entry_from_arg(&l->entries[i], args[i], err, errlen);
		if (r < 0) {
			zonelist_free(l);
			return r;
		}
	}
	return 0;
}

bool zonelist_is_default(const struct zonelist *l)
{
	return l->count == 1 && l->entries[0].kind == ZONELIST_DEFAULT;
}

/* Lists e's zone files now. Sets *sources, *count and *used as zone_sources_default()
 * does, for one folder or several. Returns 0 or -errno (*used names the folder). */
static int entry_list(const struct zonelist_entry *e, struct zone_source **sources,
		      size_t *count, const char **used)
{
	ssize_t n;

	if (e->kind == ZONELIST_DEFAULT)
		return zone_sources_default(sources, count, used, (const char *const *)e->dirs,
					    e->dir_count);
	*used = e->dirs[0];
	*count = 0;
	n = zone_sources_from_dir(e->dirs[0], sources);
	if (n < 0)
		return (int)n;
	*count = (size_t)n;
	return 0;
}

/* What a folder entry lists from now on: found (count sources, from the folder used). */
static void entry_replace(struct zonelist_entry *e, struct zone_source *found, size_t count,
			  const char *used)
{
	zone_sources_free(e->found, e->found_count);
	e->found = found;
	e->found_count = count;
	e->used = used;
}

int zonelist_scan(struct zonelist *l)
{
	struct zone_source *found;
	const char *used;
	size_t i, count;
	int r;

	for (i = 0; i < l->count; i++) {
		struct zonelist_entry *e = &l->entries[i];

		if (e->kind == ZONELIST_FILE)
			continue;
		r = entry_list(e, &found, &count, &used);
		if (r < 0) {
			log_error("cannot read the zone folder %s: %s", used, strerror(-r));
			return r;
		}
		entry_replace(e, found, count, used);
	}
	return 0;
}

size_t zonelist_rescan(struct zonelist *l)
{
	struct zone_source *found;
	const char *used;
	size_t i, count, unreadable = 0;
	int r;

	for (i = 0; i < l->count; i++) {
		struct zonelist_entry *e = &l->entries[i];

		if (e->kind == ZONELIST_FILE)
			continue;
		r = entry_list(e, &found, &count, &used);
		if (r < 0) {
			/* Its zones are not removed for that: an unreadable folder is more often
			 * a mistake in its permissions than the operator's wish. */
			unreadable++;
			log_error("reload: cannot read the zone folder %s: %s; the %zu zone file%s "
				  "listed before stay%s", used, strerror(-r), e->found_count,
				  e->found_count == 1 ? "" : "s", e->found_count == 1 ? "s" : "");
			continue;
		}
		if (e->kind == ZONELIST_DEFAULT && used != e->used && used != NULL)
			log_info("reload: no zone arguments: serving the zones in %s now%s%s", used,
				 e->used != NULL ? ", not " : "", e->used != NULL ? e->used : "");
		else if (e->kind == ZONELIST_DEFAULT && used != e->used)
			log_warning("reload: no zone arguments, and no default folder has *.zone "
				    "files any more");
		entry_replace(e, found, count, used);
	}
	return unreadable;
}

ssize_t zonelist_sources(const struct zonelist *l, struct zone_source **sources)
{
	size_t i, j, n = 0;

	*sources = NULL;
	for (i = 0; i < l->count; i++)
		n += l->entries[i].kind == ZONELIST_FILE ? 1 : l->entries[i].found_count;
	if (n == 0)
		return 0;
	*sources = calloc(n, sizeof(**sources));
	if (*sources == NULL)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < l->count; i++) {
		const struct zonelist_entry *e = &l->entries[i];

		if (e->kind == ZONELIST_FILE) {
			(*sources)[n++] = e->file;
			continue;
		}
		for (j = 0; j < e->found_count; j++)
			(*sources)[n++] = e->found[j];
	}
	return (ssize_t)n;
}

/* Where path is inside root, in a new string (*out). A folder is resolved whole (it may
 * be a symbolic link, or root itself); a file as privileges_path_in_chroot() does.
 * Returns 0 or -errno: -EXDEV outside root, -ENOMEM, or what the resolution failed with. */
static int resolve_inside(char **out, const char *root, const char *path, bool folder)
{
	char inside[PATH_MAX], *real = NULL;
	int r;

	*out = NULL;
	if (folder && (real = realpath(path, NULL)) == NULL)
		return -errno;
	r = privileges_path_in_chroot(inside, sizeof(inside), root, real != NULL ? real : path);
	/* The root itself: its parent is outside, but the folder is "/" inside. */
	if (r == -EXDEV && real != NULL && strcmp(real, root) == 0) {
		snprintf(inside, sizeof(inside), "/");
		r = 0;
	}
	if (r == 0 && (*out = strdup(inside)) == NULL)
		r = -ENOMEM;
	free(real);
	return r;
}

/* resolve_inside(), and on failure a line naming the path. */
static int path_inside(char **out, const char *root, const char *path, bool folder)
{
	const char *what = folder ? "zone folder" : "zone file";
	int r = resolve_inside(out, root, path, folder);

	if (r == -EXDEV)
		log_error("--chroot %s: the %s %s is outside it: after chroot it could not be "
			  "read again on reload; move it under %s", root, what, path, root);
	else if (r == -ENOMEM)
		log_error("out of memory");
	else if (r < 0)
		log_error("--chroot %s: the %s %s: %s", root, what, path, strerror(-r));
	return r;
}

/* A copy of e with every path inside root (*inside; zeroed first). Returns 0 or -errno
 * (logged); then *inside holds what was done so far, for entry_free(). */
static int entry_chroot(struct zonelist_entry *inside, const struct zonelist_entry *e,
			const char *root)
{
	size_t i;
	int r;

	memset(inside, 0, sizeof(*inside));
	inside->kind = e->kind;
	if (e->kind == ZONELIST_FILE) {
		char *path;
		size_t origin_len = e->file.origin != NULL ? strlen(e->file.origin) : 0;

		r = path_inside(&path, root, e->file.path, false);
		if (r < 0)
			return r;
		/* The same layout as the argument: "ORIGIN" NUL, then the path. */
		inside->arg = malloc(origin_len + 1 + strlen(path) + 1);
		if (inside->arg == NULL) {
			free(path);
			log_error("out of memory");
			return -ENOMEM;
		}
		if (e->file.origin != NULL)
			memcpy(inside->arg, e->file.origin, origin_len + 1);
		strcpy(inside->arg + origin_len + 1, path);
		free(path);
		inside->file.origin = e->file.origin != NULL ? inside->arg : NULL;
		inside->file.path = inside->arg + origin_len + 1;
		return 0;
	}
	inside->dirs = calloc(e->dir_count, sizeof(*inside->dirs));
	inside->found = calloc(e->found_count > 0 ? e->found_count : 1, sizeof(*inside->found));
	if (inside->dirs == NULL || inside->found == NULL) {
		log_error("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < e->dir_count; i++) {
		bool in_use = e->dirs[i] == e->used;
		char *dir;

		/* A default folder outside the chroot, or missing, is no candidate any more:
		 * unless it is the one in use, it is left out quietly, as a missing one is. */
		if (e->kind == ZONELIST_DEFAULT && !in_use) {
			r = resolve_inside(&dir, root, e->dirs[i], true);
			if (r == -ENOMEM) {
				log_error("out of memory");
				return r;
			}
			if (r < 0)
				continue;
		} else {
			r = path_inside(&dir, root, e->dirs[i], true);
			if (r < 0)
				return r;
		}
		inside->dirs[inside->dir_count++] = dir;
		if (in_use)
			inside->used = dir;
	}
	for (i = 0; i < e->found_count; i++) {
		r = path_inside((char **)&inside->found[i].path, root, e->found[i].path, false);
		if (r < 0)
			return r;
		inside->found_count++;
	}
	return 0;
}

int zonelist_chroot(struct zonelist *l, const char *root)
{
	struct zonelist_entry *inside = calloc(l->count > 0 ? l->count : 1, sizeof(*inside));
	size_t i;
	int r = 0;

	if (inside == NULL) {
		log_error("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < l->count && r == 0; i++)
		r = entry_chroot(&inside[i], &l->entries[i], root);
	if (r < 0) {
		/* entry_chroot() stopped at entry i - 1, which may hold a part. */
		while (i-- > 0)
			entry_free(&inside[i]);
		free(inside);
		return r;
	}
	zonelist_free(l);
	l->entries = inside;
	l->count = i;
	return 0;
}

void zonelist_check_readable(const struct zonelist *l, const char *user)
{
	size_t i, j;

	for (i = 0; i < l->count; i++) {
		const struct zonelist_entry *e = &l->entries[i];

		if (e->kind == ZONELIST_FILE) {
			if (access(e->file.path, R_OK) < 0)
				log_warning("%s: user %s cannot read it (%s): SIGHUP will not reload it",
					    e->file.path, user, strerror(errno));
			continue;
		}
		/* Listing a folder needs read, and opening its files search (x). */
		if (e->used != NULL && access(e->used, R_OK | X_OK) < 0)
			log_warning("%s: user %s cannot read the folder (%s): SIGHUP will not see "
				    "files added to it or removed", e->used, user, strerror(errno));
		for (j = 0; j < e->found_count; j++)
			if (access(e->found[j].path, R_OK) < 0)
				log_warning("%s: user %s cannot read it (%s): SIGHUP will not reload it",
					    e->found[j].path, user, strerror(errno));
	}
}
