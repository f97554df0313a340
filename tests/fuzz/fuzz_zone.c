/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_zone.c: libFuzzer target for the zone loader: zone text in, written to a file,
 * loaded with zonefile_load(), then every name of it asked through query_process() (the
 * answers checked as in fuzz_query), then freed.
 *
 * Input: the zone file's text. A first line ";origin=NAME" (a comment to the loader, so
 * the seeds stay valid zone files) loads it as NAME=FILE would. The file lives in a fresh
 * folder under $DUALNS_FUZZ_TMPDIR (else the build tree), so a relative $INCLUDE finds
 * only the file itself (a loop: zonefile.c must give up on it quickly). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "log.h"
#include "query.h"
#include "zonedb.h"
#include "zonefile.h"

#ifndef FUZZ_TMPDIR
#define FUZZ_TMPDIR "/tmp"
#endif

#define FUZZ_MAX_NODES 64     /* names asked per zone: enough to reach every answer kind */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[4096];
static char fuzz_path[4200];
static uint8_t *fuzz_resp;
static struct query_config fuzz_cfg = { .udp_size = 1232 };
static struct query fuzz_q;

static void fuzz_cleanup(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("DUALNS_FUZZ_TMPDIR");
	FILE *devnull = fopen("/dev/null", "w");

	(void)argc;
	(void)argv;
	if (tmp == NULL)
		tmp = FUZZ_TMPDIR;
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/fuzz-zone.XXXXXX", tmp);
	if (mkdtemp(fuzz_dir) == NULL) {
		perror(fuzz_dir);
		exit(1);
	}
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/fuzz.zone", fuzz_dir);
	atexit(fuzz_cleanup);
	/* Broken zones are the point; their messages would drown libFuzzer's. */
	log_init("fuzz_zone", LOG_LEVEL_ERROR);
	if (devnull != NULL)
		log_set_stream(devnull);
	chaos_config_init(&fuzz_cfg.chaos, "fuzz.example", "dualns fuzz");
	query_init(&fuzz_q, &fuzz_cfg);
	fuzz_resp = malloc(DNS_MSG_MAX);
	if (fuzz_resp == NULL)
		exit(1);
	return 0;
}

/* Asks name (wire form, prefix + rest) for type over one transport and checks the answer. */
static void ask(const struct db *db, const uint8_t *prefix, size_t prefix_len,
		const uint8_t *name, size_t name_len, uint16_t type, enum query_transport t,
		bool edns)
{
	uint8_t req[12 + 2 * DNS_MAX_NAME + 4 + 11];
	struct query_request in;
	size_t len = 12, n;

	if (prefix_len + name_len > DNS_MAX_NAME)
		return;
	memset(req, 0, 12);
	req[0] = 0xab;
	req[1] = 0xcd;
	req[2] = 0x01; /* RD */
	req[5] = 1;
	memcpy(req + len, prefix, prefix_len);
	len += prefix_len;
	memcpy(req + len, name, name_len);
	len += name_len;
	dns_write16(req + len, type);
	dns_write16(req + len + 2, DNS_CLASS_IN);
	len += 4;
	if (edns) {
		static const uint8_t opt[11] = { 0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0 };

		memcpy(req + len, opt, sizeof(opt));
		len += sizeof(opt);
		req[11] = 1;
	}
	in = (struct query_request){ .transport = t, .wire = req, .len = len, .tcp_idle_ms = 10000 };
	n = query_process(&fuzz_q, db, &in, fuzz_resp, DNS_MSG_MAX);
	fuzz_check_response(&fuzz_q, t, fuzz_cfg.udp_size, req, len, fuzz_resp, n);
}

static void ask_zone(const struct db *db, const struct zone *z)
{
	static const uint8_t none[1];
	static const uint8_t x_label[2] = { 1, 'x' };
	static const uint16_t apex_types[] = { DNS_TYPE_SOA, DNS_TYPE_NS, DNS_TYPE_ANY,
					       DNS_TYPE_MX, DNS_TYPE_DS, 1234 };
	size_t i;

	for (i = 0; i < sizeof(apex_types) / sizeof(apex_types[0]); i++)
		ask(db, none, 0, z->origin, z->origin_len, apex_types[i], QUERY_UDP, i & 1);
	if (!z->ok)
		return;
	i = 0;
	for (const struct node *n = zone_next_node(z, NULL); n != NULL && i < FUZZ_MAX_NODES;
	     n = zone_next_node(z, n), i++) {

		ask(db, none, 0, n->name, n->name_len, DNS_TYPE_A, QUERY_UDP, false);
		ask(db, none, 0, n->name, n->name_len, DNS_TYPE_ANY, QUERY_TCP, true);
		if (n->rrset_count > 0) {
			ask(db, none, 0, n->name, n->name_len, n->rrsets[0].type, QUERY_UDP, true);
			ask(db, none, 0, n->name, n->name_len, n->rrsets[0].type, QUERY_TCP, false);
		}
		/* A name below it: NXDOMAIN, a wildcard, or a referral below a cut. */
		ask(db, x_label, sizeof(x_label), n->name, n->name_len, DNS_TYPE_TXT, QUERY_UDP,
		    false);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zone_source src = { .origin = NULL, .path = fuzz_path };
	char origin[256];
	struct zone *z;
	struct db *db;
	FILE *f;

	if (size > 8 && memcmp(data, ";origin=", 8) == 0) {
		const uint8_t *end = memchr(data, '\n', size);
		size_t len = end != NULL ? (size_t)(end - data) - 8 : 0;

		if (len > 0 && len < sizeof(origin) && memchr(data + 8, '\0', len) == NULL) {
			memcpy(origin, data + 8, len);
			origin[len] = '\0';
			src.origin = origin;
		}
	}
	f = fopen(fuzz_path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(fuzz_path);
		abort();
	}
	if (zonefile_load(src.path, src.origin, &z) != 0)
		return 0;
	db = db_new();
	if (db == NULL || db_add_zone(db, z) != 0) {
		zone_free(z);
		db_free(db);
		return 0;
	}
	ask_zone(db, z);
	db_free(db);
	return 0;
}
