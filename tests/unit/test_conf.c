/* SPDX-License-Identifier: BSD-3-Clause */
/* test_conf.c: the configuration file: a good file resolves every section, each mistake
 * gives its FILE:LINE:COL and message, and server keys become the command line's options. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "confoptions.h"
#include "netio.h"
#include "options.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "test_conf.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/dualnsd.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads text as the file; returns conf_load()'s result with err filled. */
static int load(const char *text, struct conf *c, char *err, size_t errlen)
{
	write_conf(text);
	return conf_load(path, c, err, errlen);
}

static const char good[] =
	"# every section, single items without brackets\n"
	"server:\n"
	"  port: 5353\n"
	"  listen: [127.0.0.1, \"::1\"]\n"
	"  hide-version: true\n"
	"  reuseport: false\n"
	"  force-tc: 3\n"
	"  rrl-exempt: 192.0.2.0/24\n"
	"key:\n"
	"  - id: Transfer.Key.\n"
	"    algorithm: hmac-sha256\n"
	"    secret: c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n"
	"  - id: other\n"
	"    algorithm: HMAC-SHA512\n"
	"    secret: AAEC\n"
	"remote:\n"
	"  id: secondary\n"
	"  address: [192.0.2.1@5300, \"2001:db8::53\"]\n"
	"  key: transfer.key\n"
	"acl:\n"
	"  - id: xfr\n"
	"    address: [10.0.0.0/8, 192.0.2.10-192.0.2.20, \"2001:db8::/32\"]\n"
	"    key: [transfer.key, other]\n"
	"    action: transfer\n"
	"  - id: notify-in\n"
	"    address: 198.51.100.7\n"
	"    action: [notify, transfer]\n"
	"zone:\n"
	"  - domain: Example.COM\n"
	"    file: example.com.zone\n"
	"    notify: secondary\n"
	"    acl: [xfr, notify-in]\n"
	"  - domain: example.net.\n"
	"    file: /abs/example.net.zone\n";

static void addr4(struct sockaddr_in *sin, const char *text)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &sin->sin_addr), 1);
}

static void test_good(void **state)
{
	static const uint8_t com[] = "\x07" "example" "\x03" "com";
	char err[CONF_ERR_SIZE], expect[256];
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;
	struct sockaddr_in a;
	struct conf c;

	(void)state;
	assert_int_equal(load(good, &c, err, sizeof(err)), 0);
	assert_int_equal(c.key_count, 2);
	assert_int_equal(c.keys[0].algorithm, CONF_HMAC_SHA256);
	assert_string_equal(c.keys[0].algorithm_name, "hmac-sha256");
	assert_int_equal(c.keys[0].secret_len, 24);
	assert_memory_equal(c.keys[0].secret, "secretsecretsecretsecret", 24);
	/* Key names are domain names: wire form, lower case. */
	assert_int_equal(c.keys[0].wire_len, 14);
	assert_memory_equal(c.keys[0].wire, "\x08transfer\x03key", 14);
	assert_int_equal(c.keys[1].algorithm, CONF_HMAC_SHA512);
	assert_int_equal(c.keys[1].secret_len, 3);

	assert_int_equal(c.remote_count, 1);
	assert_int_equal(c.remotes[0].addr_count, 2);
	sin = (const struct sockaddr_in *)&c.remotes[0].addrs[0];
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 5300);
	sin6 = (const struct sockaddr_in6 *)&c.remotes[0].addrs[1];
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 53);
	assert_ptr_equal(c.remotes[0].key, &c.keys[0]);

	assert_int_equal(c.acl_count, 2);
	assert_int_equal(c.acls[0].addr_count, 3);
	assert_int_equal(c.acls[0].addrs[0].prefix, 8);
	assert_true(c.acls[0].addrs[1].range);
	assert_int_equal(c.acls[0].addrs[2].family, AF_INET6);
	assert_int_equal(c.acls[0].key_count, 2);
	assert_ptr_equal(c.acls[0].keys[0], &c.keys[0]);
	assert_ptr_equal(c.acls[0].keys[1], &c.keys[1]);
	assert_int_equal(c.acls[0].actions, CONF_ACTION_TRANSFER);
	assert_int_equal(c.acls[1].actions, CONF_ACTION_TRANSFER | CONF_ACTION_NOTIFY);
	assert_int_equal(c.acls[1].addrs[0].prefix, 32);
	assert_int_equal(c.acls[1].key_count, 0);
	/* Matching: prefix and range ends included, one past excluded. */
	addr4(&a, "10.255.0.1");
	assert_true(confaddr_matches(&c.acls[0].addrs[0], (struct sockaddr *)&a));
	addr4(&a, "11.0.0.0");
	assert_false(confaddr_matches(&c.acls[0].addrs[0], (struct sockaddr *)&a));
	addr4(&a, "192.0.2.20");
	assert_true(confaddr_matches(&c.acls[0].addrs[1], (struct sockaddr *)&a));
	addr4(&a, "192.0.2.21");
	assert_false(confaddr_matches(&c.acls[0].addrs[1], (struct sockaddr *)&a));
	assert_false(confaddr_matches(&c.acls[0].addrs[2], (struct sockaddr *)&a));

	assert_int_equal(c.zone_count, 2);
	assert_string_equal(c.zones[0].domain, "Example.COM");
	assert_int_equal(c.zones[0].wire_len, sizeof(com));
	assert_memory_equal(c.zones[0].wire, com, sizeof(com));
	/* A relative zone file is relative to the configuration file's folder. */
	snprintf(expect, sizeof(expect), "%s/example.com.zone", dir);
	assert_string_equal(c.zones[0].file, expect);
	snprintf(expect, sizeof(expect), "Example.COM=%s/example.com.zone", dir);
	assert_string_equal(c.zones[0].arg, expect);
	assert_int_equal(c.zones[0].notify_count, 1);
	assert_ptr_equal(c.zones[0].notify[0], &c.remotes[0]);
	assert_int_equal(c.zones[0].acl_count, 2);
	assert_ptr_equal(c.zones[0].acl[1], &c.acls[1]);
	assert_string_equal(c.zones[1].file, "/abs/example.net.zone");
	assert_int_equal(c.zones[1].notify_count, 0);

	/* false for a flag gives no word; a list gives one word per item. */
	assert_int_equal(c.word_count, 6);
	assert_string_equal(c.words[0].word, "--port=5353");
	assert_int_equal(c.words[0].line, 3);
	assert_int_equal(c.words[0].column, 9);
	assert_string_equal(c.words[1].word, "--listen=127.0.0.1");
	assert_string_equal(c.words[2].word, "--listen=::1");
	assert_string_equal(c.words[3].word, "--hide-version");
	assert_string_equal(c.words[4].word, "--force-tc=3");
	assert_string_equal(c.words[5].word, "--rrl-exempt=192.0.2.0/24");
	conf_free(&c);
	assert_null(c.keys);
}

static void test_empty(void **state)
{
	char err[CONF_ERR_SIZE];
	struct conf c;

	(void)state;
	assert_int_equal(load("# nothing yet\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.zone_count + c.key_count + c.word_count, 0);
	conf_free(&c);
	assert_int_equal(load("---\n# a document with nothing in it\n...\n", &c, err,
			      sizeof(err)), 0);
	assert_int_equal(c.zone_count + c.key_count + c.word_count, 0);
	conf_free(&c);
}

static void test_missing_file(void **state)
{
	char err[CONF_ERR_SIZE];
	struct conf c;

	(void)state;
	assert_int_equal(conf_load("no/such/dualnsd.conf", &c, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "no/such/dualnsd.conf: No such file or directory");
}

/* One broken file and the error it must give: "LINE:COL: " and a substring. */
struct error_case {
	const char *name;
	const char *text;
	const char *where;
	const char *message;
};

#define KEY "key:\n  id: k\n  algorithm: hmac-sha256\n  secret: AAEC\n"

static const struct error_case error_cases[] = {
	{ "yaml syntax", "zone:\n  - domain: [a\n", "3:1", "YAML: while parsing a flow" },
	{ "yaml tab", "server:\n\tport: 53\n", "2:1", "YAML: " },
	{ "two documents", "zone: []\n---\nkey: []\n", "3:1", "a second YAML document" },
	{ "syntax in a second document", "zone: []\n---\nkey: [\n", "4:1", "YAML: " },
	{ "unknown section", "server: {}\nzones: []\n", "2:1", "unknown key 'zones' in the file" },
	{ "root is a list", "- zone\n", "1:1", "expected sections" },
	{ "section is a value", "zone: example.com\n", "1:7",
	  "zone: expected a map or a list, not a value" },
	{ "server is a list", "server: [a]\n", "1:9", "server: expected a map, not a list" },
	{ "duplicate section", "zone: []\nzone: []\n", "2:1", "duplicate key 'zone' in the file" },
	{ "unknown key", "key:\n  id: k\n  algo: x\n", "3:3", "unknown key 'algo' in key" },
	{ "duplicate key in a map", "remote:\n  id: r\n  id: s\n  address: 192.0.2.1\n", "3:3",
	  "duplicate key 'id' in remote" },
	{ "map for a value", "key:\n  id: {a: b}\n  algorithm: hmac-sha1\n  secret: AAEC\n", "2:7",
	  "key id: expected a value, not a map" },
	{ "empty value", "zone:\n  domain:\n  file: x\n", "2:10", "zone domain: give a value" },
	{ "list in a list", "acl:\n  id: a\n  action: [[transfer]]\n", "3:12",
	  "acl action: expected a value, not a list" },
	{ "server unknown key", "server:\n  prot: 53\n", "2:3", "unknown key 'prot' in server" },
	{ "server refused", "server:\n  check: true\n", "2:3", "'check' is for the command line only" },
	{ "server config", "server:\n  config: x\n", "2:3", "'config' is for the command line only" },
	{ "server not a number", "server:\n  port: abc\n", "2:9",
	  "--port: 'abc' is not a number from 1 to 65535" },
	{ "server range", "server:\n  udp-size: 100000\n", "2:13",
	  "--udp-size: '100000' is not a number from 512 to 65535" },
	{ "server flag", "server:\n  hide-version: yes\n", "2:17", "hide-version: give true or false" },
	{ "server one value", "server:\n  port: [53, 54]\n", "2:9", "port: expected a value, not a list" },
	{ "server bad address", "server:\n  listen: [127.0.0.1, nowhere]\n", "2:23",
	  "--listen: 'nowhere' is not a numeric" },
	{ "server duplicate", "server:\n  port: 53\n  port: 54\n", "3:3",
	  "duplicate key 'port' in server" },
#ifdef HAVE_XDP
	{ "server xdp name too long", "server:\n  xdp: sixteen-chars-xx\n", "2:8",
	  "--xdp: 'sixteen-chars-xx' is not an interface name" },
#else
	{ "server xdp not built", "server:\n  xdp: eth0\n", "2:8",
	  "--xdp: built without XDP support (./configure --enable-xdp)" },
#endif
	{ "key missing id", "key:\n  algorithm: hmac-sha1\n  secret: AAEC\n", "2:3", "key: missing 'id'" },
	{ "key missing algorithm", "key:\n  id: k\n  secret: AAEC\n", "2:3", "key: missing 'algorithm'" },
	{ "key missing secret", "key:\n  id: k\n  algorithm: hmac-sha1\n", "2:3",
	  "key: missing 'secret'" },
	{ "key bad algorithm", "key:\n  id: k\n  algorithm: hmac-md5\n  secret: AAEC\n", "3:14",
	  "'hmac-md5' is not hmac-sha1" },
	{ "key bad secret", "key:\n  id: k\n  algorithm: hmac-sha1\n  secret: not*base64\n", "4:11",
	  "key secret: not base64" },
	{ "key bad name", "key:\n  id: a..b\n  algorithm: hmac-sha1\n  secret: AAEC\n", "2:7",
	  "key id: 'a..b' is not a domain name" },
	{ "key duplicate id", "key:\n  - id: k\n    algorithm: hmac-sha1\n    secret: AAEC\n"
	  "  - id: K.\n    algorithm: hmac-sha1\n    secret: AAEC\n", "5:9", "duplicate key id 'K.'" },
	{ "remote missing address", "remote:\n  id: r\n", "2:3", "remote: missing 'address'" },
	{ "remote bad address", "remote:\n  id: r\n  address: 192.0.2.300\n", "3:12",
	  "'192.0.2.300' is not ADDR or ADDR@PORT" },
	{ "remote bad port", "remote:\n  id: r\n  address: [192.0.2.1@0]\n", "3:13",
	  "'192.0.2.1@0' is not ADDR or ADDR@PORT" },
	{ "remote undefined key", "remote:\n  id: r\n  address: 192.0.2.1\n  key: nokey\n", "4:8",
	  "undefined key 'nokey'" },
	{ "remote duplicate id", "remote:\n  - id: r\n    address: 192.0.2.1\n  - id: r\n"
	  "    address: 192.0.2.2\n", "4:9", "duplicate remote id 'r'" },
	{ "acl missing action", "acl:\n  id: a\n  address: 192.0.2.1\n", "2:3", "acl: missing 'action'" },
	{ "acl bad prefix", "acl:\n  id: a\n  address: 10.0.0.0/33\n  action: transfer\n", "3:12",
	  "'10.0.0.0/33' is not ADDR, ADDR/LEN or ADDR1-ADDR2" },
	{ "acl host bits", "acl:\n  id: a\n  address: 10.0.0.1/8\n  action: transfer\n", "3:12",
	  "'10.0.0.1/8' is not ADDR" },
	{ "acl reversed range", "acl:\n  id: a\n  address: 10.0.0.9-10.0.0.1\n  action: transfer\n",
	  "3:12", "'10.0.0.9-10.0.0.1' is not" },
	{ "acl mixed range", "acl:\n  id: a\n  address: \"10.0.0.1-::1\"\n  action: transfer\n",
	  "3:12", "is not ADDR" },
	{ "acl bad action", "acl:\n  id: a\n  action: [transfer, update]\n", "3:22",
	  "acl action: 'update' is not transfer or notify" },
	{ "acl undefined key", KEY "acl:\n  id: a\n  key: [k, nokey]\n  action: notify\n", "7:12",
	  "undefined key 'nokey'" },
	{ "acl duplicate id", "acl:\n  - id: a\n    action: notify\n  - id: a\n    action: notify\n",
	  "4:9", "duplicate acl id 'a'" },
	{ "zone missing domain", "zone:\n  file: x.zone\n", "2:3", "zone: missing 'domain'" },
	{ "zone missing file", "zone:\n  domain: example.com\n", "2:3", "zone: missing 'file'" },
	{ "zone master and primary", "remote:\n  id: p\n  address: 192.0.2.1\nzone:\n"
	  "  domain: example.com\n  master: p\n  primary: p\n", "7:12",
	  "give master or primary, not both" },
	{ "zone undefined master", "zone:\n  domain: example.com\n  master: nope\n", "3:11",
	  "undefined remote 'nope'" },
	{ "zone empty master", "zone:\n  domain: example.com\n  master: []\n", "3:11",
	  "zone master: names no remote" },
	{ "zone bad domain", "zone:\n  domain: a..com\n  file: x\n", "2:11",
	  "zone domain: 'a..com' is not a domain name" },
	{ "zone duplicate", "zone:\n  - domain: example.com\n    file: a\n  - domain: EXAMPLE.com.\n"
	  "    file: b\n", "4:13", "duplicate zone domain 'EXAMPLE.com.'" },
	{ "zone undefined remote", "zone:\n  domain: example.com\n  file: a\n  notify: r\n", "4:11",
	  "undefined remote 'r'" },
	{ "zone undefined acl", "zone:\n  domain: example.com\n  file: a\n  acl: [x]\n", "4:9",
	  "undefined acl 'x'" },
};

static void test_errors(void **state)
{
	char err[CONF_ERR_SIZE], expect[256];
	struct conf c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *e = &error_cases[i];
		int r = load(e->text, &c, err, sizeof(err));

		snprintf(expect, sizeof(expect), "%s:%s: ", path, e->where);
		if (r != -EINVAL || strncmp(err, expect, strlen(expect)) != 0 ||
		    strstr(err, e->message) == NULL)
			fail_msg("%s: got %d '%s', want '%s%s'", e->name, r, err, expect, e->message);
		/* On failure nothing is left to free. */
		assert_null(c.keys);
		assert_null(c.words);
		assert_int_equal(c.zone_count, 0);
	}
}

/* The file's server keys give the options the same words give on the command line, and
 * the command line wins: a value replaces the file's, a list the whole list. */
static void test_server_options(void **state)
{
	char *cli_argv[] = { "dualnsd", "-p", "5400", "--listen=::1", "zone.zone", NULL };
	char *file_argv[] = { "dualnsd", "--port=5353", "--listen=127.0.0.1",
			      "--listen=127.0.0.2", "--hide-version", "--force-tc=3", NULL };
	char err[CONF_ERR_SIZE];
	struct options from_file, from_cli, merged;
	char **argv;
	struct conf c;
	int argc;

	(void)state;
	assert_int_equal(load("server:\n  port: 5353\n  listen: [127.0.0.1, 127.0.0.2]\n"
			      "  hide-version: true\n  force-tc: 3\n", &c, err, sizeof(err)), 0);
	assert_int_equal(options_parse(&from_cli, 6, file_argv, err, sizeof(err)), 0);
	argv = confoptions_merge(&c, 1, cli_argv, &argc);
	assert_non_null(argv);
	assert_int_equal(options_parse(&from_file, argc, argv, err, sizeof(err)), 0);
	assert_int_equal(from_file.port, from_cli.port);
	assert_int_equal(from_file.listen_count, 2);
	assert_string_equal(from_file.listen[1], "127.0.0.2");
	assert_true(from_file.hide_version);
	assert_int_equal(from_file.force_tc, from_cli.force_tc);
	free(argv);

	argv = confoptions_merge(&c, 5, cli_argv, &argc);
	assert_non_null(argv);
	assert_int_equal(options_parse(&merged, argc, argv, err, sizeof(err)), 0);
	assert_int_equal(merged.port, 5400);
	assert_int_equal(merged.listen_count, 1);
	assert_string_equal(merged.listen[0], "::1");
	assert_true(merged.hide_version);
	assert_int_equal(merged.force_tc, 3);
	assert_int_equal(merged.zone_count, 1);
	assert_string_equal(merged.zones[0], "zone.zone");
	free(argv);
	conf_free(&c);
}

#ifdef HAVE_XDP
/* xdp: IFACE is --xdp IFACE; the command line's --xdp wins over it. (Without XDP support
 * the key fails as the option does: error_cases.) */
static void test_server_xdp(void **state)
{
	char *cli_argv[] = { "dualnsd", "--xdp", "veth-cli0", NULL };
	char err[CONF_ERR_SIZE];
	struct options o;
	struct conf c;
	char **argv;
	int argc;

	(void)state;
	assert_int_equal(load("server:\n  xdp: veth-srv0\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.word_count, 1);
	assert_string_equal(c.words[0].word, "--xdp=veth-srv0");
	argv = confoptions_merge(&c, 1, cli_argv, &argc);
	assert_non_null(argv);
	assert_int_equal(options_parse(&o, argc, argv, err, sizeof(err)), 0);
	assert_string_equal(o.xdp, "veth-srv0");
	options_free(&o);
	free(argv);
	argv = confoptions_merge(&c, 3, cli_argv, &argc);
	assert_non_null(argv);
	assert_int_equal(options_parse(&o, argc, argv, err, sizeof(err)), 0);
	assert_string_equal(o.xdp, "veth-cli0");
	options_free(&o);
	free(argv);
	conf_free(&c);
}
#endif

/* A limit that only a list reaches is reported at the item that passes it. */
static void test_server_list_limit(void **state)
{
	char text[2048], err[CONF_ERR_SIZE], expect[256];
	struct conf c;
	size_t len;
	int i;

	(void)state;
	len = (size_t)snprintf(text, sizeof(text), "server:\n  listen:\n");
	for (i = 0; i <= OPTIONS_MAX_LISTEN; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "    - 127.0.0.%d\n", i + 1);
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	snprintf(expect, sizeof(expect), "%s:%d:7: --listen: at most %d addresses", path,
		 OPTIONS_MAX_LISTEN + 3, OPTIONS_MAX_LISTEN);
	assert_string_equal(err, expect);
}

/* A text and an address: whether the entry matches it. */
struct match_case {
	const char *entry;
	const char *addr;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "192.0.2.1", "192.0.2.1", true },
	{ "192.0.2.1", "192.0.2.2", false },
	{ "0.0.0.0/0", "203.0.113.9", true },
	{ "192.0.2.128/25", "192.0.2.127", false },
	{ "192.0.2.128/25", "192.0.2.255", true },
	{ "2001:db8:8000::/33", "2001:db8:ffff::1", true },
	{ "2001:db8:8000::/33", "2001:db8:7fff::1", false },
	{ "2001:db8::/32", "192.0.2.1", false },
	{ "192.0.2.0/24", "::ffff:192.0.2.1", false },
	{ "2001:db8::10-2001:db8::20", "2001:db8::1f", true },
	{ "2001:db8::10-2001:db8::20", "2001:db8::21", false },
	{ "192.0.2.5-192.0.2.5", "192.0.2.5", true },
};

static void test_addresses(void **state)
{
	struct sockaddr_storage ss;
	struct confaddr_match m;
	const struct sockaddr_in6 *sin6;
	socklen_t len;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *t = &match_cases[i];

		assert_int_equal(confaddr_parse_match(&m, t->entry), 0);
		assert_int_equal(netio_addr_parse(&ss, &len, t->addr, 53), 0);
		if (confaddr_matches(&m, (struct sockaddr *)&ss) != t->match)
			fail_msg("%s against %s: want %s", t->entry, t->addr,
				 t->match ? "a match" : "no match");
	}
	/* Knot's ADDR@PORT, IPv6 included. */
	assert_int_equal(confaddr_parse_remote(&ss, "::1@5353"), 0);
	sin6 = (const struct sockaddr_in6 *)&ss;
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 5353);
	assert_int_equal(confaddr_parse_remote(&ss, "192.0.2.1@65536"), -EINVAL);
	assert_int_equal(confaddr_parse_remote(&ss, "192.0.2.1@"), -EINVAL);
	assert_int_equal(confaddr_parse_remote(&ss, "192.0.2.1@+53"), -EINVAL);
	assert_int_equal(confaddr_parse_match(&m, "192.0.2.0/"), -EINVAL);
	assert_int_equal(confaddr_parse_match(&m, "2001:db8::/129"), -EINVAL);
	assert_int_equal(confaddr_parse_match(&m, "192.0.2.1-"), -EINVAL);
}

/* Keys are found by name without case, and with or without the final dot. */
/* A secondary zone: `master` (or `primary`) names its remotes, the file is optional, and
 * it is no zone argument (the secondary module loads it). */
static void test_secondary(void **state)
{
	char err[CONF_ERR_SIZE];
	struct conf c;

	(void)state;
	assert_int_equal(load(KEY "remote:\n  - id: p1\n    address: 192.0.2.1\n    key: k\n"
			      "  - id: p2\n    address: \"::1@5300\"\n"
			      "zone:\n  - domain: a.example\n    master: [p1, p2]\n"
			      "  - domain: b.example\n    primary: p2\n    file: /var/b.zone\n",
			      &c, err, sizeof(err)), 0);
	assert_int_equal(c.zone_count, 2);
	assert_int_equal(c.zones[0].master_count, 2);
	assert_ptr_equal(c.zones[0].masters[0], &c.remotes[0]);
	assert_ptr_equal(c.zones[0].masters[1], &c.remotes[1]);
	assert_null(c.zones[0].file);
	assert_null(c.zones[0].arg);
	assert_int_equal(c.zones[1].master_count, 1);
	assert_ptr_equal(c.zones[1].masters[0], &c.remotes[1]);
	assert_string_equal(c.zones[1].file, "/var/b.zone");
	assert_null(c.zones[1].arg);
	conf_free(&c);
}

static void test_find(void **state)
{
	char err[CONF_ERR_SIZE];
	struct conf c;

	(void)state;
	assert_int_equal(load(good, &c, err, sizeof(err)), 0);
	assert_ptr_equal(conf_key_find(&c, "TRANSFER.KEY"), &c.keys[0]);
	assert_ptr_equal(conf_key_find(&c, "transfer.key."), &c.keys[0]);
	assert_null(conf_key_find(&c, "transfer"));
	assert_ptr_equal(conf_remote_find(&c, "secondary"), &c.remotes[0]);
	assert_null(conf_remote_find(&c, "Secondary"));
	assert_ptr_equal(conf_acl_find(&c, "notify-in"), &c.acls[1]);
	assert_null(conf_acl_find(&c, "nope"));
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_server_options),
		cmocka_unit_test(test_server_list_limit),
#ifdef HAVE_XDP
		cmocka_unit_test(test_server_xdp),
#endif
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_secondary),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
