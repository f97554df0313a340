/* zone.h: read zone files with ldns, check them, and build the zone database. */
#ifndef DUALNS_ZONE_H
#define DUALNS_ZONE_H

#include <stdio.h>

#include "db.h"

/* One zone to load: a file and, optionally, its origin (else the SOA owner / $ORIGIN). */
struct zone_source {
	const char *origin; /* presentation form, or NULL */
	const char *path;
};

/* Parses a command-line zone argument, "[ORIGIN=]FILE", into src (pointing into arg,
 * which it modifies). Returns 0. */
int zone_source_parse(struct zone_source *src, char *arg);

/* Lists the zone files (*.zone) of a folder, sorted by name. *sources and the strings in
 * it are allocated; free them with zone_sources_free(). Returns the count (0 when the
 * folder has none or cannot be read). */
size_t zone_sources_from_dir(const char *dir, struct zone_source **sources);
void zone_sources_free(struct zone_source *sources, size_t count);

/* The zones to serve when the command line names none: the *.zone files of the first
 * folder in dirs that has any. dualnsd passes the operator's folder
 * ($(sysconfdir)/dualns/zones), then the installed examples, then the source tree's, so
 * an installed server serves what the operator put in /etc and a build tree runs as is.
 * Sets *count (0 when no folder has a zone file) and, when *count > 0, *sources (free it
 * with zone_sources_free()) and *used (the folder, one of dirs). Returns 0; -errno when a
 * folder exists but cannot be read (*used names it): falling back to the examples then
 * would silently serve the wrong zones. */
int zone_sources_default(struct zone_source **sources, size_t *count, const char **used,
			 const char *const dirs[], size_t dir_count);

/* Loads and checks one zone file. Errors are logged with the file and line.
 * Returns the zone (z->ok false when it failed: its names get SERVFAIL), or NULL when not
 * even its origin could be found (nothing to serve). */
struct zone *zone_load(const struct zone_source *src);

/* Loads every source into a new db. *failed counts the sources that did not load.
 * Returns the db, or NULL when out of memory. */
struct db *zone_load_db(const struct zone_source *sources, size_t count, size_t *failed);

/* Loads every source again for a reload. A zone that fails keeps the version `old`
 * serves (shared with old, which stays valid until db_free()), so a broken edit never
 * takes a zone off the air. *failed counts the sources that did not load this time.
 * Returns the new db, or NULL when out of memory. */
struct db *zone_reload_db(const struct db *old, const struct zone_source *sources, size_t count,
			  size_t *failed);

/* Prints one line per zone (origin, file, serial, records, ok or failed), for --check. */
void zone_print_summary(const struct db *db, FILE *out);

#endif
