/* SPDX-License-Identifier: BSD-3-Clause */
/* options.c: parse dualq's dig-style command line into struct dualq_options. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

#include "client/exchange.h"
#include "client/options.h"

const char options_usage[] =
	"usage: dualq [@SERVER] [-p PORT] [-4|-6] [-b ADDR] NAME [TYPE] [CLASS] [+OPTION...]  (any order)\n"
	"  @SERVER      name or address; with a port: @ADDR@PORT, @ADDR#PORT, @[IPv6]:PORT\n"
	"  -b ADDR      send from this local address (numeric), as dig -b\n"
	"  TYPE, CLASS  a word that spells a type or class is one (as in dig): for such a NAME\n"
	"               write its trailing dot (ns.) or -q NAME; -t TYPE, -c CLASS also work\n"
	"  +bufsize=N   EDNS UDP size to advertise (default 1232)   +noedns   no OPT record\n"
	"  +tcp         TCP only                                   +ignore   UDP only, no retry\n"
	"  +nsid        ask for NSID (RFC 5001) on every leg       +dnssec   set DO\n"
	"  +cookie[=HEX]  send a DNS Cookie (RFC 7873): a random client cookie, or HEX as it is\n"
	"               (8 bytes, or 16 to 40 with a server cookie); +nocookie (default) none\n"
	"  +timeout=S   per try (default 2)   +tries=N   UDP tries (default 3)\n"
	"  +compare     also ask over TCP when UDP was not truncated, and compare RRsets\n"
	"  +validate    check the answer's signatures up to the +anchor=FILE keys (DS or DNSKEY\n"
	"               records, as ldns-key2ds or ldns-keygen write them); implies +dnssec\n"
	"  +json        one JSON document on stdout instead of text\n"
	"  +short       answer data only, like dig +short\n"
	"  -h, --help   this text             -V, -v, --version   the version\n"
	"exit: 0 answer, 1 usage error, 2 no answer, 3 an answer failed a check\n";

void options_init(struct dualq_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->port = 53;
	opt->family = AF_UNSPEC;
	opt->qtype = LDNS_RR_TYPE_A;
	opt->qclass = LDNS_RR_CLASS_IN;
	opt->edns = true;
	opt->bufsize = DUALQ_DEFAULT_BUFSIZE;
	opt->timeout_ms = DUALQ_DEFAULT_TIMEOUT_MS;
	opt->tries = DUALQ_DEFAULT_TRIES;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Parses a decimal integer in [min, max]; the whole string must be the number. */
static bool parse_uint(unsigned long *out, const char *s, unsigned long min, unsigned long max)
{
	char *end;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Seconds as dig writes them, with an optional fraction ("2", "0.5"): milliseconds. */
static bool parse_seconds(unsigned *ms, const char *s)
{
	char *end;

	if (s == NULL || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || v < 0.001 || v > 3600.0)
		return false;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	return true;
}

/* The RFC 3597 section 5 forms TYPEnnn and CLASSnnn: prefix, then only digits, at most
 * 65535. Returns 1 with *out set, 0 when s does not start with prefix, -EINVAL when it
 * does but no such number follows ("type1.example.com" is a name, not TYPE1). */
static int parse_generic(uint16_t *out, const char *s, const char *prefix)
{
	size_t plen = strlen(prefix);
	unsigned long n;

	if (strncasecmp(s, prefix, plen) != 0)
		return 0;
	if (!parse_uint(&n, s + plen, 0, UINT16_MAX))
		return -EINVAL;
	*out = (uint16_t)n;
	return 1;
}

/* A type mnemonic that ldns knows, or TYPEnnn. */
static bool parse_type(uint16_t *out, const char *s)
{
	int g = parse_generic(out, s, "TYPE");

	if (g != 0)
		return g > 0;
	ldns_rr_type t = ldns_get_rr_type_by_name(s);
	if (t == 0)
		return false;
	*out = (uint16_t)t;
	return true;
}

/* IN, CH, HS, NONE, ANY, or CLASSnnn. */
static bool parse_class(uint16_t *out, const char *s)
{
	int g = parse_generic(out, s, "CLASS");

	if (g != 0)
		return g > 0;
	ldns_rr_class c = ldns_get_rr_class_by_name(s);
	if (c == 0)
		return false;
	*out = (uint16_t)c;
	return true;
}

/* The family of a numeric address, AF_INET or AF_INET6; AF_UNSPEC for anything else (a
 * name). AI_NUMERICHOST: no lookup, only the text is read. */
static int numeric_family(const char *host)
{
	struct addrinfo hints, *res = NULL;
	int family;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
		return AF_UNSPEC;
	family = res->ai_family;
	freeaddrinfo(res);
	return family;
}

int options_check_family(char *err, size_t errlen, const char *server, int family, const char *from)
{
	int have = numeric_family(server);

	if (family == AF_UNSPEC || have == AF_UNSPEC || have == family)
		return 0;
	return fail(err, errlen, "%s asks for %s but the server %s%s is an %s address",
		    family == AF_INET6 ? "-6" : "-4", family == AF_INET6 ? "IPv6" : "IPv4",
		    server, from, have == AF_INET6 ? "IPv6" : "IPv4");
}

/* @SERVER in the forms dig and kdig take: @NAME or @ADDR, a port after it as @ADDR@PORT
 * or @ADDR#PORT, an IPv6 address in brackets as @[ADDR] or @[ADDR]:PORT. Sets
 * opt->server, and opt->port when a port is given. */
static int parse_server(struct dualq_options *opt, char *err, size_t errlen, const char *arg)
{
	const char *s = arg + 1, *host = s, *port = NULL, *colon;
	bool bracketed = s[0] == '[';
	size_t hostlen;
	unsigned long n = 0;

	if (s[0] == '\0')
		return fail(err, errlen, "@ needs a server name or address");
	if (bracketed) {
		const char *close = strchr(s, ']');
		if (close == NULL)
			return fail(err, errlen, "%s: no ] after the IPv6 address", arg);
		host = s + 1;
		hostlen = (size_t)(close - host);
		if (close[1] == ':' || close[1] == '@' || close[1] == '#')
			port = close + 2;
		else if (close[1] != '\0')
			return fail(err, errlen, "%s: after the ] comes :PORT or nothing", arg);
	} else {
		hostlen = strcspn(s, "@#");
		if (s[hostlen] != '\0')
			port = s + hostlen + 1;
	}
	if (hostlen == 0)
		return fail(err, errlen, "%s: no server name or address before the port", arg);
	if (hostlen >= sizeof(opt->server))
		return fail(err, errlen, "a server name has at most %d characters, not %zu (%.32s...)",
			    DUALQ_SERVER_MAX - 1, hostlen, arg);
	if (port != NULL && !parse_uint(&n, port, 1, 65535))
		return fail(err, errlen, "%s: the port must be a number from 1 to 65535", arg);
	memcpy(opt->server, host, hostlen);
	opt->server[hostlen] = '\0';
	if (bracketed && numeric_family(opt->server) != AF_INET6)
		return fail(err, errlen, "%s: brackets hold an IPv6 address", arg);
	/* One colon is never an IPv6 address (it has at least two) nor a name: host:port. */
	colon = strchr(opt->server, ':');
	if (!bracketed && colon != NULL && strchr(colon + 1, ':') == NULL)
		return fail(err, errlen, "%s: write the port as @ADDR@PORT or -p PORT (a colon before "
			    "the port needs brackets: @[::1]:5353)", arg);
	if (port != NULL)
		opt->port = (uint16_t)n;
	return 0;
}

/* The free words (not options, not @SERVER): what was taken as the type and the class. */
struct words {
	const char *type, *klass;   /* the word or -t/-c value that set them, or NULL */
	const char *first_taken;    /* the first free word read as a type or class, or NULL */
	bool first_is_type;         /* ...and whether as the type */
};

/* One free word. As in dig, a word that spells a type is the type and one that spells a
 * class is the class, wherever it stands ("CH TXT id.server"); the word left is NAME. A
 * word that spells both (ANY) is the type first, then the class. */
static int parse_word(struct dualq_options *opt, struct words *w, char *err, size_t errlen,
		      const char *a)
{
	uint16_t v;
	bool is_type = parse_type(&v, a);

	if (is_type && w->type == NULL) {
		opt->qtype = v;
		w->type = a;
	} else {
		bool is_class = parse_class(&v, a);
		if (is_class && w->klass == NULL) {
			opt->qclass = v;
			w->klass = a;
		} else if (is_type || is_class) {
			const char *before = is_type ? w->type : w->klass;
			return fail(err, errlen, "%s given twice, as %s and %s (a NAME that spells a "
				    "type or class takes its trailing dot, %s., or -q)",
				    is_type ? "type" : "class", before, a, before);
		} else if (opt->name == NULL) {
			opt->name = a;
			return 0;
		} else {
			return fail(err, errlen, "unexpected argument %s: not a known type or class, "
				    "and NAME is already %s", a, opt->name);
		}
	}
	if (w->first_taken == NULL) {
		w->first_taken = a;
		w->first_is_type = w->type == a;
	}
	return 0;
}

/* One +keyword[=value]; dig's +noKEYWORD negates a boolean. */
static int parse_plus(struct dualq_options *opt, char *err, size_t errlen, const char *arg)
{
	const char *kw = arg + 1, *val = strchr(kw, '=');
	size_t kwlen = val ? (size_t)(val - kw) : strlen(kw);
	bool neg = false;
	unsigned long n;

	if (val)
		val++;
	if (kwlen > 2 && strncasecmp(kw, "no", 2) == 0) {
		neg = true;
		kw += 2;
		kwlen -= 2;
	}
#define KW(s) (kwlen == sizeof(s) - 1 && strncasecmp(kw, s, kwlen) == 0)
	struct { const char *name; bool *flag; } bools[] = {
		{ "edns", &opt->edns }, { "tcp", &opt->tcp_only }, { "vc", &opt->tcp_only },
		{ "ignore", &opt->ignore_tc }, { "nsid", &opt->nsid }, { "dnssec", &opt->dnssec },
		{ "json", &opt->json }, { "short", &opt->short_out }, { "compare", &opt->compare },
		{ "validate", &opt->validate },
	};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		if (kwlen == strlen(bools[i].name) && strncasecmp(kw, bools[i].name, kwlen) == 0) {
			if (val)
				return fail(err, errlen, "option %s takes no value", arg);
			*bools[i].flag = !neg;
			return 0;
		}
	}
	if (KW("cookie")) {
		if (neg && val)
			return fail(err, errlen, "option %s takes no value", arg);
		opt->cookie = !neg;
		opt->cookie_len = 0;
		if (val != NULL) {
			int len = cookie_parse_hex(opt->cookie_bytes, val);
			if (len < 0)
				return fail(err, errlen, "%s: HEX must be hex digits for %d bytes (a "
					    "client cookie) or %d to %d bytes (client and server cookie)",
					    arg, COOKIE_CLIENT_SIZE, COOKIE_CLIENT_SIZE + COOKIE_SERVER_MIN,
					    COOKIE_MAX);
			opt->cookie_len = (size_t)len;
		}
		if (opt->cookie)
			opt->edns = true;  /* the cookie travels in the OPT record */
		return 0;
	}
	if (neg)
		return fail(err, errlen, "unknown option %s", arg);
	if (KW("bufsize")) {
		if (!parse_uint(&n, val, 0, 65535))
			return fail(err, errlen, "+bufsize needs a number from 0 to 65535: %s", arg);
		opt->bufsize = (uint16_t)n;
		opt->edns = true;  /* as in dig: asking for a size means EDNS */
		return 0;
	}
	if (KW("anchor")) {
		if (val == NULL || *val == '\0')
			return fail(err, errlen, "+anchor needs a file: +anchor=FILE");
		opt->anchor = val;
		return 0;
	}
	if (KW("timeout")) {
		if (!parse_seconds(&opt->timeout_ms, val))
			return fail(err, errlen, "+timeout needs seconds (0.001 to 3600): %s", arg);
		return 0;
	}
	if (KW("tries")) {
		if (!parse_uint(&n, val, 1, 20))
			return fail(err, errlen, "+tries needs a number from 1 to 20: %s", arg);
		opt->tries = (unsigned)n;
		return 0;
	}
#undef KW
	return fail(err, errlen, "unknown option %s", arg);
}

int options_parse(struct dualq_options *opt, char *err, size_t errlen, int argc, char **argv)
{
	struct words w = { NULL, NULL, NULL, false };
	unsigned long n;
	int rc;

	err[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '@') {
			if ((rc = parse_server(opt, err, errlen, a)) < 0)
				return rc;
		} else if (a[0] == '+') {
			if ((rc = parse_plus(opt, err, errlen, a)) < 0)
				return rc;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			opt->help = true;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
			opt->version = true;
		} else if (strcmp(a, "-4") == 0) {
			opt->family = AF_INET;
		} else if (strcmp(a, "-6") == 0) {
			opt->family = AF_INET6;
		} else if (strcmp(a, "-p") == 0 || strcmp(a, "-t") == 0 || strcmp(a, "-b") == 0 ||
			   strcmp(a, "-c") == 0 || strcmp(a, "-q") == 0) {
			if (i + 1 >= argc)
				return fail(err, errlen, "%s needs an argument", a);
			const char *v = argv[++i];
			if (a[1] == 'p') {
				if (!parse_uint(&n, v, 1, 65535))
					return fail(err, errlen, "-p needs a port from 1 to 65535: %s", v);
				opt->port = (uint16_t)n;
			} else if (a[1] == 'b') {
				struct in6_addr any;

				if (inet_pton(AF_INET, v, &any) != 1 && inet_pton(AF_INET6, v, &any) != 1)
					return fail(err, errlen, "-b needs a numeric IPv4 or IPv6 address: %s", v);
				opt->source = v;
			} else if (a[1] == 't') {
				if (!parse_type(&opt->qtype, v))
					return fail(err, errlen, "unknown type %s", v);
				w.type = v;
			} else if (a[1] == 'c') {
				if (!parse_class(&opt->qclass, v))
					return fail(err, errlen, "unknown class %s", v);
				w.klass = v;
			} else {
				opt->name = v;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			return fail(err, errlen, "unknown option %s", a);
		} else if ((rc = parse_word(opt, &w, err, errlen, a)) < 0) {
			return rc;
		}
	}
	if (opt->help || opt->version)
		return 0;
	if (opt->name == NULL && w.first_taken != NULL)
		return fail(err, errlen, "no NAME to query: %s is read as a %s (for the name %s, "
			    "write %s. or -q %s)", w.first_taken,
			    w.first_is_type ? "type" : "class", w.first_taken, w.first_taken,
			    w.first_taken);
	if (opt->name == NULL)
		return fail(err, errlen, "no NAME to query");
	if (opt->validate && opt->anchor == NULL)
		return fail(err, errlen, "+validate needs +anchor=FILE: the DS or DNSKEY records "
			    "validation starts from");
	if (opt->validate && !opt->edns)
		return fail(err, errlen, "+validate and +noedns exclude each other: DO travels in "
			    "the OPT record");
	if (opt->validate)
		opt->dnssec = true;  /* the signatures come only with DO (RFC 3225) */
	if (opt->tcp_only && opt->ignore_tc)
		return fail(err, errlen, "+tcp and +ignore exclude each other");
	if (opt->cookie && !opt->edns)
		return fail(err, errlen, "+cookie and +noedns exclude each other: the cookie travels "
			    "in the OPT record");
	if (opt->json && opt->short_out)
		return fail(err, errlen, "+json and +short exclude each other");
	if (opt->server[0] != '\0')
		return options_check_family(err, errlen, opt->server, opt->family, "");
	return 0;
}

int options_resolv_conf_server(char *buf, size_t buflen, const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *addr;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "nameserver", 10) != 0 || (p[10] != ' ' && p[10] != '\t'))
			continue;
		p += 10;
		while (*p == ' ' || *p == '\t')
			p++;
		addr = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		*p = '\0';
		if (*addr == '\0' || (size_t)(p - addr) >= buflen)
			continue;
		memcpy(buf, addr, (size_t)(p - addr) + 1);
		fclose(f);
		return 0;
	}
	fclose(f);
	return -ENOENT;
}

int options_query(struct exchange_query *q, const struct dualq_options *opt)
{
	int n;

	memset(q, 0, sizeof(*q));
	n = exchange_name_from_str(q->qname, sizeof(q->qname), opt->name);
	if (n < 0)
		return -EINVAL;
	q->qname_len = (size_t)n;
	q->qtype = opt->qtype;
	q->qclass = opt->qclass;
	q->edns = opt->edns;
	q->bufsize = opt->bufsize;
	q->dnssec = opt->dnssec;
	q->nsid = opt->nsid;
	if (opt->cookie && opt->cookie_len > 0) {
		memcpy(q->cookie, opt->cookie_bytes, opt->cookie_len);
		q->cookie_len = opt->cookie_len;
	} else if (opt->cookie) {
		int rc = cookie_random_client(q->cookie);
		if (rc < 0)
			return rc;
		q->cookie_len = COOKIE_CLIENT_SIZE;
	}
	return 0;
}
