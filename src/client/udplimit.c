/* SPDX-License-Identifier: BSD-3-Clause */
/* udplimit.c: say which UDP size limit applied to an answer, and why, from our query and its reply. */
#include "config.h"

#include <stdio.h>

#include "client/udplimit.h"

/* Sizes below 512 count as 512 (RFC 6891 section 6.2.5). */
static size_t at_least_min(uint16_t size)
{
	return size < DNS_UDP_MIN ? DNS_UDP_MIN : size;
}

void udplimit_of(struct udplimit *out, const struct exchange_query *q, const struct msg_view *v)
{
	out->edns = q->edns;
	out->advertised = q->edns ? q->bufsize : 0;
	out->server_opt = v->has_opt;
	out->server = v->has_opt ? v->opt_udp_size : 0;
	if (!q->edns) {
		out->source = UDPLIMIT_NO_EDNS;
		out->bytes = DNS_UDP_MIN;
	} else if (!v->has_opt) {
		out->source = UDPLIMIT_NO_OPT;
		out->bytes = DNS_UDP_MIN;
	} else if (at_least_min(v->opt_udp_size) < at_least_min(q->bufsize)) {
		out->source = UDPLIMIT_SERVER;
		out->bytes = at_least_min(v->opt_udp_size);
	} else {
		out->source = UDPLIMIT_CLIENT;
		out->bytes = at_least_min(q->bufsize);
	}
}

/* Room for floor_note's text: " 65535, counted as 512" at most. */
#define FLOOR_NOTE_MAX 32

/* " 100, counted as 512" for a size under 512, else nothing: the number itself is the
 * limit's, already said. */
static void floor_note(char *buf, size_t buflen, uint16_t size)
{
	if (size < DNS_UDP_MIN)
		snprintf(buf, buflen, " %u, counted as %d", size, DNS_UDP_MIN);
	else
		buf[0] = '\0';
}

void udplimit_str(char *buf, size_t buflen, const struct udplimit *l)
{
	char ours[FLOOR_NOTE_MAX], theirs[FLOOR_NOTE_MAX];

	floor_note(ours, sizeof(ours), l->advertised);
	floor_note(theirs, sizeof(theirs), l->server);
	switch (l->source) {
	case UDPLIMIT_NO_EDNS:
		snprintf(buf, buflen, "%zu bytes (no EDNS in our query: RFC 1035 section 4.2.1)",
			 l->bytes);
		return;
	case UDPLIMIT_NO_OPT:
		snprintf(buf, buflen, "%zu bytes (the reply has no OPT: the server did not use EDNS, "
			 "so RFC 1035 section 4.2.1 applies)", l->bytes);
		return;
	case UDPLIMIT_SERVER:
		snprintf(buf, buflen, "%zu bytes (the server's own UDP size%s, below our %u)",
			 l->bytes, theirs, l->advertised);
		return;
	case UDPLIMIT_CLIENT:
		if (at_least_min(l->server) == l->bytes)
			snprintf(buf, buflen, "%zu bytes (our advertised size%s, the server's own too)",
				 l->bytes, ours);
		else
			snprintf(buf, buflen, "%zu bytes (our advertised size%s; the server's own is %u)",
				 l->bytes, ours, l->server);
		return;
	}
}

const char *udplimit_source_name(enum udplimit_source source)
{
	switch (source) {
	case UDPLIMIT_NO_EDNS:
		return "no-edns";
	case UDPLIMIT_NO_OPT:
		return "no-opt";
	case UDPLIMIT_SERVER:
		return "server";
	case UDPLIMIT_CLIENT:
		break;
	}
	return "client";
}
