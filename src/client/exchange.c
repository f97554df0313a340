/* SPDX-License-Identifier: BSD-3-Clause */
/* exchange.c: send the query over UDP, then over TCP to the same port, and keep every fact. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "client/exchange.h"

#define EXCHANGE_BUF_MAX 65536

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Query IDs come from the kernel's CSPRNG: a guessable ID is half of a spoofed reply
 * (RFC 5452 section 9.2). */
static uint16_t random_id(void)
{
	uint16_t id = 0;

	while (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id))
		if (errno != EINTR)
			break;
	return id;
}

int exchange_name_from_str(uint8_t *out, size_t outlen, const char *name)
{
	size_t o = 0, lab = 0;
	const char *p = name;

	if (strcmp(name, ".") == 0) {
		if (outlen < 1)
			return -EINVAL;
		out[0] = 0;
		return 1;
	}
	if (outlen < 1)
		return -EINVAL;
	out[o++] = 0;  /* length byte of the first label, filled in below */
	while (*p != '\0') {
		unsigned c = (unsigned char)*p++;
		if (c == '.') {
			if (out[lab] == 0)
				return -EINVAL;  /* empty label */
			if (*p == '\0')
				break;           /* trailing dot: the name is absolute */
			if (o >= outlen || o >= DNS_MAX_NAME)
				return -EINVAL;
			lab = o;
			out[o++] = 0;
			continue;
		}
		if (c == '\\') {
			/* Presentation escapes: \DDD and \X (RFC 1035 section 5.1). */
			if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
			    isdigit((unsigned char)p[2])) {
				c = (unsigned)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
				if (c > 255)
					return -EINVAL;
				p += 3;
			} else if (*p != '\0') {
				c = (unsigned char)*p++;
			} else {
				return -EINVAL;
			}
		}
		if (out[lab] == DNS_MAX_LABEL || o >= outlen || o >= DNS_MAX_NAME)
			return -EINVAL;
		out[lab]++;
		out[o++] = (uint8_t)c;
	}
	if (out[lab] == 0)
		return -EINVAL;
	if (o >= outlen || o + 1 > DNS_MAX_NAME)
		return -EINVAL;
	out[o++] = 0;  /* the root label */
	return (int)o;
}

int exchange_build_query(uint8_t *buf, size_t buflen, uint16_t id, const struct exchange_query *q)
{
	size_t nsid_len = q->nsid ? EDNS_OPTION_HEADER_SIZE : 0;
	size_t cookie_len = q->cookie_len ? EDNS_OPTION_HEADER_SIZE + q->cookie_len : 0;
	size_t need = DNS_HEADER_SIZE + q->qname_len + DNS_QUESTION_FIXED_SIZE +
		      (q->edns ? EDNS_OPT_RR_SIZE + nsid_len + cookie_len : 0);
	size_t o = 0;

	if (need > buflen)
		return -ENOSPC;
	memset(buf, 0, DNS_HEADER_SIZE);
	dns_write16(buf + DNS_OFF_ID, id);
	/* RD stays clear: dualq asks authoritative servers, and RFC 1035 makes RD a request
	 * for recursion that they would only ignore. */
	dns_write16(buf + DNS_OFF_QDCOUNT, 1);
	dns_write16(buf + DNS_OFF_ARCOUNT, q->edns ? 1 : 0);
	o = DNS_HEADER_SIZE;
	memcpy(buf + o, q->qname, q->qname_len);
	o += q->qname_len;
	dns_write16(buf + o, q->qtype);
	dns_write16(buf + o + 2, q->qclass);
	o += DNS_QUESTION_FIXED_SIZE;
	if (q->edns) {
		/* OPT: root owner, CLASS = UDP payload size, TTL = ext-rcode 0, version 0, DO
		 * (RFC 6891 section 6.1.2, RFC 3225 section 3). */
		buf[o++] = 0;
		dns_write16(buf + o + DNS_RR_OFF_TYPE, DNS_TYPE_OPT);
		dns_write16(buf + o + DNS_RR_OFF_CLASS, q->bufsize);
		dns_write32(buf + o + DNS_RR_OFF_TTL, q->dnssec ? EDNS_FLAG_DO : 0);
		dns_write16(buf + o + DNS_RR_OFF_RDLENGTH, (unsigned)(nsid_len + cookie_len));
		o += DNS_RR_FIXED_SIZE;
		if (q->nsid) {
			/* NSID, empty in a query (RFC 5001 section 2.1) */
			dns_write16(buf + o, EDNS_OPT_NSID);
			dns_write16(buf + o + 2, 0);
			o += EDNS_OPTION_HEADER_SIZE;
		}
		if (q->cookie_len) {
			/* COOKIE: client cookie, then the server cookie when one is known
			 * (RFC 7873 sections 4 and 5.1) */
			dns_write16(buf + o, EDNS_OPT_COOKIE);
			dns_write16(buf + o + 2, (unsigned)q->cookie_len);
			memcpy(buf + o + EDNS_OPTION_HEADER_SIZE, q->cookie, q->cookie_len);
			o += EDNS_OPTION_HEADER_SIZE + q->cookie_len;
		}
	}
	return (int)o;
}

static bool name_equal_nocase(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return false;
	return true;
}

bool exchange_reply_matches(char *why, size_t whylen, const uint8_t *query, size_t query_len,
			    const uint8_t *reply, size_t reply_len)
{
	struct msg_view qv, rv;

	if (msg_parse(&qv, query, query_len) < 0) {
		snprintf(why, whylen, "query unreadable");
		return false;
	}
	if (reply_len < DNS_HEADER_SIZE) {
		snprintf(why, whylen, "%zu bytes, shorter than a DNS header", reply_len);
		return false;
	}
	if (msg_parse(&rv, reply, reply_len) < 0) {
		snprintf(why, whylen, "question unreadable");
		return false;
	}
	if (!(rv.flags & DNS_FLAG_QR)) {
		snprintf(why, whylen, "QR clear: a query, not a reply");
		return false;
	}
	if (rv.id != qv.id) {
		snprintf(why, whylen, "ID %u, expected %u", rv.id, qv.id);
		return false;
	}
	if (rv.count[MSG_QD] == 0 && DNS_RCODE(rv.flags) != 0)
		return true;
	if (rv.count[MSG_QD] != 1 || !rv.has_question) {
		snprintf(why, whylen, "QDCOUNT %u, expected 1", rv.count[MSG_QD]);
		return false;
	}
	if (!name_equal_nocase(rv.qname, rv.qname_len, qv.qname, qv.qname_len) ||
	    rv.qtype != qv.qtype || rv.qclass != qv.qclass) {
		char n[1024];
		msg_name_str(n, sizeof(n), rv.qname, rv.qname_len);
		snprintf(why, whylen, "question %.60s type %u class %u differs", n, rv.qtype, rv.qclass);
		return false;
	}
	return true;
}

int exchange_set_source(struct exchange *ex, const char *addr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ex->source;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ex->source;

	memset(&ex->source, 0, sizeof(ex->source));
	ex->source_len = 0;
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		ex->source_len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		ex->source_len = sizeof(*sin6);
	} else {
		return -EINVAL;
	}
	if (ex->source.ss_family != ex->server.ss_family) {
		ex->source_len = 0;
		return -EAFNOSUPPORT;
	}
	return 0;
}

/* A new socket for a leg: bound to the -b address when there is one (port 0: the kernel
 * still picks the port). Returns the descriptor, or -errno. */
static int leg_socket(const struct exchange *ex, int type)
{
	int fd = socket(ex->server.ss_family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (ex->source_len > 0 && bind(fd, (const struct sockaddr *)&ex->source, ex->source_len) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int exchange_resolve(struct sockaddr_storage *out, socklen_t *outlen, char *err, size_t errlen,
		     const char *server, uint16_t port, int family)
{
	struct addrinfo hints, *res = NULL;
	char portstr[8];

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%u", port);
	int rc = getaddrinfo(server, portstr, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "cannot resolve: %s", gai_strerror(rc));
		return -EHOSTUNREACH;
	}
	memcpy(out, res->ai_addr, res->ai_addrlen);
	*outlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

bool exchange_addr_known(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_port != 0;
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port != 0;
	return false;
}

void exchange_addr_str(char *buf, size_t buflen, const struct sockaddr_storage *ss)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (!exchange_addr_known(ss)) {
		snprintf(buf, buflen, "-");
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, buflen, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(buf, buflen, "%s:%u", ip, ntohs(s4->sin_port));
	}
}

static bool same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}

static int leg_fail(struct leg *leg, int err, const char *stage)
{
	leg->err = err;
	leg->err_stage = stage;
	return err;
}

/* Builds the leg's query with a fresh ID. */
static int leg_new_query(struct leg *leg, const struct exchange *ex)
{
	leg->id = random_id();
	int n = exchange_build_query(leg->query, sizeof(leg->query), leg->id, &ex->q);
	if (n < 0)
		return n;
	leg->query_len = (size_t)n;
	return 0;
}

/* One UDP try on its own connected socket. Returns 0 with the reply in leg, -ETIMEDOUT,
 * -ECONNREFUSED (ICMP port unreachable reported on the connected socket), -errno. */
static int udp_try(struct leg *leg, struct exchange_try *t, const struct exchange *ex,
		   unsigned timeout_ms, uint8_t *buf)
{
	socklen_t sl = sizeof(t->local);
	int fd, rc = 0;
	bool refused = false;

	if (leg_new_query(leg, ex) < 0)
		return -ENOSPC;
	t->id = leg->id;
	/* A new socket per try gives a new kernel-chosen source port, and connect() makes
	 * the kernel drop datagrams from any other address or port (RFC 5452 section 9.1). */
	fd = leg_socket(ex, SOCK_DGRAM);
	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)&ex->server, ex->server_len) < 0) {
		rc = -errno;
		goto out;
	}
	getsockname(fd, (struct sockaddr *)&t->local, &sl);
	leg->local = t->local;
	double t0 = now_ms(), deadline = t0 + timeout_ms;
	ssize_t n = send(fd, leg->query, leg->query_len, 0);
	if (n < 0) {
		rc = -errno;
		goto out;
	}
	leg->bytes_sent = (size_t)n;
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0) {
			rc = refused ? -ECONNREFUSED : -ETIMEDOUT;
			goto out;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int pr = poll(&pfd, 1, (int)(left + 0.999));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0) {
			rc = -errno;
			goto out;
		}
		if (pr == 0)
			continue;
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		n = recvfrom(fd, buf, EXCHANGE_BUF_MAX, MSG_TRUNC, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ECONNREFUSED && !refused) {
				/* ICMP is unauthenticated (RFC 5927), and a stray port unreachable
				 * must not hide a real reply in flight: note it, wait a little
				 * longer, and report it only if nothing answers. */
				refused = true;
				leg->icmp_refused++;
				double cut = now_ms() + EXCHANGE_ICMP_GRACE_MS;
				if (cut < deadline)
					deadline = cut;
				continue;
			}
			rc = -errno;
			goto out;
		}
		double t1 = now_ms();
		/* The kernel already filtered by peer; checking again costs nothing. */
		if (!same_endpoint(&from, &ex->server)) {
			leg->mismatched++;
			if (leg->mismatched == 1)
				snprintf(leg->mismatch_why, sizeof(leg->mismatch_why), "from another address");
			continue;
		}
		size_t got = (size_t)n > EXCHANGE_BUF_MAX ? EXCHANGE_BUF_MAX : (size_t)n;
		char why[96];
		if (!exchange_reply_matches(why, sizeof(why), leg->query, leg->query_len, buf, got)) {
			leg->mismatched++;
			if (leg->mismatched == 1)
				snprintf(leg->mismatch_why, sizeof(leg->mismatch_why), "%s", why);
			continue;
		}
		leg->reply = malloc(got);
		if (leg->reply == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		memcpy(leg->reply, buf, got);
		leg->reply_len = got;
		leg->bytes_received = (size_t)n;
		leg->rtt_ms = t1 - t0;
		goto out;
	}
out:
	close(fd);
	t->err = rc;
	return rc;
}

int exchange_udp(struct leg *leg, const struct exchange *ex, unsigned timeout_ms, unsigned tries)
{
	uint8_t *buf = malloc(EXCHANGE_BUF_MAX);
	int rc = -ETIMEDOUT;

	memset(leg, 0, sizeof(*leg));
	leg->remote = ex->server;
	leg->timeout_ms = timeout_ms;
	if (buf == NULL)
		return leg_fail(leg, -ENOMEM, "socket");
	if (tries > EXCHANGE_MAX_TRIES)
		tries = EXCHANGE_MAX_TRIES;
	for (unsigned i = 0; i < tries; i++) {
		leg->ntries = i + 1;
		rc = udp_try(leg, &leg->tries[i], ex, timeout_ms, buf);
		/* Only silence earns a retry: ICMP port unreachable or a local error will not
		 * change on the next try. */
		if (rc != -ETIMEDOUT)
			break;
	}
	free(buf);
	if (rc < 0)
		return leg_fail(leg, rc, rc == -ETIMEDOUT ? "receive" : "send");
	return 0;
}

/* Waits for fd to become ready for events until deadline. Returns 0, -ETIMEDOUT, -errno. */
static int wait_fd(int fd, short events, double deadline)
{
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd pfd = { .fd = fd, .events = events };
		int pr = poll(&pfd, 1, (int)(left + 0.999));
		if (pr > 0)
			return 0;
		if (pr < 0 && errno != EINTR)
			return -errno;
	}
}

/* Reads exactly len bytes. Returns 0, -ETIMEDOUT, -ECONNRESET on an early EOF, -errno. */
static int read_full(int fd, uint8_t *buf, size_t len, double deadline, size_t *total)
{
	size_t got = 0;

	while (got < len) {
		int rc = wait_fd(fd, POLLIN, deadline);
		if (rc < 0)
			return rc;
		ssize_t n = recv(fd, buf + got, len - got, 0);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		got += (size_t)n;
		*total += (size_t)n;
	}
	return 0;
}

int exchange_tcp(struct leg *leg, const struct exchange *ex, unsigned timeout_ms)
{
	uint8_t out[DNS_TCP_LENGTH_SIZE + EXCHANGE_QUERY_MAX], lenbuf[DNS_TCP_LENGTH_SIZE];
	socklen_t sl = sizeof(leg->local);
	int fd, rc;

	memset(leg, 0, sizeof(*leg));
	leg->tcp = true;
	leg->remote = ex->server;
	leg->timeout_ms = timeout_ms;
	if (leg_new_query(leg, ex) < 0)
		return leg_fail(leg, -ENOSPC, "send");
	fd = leg_socket(ex, SOCK_STREAM | SOCK_NONBLOCK);
	if (fd < 0)
		return leg_fail(leg, fd, "socket");
	double t0 = now_ms();
	rc = connect(fd, (const struct sockaddr *)&ex->server, ex->server_len) < 0 ? -errno : 0;
	/* The kernel picked the local port when it sent the SYN: read it now, so a connection
	 * that is refused or never answered still names the port it came from. */
	getsockname(fd, (struct sockaddr *)&leg->local, &sl);
	if (rc < 0) {
		if (rc != -EINPROGRESS) {
			leg_fail(leg, rc, "connect");
			goto out;
		}
		rc = wait_fd(fd, POLLOUT, t0 + timeout_ms);
		int soerr = 0;
		socklen_t el = sizeof(soerr);
		if (rc == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el) == 0 && soerr != 0)
			rc = -soerr;
		if (rc < 0) {
			leg_fail(leg, rc, "connect");
			goto out;
		}
	}
	double t1 = now_ms();
	leg->connect_ms = t1 - t0;
	leg->connected = true;

	/* Length prefix and message in one write, so they leave in one segment: some
	 * servers mishandle a prefix that arrives alone (RFC 7766 section 8). */
	dns_write16(out, (unsigned)leg->query_len);
	memcpy(out + DNS_TCP_LENGTH_SIZE, leg->query, leg->query_len);
	size_t want = DNS_TCP_LENGTH_SIZE + leg->query_len, sent = 0;
	double deadline = t1 + timeout_ms;
	while (sent < want) {
		ssize_t n = send(fd, out + sent, want - sent, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if ((rc = wait_fd(fd, POLLOUT, deadline)) < 0) {
				leg_fail(leg, rc, "send");
				goto out;
			}
			continue;
		}
		if (n < 0) {
			rc = leg_fail(leg, -errno, "send");
			goto out;
		}
		sent += (size_t)n;
	}
	leg->bytes_sent = sent;

	rc = read_full(fd, lenbuf, sizeof(lenbuf), deadline, &leg->bytes_received);
	if (rc == 0) {
		size_t mlen = dns_read16(lenbuf);
		leg->reply = malloc(mlen ? mlen : 1);
		if (leg->reply == NULL)
			rc = -ENOMEM;
		else
			rc = read_full(fd, leg->reply, mlen, deadline, &leg->bytes_received);
		leg->reply_len = mlen;
	}
	if (rc < 0) {
		free(leg->reply);
		leg->reply = NULL;
		leg->reply_len = 0;
		leg_fail(leg, rc, "receive");
		goto out;
	}
	leg->rtt_ms = now_ms() - t1;
	/* One query on the connection, so a mismatch is not filtered but reported: the
	 * verdicts fail it (RFC 5452 section 9.1, RFC 7766 section 7). */
	char why[96];
	if (!exchange_reply_matches(why, sizeof(why), leg->query, leg->query_len,
				    leg->reply, leg->reply_len)) {
		leg->mismatched = 1;
		snprintf(leg->mismatch_why, sizeof(leg->mismatch_why), "%s", why);
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

bool exchange_learn_cookie(struct exchange_query *q, const struct msg_view *v)
{
	if (q->cookie_len < COOKIE_CLIENT_SIZE || !v->has_cookie || !cookie_len_valid(v->cookie_len) ||
	    v->cookie_len == COOKIE_CLIENT_SIZE ||
	    memcmp(v->cookie, q->cookie, COOKIE_CLIENT_SIZE) != 0)
		return false;
	memcpy(q->cookie + COOKIE_CLIENT_SIZE, v->cookie + COOKIE_CLIENT_SIZE,
	       v->cookie_len - COOKIE_CLIENT_SIZE);
	q->cookie_len = v->cookie_len;
	return true;
}

void exchange_free(struct exchange *ex)
{
	for (size_t i = 0; i < ex->nlegs; i++) {
		free(ex->legs[i].reply);
		ex->legs[i].reply = NULL;
	}
}
