/* SPDX-License-Identifier: BSD-3-Clause */
/* dualnsd.c: main(): parse the command line, load the zones, bind UDP+TCP on one port (or take systemd's sockets), drop privileges, serve until a signal. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "conf.h"
#include "confoptions.h"
#include "cookiesecret.h"
#include "log.h"
#include "options.h"
#include "privileges.h"
#include "sdnotify.h"
#include "server.h"
#include "zonedb.h"
#include "zonefile.h"
#include "zonelist.h"
#include "zoneconf.h"
#include "zonereport.h"
#include "zonesigned.h"

/* Where dualnsd looks when it gets no zone arguments, in order: the operator's folder, the
 * installed examples, and from a build tree that was not installed, the source tree's. */
static const char *const default_zone_dirs[] = {
	DUALNS_CONFZONESDIR,
	DUALNS_ZONESDIR,
	DUALNS_SRCZONESDIR,
};

/* The configuration file as dualnsd runs with it. */
struct runconf {
	int argc;                /* the command line, which wins over the file */
	char **argv;
	char **merged;           /* the file's server words and the command line: what opts
	                          * was parsed from, so the words stay for the server's life */
	const char *path;        /* the file, or NULL without one */
	bool reread;             /* SIGHUP reads the file again (not under --chroot) */
	struct conf boot;        /* the file at start: opts points into its words */
	struct conf *live;       /* the file of the last good read: &boot or allocated */
};

/* The zone arguments: the command line's, then the file's zones as "DOMAIN=FILE". Returns
 * an array to free() (not its strings), or NULL when out of memory. */
static char **zone_args(const struct options *opts, const struct conf *c, size_t *count)
{
	char **args = calloc(opts->zone_count + c->zone_count + 1, sizeof(*args));
	size_t i, n = opts->zone_count;

	if (args == NULL)
		return NULL;
	memcpy(args, opts->zones, opts->zone_count * sizeof(*args));
	/* Secondary zones (no arg) are the secondary module's (secondary.h). */
	for (i = 0; i < c->zone_count; i++)
		if (c->zones[i].arg != NULL)
			args[n++] = c->zones[i].arg;
	*count = n;
	return args;
}

/* With --chroot: the secondary zones' kept files as seen from inside root, resolved
 * before chroot() as the zone list's are (the file is not read again under it). Returns
 * 0, or -errno (logged). */
static int kept_files_chroot(struct conf *c, const char *root)
{
	char inside[PATH_MAX], *copy;
	size_t i;
	int r;

	for (i = 0; c != NULL && i < c->zone_count; i++) {
		struct conf_zone *z = &c->zones[i];

		if (z->master_count == 0 || z->file == NULL)
			continue;
		r = privileges_path_in_chroot(inside, sizeof(inside), root, z->file);
		if (r < 0) {
			log_error("zone %s: %s: %s", z->domain, z->file, r == -EXDEV ?
				  "outside the --chroot folder" : strerror(-r));
			return r;
		}
		copy = strdup(inside);
		if (copy == NULL) {
			log_error("out of memory");
			return -ENOMEM;
		}
		free(z->file);
		z->file = copy;
	}
	return 0;
}

/* For --check: one line per secondary zone, its kept file loaded when there is one.
 * Returns how many kept files failed to load. */
static size_t check_kept_files(const struct conf *c, FILE *out)
{
	size_t i, failed = 0;

	for (i = 0; c != NULL && i < c->zone_count; i++) {
		const struct conf_zone *cz = &c->zones[i];
		struct zone *z = NULL;

		if (cz->master_count == 0)
			continue;
		if (cz->file == NULL || access(cz->file, F_OK) != 0) {
			fprintf(out, "%s: secondary, %s: until the first transfer\n", cz->domain,
				cz->file != NULL ? "no kept file yet" : "kept in memory");
			continue;
		}
		if (zonefile_load(cz->file, cz->domain, &z) == 0 && z->ok) {
			fprintf(out, "%s: secondary, kept in %s: serial %u, %zu records: ok\n",
				cz->domain, cz->file, z->serial, z->rr_count);
			zonesigned_print(z, zonesigned_now(), out);
		} else {
			fprintf(out, "%s: secondary, kept in %s: failed\n", cz->domain, cz->file);
			failed++;
		}
		zone_free(z);
	}
	return failed;
}

/* The configuration file's secondary zones (NULL: none). */
static size_t count_secondaries(const struct conf *c)
{
	size_t i, n = 0;

	for (i = 0; c != NULL && i < c->zone_count; i++)
		n += c->zones[i].master_count > 0;
	return n;
}

/* The zone list of the command line and the file, else of the first default folder
 * that has zone files. Returns 0, or -errno (logged). */
static int sources_init(const struct options *opts, const struct conf *c,
			struct zonelist *zones)
{
	char err[512];
	char **args;
	size_t count;
	int r;

	args = zone_args(opts, c, &count);
	if (args == NULL) {
		log_error("out of memory");
		return -ENOMEM;
	}
	/* A file with secondary zones configures the zones: no default folder then. */
	r = zonelist_init(zones, args, count, default_zone_dirs,
			  count_secondaries(c) > 0 ? 0 :
			  sizeof(default_zone_dirs) / sizeof(default_zone_dirs[0]), err, sizeof(err));
	free(args);
	if (r < 0)
		log_error("%s", r == -ENOMEM ? "out of memory" : err);
	return r;
}

/* The zone list of the command line (and the file), else of the first default folder
 * that has zone files, scanned. Returns how many zone files it names (0: none, or an
 * error: logged). */
static size_t load_sources(const struct options *opts, const struct conf *c,
			   struct zonelist *zones, size_t secondaries)
{
	struct zone_source *sources;
	ssize_t n;

	if (sources_init(opts, c, zones) < 0)
		return 0;
	if (zonelist_scan(zones) < 0)
		return 0;
	n = zonelist_sources(zones, &sources);
	free(sources);
	if (n < 0) {
		log_error("out of memory");
		return 0;
	}
	if (n == 0 && secondaries > 0)
		return 0; /* the secondary zones are served once transferred */
	if (n == 0 && zonelist_is_default(zones)) {
		log_error("no zone files: give [ORIGIN=]ZONEFILE or DIR arguments, zones in the "
			  "configuration file, or put *.zone files in %s", DUALNS_CONFZONESDIR);
		return 0;
	}
	if (n == 0) {
		log_error("no zone files: the folders given have no *.zone files");
		return 0;
	}
	if (zonelist_is_default(zones))
		log_info("no zone arguments: %s the zones in %s", opts->check ? "checking" : "serving",
			 zones->entries[0].used);
	return (size_t)n;
}

/* Loads the zones of the list into a new db. Returns it, or NULL when out of memory
 * (logged). *count is the number of zone files, *failed of those that did not load. */
static struct db *load_zones(const struct zonelist *zones, size_t *count, size_t *failed,
			     FILE *summary)
{
	struct zone_source *sources;
	struct db *db = NULL;
	ssize_t n = zonelist_sources(zones, &sources);

	*count = 0;
	if (n >= 0)
		db = zonedb_load(sources, (size_t)n, failed);
	if (db == NULL) {
		free(sources);
		log_error("out of memory loading the zones");
		return NULL;
	}
	*count = (size_t)n;
	if (summary != NULL)
		zonedb_print_summary(db, sources, (size_t)n, summary);
	free(sources);
	return db;
}

static size_t count_ok_zones(const struct db *db)
{
	size_t i, n = 0;

	for (i = 0; i < db->zone_count; i++)
		if (db->zones[i]->ok)
			n++;
	return n;
}

/* Binds every listen address. Returns 0, or -errno after an error that must stop the
 * server (already logged): server_listen()'s, or -EADDRNOTAVAIL when no address is left. */
static int bind_all(struct server *s, const struct options *opts)
{
	char err[256];
	size_t i, n = 0;
	int r;

	for (i = 0; i < opts->listen_count; i++) {
		r = server_listen(s, opts->listen[i], err, sizeof(err));
		if (r == 0) {
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
		return r;
	}
	if (n == 0) {
		log_error("no address to listen on");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* Serves the n sockets systemd passed instead of binding any. Returns 0, or
 * server_adopt()'s -errno (logged). */
static int adopt_all(struct server *s, const struct options *opts, int n)
{
	char err[256];
	size_t addrs;
	int r;

	/* systemd's sockets are what the operator configured for this service; options that
	 * say where to bind cannot apply as well, and silently ignoring them would hide it. */
	if (!opts->listen_default || opts->port_given)
		log_warning("serving the %d socket%s passed by systemd (LISTEN_FDS); -l and -p "
			    "are ignored", n, n == 1 ? "" : "s");
	r = server_adopt(s, SDNOTIFY_LISTEN_FDS_START, (size_t)n, &addrs, err, sizeof(err));
	if (r < 0) {
		log_error("%s", err);
		return r;
	}
	return 0;
}

/* Room for announce()'s --force-tc part: ", force-tc: every 1000000th UDP answer truncated". */
#define ANNOUNCE_FORCE_TC_SIZE 64

/* What announce() needs besides the server. */
struct announce_args {
	const struct options *opts;
	bool adopted;    /* the sockets came from systemd */
};

/* Says what is served: one line per listen address. Tests and scripts wait for these
 * lines: server_run() calls this once every worker thread answers on its sockets. */
static void announce(const struct server *s, void *arg)
{
	const struct announce_args *a = arg;
	const struct options *opts = a->opts;
	const struct worker *w = &s->workers[0];
	size_t zones = count_ok_zones(dbswap_current(&s->dbs));
	bool adopted = a->adopted;
	char addr[NETIO_ADDRSTRLEN], workers[32] = "", force_tc[ANNOUNCE_FORCE_TC_SIZE] = "";
	const char *proto;
	size_t i;

	if (opts->workers > 1)
		snprintf(workers, sizeof(workers), ", %u workers", opts->workers);
	/* Said on the line scripts wait for, so a truncated answer is never a surprise. */
	if (opts->force_tc == 1)
		snprintf(force_tc, sizeof(force_tc), ", force-tc: every UDP answer truncated");
	else if (opts->force_tc > 1)
		snprintf(force_tc, sizeof(force_tc), ", force-tc: every %u%s UDP answer truncated",
			 opts->force_tc, options_ordinal_suffix(opts->force_tc));
	for (i = 0; i < w->listen_count; i++) {
		const struct netio_listen *l = &w->listen[i].net;

		if (!adopted) {
			fprintf(stderr, "dualnsd: serving %zu zone%s on %s port %u (udp+tcp)%s%s%s\n",
				zones, zones == 1 ? "" : "s", l->text, (unsigned)l->port, workers,
				opts->reuseport ? ", reuseport" : "", force_tc);
			continue;
		}
		netio_addr_format(addr, sizeof(addr), (const struct sockaddr *)&l->addr);
		*strrchr(addr, ':') = '\0'; /* the port is said apart, as for own sockets */
		proto = l->udp_fd >= 0 && l->tcp_fd >= 0 ? "udp+tcp" :
			l->udp_fd >= 0 ? "udp only" : "tcp only";
		fprintf(stderr, "dualnsd: serving %zu zone%s on %s port %u (%s) from systemd%s%s\n",
			zones, zones == 1 ? "" : "s", addr, (unsigned)l->port, proto, workers,
			force_tc);
	}
}

/* The DNS Cookie secrets to start with (RFC 9018 section 4.4): --cookie-secret-file,
 * --cookie-secret, or a random one; read before privileges are dropped, so the file may
 * be readable by root only (a SIGHUP re-reads it as the user dualnsd runs as). Returns 0,
 * or -errno with the reason logged. */
static int load_cookie_secrets(const struct options *opts, struct cookie_secrets *s)
{
	char err[PATH_MAX + 128];
	int r;

	if (sodium_init() < 0) {
		log_error("cookies: libsodium cannot start");
		return -EIO;
	}
	if (opts->cookie_secret_file != NULL) {
		r = cookie_secrets_load(s, opts->cookie_secret_file, err, sizeof(err));
		if (r < 0) {
			log_error("cookies: %s", err);
			return r;
		}
	} else if (opts->cookie_secrets.count > 0) {
		*s = opts->cookie_secrets;
	} else {
		cookie_secrets_random(s);
	}
	return 0;
}

/* Says where the cookie secrets came from, once the server is set up: a startup error
 * stays the one line it is. */
static void announce_cookies(const struct options *opts, unsigned count)
{
	if (opts->cookie_secret_file != NULL)
		log_info("cookies: secret from %s, %u accepted", opts->cookie_secret_file, count);
	else if (opts->cookie_secrets.count > 0)
		log_info("cookies: secret from the command line, %u accepted", count);
	else
		log_info("cookies: secret random, %u accepted", count);
}

/* SIGHUP (server.h on_reload): reads the file again. A broken file changes nothing; a
 * good one replaces the zone list and the keys, remotes and ACLs, and each server option
 * that changed is logged, since those apply only at start. */
static void reload_conf(struct server *s, void *arg)
{
	struct runconf *rc = arg;
	struct options opts;
	struct zonelist zones;
	struct zoneconf *zc = NULL;
	struct conf *fresh;
	char err[CONF_ERR_SIZE];
	int r;

	if (!rc->reread)
		return;
	fresh = calloc(1, sizeof(*fresh));
	if (fresh == NULL) {
		log_error("reload: out of memory; keeping the running configuration");
		return;
	}
	r = conf_load(rc->path, fresh, err, sizeof(err));
	if (r < 0) {
		log_error("reload: %s; keeping the running configuration",
			  r == -ENOMEM ? "out of memory" : err);
		free(fresh);
		return;
	}
	/* The command line's zone arguments and keys, as main() parsed them. */
	(void)options_parse(&opts, rc->argc, rc->argv, err, sizeof(err));
	r = zoneconf_build(&zc, opts.keys, fresh, err, sizeof(err));
	if (r < 0)
		log_error("reload: %s: %s", fresh->path, err);
	if (r < 0 || sources_init(&opts, fresh, &zones) < 0 || zonelist_scan(&zones) < 0) {
		log_error("reload: keeping the running configuration and zone list");
		if (r >= 0)
			zonelist_free(&zones);
		zoneconf_unref(zc);
		options_free(&opts);
		conf_free(fresh);
		free(fresh);
		return;
	}
	options_free(&opts);
	zoneconf_unref(s->zoneconf);
	s->zoneconf = zc;
	(void)confoptions_report_changes(&rc->boot, fresh, rc->argc, rc->argv);
	zonelist_free(&s->zones);
	s->zones = zones;
	if (rc->live != &rc->boot) {
		conf_free(rc->live);
		free(rc->live);
	}
	rc->live = fresh;
	log_info("reload: read %s: %zu zones, %zu keys, %zu remotes, %zu acls", fresh->path,
		 fresh->zone_count, fresh->key_count, fresh->remote_count, fresh->acl_count);
}

/* Reads the configuration file (-c, else the default one when it exists) and parses the
 * command line again with the file's server options before it. Returns 0, or -1 with the
 * error printed. */
static int read_conf(struct runconf *rc, struct options *opts)
{
	char err[CONF_ERR_SIZE];
	int argc;

	rc->live = &rc->boot;
	rc->path = opts->config;
	if (rc->path == NULL && access(DUALNS_CONFFILE, F_OK) == 0)
		rc->path = DUALNS_CONFFILE;
	if (rc->path == NULL)
		return 0;
	if (conf_load(rc->path, &rc->boot, err, sizeof(err)) < 0) {
		fprintf(stderr, "dualnsd: %s\n", err);
		return -1;
	}
	rc->merged = confoptions_merge(&rc->boot, rc->argc, rc->argv, &argc);
	if (rc->merged == NULL) {
		fprintf(stderr, "dualnsd: out of memory\n");
		return -1;
	}
	options_free(opts); /* parsed again, with the file's words first */
	if (options_parse(opts, argc, rc->merged, err, sizeof(err)) < 0) {
		fprintf(stderr, "dualnsd: %s: %s\n", rc->path, err);
		return -1;
	}
	rc->reread = opts->chroot_dir == NULL;
	return 0;
}

static void runconf_free(struct runconf *rc)
{
	if (rc->live != NULL && rc->live != &rc->boot) {
		conf_free(rc->live);
		free(rc->live);
	}
	conf_free(&rc->boot);
	free(rc->merged);
}

int main(int argc, char **argv)
{
	struct zonelist zones;
	struct privileges privs;
	struct options opts;
	struct server server;
	struct cookie_secrets cookies;
	struct zoneconf *zc;
	struct xdp *xdp = NULL;
	struct runconf rc = { .argc = argc };
	struct db *db;
	char err[256];
	size_t count, failed = 0, secondaries;
	int r, fds, status = 0;

	/* A copy of the command line: options_parse() permutes the one it parses, and the
	 * file's options go before it. */
	rc.argv = calloc((size_t)argc + 1, sizeof(*rc.argv));
	if (rc.argv == NULL)
		return 1;
	memcpy(rc.argv, argv, (size_t)argc * sizeof(*argv));
	r = options_parse(&opts, argc, argv, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "dualnsd: %s\n", err);
		options_free(&opts);
		free(rc.argv);
		return 1;
	}
	if (opts.action != OPTIONS_RUN) {
		if (opts.action == OPTIONS_HELP)
			options_usage(stdout, "dualnsd");
		else
			options_version(stdout);
		options_free(&opts);
		free(rc.argv);
		return 0;
	}
	if (read_conf(&rc, &opts) < 0) {
		runconf_free(&rc);
		free(rc.argv);
		return 1;
	}
	log_init("dualnsd", opts.verbose >= 1 ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	/* Loading a zone makes ldns allocate and free small blocks for every record. With
	 * glibc's adaptive trim threshold each free at the top of the heap may hand memory
	 * back to the kernel, one brk() per record (contrib/bench/README.md has the cost).
	 * A fixed threshold stops that; malloc_trim() after a load (here and in
	 * server_reload) returns what loading left behind. */
#ifdef HAVE_MALLOPT
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	if (opts.syslog && !opts.check)
		log_use_syslog();

	memset(&privs, 0, sizeof(privs));
	secondaries = count_secondaries(rc.live);
	if (load_sources(&opts, rc.live, &zones, secondaries) == 0 && secondaries == 0) {
		status = 1;
		goto out;
	}
	if (!opts.check && load_cookie_secrets(&opts, &cookies) < 0) {
		status = 1;
		goto out;
	}

	if (opts.check) {
		db = load_zones(&zones, &count, &failed, stdout);
		if (db == NULL) {
			status = 1;
			goto out;
		}
		db_free(db);
		failed += check_kept_files(rc.live, stdout);
		status = failed > 0 ? 1 : 0;
		goto out;
	}

	/* Everything that needs the files outside the chroot, or root, happens before
	 * chroot(): the user and group database, the zone paths inside DIR, systemd's notify
	 * socket (connected now, see sdnotify_open), the time zone. */
	if (privileges_prepare(&privs, opts.user, opts.chroot_dir, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
		goto out;
	}
	/* The zone files and folders as seen from inside the chroot, so the zones load
	 * from the same paths at startup (inside it already) and on every SIGHUP. */
	if (privs.root != NULL && (zonelist_chroot(&zones, privs.root) < 0 ||
				   kept_files_chroot(rc.live, privs.root) < 0)) {
		status = 1;
		goto out;
	}
	fds = sdnotify_listen_fds();
	if (fds < 0) {
		log_error("cannot take the sockets passed by systemd (LISTEN_FDS): %s",
			  strerror(-fds));
		status = 1;
		goto out;
	}
	r = sdnotify_open();
	if (r < 0)
		log_warning("cannot reach systemd at $NOTIFY_SOCKET: %s", strerror(-r));
	tzset();
	/* --xdp reads its program file and /sys: before chroot(), and with the privileges. */
	if (server_xdp_open(&xdp, &opts, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
		goto out;
	}
	if (privileges_chroot(&privs, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
		goto out;
	}

	db = load_zones(&zones, &count, &failed, NULL);
	if (db == NULL) {
		status = 1;
		goto out;
	}
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
	/* One bad zone among good ones is served as SERVFAIL; with none good, starting would
	 * only hide the mistake (a missing file, a typo) behind a server that answers
	 * nothing. */
	if (zonereport_ok_zones(db) == 0 && secondaries == 0) {
		log_error("no zone could be loaded: nothing to serve (the errors above say why)");
		db_free(db);
		status = 1;
		goto out;
	}
	if (failed > 0)
		log_warning("%zu of %zu zones failed to load: their names get SERVFAIL", failed,
			    count);

	db->cookies = cookies;
	sodium_memzero(&cookies, sizeof(cookies));
	/* The db takes the keys (RFC 8945) and the zones' configuration, as it takes the
	 * cookie secrets; the server keeps them for the dbs SIGHUP builds. */
	r = zoneconf_build(&zc, opts.keys, rc.path != NULL ? rc.live : NULL, err, sizeof(err));
	if (r < 0) {
		log_error("%s: %s", rc.path != NULL ? rc.path : "--key", err);
		db_free(db);
		status = 1;
		goto out;
	}
	db->zoneconf = zc;
	db->tsig = tsig_keyring_ref(zc->keys);
	if (zc->keys->count > 0)
		log_info("tsig: %zu key%s", zc->keys->count, zc->keys->count == 1 ? "" : "s");
	/* The server takes the db, and the zone list to scan and load again on SIGHUP. */
	r = server_init(&server, &opts, db, &zones, count);
	if (r == 0) {
		/* The server takes the AF_XDP path: server_free() closes it from here on. */
		server.xdp = xdp;
		xdp = NULL;
	}
	if (r < 0) {
		log_error("cannot set up the server: %s", strerror(-r));
		status = 1;
		goto out;
	}
	server.zoneconf = zoneconf_ref(zc);
	if (server_secondaries(&server) < 0) {
		log_error("out of memory setting up the secondary zones");
		status = 1;
		goto out_server;
	}
	if ((fds > 0 ? adopt_all(&server, &opts, fds) : bind_all(&server, &opts)) < 0) {
		status = 1;
	} else if (server_xdp(&server, err, sizeof(err)) < 0) {
		/* Attaching the program needs the privileges dropped next. */
		log_error("%s", err);
		status = 1;
	} else if (privileges_drop(&privs, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
	} else {
		struct announce_args args = { .opts = &opts, .adopted = fds > 0 };

		/* What is served, once it can be: a bind error stays the one line it is. */
		announce_cookies(&opts, dbswap_current(&server.dbs)->cookies.count);
		zonereport_zones(dbswap_current(&server.dbs), NULL);
		if (opts.user != NULL)
			zonelist_check_readable(&server.zones, opts.user);
		else if (geteuid() == 0)
			log_warning("running as root: give -u USER to drop privileges once the "
				    "sockets are bound");
		if (rc.path != NULL && !rc.reread)
			log_info("with --chroot, SIGHUP reloads the zones but does not read %s "
				 "again", rc.path);
		server.on_reload = reload_conf;
		server.on_reload_arg = &rc;
		server.on_serving = announce;
		server.on_serving_arg = &args;
		if (server_run(&server) < 0)
			status = 1;
	}
	/* The server is stopping. server_free() removes libev's signal handlers, which
	 * restores the default action; a second SIGTERM or SIGINT (systemd, a script that
	 * repeats it) must not turn the clean exit under way into death by that signal. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
out_server:
	server_free(&server);
out:
	server_xdp_close(xdp);
	options_free(&opts);
	sdnotify_close();
	privileges_free(&privs);
	zonelist_free(&zones);
	runconf_free(&rc);
	free(rc.argv);
	return status;
}
