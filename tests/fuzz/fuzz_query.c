/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_query.c: libFuzzer target for the whole query path: raw bytes through query_process()
 * against the test zones, every response checked (fuzz_check.h) and parsed back by ldns.
 *
 * Input: byte 0 picks the setting, the rest is the DNS message.
 *   bit 0      transport: 0 UDP, 1 TCP
 *   bits 1-2   --udp-size: 1232, 512, 4096, 65535
 *   bits 3-4   NSID: none, 11 bytes, 300 bytes, none and --require-cookie
 *   bit 5      identity and version hidden (CH queries REFUSED)
 *   bit 6      TCP idle timeout 10 s or 3600 s (edns-tcp-keepalive at its cap)
 *   bit 7      --force-tc=3 and a loopback client (stats.dualns. answered); else
 *              the client is ::, or 198.51.100.100 with --require-cookie (RFC 9018
 *              appendix A.1's client, whose cookie is then valid)
 * The zones come from $DUALNS_FUZZ_DATADIR, else the source tree's tests/data, and the
 * signed example example.org.zone.signed (NSEC3, a wildcard, a signed and an unsigned
 * delegation) from $DUALNS_FUZZ_ZONESDIR, else the source tree's zones. DNS Cookies
 * use RFC 9018 appendix A's secret (and a second one accepted) at a fixed time, so a
 * seed's cookie stays valid or invalid from run to run. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "acl.h"
#include "log.h"
#include "query.h"
#include "zonedb.h"

#ifndef FUZZ_DATADIR
#define FUZZ_DATADIR "tests/data"
#endif
#ifndef FUZZ_ZONESDIR
#define FUZZ_ZONESDIR "zones"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *fuzz_db;
/* Transfers are allowed to the loopback client: a setting with bit 7 reaches xfrout.c. */
static struct acl fuzz_transfer_acl;
static struct query_config fuzz_config[256];
/* One per setting, initialised once and reused like a worker's, so state left over from
 * one query that leaks into the next is found too. */
static struct query fuzz_queries[256];
static uint8_t *fuzz_resp;
static uint8_t fuzz_long_nsid[300];

static const uint16_t fuzz_udp_sizes[4] = { 1232, 512, 4096, 65535 };

/* The time of RFC 9018 appendix A.1, so its cookies are young here. */
#define FUZZ_COOKIE_TIME 1559731985u
static const uint8_t fuzz_cookie_secrets[2][16] = {
	{ 0xe5, 0xe9, 0x73, 0xe5, 0xa6, 0xb2, 0xa4, 0x3f,
	  0x48, 0xe7, 0xdc, 0x84, 0x9e, 0x37, 0xbf, 0xcf },
	{ 0xdd, 0x3b, 0xdf, 0x93, 0x44, 0xb6, 0x78, 0xb1,
	  0x85, 0xa6, 0xf5, 0xcb, 0x60, 0xfc, 0xa7, 0x15 },
};

static uint32_t fuzz_cookie_clock(void)
{
	return FUZZ_COOKIE_TIME;
}

/* The counters as server.c would write them, plus a word too long for one
 * character-string, so stats.dualns. gets every kind of word. */
static uint64_t fuzz_tsig_clock(void)
{
	return 1800000000;
}

static int fuzz_stats_text(const void *ctx, char *buf, size_t len)
{
	(void)ctx;
	return snprintf(buf, len, "udp4=12345 udp6=0 tcp4=7 noerror=12000 formerr=345 dropped=9 "
			"%0250d %0300d tail=1", 0, 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const files[] = { "example.test.zone", "own.example.test.zone",
					     "broken.test.zone", "dn.test.zone", "dnapex.test.zone" };
	enum { FILES = sizeof(files) / sizeof(files[0]) };
	/* One more: the signed zone, so answers with DO carry RRSIGs and denial proofs. */
	struct zone_source src[FILES + 1];
	char paths[FILES + 1][4096];
	const char *dir = getenv("DUALNS_FUZZ_DATADIR");
	const char *zones = getenv("DUALNS_FUZZ_ZONESDIR");
	FILE *devnull = fopen("/dev/null", "w");
	size_t i, failed = 0;
	char err[256];

	(void)argc;
	(void)argv;
	if (dir == NULL)
		dir = FUZZ_DATADIR;
	if (zones == NULL)
		zones = FUZZ_ZONESDIR;
	/* The loader reports broken.test.zone (on purpose); keep the fuzzer's output clean. */
	log_init("fuzz_query", LOG_LEVEL_ERROR);
	if (devnull != NULL)
		log_set_stream(devnull);
	for (i = 0; i < FILES; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, files[i]);
		src[i].origin = NULL;
		src[i].path = paths[i];
	}
	snprintf(paths[FILES], sizeof(paths[FILES]), "%s/example.org.zone.signed", zones);
	src[FILES].origin = NULL;
	src[FILES].path = paths[FILES];
	fuzz_db = zonedb_load(src, FILES + 1, &failed);
	/* broken.test.zone fails by design; the others must load, or the fuzzer would
	 * only ever see REFUSED. */
	if (fuzz_db == NULL || failed != 1) {
		fprintf(stderr, "fuzz_query: cannot load the zones in %s and %s (set "
			"DUALNS_FUZZ_DATADIR and DUALNS_FUZZ_ZONESDIR)\n", dir, zones);
		exit(1);
	}
	if (acl_add(&fuzz_transfer_acl, "127.0.0.0/8", ACL_TRANSFER, err, sizeof(err)) < 0)
		exit(1);
	fuzz_db->transfer_acl = &fuzz_transfer_acl;
	memcpy(fuzz_db->cookies.key, fuzz_cookie_secrets, sizeof(fuzz_cookie_secrets));
	fuzz_db->cookies.count = 2;
	/* make_seeds.py signs its TSIG seeds with this key at fuzz_tsig_clock(). */
	fuzz_db->tsig = tsig_keyring_new();
	if (fuzz_db->tsig == NULL ||
	    tsig_keyring_add(fuzz_db->tsig, "fuzz.key", "hmac-sha256",
			     "SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A=", err, sizeof(err)) < 0)
		exit(1);
	memset(fuzz_long_nsid, 'n', sizeof(fuzz_long_nsid));
	for (i = 0; i < 256; i++) {
		struct query_config *c = &fuzz_config[i];
		unsigned nsid = (unsigned)(i >> 3) & 3;

		c->udp_size = fuzz_udp_sizes[(i >> 1) & 3];
		if (nsid == 1) {
			c->nsid = (const uint8_t *)"dualns-fuzz";
			c->nsid_len = 11;
		} else if (nsid == 2) {
			c->nsid = fuzz_long_nsid;
			c->nsid_len = sizeof(fuzz_long_nsid);
		}
		chaos_config_init(&c->chaos, "fuzz.example", "dualns fuzz");
		c->chaos.hide_identity = c->chaos.hide_version = (i & 32) != 0;
		c->chaos.stats_text = fuzz_stats_text;
		c->force_tc = (i & 128) ? 3 : 0;
		c->require_cookie = nsid == 3;
		c->cookie_clock = fuzz_cookie_clock;
		c->tsig_clock = fuzz_tsig_clock;
		query_init(&fuzz_queries[i], c);
	}
	/* Exactly the size the transports give, on the heap, so ASan sees any overrun. */
	fuzz_resp = malloc(DNS_MSG_MAX);
	if (fuzz_resp == NULL)
		exit(1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct query_config *cfg;
	struct query *q;
	enum query_transport transport;
	struct db_hint hint;
	struct wire_qname peek;
	bool peeked;
	struct sockaddr_in loopback = { .sin_family = AF_INET };
	static const struct sockaddr_in6 other = { .sin6_family = AF_INET6 };
	struct sockaddr_in vector_client = { .sin_family = AF_INET };
	struct query_request in;
	size_t n;

	if (size < 1 || size - 1 > DNS_MSG_MAX)
		return 0;
	cfg = &fuzz_config[data[0]];
	q = &fuzz_queries[data[0]];
	transport = (data[0] & 1) ? QUERY_TCP : QUERY_UDP;
	/* The message ends where libFuzzer's buffer ends: a read past it is an ASan error.
	 * udp.c prefetches every request of a batch before answering any: the same bytes. */
	peeked = query_prefetch(fuzz_db, data + 1, size - 1, &peek, &hint);
	db_prefetch_node(&hint);
	/* And hands the answer what the prefetch learned, as udp.c does; TCP has none. The
	 * first byte also picks the client (loopback or not) and the keepalive advertised. */
	loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	vector_client.sin_addr.s_addr = htonl(0xc6336464); /* 198.51.100.100 */
	in = (struct query_request){
		.transport = transport,
		.wire = data + 1,
		.len = size - 1,
		.peer = (data[0] & 128) ? (const struct sockaddr *)&loopback
			: cfg->require_cookie ? (const struct sockaddr *)&vector_client
					      : (const struct sockaddr *)&other,
		.tcp_idle_ms = (data[0] & 64) ? 3600000u : 10000u,
		.hint = transport == QUERY_UDP ? &hint : NULL,
		.peek = transport == QUERY_UDP && peeked ? &peek : NULL,
	};
	n = query_process(q, fuzz_db, &in, fuzz_resp, DNS_MSG_MAX);
	fuzz_check_response(q, transport, cfg->udp_size, data + 1, size - 1, fuzz_resp, n);
	/* Every answer to a request whose TSIG verified is signed, and verifies over the
	 * request's MAC (RFC 8945 section 5.3). */
	if (q->tsig_key != NULL)
		FUZZ_REQUIRE(tsig_verify_response(q->tsig_key, q->req.tsig.mac, q->req.tsig.mac_size,
						  fuzz_resp, n, fuzz_tsig_clock()) == 0,
			     "the answer to a verified TSIG request is not signed (RFC 8945 5.3)");
	/* A transfer the TCP connection would run: every message, as tcp.c builds them. */
	if (q->xfr.zone != NULL) {
		struct xfrout *x = xfrout_start(&q->xfr, &q->req, data + 1);

		FUZZ_REQUIRE(transport == QUERY_TCP, "a transfer started over UDP");
		FUZZ_REQUIRE(x != NULL, "out of memory for a transfer");
		while (!xfrout_done(x)) {
			n = xfrout_next(x, fuzz_resp, DNS_MSG_MAX);
			FUZZ_REQUIRE(n >= DNS_HEADER_SIZE && n <= DNS_MSG_MAX,
				     "a transfer message that cannot be sent");
			FUZZ_REQUIRE(fuzz_resp[0] == data[1] && fuzz_resp[1] == data[2],
				     "ID not echoed in a transfer message (RFC 5936 2.2.1)");
		}
		xfrout_end(x);
	}
	/* The query log line (-q) is built from the same parse: a qname of 255 escaped bytes
	 * must fit, cut or not, in the server's 512-byte line. */
	{
		char line[512];
		int len = query_format_log(q, line, sizeof(line));

		FUZZ_REQUIRE(len > 0 && strlen(line) < sizeof(line), "query log line not terminated");
	}
	return 0;
}
