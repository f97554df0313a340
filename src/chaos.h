/* SPDX-License-Identifier: BSD-3-Clause */
/* chaos.h: the server's own names in class CH: id.server and hostname.bind (identity),
 * version.server and version.bind (version), as BIND, NSD and Knot answer them. */
#ifndef DUALNS_CHAOS_H
#define DUALNS_CHAOS_H

#include <stdbool.h>

#include "answer.h"
#include "encode.h"
#include "wire.h"
#include "zone.h"

/* The longest character-string: one length byte (RFC 1035 section 3.3). */
#define CHAOS_TXT_MAX 255

/* A TXT RRset of one character-string, built once at startup. */
struct chaos_txt {
	struct rrset rrset;
	uint8_t data[RR_HEADER_SIZE + 1 + CHAOS_TXT_MAX];
};

/* The counters as a TXT RRset of several character-strings, one "name=value" each, and
 * one word per secondary zone (about 100 bytes each): 16 KiB holds the counters and some
 * 150 secondary zones. Over UDP such an answer is truncated (TC) and the client's TCP
 * retry gets it whole (RFC 7766). */
#define CHAOS_STATS_MAX 16384
struct chaos_stats {
	struct rrset rrset;
	uint8_t data[RR_HEADER_SIZE + CHAOS_STATS_MAX];
};

struct chaos_config {
	bool hide_identity;   /* --hide-identity: id.server and hostname.bind REFUSED */
	bool hide_version;    /* --hide-version: version.server and version.bind REFUSED */
	struct chaos_txt identity;
	struct chaos_txt version;
	/* Writes the server's counters as space-separated words into buf, cut at len - 1
	 * bytes (server.c); NULL: none. Its return value (stats_format()'s) is not used. */
	int (*stats_text)(const void *ctx, char *buf, size_t len);
	const void *stats_ctx;
};

/* Sets the texts (each at most CHAOS_TXT_MAX bytes; longer ones are cut there). */
void chaos_config_init(struct chaos_config *c, const char *identity, const char *version);

/* Answers a CH query: TXT (or ANY) for a known name, NODATA for another type of it,
 * REFUSED for a hidden or unknown name. stats.dualns. is known only to loopback clients
 * (the counters are the operator's business); its answer is built in scratch. */
void chaos_answer(struct answer_result *res, struct encoder *e, const struct chaos_config *c,
		  const struct wire_query *q, bool loopback, struct chaos_stats *scratch);

#endif
