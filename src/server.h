/* server.h: the server object (db, settings, signals) and its worker (loop, sockets, buffers). */
#ifndef DUALNS_SERVER_H
#define DUALNS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ev.h>

#include "db.h"
#include "log.h"
#include "netio.h"
#include "options.h"
#include "query.h"
#include "tcp.h"
#include "udp.h"

/* The struct that embeds a libev watcher, from the watcher (ev.pod: "associating custom
 * data with a watcher"). */
#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

/* One listen address as a worker sees it: its two sockets and their watchers. */
struct worker_listen {
	struct netio_listen net;
	struct udp_handler udp;
	struct tcp_listener tcp;
	bool open;
};

/* Everything one event loop needs. No per-worker state lives anywhere else (no globals),
 * so a later change can run N workers, one per thread, each with its own sockets bound
 * with SO_REUSEPORT, without touching udp.c or tcp.c. */
struct worker {
	struct server *server;
	unsigned id;
	struct ev_loop *loop;
	const struct db *db;         /* the db this worker answers from */
	struct query_config query_config; /* own copy: tcp.c updates the advertised keepalive */
	struct query query;          /* scratch reused by every query of this worker */
	struct udp_batch *udp_batch; /* buffers for one recvmmsg/sendmmsg batch */
	struct worker_listen *listen;/* server->listen_cap entries, never moved (watchers) */
	size_t listen_count;
	struct tcp_server tcp;
	struct log_ratelimit udp_errors;
	struct log_ratelimit tcp_errors;
	unsigned long udp_queries, udp_dropped, tcp_queries;
};

struct server {
	const struct db *db;          /* read-only, shared by the workers */
	struct query_config query_config;
	bool query_log;
	uint16_t port;
	size_t listen_cap;
	struct ev_loop *loop;         /* the main loop: signals */
	ev_signal sigterm, sigint;
	struct worker worker;         /* one for now; an array when workers come */
};

/* Sets up the server and its worker (buffers, loop, signals) from the options; no socket
 * is opened yet. Ignores SIGPIPE for the process (a peer closing a TCP connection must
 * not kill the server). Returns 0, or -ENOMEM (everything allocated is freed again). */
int server_init(struct server *s, const struct options *opts, const struct db *db);

/* Binds the UDP and TCP sockets of one address on the server's port for every worker and
 * starts watching them. Returns 0; or -errno with one line in err (see netio_listen_open)
 * and nothing left open for that address; -ENOSPC when more addresses than opts listed. */
int server_listen(struct server *s, const char *addr, char *err, size_t errlen);

/* Runs until SIGTERM or SIGINT. Returns 0. */
int server_run(struct server *s);

/* Closes every socket and connection and frees what server_init() allocated (not the db). */
void server_free(struct server *s);

/* For udp.c and tcp.c: logs one line for the query just processed when -q is on:
 * transport, client address:port, then query_format_log()'s text. */
void worker_log_query(struct worker *w, const char *transport, const struct sockaddr *peer);

#endif
