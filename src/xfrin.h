/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrin.h: refreshing one secondary zone from its primaries (RFC 1034 section 4.3.5, RFC 1995, RFC 5936) on the main loop. */
#ifndef DUALNS_XFRIN_H
#define DUALNS_XFRIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ev.h>

#include "tsigkey.h"
#include "zone.h"

struct xfrin;
struct xfrin_primary {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	bool has_key;
	struct tsig_key key;
};
enum xfrin_kind { XFRIN_UPTODATE, XFRIN_IXFR, XFRIN_AXFR };
struct xfrin_result {
	int status;                 /* 0: done (zone or up to date); -errno or -EPROTO: failed */
	char error[256];
	enum xfrin_kind kind;
	uint32_t serial;
	struct zone *zone;          /* the new version, one reference for the caller; NULL when
	                             * up to date or failed */
	const struct xfrin_primary *from;
	size_t messages, records, bytes;
	double seconds;
};
typedef void (*xfrin_done_cb)(const struct xfrin_result *r, void *arg);
struct xfrin *xfrin_start(struct ev_loop *loop, const uint8_t *origin, size_t origin_len,
			  const char *origin_text, const struct zone *current,
			  const struct xfrin_primary *primaries, size_t count, double timeout,
			  xfrin_done_cb cb, void *arg);
void xfrin_cancel(struct xfrin *x);

#endif
