/* SPDX-License-Identifier: BSD-3-Clause */
/* server.c: the server: workers (threads, loops, sockets) built from netio, udp, tcp and responders; signals, reload through dbswap, clean shutdown. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "cookiesecret.h"
#include "log.h"
#include "sdnotify.h"
#include "server.h"
#include "zoneconf.h"
#include "zonereport.h"

/* Room for the stats line (stats_format: 39 "name=value" words, 429 bytes of names, '='
 * and spaces; counters of up to 14 digits fit, beyond that it is cut). It goes
 * into a log line (1024 bytes); the secondary zones' words after it are cut first. */
#define SERVER_STATS_LINE 1000
/* Room for why a cookie secret file was refused: its path, line, column and reason. */
#define SERVER_COOKIE_ERR (PATH_MAX + 128)
/* Room for "dualns VERSION", the version.server answer. */
#define SERVER_VERSION_MAX 64
/* Room for what a reload changed (zonereport_changes): counts and a few names each. */
#define SERVER_RELOAD_LINE 900
/* Room for why a NOTIFY socket could not be opened (notifier_init). */
#define SERVER_NOTIFY_ERR 160
/* Room for the rate limiting setting (rrl_describe). */
#define SERVER_RRL_LINE 160

/* Tells systemd (Type=notify) that the server answers, with a one-line status for
 * systemctl status; a no-op unless $NOTIFY_SOCKET was set (sdnotify_open). */
static void server_notify_ready(struct server *s, const char *what)
{
	const struct db *db = dbswap_current(&s->dbs);
	size_t i, ok = 0;
	int r;

	for (i = 0; db != NULL && i < db->zone_count; i++)
		if (db->zones[i]->ok)
			ok++;
	r = sdnotify_send("READY=1\nSTATUS=serving %zu zone%s%s%s", ok, ok == 1 ? "" : "s",
			  ok < s->source_count ? " (some failed to load)" : "", what);
	if (r < 0)
		log_warning("cannot notify systemd: %s", strerror(-r));
}

/* Wakes every worker's loop, to look at the server's db and stopping flag. The UDP
 * readers need no wake-up: they look at both after each datagram batch and at least
 * every UDP_WAIT_MS (udp.h). */
static void server_wake_all(struct server *s)
{
	struct worker *w;
	unsigned i;

	for (i = 0; i < s->worker_count; i++) {
		w = &s->workers[i];
		if (w->running)
			ev_async_send(w->loop, &w->wake);
	}
}

/* A secondary zone's new version was published (secondary.h): every reader moves to it. */
static void server_published(void *arg)
{
	server_wake_all(arg);
}

/* Tells every worker to stop (each UDP reader answers what its socket holds first) and
 * ends the main loop; server_run() then joins the threads. */
static void server_stop(struct server *s)
{
	atomic_store(&s->stopping, true);
	server_wake_all(s);
	ev_break(s->loop, EVBREAK_ALL);
}

static void server_signal_cb(struct ev_loop *loop, ev_signal *sig, int revents)
{
	struct server *s = sig->data;

	(void)loop;
	(void)revents;
	log_info("%s received, shutting down", sig->signum == SIGTERM ? "SIGTERM" : "SIGINT");
	(void)sdnotify_send("STOPPING=1\nSTATUS=stopping");
	server_stop(s);
}

/* Frees the dbs no responder reads any more, and hands their memory back (main() fixed
 * the trim threshold). */
static void server_reclaim(struct server *s)
{
	if (dbswap_reclaim(&s->dbs) == 0)
		return;
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
	log_debug("reload: every worker moved on; the previous zones are freed");
}

static void server_moved_cb(struct ev_loop *loop, ev_async *async, int revents)
{
	(void)loop;
	(void)revents;
	server_reclaim(container_of(async, struct server, moved));
}

/* The DNS Cookie secrets the reloaded db answers with: the --cookie-secret-file's when
 * it reads well, else the running ones (a broken edit never changes the secrets); and
 * its keys and zone configuration. */
static void server_reload_cookies(const struct server *s, const struct db *old,
				  struct db *db)
{
	char err[SERVER_COOKIE_ERR];

	if (old != NULL)
		db->cookies = old->cookies;
	/* The keys and zone configuration of the last good configuration (publisher thread
	 * only: dbswap.h, rule 5). */
	if (s->zoneconf != NULL) {
		db->zoneconf = zoneconf_ref(s->zoneconf);
		db->tsig = tsig_keyring_ref(s->zoneconf->keys);
	} else if (old != NULL) {
		db->zoneconf = zoneconf_ref(old->zoneconf);
		db->tsig = tsig_keyring_ref(old->tsig);
	}
	if (s->cookie_file == NULL)
		return;
	if (cookie_secrets_load(&db->cookies, s->cookie_file, err, sizeof(err)) < 0) {
		log_error("cookies: %s; keeping the running secrets", err);
		return;
	}
	log_info("cookies: secret from %s, %u accepted", s->cookie_file, db->cookies.count);
}

/* Scans the zone folders and loads the zones again off the workers' loops, and
 * publishes the new db (dbswap.h); each responder moves to it at its next event (woken
 * at once), and server_reclaim() frees the old db when the last one has. A zone that
 * fails to load keeps its previous version (zonedb_reload, as Knot and BIND do); the zone
 * of a file no longer in its folder is dropped. Logs what each zone serves now, warns
 * about serials secondaries would not follow, and ends with one line saying what
 * changed. Returns 0, or -ENOMEM (nothing changes). */
static int server_reload(struct server *s)
{
	const struct db *old = dbswap_current(&s->dbs);
	struct zone_source *sources = NULL;
	char changes[SERVER_RELOAD_LINE];
	struct timespec t0, t1;
	struct db *db = NULL;
	size_t failed = 0;
	ssize_t n;
	double took;
	int r = -ENOMEM;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (s->on_reload != NULL)
		s->on_reload(s, s->on_reload_arg);
	(void)zonelist_rescan(&s->zones);
	n = zonelist_sources(&s->zones, &sources);
	/* A zone that fails keeps its previous version, shared with the current db by a
	 * reference count (dbswap.h, rule 5). */
	if (n >= 0)
		db = zonedb_reload(old, sources, (size_t)n, &s->ixfr, &failed);
	free(sources);
	/* The secondary zones keep the versions they serve (not read from their files
	 * again); a configuration that adds or removes some starts or stops them. */
	if (db != NULL && (secondary_configure(&s->secondary, s->zoneconf) < 0 ||
			   secondary_add_zones(&s->secondary, db) < 0)) {
		db_free(db);
		db = NULL;
	}
	if (db != NULL) {
		server_reload_cookies(s, old, db);
		db->transfer_acl = &s->transfer_acl;
		zonereport_serials(old, db);
		zonereport_changes(old, db, changes, sizeof(changes));
		r = dbswap_publish(&s->dbs, db);
		if (r < 0)
			db_free(db);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (r < 0) {
		log_error("reload: out of memory after %.3f s; still serving the previous zones",
			  took);
		return r;
	}
	s->source_count = (size_t)n;
	server_wake_all(s);
	/* RFC 1996 section 4: a zone whose serial changed is announced to its targets. old
	 * is still valid: server_reclaim() below is what frees it. */
	notify_reload(&s->notify, old, db);
	/* old is retired, not freed: only server_reclaim() below frees it. The zones come
	 * before the reload line, which tests and scripts wait for. */
	zonereport_zones(db, old);
	log_info("reload: %s, %zu failed%s, in %.3f s", changes, failed,
		 failed > 0 ? " (serving their previous data where they had any)" : "", took);
	if (zonereport_ok_zones(db) == 0)
		log_warning("reload: no zone has data to serve now");
	server_reclaim(s);
	return 0;
}

/* Adds the counters of w's responders (its loop's and its UDP readers') to total. */
static void worker_stats(const struct worker *w, struct stats *total)
{
	size_t j;

	stats_sum(total, &w->responder.stats);
	for (j = 0; j < w->listen_count; j++)
		stats_sum(total, &w->listen[j].udp_responder.stats);
}

void server_stats(const struct server *s, struct stats *total)
{
	unsigned i;

	memset(total, 0, sizeof(*total));
	for (i = 0; i < s->worker_count; i++)
		worker_stats(&s->workers[i], total);
	/* Written by the main loop; read here by any thread, as a worker's are. */
	stats_sum(total, &s->notify.stats);
	stats_sum(total, &s->secondary.stats);
#ifdef HAVE_XDP
	if (s->xdp != NULL)
		xdp_stats(s->xdp, total);
#endif
}

/* stats.dualns. CH TXT: the counters of every worker, as "name=value" words, then a word
 * per secondary zone (secondary_status). */
static int server_stats_text(const void *ctx, char *buf, size_t len)
{
	struct stats total;
	size_t n;

	server_stats(ctx, &total);
	(void)stats_format(&total, buf, len, " ");
	n = strlen(buf);
	secondary_status(&((struct server *)ctx)->secondary, buf + n, len - n);
	return (int)strlen(buf);
}

static void server_sigusr1_cb(struct ev_loop *loop, ev_signal *sig, int revents)
{
	char line[SERVER_STATS_LINE];

	(void)loop;
	(void)revents;
	server_stats_text(sig->data, line, sizeof(line));
	log_info("stats: %s", line);
	secondary_log(&((struct server *)sig->data)->secondary);
}

static void server_sighup_cb(struct ev_loop *loop, ev_signal *sig, int revents)
{
	struct timespec now;

	(void)loop;
	(void)revents;
	/* sd_notify(3): RELOADING=1 with the time it started (systemd 253 wants it for
	 * Type=notify-reload; older ones ignore it), then READY=1 once done. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	(void)sdnotify_send("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading the zones",
			    (unsigned long long)now.tv_sec * 1000000ULL +
			    (unsigned long long)now.tv_nsec / 1000ULL);
	(void)server_reload(sig->data);
	server_notify_ready(sig->data, ", reloaded");
}

/* From a responder's thread (dbswap's moved hook): the main loop frees what is unused. */
static void server_responder_moved(void *arg)
{
	struct server *s = arg;

	ev_async_send(s->loop, &s->moved);
}

/* The main thread wakes a worker's loop for a new db or to stop. Both are checked here,
 * between events, so an answer never mixes two dbs. On stop, the UDP readers withdraw
 * and drain their own sockets (udp.c). TCP has no such step: connections still in this
 * listener's accept queue are reset when it closes unless net.ipv4.tcp_migrate_req=1
 * hands them to another listener of the group, and open connections are closed, which
 * RFC 7766 clients must be ready for (a server may close a connection at any time). */
static void worker_wake_cb(struct ev_loop *loop, ev_async *async, int revents)
{
	struct worker *w = container_of(async, struct worker, wake);
	struct server *s = w->server;

	(void)revents;
	if (atomic_load(&s->stopping)) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	responder_follow(&w->responder);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	ev_run(w->loop, 0);
	return NULL;
}

static int worker_init(struct worker *w, struct server *s, unsigned id,
		       const struct options *opts)
{
	memset(w, 0, sizeof(*w));
	w->server = s;
	w->id = id;
	responder_init(&w->responder, &s->dbs, &s->query_config, s->query_log);
	/* Signals belong to the main loop: NOSIGMASK keeps libev from unblocking them in
	 * this thread (they are blocked for the workers in server_run). */
	w->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	w->listen = calloc(s->listen_cap, sizeof(*w->listen));
	if (w->loop == NULL || w->listen == NULL)
		return -ENOMEM;
	ev_async_init(&w->wake, worker_wake_cb);
	ev_async_start(w->loop, &w->wake);
	tcp_server_init(&w->tcp, w->loop, &w->responder, opts->tcp_max, (double)opts->tcp_idle);
	return 0;
}

static void worker_free(struct worker *w)
{
	size_t i;

	if (w->server == NULL)
		return;
	if (w->loop != NULL) {
		tcp_server_close(&w->tcp);
		ev_async_stop(w->loop, &w->wake);
	}
	/* server_run() joined the readers; a reader never started holds nothing. */
	for (i = 0; i < w->listen_count; i++)
		netio_listen_close(&w->listen[i].net);
	if (log_enabled(LOG_LEVEL_DEBUG)) {
		struct stats total;
		char line[SERVER_STATS_LINE];

		memset(&total, 0, sizeof(total));
		worker_stats(w, &total);
		stats_format(&total, line, sizeof(line), " ");
		log_debug("worker %u: %s", w->id, line);
	}
	if (w->loop != NULL)
		ev_loop_destroy(w->loop);
	free(w->listen);
	memset(w, 0, sizeof(*w));
}

/* NSID, identity and version (RFC 5001; CH TXT id.server and version.server): the host
 * name by default, so that each server of a set names itself without configuration. */
static void server_identity(struct server *s, const struct options *opts)
{
	char host[HOST_NAME_MAX + 1] = "";
	char version[SERVER_VERSION_MAX];

	if (gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "dualnsd");
	snprintf(version, sizeof(version), "%s %s", PACKAGE_NAME, PACKAGE_VERSION);
	chaos_config_init(&s->query_config.chaos, opts->identity ? opts->identity : host, version);
	s->query_config.chaos.hide_identity = opts->hide_identity;
	s->query_config.chaos.hide_version = opts->hide_version;
	s->query_config.chaos.stats_text = server_stats_text;
	s->query_config.chaos.stats_ctx = s;
	if (opts->nsid == NULL)
		return;
	if (strcmp(opts->nsid, "auto") == 0)
		snprintf(s->nsid, sizeof(s->nsid), "%s/%ld", host, (long)getpid());
	else
		snprintf(s->nsid, sizeof(s->nsid), "%s", opts->nsid);
	s->query_config.nsid = (const uint8_t *)s->nsid;
	s->query_config.nsid_len = (uint16_t)strlen(s->nsid);
}

/* Once a second: the clock the workers count in (a late run only makes the buckets
 * refill late), then the stop lines. */
static void server_rrl_sweep_cb(struct ev_loop *loop, ev_timer *timer, int revents)
{
	struct server *s = timer->data;
	uint32_t now = rrl_now();

	(void)loop;
	(void)revents;
	rrl_set_clock(s->rrl, now);
	rrl_sweep(s->rrl, now);
}

/* The one table of rate limiting (none with --rrl-rate 0). Returns 0 or -ENOMEM. */
static int server_rrl_init(struct server *s, const struct options *opts)
{
	int r;

	if (opts->rrl.rate == 0)
		return 0;
	r = rrl_new(&s->rrl, &opts->rrl);
	if (r < 0)
		return r;
	s->query_config.rrl = s->rrl;
	ev_timer_init(&s->rrl_sweep, server_rrl_sweep_cb, 1., 1.);
	s->rrl_sweep.data = s;
	ev_timer_start(s->loop, &s->rrl_sweep);
	return 0;
}

int server_init(struct server *s, const struct options *opts, struct db *db,
		struct zonelist *zones, size_t source_count)
{
	char err[SERVER_NOTIFY_ERR];
	unsigned i;
	int r;

	memset(s, 0, sizeof(*s));
	(void)secondary_init(&s->secondary); /* fails only without a mutex: never on Linux */
	s->transfer_acl = opts->allow_transfer;
	if (db != NULL)
		db->transfer_acl = &s->transfer_acl;
	dbswap_init(&s->dbs, db);
	s->dbs.moved = server_responder_moved;
	s->dbs.moved_arg = s;
	atomic_init(&s->stopping, false);
	s->query_config.udp_size = opts->udp_size;
	s->query_config.force_tc = opts->force_tc;
	s->query_config.require_cookie = opts->require_cookie;
	s->cookie_file = opts->cookie_secret_file;
	s->ixfr = opts->ixfr;
	server_identity(s, opts);
	s->query_log = opts->query_log;
	s->port = opts->port;
	s->listen_cap = opts->listen_count;
	s->zones = *zones;
	memset(zones, 0, sizeof(*zones));
	s->source_count = source_count;
	/* One worker needs SO_REUSEPORT only to share the port with another process
	 * (--reuseport); several need it to share it among themselves. */
	if (opts->reuseport || opts->workers > 1)
		s->listen_flags = NETIO_REUSEPORT;
	s->check_port_free = opts->workers > 1 && !opts->reuseport;
	/* A client that closes its end while we write must cost us an EPIPE, not the
	 * process. */
	signal(SIGPIPE, SIG_IGN);
	s->loop = ev_default_loop(EVFLAG_AUTO);
	if (s->loop == NULL) {
		server_free(s);
		return -ENOMEM;
	}
	r = server_rrl_init(s, opts);
	if (r < 0) {
		server_free(s);
		return r;
	}
	r = notifier_init(&s->notify, s->loop, opts->also_notify, opts->also_notify_count,
			  (double)opts->notify_retry, opts->notify_tries, err, sizeof(err));
	if (r < 0) {
		log_error("%s", err);
		server_free(s);
		return r;
	}
	s->workers = calloc(opts->workers, sizeof(*s->workers));
	if (s->workers == NULL) {
		server_free(s);
		return -ENOMEM;
	}
	s->worker_count = opts->workers;
	for (i = 0; i < s->worker_count; i++) {
		r = worker_init(&s->workers[i], s, i, opts);
		if (r < 0) {
			server_free(s);
			return r;
		}
	}
	ev_signal_init(&s->sigterm, server_signal_cb, SIGTERM);
	ev_signal_init(&s->sigint, server_signal_cb, SIGINT);
	ev_signal_init(&s->sighup, server_sighup_cb, SIGHUP);
	ev_signal_init(&s->sigusr1, server_sigusr1_cb, SIGUSR1);
	s->sigterm.data = s->sigint.data = s->sighup.data = s->sigusr1.data = s;
	ev_signal_start(s->loop, &s->sigterm);
	ev_signal_start(s->loop, &s->sigint);
	ev_signal_start(s->loop, &s->sighup);
	ev_signal_start(s->loop, &s->sigusr1);
	ev_async_init(&s->moved, server_moved_cb);
	ev_async_start(s->loop, &s->moved);
	return 0;
}

static int worker_listen(struct worker *w, const char *addr, char *err, size_t errlen)
{
	struct worker_listen *wl;
	int r;

	if (w->listen_count == w->server->listen_cap) {
		snprintf(err, errlen, "cannot listen on %s: more addresses than configured", addr);
		return -ENOSPC;
	}
	wl = &w->listen[w->listen_count];
	r = netio_listen_open(&wl->net, addr, w->server->port, w->server->listen_flags, err,
			      errlen);
	if (r < 0)
		return r;
	w->listen_count++;
	tcp_listener_start(&w->tcp, &wl->tcp, wl->net.tcp_fd);
	return 0;
}

/* Undoes the last worker_listen() of w. */
static void worker_unlisten_last(struct worker *w)
{
	struct worker_listen *wl = &w->listen[--w->listen_count];

	tcp_listener_stop(&w->tcp, &wl->tcp);
	netio_listen_close(&wl->net);
	memset(wl, 0, sizeof(*wl));
}

int server_listen(struct server *s, const char *addr, char *err, size_t errlen)
{
	unsigned i;
	int r;

	/* The workers bind with SO_REUSEPORT among themselves, which would also let them
	 * join another server's sockets on the port if that one used it too; without
	 * --reuseport, a port in use must be an error as it is for one worker. */
	if (s->check_port_free) {
		r = netio_listen_check_free(addr, s->port, err, errlen);
		if (r < 0)
			return r;
	}
	for (i = 0; i < s->worker_count; i++) {
		r = worker_listen(&s->workers[i], addr, err, errlen);
		if (r < 0) {
			while (i-- > 0)
				worker_unlisten_last(&s->workers[i]);
			return r;
		}
	}
	return 0;
}

/* Serves l, a socket pair systemd passed, on w: worker 0 takes the descriptors, the others
 * each a duplicate (closing is then per worker, and each has its own reader and ev_io on
 * the shared socket). Returns 0 or -errno. */
static int worker_adopt(struct worker *w, const struct netio_listen *l, bool dup, char *err,
			size_t errlen)
{
	struct worker_listen *wl = &w->listen[w->listen_count];

	memset(wl, 0, sizeof(*wl));
	wl->net = *l;
	if (dup) {
		wl->net.udp_fd = l->udp_fd >= 0 ? fcntl(l->udp_fd, F_DUPFD_CLOEXEC, 0) : -1;
		wl->net.tcp_fd = l->tcp_fd >= 0 ? fcntl(l->tcp_fd, F_DUPFD_CLOEXEC, 0) : -1;
		if ((l->udp_fd >= 0 && wl->net.udp_fd < 0) ||
		    (l->tcp_fd >= 0 && wl->net.tcp_fd < 0)) {
			int r = -errno;

			netio_listen_close(&wl->net);
			snprintf(err, errlen, "worker %u: cannot share a socket passed by systemd: "
				 "%s", w->id, strerror(-r));
			return r;
		}
	}
	w->listen_count++;
	if (wl->net.tcp_fd >= 0)
		tcp_listener_start(&w->tcp, &wl->tcp, wl->net.tcp_fd);
	return 0;
}

/* Makes room for cap listen addresses in every worker. Only before any was started:
 * entries hold watchers and readers, which must not move once started. Returns 0 or
 * -ENOMEM. */
static int server_listen_grow(struct server *s, size_t cap)
{
	struct worker_listen *grown;
	unsigned i;

	if (cap <= s->listen_cap)
		return 0;
	for (i = 0; i < s->worker_count; i++) {
		grown = realloc(s->workers[i].listen, cap * sizeof(*grown));
		if (grown == NULL)
			return -ENOMEM;
		memset(grown + s->listen_cap, 0, (cap - s->listen_cap) * sizeof(*grown));
		s->workers[i].listen = grown;
	}
	s->listen_cap = cap;
	return 0;
}

int server_adopt(struct server *s, int first_fd, size_t n, size_t *addrs, char *err,
		 size_t errlen)
{
	struct netio_listen *found;
	size_t count = 0, i, j;
	unsigned k;
	int r = 0;

	*addrs = 0;
	for (k = 0; k < s->worker_count; k++)
		if (s->workers[k].listen_count > 0)
			return -EBUSY; /* server_listen ran first: see server.h */
	found = calloc(n, sizeof(*found));
	if (found == NULL)
		return -ENOMEM;
	/* Pair each UDP socket with the TCP one of the same address, in the order passed. */
	for (i = 0; i < n && r >= 0; i++) {
		for (j = 0; j <= count; j++) {
			if (j == count)
				found[j].udp_fd = found[j].tcp_fd = -1;
			r = netio_listen_adopt(&found[j], first_fd + (int)i, err, errlen);
			if (r < 0)
				break;
			if (r == 0) {
				count += j == count;
				break;
			}
		}
	}
	if (r >= 0) {
		r = server_listen_grow(s, count);
		if (r < 0)
			snprintf(err, errlen, "out of memory");
	}
	for (k = 0; k < s->worker_count && r >= 0; k++)
		for (j = 0; j < count && r >= 0; j++)
			r = worker_adopt(&s->workers[k], &found[j], k > 0, err, errlen);
	if (r < 0) {
		for (k = 0; k < s->worker_count; k++)
			while (s->workers[k].listen_count > 0)
				worker_unlisten_last(&s->workers[k]);
	} else {
		*addrs = count;
	}
	free(found);
	return r < 0 ? r : 0;
}

/* Starts w's loop thread and a reader for each of its UDP sockets. Returns 0 or -errno
 * (logged); what started keeps running until server_stop(). */
static int worker_start(struct worker *w)
{
	struct server *s = w->server;
	struct worker_listen *wl;
	size_t j;
	int r;

	r = -pthread_create(&w->thread, NULL, worker_main, w);
	if (r < 0) {
		log_error("cannot start worker %u: %s", w->id, strerror(-r));
		return r;
	}
	w->running = true;
	for (j = 0; j < w->listen_count; j++) {
		wl = &w->listen[j];
		if (wl->net.udp_fd < 0)
			continue;
		/* Attached here, in the main thread, before the reader's thread runs
		 * (dbswap.h, rule 4). */
		responder_init(&wl->udp_responder, &s->dbs, &s->query_config, s->query_log);
		r = udp_reader_start(&wl->udp, &wl->net, &wl->udp_responder, &s->stopping,
				     (s->listen_flags & NETIO_REUSEPORT) != 0);
		if (r < 0) {
			/* From the socket: one passed by systemd has no text. */
			char addr[NETIO_ADDRSTRLEN];

			netio_addr_format(addr, sizeof(addr), (const struct sockaddr *)&wl->net.addr);
			log_error("cannot start worker %u's UDP reader on %s: %s", w->id, addr,
				  strerror(-r));
			return r;
		}
	}
	return 0;
}

int server_xdp_open(struct xdp **out, const struct options *opts, char *err, size_t errlen)
{
	*out = NULL;
#ifdef HAVE_XDP
	if (opts->xdp != NULL) {
		const struct xdp_setup setup = {
			.iface = opts->xdp,
			.object = xdp_object_path(),
			.port = opts->port,
			.listen = opts->listen,
			.listen_count = opts->listen_count,
		};

		return xdp_open(out, &setup, err, errlen);
	}
#else
	/* options_parse() refuses --xdp in a build without it. */
	(void)opts;
	(void)err;
	(void)errlen;
#endif
	return 0;
}

void server_xdp_close(struct xdp *x)
{
#ifdef HAVE_XDP
	xdp_stop(x);
#else
	(void)x;
#endif
}

int server_xdp(struct server *s, char *err, size_t errlen)
{
	if (s->xdp == NULL)
		return 0;
#ifdef HAVE_XDP
	return xdp_run(s->xdp, &s->dbs, &s->query_config, s->query_log, err, errlen);
#else
	(void)err;
	(void)errlen;
	return 0;
#endif
}

/* Stops the AF_XDP path, if it runs: its threads end and the program is detached. */
static void server_xdp_stop(struct server *s)
{
	server_xdp_close(s->xdp);
	s->xdp = NULL;
}

int server_secondaries(struct server *s)
{
	/* No reader runs yet (server_run), so the db is still the publisher's to fill. */
	struct db *db = (struct db *)dbswap_current(&s->dbs);
	int r = secondary_configure(&s->secondary, s->zoneconf);

	if (r == 0 && db != NULL)
		r = secondary_add_zones(&s->secondary, db);
	return r;
}

int server_run(struct server *s)
{
	sigset_t all, old;
	struct worker *w;
	unsigned i;
	size_t j;
	int r = 0;

	/* How rate limiting is set, once the sockets are bound: a server that cannot bind
	 * says only why. */
	if (s->rrl != NULL) {
		char line[SERVER_RRL_LINE];

		rrl_describe(s->rrl, line, sizeof(line));
		log_info("rrl: %s", line);
	} else {
		log_info("rrl: off");
	}
	/* The threads inherit this mask: every signal goes to the main thread, whose loop
	 * handles them (libev's signal watchers live in one loop). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < s->worker_count && r == 0; i++)
		r = worker_start(&s->workers[i]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0) {
		if (s->on_serving != NULL)
			s->on_serving(s, s->on_serving_arg);
		server_notify_ready(s, "");
		/* RFC 1996 section 4: the targets learn the serials we start with. */
		notify_db(&s->notify, dbswap_current(&s->dbs));
		/* RFC 1034 section 4.3.5: every secondary zone checks its primaries now. */
		s->secondary.published = server_published;
		s->secondary.published_arg = s;
		secondary_start(&s->secondary, s->loop, &s->dbs, &s->notify, &s->ixfr);
		ev_run(s->loop, 0);
	}
	server_stop(s);
	for (i = 0; i < s->worker_count; i++) {
		w = &s->workers[i];
		for (j = 0; j < w->listen_count; j++)
			udp_reader_join(&w->listen[j].udp);
		if (!w->running)
			continue;
		pthread_join(w->thread, NULL);
		w->running = false;
	}
	server_xdp_stop(s);
	return r;
}

void server_free(struct server *s)
{
	unsigned i;

	if (s->loop != NULL) {
		ev_signal_stop(s->loop, &s->sigterm);
		ev_signal_stop(s->loop, &s->sigint);
		ev_signal_stop(s->loop, &s->sighup);
		ev_signal_stop(s->loop, &s->sigusr1);
		ev_async_stop(s->loop, &s->moved);
		if (s->rrl != NULL)
			ev_timer_stop(s->loop, &s->rrl_sweep);
	}
	notifier_free(&s->notify);
	secondary_free(&s->secondary);
	server_xdp_stop(s);
	for (i = 0; i < s->worker_count; i++)
		worker_free(&s->workers[i]);
	free(s->workers);
	s->workers = NULL;
	s->worker_count = 0;
	/* No worker runs any more: every db can go. */
	dbswap_free(&s->dbs);
	zoneconf_unref(s->zoneconf);
	s->zoneconf = NULL;
	zonelist_free(&s->zones);
	rrl_free(s->rrl);
	s->rrl = NULL;
	s->query_config.rrl = NULL;
	if (s->loop != NULL)
		ev_loop_destroy(s->loop);
	s->loop = NULL;
}
