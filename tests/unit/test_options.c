/* SPDX-License-Identifier: BSD-3-Clause */
/* test_options.c: dualnsd's command line: defaults, every option, and the errors that name the option and range. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "options.h"

#define MAX_ARGS 24

/* One command line and what must come of it. */
struct options_case {
	const char *name;
	const char *args[MAX_ARGS];    /* after "dualnsd", NULL-terminated */
	int ret;                        /* options_parse(): 0 or -EINVAL */
	const char *err;                /* for -EINVAL: a substring the error line must hold */
	void (*check)(const struct options *o);
};

static void check_defaults(const struct options *o)
{
	assert_int_equal(o->action, OPTIONS_RUN);
	assert_int_equal(o->port, 53);
	assert_int_equal(o->udp_size, 1232);
	assert_int_equal(o->tcp_idle, 10);
	assert_int_equal(o->tcp_max, 512);
	/* One worker and no SO_REUSEPORT: a second instance on the port must fail. */
	assert_int_equal(o->workers, 1);
	assert_false(o->reuseport);
	assert_false(o->check);
	assert_false(o->query_log);
	assert_int_equal(o->verbose, 0);
	/* Both families by default, on separate sockets (IPV6_V6ONLY). */
	assert_true(o->listen_default);
	assert_int_equal(o->listen_count, 2);
	assert_string_equal(o->listen[0], "0.0.0.0");
	assert_string_equal(o->listen[1], "::");
	assert_int_equal(o->zone_count, 0);
	/* No NOTIFY targets; a NOTIFY is sent every 15 s, 5 times at most. */
	assert_int_equal(o->also_notify_count, 0);
	assert_int_equal(o->notify_retry, 15);
	assert_int_equal(o->notify_tries, 5);
	/* No AF_XDP path unless asked for. */
	assert_null(o->xdp);
}

#ifdef HAVE_XDP
static void check_xdp(const struct options *o)
{
	assert_string_equal(o->xdp, "veth-srv0");
	/* The kernel's sockets stay: the defaults still listen on both families. */
	assert_true(o->listen_default);
}
#endif

static void check_all_short(const struct options *o)
{
	assert_int_equal(o->port, 5353);
	assert_false(o->listen_default);
	assert_int_equal(o->listen_count, 2);
	assert_string_equal(o->listen[0], "127.0.0.1");
	assert_string_equal(o->listen[1], "::1");
	assert_int_equal(o->verbose, 2);
	assert_true(o->query_log);
	assert_int_equal(o->zone_count, 2);
	assert_string_equal(o->zones[0], "example.com=a.zone");
	assert_string_equal(o->zones[1], "b.zone");
}

static void check_all_long(const struct options *o)
{
	assert_int_equal(o->port, 5300);
	assert_int_equal(o->listen_count, 1);
	assert_string_equal(o->listen[0], "fe80::1%lo");
	assert_int_equal(o->udp_size, 4096);
	assert_true(o->check);
	assert_int_equal(o->verbose, 1);
	assert_true(o->query_log);
	assert_int_equal(o->tcp_idle, 30);
	assert_int_equal(o->tcp_max, 2);
	assert_int_equal(o->zone_count, 1);
	assert_string_equal(o->zones[0], "x.zone");
}

static void check_limits_low(const struct options *o)
{
	assert_int_equal(o->port, 1);
	assert_int_equal(o->udp_size, 512);
	assert_int_equal(o->tcp_idle, 1);
	assert_int_equal(o->tcp_max, 1);
}

static void check_limits_high(const struct options *o)
{
	assert_int_equal(o->port, 65535);
	assert_int_equal(o->udp_size, 65535);
	assert_int_equal(o->tcp_idle, 3600);
	assert_int_equal(o->tcp_max, 65536);
}

static void check_workers_reuseport(const struct options *o)
{
	assert_int_equal(o->workers, 4);
	assert_true(o->reuseport);
	assert_int_equal(o->zone_count, 1);
}

static void check_workers_low(const struct options *o)
{
	assert_int_equal(o->workers, 1);
	assert_false(o->reuseport);
}

static void check_workers_high(const struct options *o)
{
	assert_int_equal(o->workers, OPTIONS_MAX_WORKERS);
}

/* auto: the online CPUs, clamped to the range a number may take. */
static void check_workers_auto(const struct options *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		cpus = 1;
	if (cpus > OPTIONS_MAX_WORKERS)
		cpus = OPTIONS_MAX_WORKERS;
	assert_int_equal(o->workers, cpus);
}

/* The last --workers wins, like every other repeated option. */
static void check_workers_last(const struct options *o)
{
	assert_int_equal(o->workers, 3);
}

static void check_help(const struct options *o)
{
	assert_int_equal(o->action, OPTIONS_HELP);
}

static void check_version(const struct options *o)
{
	assert_int_equal(o->action, OPTIONS_VERSION);
}

static void check_dashdash(const struct options *o)
{
	assert_int_equal(o->zone_count, 1);
	assert_string_equal(o->zones[0], "-odd.zone");
}

static void check_identity(const struct options *o)
{
	assert_string_equal(o->nsid, "ns1-fra");
	assert_string_equal(o->identity, "ns1.example.net");
	assert_true(o->hide_identity);
	assert_true(o->hide_version);
	assert_true(o->syslog);
	assert_int_equal(o->force_tc, 1); /* --force-tc alone: every UDP answer */
}

static void check_identity_defaults(const struct options *o)
{
	assert_null(o->nsid);       /* no NSID unless asked: RFC 5001 section 3 */
	assert_null(o->identity);   /* the host name, filled in by the server */
	assert_false(o->hide_identity);
	assert_false(o->hide_version);
	assert_false(o->syslog);
	assert_int_equal(o->force_tc, 0);
}

static void check_force_tc_every_3(const struct options *o)
{
	assert_int_equal(o->force_tc, 3);
	assert_string_equal(o->nsid, "auto");
}

/* A bare --force-tc before a zone argument: every UDP answer, and the word is a zone. */
static void check_force_tc_then_zone(const struct options *o)
{
	assert_int_equal(o->force_tc, 1);
	assert_int_equal(o->zone_count, 1);
	assert_string_equal(o->zones[0], "3x.zone");
}

/* After "--" a word of digits is a zone argument, as the user wrote. */
static void check_force_tc_dashdash_digits(const struct options *o)
{
	assert_int_equal(o->force_tc, 1);
	assert_int_equal(o->zone_count, 1);
	assert_string_equal(o->zones[0], "3");
}

static void check_nsid_joined_zone_name(const struct options *o)
{
	assert_string_equal(o->nsid, "example.zone");
	assert_int_equal(o->zone_count, 0);
}

/* A folder as the --nsid text is only suspect when no zone argument follows. */
static void check_nsid_folder_then_zone(const struct options *o)
{
	assert_string_equal(o->nsid, "/");
	assert_int_equal(o->zone_count, 1);
	assert_string_equal(o->zones[0], "z.zone");
}

static void check_nsid_auto_alone(const struct options *o)
{
	assert_string_equal(o->nsid, "auto");
	assert_int_equal(o->zone_count, 0);
}

/* -u and --chroot are off unless given, and -p is remembered as given (socket activation
 * warns that it is ignored). */
static void check_privileges_defaults(const struct options *o)
{
	assert_null(o->user);
	assert_null(o->chroot_dir);
	assert_false(o->port_given);
}

static void check_user_chroot(const struct options *o)
{
	assert_string_equal(o->user, "nobody");
	assert_string_equal(o->chroot_dir, "/var/empty");
	assert_false(o->port_given);
	assert_int_equal(o->zone_count, 1);
	assert_string_equal(o->zones[0], "z.zone");
}

/* Rate limiting is on by default at 200/s, slip 2, /24 and /56 (dualnsd(8)). */
static void check_rrl_defaults(const struct options *o)
{
	assert_int_equal(o->rrl.rate, 200);
	assert_int_equal(o->rrl.slip, 2);
	assert_int_equal(o->rrl.ipv4_prefix, 24);
	assert_int_equal(o->rrl.ipv6_prefix, 56);
	assert_int_equal(o->rrl.size, 1048576);
	assert_false(o->rrl.log_only);
	assert_int_equal(o->rrl.exempt_count, 0);
}

static void check_rrl_all(const struct options *o)
{
	assert_int_equal(o->rrl.rate, 1000000);
	assert_int_equal(o->rrl.slip, 0);
	assert_int_equal(o->rrl.ipv4_prefix, 32);
	assert_int_equal(o->rrl.ipv6_prefix, 0);
	assert_int_equal(o->rrl.size, 3);
	assert_true(o->rrl.log_only);
	assert_int_equal(o->rrl.exempt_count, 2);
	assert_int_equal(o->rrl.exempt[0].family, AF_INET);
	assert_int_equal(o->rrl.exempt[0].len, 8);
	assert_int_equal(o->rrl.exempt[1].family, AF_INET6);
	assert_int_equal(o->rrl.exempt[1].len, 128);
}

/* Each zone keeps 20 earlier versions within 16 MiB by default (dualnsd(8)). */
static void check_ixfr_defaults(const struct options *o)
{
	assert_int_equal(o->ixfr.depth, 20);
	assert_int_equal(o->ixfr.bytes, 16777216);
}

static void check_ixfr_set(const struct options *o)
{
	assert_int_equal(o->ixfr.depth, 1000);
	assert_int_equal(o->ixfr.bytes, 4294967295UL);
}

static void check_ixfr_off(const struct options *o)
{
	assert_int_equal(o->ixfr.depth, 0);
	assert_int_equal(o->ixfr.bytes, 0);
}

/* --allow-transfer: in order, prefixes and a key; none by default (nobody transfers). */
static void check_allow_transfer(const struct options *o)
{
	assert_int_equal(o->allow_transfer.count, 3);
	assert_int_equal(o->allow_transfer.entries[0].prefix.family, AF_INET);
	assert_int_equal(o->allow_transfer.entries[0].prefix.len, 24);
	assert_int_equal(o->allow_transfer.entries[0].key_len, 0);
	assert_int_equal(o->allow_transfer.entries[1].prefix.family, AF_INET6);
	assert_int_equal(o->allow_transfer.entries[1].prefix.len, 128);
	assert_int_equal(o->allow_transfer.entries[1].key_len, 14);
	assert_memory_equal(o->allow_transfer.entries[1].key, "\4xfr1\7example", 14);
	assert_int_equal(o->allow_transfer.entries[2].prefix.len, 32);
	assert_int_equal(o->allow_transfer.entries[2].actions, ACL_TRANSFER);
}

static void check_allow_transfer_none(const struct options *o)
{
	assert_int_equal(o->allow_transfer.count, 0);
}

static void check_rrl_off(const struct options *o)
{
	assert_int_equal(o->rrl.rate, 0);
}

static void check_config(const struct options *o)
{
	assert_string_equal(o->config, "/etc/dualns/test.conf");
	assert_int_equal(o->zone_count, 1);
}

static void check_no_config(const struct options *o)
{
	assert_null(o->config);
}

static void check_user_long(const struct options *o)
{
	assert_string_equal(o->user, "dualns");
	assert_null(o->chroot_dir);
}

static void check_port_given(const struct options *o)
{
	assert_true(o->port_given);
	assert_int_equal(o->port, 53);
}

/* DNS Cookies (RFC 9018 section 4.4): two secrets on the command line, active first. */
static void check_cookie_secrets(const struct options *o)
{
	assert_int_equal(o->cookie_secrets.count, 2);
	assert_int_equal(o->cookie_secrets.key[0][0], 0xe5);
	assert_int_equal(o->cookie_secrets.key[1][15], 0x15);
	assert_true(o->require_cookie);
	assert_null(o->cookie_secret_file);
}

static void check_cookie_file(const struct options *o)
{
	assert_int_equal(o->cookie_secrets.count, 0);
	assert_string_equal(o->cookie_secret_file, "/etc/dualns/cookies");
	assert_false(o->require_cookie);
}

/* The address, port and key of --also-notify target i. */
static void expect_target(const struct options *o, size_t i, int family, const char *addr,
			  unsigned port, const char *key)
{
	const struct notify_target *t = &o->also_notify[i];
	char text[INET6_ADDRSTRLEN];
	const void *a;
	unsigned p;

	assert_true(i < o->also_notify_count);
	assert_int_equal(t->addr.ss_family, family);
	if (family == AF_INET) {
		a = &((const struct sockaddr_in *)(const void *)&t->addr)->sin_addr;
		p = ntohs(((const struct sockaddr_in *)(const void *)&t->addr)->sin_port);
	} else {
		a = &((const struct sockaddr_in6 *)(const void *)&t->addr)->sin6_addr;
		p = ntohs(((const struct sockaddr_in6 *)(const void *)&t->addr)->sin6_port);
	}
	assert_non_null(inet_ntop(family, a, text, sizeof(text)));
	assert_string_equal(text, addr);
	assert_int_equal(p, port);
	assert_string_equal(t->key, key);
}

static void check_also_notify(const struct options *o)
{
	assert_int_equal(o->also_notify_count, 7);
	expect_target(o, 0, AF_INET, "127.0.0.1", 53, "");
	expect_target(o, 1, AF_INET, "192.0.2.1", 5300, "k1.example.");
	expect_target(o, 2, AF_INET, "192.0.2.2", 53, "k2");
	expect_target(o, 3, AF_INET6, "::1", 5300, "");
	expect_target(o, 4, AF_INET6, "2001:db8::1", 53, "");
	expect_target(o, 5, AF_INET6, "2001:db8::2", 53, "key");
	expect_target(o, 6, AF_INET6, "2001:db8::3", 54, "key3");
	assert_int_equal(o->notify_retry, 1);
	assert_int_equal(o->notify_tries, 100);
}

static void check_notify_limits(const struct options *o)
{
	assert_int_equal(o->notify_retry, 3600);
	assert_int_equal(o->notify_tries, 1);
}

static void check_keys(const struct options *o)
{
	const struct tsig_key *k;

	assert_non_null(o->keys);
	assert_int_equal(o->keys->count, 2);
	k = tsig_keyring_find(o->keys, (const uint8_t *)"\3xfr\7example", 13);
	assert_non_null(k);
	assert_int_equal(k->alg, HMAC_SHA256);
	assert_int_equal(k->secret_len, 32);
	k = tsig_keyring_find(o->keys, (const uint8_t *)"\6notify", 8);
	assert_non_null(k);
	assert_int_equal(k->alg, HMAC_SHA512);
}

static void check_no_keys(const struct options *o)
{
	assert_null(o->keys);
}

#define KEY_SECRET "SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A="

static const struct options_case cases[] = {
	{ "also-notify forms", { "--also-notify", "127.0.0.1", "--also-notify",
				 "192.0.2.1@5300:k1.example.", "--also-notify=192.0.2.2:k2",
				 "--also-notify", "::1@5300", "--also-notify", "2001:db8::1",
				 "--also-notify", "[2001:db8::2]:key", "--also-notify",
				 "[2001:db8::3]@54:key3", "--notify-retry", "1", "--notify-tries",
				 "100", NULL }, 0, NULL, check_also_notify },
	{ "notify limits", { "--notify-retry=3600", "--notify-tries=1", NULL }, 0, NULL,
	  check_notify_limits },
	{ "also-notify a name", { "--also-notify", "ns1.example", NULL }, -EINVAL,
	  "--also-notify: 'ns1.example' is not ADDRESS[@PORT][:KEYNAME]", NULL },
	{ "also-notify port 0", { "--also-notify", "127.0.0.1@0", NULL }, -EINVAL,
	  "--also-notify: '127.0.0.1@0'", NULL },
	{ "also-notify port too big", { "--also-notify", "127.0.0.1@65536", NULL }, -EINVAL,
	  "PORT from 1 to 65535", NULL },
	{ "also-notify port not digits", { "--also-notify", "127.0.0.1@x53", NULL }, -EINVAL,
	  "--also-notify: '127.0.0.1@x53'", NULL },
	{ "also-notify empty key", { "--also-notify", "127.0.0.1@53:", NULL }, -EINVAL,
	  "--also-notify: '127.0.0.1@53:'", NULL },
	{ "also-notify no address", { "--also-notify", "@53", NULL }, -EINVAL,
	  "--also-notify: '@53'", NULL },
	{ "also-notify without a value", { "--also-notify", NULL }, -EINVAL,
	  "--also-notify needs a value", NULL },
	{ "notify-retry 0", { "--notify-retry", "0", NULL }, -EINVAL,
	  "--notify-retry: '0' is not a number from 1 to 3600", NULL },
	{ "notify-retry too big", { "--notify-retry", "3601", NULL }, -EINVAL,
	  "--notify-retry: '3601'", NULL },
	{ "notify-tries 0", { "--notify-tries", "0", NULL }, -EINVAL,
	  "--notify-tries: '0' is not a number from 1 to 100", NULL },
	{ "notify-tries too big", { "--notify-tries", "101", NULL }, -EINVAL,
	  "--notify-tries: '101'", NULL },
	{ "no keys", { NULL }, 0, NULL, check_no_keys },
	{ "tsig keys", { "--key", "xfr.Example.:hmac-sha256:" KEY_SECRET,
			 "--key", "notify:HMAC-SHA512.:" KEY_SECRET, NULL }, 0, NULL, check_keys },
	{ "key not in three parts", { "--key", "xfr.example:" KEY_SECRET, NULL }, -EINVAL,
	  "--key: \"xfr.example:" KEY_SECRET "\" is not NAME:ALGORITHM:SECRET", NULL },
	{ "key with an unknown algorithm", { "--key", "k:hmac-md5:" KEY_SECRET, NULL }, -EINVAL,
	  "--key: key k: unknown algorithm \"hmac-md5\"", NULL },
	{ "key secret not base64", { "--key", "k:hmac-sha1:not*base64", NULL }, -EINVAL,
	  "--key: key k: the secret is not base64", NULL },
	{ "key secret without padding", { "--key", "k:hmac-sha1:SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A", NULL },
	  -EINVAL, "--key: key k: the secret is not base64", NULL },
	{ "key name with an empty label", { "--key", "a..b:hmac-sha1:" KEY_SECRET, NULL }, -EINVAL,
	  "--key: key name \"a..b\": a label is empty", NULL },
	{ "key defined twice", { "--key", "k.:hmac-sha1:" KEY_SECRET,
				 "--key", "K:hmac-sha256:" KEY_SECRET, NULL }, -EINVAL,
	  "--key: key K is defined twice", NULL },
	{ "cookie secrets", { "--cookie-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf",
			      "--cookie-secret", "DD3BDF9344B678B185A6F5CB60FCA715",
			      "--require-cookie", NULL }, 0, NULL, check_cookie_secrets },
	{ "cookie secret file", { "--cookie-secret-file", "/etc/dualns/cookies", NULL }, 0, NULL,
	  check_cookie_file },
	{ "cookie secret too short", { "--cookie-secret", "e5e973e5", NULL }, -EINVAL,
	  "--cookie-secret: give 32 hex digits", NULL },
	{ "cookie secret not hex", { "--cookie-secret", "g5e973e5a6b2a43f48e7dc849e37bfcf", NULL },
	  -EINVAL, "--cookie-secret: give 32 hex digits", NULL },
	{ "a third cookie secret", { "--cookie-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf",
				     "--cookie-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf",
				     "--cookie-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf", NULL },
	  -EINVAL, "--cookie-secret: at most 2", NULL },
	{ "cookie secret and file", { "--cookie-secret", "e5e973e5a6b2a43f48e7dc849e37bfcf",
				      "--cookie-secret-file", "f", NULL },
	  -EINVAL, "give one of them", NULL },
	{ "cookie secret file empty", { "--cookie-secret-file=", NULL }, -EINVAL,
	  "--cookie-secret-file: give a file", NULL },
	{ "identity options", { "--nsid", "ns1-fra", "--identity", "ns1.example.net",
				"--hide-identity", "--hide-version", "--syslog", "--force-tc", NULL },
	  0, NULL, check_identity },
	{ "identity defaults", { NULL }, 0, NULL, check_identity_defaults },
	{ "rrl defaults", { NULL }, 0, NULL, check_rrl_defaults },
	{ "rrl options", { "--rrl-rate", "1000000", "--rrl-slip=0", "--rrl-ipv4-prefix", "32",
			   "--rrl-ipv6-prefix", "0", "--rrl-size", "3", "--rrl-log-only",
			   "--rrl-exempt", "10.1.2.3/8", "--rrl-exempt", "::1", NULL },
	  0, NULL, check_rrl_all },
	{ "rrl off", { "--rrl-rate", "0", NULL }, 0, NULL, check_rrl_off },
	{ "ixfr defaults", { NULL }, 0, NULL, check_ixfr_defaults },
	{ "ixfr options", { "--ixfr-depth", "1000", "--ixfr-size=4294967295", NULL }, 0, NULL,
	  check_ixfr_set },
	{ "ixfr off", { "--ixfr-depth", "0", "--ixfr-size", "0", NULL }, 0, NULL, check_ixfr_off },
	{ "ixfr-depth too big", { "--ixfr-depth", "1001", NULL }, -EINVAL,
	  "--ixfr-depth: '1001' is not a number from 0 to 1000", NULL },
	{ "ixfr-size too big", { "--ixfr-size", "4294967296", NULL }, -EINVAL,
	  "--ixfr-size: '4294967296' is not a number from 0 to 4294967295", NULL },
	{ "ixfr-size with a suffix", { "--ixfr-size", "16M", NULL }, -EINVAL,
	  "--ixfr-size: '16M' is not a number", NULL },
	{ "allow-transfer", { "--allow-transfer", "192.0.2.0/24", "--allow-transfer",
			      "::1/128:XFR1.example.", "--allow-transfer=10.0.0.1", NULL },
	  0, NULL, check_allow_transfer },
	{ "no allow-transfer", { NULL }, 0, NULL, check_allow_transfer_none },
	{ "allow-transfer not an address", { "--allow-transfer", "10.0.0.300", NULL }, -EINVAL,
	  "--allow-transfer: '10.0.0.300' is not an address", NULL },
	{ "allow-transfer prefix too long", { "--allow-transfer", "10.0.0.0/33:key", NULL },
	  -EINVAL, "--allow-transfer: '10.0.0.0/33' is not an address", NULL },
	{ "allow-transfer bad key", { "--allow-transfer", "10.0.0.0/8:a..b", NULL }, -EINVAL,
	  "--allow-transfer: 'a..b' is not a key name", NULL },
	{ "rrl-rate too big", { "--rrl-rate", "1000001", NULL }, -EINVAL,
	  "--rrl-rate: '1000001' is not a number from 0 to 1000000", NULL },
	{ "rrl-rate negative", { "--rrl-rate=-1", NULL }, -EINVAL, "--rrl-rate: '-1'", NULL },
	{ "rrl-slip too big", { "--rrl-slip", "101", NULL }, -EINVAL,
	  "--rrl-slip: '101' is not a number from 0 to 100", NULL },
	{ "rrl-ipv4-prefix 33", { "--rrl-ipv4-prefix", "33", NULL }, -EINVAL,
	  "--rrl-ipv4-prefix: '33' is not a number from 0 to 32", NULL },
	{ "rrl-ipv6-prefix 129", { "--rrl-ipv6-prefix", "129", NULL }, -EINVAL,
	  "--rrl-ipv6-prefix: '129' is not a number from 0 to 128", NULL },
	{ "rrl-size 0", { "--rrl-size", "0", NULL }, -EINVAL,
	  "--rrl-size: '0' is not a number from 1 to 67108864", NULL },
	{ "rrl-size too big", { "--rrl-size", "67108865", NULL }, -EINVAL, "--rrl-size: '67108865'",
	  NULL },
	{ "rrl-exempt not an address", { "--rrl-exempt", "10.0.0.300", NULL }, -EINVAL,
	  "--rrl-exempt: '10.0.0.300' is not an IPv4 or IPv6 address or ADDRESS/LEN prefix", NULL },
	{ "rrl-exempt prefix too long", { "--rrl-exempt=10.0.0.0/33", NULL }, -EINVAL,
	  "--rrl-exempt: '10.0.0.0/33'", NULL },
	{ "rrl-exempt v6 prefix too long", { "--rrl-exempt", "::/129", NULL }, -EINVAL,
	  "--rrl-exempt: '::/129'", NULL },
	{ "rrl-rate without a value", { "--rrl-rate", NULL }, -EINVAL, "--rrl-rate needs a value",
	  NULL },
	{ "force-tc=N and nsid auto", { "--force-tc=3", "--nsid=auto", NULL }, 0, NULL,
	  check_force_tc_every_3 },
	{ "force-tc=0", { "--force-tc=0", NULL }, -EINVAL, "--force-tc: '0' is not a number from 1", NULL },
	{ "force-tc=x", { "--force-tc=x", NULL }, -EINVAL, "--force-tc: 'x'", NULL },
	{ "empty nsid", { "--nsid", "", NULL }, -EINVAL, "--nsid: give 1 to 255 characters", NULL },

	/* An optional value joins only with '=' (getopt_long): digits after a bare --force-tc
	 * were meant as N, not as a zone file; say what to write. */
	{ "force-tc then 3", { "--force-tc", "3", NULL }, -EINVAL,
	  "'3' is not a zone file: to answer every 3rd UDP query with TC=1 write --force-tc=3",
	  NULL },
	{ "force-tc then 3 before a zone", { "--force-tc", "3", "z.zone", NULL }, -EINVAL,
	  "write --force-tc=3", NULL },
	{ "force-tc then 3 after a zone", { "z.zone", "--force-tc", "3", NULL }, -EINVAL,
	  "write --force-tc=3", NULL },
	{ "force-tc then 22", { "-q", "--force-tc", "22", "z.zone", NULL }, -EINVAL,
	  "every 22nd UDP query with TC=1 write --force-tc=22", NULL },
	{ "force-tc then 1", { "--force-tc", "1", NULL }, -EINVAL,
	  "'1' is not a zone file: to answer every UDP query with TC=1 write --force-tc", NULL },
	{ "force-tc then 0", { "--force-tc", "0", NULL }, -EINVAL,
	  "'0' is not a zone file: to answer every Nth UDP query with TC=1 write --force-tc=N, "
	  "N from 1 to 1000000", NULL },
	{ "force-tc then a huge number", { "--force-tc", "99999999999999999999999", NULL }, -EINVAL,
	  "N from 1 to 1000000", NULL },
	{ "force-tc abbreviated then 3", { "--force", "3", NULL }, -EINVAL, "write --force-tc=3",
	  NULL },
	{ "force-tc then a zone", { "--force-tc", "3x.zone", NULL }, 0, NULL,
	  check_force_tc_then_zone },
	{ "force-tc, --, then digits", { "--force-tc", "--", "3", NULL }, 0, NULL,
	  check_force_tc_dashdash_digits },

	/* --nsid always takes the next word: a zone file or folder it took is refused. */
	{ "nsid takes a zone file", { "--nsid", "example.zone", NULL }, -EINVAL,
	  "--nsid took 'example.zone' as its text, which names a zone file; write --nsid=TEXT "
	  "example.zone", NULL },
	{ "nsid takes the first of two zone files", { "--nsid", "a.zone", "b.zone", NULL }, -EINVAL,
	  "--nsid took 'a.zone' as its text, which names a zone file", NULL },
	{ "nsid takes a folder", { "--nsid", "/", NULL }, -EINVAL,
	  "--nsid took '/' as its text, which names a folder", NULL },
	{ "nsid=TEXT is taken as written", { "--nsid=example.zone", NULL }, 0, NULL,
	  check_nsid_joined_zone_name },
	{ "nsid folder then a zone", { "--nsid", "/", "z.zone", NULL }, 0, NULL,
	  check_nsid_folder_then_zone },
	{ "nsid auto alone", { "--nsid", "auto", NULL }, 0, NULL, check_nsid_auto_alone },
	{ "nsid without value", { "--nsid", NULL }, -EINVAL, "--nsid needs a value", NULL },
	{ "defaults", { NULL }, 0, NULL, check_defaults },
	{ "short options", { "-p", "5353", "-l", "127.0.0.1", "example.com=a.zone", "-l", "::1",
			     "-vvq", "b.zone", NULL }, 0, NULL, check_all_short },
	{ "long options", { "--port=5300", "--listen", "fe80::1%lo", "--udp-size", "4096",
			    "--check", "--verbose", "--query-log", "--tcp-idle", "30",
			    "--tcp-max=2", "x.zone", NULL }, 0, NULL, check_all_long },
	{ "lowest values", { "-p", "1", "--udp-size", "512", "--tcp-idle", "1", "--tcp-max",
			     "1", NULL }, 0, NULL, check_limits_low },
	{ "highest values", { "-p", "65535", "--udp-size", "65535", "--tcp-idle", "3600",
			      "--tcp-max", "65536", NULL }, 0, NULL, check_limits_high },
	{ "workers and reuseport", { "--workers", "4", "--reuseport", "z.zone", NULL }, 0, NULL,
	  check_workers_reuseport },
	{ "workers lowest", { "--workers=1", NULL }, 0, NULL, check_workers_low },
	{ "workers highest", { "--workers", "64", NULL }, 0, NULL, check_workers_high },
	{ "workers auto", { "--workers", "auto", NULL }, 0, NULL, check_workers_auto },
	{ "workers repeated", { "--workers", "auto", "--workers", "3", NULL }, 0, NULL,
	  check_workers_last },
	{ "-- ends the options", { "--", "-odd.zone", NULL }, 0, NULL, check_dashdash },
	{ "help", { "-h", NULL }, 0, NULL, check_help },
	{ "help long", { "--help", "bad-arg-ignored", NULL }, 0, NULL, check_help },
	{ "version", { "-V", NULL }, 0, NULL, check_version },
	{ "version long", { "--version", NULL }, 0, NULL, check_version },

	{ "port 0", { "-p", "0", NULL }, -EINVAL, "--port: '0' is not a number from 1 to 65535", NULL },
	{ "port too big", { "--port", "65536", NULL }, -EINVAL, "from 1 to 65535", NULL },
	{ "port not a number", { "-p", "fifty", NULL }, -EINVAL, "--port: 'fifty'", NULL },
	{ "port trailing junk", { "-p", "53x", NULL }, -EINVAL, "--port", NULL },
	{ "port negative", { "-p", "-1", NULL }, -EINVAL, "--port", NULL },
	{ "port with sign", { "-p", "+53", NULL }, -EINVAL, "--port", NULL },
	{ "port empty", { "--port=", NULL }, -EINVAL, "--port", NULL },
	{ "port huge", { "-p", "99999999999999999999999", NULL }, -EINVAL, "--port", NULL },
	{ "port missing value", { "-p", NULL }, -EINVAL, "-p needs a value", NULL },
	{ "port long missing value", { "--port", NULL }, -EINVAL, "--port needs a value", NULL },
	{ "udp-size too small", { "--udp-size", "511", NULL }, -EINVAL,
	  "--udp-size: '511' is not a number from 512 to 65535", NULL },
	{ "udp-size too big", { "--udp-size", "65536", NULL }, -EINVAL, "from 512 to 65535", NULL },
	{ "tcp-idle 0", { "--tcp-idle", "0", NULL }, -EINVAL,
	  "--tcp-idle: '0' is not a number from 1 to 3600", NULL },
	{ "tcp-idle too long", { "--tcp-idle", "3601", NULL }, -EINVAL, "--tcp-idle", NULL },
	{ "tcp-max 0", { "--tcp-max", "0", NULL }, -EINVAL,
	  "--tcp-max: '0' is not a number from 1 to 65536", NULL },
	{ "workers 0", { "--workers", "0", NULL }, -EINVAL,
	  "--workers: '0' is not 'auto' or a number from 1 to 64", NULL },
	{ "workers too many", { "--workers", "65", NULL }, -EINVAL, "from 1 to 64", NULL },
	{ "workers a word", { "--workers", "all", NULL }, -EINVAL, "--workers: 'all'", NULL },
	{ "workers auto with junk", { "--workers", "auto2", NULL }, -EINVAL, "--workers", NULL },
	{ "workers AUTO", { "--workers", "AUTO", NULL }, -EINVAL, "--workers", NULL },
	{ "workers negative", { "--workers", "-2", NULL }, -EINVAL, "--workers", NULL },
	{ "workers missing value", { "--workers", NULL }, -EINVAL, "--workers needs a value", NULL },
	{ "reuseport with a value", { "--reuseport=yes", NULL }, -EINVAL, "invalid option --reuseport",
	  NULL },
	{ "listen a name", { "-l", "localhost", NULL }, -EINVAL,
	  "--listen: 'localhost' is not a numeric IPv4 or IPv6 address", NULL },
	{ "listen with port", { "-l", "127.0.0.1:53", NULL }, -EINVAL, "--listen", NULL },
	{ "listen empty", { "-l", "", NULL }, -EINVAL, "--listen", NULL },
	{ "unknown short", { "-x", NULL }, -EINVAL, "invalid option -x", NULL },
	{ "unknown long", { "--bogus", NULL }, -EINVAL, "invalid option --bogus", NULL },
	{ "flag with a value", { "--check=yes", NULL }, -EINVAL, "invalid option --check", NULL },

	{ "no -u, --chroot or -p", { "z.zone", NULL }, 0, NULL, check_privileges_defaults },
	{ "-u and --chroot", { "-u", "nobody", "--chroot", "/var/empty", "z.zone", NULL }, 0, NULL,
	  check_user_chroot },
	{ "--user=", { "--user=dualns", NULL }, 0, NULL, check_user_long },
	{ "-p 53 is given, though the default", { "-p", "53", NULL }, 0, NULL, check_port_given },
	{ "user missing value", { "-u", NULL }, -EINVAL, "-u needs a value", NULL },
	{ "user long missing value", { "--user", NULL }, -EINVAL, "--user needs a value", NULL },
	{ "user empty", { "--user=", NULL }, -EINVAL, "--user: give a user name", NULL },
	{ "-c FILE", { "-c", "/etc/dualns/test.conf", "a.zone", NULL }, 0, NULL, check_config },
	{ "--config=FILE", { "--config=/etc/dualns/test.conf", "a.zone", NULL }, 0, NULL,
	  check_config },
	{ "no config", { "a.zone", NULL }, 0, NULL, check_no_config },
	{ "config empty", { "--config=", NULL }, -EINVAL, "--config: give a file", NULL },
	{ "config missing value", { "-c", NULL }, -EINVAL, "-c needs a value", NULL },
	{ "chroot missing value", { "--chroot", NULL }, -EINVAL, "--chroot needs a value", NULL },
	{ "chroot empty", { "--chroot=", NULL }, -EINVAL, "--chroot: give a folder", NULL },
#ifdef HAVE_XDP
	{ "xdp", { "--xdp", "veth-srv0", NULL }, 0, NULL, check_xdp },
	{ "xdp=", { "--xdp=veth-srv0", NULL }, 0, NULL, check_xdp },
	{ "xdp empty", { "--xdp=", NULL }, -EINVAL,
	  "--xdp: '' is not an interface name (1 to 15 characters)", NULL },
	{ "xdp name too long", { "--xdp", "sixteen-chars-xx", NULL }, -EINVAL,
	  "--xdp: 'sixteen-chars-xx' is not an interface name", NULL },
#else
	{ "xdp not built", { "--xdp", "eth0", NULL }, -EINVAL,
	  "--xdp: built without XDP support (./configure --enable-xdp)", NULL },
#endif
	{ "xdp missing value", { "--xdp", NULL }, -EINVAL, "--xdp needs a value", NULL },
};

static void run_case(const struct options_case *tc)
{
	char *argv[MAX_ARGS + 2];
	char storage[MAX_ARGS + 1][128];
	struct options o;
	char err[256];
	int argc = 0, i, r;

	/* getopt_long permutes argv, and zone arguments point into it: use a copy. */
	snprintf(storage[0], sizeof(storage[0]), "dualnsd");
	argv[argc++] = storage[0];
	for (i = 0; tc->args[i] != NULL; i++) {
		snprintf(storage[argc], sizeof(storage[argc]), "%s", tc->args[i]);
		argv[argc] = storage[argc];
		argc++;
	}
	argv[argc] = NULL;

	r = options_parse(&o, argc, argv, err, sizeof(err));
	if (r != tc->ret)
		fail_msg("%s: returned %d, expected %d (err '%s')", tc->name, r, tc->ret, err);
	if (tc->ret < 0) {
		/* One line naming the option (and the range), printed by main(). */
		if (strstr(err, tc->err) == NULL)
			fail_msg("%s: error '%s' lacks '%s'", tc->name, err, tc->err);
		assert_null(strchr(err, '\n'));
	}
	if (tc->check != NULL)
		tc->check(&o);
	options_free(&o);
}

static void test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* The parser starts over on every call (main may only call it once, tests call it often). */
static void test_reparse(void **state)
{
	char a0[] = "dualnsd", a1[] = "-p", a2[] = "99";
	char *argv1[] = { a0, a1, a2, NULL };
	char b0[] = "dualnsd";
	char *argv2[] = { b0, NULL };
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(options_parse(&o, 3, argv1, err, sizeof(err)), 0);
	assert_int_equal(o.port, 99);
	assert_int_equal(options_parse(&o, 1, argv2, err, sizeof(err)), 0);
	assert_int_equal(o.port, 53);
}

static void test_too_many_listen(void **state)
{
	char *argv[2 * OPTIONS_MAX_LISTEN + 4];
	char name[] = "dualnsd", flag[] = "-l", addr[] = "127.0.0.1";
	struct options o;
	char err[256];
	int argc = 0, i;

	(void)state;
	argv[argc++] = name;
	for (i = 0; i <= OPTIONS_MAX_LISTEN; i++) {
		argv[argc++] = flag;
		argv[argc++] = addr;
	}
	argv[argc] = NULL;
	assert_int_equal(options_parse(&o, argc, argv, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--listen"));
}

static void test_too_many_also_notify(void **state)
{
	char *argv[2 * NOTIFY_MAX_TARGETS + 4];
	char name[] = "dualnsd", flag[] = "--also-notify", addr[] = "127.0.0.1";
	struct options o;
	char err[256];
	int argc = 0, i;

	(void)state;
	argv[argc++] = name;
	for (i = 0; i < NOTIFY_MAX_TARGETS; i++) {
		argv[argc++] = flag;
		argv[argc++] = addr;
	}
	argv[argc] = NULL;
	assert_int_equal(options_parse(&o, argc, argv, err, sizeof(err)), 0);
	assert_int_equal(o.also_notify_count, NOTIFY_MAX_TARGETS);
	argv[argc++] = flag;
	argv[argc++] = addr;
	argv[argc] = NULL;
	assert_int_equal(options_parse(&o, argc, argv, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--also-notify: at most 32 targets"));
}

/* --nsid FILE with no zone argument: the file the option took is named in the error. */
static void test_nsid_existing_file(void **state)
{
	char path[] = "test_options.nsid.XXXXXX";
	char a0[] = "dualnsd", a1[] = "--nsid";
	char *argv[] = { a0, a1, path, NULL };
	struct options o;
	char err[256], want[128];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(want, sizeof(want), "--nsid took '%s' as its text, which names a file;", path);
	assert_int_equal(options_parse(&o, 3, argv, err, sizeof(err)), -EINVAL);
	unlink(path);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_ordinal_suffix(void **state)
{
	static const struct {
		unsigned long n;
		const char *suffix;
	} suffixes[] = {
		{ 1, "st" }, { 2, "nd" }, { 3, "rd" }, { 4, "th" }, { 10, "th" }, { 11, "th" },
		{ 12, "th" }, { 13, "th" }, { 21, "st" }, { 22, "nd" }, { 23, "rd" },
		{ 101, "st" }, { 111, "th" }, { 112, "th" }, { 113, "th" }, { 1000000, "th" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (strcmp(options_ordinal_suffix(suffixes[i].n), suffixes[i].suffix) != 0)
			fail_msg("%lu%s, expected %lu%s", suffixes[i].n,
				 options_ordinal_suffix(suffixes[i].n), suffixes[i].n, suffixes[i].suffix);
}

/* The configuration file's server keys come from this table: every option is there, and
 * the lists the file may and may not give are options of it. */
static void test_file_keys(void **state)
{
	const struct option *o;
	bool config = false;

	(void)state;
	for (o = options_long; o->name != NULL; o++)
		if (strcmp(o->name, "config") == 0)
			config = o->has_arg == required_argument && o->val == 'c';
	assert_true(config);
	assert_true(options_repeatable("listen"));
	assert_true(options_repeatable("rrl-exempt"));
	assert_false(options_repeatable("port"));
	assert_true(options_command_line_only("check"));
	assert_true(options_command_line_only("config"));
	assert_false(options_command_line_only("user"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_too_many_listen),
		cmocka_unit_test(test_too_many_also_notify),
		cmocka_unit_test(test_nsid_existing_file),
		cmocka_unit_test(test_ordinal_suffix),
		cmocka_unit_test(test_file_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
