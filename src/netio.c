/* SPDX-License-Identifier: BSD-3-Clause */
/* netio.c: create and bind the UDP and TCP listening sockets of one address and port. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netio.h"

/* Enough for a burst of clients while the loop is busy; the kernel caps it at somaxconn. */
#define NETIO_TCP_BACKLOG 1024

/* A port number as decimal text: "65535" and the terminating NUL fit. */
#define PORT_TEXT_SIZE 8

/* The MTU every IPv6 link has (RFC 8200 section 5). */
#define IPV6_MIN_MTU 1280

int netio_addr_parse(struct sockaddr_storage *addr, socklen_t *addr_len, const char *text,
		     uint16_t port)
{
	struct addrinfo hints, *res = NULL;
	char service[PORT_TEXT_SIZE];

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	/* Numeric only: a name would need a resolver at startup, and which of its addresses? */
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(service, sizeof(service), "%u", (unsigned)port);
	if (text == NULL || text[0] == '\0' ||
	    getaddrinfo(text, service, &hints, &res) != 0 || res == NULL)
		return -EINVAL;
	if (res->ai_addrlen > sizeof(*addr) ||
	    (res->ai_family != AF_INET && res->ai_family != AF_INET6)) {
		freeaddrinfo(res);
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

void netio_addr_format(char *buf, size_t len, const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, (unsigned)ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, (unsigned)ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, len, "(address family %d)", (int)sa->sa_family);
	}
}

static bool addr_is_wildcard(const struct sockaddr_storage *addr)
{
	if (addr->ss_family == AF_INET)
		return ((const struct sockaddr_in *)addr)->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

static int setsockopt_int(int fd, int level, int name, int value)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return -errno;
	return 0;
}

/* Large UDP answers (--udp-size above 1232) are fragmented by this host at a fixed size
 * instead of following path MTU discovery, which an authoritative server cannot trust:
 * forged ICMP "too big" messages are a known way to make it fragment (NSD does the same).
 * Best effort: an older kernel keeps its default. */
static void udp_set_mtu_policy(int fd, int family)
{
	if (family == AF_INET) {
#if defined(IP_MTU_DISCOVER) && defined(IP_PMTUDISC_OMIT)
		(void)setsockopt_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_OMIT);
#endif
	} else {
#if defined(IPV6_MTU)
		(void)setsockopt_int(fd, IPPROTO_IPV6, IPV6_MTU, IPV6_MIN_MTU);
#endif
	}
}

/* A burst of queries (a resolver farm's retry storm, or a load test's first second)
 * must wait in the socket, not be dropped by it: the default receive buffer holds a few
 * hundred datagrams. 4 MiB as NSD does; SO_RCVBUFFORCE passes net.core.rmem_max when we
 * are root, and otherwise the kernel caps SO_RCVBUF there. Best effort. */
#define UDP_BUFFER_SIZE (4 * 1024 * 1024)
static void udp_set_buffers(int fd)
{
#ifdef SO_RCVBUFFORCE
	if (setsockopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, UDP_BUFFER_SIZE) == 0)
		return;
#endif
	(void)setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, UDP_BUFFER_SIZE);
}

/* Returns a bound, non-blocking socket, or -errno with *step naming what failed. */
static int socket_open(const struct netio_listen *l, int type, const char **step)
{
	int fd, r, family = l->addr.ss_family;

	*step = "create";
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	*step = "configure";
	if (family == AF_INET6) {
		/* Without V6ONLY, :: also takes IPv4 (mapped) and 0.0.0.0 on the same port
		 * then fails with EADDRINUSE; with it the two sockets coexist. */
		r = setsockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
		if (r < 0)
			goto fail;
	}
	if (type == SOCK_STREAM) {
		/* Restart at once while connections of the previous run sit in TIME_WAIT. */
		r = setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
		if (r < 0)
			goto fail;
	} else if (l->wildcard) {
		/* Learn each query's destination address so the answer leaves from it: a
		 * client checks the source of the reply (RFC 2181 section 4, RFC 5452). */
		if (family == AF_INET)
			r = setsockopt_int(fd, IPPROTO_IP, IP_PKTINFO, 1);
		else
			r = setsockopt_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
		if (r < 0)
			goto fail;
	}
	if (l->reuseport) {
		/* Must be set on every socket of the group before bind(); Linux then also
		 * requires the same effective user for all of them (socket(7)). */
		r = setsockopt_int(fd, SOL_SOCKET, SO_REUSEPORT, 1);
		if (r < 0)
			goto fail;
	}
	if (type == SOCK_DGRAM) {
		udp_set_mtu_policy(fd, family);
		udp_set_buffers(fd);
	}
	*step = "bind";
	if (bind(fd, (const struct sockaddr *)&l->addr, l->addr_len) < 0) {
		r = -errno;
		goto fail;
	}
	if (type == SOCK_STREAM) {
		*step = "listen on";
		if (listen(fd, NETIO_TCP_BACKLOG) < 0) {
			r = -errno;
			goto fail;
		}
	}
	return fd;
fail:
	close(fd);
	return r;
}

static void format_error(char *err, size_t errlen, const char *proto, const char *step,
			 const struct netio_listen *l, int r)
{
	const char *hint = "";

	if (r == -EACCES && l->port < IPPORT_RESERVED)
		hint = " (ports under 1024 need root or CAP_NET_BIND_SERVICE: try -p 5353)";
	else if (r == -EADDRINUSE && !l->reuseport)
		hint = " (is another server running there? two servers share a port only if "
		       "both run with --reuseport)";
	else if (r == -EADDRINUSE)
		hint = " (another server holds it without --reuseport, or runs as another user)";
	snprintf(err, errlen, "cannot %s %s socket on %s port %u: %s%s", step, proto, l->text,
		 (unsigned)l->port, strerror(-r), hint);
}

int netio_listen_open(struct netio_listen *l, const char *text, uint16_t port,
		      unsigned flags, char *err, size_t errlen)
{
	const char *step;
	int r;

	memset(l, 0, sizeof(*l));
	l->udp_fd = -1;
	l->tcp_fd = -1;
	l->text = text;
	l->port = port;
	if (netio_addr_parse(&l->addr, &l->addr_len, text, port) < 0) {
		snprintf(err, errlen, "'%s' is not a numeric IPv4 or IPv6 address", text);
		return -EINVAL;
	}
	l->wildcard = addr_is_wildcard(&l->addr);
	l->reuseport = (flags & NETIO_REUSEPORT) != 0;

	r = socket_open(l, SOCK_DGRAM, &step);
	if (r < 0) {
		format_error(err, errlen, "UDP", step, l, r);
		return r;
	}
	l->udp_fd = r;
	r = socket_open(l, SOCK_STREAM, &step);
	if (r < 0) {
		format_error(err, errlen, "TCP", step, l, r);
		netio_listen_close(l);
		return r;
	}
	l->tcp_fd = r;
	return 0;
}

void netio_listen_close(struct netio_listen *l)
{
	if (l->udp_fd >= 0)
		close(l->udp_fd);
	if (l->tcp_fd >= 0)
		close(l->tcp_fd);
	l->udp_fd = -1;
	l->tcp_fd = -1;
}

int netio_listen_check_free(const char *text, uint16_t port, char *err, size_t errlen)
{
	struct netio_listen probe;
	int r;

	r = netio_listen_open(&probe, text, port, 0, err, errlen);
	if (r == 0)
		netio_listen_close(&probe);
	return r;
}

int netio_udp_withdraw(struct netio_listen *l)
{
	struct sockaddr_storage self;
	socklen_t self_len = sizeof(self);

	if (l->udp_fd < 0)
		return -EBADF;
	if (l->adopted)
		return -EBUSY;
	/* The kernel's SO_REUSEPORT selection for UDP skips connected sockets, and connect()
	 * keeps the datagrams already queued (tests/scale/reuseport.sh checks both). So the
	 * socket is connected to a peer that never sends: itself. A wildcard socket has no
	 * address of its own to name, so loopback stands in for it. */
	if (getsockname(l->udp_fd, (struct sockaddr *)&self, &self_len) < 0)
		return -errno;
	if (self.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&self;

		if (sin->sin_addr.s_addr == htonl(INADDR_ANY))
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else if (self.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&self;

		if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr))
			sin6->sin6_addr = in6addr_loopback;
	}
	if (connect(l->udp_fd, (const struct sockaddr *)&self, self_len) < 0)
		return -errno;
	return 0;
}

static int getsockopt_int(int fd, int level, int name, int *value)
{
	socklen_t len = sizeof(*value);

	if (getsockopt(fd, level, name, value, &len) < 0)
		return -errno;
	return 0;
}

int netio_listen_adopt(struct netio_listen *l, int fd, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	socklen_t addr_len = sizeof(addr);
	char text[NETIO_ADDRSTRLEN];
	int type, listening, flags, r;

	if (getsockopt_int(fd, SOL_SOCKET, SO_TYPE, &type) < 0) {
		r = -errno;
		snprintf(err, errlen, "descriptor %d passed by systemd: not a socket: %s", fd,
			 strerror(-r));
		return -ENOTSOCK;
	}
	if (getsockname(fd, (struct sockaddr *)&addr, &addr_len) < 0) {
		r = -errno;
		snprintf(err, errlen, "descriptor %d passed by systemd: getsockname: %s", fd,
			 strerror(-r));
		return r;
	}
	if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) {
		snprintf(err, errlen, "descriptor %d passed by systemd: not an IPv4 or IPv6 "
			 "socket (address family %d): use ListenDatagram= and ListenStream= with "
			 "an address and port", fd, (int)addr.ss_family);
		return -EAFNOSUPPORT;
	}
	netio_addr_format(text, sizeof(text), (const struct sockaddr *)&addr);
	if (type != SOCK_DGRAM && type != SOCK_STREAM) {
		snprintf(err, errlen, "descriptor %d passed by systemd (%s): neither UDP nor TCP",
			 fd, text);
		return -EPROTOTYPE;
	}
	if (type == SOCK_STREAM &&
	    (getsockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening) < 0 || !listening)) {
		snprintf(err, errlen, "descriptor %d passed by systemd (%s): a TCP socket that "
			 "is not listening (Accept=yes is not supported)", fd, text);
		return -EINVAL;
	}
	/* Same address and the other transport: the pair of one listen address. */
	if (l->udp_fd >= 0 || l->tcp_fd >= 0) {
		if (l->addr_len != addr_len || memcmp(&l->addr, &addr, addr_len) != 0 ||
		    (type == SOCK_DGRAM ? l->udp_fd : l->tcp_fd) >= 0)
			return 1;
	} else {
		memset(l, 0, sizeof(*l));
		l->udp_fd = l->tcp_fd = -1;
		l->addr = addr;
		l->addr_len = addr_len;
		l->port = ntohs(addr.ss_family == AF_INET ?
				((const struct sockaddr_in *)&addr)->sin_port :
				((const struct sockaddr_in6 *)&addr)->sin6_port);
		l->wildcard = addr_is_wildcard(&addr);
		l->adopted = true;
		/* The kernel only lets others join the port when the socket has the option. */
		if (getsockopt_int(fd, SOL_SOCKET, SO_REUSEPORT, &r) == 0 && r)
			l->reuseport = true;
	}
	/* systemd passes blocking sockets; one blocking read would stall a whole worker. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(err, errlen, "descriptor %d passed by systemd (%s): cannot make it "
			 "non-blocking: %s", fd, text, strerror(-r));
		return r;
	}
	if (type == SOCK_DGRAM && l->wildcard) {
		r = addr.ss_family == AF_INET ? setsockopt_int(fd, IPPROTO_IP, IP_PKTINFO, 1) :
			setsockopt_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
		if (r < 0) {
			snprintf(err, errlen, "descriptor %d passed by systemd (%s): cannot ask "
				 "for PKTINFO: %s", fd, text, strerror(-r));
			return r;
		}
	}
	if (type == SOCK_DGRAM) {
		udp_set_mtu_policy(fd, addr.ss_family);
		l->udp_fd = fd;
	} else {
		l->tcp_fd = fd;
	}
	return 0;
}
