/* edns.c: EDNS(0) options in queries and the OPT record of answers (RFC 6891). */
#include "config.h"

#include <string.h>

#include "dns.h"
#include "edns.h"

int edns_parse_options(struct edns_query *e, const uint8_t *rdata, size_t rdlen)
{
	size_t pos = 0;

	while (pos < rdlen) {
		unsigned code, optlen;

		if (pos + EDNS_OPTION_HEADER_SIZE > rdlen)
			return -1;
		code = dns_read16(rdata + pos);
		optlen = dns_read16(rdata + pos + 2);
		pos += EDNS_OPTION_HEADER_SIZE;
		if (pos + optlen > rdlen)
			return -1;
		switch (code) {
		case EDNS_OPT_NSID:
			e->nsid = true;
			break;
		case EDNS_OPT_COOKIE:
			/* A client cookie alone (8) or with a server cookie (8 + 8..32):
			 * anything else is FORMERR (RFC 7873 section 5.2.2). */
			if (optlen != 8 && (optlen < 16 || optlen > 40))
				return -1;
			break;
		case EDNS_OPT_KEEPALIVE:
			/* Clients send it empty (RFC 7828 section 3.1). */
			if (optlen != 0)
				return -1;
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
		size += EDNS_OPTION_HEADER_SIZE + 2;
	if (a->ede >= 0)
		size += EDNS_OPTION_HEADER_SIZE + 2;
	return size;
}

static size_t put_option(uint8_t *dest, unsigned code, const uint8_t *data, size_t len)
{
	dns_write16(dest, code);
	dns_write16(dest + 2, (unsigned)len);
	memcpy(dest + EDNS_OPTION_HEADER_SIZE, data, len);
	return EDNS_OPTION_HEADER_SIZE + len;
}

size_t edns_write_opt(uint8_t *dest, const struct edns_query *e, const struct edns_answer *a,
		      int rcode)
{
	unsigned long ttl = 0;
	size_t pos = EDNS_OPT_RR_SIZE;
	uint8_t value[2], *fixed = dest + 1;

	dest[0] = 0; /* root owner; the fixed fields follow it */
	dns_write16(fixed + DNS_RR_OFF_TYPE, DNS_TYPE_OPT);
	dns_write16(fixed + DNS_RR_OFF_CLASS, a->server_size);
	/* Upper 8 bits of the extended RCODE, version 0, DO copied (RFC 3225 section 3). */
	if (rcode > 15)
		ttl |= (unsigned long)(rcode >> 4) << 24;
	if (e->do_bit)
		ttl |= EDNS_FLAG_DO;
	dns_write32(fixed + DNS_RR_OFF_TTL, ttl);
	if (send_nsid(e, a))
		pos += put_option(dest + pos, EDNS_OPT_NSID, a->nsid, a->nsid_len);
	if (send_keepalive(e, a)) {
		dns_write16(value, a->keepalive);
		pos += put_option(dest + pos, EDNS_OPT_KEEPALIVE, value, 2);
	}
	if (a->ede >= 0) {
		dns_write16(value, (unsigned)a->ede);
		pos += put_option(dest + pos, EDNS_OPT_EDE, value, 2);
	}
	dns_write16(fixed + DNS_RR_OFF_RDLENGTH, (unsigned)(pos - EDNS_OPT_RR_SIZE));
	return pos;
}
