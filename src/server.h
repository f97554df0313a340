/* SPDX-License-Identifier: BSD-3-Clause */
/* server.h: the server: workers built from netio sockets, transports and responders; signals, reload, shutdown. */
#ifndef DUALNS_SERVER_H
#define DUALNS_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ev.h>

#include "dbswap.h"
#include "netio.h"
#include "notify.h"
#include "options.h"
#include "query.h"
#include "responder.h"
#include "secondary.h"
#include "stats.h"
#include "tcp.h"
#include "udp.h"
#include "xdp.h"
#include "zonelist.h"

/* The longest NSID kept: a host name (HOST_NAME_MAX) and a process ID fit. */
#define SERVER_NSID_MAX 255

/* One listen address as a worker sees it: its two sockets, the UDP one's reader thread
 * with its own responder, and the TCP one's watcher. */
struct worker_listen {
	struct netio_listen net;
	struct responder udp_responder;
	struct udp_reader udp;
	struct tcp_listener tcp;
};

/* A worker has its own sockets on every listen address (bound with SO_REUSEPORT when
 * there are several), a thread with its own libev loop for TCP (listeners, connections,
 * timers) and, for each UDP socket, a reader thread (udp.h says why). Workers share only
 * the read-only db and the settings. */
struct worker {
	struct server *server;
	unsigned id;
	struct ev_loop *loop;        /* ev_loop_new(): only this worker's thread runs it */
	pthread_t thread;
	bool running;                /* the thread was started and not yet joined */
	ev_async wake;               /* from the main thread: a new db, or stop */
	struct responder responder;  /* the loop thread's: answers every TCP query */
	struct worker_listen *listen;/* server->listen_cap entries, never moved (watchers) */
	size_t listen_count;
	struct tcp_server tcp;
};

struct server {
	/* The published db, shared read-only by every responder, replaced on SIGHUP
	 * (dbswap.h has the rules). The server owns it. */
	struct dbswap dbs;
	struct query_config query_config; /* read by every responder, never changed once run */
	struct rrl *rrl;              /* rate limiting, shared by every responder; NULL: off */
	ev_timer rrl_sweep;           /* once a second: rrl_sweep() (stop lines) */
	char nsid[SERVER_NSID_MAX + 1]; /* --nsid, after "auto" is expanded */
	bool query_log;
	/* The keys and zone configuration each db publishes (zoneconf.h): set by dualnsd.c at
	 * start and replaced by on_reload when it reads a good configuration file; the server
	 * holds one reference. NULL: the new db keeps the previous one's. */
	struct zoneconf *zoneconf;
	const char *cookie_file;      /* --cookie-secret-file: re-read on SIGHUP; NULL: none */
	struct journal_limits ixfr;   /* --ixfr-depth, --ixfr-size: the journals reloads build */
	/* --allow-transfer: every db published points to it (db_transfer_acl); it outlives
	 * them all. */
	struct acl transfer_acl;
	uint16_t port;
	unsigned listen_flags;        /* NETIO_REUSEPORT when sockets may share the port */
	bool check_port_free;         /* several workers without --reuseport: see server_listen */
	size_t listen_cap;
	struct zonelist zones;        /* what SIGHUP scans and loads again (the server's) */
	size_t source_count;          /* zone files of the last load */
	struct ev_loop *loop;         /* the main thread's loop: signals, reload, reclaim */
	ev_signal sigterm, sigint, sighup, sigusr1;
	ev_async moved;               /* from a responder's thread: it moved to the current db */
	struct notifier notify;       /* NOTIFY to the targets at start and on serial changes */
	struct secondary secondary;   /* the secondary zones (secondary.h); main loop */
	atomic_bool stopping;
	unsigned worker_count;
	struct worker *workers;
	struct xdp *xdp;              /* --xdp: the AF_XDP path (xdp.h); NULL: none */
	/* Called by server_run() once every worker thread runs, before READY=1 to systemd;
	 * NULL for none. dualnsd says "serving" here, so that the line means answering. */
	void (*on_serving)(const struct server *s, void *arg);
	void *on_serving_arg;
	/* Called on SIGHUP before the zones are scanned and loaded again; NULL for none.
	 * dualnsd reads its configuration file again here and may replace s->zones (freeing
	 * the old list with zonelist_free). */
	void (*on_reload)(struct server *s, void *arg);
	void *on_reload_arg;
};

/* Sets up the server and its workers (buffers, loops, signals) from the options; no
 * socket is opened and no thread started yet. The server takes db, loaded from the
 * source_count zone files of zones, and zones itself, what SIGHUP scans and loads again:
 * *zones is moved into the server and left empty; server_free() frees both, and on
 * failure they are freed at once. Ignores SIGPIPE for the process (a peer closing a TCP
 * connection must not kill the server). Opens the NOTIFY sockets for the --also-notify
 * targets (notify.h). Returns 0, -ENOMEM, or -errno when a NOTIFY socket could not be
 * opened (logged); everything allocated is freed again. */
int server_init(struct server *s, const struct options *opts, struct db *db,
		struct zonelist *zones, size_t source_count);

/* Binds the UDP and TCP sockets of one address on the server's port for every worker and
 * starts watching them. With several workers and no --reuseport, first checks that no
 * other socket holds the port (the workers' own SO_REUSEPORT would otherwise let them
 * join a second server's sockets). Returns 0; or -errno with one line in err (see
 * netio_listen_open) and nothing left open for that address; -ENOSPC when more
 * addresses than opts listed. */
int server_listen(struct server *s, const char *addr, char *err, size_t errlen);

/* Serves the n sockets systemd passed, descriptors first_fd.. (sdnotify_listen_fds),
 * instead of binding any: a UDP and a TCP socket with the same address become one listen
 * address, as if bound by server_listen(); *addrs says how many there are. With several
 * workers every worker serves every passed socket, through its own duplicate descriptor
 * (a UDP reader thread, a TCP watcher): the kernel gives each datagram and each connection
 * to one of them, and the others find nothing (EAGAIN). That is correct for any number of
 * workers, but unlike the workers' own SO_REUSEPORT sockets it spreads no clients by
 * their address, and every worker wakes for every burst. Call it instead of
 * server_listen() (-EBUSY after it). Returns 0; or -errno with one line in err naming the
 * descriptor (see netio_listen_adopt), and then no worker watches any of them. */
int server_adopt(struct server *s, int first_fd, size_t n, size_t *addrs, char *err,
		 size_t errlen);

/* Opens the AF_XDP path of opts->xdp (xdp.h: xdp_open), or sets *out to NULL without
 * --xdp: the program is loaded and the sockets opened, nothing attached yet. Before
 * --chroot (it reads the program file and /sys) and with the privileges (CAP_BPF,
 * CAP_NET_ADMIN). Returns 0, or -errno with one line in err saying what is missing. */
int server_xdp_open(struct xdp **out, const struct options *opts, char *err, size_t errlen);

/* Frees what server_xdp_open() opened, for a start that fails before server_xdp(). */
void server_xdp_close(struct xdp *x);

/* Starts s->xdp (server_xdp_open's, which main() hands to the server once server_init()
 * succeeded; server_free() closes it; NULL: none) with xdp_run(): the program attached, UDP queries to the port and listen
 * addresses on that interface answered by threads of their own with the server's db and
 * settings; the kernel's sockets stay as they are, for TCP and for what the program
 * passes. Before the privileges are dropped; server_run() stops it. Returns 0, or -errno
 * with one line in err (the attach error). */
int server_xdp(struct server *s, char *err, size_t errlen);

/* Sets up the secondary zones of s->zoneconf (secondary_configure: a kept file is loaded)
 * and adds what they serve to the db server_init() took; before server_run(), which starts
 * their refreshes. Returns 0 or -ENOMEM. */
int server_secondaries(struct server *s);

/* Starts each worker's threads (its loop, and a reader per UDP socket) and runs the main
 * loop until SIGTERM or SIGINT; on SIGHUP scans the zone folders again and reloads the
 * zones, and the --cookie-secret-file: its secrets are published with the new db, or,
 * when the file is broken, the running ones kept with a line saying why. Under systemd
 * (sdnotify_open) it sends READY=1 once the workers run, RELOADING=1 and READY=1 around
 * each reload, and STOPPING=1 on the signal to stop. Once the workers run every zone is
 * announced to its NOTIFY targets, and after each reload every zone whose serial changed
 * (notify.h); the main loop sends and retries them. Returns once every worker has
 * answered what its UDP sockets held and its threads have been joined: 0, or -errno when
 * a thread could not be started. */
int server_run(struct server *s);

/* Closes every socket and connection and frees what server_init() allocated, the db and
 * the zone list included. */
void server_free(struct server *s);

/* Sums every worker's counters, its UDP readers' included, and the AF_XDP path's into
 * total (zeroed first). */
void server_stats(const struct server *s, struct stats *total);

#endif
