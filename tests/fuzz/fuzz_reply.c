/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_reply.c: libFuzzer target for dualq's side of an exchange: whatever a server sends
 * back is judged (verdicts_check) and printed in all three formats, as dualq does after a
 * real exchange. dualq must survive any server, so nothing here may crash, read out of
 * bounds or leak, and the JSON document must always parse.
 *
 * Input: byte 0 the setting, bytes 1-2 the length of the first reply (big-endian), then
 * the replies. Setting bits: 0 two legs (the first a UDP reply, the rest a TCP reply),
 * 1 use the reply's own ID for the query (so ID checks can pass), 2 +nsid, 3 +noedns,
 * 4 +dnssec, 5 +compare rather than TC as the reason for the TCP leg, 6 a second UDP try
 * that went unanswered before the reply, 7 an ICMP port unreachable that was ignored.
 * The query is always big.example.com TXT IN. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/exchange.h"
#include "client/msg.h"
#include "client/options.h"
#include "client/output.h"
#include "client/verdicts.h"
#include "fuzz_check.h"

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sink = fopen("/dev/null", "w");
	return sink == NULL;
}

/* Fills a leg as exchange_udp()/exchange_tcp() would after reading reply. */
static void fill_leg(struct leg *l, const struct exchange *ex, bool tcp, unsigned setting,
		     const uint8_t *reply, size_t len)
{
	int n;

	l->tcp = tcp;
	l->remote = ex->server;
	l->local = ex->server;
	l->id = (setting & 2) && len >= 2 ? (uint16_t)(reply[0] << 8 | reply[1]) : 0x1234;
	n = exchange_build_query(l->query, sizeof(l->query), l->id, &ex->q);
	FUZZ_REQUIRE(n > 0, "the fixed query does not build");
	l->query_len = (size_t)n;
	l->bytes_sent = l->query_len + (tcp ? 2 : 0);
	l->bytes_received = len + (tcp ? 2 : 0);
	l->rtt_ms = 1.5;
	l->connect_ms = tcp ? 0.5 : 0;
	l->connected = tcp;
	if (!tcp) {
		l->ntries = (setting & 64) ? 2 : 1;
		l->tries[0].id = l->id;
		l->tries[0].err = (setting & 64) ? -ETIMEDOUT : 0;
		l->tries[0].local = ex->server;
		l->tries[1].id = l->id;
		l->icmp_refused = (setting & 128) ? 1 : 0;
	}
	l->reply = malloc(len ? len : 1);
	FUZZ_REQUIRE(l->reply != NULL, "out of memory");
	memcpy(l->reply, reply, len);
	l->reply_len = len;
	/* As exchange_tcp() does: one query on the connection, a mismatch is reported. */
	char why[96];
	if (!exchange_reply_matches(why, sizeof(why), l->query, l->query_len, reply, len)) {
		l->mismatched = 1;
		snprintf(l->mismatch_why, sizeof(l->mismatch_why), "%s", why);
		FUZZ_REQUIRE(memchr(why, 0, sizeof(why)) != NULL, "mismatch reason not terminated");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dualq_options opt;
	struct exchange ex;
	struct verdicts vd;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ex.server;
	unsigned setting;
	size_t first, i;
	int failed;

	if (size < 3 || size - 3 > 2 * 65535)
		return 0;
	setting = data[0];
	first = (size_t)data[1] << 8 | data[2];
	data += 3;
	size -= 3;
	if (first > size)
		first = size;

	options_init(&opt);
	snprintf(opt.server, sizeof(opt.server), "127.0.0.1");
	opt.name = "big.example.com";
	opt.qtype = 16;
	opt.nsid = (setting & 4) != 0;
	opt.edns = (setting & 8) == 0;
	opt.dnssec = (setting & 16) != 0;
	opt.compare = (setting & 32) != 0;

	memset(&ex, 0, sizeof(ex));
	FUZZ_REQUIRE(options_query(&ex.q, &opt) == 0, "the fixed name does not parse");
	sin->sin_family = AF_INET;
	sin->sin_port = htons(53);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ex.server_len = sizeof(*sin);

	fill_leg(&ex.legs[ex.nlegs++], &ex, false, setting, data, first);
	if (setting & 1) {
		ex.why_tcp = (setting & 32) ? EXCHANGE_TCP_COMPARE : EXCHANGE_TCP_TC;
		fill_leg(&ex.legs[ex.nlegs++], &ex, true, setting, data + first, size - first);
	}

	failed = verdicts_check(&vd, &ex);
	FUZZ_REQUIRE(vd.n <= VERDICTS_MAX, "more verdicts than the table holds");
	FUZZ_REQUIRE(failed >= 0 && (size_t)failed <= vd.n, "failed count out of range");
	for (i = 0; i < vd.n; i++) {
		FUZZ_REQUIRE(vd.v[i].rfc != NULL && vd.v[i].leg != NULL, "verdict without RFC or leg");
		FUZZ_REQUIRE(memchr(vd.v[i].check, 0, sizeof(vd.v[i].check)) != NULL,
			"verdict text not terminated");
	}
	for (i = 0; i < ex.nlegs; i++) {
		struct msg_view v;

		if (msg_parse(&v, ex.legs[i].reply, ex.legs[i].reply_len) == 0)
			for (unsigned s = 0; s < 4; s++)
				FUZZ_REQUIRE(v.present[s] <= v.count[s], "more records present than counted");
	}
	output_text(sink, &opt, opt.server, &ex, &vd);
	/* Whatever the server sent, the JSON document is whole and parses. */
	char *doc = NULL;
	size_t doc_len = 0;
	FILE *mem = open_memstream(&doc, &doc_len);
	FUZZ_REQUIRE(mem != NULL, "out of memory");
	FUZZ_REQUIRE(output_json(mem, &opt, opt.server, &ex, &vd) == 0, "no JSON document");
	FUZZ_REQUIRE(fclose(mem) == 0, "JSON document not written");
	json_error_t jerr;
	json_t *parsed = json_loadb(doc, doc_len, 0, &jerr);
	FUZZ_REQUIRE(parsed != NULL && json_is_object(parsed), "the JSON document does not parse");
	json_decref(parsed);
	free(doc);
	output_short(sink, &ex);
	fflush(sink);
	exchange_free(&ex);
	return 0;
}
