/* dualnsd.c: main(): parse the command line, load the zones, bind UDP+TCP on one port, serve until a signal. */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "options.h"
#include "server.h"
#include "zone.h"

/* Where dualnsd looks when it gets no zone arguments, in order: the operator's folder, the
 * installed examples, and from a build tree that was not installed, the source tree's. */
static const char *const default_zone_dirs[] = {
	DUALNS_CONFZONESDIR,
	DUALNS_ZONESDIR,
	DUALNS_SRCZONESDIR,
};

/* Zones from the command line, else from the first default folder that has any.
 * Returns the count (0: none, already logged). */
static size_t load_sources(const struct options *opts, struct zone_source **sources)
{
	const char *used;
	size_t i, n;
	int r;

	if (opts->zone_count > 0) {
		*sources = calloc(opts->zone_count, sizeof(**sources));
		if (*sources == NULL) {
			log_error("out of memory");
			return 0;
		}
		for (i = 0; i < opts->zone_count; i++)
			zone_source_parse(&(*sources)[i], opts->zones[i]);
		return opts->zone_count;
	}
	r = zone_sources_default(sources, &n, &used, default_zone_dirs,
				 sizeof(default_zone_dirs) / sizeof(default_zone_dirs[0]));
	if (r < 0) {
		log_error("cannot read the zone folder %s: %s", used, strerror(-r));
		return 0;
	}
	if (n == 0) {
		log_error("no zone files: give [ORIGIN=]ZONEFILE arguments, or put *.zone files "
			  "in %s", DUALNS_CONFZONESDIR);
		return 0;
	}
	log_info("no zone arguments: serving the zones in %s", used);
	return n;
}

static size_t count_ok_zones(const struct db *db)
{
	size_t i, n = 0;

	for (i = 0; i < db->zone_count; i++)
		if (db->zones[i]->ok)
			n++;
	return n;
}

/* Binds every listen address, then says which are served. Returns 0, or -1 after an
 * error that must stop the server (already logged). */
static int bind_all(struct server *s, const struct options *opts, size_t zones)
{
	bool bound[OPTIONS_MAX_LISTEN] = { false };
	char err[256], workers[32] = "";
	size_t i, n = 0;
	int r;

	for (i = 0; i < opts->listen_count; i++) {
		r = server_listen(s, opts->listen[i], err, sizeof(err));
		if (r == 0) {
			bound[i] = true;
			n++;
			continue;
		}
		/* The default set includes :: for convenience; a host without IPv6 should still
		 * serve on IPv4. An explicit -l :: must work or fail. */
		if (opts->listen_default && strchr(opts->listen[i], ':') != NULL &&
		    (r == -EAFNOSUPPORT || r == -EADDRNOTAVAIL)) {
			log_warning("%s; continuing without IPv6", err);
			continue;
		}
		log_error("%s", err);
		return -1;
	}
	if (n == 0) {
		log_error("no address to listen on");
		return -1;
	}
	if (opts->workers > 1)
		snprintf(workers, sizeof(workers), ", %u workers", opts->workers);
	/* Tests and scripts wait for these lines: both sockets of the address are bound,
	 * by every worker. */
	for (i = 0; i < opts->listen_count; i++)
		if (bound[i])
			fprintf(stderr, "dualnsd: serving %zu zone%s on %s port %u (udp+tcp)%s%s\n",
				zones, zones == 1 ? "" : "s", opts->listen[i],
				(unsigned)opts->port, workers, opts->reuseport ? ", reuseport" : "");
	return 0;
}

int main(int argc, char **argv)
{
	struct zone_source *sources = NULL;
	struct options opts;
	struct server server;
	struct db *db;
	char err[256];
	size_t count, failed = 0;
	int r, status = 0;

	r = options_parse(&opts, argc, argv, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "dualnsd: %s\n", err);
		return 1;
	}
	if (r > 0) {
		if (opts.action == OPTIONS_HELP)
			options_usage(stdout, "dualnsd");
		else
			options_version(stdout);
		return 0;
	}
	log_init("dualnsd", opts.verbose >= 1 ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	if (opts.syslog && !opts.check)
		log_use_syslog();

	count = load_sources(&opts, &sources);
	if (count == 0) {
		free(sources);
		return 1;
	}
	db = zone_load_db(sources, count, &failed);
	if (db == NULL) {
		log_error("out of memory loading the zones");
		status = 1;
		goto out;
	}

	if (opts.check) {
		zone_print_summary(db, stdout);
		db_free(db);
		status = failed > 0 ? 1 : 0;
		goto out;
	}
	if (failed > 0)
		log_warning("%zu of %zu zones failed to load: their names get SERVFAIL", failed,
			    count);

	/* The server takes the db, and keeps the sources to load them again on SIGHUP. */
	r = server_init(&server, &opts, db, sources, count);
	if (r < 0) {
		log_error("cannot set up the server: %s", strerror(-r));
		status = 1;
		goto out;
	}
	if (bind_all(&server, &opts, count_ok_zones(atomic_load(&server.db))) < 0)
		status = 1;
	else if (server_run(&server) < 0)
		status = 1;
	server_free(&server);
out:
	if (opts.zone_count > 0)
		free(sources); /* the strings point into argv */
	else
		zone_sources_free(sources, count);
	return status;
}
