/* SPDX-License-Identifier: BSD-3-Clause */
/* test_options.c: dualq's command line, table-driven: what each argv sets, which ones are usage errors. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "client/exchange.h"
#include "client/options.h"

#define MAXARGS 12

struct ok_case {
	const char *argv[MAXARGS];
	const char *server, *name;
	uint16_t port, qtype, qclass, bufsize;
	int family;
	bool edns, tcp_only, ignore_tc, nsid, dnssec, json, short_out, compare;
	unsigned timeout_ms, tries;
};

/* Fields not named keep options_init's defaults, written out so the table reads alone; a case
 * overrides what DEF set, which is what -Woverride-init warns about, so it is off here only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define DEF .port = 53, .qtype = 1, .qclass = 1, .bufsize = 1232, .family = AF_UNSPEC, \
	.edns = true, .timeout_ms = 2000, .tries = 3

static const struct ok_case ok_cases[] = {
	{ { "www.example.com" }, DEF, .name = "www.example.com" },
	{ { "@127.0.0.1", "-p", "5353", "big.example.com", "TXT" }, DEF, .server = "127.0.0.1",
	  .name = "big.example.com", .port = 5353, .qtype = 16 },
	/* TYPE and CLASS after NAME, in either order (dig) */
	{ { "example.com", "CH", "TXT" }, DEF, .name = "example.com", .qtype = 16, .qclass = 3 },
	{ { "example.com", "txt", "in" }, DEF, .name = "example.com", .qtype = 16 },
	/* ...and before it: a word that spells a type or class is one, wherever it stands */
	{ { "@127.0.0.1", "CH", "TXT", "id.server" }, DEF, .server = "127.0.0.1",
	  .name = "id.server", .qtype = 16, .qclass = 3 },
	{ { "txt", "id.server", "ch" }, DEF, .name = "id.server", .qtype = 16, .qclass = 3 },
	{ { "A", "www.example.com" }, DEF, .name = "www.example.com" },
	{ { "TYPE65280", "CLASS3", "x" }, DEF, .name = "x", .qtype = 65280, .qclass = 3 },
	/* options anywhere too */
	{ { "+json", "CH", "-p", "5353", "TXT", "@127.0.0.1", "id.server", "-4" }, DEF,
	  .server = "127.0.0.1", .port = 5353, .name = "id.server", .qtype = 16, .qclass = 3,
	  .json = true, .family = AF_INET },
	/* a name that spells a type: its trailing dot, or -q */
	{ { "ns.", "NS" }, DEF, .name = "ns.", .qtype = 2 },
	{ { "NS", "-q", "ns" }, DEF, .name = "ns", .qtype = 2 },
	{ { "example.com", "TYPE65280" }, DEF, .name = "example.com", .qtype = 65280 },
	/* TYPEnnn only when digits alone follow: this is a name */
	{ { "type1.example.com" }, DEF, .name = "type1.example.com" },
	/* ANY spells a type and a class: the type first */
	{ { "x", "ANY", "ANY" }, DEF, .name = "x", .qtype = 255, .qclass = 255 },
	/* the server forms of dig and kdig */
	{ { "@127.0.0.1@5353", "x" }, DEF, .server = "127.0.0.1", .name = "x", .port = 5353 },
	{ { "@::1@5353", "x" }, DEF, .server = "::1", .name = "x", .port = 5353 },
	{ { "@[::1]:5353", "x" }, DEF, .server = "::1", .name = "x", .port = 5353 },
	{ { "@[::1]", "x" }, DEF, .server = "::1", .name = "x" },
	{ { "@127.0.0.1#5353", "x" }, DEF, .server = "127.0.0.1", .name = "x", .port = 5353 },
	{ { "@ns1.example.net@5353", "x" }, DEF, .server = "ns1.example.net", .name = "x", .port = 5353 },
	{ { "@fe80::1%lo", "x" }, DEF, .server = "fe80::1%lo", .name = "x" },
	/* the port given last wins, as in kdig */
	{ { "-p", "10", "@127.0.0.1@9", "x" }, DEF, .server = "127.0.0.1", .name = "x", .port = 9 },
	{ { "@127.0.0.1@9", "-p", "10", "x" }, DEF, .server = "127.0.0.1", .name = "x", .port = 10 },
	/* -4 and -6 with an address of their family, or with a name */
	{ { "-6", "@::1", "x" }, DEF, .server = "::1", .name = "x", .family = AF_INET6 },
	{ { "@127.0.0.1", "-4", "x" }, DEF, .server = "127.0.0.1", .name = "x", .family = AF_INET },
	{ { "-6", "@localhost", "x" }, DEF, .server = "localhost", .name = "x", .family = AF_INET6 },
	{ { "-t", "AAAA", "-q", "www.example.com", "-c", "IN" }, DEF, .name = "www.example.com", .qtype = 28 },
	{ { "-6", "x.", "+bufsize=4096" }, DEF, .name = "x.", .family = AF_INET6, .bufsize = 4096 },
	{ { "-4", "x" }, DEF, .name = "x", .family = AF_INET },
	{ { "x", "+noedns" }, DEF, .name = "x", .edns = false },
	/* +bufsize after +noedns turns EDNS back on, as in dig */
	{ { "x", "+noedns", "+bufsize=0" }, DEF, .name = "x", .bufsize = 0 },
	{ { "x", "+tcp", "+nsid", "+dnssec", "+json" }, DEF, .name = "x", .tcp_only = true,
	  .nsid = true, .dnssec = true, .json = true },
	{ { "x", "+vc", "+notcp" }, DEF, .name = "x" },
	{ { "x", "+ignore", "+short", "+compare" }, DEF, .name = "x", .ignore_tc = true,
	  .short_out = true, .compare = true },
	{ { "x", "+timeout=5", "+tries=1" }, DEF, .name = "x", .timeout_ms = 5000, .tries = 1 },
	{ { "x", "+timeout=0.25" }, DEF, .name = "x", .timeout_ms = 250 },
	{ { "x", "+TCP" }, DEF, .name = "x", .tcp_only = true },
};
#pragma GCC diagnostic pop

static const char *const bad_cases[][MAXARGS] = {
	{ NULL },                              /* no NAME */
	{ "@127.0.0.1" },                      /* no NAME */
	{ "@", "x" },                          /* empty server */
	{ "x", "-p" },                         /* missing argument */
	{ "x", "-p", "0" },
	{ "x", "-p", "65536" },
	{ "x", "-p", "53x" },
	{ "x", "-z" },
	{ "x", "+bufsize=65536" },
	{ "x", "+bufsize" },
	{ "x", "+bufsize=-1" },
	{ "x", "+timeout=0" },
	{ "x", "+timeout=abc" },
	{ "x", "+tries=0" },
	{ "x", "+tries=21" },
	{ "x", "+frob" },
	{ "x", "+nobufsize" },
	{ "x", "+tcp=1" },
	{ "x", "+validate" },                  /* no +anchor */
	{ "x", "+anchor" },                    /* no FILE */
	{ "x", "+anchor=" },
	{ "x", "+validate", "+anchor=k.ds", "+noedns" },
	{ "x", "A", "AAAA" },                  /* type twice */
	{ "x", "NOSUCHTYPE" },
	{ "x", "+tcp", "+ignore" },            /* contradict each other */
	{ "x", "+json", "+short" },
	{ "x", "-t", "BOGUS" },
	{ "ns", "NS" },                        /* type twice: the name is ns. or -q ns */
	{ "a" },                               /* a type and no NAME */
	{ "x", "IN", "CH" },                   /* class twice */
	{ "x", "y" },                          /* two names */
	{ "x", "TYPE1x" },                     /* TYPE, then not only digits */
	{ "x", "TYPE65536" },
	{ "x", "CLASS65536" },
	/* malformed server forms */
	{ "@127.0.0.1@", "x" },
	{ "@127.0.0.1@0", "x" },
	{ "@127.0.0.1@65536", "x" },
	{ "@127.0.0.1@53x", "x" },
	{ "@127.0.0.1#", "x" },
	{ "@@53", "x" },
	{ "@[::1", "x" },
	{ "@[::1]x", "x" },
	{ "@[::1]:", "x" },
	{ "@[]:53", "x" },
	{ "@[127.0.0.1]:53", "x" },            /* brackets hold IPv6 */
	{ "@127.0.0.1:5353", "x" },            /* a colon before the port needs brackets */
	/* -4 or -6 against the server address's family */
	{ "-6", "@127.0.0.1", "x" },
	{ "@::1", "-4", "x" },
	{ "-6", "@127.0.0.1@5353", "x" },
	{ "@[::1]:53", "x", "-4" },
};

static int argv_of(char **argv, const char *const *args)
{
	int argc = 0;

	argv[argc++] = (char *)"dualq";
	for (int i = 0; i < MAXARGS && args[i] != NULL; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	return argc;
}

static void test_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct dualq_options o;
		char *argv[MAXARGS + 2], err[256];
		int argc = argv_of(argv, c->argv);

		options_init(&o);
		int rc = options_parse(&o, err, sizeof(err), argc, argv);
		if (rc != 0)
			fail_msg("case %zu (%s ...): %s", i, c->argv[0], err);
		assert_string_equal(o.server, c->server ? c->server : "");
		assert_string_equal(o.name, c->name);
		assert_int_equal(o.port, c->port);
		assert_int_equal(o.qtype, c->qtype);
		assert_int_equal(o.qclass, c->qclass);
		assert_int_equal(o.bufsize, c->bufsize);
		assert_int_equal(o.family, c->family);
		assert_int_equal(o.edns, c->edns);
		assert_int_equal(o.tcp_only, c->tcp_only);
		assert_int_equal(o.ignore_tc, c->ignore_tc);
		assert_int_equal(o.nsid, c->nsid);
		assert_int_equal(o.dnssec, c->dnssec);
		assert_int_equal(o.json, c->json);
		assert_int_equal(o.short_out, c->short_out);
		assert_int_equal(o.compare, c->compare);
		assert_int_equal(o.timeout_ms, c->timeout_ms);
		assert_int_equal(o.tries, c->tries);
	}
}

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct dualq_options o;
		char *argv[MAXARGS + 2], err[256];
		int argc = argv_of(argv, bad_cases[i]);

		options_init(&o);
		int rc = options_parse(&o, err, sizeof(err), argc, argv);
		if (rc != -EINVAL)
			fail_msg("case %zu (%s ...) was accepted", i, bad_cases[i][0] ? bad_cases[i][0] : "");
		/* one line, for "dualq: <reason>" on stderr */
		assert_true(err[0] != '\0');
		assert_null(strchr(err, '\n'));
	}
}

/* +validate with +anchor=FILE: the file kept, DO implied (the signatures come only with it);
 * +anchor alone is kept without validating. */
static void test_validate(void **state)
{
	struct dualq_options o;
	char *v[] = { (char *)"dualq", (char *)"x", (char *)"+anchor=k.ds", (char *)"+validate", NULL };
	char *a[] = { (char *)"dualq", (char *)"+anchor=k.key", (char *)"x", NULL }, err[256];

	(void)state;
	options_init(&o);
	assert_false(o.validate);
	assert_null(o.anchor);
	assert_int_equal(options_parse(&o, err, sizeof(err), 4, v), 0);
	assert_true(o.validate);
	assert_true(o.dnssec);
	assert_string_equal(o.anchor, "k.ds");
	options_init(&o);
	assert_int_equal(options_parse(&o, err, sizeof(err), 3, a), 0);
	assert_false(o.validate);
	assert_false(o.dnssec);
	assert_string_equal(o.anchor, "k.key");
}

static void test_help_needs_no_name(void **state)
{
	struct dualq_options o;
	char *argv[] = { (char *)"dualq", (char *)"-h", NULL }, err[64];

	(void)state;
	options_init(&o);
	assert_int_equal(options_parse(&o, err, sizeof(err), 2, argv), 0);
	assert_true(o.help);
}

/* -V, -v and --version ask for the version, which needs no NAME either. */
static void test_version(void **state)
{
	static const char *const spellings[] = { "-V", "-v", "--version" };

	(void)state;
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		struct dualq_options o;
		char *argv[] = { (char *)"dualq", (char *)spellings[i], NULL }, err[64];

		options_init(&o);
		assert_int_equal(options_parse(&o, err, sizeof(err), 2, argv), 0);
		assert_true(o.version);
	}
}

/* Parses args, which must fail, and returns the reason. */
static void parse_fails(char *err, size_t errlen, const char *const *args)
{
	struct dualq_options o;
	char *argv[MAXARGS + 2];
	int argc = argv_of(argv, args);

	options_init(&o);
	assert_int_equal(options_parse(&o, err, errlen, argc, argv), -EINVAL);
}

/* The reasons a user reads for the words and forms that are easy to get wrong. */
static void test_messages(void **state)
{
	static const struct { const char *argv[MAXARGS]; const char *reason; } cases[] = {
		{ { "-6", "@127.0.0.1", "x" },
		  "-6 asks for IPv6 but the server 127.0.0.1 is an IPv4 address" },
		{ { "@[::1]:5353", "-4", "x" },
		  "-4 asks for IPv4 but the server ::1 is an IPv6 address" },
		{ { "a" },
		  "no NAME to query: a is read as a type (for the name a, write a. or -q a)" },
		{ { "ch" },
		  "no NAME to query: ch is read as a class (for the name ch, write ch. or -q ch)" },
		{ { "ns", "NS" },
		  "type given twice, as ns and NS (a NAME that spells a type or class takes its "
		  "trailing dot, ns., or -q)" },
		{ { "@127.0.0.1@x", "x" }, "@127.0.0.1@x: the port must be a number from 1 to 65535" },
		{ { "x", "+validate" },
		  "+validate needs +anchor=FILE: the DS or DNSKEY records validation starts from" },
		{ { "@[::1", "x" }, "@[::1: no ] after the IPv6 address" },
		{ { "@127.0.0.1:5353", "x" },
		  "@127.0.0.1:5353: write the port as @ADDR@PORT or -p PORT (a colon before the "
		  "port needs brackets: @[::1]:5353)" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_fails(err, sizeof(err), cases[i].argv);
		assert_string_equal(err, cases[i].reason);
	}
}

/* A server name longer than any domain name is refused, not cut. */
static void test_server_too_long(void **state)
{
	char arg[DUALQ_SERVER_MAX + 2], err[256];
	const char *args[] = { arg, "x", NULL };

	(void)state;
	arg[0] = '@';
	memset(arg + 1, 'a', DUALQ_SERVER_MAX);
	arg[DUALQ_SERVER_MAX + 1] = '\0';
	parse_fails(err, sizeof(err), args);
	assert_non_null(strstr(err, "a server name has at most 255 characters, not 256"));
	arg[DUALQ_SERVER_MAX] = '\0';  /* 255 characters fit */
	struct dualq_options o;
	char *argv[MAXARGS + 2];
	int argc = argv_of(argv, args);
	options_init(&o);
	assert_int_equal(options_parse(&o, err, sizeof(err), argc, argv), 0);
	assert_int_equal(strlen(o.server), DUALQ_SERVER_MAX - 1);
}

/* The server from resolv.conf is held to -4/-6 the same way; a name always passes. */
static void test_check_family(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(options_check_family(err, sizeof(err), "127.0.0.53", AF_INET6,
					      " (from /etc/resolv.conf)"), -EINVAL);
	assert_string_equal(err, "-6 asks for IPv6 but the server 127.0.0.53 (from /etc/resolv.conf) "
			    "is an IPv4 address");
	assert_int_equal(options_check_family(err, sizeof(err), "127.0.0.53", AF_INET, ""), 0);
	assert_int_equal(options_check_family(err, sizeof(err), "127.0.0.53", AF_UNSPEC, ""), 0);
	assert_int_equal(options_check_family(err, sizeof(err), "2001:db8::53", AF_INET, ""), -EINVAL);
	assert_int_equal(options_check_family(err, sizeof(err), "ns.example", AF_INET6, ""), 0);
}

/* The file lives in the current folder, the build tree under make check. */
/* The question every leg sends comes from the options, name in wire form. */
static void test_query_from_options(void **state)
{
	struct dualq_options opt;
	struct exchange_query q;

	(void)state;
	options_init(&opt);
	opt.name = "Www.Example.Test.";
	opt.qtype = 16;
	opt.edns = false;
	opt.nsid = true;
	opt.dnssec = true;
	opt.bufsize = 4096;
	assert_int_equal(options_query(&q, &opt), 0);
	assert_int_equal(q.qname_len, 18);
	assert_memory_equal(q.qname, "\3Www\7Example\4Test", 18); /* case as given */
	assert_int_equal(q.qtype, 16);
	assert_int_equal(q.qclass, 1);
	assert_false(q.edns);
	assert_true(q.nsid);
	assert_true(q.dnssec);
	assert_int_equal(q.bufsize, 4096);
	opt.name = "a..b";
	assert_int_equal(options_query(&q, &opt), -EINVAL);
}

static void test_resolv_conf(void **state)
{
	char path[] = "dualq-resolv-XXXXXX", buf[64];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	const char text[] = "# comment\nsearch example.com\nnameserverx 1.1.1.1\n"
			    "  nameserver\t192.0.2.53  # first\nnameserver 2001:db8::53\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(options_resolv_conf_server(buf, sizeof(buf), path), 0);
	assert_string_equal(buf, "192.0.2.53");

	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("search example.com\n", f);
	fclose(f);
	assert_int_equal(options_resolv_conf_server(buf, sizeof(buf), path), -ENOENT);
	unlink(path);
	assert_int_equal(options_resolv_conf_server(buf, sizeof(buf), path), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_help_needs_no_name),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_server_too_long),
		cmocka_unit_test(test_check_family),
		cmocka_unit_test(test_query_from_options),
		cmocka_unit_test(test_resolv_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
