/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_xfrin.c: libFuzzer target for the transfer client's reading of a primary's answers
 * (xfrinmsg.c): whatever a primary sends, the messages are checked, an IXFR is applied
 * to a copy of the current version, and the zone is built, or the transfer fails with a
 * reason; never a crash, an out-of-bounds read or a leak, and the current version is
 * never changed.
 *
 * Input: byte 0 the setting (bit 0: an IXFR from the current version, serial 1; else an
 * AXFR; bit 1: each message read as the SOA answer too), then the messages, each after
 * its two-byte length as over TCP. The zone is x.test., the request's ID 0x1234. */
#include "config.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "fuzz_check.h"
#include "log.h"
#include "xfrinmsg.h"
#include "zonefile.h"

#define FUZZ_ID 0x1234

static const uint8_t origin[] = "\001x\004test";
static struct zone *current;
static uint8_t current_digest[ZONE_DIGEST_SIZE];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const v1[] = {
		"x.test. 3600 IN SOA ns.x.test. h.x.test. 1 7200 3600 1209600 300",
		"x.test. 300 IN NS ns.x.test.", "ns.x.test. 300 IN A 192.0.2.1",
		"www.x.test. 300 IN A 192.0.2.80", "www.x.test. 300 IN A 192.0.2.81",
		"gone.x.test. 300 IN TXT \"bye\"",
	};
	ldns_rr_list *l = ldns_rr_list_new();
	size_t i;

	(void)argc;
	(void)argv;
	log_set_stream(fopen("/dev/null", "w"));
	for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
		ldns_rr *rr = NULL;

		FUZZ_REQUIRE(ldns_rr_new_frm_str(&rr, v1[i], 3600, NULL, NULL) == LDNS_STATUS_OK,
			     "a record of the current version does not parse");
		ldns_rr_list_push_rr(l, rr);
	}
	FUZZ_REQUIRE(zonefile_build_rrs(l, origin, sizeof(origin), "x.test.", "fuzz", &current,
					NULL, 0) == 0, "the current version does not build");
	ldns_rr_list_deep_free(l);
	memcpy(current_digest, current->digest, sizeof(current_digest));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t qtype = size > 0 && (data[0] & 1) ? DNS_TYPE_IXFR : DNS_TYPE_AXFR;
	bool soa_too = size > 0 && (data[0] & 2);
	struct xfrin_stream *s;
	size_t at = 1;
	char err[256] = "";
	int rc = 0;

	s = xfrin_stream_new(origin, sizeof(origin), "x.test.", current, qtype, FUZZ_ID, "fuzz");
	FUZZ_REQUIRE(s != NULL, "out of memory");
	while (rc == 0 && at + 2 <= size) {
		size_t len = (size_t)data[at] << 8 | data[at + 1];
		const uint8_t *msg = data + at + 2;
		uint32_t serial;

		if (len > size - at - 2)
			len = size - at - 2;
		at += 2 + len;
		if (soa_too) {
			int r = xfrin_soa_answer(msg, len, FUZZ_ID, origin, sizeof(origin), &serial,
						 err, sizeof(err));

			FUZZ_REQUIRE(r >= -EPROTO && r <= 1, "xfrin_soa_answer: an unknown value");
		}
		rc = xfrin_stream_message(s, msg, len, err, sizeof(err));
		FUZZ_REQUIRE(rc == 0 || rc == 1 || rc == -EPROTO || rc == -ENOTSUP,
			     "xfrin_stream_message: an unknown value");
		FUZZ_REQUIRE(rc >= 0 || err[0] != '\0', "a failure without a reason");
	}
	if (rc == 1 || rc == 0) {
		enum xfrin_kind kind;
		struct zone *z = NULL;
		uint32_t serial;

		err[0] = '\0';
		rc = xfrin_stream_finish(s, &kind, &serial, &z, err, sizeof(err));
		FUZZ_REQUIRE(rc == 0 || err[0] != '\0', "a failed finish without a reason");
		FUZZ_REQUIRE(rc != 0 || kind == XFRIN_UPTODATE || (z != NULL && z->ok &&
								      z->serial == serial),
			     "a transfer that succeeded without its zone");
		FUZZ_REQUIRE(rc == 0 || z == NULL, "a failed transfer with a zone");
		zone_free(z);
	}
	xfrin_stream_free(s);
	FUZZ_REQUIRE(memcmp(current->digest, current_digest, sizeof(current_digest)) == 0 &&
		     current->serial == 1, "the current version changed");
	return 0;
}
