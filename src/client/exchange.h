/* SPDX-License-Identifier: BSD-3-Clause */
/* exchange.h: dualq's two legs: a UDP query on a connected socket, then TCP to the same port. */
#ifndef DUALQ_EXCHANGE_H
#define DUALQ_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "client/cookie.h"
#include "client/msg.h"

#define EXCHANGE_MAX_TRIES 20
#define EXCHANGE_QUERY_MAX 512
/* How long a UDP try goes on listening after an ICMP port unreachable, for a real reply. */
#define EXCHANGE_ICMP_GRACE_MS 250

/* The question and EDNS settings every leg sends. */
struct exchange_query {
	uint8_t qname[DNS_MAX_NAME];  /* uncompressed wire form */
	size_t qname_len;
	uint16_t qtype, qclass;
	bool edns;                    /* add an OPT record (RFC 6891) */
	uint16_t bufsize;             /* its UDP payload size */
	bool dnssec;                  /* DO bit (RFC 3225) */
	bool nsid;                    /* empty NSID option (RFC 5001 section 2.1) */
	uint8_t cookie[COOKIE_MAX];   /* COOKIE option (RFC 7873 section 4): client cookie, */
	size_t cookie_len;            /* then the server's, if known; 0 sends none */
};

/* One UDP try: which source port, which ID, and how it ended. */
struct exchange_try {
	struct sockaddr_storage local;
	uint16_t id;
	int err;                      /* 0 answered, -ETIMEDOUT, -ECONNREFUSED, other -errno */
};

/* One leg: one transport, one accepted reply (or an error). */
struct leg {
	bool tcp;
	struct sockaddr_storage local, remote;
	uint8_t query[EXCHANGE_QUERY_MAX];
	size_t query_len;
	uint16_t id;
	uint8_t *reply;               /* owned; freed by exchange_free */
	size_t reply_len;             /* the DNS message, without TCP's length prefix */
	size_t bytes_sent, bytes_received;  /* on the socket, TCP length prefix included */
	double rtt_ms, connect_ms;    /* connect_ms is TCP only */
	unsigned timeout_ms;          /* the time allowed per try (TCP: to connect, then to answer) */
	bool connected;               /* TCP: the connection was established */
	unsigned ntries;              /* UDP tries made */
	struct exchange_try tries[EXCHANGE_MAX_TRIES];
	unsigned mismatched;          /* replies that failed the RFC 5452 match */
	char mismatch_why[96];        /* why the first of them was refused */
	unsigned icmp_refused;        /* ICMP port unreachables seen on the UDP tries */
	int err;                      /* 0 when a reply was accepted, else -errno */
	const char *err_stage;        /* "connect", "send", "receive", "socket" */
	bool badcookie_retry;         /* UDP sent again with the server cookie of a BADCOOKIE
				       * reply (RFC 7873 section 5.3) */
};

/* Why a TCP leg followed: TC, +tcp, +compare, or BADCOOKIE again after the retry with a
 * fresh server cookie (RFC 7873 section 5.3). */
enum exchange_why_tcp { EXCHANGE_TCP_NONE, EXCHANGE_TCP_TC, EXCHANGE_TCP_ONLY, EXCHANGE_TCP_COMPARE,
			EXCHANGE_TCP_BADCOOKIE };

/* At most: UDP, UDP again after BADCOOKIE, TCP. */
#define EXCHANGE_MAX_LEGS 3

struct exchange {
	struct exchange_query q;
	struct sockaddr_storage server;
	socklen_t server_len;
	struct sockaddr_storage source; /* -b: every leg's sockets bind here first (port 0) */
	socklen_t source_len;           /* 0: the kernel chooses the local address */
	struct leg legs[EXCHANGE_MAX_LEGS];
	size_t nlegs;
	enum exchange_why_tcp why_tcp;
};

/* Builds a query in buf. Returns its length, or -ENOSPC. */
int exchange_build_query(uint8_t *buf, size_t buflen, uint16_t id, const struct exchange_query *q);

/* Text name ("www.example.com", trailing dot optional) to wire form.
 * Returns the wire length, or -EINVAL for an empty label, a label over 63 or a name over 255. */
int exchange_name_from_str(uint8_t *out, size_t outlen, const char *name);

/* Does reply answer query by RFC 5452 section 9.1: QR set, same ID, same question
 * (qname compared without regard to case)? A reply with an error RCODE and no question
 * is accepted too, since RFC 1035 does not make servers copy it there.
 * Returns true, or false with the reason in why. */
bool exchange_reply_matches(char *why, size_t whylen, const uint8_t *query, size_t query_len,
			    const uint8_t *reply, size_t reply_len);

/* Sets the local address every leg sends from to addr (numeric), which must be of the
 * server's family (exchange_resolve() first). Returns 0; -EINVAL when addr is not a
 * numeric address, -EAFNOSUPPORT when its family is not the server's. */
int exchange_set_source(struct exchange *ex, const char *addr);

/* Resolves server (name or address) to its first address of the family.
 * Returns 0, or -EHOSTUNREACH with the resolver's message in err. */
int exchange_resolve(struct sockaddr_storage *out, socklen_t *outlen, char *err, size_t errlen,
		     const char *server, uint16_t port, int family);

/* UDP on a connected socket, a fresh socket (source port) and random ID each try.
 * Returns 0 when a reply was accepted, else leg->err. */
int exchange_udp(struct leg *leg, const struct exchange *ex, unsigned timeout_ms, unsigned tries);

/* One TCP connection to the same address and port; a new ID; the length prefix and the
 * message in one write; the reply read whole (RFC 7766 section 8). Returns 0 or leg->err. */
int exchange_tcp(struct leg *leg, const struct exchange *ex, unsigned timeout_ms);

/* Is ss an address with a port: one the kernel gave a socket, or the server's? A socket
 * that never got one (it failed first) has none. */
bool exchange_addr_known(const struct sockaddr_storage *ss);

/* Room for exchange_addr_str's text: "[", an IPv6 address with a scope, "]:", a port. */
#define EXCHANGE_ADDR_STR_MAX 64

/* Formats "ip:port" ("[ip]:port" for IPv6), or "-" when the address is not known. */
void exchange_addr_str(char *buf, size_t buflen, const struct sockaddr_storage *ss);

/* The reply v to a query with a cookie: when its COOKIE echoes the client cookie q sent and
 * carries a server cookie of a valid length, q keeps that server cookie for the legs that
 * follow (RFC 7873 section 5.3: the client caches it, even from an error reply). Returns
 * true when it did. */
bool exchange_learn_cookie(struct exchange_query *q, const struct msg_view *v);

/* Frees the replies. */
void exchange_free(struct exchange *ex);

#endif
