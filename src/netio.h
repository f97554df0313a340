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
	int udp_fd;           /* -1 when closed */
	int tcp_fd;
};

/* Parses a numeric IPv4 or IPv6 address (an IPv6 scope such as fe80::1%eth0 is allowed)
 * with this port into addr. Returns 0, or -EINVAL when text is not a numeric address. */
int netio_addr_parse(struct sockaddr_storage *addr, socklen_t *addr_len, const char *text,
		     uint16_t port);

/* Formats an address as "192.0.2.1:53" or "[2001:db8::1]:53" (always terminated). */
void netio_addr_format(char *buf, size_t len, const struct sockaddr *sa);

/* Creates, configures and binds the UDP and the TCP socket for text:port, both
 * non-blocking; the TCP one listening. On v6 sockets IPV6_V6ONLY lets 0.0.0.0 and ::
 * coexist; wildcard UDP sockets get IP_PKTINFO / IPV6_RECVPKTINFO so answers can leave
 * from the address the query went to (RFC 2181 section 4).
 * Returns 0; or -errno with no socket left open and one line in err naming the
 * transport, address, port and the reason (with a "try -p 5353" hint for EACCES on a
 * privileged port): -EINVAL for an address that does not parse, -EAFNOSUPPORT or
 * -EADDRNOTAVAIL when the host has no such address family or address, -EADDRINUSE,
 * -EACCES, ... */
int netio_listen_open(struct netio_listen *l, const char *text, uint16_t port, char *err,
		      size_t errlen);

/* Closes whichever sockets are open. Safe to call twice. */
void netio_listen_close(struct netio_listen *l);

#endif
