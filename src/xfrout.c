/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrout.c: AXFR and IXFR messages, record by record from a zone version or a journal delta. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dnssec.h"
#include "log.h"
#include "netio.h"
#include "xfrout.h"

void xfrout_init(struct xfrout *x, const struct zone *zone, const struct journal_delta *delta,
		 enum xfrout_kind kind)
{
	memset(x, 0, sizeof(*x));
	x->zone = zone;
	x->delta = delta;
	x->kind = kind;
	x->phase = XFROUT_SOA_FIRST;
	clock_gettime(CLOCK_MONOTONIC, &x->started);
}

/* The record at a stored RRset's rr (zone.h layout) as encode_rr() takes it. */
static void stored_rr(struct encode_rr *out, const struct zone *z, const struct node *n,
		      const struct rrset *rs, const uint8_t *rr)
{
	out->owner = n->name;
	out->owner_len = n->name_len;
	out->type = rs->type;
	out->rclass = rs->rclass;
	out->ttl = dnssec_record_ttl(z, n, rs, rr);
	out->rdlen = (uint16_t)dns_read16(rr);
	out->name_off[0] = (uint16_t)dns_read16(rr + 2);
	out->name_off[1] = (uint16_t)dns_read16(rr + 4);
	out->rdata = rr + RR_HEADER_SIZE;
}

static void journal_rr_get(struct encode_rr *out, const struct journal_rr *j)
{
	out->owner = j->owner;
	out->owner_len = j->owner_len;
	out->type = j->type;
	out->rclass = DNS_CLASS_IN;
	out->ttl = j->ttl;
	out->rdlen = j->rdlen;
	memcpy(out->name_off, j->name_off, sizeof(out->name_off));
	out->rdata = j->rdata;
}

/* Moves the zone walk to the next record to send, from where it stands: every RRset of
 * every node in name order, but the apex SOA (sent first and last, RFC 5936 section
 * 2.2). Returns false after the last one. */
static bool zone_settle(struct xfrout *x)
{
	while (x->node != NULL) {
		const struct node *n = x->node;

		if (x->rrset < n->rrset_count) {
			const struct rrset *rs = &n->rrsets[x->rrset];

			if (x->rr >= rs->count || ((n->flags & NODE_APEX) && rs->type == DNS_TYPE_SOA)) {
				x->rrset++;
				x->rr = 0;
				x->rr_data = NULL;
				continue;
			}
			if (x->rr_data == NULL)
				x->rr_data = rs->data;
			return true;
		}
		x->node = zone_next_node(x->zone, n);
		x->rrset = 0;
		x->rr = 0;
		x->rr_data = NULL;
	}
	return false;
}

/* The record to send next, in *rr; false when the transfer is complete. Moves to the
 * next phase when one is exhausted. */
static bool current(struct xfrout *x, struct encode_rr *rr)
{
	const struct zone *z = x->zone;

	for (;;) {
		switch (x->phase) {
		case XFROUT_SOA_FIRST:
		case XFROUT_SOA_LAST:
			stored_rr(rr, z, z->apex, z->soa, z->soa->data);
			return true;
		case XFROUT_ZONE:
			if (zone_settle(x)) {
				stored_rr(rr, z, x->node, &x->node->rrsets[x->rrset], x->rr_data);
				return true;
			}
			x->phase = XFROUT_SOA_LAST;
			break;
		case XFROUT_REMOVED:
			if (x->index < x->delta->removed_count) {
				journal_rr_get(rr, &x->delta->removed[x->index]);
				return true;
			}
			x->phase = XFROUT_ADDED;
			x->index = 0;
			break;
		case XFROUT_ADDED:
			if (x->index < x->delta->added_count) {
				journal_rr_get(rr, &x->delta->added[x->index]);
				return true;
			}
			x->phase = XFROUT_SOA_LAST;
			break;
		case XFROUT_DONE:
		default:
			return false;
		}
	}
}

/* Steps past the record current() returned. */
static void advance(struct xfrout *x)
{
	switch (x->phase) {
	case XFROUT_SOA_FIRST:
		if (x->delta != NULL) {
			x->phase = XFROUT_REMOVED;
			x->index = 0;
		} else {
			x->phase = XFROUT_ZONE;
			x->node = zone_next_node(x->zone, NULL);
		}
		break;
	case XFROUT_ZONE:
		x->rr_data += RR_HEADER_SIZE + dns_read16(x->rr_data);
		x->rr++;
		break;
	case XFROUT_REMOVED:
	case XFROUT_ADDED:
		x->index++;
		break;
	case XFROUT_SOA_LAST:
	default:
		x->phase = XFROUT_DONE;
		break;
	}
}

bool xfrout_fill(struct xfrout *x, struct encoder *e)
{
	struct encode_rr rr;

	while (current(x, &rr)) {
		if (encode_rr(e, SECTION_ANSWER, &rr) != 0)
			return false;
		x->records++;
		advance(x);
	}
	return true;
}

struct xfrout *xfrout_start(const struct xfrout_request *r, const struct wire_query *w,
			    const uint8_t *wire)
{
	struct xfrout *x = malloc(sizeof(*x));

	if (x == NULL)
		return NULL;
	xfrout_init(x, zone_hold(r->zone), r->delta, r->kind);
	x->id = w->id;
	x->flags = w->flags;
	x->question_len = w->question_len;
	memcpy(x->question, wire + DNS_HEADER_SIZE, w->question_len);
	/* The OPT of every message says our size and echoes DO; the request's options
	 * (cookies, NSID) are answered in the first message's query only. */
	x->edns.present = w->edns.present;
	x->edns.do_bit = w->edns.do_bit;
	x->edns.udp_size = w->edns.udp_size;
	x->udp_size = r->udp_size;
	if (r->key != NULL) {
		x->signing = true;
		x->key = *r->key;
		tsig_stream_start(&x->tsig, &x->key, w->tsig.mac, w->tsig.mac_size);
		x->reserve = tsig_reserve(&x->key);
	}
	return x;
}

size_t xfrout_next(struct xfrout *x, uint8_t *buf, size_t cap)
{
	const struct edns_answer opt = { .server_size = x->udp_size, .ede = -1 };
	size_t qlen = x->messages == 0 ? x->question_len : 0;
	size_t opt_size = x->edns.present ? edns_opt_size(&x->edns, &opt) : 0;
	struct encoder e;

	if (cap > DNS_MSG_MAX)
		cap = DNS_MSG_MAX;
	if (cap < DNS_HEADER_SIZE + qlen + opt_size + x->reserve)
		return 0;
	memcpy(buf + DNS_HEADER_SIZE, x->question, qlen);
	encode_init(&e, buf, DNS_HEADER_SIZE + qlen, cap - opt_size - x->reserve,
		    qlen > 0 ? buf + DNS_HEADER_SIZE : NULL);
	if (!xfrout_fill(x, &e) && e.count[SECTION_ANSWER] == 0)
		return 0;
	/* QR and AA; the opcode (QUERY) and RD copied (RFC 5936 section 2.2.1). */
	dns_write16(buf, x->id);
	dns_write16(buf + 2, DNS_FLAG_QR | DNS_FLAG_AA | (x->flags & (DNS_OPCODE_MASK | DNS_FLAG_RD)));
	dns_write16(buf + 4, qlen > 0 ? 1 : 0);
	dns_write16(buf + 6, e.count[SECTION_ANSWER]);
	dns_write16(buf + 8, 0);
	dns_write16(buf + 10, x->edns.present ? 1 : 0);
	if (x->edns.present)
		e.len += edns_write_opt(buf + e.len, &x->edns, &opt, RCODE_NOERROR);
	/* Every message signed, each MAC over the previous one (RFC 8945 section 5.3.1). */
	if (x->signing && tsig_stream_sign(&x->tsig, buf, e.len, cap, &e.len) != 0)
		return 0;
	x->messages++;
	x->bytes += e.len;
	return e.len;
}

void xfrout_log(const struct xfrout *x, const struct sockaddr *peer, const char *cut)
{
	char addr[NETIO_ADDRSTRLEN];
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(now.tv_sec - x->started.tv_sec) * 1000 +
	     (now.tv_nsec - x->started.tv_nsec) / 1000000;
	netio_addr_format(addr, sizeof(addr), peer);
	log_info("xfr: %s %s serial %u to %s%s%s: %lu messages, %lu records, %llu bytes, %ld ms",
		 x->kind == XFROUT_AXFR ? "AXFR" : x->delta != NULL ? "IXFR" : "IXFR (whole zone)",
		 x->zone->origin_text, x->zone->serial, addr, cut != NULL ? " cut short: " : "",
		 cut != NULL ? cut : "", x->messages, x->records, x->bytes, ms);
}

void xfrout_end(struct xfrout *x)
{
	if (x == NULL)
		return;
	zone_free((struct zone *)(uintptr_t)x->zone);
	sodium_memzero(x, sizeof(*x));
	free(x);
}
