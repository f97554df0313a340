/* SPDX-License-Identifier: BSD-3-Clause */
/* tcp.c: DNS over TCP per RFC 7766: framing, pipelining, resumable I/O, timeouts and a connection cap. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "container.h"
#include "dns.h"
#include "tcp.h"
#include "xfrout.h"

/* Connections accepted per wakeup of a listener, so a SYN flood cannot starve the rest. */
#define TCP_ACCEPT_BURST 64
/* read() calls per wakeup of a connection. Each read takes up to 64 KiB, many pipelined
 * queries; the level-triggered watcher brings us back when more is waiting. */
#define TCP_READ_BURST 4
/* Transfer messages built per wakeup of a connection: up to 128 KiB, then back to the
 * loop so that the other connections and the timers of this loop get their turn. */
#define TCP_XFR_BURST 2

/* One client connection. The buffers are part of the struct: allocated once at accept
 * and freed at close, so answering a query allocates nothing.
 *
 * Reads and writes are resumable (NSD's tcp_handler_data): in[in_start, in_end) holds
 * bytes received but not yet answered, possibly several pipelined messages and the
 * start of another; out[out_done, out_len) is what is left of the current answer. */
struct tcp_conn {
	ev_io io;
	ev_timer timer;           /* idle timeout, or the short one for a stalled message */
	struct tcp_server *tcp;
	struct tcp_conn *prev;    /* activity order: prev is less recently active */
	struct tcp_conn *next;
	struct sockaddr_storage peer;
	int events;               /* what io waits for */
	bool short_timer;         /* the io timeout runs for the message being received */
	ev_tstamp last_active;    /* when the connection last made progress (the LRU key) */
	/* A zone transfer being written (xfrout.h), allocated when it starts and freed when
	 * it ends or the connection closes; NULL: none. While it runs nothing more is read:
	 * pipelined queries wait until it ends (RFC 7766 section 6.2.1.1 lets a server
	 * answer them in its own time). */
	struct xfrout *xfr;
	const char *xfr_cut;      /* why the transfer stops if the connection closes now */
	size_t in_start;
	size_t in_end;
	size_t out_done;
	size_t out_len;
	uint8_t in[2 + DNS_MSG_MAX];
	uint8_t out[2 + DNS_MSG_MAX]; /* 2-byte length, then the answer */
};

/* The idle timeout now (RFC 7766 section 6.2.3: seconds). --tcp-idle while at most half
 * the table is in use; above that it falls linearly with the connections in use, to 1 s
 * when the table is full. RFC 7766 section 6.2.3 lets a server shorten idle timeouts
 * under pressure. Linear rather than NSD's one step (a fixed 200 ms above half full):
 * a step makes every client's timeout jump at one connection count, while a slope
 * shortens it in proportion to the pressure, and the floor of 1 s still leaves a client
 * a round trip or two between its pipelined queries. At the cap, eviction of the
 * longest-idle connection (tcp_conn_new) makes the rest of the room. */
static ev_tstamp tcp_idle_timeout_at(const struct tcp_server *t, size_t count)
{
	size_t half = t->max / 2, span = t->max - half, over;

	if (count <= half || t->idle_timeout <= 1.0 || span == 0)
		return t->idle_timeout;
	over = count - half;
	if (over > span)
		over = span;
	return t->idle_timeout - (t->idle_timeout - 1.0) * (double)over / (double)span;
}

/* The idle timeout for the connections open now. */
static ev_tstamp tcp_idle_timeout(const struct tcp_server *t)
{
	return tcp_idle_timeout_at(t, t->count);
}

static void lru_unlink(struct tcp_server *t, struct tcp_conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		t->idle_head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		t->idle_tail = c->prev;
	c->prev = NULL;
	c->next = NULL;
}

static void lru_append(struct tcp_server *t, struct tcp_conn *c)
{
	c->prev = t->idle_tail;
	c->next = NULL;
	if (t->idle_tail != NULL)
		t->idle_tail->next = c;
	else
		t->idle_head = c;
	t->idle_tail = c;
}

static void lru_touch(struct tcp_server *t, struct tcp_conn *c)
{
	if (t->idle_tail == c)
		return;
	lru_unlink(t, c);
	lru_append(t, c);
}

static void tcp_accept_pause(struct tcp_server *t)
{
	struct tcp_listener *l;

	for (l = t->listeners; l != NULL; l = l->next)
		ev_io_stop(t->loop, &l->io);
	t->accept_paused = true;
	ev_timer_set(&t->accept_retry, TCP_ACCEPT_RETRY, 0.);
	ev_timer_start(t->loop, &t->accept_retry);
}

static void tcp_accept_resume(struct tcp_server *t)
{
	struct tcp_listener *l;

	ev_timer_stop(t->loop, &t->accept_retry);
	t->accept_paused = false;
	for (l = t->listeners; l != NULL; l = l->next)
		ev_io_start(t->loop, &l->io);
}

static void tcp_accept_retry_cb(struct ev_loop *loop, ev_timer *timer, int revents)
{
	(void)loop;
	(void)revents;
	tcp_accept_resume(container_of(timer, struct tcp_server, accept_retry));
}

static void tcp_conn_close(struct tcp_conn *c)
{
	struct tcp_server *t = c->tcp;
	struct ev_loop *loop = t->loop;

	if (c->xfr != NULL) {
		xfrout_log(c->xfr, (const struct sockaddr *)&c->peer,
			   c->xfr_cut != NULL ? c->xfr_cut : "connection closed");
		xfrout_end(c->xfr);
	}
	ev_io_stop(loop, &c->io);
	ev_timer_stop(loop, &c->timer);
	close(c->io.fd);
	lru_unlink(t, c);
	t->count--;
	free(c);
	/* A descriptor is free again: take the connections waiting in the backlog now
	 * rather than at the retry timer. */
	if (t->accept_paused && !t->closing)
		tcp_accept_resume(t);
}

static void tcp_conn_wait(struct tcp_conn *c, int events)
{
	struct ev_loop *loop = c->tcp->loop;

	if (c->events == events)
		return;
	ev_io_stop(loop, &c->io);
	ev_io_set(&c->io, c->io.fd, events);
	ev_io_start(loop, &c->io);
	c->events = events;
}

/* Writes what is left of the answer. The 2-byte length and the message go out in one
 * writev, so they normally leave in one segment (RFC 7766 section 8), and a partial
 * write resumes at the exact byte. Returns 1 when all is written, 0 when the socket is
 * full, -1 when the connection is broken. */
static int tcp_conn_flush(struct tcp_conn *c)
{
	struct iovec iov[2];
	int iovcnt;
	ssize_t n;

	while (c->out_done < c->out_len) {
		if (c->out_done < 2) {
			iov[0].iov_base = c->out + c->out_done;
			iov[0].iov_len = 2 - c->out_done;
			iov[1].iov_base = c->out + 2;
			iov[1].iov_len = c->out_len - 2;
			iovcnt = 2;
		} else {
			iov[0].iov_base = c->out + c->out_done;
			iov[0].iov_len = c->out_len - c->out_done;
			iovcnt = 1;
		}
		n = writev(c->io.fd, iov, iovcnt);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			/* EPIPE, ECONNRESET: the client went away, nothing to report. */
			return -1;
		}
		c->out_done += (size_t)n;
	}
	return 1;
}

/* Builds the transfer's next message into out, signed when the request was (xfrout_next).
 * Returns false when the transfer cannot go on (a record larger than any message). */
static bool tcp_xfr_next(struct tcp_conn *c)
{
	size_t n = xfrout_next(c->xfr, c->out + 2, DNS_MSG_MAX);

	if (n == 0) {
		c->xfr_cut = "a record does not fit a message";
		return false;
	}
	dns_write16(c->out, (unsigned)n);
	c->out_len = 2 + n;
	c->out_done = 0;
	return true;
}

/* The transfer's last message has been written: count and log it, free its state. */
static void tcp_xfr_finish(struct tcp_conn *c)
{
	struct stats *s = &c->tcp->responder->stats;

	stats_add(c->xfr->kind == XFROUT_AXFR ? &s->axfr_out : &s->ixfr_out, 1);
	xfrout_log(c->xfr, (const struct sockaddr *)&c->peer, NULL);
	xfrout_end(c->xfr);
	c->xfr = NULL;
}

/* Answers the complete message of mlen bytes at in[in_start + 2]. Returns false when the
 * connection must be closed (respond() sent nothing: RFC 7766 section 8, never answer a
 * response). */
static bool tcp_conn_answer(struct tcp_conn *c, size_t mlen)
{
	/* Advertise the timeout this connection gets now, which shrinks with the load
	 * (edns-tcp-keepalive, RFC 7828 section 3.3.2). */
	const struct query_request req = {
		.transport = QUERY_TCP,
		.wire = c->in + c->in_start + 2,
		.len = mlen,
		.peer = (const struct sockaddr *)&c->peer,
		.tcp_idle_ms = (unsigned)(tcp_idle_timeout(c->tcp) * 1000.0),
	};
	struct query *q = &c->tcp->responder->query;
	size_t n = respond(c->tcp->responder, &req, c->out + 2, DNS_MSG_MAX);

	if (n > 0 && q->xfr.zone != NULL) {
		/* A transfer: its messages replace the bare answer (query.h). */
		c->xfr = xfrout_start(&q->xfr, &q->req, req.wire);
		c->xfr_cut = NULL;
		c->in_start += 2 + mlen;
		if (c->xfr == NULL) {
			log_limited(&c->tcp->errors, "tcp: out of memory for a zone transfer");
			return false;
		}
		return tcp_xfr_next(c);
	}
	c->in_start += 2 + mlen;
	if (n == 0)
		return false;
	dns_write16(c->out, (unsigned)n);
	c->out_len = 2 + n;
	c->out_done = 0;
	return true;
}

/* Does everything the connection allows now: finish the pending answer, answer every
 * complete message already received (in order: pipelined queries are answered on this
 * connection, RFC 7766 section 6.2.1.1), read more. Stops reading while an answer is
 * pending, so a client that does not read its answers cannot make us buffer more.
 * May free c. */
static void tcp_conn_work(struct tcp_conn *c)
{
	struct tcp_server *t = c->tcp;
	bool progress = false;
	int reads = 0, built = 0, wait_for;
	size_t avail, mlen;
	ssize_t n;
	int r;

	for (;;) {
		if (c->out_done < c->out_len) {
			r = tcp_conn_flush(c);
			if (r < 0) {
				c->xfr_cut = "client gone";
				goto close;
			}
			if (r == 0) {
				wait_for = EV_WRITE;
				break;
			}
			progress = true;
		}
		if (c->xfr != NULL) {
			/* The message written, the next one; a bounded number per wakeup. */
			if (xfrout_done(c->xfr)) {
				tcp_xfr_finish(c);
				continue;
			}
			if (built == TCP_XFR_BURST) {
				wait_for = EV_WRITE;
				break;
			}
			if (!tcp_xfr_next(c))
				goto close;
			built++;
			continue;
		}
		avail = c->in_end - c->in_start;
		if (avail >= 2) {
			mlen = dns_read16(c->in + c->in_start);
			/* Nothing shorter than a header is a DNS message: length 0 or 1..11
			 * closes the connection (tests/conformance.md, "TCP"). */
			if (mlen < DNS_HEADER_SIZE)
				goto close;
			if (avail >= 2 + mlen) {
				if (!tcp_conn_answer(c, mlen))
					goto close;
				/* A new message starts: it gets its own short deadline. */
				c->short_timer = false;
				progress = true;
				continue;
			}
		}
		/* Need more: move the partial message to the front, so a whole message of
		 * the largest size always fits behind it. */
		if (c->in_start > 0) {
			memmove(c->in, c->in + c->in_start, avail);
			c->in_start = 0;
			c->in_end = avail;
		}
		if (reads == TCP_READ_BURST) {
			wait_for = EV_READ;
			break;
		}
		reads++;
		n = read(c->io.fd, c->in + c->in_end, sizeof(c->in) - c->in_end);
		if (n > 0) {
			c->in_end += (size_t)n;
			progress = true;
			continue;
		}
		if (n == 0)
			goto close; /* every complete message has been answered */
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			wait_for = EV_READ;
			break;
		}
		goto close; /* ECONNRESET and friends */
	}

	tcp_conn_wait(c, wait_for);
	if (wait_for == EV_READ && c->in_end > c->in_start) {
		/* A message has started and we wait for its rest: it gets TCP_IO_TIMEOUT in
		 * all, however slowly it trickles in (slowloris). */
		if (!c->short_timer) {
			c->short_timer = true;
			c->timer.repeat = t->io_timeout;
			ev_timer_again(t->loop, &c->timer);
		}
	} else if (progress || c->short_timer) {
		c->short_timer = false;
		c->timer.repeat = tcp_idle_timeout(t);
		ev_timer_again(t->loop, &c->timer);
	}
	if (progress) {
		c->last_active = ev_now(t->loop);
		lru_touch(t, c);
	}
	return;
close:
	tcp_conn_close(c);
}

static void tcp_conn_io_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	(void)loop;
	(void)revents;
	tcp_conn_work(container_of(io, struct tcp_conn, io));
}

static void tcp_conn_timer_cb(struct ev_loop *loop, ev_timer *timer, int revents)
{
	struct tcp_conn *c = container_of(timer, struct tcp_conn, timer);

	(void)loop;
	(void)revents;
	stats_add(&c->tcp->responder->stats.tcp_timed_out, 1);
	/* A transfer whose client stopped reading: no progress for the idle timeout. */
	c->xfr_cut = "timed out";
	tcp_conn_close(c);
}

/* Before a new connection joins: closes the connections idle for longer than the
 * timeout the table allows with the newcomer in it. A connection's timer was set with the
 * timeout of its last activity; when the table fills, the shorter timeout must apply to
 * the connections already open too, not only to the next ones. The limit is computed once:
 * it is the load the new client meets, and recomputing it as the sweep closes connections
 * would stop at the first one. The LRU list is in order of last activity, so this stops
 * at the first connection still within the limit: amortised O(1) per accept. */
static void tcp_close_expired(struct tcp_server *t)
{
	ev_tstamp now = ev_now(t->loop);
	ev_tstamp limit = tcp_idle_timeout_at(t, t->count < t->max ? t->count + 1 : t->max);
	struct tcp_conn *c;

	while ((c = t->idle_head) != NULL && !c->short_timer && now - c->last_active >= limit) {
		stats_add(&t->responder->stats.tcp_timed_out, 1);
		tcp_conn_close(c);
	}
}

/* Takes a new connection. At the cap the longest-idle connection makes room: a new client
 * is more likely to have a query than one that has been silent longest (RFC 7766 section
 * 6.2.3 allows closing idle connections; refusing would let idle clients lock others
 * out). */
static void tcp_conn_new(struct tcp_server *t, int fd, const struct sockaddr_storage *peer)
{
	struct tcp_conn *c;
	int one = 1;

	if ((t->count + 1) * 2 > t->max)
		tcp_close_expired(t);
	if (t->count >= t->max && t->idle_head != NULL) {
		stats_add(&t->responder->stats.tcp_evicted, 1);
		tcp_conn_close(t->idle_head);
	}
	c = malloc(sizeof(*c));
	if (c == NULL) {
		log_limited(&t->errors, "tcp: out of memory for a connection");
		close(fd);
		return;
	}
	/* Each answer is written with one writev; without NODELAY the answer to the second
	 * of two pipelined queries would wait for the client's delayed ACK of the first. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->tcp = t;
	c->peer = *peer;
	c->events = EV_READ;
	c->short_timer = false;
	c->last_active = ev_now(t->loop);
	c->in_start = 0;
	c->in_end = 0;
	c->out_done = 0;
	c->out_len = 0;
	c->xfr = NULL;
	c->xfr_cut = NULL;
	ev_io_init(&c->io, tcp_conn_io_cb, fd, EV_READ);
	ev_init(&c->timer, tcp_conn_timer_cb);
	c->timer.repeat = tcp_idle_timeout(t);
	ev_io_start(t->loop, &c->io);
	ev_timer_again(t->loop, &c->timer);
	lru_append(t, c);
	t->count++;
	stats_add(&t->responder->stats.tcp_accepted, 1);
}

static int tcp_accept_fd(int lfd, struct sockaddr_storage *peer)
{
	socklen_t len = sizeof(*peer);

	return accept4(lfd, (struct sockaddr *)peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static void tcp_accept_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct tcp_listener *l = container_of(io, struct tcp_listener, io);
	struct tcp_server *t = l->tcp;
	struct sockaddr_storage peer;
	int i, fd;

	(void)loop;
	(void)revents;
	for (i = 0; i < TCP_ACCEPT_BURST; i++) {
		fd = tcp_accept_fd(io->fd, &peer);
		if (fd >= 0) {
			tcp_conn_new(t, fd, &peer);
			continue;
		}
		switch (errno) {
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
			return;
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
		case ENETDOWN:
		case ENOPROTOOPT:
		case EHOSTDOWN:
		case ENONET:
		case EHOSTUNREACH:
		case EOPNOTSUPP:
		case ENETUNREACH:
			/* The client is gone before we took it (accept(2) lists these as
			 * errors of the new connection on Linux); take the next. */
			continue;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			/* The pending connection stays in the backlog and the level-triggered
			 * watcher would spin on it: stop accepting for a while (ev.pod,
			 * "special problem of accept()ing when you can't"). */
			log_limited(&t->errors,
				    "tcp: accept: %s; pausing new connections for %.0f s "
				    "(%zu open)", strerror(errno), TCP_ACCEPT_RETRY, t->count);
			tcp_accept_pause(t);
			return;
		default:
			log_limited(&t->errors, "tcp: accept: %s", strerror(errno));
			return;
		}
	}
}

void tcp_server_init(struct tcp_server *t, struct ev_loop *loop, struct responder *responder,
		     size_t max, double idle_timeout)
{
	memset(t, 0, sizeof(*t));
	t->loop = loop;
	t->responder = responder;
	t->max = max > 0 ? max : 1;
	t->idle_timeout = idle_timeout;
	t->io_timeout = TCP_IO_TIMEOUT;
	ev_init(&t->accept_retry, tcp_accept_retry_cb);
}

void tcp_listener_start(struct tcp_server *t, struct tcp_listener *l, int fd)
{
	l->tcp = t;
	l->next = t->listeners;
	t->listeners = l;
	ev_io_init(&l->io, tcp_accept_cb, fd, EV_READ);
	if (!t->accept_paused)
		ev_io_start(t->loop, &l->io);
}

void tcp_listener_stop(struct tcp_server *t, struct tcp_listener *l)
{
	struct tcp_listener **p;

	ev_io_stop(t->loop, &l->io);
	for (p = &t->listeners; *p != NULL; p = &(*p)->next) {
		if (*p == l) {
			*p = l->next;
			break;
		}
	}
	l->next = NULL;
}

void tcp_server_close(struct tcp_server *t)
{
	struct tcp_listener *l;

	if (t->loop == NULL)
		return;
	for (l = t->listeners; l != NULL; l = l->next)
		ev_io_stop(t->loop, &l->io);
	t->listeners = NULL;
	t->closing = true;
	ev_timer_stop(t->loop, &t->accept_retry);
	t->accept_paused = false;
	while (t->idle_head != NULL)
		tcp_conn_close(t->idle_head);
}
