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
#include <sys/socket.h>

#include <ldns/ldns.h>

#include "client/exchange.h"
#include "client/options.h"

const char options_usage[] =
	"usage: dualq [@SERVER] [-p PORT] [-4|-6] NAME [TYPE] [CLASS] [+OPTION...]\n"
	"  +bufsize=N   EDNS UDP size to advertise (default 1232)   +noedns   no OPT record\n"
	"  +tcp         TCP only                                   +ignore   UDP only, no retry\n"
	"  +nsid        ask for NSID (RFC 5001) on every leg       +dnssec   set DO\n"
	"  +timeout=S   per try (default 2)   +tries=N   UDP tries (default 3)\n"
	"  +compare     also ask over TCP when UDP was not truncated, and compare RRsets\n"
	"  +json        one JSON document on stdout instead of text\n"
	"  +short       answer data only, like dig +short\n"
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

/* TYPE or CLASS mnemonic, or the RFC 3597 TYPEnnn / CLASSnnn forms. */
static bool parse_type(uint16_t *out, const char *s)
{
	ldns_rr_type t = ldns_get_rr_type_by_name(s);
	if (t == 0 && strcasecmp(s, "TYPE0") != 0)
		return false;
	*out = (uint16_t)t;
	return true;
}

static bool parse_class(uint16_t *out, const char *s)
{
	ldns_rr_class c = ldns_get_rr_class_by_name(s);
	if (c == 0)
		return false;
	*out = (uint16_t)c;
	return true;
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
	};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		if (kwlen == strlen(bools[i].name) && strncasecmp(kw, bools[i].name, kwlen) == 0) {
			if (val)
				return fail(err, errlen, "option %s takes no value", arg);
			*bools[i].flag = !neg;
			return 0;
		}
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
	bool have_type = false, have_class = false;
	unsigned long n;

	err[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '@') {
			if (a[1] == '\0')
				return fail(err, errlen, "@ needs a server name or address");
			opt->server = a + 1;
		} else if (a[0] == '+') {
			int rc = parse_plus(opt, err, errlen, a);
			if (rc < 0)
				return rc;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			opt->help = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
			opt->version = true;
		} else if (strcmp(a, "-4") == 0) {
			opt->family = AF_INET;
		} else if (strcmp(a, "-6") == 0) {
			opt->family = AF_INET6;
		} else if (strcmp(a, "-p") == 0 || strcmp(a, "-t") == 0 ||
			   strcmp(a, "-c") == 0 || strcmp(a, "-q") == 0) {
			if (i + 1 >= argc)
				return fail(err, errlen, "%s needs an argument", a);
			const char *v = argv[++i];
			if (a[1] == 'p') {
				if (!parse_uint(&n, v, 1, 65535))
					return fail(err, errlen, "-p needs a port from 1 to 65535: %s", v);
				opt->port = (uint16_t)n;
			} else if (a[1] == 't') {
				if (!parse_type(&opt->qtype, v))
					return fail(err, errlen, "unknown type %s", v);
				have_type = true;
			} else if (a[1] == 'c') {
				if (!parse_class(&opt->qclass, v))
					return fail(err, errlen, "unknown class %s", v);
				have_class = true;
			} else {
				opt->name = v;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			return fail(err, errlen, "unknown option %s", a);
		} else if (opt->name == NULL) {
			/* The first word is the name, even if it spells a type ("dualq ns"): the
			 * order NAME TYPE CLASS is the contract. */
			opt->name = a;
		} else if (!have_type && parse_type(&opt->qtype, a)) {
			have_type = true;
		} else if (!have_class && parse_class(&opt->qclass, a)) {
			have_class = true;
		} else {
			return fail(err, errlen, "unexpected argument %s (type or class unknown or given twice)", a);
		}
	}
	if (opt->help || opt->version)
		return 0;
	if (opt->name == NULL)
		return fail(err, errlen, "no NAME to query");
	if (opt->tcp_only && opt->ignore_tc)
		return fail(err, errlen, "+tcp and +ignore exclude each other");
	if (opt->json && opt->short_out)
		return fail(err, errlen, "+json and +short exclude each other");
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
	return 0;
}
