/* SPDX-License-Identifier: BSD-3-Clause */
/* options.h: dualq's dig-style command line, parsed into a struct (no I/O, no exit). */
#ifndef DUALQ_OPTIONS_H
#define DUALQ_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DUALQ_DEFAULT_BUFSIZE 1232  /* DNS Flag Day 2020 */
#define DUALQ_DEFAULT_TIMEOUT_MS 2000
#define DUALQ_DEFAULT_TRIES 3
#define DUALQ_RESOLV_CONF "/etc/resolv.conf"

struct dualq_options {
	const char *server;       /* @SERVER, or NULL for the first resolv.conf nameserver */
	uint16_t port;            /* -p, default 53 */
	int family;               /* AF_UNSPEC, or AF_INET with -4, AF_INET6 with -6 */
	const char *name;         /* NAME as given */
	uint16_t qtype, qclass;   /* default A, IN */
	bool edns;                /* false with +noedns */
	uint16_t bufsize;         /* +bufsize=N, advertised in the OPT record */
	bool tcp_only;            /* +tcp */
	bool ignore_tc;           /* +ignore: UDP only, no retry */
	bool compare;             /* +compare: ask over TCP too and compare RRsets */
	bool nsid;                /* +nsid (RFC 5001) */
	bool dnssec;              /* +dnssec: DO bit (RFC 3225) */
	unsigned timeout_ms;      /* +timeout=S, per try */
	unsigned tries;           /* +tries=N, UDP tries */
	bool json;                /* +json */
	bool short_out;           /* +short */
	bool help;                /* -h, --help */
	bool version;             /* -v, --version */
};

/* Sets every field to its default. */
void options_init(struct dualq_options *opt);

/* Parses argv[1..argc) into *opt (which options_init prepared). Strings in *opt point
 * into argv. Returns 0; -EINVAL with a one-line reason in err (no newline) on a usage
 * error. NAME is required unless help or version was asked for. */
int options_parse(struct dualq_options *opt, char *err, size_t errlen, int argc, char **argv);

struct exchange_query;

/* Fills the question and EDNS settings every leg sends from the options.
 * Returns 0, or -EINVAL when NAME is not a valid domain name. */
int options_query(struct exchange_query *q, const struct dualq_options *opt);

/* Copies the first "nameserver" address of a resolv.conf-format file into buf.
 * Returns 0, -ENOENT when the file has none, -errno when it cannot be read. */
int options_resolv_conf_server(char *buf, size_t buflen, const char *path);

/* The usage text printed for -h and after usage errors. */
extern const char options_usage[];

#endif
