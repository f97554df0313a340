/* SPDX-License-Identifier: BSD-3-Clause */
/* options.c: dualnsd's command line (the options of dualnsd(8)), parsed with getopt_long. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cookiesecret.h"
#include "dns.h"
#include "netio.h"
#include "options.h"

/* getopt_long values of the long-only options: above every short option's character. */
enum {
	OPT_UDP_SIZE = 256,
	OPT_CHECK,
	OPT_TCP_IDLE,
	OPT_TCP_MAX,
	OPT_WORKERS,
	OPT_REUSEPORT,
	OPT_NSID,
	OPT_IDENTITY,
	OPT_HIDE_IDENTITY,
	OPT_HIDE_VERSION,
	OPT_FORCE_TC,
	OPT_SYSLOG,
	OPT_CHROOT,
	OPT_COOKIE_SECRET,
	OPT_COOKIE_SECRET_FILE,
	OPT_REQUIRE_COOKIE,
	OPT_RRL_RATE,
	OPT_RRL_SLIP,
	OPT_RRL_IPV4_PREFIX,
	OPT_RRL_IPV6_PREFIX,
	OPT_RRL_EXEMPT,
	OPT_RRL_LOG_ONLY,
	OPT_RRL_SIZE,
	OPT_IXFR_DEPTH,
	OPT_IXFR_SIZE,
	OPT_ALSO_NOTIFY,
	OPT_NOTIFY_RETRY,
	OPT_NOTIFY_TRIES,
	OPT_KEY,
	OPT_ALLOW_TRANSFER,
	OPT_XDP,
};

const struct option options_long[] = {
	{ "port",      required_argument, NULL, 'p' },
	{ "listen",    required_argument, NULL, 'l' },
	{ "udp-size",  required_argument, NULL, OPT_UDP_SIZE },
	{ "check",     no_argument,       NULL, OPT_CHECK },
	{ "verbose",   no_argument,       NULL, 'v' },
	{ "query-log", no_argument,       NULL, 'q' },
	{ "tcp-idle",  required_argument, NULL, OPT_TCP_IDLE },
	{ "tcp-max",   required_argument, NULL, OPT_TCP_MAX },
	{ "workers",   required_argument, NULL, OPT_WORKERS },
	{ "reuseport", no_argument,       NULL, OPT_REUSEPORT },
	{ "nsid",      required_argument, NULL, OPT_NSID },
	{ "identity",  required_argument, NULL, OPT_IDENTITY },
	{ "hide-identity", no_argument,   NULL, OPT_HIDE_IDENTITY },
	{ "hide-version", no_argument,    NULL, OPT_HIDE_VERSION },
	{ "force-tc",  optional_argument, NULL, OPT_FORCE_TC },
	{ "syslog",    no_argument,       NULL, OPT_SYSLOG },
	{ "version",   no_argument,       NULL, 'V' },
	{ "help",      no_argument,       NULL, 'h' },
	{ "user",      required_argument, NULL, 'u' },
	{ "chroot",    required_argument, NULL, OPT_CHROOT },
	{ "cookie-secret", required_argument, NULL, OPT_COOKIE_SECRET },
	{ "cookie-secret-file", required_argument, NULL, OPT_COOKIE_SECRET_FILE },
	{ "require-cookie", no_argument,  NULL, OPT_REQUIRE_COOKIE },
	{ "rrl-rate",  required_argument, NULL, OPT_RRL_RATE },
	{ "rrl-slip",  required_argument, NULL, OPT_RRL_SLIP },
	{ "rrl-ipv4-prefix", required_argument, NULL, OPT_RRL_IPV4_PREFIX },
	{ "rrl-ipv6-prefix", required_argument, NULL, OPT_RRL_IPV6_PREFIX },
	{ "rrl-exempt", required_argument, NULL, OPT_RRL_EXEMPT },
	{ "rrl-log-only", no_argument,    NULL, OPT_RRL_LOG_ONLY },
	{ "rrl-size",  required_argument, NULL, OPT_RRL_SIZE },
	{ "ixfr-depth", required_argument, NULL, OPT_IXFR_DEPTH },
	{ "ixfr-size", required_argument, NULL, OPT_IXFR_SIZE },
	{ "also-notify", required_argument, NULL, OPT_ALSO_NOTIFY },
	{ "notify-retry", required_argument, NULL, OPT_NOTIFY_RETRY },
	{ "notify-tries", required_argument, NULL, OPT_NOTIFY_TRIES },
	{ "key",       required_argument, NULL, OPT_KEY },
	{ "allow-transfer", required_argument, NULL, OPT_ALLOW_TRANSFER },
	{ "xdp",       required_argument, NULL, OPT_XDP },
	{ "config",    required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

const char options_short[] = ":p:l:vqVhu:c:";

/* The options that may be given more than once, each time adding to a list. */
static const char *const repeatable[] = { "listen", "cookie-secret", "rrl-exempt", "key",
					    "also-notify", "allow-transfer", NULL };

/* The options that only make sense on the command line: what to do with the file, or
 * instead of serving. */
static const char *const command_line_only[] = { "config", "check", "help", "version", NULL };

static bool name_listed(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

bool options_repeatable(const char *name)
{
	return name_listed(repeatable, name);
}

bool options_command_line_only(const char *name)
{
	return name_listed(command_line_only, name);
}

/* Without -l: every IPv4 and every IPv6 address, on separate sockets (netio.h). */
static const char *const default_listen[] = { "0.0.0.0", "::" };

/* Room for an option's name as typed ("--hide-identity"), for error lines; a longer
 * unknown one is cut. */
#define OPTION_NAME_SIZE 64
/* Room for why an --also-notify target does not parse (notify_target_parse). */
#define OPTIONS_TARGET_ERR 512

void options_usage(FILE *out, const char *progname)
{
	fprintf(out,
		"Usage: %s [OPTIONS] [[ORIGIN=]ZONEFILE | DIR]...\n"
		"Authoritative DNS server answering on UDP and TCP on the same port.\n"
		"\n"
		"  -p, --port N        port for both UDP and TCP (default 53)\n"
		"  -l, --listen ADDR   address to bind, repeatable (default: 0.0.0.0 and ::)\n"
		"      --udp-size N    largest UDP answer with EDNS (default 1232; 512..65535)\n"
		"      --tcp-idle S    close idle TCP connections after S seconds (default 10; 1..3600)\n"
		"      --tcp-max N     TCP connections at once per worker; when full the longest idle\n"
		"                      one is closed to make room (default 512; 1..65536)\n"
		"      --workers N     threads, each with its own UDP and TCP sockets on the port\n"
		"                      (SO_REUSEPORT); 'auto' = one per online CPU (default 1; 1..64)\n"
		"      --reuseport     let other processes bind the same address and port too\n"
		"                      (SO_REUSEPORT), for a restart without downtime\n"
		"      --nsid TEXT     answer NSID (RFC 5001) with TEXT; 'auto' = host name/pid\n"
		"      --identity TEXT CH TXT id.server and hostname.bind (default: host name)\n"
		"      --hide-identity REFUSED for id.server and hostname.bind\n"
		"      --hide-version  REFUSED for version.server and version.bind\n"
		"      --force-tc[=N]  answer every (or every Nth) UDP query empty with TC=1\n"
		"                      (write --force-tc=N: a word after --force-tc is a zone)\n"
		"      --rrl-rate N    UDP answers per second per client /24 (or /56), answer class\n"
		"                      and name; over it answers slip or are dropped (default 200;\n"
		"                      0 = off; 0..1000000)\n"
		"      --rrl-slip N    over the rate every Nth answer goes out empty with TC=1, the\n"
		"                      rest are dropped (default 2; 0 = drop all, 1 = slip all; 0..100)\n"
		"      --rrl-ipv4-prefix N, --rrl-ipv6-prefix N\n"
		"                      client prefix of a bucket (default 24 and 56)\n"
		"      --rrl-exempt PREFIX  ADDRESS or ADDRESS/LEN never limited, repeatable\n"
		"      --rrl-log-only  count and log what would be limited, send every answer\n"
		"      --rrl-size N    buckets in the table, rounded up to a power of two\n"
		"                      (default 1048576, 8 bytes each; 1..67108864)\n"
		"      --ixfr-depth N  earlier versions of each zone whose difference to the\n"
		"                      current one is kept for IXFR (default 20; 0 = none; 0..1000)\n"
		"      --ixfr-size BYTES  at most this much for a zone's differences; the oldest\n"
		"                      go first (default 16777216; 0..4294967295)\n"
		"      --also-notify ADDR[@PORT][:KEY]  send NOTIFY (RFC 1996) for every zone to\n"
		"                      ADDR (port 53 by default) at start and when a reload\n"
		"                      changes its serial; repeatable (IPv6 with a key:\n"
		"                      [ADDR]:KEY or ADDR@PORT:KEY)\n"
		"      --notify-retry S  seconds between NOTIFY sends (default 15; 1..3600)\n"
		"      --notify-tries N  NOTIFY sends before giving up (default 5; 1..100)\n"
		"      --allow-transfer PREFIX[:KEY]  clients in PREFIX (ADDRESS or ADDRESS/LEN)\n"
		"                      may transfer every zone (AXFR, IXFR); with :KEY only\n"
		"                      requests signed with that TSIG key; repeatable, first\n"
		"                      match wins (default: nobody; an IPv6 address with a key\n"
		"                      needs its /LEN)\n"
		"      --xdp IFACE     answer UDP queries to the port on IFACE from AF_XDP sockets\n"
		"                      (an XDP program redirects them; TCP and the rest go to the\n"
		"                      kernel as before; needs root or CAP_NET_ADMIN and CAP_BPF)\n"
		"      --check         load and check the zones, print a summary, exit 0, or 1 on errors\n"
		"  -u, --user USER     after binding, run as USER and its groups (needs root)\n"
		"      --chroot DIR    confine to DIR before dropping privileges; zone files must\n"
		"                      be under DIR (needs root)\n"
		"      --cookie-secret HEX  DNS Cookie secret (RFC 9018), 32 hex digits; a second\n"
		"                      one is an older secret still accepted (rollover)\n"
		"      --cookie-secret-file FILE  the same from FILE, one per line, re-read on\n"
		"                      SIGHUP (default: a random secret at start)\n"
		"      --require-cookie  over UDP, BADCOOKIE for a query with a client cookie\n"
		"                      but no valid server cookie (RFC 7873 section 5.2.3)\n"
		"      --key NAME:ALG:SECRET  a TSIG key (RFC 8945): ALG hmac-sha1, hmac-sha224,\n"
		"                      hmac-sha256, hmac-sha384 or hmac-sha512, SECRET in base64;\n"
		"                      repeatable, one per name\n"
		"  -c, --config FILE   read the configuration file FILE (dualnsd.conf(5)); the\n"
		"                      command line wins over it (default, when it exists:\n"
		"                      %s)\n"
		"  -v, --verbose       more logging\n"
		"  -q, --query-log     log one line per query\n"
		"      --syslog        log to syslog (the journal under systemd), not stderr\n"
		"  -V, --version       print the version and exit\n"
		"  -h, --help          print this help and exit\n"
		"\n"
		"A DIR serves each of its *.zone files. With no ZONEFILE or DIR, serves the\n"
		"*.zone files in %s,\n"
		"or when it has none the example zones in %s.\n"
		"SIGHUP loads the zones again and reads the folders again for added and removed\n"
		"files.\n",
		progname, DUALNS_CONFFILE, DUALNS_CONFZONESDIR, DUALNS_ZONESDIR);
}

void options_version(FILE *out)
{
	fprintf(out, "dualnsd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
}

const char *options_ordinal_suffix(unsigned long n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1:
		return "st";
	case 2:
		return "nd";
	case 3:
		return "rd";
	default:
		return "th";
	}
}

/* Parses a decimal number in [min, max]. Returns 0, or -EINVAL with err naming the
 * option and the range. */
static int parse_number(unsigned long *value, const char *arg, const char *name,
			unsigned long min, unsigned long max, char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	errno = 0;
	/* strtoul accepts a sign and leading spaces; a DNS operator means digits only. */
	if (arg[0] < '0' || arg[0] > '9')
		goto bad;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		goto bad;
	*value = v;
	return 0;
bad:
	snprintf(err, errlen, "%s: '%s' is not a number from %lu to %lu", name, arg, min, max);
	return -EINVAL;
}

static void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->action = OPTIONS_RUN;
	o->port = OPTIONS_DEFAULT_PORT;
	o->udp_size = DNS_UDP_DEFAULT;
	o->tcp_idle = OPTIONS_DEFAULT_TCP_IDLE;
	o->tcp_max = OPTIONS_DEFAULT_TCP_MAX;
	o->workers = OPTIONS_DEFAULT_WORKERS;
	o->rrl.rate = RRL_DEFAULT_RATE;
	o->rrl.slip = RRL_DEFAULT_SLIP;
	o->rrl.ipv4_prefix = RRL_DEFAULT_IPV4_PREFIX;
	o->rrl.ipv6_prefix = RRL_DEFAULT_IPV6_PREFIX;
	o->rrl.size = RRL_DEFAULT_SIZE;
	o->ixfr.depth = JOURNAL_DEFAULT_DEPTH;
	o->ixfr.bytes = JOURNAL_DEFAULT_BYTES;
	o->notify_retry = NOTIFY_DEFAULT_RETRY;
	o->notify_tries = NOTIFY_DEFAULT_TRIES;
}

/* One worker per online CPU, within 1..OPTIONS_MAX_WORKERS. */
static unsigned workers_auto(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > OPTIONS_MAX_WORKERS ? OPTIONS_MAX_WORKERS : (unsigned)n;
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A bare --force-tc followed by a word of digits: getopt joins an optional value only with
 * '=', so that word would be served as a zone file, though it was surely meant as N.
 * Returns -EINVAL with err saying what to write instead. */
static int force_tc_misread(const char *word, char *err, size_t errlen)
{
	unsigned long n;

	errno = 0;
	n = strtoul(word, NULL, 10);
	if (errno != 0 || n < 1 || n > OPTIONS_MAX_FORCE_TC)
		snprintf(err, errlen, "'%s' is not a zone file: to answer every Nth UDP query with "
			 "TC=1 write --force-tc=N, N from 1 to %d", word, OPTIONS_MAX_FORCE_TC);
	else if (n == 1)
		snprintf(err, errlen, "'%s' is not a zone file: to answer every UDP query with "
			 "TC=1 write --force-tc (or --force-tc=1)", word);
	else
		snprintf(err, errlen, "'%s' is not a zone file: to answer every %lu%s UDP query "
			 "with TC=1 write --force-tc=%lu", word, n, options_ordinal_suffix(n), n);
	return -EINVAL;
}

/* An --nsid TEXT given as a word of its own that looks like a zone argument the option
 * took: one ending in .zone, or, when no zone argument follows (so the server would fall
 * back to the default zones), the name of an existing file or folder. --nsid=TEXT and
 * 'auto' are taken as they are. Returns 0, or -EINVAL with err saying what to write. */
static int nsid_misread(const char *text, bool zones_follow, char *err, size_t errlen)
{
	static const char zone_suffix[] = ".zone";
	size_t len = strlen(text), suffix = sizeof(zone_suffix) - 1;
	const char *kind = NULL;
	struct stat st;

	if (strcmp(text, "auto") == 0)
		return 0;
	if (len > suffix && strcmp(text + len - suffix, zone_suffix) == 0)
		kind = "zone file";
	else if (!zones_follow && stat(text, &st) == 0)
		kind = S_ISDIR(st.st_mode) ? "folder" : "file";
	if (kind == NULL)
		return 0;
	snprintf(err, errlen, "--nsid took '%s' as its text, which names a %s; write --nsid=TEXT "
		 "%s to serve it with an NSID, or --nsid=%s if that is the text", text, kind,
		 text, text);
	return -EINVAL;
}

/* Names the option getopt stopped at, for an error line: "-p" or "--port" as typed. */
static void option_name(char *buf, size_t len, char **argv, int ind, int optopt_value)
{
	const char *arg = ind > 0 ? argv[ind - 1] : NULL;

	if (arg != NULL && strncmp(arg, "--", 2) == 0)
		snprintf(buf, len, "%.*s", (int)strcspn(arg, "="), arg);
	else if (optopt_value > 0 && optopt_value < 256)
		snprintf(buf, len, "-%c", optopt_value);
	else
		snprintf(buf, len, "%s", arg != NULL ? arg : "?");
}

/* --key: one more key in o->keys (made at the first). Returns 0, or -1 with err set. */
static int options_add_key(struct options *o, const char *spec, char *err, size_t errlen)
{
	char why[256];

	if (o->keys == NULL)
		o->keys = tsig_keyring_new();
	if (o->keys == NULL) {
		snprintf(err, errlen, "--key: out of memory");
		return -1;
	}
	if (tsig_keyring_add_spec(o->keys, spec, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "--key: %s", why);
		return -1;
	}
	return 0;
}

void options_free(struct options *o)
{
	tsig_keyring_unref(o->keys);
	o->keys = NULL;
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	socklen_t addr_len;
	unsigned long v;
	char name[OPTION_NAME_SIZE];
	char why[OPTIONS_TARGET_ERR];
	bool nsid_own_word = false;
	size_t i;
	int c;

	options_defaults(o);
	err[0] = '\0';
	/* optind = 0 makes glibc start over, so the parser can run more than once (tests). */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, options_short, options_long, NULL)) != -1) {
		switch (c) {
		case 'p':
			/* Port 0 would give UDP and TCP two different ephemeral ports. */
			if (parse_number(&v, optarg, "--port", 1, OPTIONS_MAX_PORT, err, errlen) < 0)
				return -EINVAL;
			o->port = (uint16_t)v;
			o->port_given = true;
			break;
		case 'l':
			if (netio_addr_parse(&addr, &addr_len, optarg, 0) < 0) {
				snprintf(err, errlen,
					 "--listen: '%s' is not a numeric IPv4 or IPv6 address", optarg);
				return -EINVAL;
			}
			if (o->listen_count == OPTIONS_MAX_LISTEN) {
				snprintf(err, errlen, "--listen: at most %d addresses",
					 OPTIONS_MAX_LISTEN);
				return -EINVAL;
			}
			o->listen[o->listen_count++] = optarg;
			break;
		case OPT_UDP_SIZE:
			if (parse_number(&v, optarg, "--udp-size", DNS_UDP_MIN, DNS_MSG_MAX, err,
					 errlen) < 0)
				return -EINVAL;
			o->udp_size = (uint16_t)v;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'q':
			o->query_log = true;
			break;
		case OPT_TCP_IDLE:
			/* RFC 7766 section 6.2.3: seconds, not minutes; 3600 is generous. */
			if (parse_number(&v, optarg, "--tcp-idle", 1, OPTIONS_MAX_TCP_IDLE, err, errlen) < 0)
				return -EINVAL;
			o->tcp_idle = (unsigned)v;
			break;
		case OPT_TCP_MAX:
			if (parse_number(&v, optarg, "--tcp-max", 1, OPTIONS_MAX_TCP_MAX, err, errlen) < 0)
				return -EINVAL;
			o->tcp_max = (unsigned)v;
			break;
		case OPT_WORKERS:
			if (strcmp(optarg, "auto") == 0) {
				o->workers = workers_auto();
				break;
			}
			if (parse_number(&v, optarg, "--workers", 1, OPTIONS_MAX_WORKERS, err,
					 errlen) < 0) {
				/* The range alone would hide the other accepted value. */
				snprintf(err, errlen,
					 "--workers: '%s' is not 'auto' or a number from 1 to %d",
					 optarg, OPTIONS_MAX_WORKERS);
				return -EINVAL;
			}
			o->workers = (unsigned)v;
			break;
		case OPT_REUSEPORT:
			o->reuseport = true;
			break;
		case OPT_NSID:
			if (optarg[0] == '\0' || strlen(optarg) > OPTIONS_MAX_NSID) {
				snprintf(err, errlen, "--nsid: give 1 to %d characters, or 'auto'",
					 OPTIONS_MAX_NSID);
				return -EINVAL;
			}
			o->nsid = optarg;
			/* getopt points optarg at the next word itself, or past the '=' of
			 * --nsid=TEXT: only the first can be a zone argument taken by mistake. */
			nsid_own_word = optarg == argv[optind - 1];
			break;
		case OPT_IDENTITY:
			if (strlen(optarg) > OPTIONS_MAX_IDENTITY) {
				snprintf(err, errlen, "--identity: at most %d characters",
					 OPTIONS_MAX_IDENTITY);
				return -EINVAL;
			}
			o->identity = optarg;
			break;
		case OPT_HIDE_IDENTITY:
			o->hide_identity = true;
			break;
		case OPT_HIDE_VERSION:
			o->hide_version = true;
			break;
		case OPT_FORCE_TC:
			/* argv[optind] is still the word typed after --force-tc: getopt moves
			 * the zone arguments after the options only on its next call. */
			if (optarg == NULL && optind < argc && all_digits(argv[optind]))
				return force_tc_misread(argv[optind], err, errlen);
			o->force_tc = 1;
			if (optarg != NULL &&
			    parse_number(&v, optarg, "--force-tc", 1, OPTIONS_MAX_FORCE_TC, err, errlen) < 0)
				return -EINVAL;
			if (optarg != NULL)
				o->force_tc = (unsigned)v;
			break;
		case OPT_SYSLOG:
			o->syslog = true;
			break;
		case 'V':
			o->action = OPTIONS_VERSION;
			return 0;
		case 'h':
			o->action = OPTIONS_HELP;
			return 0;
		case 'u':
			if (optarg[0] == '\0') {
				snprintf(err, errlen, "--user: give a user name");
				return -EINVAL;
			}
			o->user = optarg;
			break;
		case 'c':
			if (optarg[0] == '\0') {
				snprintf(err, errlen, "--config: give a file");
				return -EINVAL;
			}
			o->config = optarg;
			break;
		case OPT_CHROOT:
			if (optarg[0] == '\0') {
				snprintf(err, errlen, "--chroot: give a folder");
				return -EINVAL;
			}
			o->chroot_dir = optarg;
			break;
		case OPT_COOKIE_SECRET: {
			size_t bad;

			if (o->cookie_secrets.count == COOKIE_SECRETS_MAX) {
				snprintf(err, errlen, "--cookie-secret: at most %d (the active "
					 "secret, then one older secret still accepted)",
					 COOKIE_SECRETS_MAX);
				return -EINVAL;
			}
			if (cookie_secret_parse(o->cookie_secrets.key[o->cookie_secrets.count],
						optarg, strlen(optarg), &bad) < 0) {
				snprintf(err, errlen, "--cookie-secret: give %d hex digits (128 bits), "
					 "not '%s'", COOKIE_SECRET_HEX, optarg);
				return -EINVAL;
			}
			o->cookie_secrets.count++;
			break;
		}
		case OPT_KEY:
			if (options_add_key(o, optarg, err, errlen) < 0)
				return o->keys == NULL ? -ENOMEM : -EINVAL;
			break;
		case OPT_COOKIE_SECRET_FILE:
			if (optarg[0] == '\0') {
				snprintf(err, errlen, "--cookie-secret-file: give a file");
				return -EINVAL;
			}
			o->cookie_secret_file = optarg;
			break;
		case OPT_REQUIRE_COOKIE:
			o->require_cookie = true;
			break;
		case OPT_RRL_RATE:
			if (parse_number(&v, optarg, "--rrl-rate", 0, RRL_MAX_RATE, err, errlen) < 0)
				return -EINVAL;
			o->rrl.rate = (unsigned)v;
			break;
		case OPT_RRL_SLIP:
			if (parse_number(&v, optarg, "--rrl-slip", 0, RRL_MAX_SLIP, err, errlen) < 0)
				return -EINVAL;
			o->rrl.slip = (unsigned)v;
			break;
		case OPT_RRL_IPV4_PREFIX:
			if (parse_number(&v, optarg, "--rrl-ipv4-prefix", 0, 32, err, errlen) < 0)
				return -EINVAL;
			o->rrl.ipv4_prefix = (unsigned)v;
			break;
		case OPT_RRL_IPV6_PREFIX:
			if (parse_number(&v, optarg, "--rrl-ipv6-prefix", 0, 128, err, errlen) < 0)
				return -EINVAL;
			o->rrl.ipv6_prefix = (unsigned)v;
			break;
		case OPT_RRL_EXEMPT:
			if (o->rrl.exempt_count == RRL_MAX_EXEMPT) {
				snprintf(err, errlen, "--rrl-exempt: at most %d prefixes", RRL_MAX_EXEMPT);
				return -EINVAL;
			}
			if (rrl_prefix_parse(&o->rrl.exempt[o->rrl.exempt_count], optarg) < 0) {
				snprintf(err, errlen, "--rrl-exempt: '%s' is not an IPv4 or IPv6 "
					 "address or ADDRESS/LEN prefix (LEN up to 32 or 128)", optarg);
				return -EINVAL;
			}
			o->rrl.exempt_count++;
			break;
		case OPT_RRL_LOG_ONLY:
			o->rrl.log_only = true;
			break;
		case OPT_RRL_SIZE:
			if (parse_number(&v, optarg, "--rrl-size", 1, RRL_MAX_SIZE, err, errlen) < 0)
				return -EINVAL;
			o->rrl.size = (size_t)v;
			break;
		case OPT_IXFR_DEPTH:
			if (parse_number(&v, optarg, "--ixfr-depth", 0, OPTIONS_MAX_IXFR_DEPTH, err,
					 errlen) < 0)
				return -EINVAL;
			o->ixfr.depth = (size_t)v;
			break;
		case OPT_IXFR_SIZE:
			if (parse_number(&v, optarg, "--ixfr-size", 0, OPTIONS_MAX_IXFR_SIZE, err,
					 errlen) < 0)
				return -EINVAL;
			o->ixfr.bytes = (size_t)v;
			break;
		case OPT_ALSO_NOTIFY:
			if (o->also_notify_count == NOTIFY_MAX_TARGETS) {
				snprintf(err, errlen, "--also-notify: at most %d targets",
					 NOTIFY_MAX_TARGETS);
				return -EINVAL;
			}
			if (notify_target_parse(&o->also_notify[o->also_notify_count], optarg,
						why, sizeof(why)) < 0) {
				snprintf(err, errlen, "--also-notify: %s", why);
				return -EINVAL;
			}
			o->also_notify_count++;
			break;
		case OPT_NOTIFY_RETRY:
			if (parse_number(&v, optarg, "--notify-retry", 1, NOTIFY_MAX_RETRY, err,
					 errlen) < 0)
				return -EINVAL;
			o->notify_retry = (unsigned)v;
			break;
		case OPT_NOTIFY_TRIES:
			if (parse_number(&v, optarg, "--notify-tries", 1, NOTIFY_MAX_TRIES, err,
					 errlen) < 0)
				return -EINVAL;
			o->notify_tries = (unsigned)v;
			break;
		case OPT_ALLOW_TRANSFER:
			if (acl_add(&o->allow_transfer, optarg, ACL_TRANSFER, why, sizeof(why)) < 0) {
				snprintf(err, errlen, "--allow-transfer: %s", why);
				return -EINVAL;
			}
			break;
		case OPT_XDP:
#ifdef HAVE_XDP
			if (optarg[0] == '\0' || strlen(optarg) >= IF_NAMESIZE) {
				snprintf(err, errlen, "--xdp: '%s' is not an interface name (1 to %d "
					 "characters)", optarg, IF_NAMESIZE - 1);
				return -EINVAL;
			}
			o->xdp = optarg;
			break;
#else
			snprintf(err, errlen, "--xdp: built without XDP support (./configure "
				 "--enable-xdp)");
			return -EINVAL;
#endif
		case ':':
			option_name(name, sizeof(name), argv, optind, optopt);
			snprintf(err, errlen, "%s needs a value (see --help)", name);
			return -EINVAL;
		default:
			option_name(name, sizeof(name), argv, optind, optopt);
			snprintf(err, errlen, "invalid option %s (see --help)", name);
			return -EINVAL;
		}
	}
	if (o->cookie_secret_file != NULL && o->cookie_secrets.count > 0) {
		snprintf(err, errlen, "--cookie-secret and --cookie-secret-file: give one of them");
		return -EINVAL;
	}
	if (o->listen_count == 0) {
		for (i = 0; i < sizeof(default_listen) / sizeof(default_listen[0]); i++)
			o->listen[i] = default_listen[i];
		o->listen_count = i;
		o->listen_default = true;
	}
	o->zones = argv + optind;
	o->zone_count = (size_t)(argc - optind);
	if (nsid_own_word && nsid_misread(o->nsid, o->zone_count > 0, err, errlen) < 0)
		return -EINVAL;
	return 0;
}
