/* SPDX-License-Identifier: BSD-3-Clause */
/* options.h: dualnsd's command line, parsed into a struct without printing or exiting. */
#ifndef DUALNS_OPTIONS_H
#define DUALNS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <getopt.h>

#include "acl.h"
#include "cookie.h"
#include "journal.h"
#include "notify.h"
#include "rrl.h"
#include "tsigkey.h"

#define OPTIONS_MAX_LISTEN 32

/* What main() should do once the command line parsed. */
enum options_action {
	OPTIONS_RUN = 0,     /* serve (or --check) */
	OPTIONS_HELP,        /* print options_usage() and exit 0 */
	OPTIONS_VERSION,     /* print options_version() and exit 0 */
};

struct options {
	enum options_action action;
	uint16_t port;                /* -p: UDP and TCP (default 53) */
	const char *listen[OPTIONS_MAX_LISTEN]; /* -l: numeric addresses, pointing into argv */
	size_t listen_count;
	bool listen_default;          /* no -l given: listen holds "0.0.0.0" and "::" */
	uint16_t udp_size;            /* --udp-size (default 1232) */
	bool check;                   /* --check: load, summarise, exit */
	unsigned verbose;             /* one per -v */
	bool query_log;               /* -q: one line per query */
	unsigned tcp_idle;            /* --tcp-idle: seconds (default 10) */
	unsigned tcp_max;             /* --tcp-max: connections per worker (default 512) */
	unsigned workers;             /* --workers: threads, each with its own sockets (default 1) */
	bool reuseport;               /* --reuseport: SO_REUSEPORT even with one worker */
	const char *nsid;             /* --nsid: text or "auto" (host/pid); NULL: no NSID */
	const char *identity;         /* --identity: id.server text (default: host name) */
	bool hide_identity;           /* --hide-identity: id.server, hostname.bind REFUSED */
	bool hide_version;            /* --hide-version: version.server, version.bind REFUSED */
	unsigned force_tc;            /* --force-tc[=N]: every Nth UDP answer empty, TC=1; 0: off */
	bool syslog;                  /* --syslog: log to syslog (the journal) */
	char **zones;                 /* [ORIGIN=]ZONEFILE and DIR arguments, pointing into argv */
	size_t zone_count;
	bool port_given;              /* -p was given (sockets passed by systemd override it) */
	const char *user;             /* -u: drop to this user after binding, or NULL */
	const char *chroot_dir;       /* --chroot: confine to this folder, or NULL */
	struct cookie_secrets cookie_secrets; /* --cookie-secret, in order; count 0: none given */
	const char *cookie_secret_file; /* --cookie-secret-file, or NULL */
	bool require_cookie;          /* --require-cookie: BADCOOKIE over UDP without a valid one */
	/* --rrl-rate, --rrl-slip, --rrl-ipv4-prefix, --rrl-ipv6-prefix, --rrl-exempt,
	 * --rrl-log-only, --rrl-size; rrl.rate 0: off. */
	struct rrl_config rrl;
	/* --ixfr-depth, --ixfr-size: each zone's journal of differences (journal.h). */
	struct journal_limits ixfr;
	/* --also-notify, in order: NOTIFY targets for every zone (notify.h). */
	struct notify_target also_notify[NOTIFY_MAX_TARGETS];
	size_t also_notify_count;
	unsigned notify_retry;        /* --notify-retry: seconds between sends (default 15) */
	unsigned notify_tries;        /* --notify-tries: sends before giving up (default 5) */
	/* --key NAME:ALG:SECRET, repeatable (RFC 8945); NULL: none. Owned by the options
	 * until main() hands it to the db; options_free() drops it. */
	struct tsig_keyring *keys;
	struct acl allow_transfer;    /* --allow-transfer, in order; count 0: nobody */
	const char *config;           /* -c: the configuration file (dualnsd.conf(5)), or NULL */
	const char *xdp;              /* --xdp: the interface of the AF_XDP path, or NULL */
};

#define OPTIONS_DEFAULT_PORT     53
#define OPTIONS_DEFAULT_TCP_IDLE 10
#define OPTIONS_DEFAULT_TCP_MAX  512
#define OPTIONS_DEFAULT_WORKERS  1

/* The accepted ranges (the lower bound is 1 unless said otherwise). */
#define OPTIONS_MAX_PORT         65535
#define OPTIONS_MAX_TCP_IDLE     3600    /* seconds */
#define OPTIONS_MAX_TCP_MAX      65536
#define OPTIONS_MAX_WORKERS      64
#define OPTIONS_MAX_FORCE_TC     1000000
#define OPTIONS_MAX_IXFR_DEPTH   1000    /* versions; 0 (no journal) is accepted */
#define OPTIONS_MAX_IXFR_SIZE    4294967295UL /* bytes; 0 is accepted */
/* --nsid: the payload is opaque; 255 bytes is more than any operator needs and keeps the
 * OPT small (RFC 5001 section 2.3). */
#define OPTIONS_MAX_NSID         255
/* --identity: one TXT character-string (RFC 1035 section 3.3.14). */
#define OPTIONS_MAX_IDENTITY     255

/* Parses argv (getopt_long, which may permute argv; argv must outlive o).
 * Returns 0 when the command line is good: o->action says whether to serve (or --check),
 * or to print the help or the version and exit 0. Returns -EINVAL on a bad command line:
 * err holds one line naming the option and, for numbers, the accepted range (main prints
 * it and exits 1). A word an option may have taken by mistake is refused too, with a line
 * saying what to write: digits after a bare --force-tc (N joins only as --force-tc=N), and
 * an --nsid TEXT typed as its own word that ends in .zone or, with no zone argument after
 * it, names an existing file or folder. A --cookie-secret that is not 32 hex digits, a
 * third one, or one given with --cookie-secret-file is refused too. A --key that
 * tsig_keyring_add_spec() refuses (its reason follows "--key: "), or a second key of the
 * same name, is refused; -ENOMEM when out of memory. Call options_free() afterwards,
 * whatever it returned. */
int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);

/* Frees what options_parse() allocated (the keyring, unless main() took it). */
void options_free(struct options *o);
/* getopt_long's tables of the options above, ending with a zeroed entry: the
 * configuration file's server section has a key for every long option (confoptions.h). */
extern const struct option options_long[];
extern const char options_short[];

/* True for an option that may be given more than once, each adding to a list (--listen):
 * in the configuration file it may take a list of values. */
bool options_repeatable(const char *name);

/* True for an option the configuration file must not give (--config, --check, --help,
 * --version): they say what to do with the file, or to do something else. */
bool options_command_line_only(const char *name);

/* The English ordinal suffix of n: "st" for 1, 21, 101, "nd" for 2, "rd" for 3, "th" for
 * 11 to 13 and the rest; for "every 3rd UDP answer". */
const char *options_ordinal_suffix(unsigned long n);

/* The help text, with progname as the command's name. */
void options_usage(FILE *out, const char *progname);

/* One line: the program, package and version. */
void options_version(FILE *out);

#endif
