/* SPDX-License-Identifier: BSD-3-Clause */
/* edns.c: EDNS(0) options in queries and the OPT record of answers (RFC 6891). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "dns.h"
#include "edns.h"

/* An option: its code and length (16 bits each, EDNS_OPTION_HEADER_SIZE), then its value. */
#define OPT_OPTION_LEN_OFF 2
/* The values this server sends (keepalive timeout, EDE info-code) are 16 bits. */
#define OPT_VALUE16_SIZE 2

/* The header holds the low 4 bits of an RCODE; the OPT the rest (RFC 6891 section 6.1.3). */
#define HEADER_RCODE_BITS 4

int edns_parse_options(struct edns_query *e, const uint8_t *rdata, size_t rdlen)
{
	size_t pos = 0;

	while (pos < rdlen) {
		unsigned code, optlen;

		if (pos + EDNS_OPTION_HEADER_SIZE > rdlen)
			return -EBADMSG;
		code = dns_read16(rdata + pos);
		optlen = dns_read16(rdata + pos + OPT_OPTION_LEN_OFF);
		pos += EDNS_OPTION_HEADER_SIZE;
		if (pos + optlen > rdlen)
			return -EBADMSG;
		switch (code) {
		case EDNS_OPT_NSID:
			e->nsid = true;
			break;
		case EDNS_OPT_COOKIE:
			/* A client cookie alone or with a server cookie: anything else
			 * is FORMERR (RFC 7873 section 5.2.2). */
			if (optlen != COOKIE_CLIENT_SIZE &&
			    (optlen < COOKIE_CLIENT_SIZE + COOKIE_SERVER_MIN ||
			     optlen > COOKIE_CLIENT_SIZE + COOKIE_SERVER_MAX))
				return -EBADMSG;
			/* Two COOKIE options make the request ambiguous: which server
			 * cookie would be checked? FORMERR, as for a bad length. */
			if (e->cookie_client != NULL)
				return -EBADMSG;
			e->cookie_client = rdata + pos;
			e->cookie_server = rdata + pos + COOKIE_CLIENT_SIZE;
			e->cookie_server_len = (uint8_t)(optlen - COOKIE_CLIENT_SIZE);
			break;
		case EDNS_OPT_KEEPALIVE:
			/* Clients send it empty (RFC 7828 section 3.1). */
			if (optlen != 0)
				return -EBADMSG;
			e->keepalive = true;
			break;
		default:
			/* Unknown options are ignored, never echoed (RFC 6891 section 6.1.2). */
			break;
		}
		pos += optlen;
	}
	return 0;
}

size_t edns_udp_limit(const struct edns_query *e, uint16_t server_size)
{
	size_t size;

	if (!e->present)
		return DNS_UDP_MIN;
	size = e->udp_size < server_size ? e->udp_size : server_size;
	/* Values below 512 are treated as 512 (RFC 6891 section 6.2.5). */
	return size < DNS_UDP_MIN ? DNS_UDP_MIN : size;
}

static bool send_keepalive(const struct edns_query *e, const struct edns_answer *a)
{
	return e->keepalive && a->keepalive > 0;
}

static bool send_nsid(const struct edns_query *e, const struct edns_answer *a)
{
	return e->nsid && a->nsid != NULL;
}

size_t edns_opt_size(const struct edns_query *e, const struct edns_answer *a)
{
	size_t size = EDNS_OPT_RR_SIZE;

	if (send_nsid(e, a))
		size += EDNS_OPTION_HEADER_SIZE + a->nsid_len;
	if (send_keepalive(e, a))
		size += EDNS_OPTION_HEADER_SIZE + OPT_VALUE16_SIZE;
	if (a->cookie != NULL)
		size += EDNS_OPTION_HEADER_SIZE + COOKIE_ANSWER_SIZE;
	if (a->ede >= 0)
		size += EDNS_OPTION_HEADER_SIZE + OPT_VALUE16_SIZE;
	return size;
}

static size_t put_option(uint8_t *dest, unsigned code, const uint8_t *data, size_t len)
{
	dns_write16(dest, code);
	dns_write16(dest + OPT_OPTION_LEN_OFF, (unsigned)len);
	memcpy(dest + EDNS_OPTION_HEADER_SIZE, data, len);
	return EDNS_OPTION_HEADER_SIZE + len;
}

size_t edns_write_opt(uint8_t *dest, const struct edns_query *e, const struct edns_answer *a,
		      int rcode)
{
	unsigned long ttl = 0;
	size_t pos = EDNS_OPT_RR_SIZE;
	uint8_t value[OPT_VALUE16_SIZE];

	dest[0] = 0; /* root owner */
	dns_write16(dest + EDNS_OPT_TYPE_OFF, DNS_TYPE_OPT);
	dns_write16(dest + EDNS_OPT_SIZE_OFF, a->server_size);
	/* Upper 8 bits of the extended RCODE, version 0, DO copied (RFC 3225 section 3). */
	if (rcode >= 1 << HEADER_RCODE_BITS)
		ttl |= (unsigned long)(rcode >> HEADER_RCODE_BITS) << EDNS_TTL_RCODE_SHIFT;
	if (e->do_bit)
		ttl |= EDNS_FLAG_DO;
	dns_write32(dest + EDNS_OPT_TTL_OFF, ttl);
	if (send_nsid(e, a))
		pos += put_option(dest + pos, EDNS_OPT_NSID, a->nsid, a->nsid_len);
	if (send_keepalive(e, a)) {
		dns_write16(value, a->keepalive);
		pos += put_option(dest + pos, EDNS_OPT_KEEPALIVE, value, sizeof(value));
	}
	if (a->cookie != NULL)
		pos += put_option(dest + pos, EDNS_OPT_COOKIE, a->cookie, COOKIE_ANSWER_SIZE);
	if (a->ede >= 0) {
		dns_write16(value, (unsigned)a->ede);
		pos += put_option(dest + pos, EDNS_OPT_EDE, value, sizeof(value));
	}
	dns_write16(dest + EDNS_OPT_RDLEN_OFF, (unsigned)(pos - EDNS_OPT_RR_SIZE));
	return pos;
}
