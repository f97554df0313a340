/* SPDX-License-Identifier: BSD-3-Clause */
/* test_zoneconf.c: the zone configuration built from --key and the configuration file:
 * the keys (the command line's win), each zone's notify targets with their keys. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "zoneconf.h"

#define SECRET_A "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=" /* 32 x 'a' */
#define SECRET_B "YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmI=" /* 32 x 'b' */

static const char conf_text[] =
	"key:\n"
	"  - id: xfr.example.\n"
	"    algorithm: hmac-sha256\n"
	"    secret: " SECRET_A "\n"
	"  - id: other.example.\n"
	"    algorithm: hmac-sha512\n"
	"    secret: " SECRET_A "\n"
	"remote:\n"
	"  - id: two\n"
	"    address: [ 192.0.2.1@5300, \"2001:db8::1\" ]\n"
	"    key: xfr.example.\n"
	"  - id: plain\n"
	"    address: 192.0.2.2\n"
	"zone:\n"
	"  - domain: example.org\n"
	"    file: example.org.zone\n"
	"    notify: [ two, plain ]\n"
	"  - domain: Example.NET.\n"
	"    file: example.net.zone\n";

static void load(struct conf *c)
{
	char dir[] = "test_zoneconf.XXXXXX", path[64], err[256];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dualnsd.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(conf_text, f);
	fclose(f);
	assert_int_equal(conf_load(path, c, err, sizeof(err)), 0);
	unlink(path);
	rmdir(dir);
}

static const struct tsig_key *key(const struct zoneconf *zc, const char *name)
{
	uint8_t wire[DNS_MAX_NAME];
	char err[128];
	size_t len = tsig_key_name_wire(wire, name, err, sizeof(err));

	assert_true(len > 0);
	return tsig_keyring_find(zc->keys, wire, len);
}

/* The file's keys join --key's; a name both give keeps the command line's secret. */
static void test_keys(void **state)
{
	struct tsig_keyring *cmdline = tsig_keyring_new();
	struct zoneconf *zc;
	struct conf c;
	char err[256];

	(void)state;
	load(&c);
	assert_non_null(cmdline);
	assert_int_equal(tsig_keyring_add(cmdline, "xfr.example", "hmac-sha256", SECRET_B, err,
					  sizeof(err)), 0);
	assert_int_equal(tsig_keyring_add(cmdline, "cli.example", "hmac-sha1", SECRET_B, err,
					  sizeof(err)), 0);
	assert_int_equal(zoneconf_build(&zc, cmdline, &c, err, sizeof(err)), 0);
	assert_int_equal(zc->keys->count, 3);
	assert_non_null(key(zc, "xfr.example."));
	assert_int_equal(key(zc, "xfr.example.")->secret[0], 'b');
	assert_non_null(key(zc, "other.example"));
	assert_int_equal(key(zc, "other.example")->alg, HMAC_SHA512);
	assert_int_equal(key(zc, "other.example")->secret[0], 'a');
	assert_non_null(key(zc, "cli.example"));
	zoneconf_unref(zc);
	tsig_keyring_unref(cmdline);
	conf_free(&c);
}

/* Each address of each notify remote is a target with the remote's key; a zone without
 * notify falls back to the server-wide list (has_notify false); no file, no zones. */
static void test_notify_targets(void **state)
{
	const struct zoneconf_zone *zz;
	struct zoneconf *zc;
	struct conf c;
	char err[256];
	const struct sockaddr_in *v4;
	const struct sockaddr_in6 *v6;

	(void)state;
	load(&c);
	assert_int_equal(zoneconf_build(&zc, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(zc->zone_count, 2);
	zz = zoneconf_find(zc, (const uint8_t *)"\7example\3org", 13);
	assert_non_null(zz);
	assert_true(zz->has_notify);
	assert_int_equal(zz->notify_count, 3);
	v4 = (const struct sockaddr_in *)&zz->notify[0].addr;
	assert_int_equal(v4->sin_family, AF_INET);
	assert_int_equal(ntohs(v4->sin_port), 5300);
	assert_int_equal(zz->notify[0].addr_len, sizeof(struct sockaddr_in));
	assert_string_equal(zz->notify[0].key, "xfr.example.");
	v6 = (const struct sockaddr_in6 *)&zz->notify[1].addr;
	assert_int_equal(v6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(v6->sin6_port), 53);
	assert_int_equal(zz->notify[1].addr_len, sizeof(struct sockaddr_in6));
	assert_string_equal(zz->notify[1].key, "xfr.example.");
	assert_string_equal(zz->notify[2].key, "");
	zz = zoneconf_find(zc, (const uint8_t *)"\7example\3net", 13);
	assert_non_null(zz);
	assert_false(zz->has_notify);
	assert_null(zoneconf_find(zc, (const uint8_t *)"\7example\3com", 13));
	zoneconf_unref(zc);
	conf_free(&c);

	assert_int_equal(zoneconf_build(&zc, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(zc->zone_count, 0);
	assert_int_equal(zc->keys->count, 0);
	assert_null(zoneconf_find(zc, (const uint8_t *)"\7example\3org", 13));
	zoneconf_unref(zc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_notify_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
