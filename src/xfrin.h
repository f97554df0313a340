/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrin.h: refreshing one secondary zone from its primaries on the server's libev loop:
 * the SOA query, then an IXFR (RFC 1995) or AXFR (RFC 5936), signed with TSIG (RFC 8945)
 * when the primary has a key. Never blocks: non-blocking sockets, ev_io and ev_timer. */
#ifndef DUALNS_XFRIN_H
#define DUALNS_XFRIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tsigkey.h"
#include "zone.h"

struct ev_loop;
struct xfrin;

/* One primary: its address (port included) and, when transfers are signed, a copy of
 * its TSIG key (tsigkey.h). */
struct xfrin_primary {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	bool has_key;
	struct tsig_key key;
};

enum xfrin_kind { XFRIN_UPTODATE, XFRIN_IXFR, XFRIN_AXFR };

struct xfrin_result {
	int status;                 /* 0: done (zone or up to date); -errno or -EPROTO: failed */
	char error[256];            /* why it failed, one line for logs and stats */
	enum xfrin_kind kind;
	uint32_t serial;            /* the primary's serial (0 when never learnt) */
	struct zone *zone;          /* the new version, one reference for the caller; NULL when
	                             * up to date or failed */
	const struct xfrin_primary *from; /* which primary answered (the refresh's copy of the
	                                   * list: valid during the call only) */
	size_t messages, records, bytes; /* of the IXFR or AXFR from that primary */
	double seconds;                   /* the whole refresh */
};

/* Called once, on the loop, when the refresh ends; r is valid during the call only
 * (take r->zone). */
typedef void (*xfrin_done_cb)(const struct xfrin_result *r, void *arg);

/* Starts refreshing the zone origin (lowercased wire name, origin_text for messages) whose
 * current version is current (NULL or !current->ok: none yet, so the first transfer is an
 * AXFR): for each primary in turn until one succeeds: the SOA over UDP (sent again while
 * unanswered, XFRIN_UDP_RESEND in xfrin.c; TC: again over TCP), then, when its serial is newer than current's by RFC 1982 (or there is no
 * current), an IXFR over TCP carrying current's SOA (an AXFR without current); an answer
 * that is a whole zone (RFC 1995 section 4) or a refused IXFR (NOTIMP, REFUSED, FORMERR)
 * falls back to AXFR. timeout: seconds for each step of each primary. The refresh copies
 * origin, origin_text and primaries, and holds current; cb is never called before
 * xfrin_start() returns. Returns the refresh, or NULL when out of memory. */
struct xfrin *xfrin_start(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
			  const char *origin_text, const struct zone *current,
			  const struct xfrin_primary *primaries, size_t count, double timeout,
			  xfrin_done_cb cb, void *arg);

/* The same with force: skip the SOA comparison and transfer even when the primary's
 * serial is not newer (an operator's request; NOTIFY still checks). */
struct xfrin *xfrin_start_force(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
				const char *origin_text, const struct zone *current,
				const struct xfrin_primary *primaries, size_t count,
				double timeout, xfrin_done_cb cb, void *arg);

/* Stops a refresh that has not called back yet (it never will); frees it. */
void xfrin_cancel(struct xfrin *x);

#endif
