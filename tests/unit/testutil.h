/* SPDX-License-Identifier: BSD-3-Clause */
/* testutil.h: helpers shared by the unit tests: load test zones, build queries, run them
 * through query_process() in-process, and parse the answers back with ldns. */
#ifndef DUALNS_TESTUTIL_H
#define DUALNS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>

#include "log.h"
#include "query.h"
#include "zonedb.h"

/* Loads files (NULL-terminated list of names inside tests/data) into a db. */
static inline struct db *test_load_db(const char *first, ...)
{
	struct zone_source src[8];
	char paths[8][512];
	size_t n = 0, failed;
	const char *f;
	va_list ap;

	va_start(ap, first);
	for (f = first; f != NULL && n < 8; f = va_arg(ap, const char *)) {
		snprintf(paths[n], sizeof(paths[n]), "%s/%s", TEST_DATADIR, f);
		src[n].origin = NULL;
		src[n].path = paths[n];
		n++;
	}
	va_end(ap);
	return zonedb_load(src, n, &failed);
}

/* Writes p in wire form into out (cap bytes) and frees p. Returns the length. */
static inline size_t test_pkt_take(uint8_t *out, size_t cap, ldns_pkt *p)
{
	uint8_t *wire = NULL;
	size_t len = 0;

	assert_int_equal(ldns_pkt2wire(&wire, p, &len), LDNS_STATUS_OK);
	assert_true(len <= cap);
	memcpy(out, wire, len);
	free(wire);
	ldns_pkt_free(p);
	return len;
}

/* Builds a query in wire form with ldns (tests may allocate; the server may not). */
static inline size_t test_make_query(uint8_t *out, size_t cap, const char *name, ldns_rr_type type,
				     ldns_rr_class cls, int edns_size, bool do_bit)
{
	ldns_pkt *p = NULL;

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, type, cls, LDNS_RD), LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 0x1234);
	if (edns_size > 0) {
		ldns_pkt_set_edns_udp_size(p, (uint16_t)edns_size);
		ldns_pkt_set_edns_do(p, do_bit);
		/* ldns only writes an OPT when it sees EDNS data; an empty option list is enough. */
		ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, 0, ""));
	}
	return test_pkt_take(out, cap, p);
}

/* The response of the last test_ask(), raw, for size and byte checks. */
static uint8_t test_resp[65536];
static size_t test_resp_len;

/* query_process() for a request that came over transport t from no particular client (not
 * the loopback), with no prefetch hint and, over TCP, no keepalive to advertise. */
static inline size_t test_query(struct query *q, const struct db *db, enum query_transport t,
				const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap)
{
	const struct query_request in = { .transport = t, .wire = req, .len = req_len };

	return query_process(q, db, &in, resp, resp_cap);
}

/* Runs a raw query through query_process(). Returns the response parsed with ldns, or
 * NULL when the server sends nothing. */
static inline ldns_pkt *test_process(const struct db *db, uint16_t udp_size, enum query_transport t,
				     const uint8_t *req, size_t req_len)
{
	static struct query q;
	struct query_config cfg = { .udp_size = udp_size };
	ldns_pkt *p = NULL;

	query_init(&q, &cfg);
	test_resp_len = test_query(&q, db, t, req, req_len, test_resp, sizeof(test_resp));
	if (test_resp_len == 0)
		return NULL;
	assert_int_equal(ldns_wire2pkt(&p, test_resp, test_resp_len), LDNS_STATUS_OK);
	return p;
}

static inline ldns_pkt *test_ask(const struct db *db, const char *name, ldns_rr_type type,
				 int edns_size, enum query_transport t)
{
	uint8_t req[512];
	size_t len = test_make_query(req, sizeof(req), name, type, LDNS_RR_CLASS_IN, edns_size, false);

	return test_process(db, DNS_UDP_DEFAULT, t, req, len);
}

/* Counts the records of a section that have this type and owner (NULL: any owner). */
static inline size_t test_count(const ldns_rr_list *l, ldns_rr_type type, const char *owner)
{
	ldns_rdf *o = NULL;
	size_t i, n = 0;

	if (owner != NULL)
		assert_int_equal(ldns_str2rdf_dname(&o, owner), LDNS_STATUS_OK);
	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);

		if (ldns_rr_get_type(rr) == type &&
		    (o == NULL || ldns_dname_compare(ldns_rr_owner(rr), o) == 0))
			n++;
	}
	ldns_rdf_deep_free(o);
	return n;
}

/* For a cmocka setup: makes the temporary folder prog.XXXXXX (in the current folder)
 * into dir, and sends log lines from level up into logbuf through *stream. Returns 0, or
 * 1 (setup failed). */
static inline int test_scratch_setup(char *dir, size_t dirlen, const char *prog, char *logbuf,
				     size_t loglen, FILE **stream, enum log_level level)
{
	snprintf(dir, dirlen, "%s.XXXXXX", prog);
	if (mkdtemp(dir) == NULL)
		return 1;
	*stream = fmemopen(logbuf, loglen, "w");
	if (*stream == NULL)
		return 1;
	log_init(prog, level);
	log_set_stream(*stream);
	return 0;
}

/* For the teardown: the log back to stderr, the stream closed, the folder removed.
 * Returns 0, or 1 when the folder could not be removed. */
static inline int test_scratch_teardown(const char *dir, FILE *stream)
{
	char cmd[600];

	log_set_stream(NULL);
	fclose(stream);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) != 0;
}

#endif
