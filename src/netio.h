/* SPDX-License-Identifier: BSD-3-Clause */
/* netio.h: listening sockets: one UDP and one TCP socket bound to the same address and port. */
#ifndef DUALNS_NETIO_H
#define DUALNS_NETIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Room for "[ffff:...:ffff%ifname]:65535". */
#define NETIO_ADDRSTRLEN 80

/* One listen address: its two sockets share the port number but not a port space
 * (UDP and TCP ports are separate, so the binds never conflict). */
struct netio_listen {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	const char *text;     /* the address as given, for messages */
	uint16_t port;
	bool wildcard;        /* 0.0.0.0 or ::: answers need an explicit source address */
	bool reuseport;       /* bound with SO_REUSEPORT: other sockets may share the port */
	int udp_fd;           /* -1 when closed */
	int tcp_fd;
	/* Passed by systemd (netio_listen_adopt): systemd keeps its own copy and hands it to
	 * the next dualnsd, so the socket must leave this process as it came in. */
	bool adopted;
};

/* Parses a numeric IPv4 or IPv6 address (an IPv6 scope such as fe80::1%eth0 is allowed)
 * with this port into addr. Returns 0, or -EINVAL when text is not a numeric address. */
int netio_addr_parse(struct sockaddr_storage *addr, socklen_t *addr_len, const char *text,
		     uint16_t port);

/* Formats an address as "192.0.2.1:53" or "[2001:db8::1]:53" (always terminated). */
void netio_addr_format(char *buf, size_t len, const struct sockaddr *sa);

/* Flags for netio_listen_open(). */
enum netio_flags {
	/* SO_REUSEPORT on both sockets: other sockets with the option, of this process (the
	 * workers) or of another one run by the same user, may bind the same address and
	 * port, and the kernel spreads clients between them by a hash of the 4-tuple. */
	NETIO_REUSEPORT = 1,
};

/* Creates, configures and binds the UDP and the TCP socket for text:port, both
 * non-blocking; the TCP one listening. On v6 sockets IPV6_V6ONLY lets 0.0.0.0 and ::
 * coexist; wildcard UDP sockets get IP_PKTINFO / IPV6_RECVPKTINFO so answers can leave
 * from the address the query went to (RFC 2181 section 4).
 * Returns 0; or -errno with no socket left open and one line in err naming the
 * transport, address, port and the reason (with a "try -p 5353" hint for EACCES on a
 * privileged port, and one about --reuseport for EADDRINUSE): -EINVAL for an address
 * that does not parse, -EAFNOSUPPORT or -EADDRNOTAVAIL when the host has no such address
 * family or address, -EADDRINUSE, -EACCES, ... */
int netio_listen_open(struct netio_listen *l, const char *text, uint16_t port,
		      unsigned flags, char *err, size_t errlen);

/* Checks that no other socket holds text:port, UDP or TCP, by binding both without
 * SO_REUSEPORT and closing them again. Workers bind with SO_REUSEPORT among themselves;
 * without this check a second server started with several workers would silently join
 * the first one's sockets instead of failing. Returns 0, or -errno with err as for
 * netio_listen_open(). */
int netio_listen_check_free(const char *text, uint16_t port, char *err, size_t errlen);

/* Takes the UDP socket out of the kernel's SO_REUSEPORT selection while keeping what it
 * has queued: the caller then reads and answers the rest and closes it, and no datagram
 * is lost when another process shares the port. Returns 0 or -errno; -EBUSY for a socket
 * systemd passed: it stays bound in systemd, queued datagrams wait there for the next
 * dualnsd, and connecting it would break it for that one. */
int netio_udp_withdraw(struct netio_listen *l);

/* Takes fd, a socket passed by systemd (sdnotify_listen_fds), into l: a UDP socket, or
 * a listening TCP one, of IPv4 or IPv6; its address from getsockname(). An l that
 * already holds the other transport on the same address takes it as its second socket;
 * a fresh l must be zeroed with its fds at -1 (or come from a previous call). Makes the
 * socket non-blocking and, as netio_listen_open() does, gives UDP ones the fragmentation
 * policy and, when wildcard, asks for each datagram's destination address (PKTINFO); it
 * changes nothing else (systemd set the rest: SO_REUSEADDR, V6ONLY as BindIPv6Only= says).
 * Returns 0; 1 when fd does not belong in l (another address, or l has that transport
 * already): try another l; or -errno with one line in err naming the descriptor:
 * -ENOTSOCK, -EAFNOSUPPORT (not IPv4/IPv6), -EPROTOTYPE (neither UDP nor TCP),
 * -EINVAL (a TCP socket not listening). */
int netio_listen_adopt(struct netio_listen *l, int fd, char *err, size_t errlen);

/* Closes whichever sockets are open. Safe to call twice. */
void netio_listen_close(struct netio_listen *l);

#endif
