/* SPDX-License-Identifier: BSD-3-Clause */
/* udplimit.h: which size limit a UDP answer was held to, told from what the client can see. */
#ifndef DUALQ_UDPLIMIT_H
#define DUALQ_UDPLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/exchange.h"
#include "client/msg.h"

/* Where the limit came from. */
enum udplimit_source {
	UDPLIMIT_NO_EDNS,   /* our query had no OPT: 512 (RFC 1035 section 4.2.1) */
	UDPLIMIT_NO_OPT,    /* our query had an OPT, the reply none: the server did not use
			     * EDNS, so 512 (RFC 1035 section 4.2.1) */
	UDPLIMIT_CLIENT,    /* our advertised size, at or below the server's own */
	UDPLIMIT_SERVER,    /* the server's own UDP size, below ours */
};

/* The limit and the facts it was told from. A server's own UDP size is the one its OPT
 * advertises: dualnsd, NSD and Knot DNS advertise the size they hold answers to. */
struct udplimit {
	size_t bytes;                 /* max(512, min(ours, the server's)) (RFC 6891 section 6.2.5) */
	enum udplimit_source source;
	bool edns;                    /* our query had an OPT... */
	uint16_t advertised;          /* ...with this size, as sent */
	bool server_opt;              /* the reply had an OPT... */
	uint16_t server;              /* ...with this size, as sent */
};

/* Tells the limit of a UDP reply v to query q. Cannot fail. */
void udplimit_of(struct udplimit *out, const struct exchange_query *q, const struct msg_view *v);

/* Room for udplimit_str's longest text. */
#define UDPLIMIT_TEXT_MAX 160

/* Writes the limit and why in words, e.g. "1232 bytes (the server's own UDP size, below
 * our 8192)"; buflen of UDPLIMIT_TEXT_MAX holds any of them. */
void udplimit_str(char *buf, size_t buflen, const struct udplimit *l);

/* The source as a JSON word: "no-edns", "no-opt", "client" or "server". */
const char *udplimit_source_name(enum udplimit_source source);

#endif
