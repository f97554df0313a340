/* SPDX-License-Identifier: BSD-3-Clause */
/* verdicts.h: the RFC checks dualq runs over the legs it recorded (pure functions). */
#ifndef DUALQ_VERDICTS_H
#define DUALQ_VERDICTS_H

#include <stdbool.h>
#include <stddef.h>

#include "client/exchange.h"

#define VERDICTS_MAX 48

struct verdict {
	const char *rfc;          /* "RFC 6891 section 7" */
	const char *leg;          /* "udp", "tcp" or "both" */
	char check[360];          /* what was checked, with the numbers that decided it */
	bool ok;
	bool note;                /* ok, and worth saying: something allowed but unusual */
};

struct verdicts {
	struct verdict v[VERDICTS_MAX];
	size_t n;
	/* The UDP answer was empty with TC = 1 although the TCP answer fits its limit: a
	 * rate-limit slip or a forced TC rather than size. */
	bool slip;
	size_t slip_limit, slip_tcp_bytes;
	/* +validate: VALIDATE_NONE when not asked, else what the final answer proved to be. */
	enum { VALIDATE_NONE, VALIDATE_SECURE, VALIDATE_BOGUS } validated;
};

/* Adds one verdict (for checks run after verdicts_check, such as +validate's). */
void verdicts_add(struct verdicts *out, const char *rfc, const char *leg, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Checks every leg of ex that has a reply and fills out. Returns the number of failed
 * verdicts (0 when all passed). A TCP leg that got no reply after a UDP reply fails
 * RFC 7766 section 5: a server that truncates must answer over TCP.
 *
 * Partial RRsets (RFC 2181 section 9) are detected by two rules, since one message alone
 * cannot prove that an RRset is complete:
 *  1. a UDP reply with TC = 0 must hold every record its header counts, each whole;
 *  2. when a TCP leg followed (after TC, or with +compare), every answer RRset of a UDP
 *     reply with TC = 0 must have as many records as the same RRset over TCP, and no
 *     answer RRset of the TCP reply may be missing from it. */
int verdicts_check(struct verdicts *out, const struct exchange *ex);

/* Notes are verdicts that pass but say something unusual: a reply without a COOKIE to a
 * query with one (RFC 7873 section 5.3 allows it), a BADCOOKIE answered by the retry,
 * and a truncation that looks like a slip (empty, TC = 1, while the TCP answer would have
 * fit the UDP limit). */

/* The UDP size limit the query announced: 512 without EDNS, else max(512, bufsize)
 * (RFC 1035 section 2.3.4, RFC 6891 section 6.2.5). */
size_t verdicts_udp_limit(const struct exchange_query *q);

#endif
