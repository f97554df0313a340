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
	/* the first word is the name even when it spells a type */
	{ { "ns", "NS" }, DEF, .name = "ns", .qtype = 2 },
	{ { "example.com", "TYPE65280" }, DEF, .name = "example.com", .qtype = 65280 },
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
	{ "x", "A", "AAAA" },                  /* type twice */
	{ "x", "NOSUCHTYPE" },
	{ "x", "+tcp", "+ignore" },            /* contradict each other */
	{ "x", "+json", "+short" },
	{ "x", "-t", "BOGUS" },
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
		if (c->server)
			assert_string_equal(o.server, c->server);
		else
			assert_null(o.server);
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

static void test_help_needs_no_name(void **state)
{
	struct dualq_options o;
	char *argv[] = { (char *)"dualq", (char *)"-h", NULL }, err[64];

	(void)state;
	options_init(&o);
	assert_int_equal(options_parse(&o, err, sizeof(err), 2, argv), 0);
	assert_true(o.help);
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
		cmocka_unit_test(test_help_needs_no_name),
		cmocka_unit_test(test_query_from_options),
		cmocka_unit_test(test_resolv_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
