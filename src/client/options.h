/* SPDX-License-Identifier: BSD-3-Clause */
/* options.h: dualq's dig-style command line, parsed into a struct (no I/O, no exit). */
#ifndef DUALQ_OPTIONS_H
#define DUALQ_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/cookie.h"

#define DUALQ_DEFAULT_BUFSIZE 1232  /* DNS Flag Day 2020 */
#define DUALQ_DEFAULT_TIMEOUT_MS 2000
#define DUALQ_DEFAULT_TRIES 3
#define DUALQ_RESOLV_CONF "/etc/resolv.conf"
/* Room for @SERVER's name or address: a name's presentation text is at most 253
 * characters, an IPv6 address with a scope far less. */
#define DUALQ_SERVER_MAX 256

struct dualq_options {
	char server[DUALQ_SERVER_MAX]; /* @SERVER without brackets or port; "" for the first
				    * resolv.conf nameserver */
	uint16_t port;            /* -p or the port of @SERVER, the last given; default 53 */
	int family;               /* AF_UNSPEC, or AF_INET with -4, AF_INET6 with -6 */
	const char *source;       /* -b ADDR: the numeric local address to send from, or NULL */
	const char *name;         /* NAME as given */
	uint16_t qtype, qclass;   /* default A, IN */
	bool edns;                /* false with +noedns */
	uint16_t bufsize;         /* +bufsize=N, advertised in the OPT record */
	bool tcp_only;            /* +tcp */
	bool ignore_tc;           /* +ignore: UDP only, no retry */
	bool compare;             /* +compare: ask over TCP too and compare RRsets */
	bool nsid;                /* +nsid (RFC 5001) */
	bool dnssec;              /* +dnssec: DO bit (RFC 3225) */
	bool validate;            /* +validate: check the signatures (implies dnssec) */
	const char *anchor;       /* +anchor=FILE: DS or DNSKEY records to start from, or NULL */
	bool cookie;              /* +cookie[=HEX]: a COOKIE option (RFC 7873) */
	uint8_t cookie_bytes[COOKIE_MAX]; /* +cookie=HEX as given... */
	size_t cookie_len;        /* ...and its length; 0: a random client cookie */
	unsigned timeout_ms;      /* +timeout=S, per try */
	unsigned tries;           /* +tries=N, UDP tries */
	bool json;                /* +json */
	bool short_out;           /* +short */
	bool help;                /* -h, --help */
	bool version;             /* -V, -v, --version */
};

/* Sets every field to its default. */
void options_init(struct dualq_options *opt);

/* Parses argv[1..argc) into *opt (which options_init prepared), options and words in
 * any order. A word that spells a type is the type, one that spells a class the class,
 * as in dig; the one word left is NAME. Strings in *opt but server point into argv.
 * Returns 0; -EINVAL with a one-line reason in err (no newline) on a usage error,
 * including -4 or -6 against a server address of the other family. NAME is required
 * unless help or version was asked for. */
int options_parse(struct dualq_options *opt, char *err, size_t errlen, int argc, char **argv);

/* Does a numeric server address agree with -4/-6 (family AF_INET, AF_INET6 or
 * AF_UNSPEC)? A name always does: its addresses are looked up in the family asked for.
 * from follows the address in the message (for example " (from /etc/resolv.conf)").
 * Returns 0, or -EINVAL with the reason in err. */
int options_check_family(char *err, size_t errlen, const char *server, int family, const char *from);

struct exchange_query;

/* Fills the question and EDNS settings every leg sends from the options; with +cookie
 * and no HEX a random client cookie. Returns 0, -EINVAL when NAME is not a valid domain
 * name, or the -errno of the random source. */
int options_query(struct exchange_query *q, const struct dualq_options *opt);

/* Copies the first "nameserver" address of a resolv.conf-format file into buf.
 * Returns 0, -ENOENT when the file has none, -errno when it cannot be read. */
int options_resolv_conf_server(char *buf, size_t buflen, const char *path);

/* The usage text printed for -h and after usage errors. */
extern const char options_usage[];

#endif
