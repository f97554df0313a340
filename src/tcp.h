/* SPDX-License-Identifier: BSD-3-Clause */
/* tcp.h: DNS over TCP (RFC 7766): accept, length framing, pipelining, timeouts, a connection cap. */
#ifndef DUALNS_TCP_H
#define DUALNS_TCP_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "log.h"
#include "responder.h"

struct tcp_server;
struct tcp_conn;

/* The watcher of one listening socket. */
struct tcp_listener {
	ev_io io;
	struct tcp_server *tcp;
	struct tcp_listener *next;
};

/* One loop's TCP state: its listeners and its table of connections, kept in order of
 * last activity so the longest-idle one is at the head (the one evicted when full). */
struct tcp_server {
	struct ev_loop *loop;      /* every watcher runs here, in one thread */
	struct responder *responder; /* that thread's alone */
	struct log_ratelimit errors;
	struct tcp_listener *listeners;
	ev_timer accept_retry;     /* accepting paused after EMFILE/ENFILE */
	bool accept_paused;
	bool closing;              /* tcp_server_close() runs: do not resume accepting */
	struct tcp_conn *idle_head; /* least recently active */
	struct tcp_conn *idle_tail; /* most recently active */
	size_t count;
	size_t max;                /* --tcp-max, per loop */
	ev_tstamp idle_timeout;    /* --tcp-idle; shorter when over half full (tcp.c) */
	ev_tstamp io_timeout;      /* a started message must complete within this */
};

/* A started message must be complete within this many seconds (slowloris), as Knot's
 * tcp-io-timeout. */
#define TCP_IO_TIMEOUT 0.5
/* After accept() fails for want of file descriptors, try again this much later. */
#define TCP_ACCEPT_RETRY 1.0

/* Sets up an empty table on loop, answering through responder (which only loop's thread
 * may use; it follows the published db between events, which the loop's owner arranges).
 * idle_timeout in seconds, max connections >= 1. */
void tcp_server_init(struct tcp_server *t, struct ev_loop *loop, struct responder *responder,
		     size_t max, double idle_timeout);

/* Starts accepting on fd (listening, non-blocking) through l, which must stay at its
 * address until tcp_server_close(). */
void tcp_listener_start(struct tcp_server *t, struct tcp_listener *l, int fd);

/* Stops accepting on l and forgets it (undoes tcp_listener_start). */
void tcp_listener_stop(struct tcp_server *t, struct tcp_listener *l);

/* Stops the listeners and closes every connection (the listening sockets belong to their
 * netio_listen). */
void tcp_server_close(struct tcp_server *t);

#endif
