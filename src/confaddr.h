/* SPDX-License-Identifier: BSD-3-Clause */
/* confaddr.h: the addresses of the configuration file, written as Knot DNS accepts them:
 * ADDR[@PORT] for a remote; ADDR, ADDR/LEN or ADDR1-ADDR2 for an ACL. */
#ifndef DUALNS_CONFADDR_H
#define DUALNS_CONFADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* One ACL address entry: a prefix (an address is a prefix of full length) or a range of
 * addresses, first to last, both of one family. */
struct confaddr_match {
	int family;                   /* AF_INET or AF_INET6 */
	uint8_t addr[16];             /* network byte order; 4 bytes used for AF_INET */
	unsigned prefix;              /* prefix length; the full length for a range */
	bool range;
	uint8_t last[16];             /* range: the last address */
};

/* Parses "ADDR" or "ADDR@PORT" (IPv4 or IPv6, port 53 when not given, 1..65535) into
 * addr. Returns 0, or -EINVAL. */
int confaddr_parse_remote(struct sockaddr_storage *addr, const char *text);

/* Parses "ADDR", "ADDR/LEN" (bits past LEN must be zero, as Knot wants) or "ADDR1-ADDR2"
 * (one family, ADDR1 <= ADDR2) into m. Returns 0, or -EINVAL. */
int confaddr_parse_match(struct confaddr_match *m, const char *text);

/* True when addr (a sockaddr_in or sockaddr_in6) is one m matches. */
bool confaddr_matches(const struct confaddr_match *m, const struct sockaddr *addr);

#endif
