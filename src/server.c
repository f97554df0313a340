/* server.c: the server object: settings, the worker with its loop and sockets, signals, clean shutdown. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "server.h"

static void server_signal_cb(struct ev_loop *loop, ev_signal *sig, int revents)
{
	(void)revents;
	log_info("%s received, shutting down", sig->signum == SIGTERM ? "SIGTERM" : "SIGINT");
	ev_break(loop, EVBREAK_ALL);
}

static int worker_init(struct worker *w, struct server *s, unsigned id, struct ev_loop *loop,
		       const struct options *opts)
{
	memset(w, 0, sizeof(*w));
	w->server = s;
	w->id = id;
	w->loop = loop;
	w->db = s->db;
	w->query_config = s->query_config;
	query_init(&w->query, &w->query_config);
	w->udp_batch = udp_batch_new(opts->udp_size);
	w->listen = calloc(s->listen_cap, sizeof(*w->listen));
	if (w->udp_batch == NULL || w->listen == NULL)
		return -ENOMEM;
	tcp_server_init(&w->tcp, w, opts->tcp_max, (double)opts->tcp_idle);
	return 0;
}

static void worker_free(struct worker *w)
{
	size_t i;

	tcp_server_close(&w->tcp);
	for (i = 0; i < w->listen_count; i++) {
		udp_stop(&w->listen[i].udp);
		netio_listen_close(&w->listen[i].net);
	}
	if (w->server != NULL && log_enabled(LOG_LEVEL_DEBUG))
		log_debug("worker %u: %lu udp queries (%lu dropped or unsent), %lu tcp queries, "
			  "%lu tcp connections (%lu evicted, %lu timed out)",
			  w->id, w->udp_queries, w->udp_dropped, w->tcp_queries, w->tcp.accepted,
			  w->tcp.evicted, w->tcp.timed_out);
	free(w->listen);
	udp_batch_free(w->udp_batch);
	memset(w, 0, sizeof(*w));
}

int server_init(struct server *s, const struct options *opts, const struct db *db)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->db = db;
	s->query_config.udp_size = opts->udp_size;
	s->query_config.tcp_idle_ms = (unsigned)(opts->tcp_idle * 1000);
	s->query_log = opts->query_log;
	s->port = opts->port;
	s->listen_cap = opts->listen_count;
	/* A client that closes its end while we write must cost us an EPIPE, not the
	 * process. */
	signal(SIGPIPE, SIG_IGN);
	s->loop = ev_default_loop(EVFLAG_AUTO);
	if (s->loop == NULL)
		return -ENOMEM;
	/* One worker, on the main loop. With threads, each worker gets ev_loop_new() and the
	 * main loop keeps only the signals (and wakes the workers with ev_async). */
	r = worker_init(&s->worker, s, 0, s->loop, opts);
	if (r < 0) {
		server_free(s);
		return r;
	}
	ev_signal_init(&s->sigterm, server_signal_cb, SIGTERM);
	ev_signal_init(&s->sigint, server_signal_cb, SIGINT);
	ev_signal_start(s->loop, &s->sigterm);
	ev_signal_start(s->loop, &s->sigint);
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
	r = netio_listen_open(&wl->net, addr, w->server->port, 0, err, errlen);
	if (r < 0)
		return r;
	w->listen_count++;
	udp_start(&wl->udp, w, wl->net.udp_fd, wl->net.addr.ss_family, wl->net.wildcard);
	tcp_listener_start(&w->tcp, &wl->tcp, wl->net.tcp_fd);
	return 0;
}

int server_listen(struct server *s, const char *addr, char *err, size_t errlen)
{
	return worker_listen(&s->worker, addr, err, errlen);
}

int server_run(struct server *s)
{
	ev_run(s->loop, 0);
	return 0;
}

void server_free(struct server *s)
{
	if (s->loop != NULL) {
		ev_signal_stop(s->loop, &s->sigterm);
		ev_signal_stop(s->loop, &s->sigint);
	}
	worker_free(&s->worker);
	if (s->loop != NULL)
		ev_loop_destroy(s->loop);
	s->loop = NULL;
}

void worker_log_query(struct worker *w, const char *transport, const struct sockaddr *peer)
{
	char addr[NETIO_ADDRSTRLEN];
	char line[512];

	netio_addr_format(addr, sizeof(addr), peer);
	query_format_log(&w->query, line, sizeof(line));
	log_info("%s %s %s", transport, addr, line);
}
