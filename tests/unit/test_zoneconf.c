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
#include "zonedb.h"
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
	"acl:\n"
	"  - id: range\n"
	"    address: 192.0.2.1-192.0.2.6\n"
	"    action: transfer\n"
	"  - id: signed\n"
	"    address: [ 2001:db8::/32, 198.51.100.0/24 ]\n"
	"    key: [ xfr.example., other.example. ]\n"
	"    action: [ notify, transfer ]\n"
	"  - id: notify-only\n"
	"    address: 203.0.113.1\n"
	"    action: notify\n"
	"  - id: anyone\n"
	"    key: other.example.\n"
	"    action: transfer\n"
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
	"    acl: [ range, notify-only, signed, anyone ]\n"
	"  - domain: Example.NET.\n"
	"    file: example.net.zone\n"
	"  - domain: second.example\n"
	"    master: [ two, plain ]\n"
	"    acl: [ notify-only, signed ]\n";

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
	assert_int_equal(zc->zone_count, 3);
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

/* check_entry: entry i of a is PREFIX/LEN (text) with this key (NULL: none). */
static void check_entry(const struct acl *a, size_t i, int family, const char *addr,
			unsigned len, const char *key)
{
	uint8_t want[16] = { 0 };

	assert_true(i < a->count);
	assert_int_equal(a->entries[i].prefix.family, family);
	assert_int_equal(inet_pton(family, addr, want), 1);
	assert_memory_equal(a->entries[i].prefix.addr, want, family == AF_INET ? 4 : 16);
	assert_int_equal(a->entries[i].prefix.len, len);
	assert_int_equal(a->entries[i].actions, ACL_TRANSFER);
	if (key == NULL)
		assert_int_equal(a->entries[i].key_len, 0);
	else
		assert_memory_equal(a->entries[i].key, key, a->entries[i].key_len);
}

/* A zone's acl items with action transfer become its transfer ACL, in order: a range as
 * the prefixes that cover exactly it, addresses times keys, no address as any address;
 * items for notify only are left out. A zone without acl has none (the server-wide list
 * applies: db_transfer_acl). */
static void test_transfer_acl(void **state)
{
	const struct zoneconf_zone *zz;
	const struct acl *a;
	struct zoneconf *zc;
	struct conf c;
	char err[256];
	struct sockaddr_in peer = { .sin_family = AF_INET };
	struct acl server_wide = { .count = 0 };
	struct db db = { .transfer_acl = &server_wide };
	struct zone z = { .origin_len = 13 };

	(void)state;
	load(&c);
	assert_int_equal(zoneconf_build(&zc, NULL, &c, err, sizeof(err)), 0);
	zz = zoneconf_find(zc, (const uint8_t *)"\7example\3org", 13);
	assert_non_null(zz);
	a = zz->transfer;
	assert_non_null(a);
	assert_int_equal(a->count, 4 + 4 + 2);
	check_entry(a, 0, AF_INET, "192.0.2.1", 32, NULL);
	check_entry(a, 1, AF_INET, "192.0.2.2", 31, NULL);
	check_entry(a, 2, AF_INET, "192.0.2.4", 31, NULL);
	check_entry(a, 3, AF_INET, "192.0.2.6", 32, NULL);
	check_entry(a, 4, AF_INET6, "2001:db8::", 32, "\3xfr\7example");
	check_entry(a, 5, AF_INET6, "2001:db8::", 32, "\5other\7example");
	check_entry(a, 6, AF_INET, "198.51.100.0", 24, "\3xfr\7example");
	check_entry(a, 8, AF_INET, "0.0.0.0", 0, "\5other\7example");
	check_entry(a, 9, AF_INET6, "::", 0, "\5other\7example");
	inet_pton(AF_INET, "192.0.2.5", &peer.sin_addr);
	assert_true(acl_allows(a, (const struct sockaddr *)&peer, NULL, ACL_TRANSFER));
	inet_pton(AF_INET, "192.0.2.7", &peer.sin_addr);
	assert_false(acl_allows(a, (const struct sockaddr *)&peer, NULL, ACL_TRANSFER));
	assert_true(acl_allows(a, (const struct sockaddr *)&peer,
			       (const uint8_t *)"\5other\7example", ACL_TRANSFER));
	assert_null(zoneconf_find(zc, (const uint8_t *)"\7example\3net", 13)->transfer);

	/* The db's lookup: the zone's own list, else the server-wide one. */
	db.zoneconf = zc;
	memcpy(z.origin, "\7example\3org", 13);
	assert_ptr_equal(db_transfer_acl(&db, &z), a);
	memcpy(z.origin, "\7example\3net", 13);
	assert_ptr_equal(db_transfer_acl(&db, &z), &server_wide);
	zoneconf_unref(zc);
	conf_free(&c);
}

/* A secondary zone: its primaries (each address of each master, the remote's key copied
 * from the keyring) and its notify ACL (the acl items with action notify). */
static void test_secondary(void **state)
{
	const struct zoneconf_zone *zz;
	struct zoneconf *zc;
	struct conf c;
	char err[256];
	struct sockaddr_in peer = { .sin_family = AF_INET };

	(void)state;
	load(&c);
	assert_int_equal(zoneconf_build(&zc, NULL, &c, err, sizeof(err)), 0);
	zz = zoneconf_find(zc, (const uint8_t *)"\6second\7example", 16);
	assert_non_null(zz);
	assert_string_equal(zz->name, "second.example");
	assert_null(zz->file);
	assert_int_equal(zz->primary_count, 3);
	assert_int_equal(zz->primaries[0].addr.ss_family, AF_INET);
	assert_int_equal(zz->primaries[0].addr_len, sizeof(struct sockaddr_in));
	assert_int_equal(ntohs(((struct sockaddr_in *)&zz->primaries[0].addr)->sin_port), 5300);
	assert_true(zz->primaries[0].has_key);
	assert_memory_equal(zz->primaries[0].key.name, "\3xfr\7example", 13);
	assert_ptr_equal(zz->primaries[0].key.alg, key(zc, "xfr.example.")->alg);
	assert_int_equal(zz->primaries[1].addr.ss_family, AF_INET6);
	assert_true(zz->primaries[1].has_key);
	assert_false(zz->primaries[2].has_key);
	/* notify-only, then signed's notify entries (its transfer action is not ours). */
	assert_non_null(zz->notify_in);
	assert_int_equal(zz->notify_in->count, 1 + 4);
	assert_int_equal(zz->notify_in->entries[0].actions, ACL_NOTIFY);
	assert_int_equal(zz->notify_in->entries[0].prefix.len, 32);
	inet_pton(AF_INET, "203.0.113.1", &peer.sin_addr);
	assert_true(acl_allows(zz->notify_in, (const struct sockaddr *)&peer, NULL, ACL_NOTIFY));
	assert_false(acl_allows(zz->notify_in, (const struct sockaddr *)&peer, NULL,
				ACL_TRANSFER));
	inet_pton(AF_INET, "198.51.100.7", &peer.sin_addr);
	assert_false(acl_allows(zz->notify_in, (const struct sockaddr *)&peer, NULL, ACL_NOTIFY));
	assert_true(acl_allows(zz->notify_in, (const struct sockaddr *)&peer,
			       (const uint8_t *)"\3xfr\7example", ACL_NOTIFY));
	/* A primary zone is not a secondary one, and its notify ACL is its acl's. */
	zz = zoneconf_find(zc, (const uint8_t *)"\7example\3org", 13);
	assert_int_equal(zz->primary_count, 0);
	assert_null(zz->name);
	assert_int_equal(zz->notify_in->count, 1 + 4);
	assert_null(zoneconf_find(zc, (const uint8_t *)"\7example\3net", 13)->notify_in);
	zoneconf_unref(zc);
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_notify_targets),
		cmocka_unit_test(test_transfer_acl),
		cmocka_unit_test(test_secondary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
