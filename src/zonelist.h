/* SPDX-License-Identifier: BSD-3-Clause */
/* zonelist.h: where the zones come from: the zone files and folders named on the command
 * line, or without any the first default folder that has zone files. A folder gives one
 * zone per *.zone file in it, and is read again on every reload (zonelist_rescan), so a
 * file added to it is loaded and the zone of a removed one is no longer served, as NSD,
 * Knot and BIND do with their zone lists. */
#ifndef DUALNS_ZONELIST_H
#define DUALNS_ZONELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "zonedb.h"

/* What one place of the list is. */
enum zonelist_kind {
	ZONELIST_FILE,     /* a zone file, "[ORIGIN=]FILE": loaded again from its path */
	ZONELIST_DIR,      /* a folder: its *.zone files, the origin of each from the file */
	ZONELIST_DEFAULT,  /* no zone argument: the first of several folders with *.zone files */
};

struct zonelist_entry {
	enum zonelist_kind kind;
	char *arg;                   /* FILE: the argument, split at '=' by zone_source_parse */
	struct zone_source file;     /* FILE: origin and path, pointing into arg */
	char **dirs;                 /* DIR: the folder; DEFAULT: the folders in order */
	size_t dir_count;
	const char *used;            /* DIR, DEFAULT: the folder the zones come from (one of
	                              * dirs), or NULL while none had any */
	struct zone_source *found;   /* DIR, DEFAULT: its zone files at the last scan */
	size_t found_count;
};

struct zonelist {
	struct zonelist_entry *entries;
	size_t count;
};

/* Builds the list from the command line's zone arguments ("[ORIGIN=]FILE" or "DIR": a
 * path that is a folder), or, when count is 0, from the default folders dirs; nothing is
 * read yet but whether each argument is a folder. The list copies what it keeps. Returns
 * 0; -EINVAL for "ORIGIN=DIR" (a folder holds zones of several origins), with one line in
 * err; -ENOMEM. On failure l is empty (zonelist_free() is still allowed). */
int zonelist_init(struct zonelist *l, char *const args[], size_t count,
		  const char *const dirs[], size_t dir_count, char *err, size_t errlen);

/* True when the list is the default folders (no zone argument was given). */
bool zonelist_is_default(const struct zonelist *l);

/* Lists the zone files of every folder, at startup. Returns 0; -errno when a folder
 * cannot be read (logged with its name: serving without its zones, or the examples in
 * place of the operator's zones, would hide the mistake), -ENOMEM. */
int zonelist_scan(struct zonelist *l);

/* Lists the zone files of every folder again, for a reload. A folder that cannot be read
 * now (or while out of memory) keeps the files it had, and is logged. When the default
 * folder in use changes (the operator's folder got its first zone file, or lost its
 * last), that is logged too. Returns how many folders could not be read. */
size_t zonelist_rescan(struct zonelist *l);

/* The sources to load, in order: each file, then each folder's files sorted by name.
 * Sets *sources to an array the caller frees with free() (NULL when there are none); its
 * strings belong to the list and stay valid until the next scan or zonelist_free().
 * Returns the count, or -ENOMEM. */
ssize_t zonelist_sources(const struct zonelist *l, struct zone_source **sources);

/* With --chroot: turns every path of the list into the path inside root (resolved, as
 * privileges_path_in_chroot() does), so that zones load from the same places at startup
 * and on every reload after chroot(). A file or folder outside root could not be read
 * again: logged, naming it. Default folders outside root are dropped, unless one is the
 * folder in use (an error). Returns 0, -EXDEV for a path outside root, another -errno
 * from the resolution, or -ENOMEM; then the list is as it was. */
int zonelist_chroot(struct zonelist *l, const char *root);

/* After -u: warns about each zone file and folder that user cannot read, since a reload
 * (which runs as the user) could not read it either. */
void zonelist_check_readable(const struct zonelist *l, const char *user);

/* Frees what the list holds and empties it. Safe on an empty or zeroed list. */
void zonelist_free(struct zonelist *l);

/* Parses a command-line zone argument, "[ORIGIN=]FILE", into src (pointing into arg,
 * which it modifies). Any text is a valid argument: the file is read later. */
void zone_source_parse(struct zone_source *src, char *arg);

/* Lists the zone files (*.zone) of a folder, sorted by name, in *sources (allocated with
 * the strings in it; free them with zone_sources_free(); NULL when there are none).
 * Returns the count (0 when the folder has no zone file); -errno when the folder cannot
 * be read, -ENOMEM when out of memory (then *sources is NULL). */
ssize_t zone_sources_from_dir(const char *dir, struct zone_source **sources);

/* Frees a list from zone_sources_from_dir() or zone_sources_default() and its count
 * paths (sources may be NULL when count is 0). */
void zone_sources_free(struct zone_source *sources, size_t count);

/* The zones to serve when the command line names none: the *.zone files of the first
 * folder in dirs that has any. dualnsd passes the operator's folder
 * ($(sysconfdir)/dualns/zones), then the installed examples, then the source tree's, so
 * an installed server serves what the operator put in /etc and a build tree runs as is.
 * Sets *count (0 when no folder has a zone file) and, when *count > 0, *sources (free it
 * with zone_sources_free()) and *used (the folder, one of dirs). Returns 0; -errno when a
 * folder exists but cannot be read (*used names it): falling back to the examples then
 * would silently serve the wrong zones; -ENOMEM when out of memory. */
int zone_sources_default(struct zone_source **sources, size_t *count, const char **used,
			 const char *const dirs[], size_t dir_count);

#endif
