/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrin.c: one refresh of a secondary zone, as a state machine on the server's libev
 * loop: for each primary in turn, the SOA query over UDP (over TCP after TC), then an
 * IXFR or AXFR over TCP whose messages xfrinmsg.c checks and assembles; TSIG on every
 * request and answer when the primary has a key (RFC 8945 section 5.3.1). Sockets are
 * non-blocking and every step has a timeout, so answering never waits on a primary. */
#include "config.h"

#include <errno.h>
#include <ev.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "dns.h"
#include "log.h"
#include "tsig.h"
#include "xfrin.h"
#include "xfrinmsg.h"

/* A lost SOA query over UDP is sent again after this many seconds, then after twice as
 * long each time, until the step's timeout: a datagram lost on the way (or taken by a
 * primary that was being restarted) costs a refresh seconds, not the whole timeout. As a
 * resolver retransmits (RFC 1035 section 7.2); TCP needs none. */
#define XFRIN_UDP_RESEND 2.0

enum xfrin_step {
	STEP_SOA_UDP,  /* the SOA query over UDP */
	STEP_SOA_TCP,  /* the same over TCP, after TC (RFC 1035 section 4.2.1) */
	STEP_XFR,      /* the IXFR or AXFR over TCP */
};

struct xfrin {
	struct ev_loop *loop;
	uint8_t origin[DNS_MAX_NAME];
	size_t origin_len;
	char *origin_text;
	struct zone *current;          /* held; NULL when there is no usable version */
	struct xfrin_primary *primaries;
	size_t count, at;              /* the primary being tried */
	double timeout;
	bool force;
	bool running;                  /* the deferred start has run */
	xfrin_done_cb cb;
	void *arg;
	ev_timer timer;                /* the start, then each step's timeout (UDP: each resend) */
	double deadline;               /* UDP: ev_now() when the SOA query's step times out */
	double resend;                 /* UDP: seconds from the last send to the next */
	ev_io io;
	int fd;
	enum xfrin_step step;
	bool connected;                /* TCP: the connection is up and the request sent */
	uint16_t qtype, id;
	uint8_t req[DNS_TCP_LENGTH_SIZE + XFRIN_REQUEST_MAX];
	size_t req_len, req_sent;      /* TCP: with its length prefix */
	uint8_t mac[HMAC_MAX_SIZE];    /* the signed request's MAC */
	size_t mac_len;
	struct tsig_stream tsig;
	uint8_t *in;                   /* what was read and not yet used */
	size_t in_len;
	struct xfrin_stream *stream;
	char where[INET6_ADDRSTRLEN + 8]; /* the primary being tried, for messages */
	ev_tstamp started;
	struct xfrin_result res;
};

#define IN_CAP (DNS_TCP_LENGTH_SIZE + DNS_MSG_MAX)

static void try_primary(struct xfrin *x);
static void io_cb(struct ev_loop *loop, ev_io *w, int revents);

static const struct xfrin_primary *primary(const struct xfrin *x)
{
	return &x->primaries[x->at];
}

static void close_fd(struct xfrin *x)
{
	ev_io_stop(x->loop, &x->io);
	ev_timer_stop(x->loop, &x->timer);
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	x->in_len = 0;
	x->connected = false;
	xfrin_stream_free(x->stream);
	x->stream = NULL;
}

static void xfrin_free(struct xfrin *x)
{
	close_fd(x);
	zone_free(x->current);
	free(x->origin_text);
	sodium_memzero(x->primaries, x->count * sizeof(*x->primaries));
	free(x->primaries);
	free(x->in);
	free(x);
}

/* Ends the refresh: the result to the caller, then the refresh is freed. */
static void finish(struct xfrin *x, int status)
{
	close_fd(x);
	x->res.status = status;
	x->res.seconds = ev_time() - x->started;
	if (status != 0) {
		x->res.kind = XFRIN_UPTODATE;
		x->res.zone = NULL;
	} else {
		x->res.error[0] = '\0'; /* an earlier primary's failure is not the result's */
	}
	x->cb(&x->res, x->arg);
	xfrin_free(x);
}

/* This primary failed: says why, then tries the next one, or ends with this failure. */
static void fail(struct xfrin *x, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct xfrin *x, int status, const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(x->res.error, sizeof(x->res.error), "%s: %s", x->where, why);
	close_fd(x);
	x->res.status = status;
	x->at++;
	if (x->at < x->count) {
		/* The result tells only the last failure: this one is said here. */
		log_warning("zone %s: refresh from %s failed: %s; trying the next primary",
			    x->origin_text, x->where, why);
		try_primary(x);
		return;
	}
	finish(x, status);
}

static void timer_set(struct xfrin *x, double after)
{
	ev_timer_stop(x->loop, &x->timer);
	ev_timer_set(&x->timer, after, 0);
	ev_timer_start(x->loop, &x->timer);
}

static void timer_restart(struct xfrin *x)
{
	timer_set(x, x->timeout);
}

/* The UDP step's timer: the next resend, or the step's timeout when that comes first. */
static void udp_timer(struct xfrin *x)
{
	double left = x->deadline - ev_now(x->loop);

	timer_set(x, x->resend < left ? x->resend : left);
}

static const char *step_name(const struct xfrin *x)
{
	if (x->step != STEP_XFR)
		return "SOA query";
	return x->qtype == DNS_TYPE_IXFR ? "IXFR" : "AXFR";
}

/* Sends the request for qtype to the primary, over UDP or TCP, signed when it has a key.
 * Returns 0, or fails the primary and returns -1. */
static int send_request(struct xfrin *x, uint16_t qtype, enum xfrin_step step)
{
	const struct xfrin_primary *p = primary(x);
	uint8_t *msg = x->req + DNS_TCP_LENGTH_SIZE;
	bool tcp = step != STEP_SOA_UDP;
	ssize_t len;
	size_t signed_len;

	x->step = step;
	x->qtype = qtype;
	randombytes_buf(&x->id, sizeof(x->id));
	len = xfrin_request_build(msg, XFRIN_REQUEST_MAX, x->origin, x->origin_len, qtype,
				  x->current, x->id);
	if (len < 0) {
		fail(x, (int)len, "cannot build the %s", step_name(x));
		return -1;
	}
	signed_len = (size_t)len;
	if (p->has_key && tsig_sign_request(&p->key, msg, (size_t)len, XFRIN_REQUEST_MAX,
					    (uint64_t)time(NULL), x->mac, &x->mac_len,
					    &signed_len) != 0) {
		fail(x, -ENOSPC, "cannot sign the %s", step_name(x));
		return -1;
	}
	dns_write16(x->req, (uint16_t)signed_len);
	x->req_len = signed_len + DNS_TCP_LENGTH_SIZE;
	x->req_sent = tcp ? 0 : DNS_TCP_LENGTH_SIZE;
	x->fd = socket(p->addr.ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK |
		       SOCK_CLOEXEC, 0);
	if (x->fd < 0) {
		fail(x, -errno, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(x->fd, (const struct sockaddr *)&p->addr, p->addr_len) != 0 &&
	    errno != EINPROGRESS) {
		fail(x, -errno, "connect: %s", strerror(errno));
		return -1;
	}
	if (!tcp) {
		if (send(x->fd, msg, signed_len, 0) < 0) {
			fail(x, -errno, "send: %s", strerror(errno));
			return -1;
		}
		x->connected = true;
	}
	/* TCP: writable once connected, then the request goes out (io_cb). */
	ev_io_set(&x->io, x->fd, tcp ? EV_WRITE : EV_READ);
	ev_io_start(x->loop, &x->io);
	if (tcp) {
		timer_restart(x);
	} else {
		x->deadline = ev_now(x->loop) + x->timeout;
		x->resend = XFRIN_UDP_RESEND;
		udp_timer(x);
	}
	return 0;
}

/* The SOA query again, the same message (an answer to either send is taken), while the
 * step has time left; a failed send fails the primary. */
static void udp_resend(struct xfrin *x)
{
	if (send(x->fd, x->req + DNS_TCP_LENGTH_SIZE, x->req_len - DNS_TCP_LENGTH_SIZE, 0) < 0) {
		fail(x, -errno, "send: %s", strerror(errno));
		return;
	}
	x->resend *= 2;
	udp_timer(x);
}

static void try_primary(struct xfrin *x)
{
	const struct xfrin_primary *p = primary(x);
	char host[INET6_ADDRSTRLEN], serv[7];

	if (getnameinfo((const struct sockaddr *)&p->addr, p->addr_len, host, sizeof(host), serv,
			sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(x->where, sizeof(x->where), "primary %zu", x->at + 1);
	else
		snprintf(x->where, sizeof(x->where), "%s#%s", host, serv);
	x->res.from = p;
	x->res.serial = 0;
	x->res.messages = x->res.records = x->res.bytes = 0;
	send_request(x, DNS_TYPE_SOA, STEP_SOA_UDP);
}

/* The transfer, once the primary's serial is known. */
static void transfer(struct xfrin *x, uint16_t qtype)
{
	if (send_request(x, qtype, STEP_XFR) != 0)
		return;
	x->stream = xfrin_stream_new(x->origin, x->origin_len, x->origin_text, x->current, qtype,
				     x->id, x->where);
	if (x->stream == NULL) {
		fail(x, -ENOMEM, "out of memory");
		return;
	}
	if (primary(x)->has_key)
		tsig_stream_start(&x->tsig, &primary(x)->key, x->mac, x->mac_len);
}

/* The SOA answer msg (from UDP or TCP). */
static void soa_answer(struct xfrin *x, const uint8_t *msg, size_t len)
{
	const struct xfrin_primary *p = primary(x);
	char err[200];
	uint32_t serial;
	int rc, t;

	rc = xfrin_soa_answer(msg, len, x->id, x->origin, x->origin_len, &serial, err, sizeof(err));
	if (rc == -EAGAIN && x->step == STEP_SOA_UDP)
		return; /* not the answer: keep waiting (RFC 5452 section 9.1) */
	if (rc == -EAGAIN) {
		fail(x, -EPROTO, "the SOA answer over TCP is not ours");
		return;
	}
	if (rc == 1 && x->step == STEP_SOA_UDP) {
		close_fd(x);
		send_request(x, DNS_TYPE_SOA, STEP_SOA_TCP);
		return;
	}
	if (p->has_key) {
		t = tsig_verify_response(&p->key, x->mac, x->mac_len, msg, len,
					 (uint64_t)time(NULL));
		if (t != 0) {
			fail(x, -EPROTO, "the SOA answer fails TSIG with key %s: %s", p->key.text,
			     tsig_error_name(t));
			return;
		}
	}
	if (rc != 0) {
		fail(x, -EPROTO, "%s", rc == 1 ? "TC set over TCP" : err);
		return;
	}
	x->res.serial = serial;
	close_fd(x);
	if (x->current != NULL && !x->force &&
	    dns_serial_compare(x->current->serial, serial) != DNS_SERIAL_LESS) {
		x->res.kind = XFRIN_UPTODATE;
		finish(x, 0);
		return;
	}
	transfer(x, x->current != NULL && !x->force ? DNS_TYPE_IXFR : DNS_TYPE_AXFR);
}

/* The transfer's complete answer. */
static void xfr_done(struct xfrin *x)
{
	char err[200];
	int rc;

	if (primary(x)->has_key && tsig_stream_finish(&x->tsig) != 0) {
		fail(x, -EPROTO, "the last message of the %s is not signed", step_name(x));
		return;
	}
	x->res.records = xfrin_stream_records(x->stream);
	rc = xfrin_stream_finish(x->stream, &x->res.kind, &x->res.serial, &x->res.zone, err,
				 sizeof(err));
	if (rc != 0) {
		fail(x, rc, "%s", rc == -ENOMEM ? "out of memory" : err);
		return;
	}
	finish(x, 0);
}

/* One message of the transfer. Returns 0 to read on, 1 when the refresh moved on (done,
 * failed, or started again). */
static int xfr_message(struct xfrin *x, const uint8_t *msg, size_t len)
{
	const struct xfrin_primary *p = primary(x);
	char err[200];
	int rc, t;

	x->res.messages++;
	x->res.bytes += len;
	if (p->has_key) {
		t = tsig_stream_verify(&x->tsig, msg, len);
		if (t != 0 && t != 1) {
			fail(x, -EPROTO, "message %zu of the %s fails TSIG with key %s: %s",
			     x->res.messages, step_name(x), p->key.text, tsig_error_name(t));
			return 1;
		}
	}
	rc = xfrin_stream_message(x->stream, msg, len, err, sizeof(err));
	if (rc == 0)
		return 0;
	if (rc == 1) {
		xfr_done(x);
		return 1;
	}
	if (rc == -ENOTSUP) {
		/* RFC 1995 section 2: a primary that does not do IXFR: an AXFR then. */
		log_info("zone %s: %s: %s, asking for an AXFR", x->origin_text, x->where, err);
		close_fd(x);
		transfer(x, DNS_TYPE_AXFR);
		return 1;
	}
	fail(x, rc, "%s", rc == -ENOMEM ? "out of memory" : err);
	return 1;
}

/* TCP: writes what is left of the request. Returns 0, or -1 after failing. */
static int tcp_write(struct xfrin *x)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	ssize_t n;

	if (x->req_sent == 0 &&
	    (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0)) {
		fail(x, -(soerr ? soerr : errno), "connect: %s", strerror(soerr ? soerr : errno));
		return -1;
	}
	n = send(x->fd, x->req + x->req_sent, x->req_len - x->req_sent, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n < 0) {
		fail(x, -errno, "send: %s", strerror(errno));
		return -1;
	}
	x->req_sent += (size_t)n;
	if (x->req_sent == x->req_len) {
		x->connected = true;
		ev_io_stop(x->loop, &x->io);
		ev_io_set(&x->io, x->fd, EV_READ);
		ev_io_start(x->loop, &x->io);
	}
	return 0;
}

/* TCP: reads what came and handles each whole message (RFC 1035 section 4.2.2). */
static void tcp_read(struct xfrin *x)
{
	ssize_t n = recv(x->fd, x->in + x->in_len, IN_CAP - x->in_len, 0);
	size_t at = 0;

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n < 0) {
		fail(x, -errno, "recv: %s", strerror(errno));
		return;
	}
	if (n == 0) {
		fail(x, -EPROTO, "the primary closed the connection before the end of the %s",
		     step_name(x));
		return;
	}
	x->in_len += (size_t)n;
	while (x->in_len - at >= DNS_TCP_LENGTH_SIZE) {
		size_t len = dns_read16(x->in + at);
		const uint8_t *msg = x->in + at + DNS_TCP_LENGTH_SIZE;

		if (x->in_len - at - DNS_TCP_LENGTH_SIZE < len)
			break;
		at += DNS_TCP_LENGTH_SIZE + len;
		timer_restart(x);
		if (x->step != STEP_XFR) {
			soa_answer(x, msg, len);
			return;
		}
		if (xfr_message(x, msg, len) != 0)
			return;
	}
	memmove(x->in, x->in + at, x->in_len - at);
	x->in_len -= at;
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct xfrin *x = container_of(w, struct xfrin, io);
	uint8_t buf[DNS_MSG_MAX];
	ssize_t n;

	(void)loop;
	if (x->step == STEP_SOA_UDP) {
		n = recv(x->fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n < 0) {
			fail(x, -errno, "recv: %s", strerror(errno));
			return;
		}
		soa_answer(x, buf, (size_t)n);
		return;
	}
	if (!x->connected) {
		if (revents & EV_WRITE)
			tcp_write(x);
		return;
	}
	tcp_read(x);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct xfrin *x = container_of(w, struct xfrin, timer);

	(void)loop;
	(void)revents;
	if (!x->running) {
		/* The start, deferred so that the callback never runs inside xfrin_start(). */
		x->running = true;
		if (x->count == 0)
			finish(x, -ENOENT);
		else
			try_primary(x);
		return;
	}
	/* Timers may fire a little early: a millisecond from the deadline is the deadline. */
	if (x->step == STEP_SOA_UDP && x->deadline - ev_now(loop) > 0.001) {
		udp_resend(x);
		return;
	}
	fail(x, -ETIMEDOUT, "no answer to the %s in %g s", step_name(x), x->timeout);
}

static struct xfrin *start(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
			   const char *origin_text, const struct zone *current,
			   const struct xfrin_primary *primaries, size_t count, double timeout,
			   xfrin_done_cb cb, void *arg, bool force)
{
	struct xfrin *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->fd = -1;
	x->loop = loop;
	memcpy(x->origin, origin, origin_len);
	x->origin_len = origin_len;
	x->origin_text = strdup(origin_text);
	x->primaries = calloc(count > 0 ? count : 1, sizeof(*primaries));
	x->in = malloc(IN_CAP);
	if (x->origin_text == NULL || x->primaries == NULL || x->in == NULL) {
		xfrin_free(x);
		return NULL;
	}
	if (count > 0)
		memcpy(x->primaries, primaries, count * sizeof(*primaries));
	x->count = count;
	if (current != NULL && current->ok && current->soa != NULL)
		x->current = zone_hold(current);
	x->timeout = timeout;
	x->force = force;
	x->cb = cb;
	x->arg = arg;
	x->started = ev_time();
	snprintf(x->res.error, sizeof(x->res.error), "no primary to ask");
	x->res.status = -ENOENT;
	ev_io_init(&x->io, io_cb, -1, EV_READ);
	ev_timer_init(&x->timer, timer_cb, 0, 0);
	ev_timer_start(loop, &x->timer);
	return x;
}

struct xfrin *xfrin_start(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
			  const char *origin_text, const struct zone *current,
			  const struct xfrin_primary *primaries, size_t count, double timeout,
			  xfrin_done_cb cb, void *arg)
{
	return start(loop, origin, origin_len, origin_text, current, primaries, count, timeout,
		     cb, arg, false);
}

struct xfrin *xfrin_start_force(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
				const char *origin_text, const struct zone *current,
				const struct xfrin_primary *primaries, size_t count,
				double timeout, xfrin_done_cb cb, void *arg)
{
	return start(loop, origin, origin_len, origin_text, current, primaries, count, timeout,
		     cb, arg, true);
}

void xfrin_cancel(struct xfrin *x)
{
	if (x != NULL)
		xfrin_free(x);
}
