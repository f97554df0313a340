/* SPDX-License-Identifier: BSD-3-Clause */
/* xdp_frame.c: checking an Ethernet/IP/UDP frame received on an AF_XDP socket and turning
 * it, in place, into the answer's frame (headers swapped, lengths and checksums set). */
#include "xdp_frame.h"

#include <netinet/in.h>
#include <string.h>

#include "dns.h"

#define ETH_HDR_LEN      14
#define ETH_ADDR_LEN     6
#define ETH_TYPE_OFF     12
#define ETHERTYPE_IPV4   0x0800
#define ETHERTYPE_IPV6   0x86dd

#define IPV4_HDR_LEN     20     /* IHL 5: the only header length answered (no options) */
#define IPV4_TOTLEN_OFF  2
#define IPV4_ID_OFF      4
#define IPV4_FRAG_OFF    6
#define IPV4_TTL_OFF     8
#define IPV4_PROTO_OFF   9
#define IPV4_CSUM_OFF    10
#define IPV4_SRC_OFF     12
#define IPV4_DST_OFF     16
#define IPV4_MF          0x2000
#define IPV4_DF          0x4000
#define IPV4_OFFSET_MASK 0x1fff

#define IPV6_HDR_LEN     40
#define IPV6_PLEN_OFF    4
#define IPV6_NH_OFF      6
#define IPV6_HLIM_OFF    7
#define IPV6_SRC_OFF     8
#define IPV6_DST_OFF     24
#define IPV6_ADDR_LEN    16

#define UDP_HDR_LEN      8
#define UDP_SPORT_OFF    0
#define UDP_DPORT_OFF    2
#define UDP_LEN_OFF      4
#define UDP_CSUM_OFF     6
#define IPPROTO_UDP_NUM  17

#define ANSWER_HOP_LIMIT 64     /* IPv4 TTL and IPv6 hop limit of every answer */

/* The 16-bit one's complement sum of len bytes at p added to sum (RFC 1071 section 4.1):
 * big-endian words, an odd last byte padded with zero. The caller folds once at the end;
 * 64 bits cannot overflow for any frame. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += dns_read16(p + i);
	if (len & 1)
		sum += (unsigned)p[len - 1] << 8;
	return sum;
}

/* The sum folded to 16 bits and complemented: the checksum to write into a field that
 * was zero during the sum, or 0 when a received header (its checksum included) is right. */
static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The sum over the UDP pseudo-header (RFC 768; RFC 8200 section 8.1 for IPv6) of a
 * datagram of udp_len bytes. The source and destination addresses sit next to each other
 * in both IP headers. */
static uint64_t csum_pseudo(const uint8_t *ip, bool ipv6, size_t udp_len)
{
	uint64_t sum;

	if (ipv6)
		sum = csum_add(0, ip + IPV6_SRC_OFF, 2 * IPV6_ADDR_LEN);
	else
		sum = csum_add(0, ip + IPV4_SRC_OFF, 8);
	return sum + IPPROTO_UDP_NUM + udp_len;
}

/* The UDP checksum's sum: the pseudo-header, then udp_len bytes of UDP header and data. */
static uint64_t csum_udp(const uint8_t *ip, bool ipv6, const uint8_t *udp, size_t udp_len)
{
	return csum_add(csum_pseudo(ip, ipv6, udp_len), udp, udp_len);
}

/* True when the UDP checksum field holds what a sender on this host leaves there for its
 * checksum offload to finish (Linux's CHECKSUM_PARTIAL: the pseudo-header's sum, folded
 * and not complemented): a veth or tap peer, such as a container, hands the frame over
 * before any device has summed the data, and the kernel's own UDP stack accepts it for
 * that reason. The frame crossed no wire, so there is nothing to check it against. */
static bool csum_left_to_offload(const uint8_t *ip, bool ipv6, uint16_t csum, size_t udp_len)
{
	uint16_t folded = (uint16_t)~csum_fold(csum_pseudo(ip, ipv6, udp_len));

	return folded == csum;
}

/* IPv4 without options, not a fragment, carrying UDP that fills the IP payload.
 * Returns the UDP length, or 0. */
static size_t parse_ipv4(const uint8_t *ip, size_t avail)
{
	size_t total, udp_len;

	if (avail < IPV4_HDR_LEN + UDP_HDR_LEN)
		return 0;
	/* Version 4 and IHL 5: options are left to the kernel, RFC 791 section 3.1. */
	if (ip[0] != 0x45)
		return 0;
	if ((dns_read16(ip + IPV4_FRAG_OFF) & (IPV4_MF | IPV4_OFFSET_MASK)) != 0)
		return 0;
	if (ip[IPV4_PROTO_OFF] != IPPROTO_UDP_NUM)
		return 0;
	/* The receiver checks the header checksum (RFC 1122 section 3.2.1.2). */
	if (csum_fold(csum_add(0, ip, IPV4_HDR_LEN)) != 0)
		return 0;
	total = dns_read16(ip + IPV4_TOTLEN_OFF);
	if (total > avail || total < IPV4_HDR_LEN + UDP_HDR_LEN)
		return 0;
	udp_len = dns_read16(ip + IPV4_HDR_LEN + UDP_LEN_OFF);
	if (udp_len != total - IPV4_HDR_LEN)
		return 0;
	return udp_len;
}

/* IPv6 with UDP as the first next header (extension headers are left to the kernel).
 * Returns the UDP length, or 0. */
static size_t parse_ipv6(const uint8_t *ip, size_t avail)
{
	size_t plen, udp_len;

	if (avail < IPV6_HDR_LEN + UDP_HDR_LEN)
		return 0;
	if ((ip[0] >> 4) != 6 || ip[IPV6_NH_OFF] != IPPROTO_UDP_NUM)
		return 0;
	plen = dns_read16(ip + IPV6_PLEN_OFF);
	if (plen > avail - IPV6_HDR_LEN || plen < UDP_HDR_LEN)
		return 0;
	udp_len = dns_read16(ip + IPV6_HDR_LEN + UDP_LEN_OFF);
	if (udp_len != plen)
		return 0;
	return udp_len;
}

static void peer_set(struct xdp_frame_info *info, const uint8_t *ip, const uint8_t *udp)
{
	memset(&info->peer, 0, sizeof(info->peer));
	if (info->ipv6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&info->peer;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_port, udp + UDP_SPORT_OFF, 2);
		memcpy(&sin6->sin6_addr, ip + IPV6_SRC_OFF, IPV6_ADDR_LEN);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&info->peer;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_port, udp + UDP_SPORT_OFF, 2);
		memcpy(&sin->sin_addr, ip + IPV4_SRC_OFF, 4);
	}
}

int xdp_frame_parse(const uint8_t *frame, size_t len, struct xdp_frame_info *info)
{
	const uint8_t *ip, *udp;
	size_t ip_hdr_len, udp_len;
	unsigned type;
	uint16_t csum;

	if (len < ETH_HDR_LEN)
		return -1;
	/* Ethernet II with IP directly after the addresses: a VLAN tag (0x8100) and every
	 * other type stay with the kernel. */
	type = dns_read16(frame + ETH_TYPE_OFF);
	ip = frame + ETH_HDR_LEN;
	if (type == ETHERTYPE_IPV4) {
		info->ipv6 = false;
		ip_hdr_len = IPV4_HDR_LEN;
		udp_len = parse_ipv4(ip, len - ETH_HDR_LEN);
	} else if (type == ETHERTYPE_IPV6) {
		info->ipv6 = true;
		ip_hdr_len = IPV6_HDR_LEN;
		udp_len = parse_ipv6(ip, len - ETH_HDR_LEN);
	} else {
		return -1;
	}
	if (udp_len < UDP_HDR_LEN)
		return -1;
	udp = ip + ip_hdr_len;
	/* Zero is "no checksum" over IPv4 (RFC 768) and not allowed over IPv6 (RFC 8200
	 * section 8.1: the receiver discards the datagram). */
	csum = (uint16_t)dns_read16(udp + UDP_CSUM_OFF);
	if (csum == 0 && info->ipv6)
		return -1;
	if (csum != 0 && csum_fold(csum_udp(ip, info->ipv6, udp, udp_len)) != 0 &&
	    !csum_left_to_offload(ip, info->ipv6, csum, udp_len))
		return -1;
	info->l3_off = ETH_HDR_LEN;
	info->payload_off = ETH_HDR_LEN + ip_hdr_len + UDP_HDR_LEN;
	info->payload_len = udp_len - UDP_HDR_LEN;
	peer_set(info, ip, udp);
	return 0;
}

size_t xdp_frame_answer_cap(const struct xdp_frame_info *info, size_t frame_cap, unsigned mtu)
{
	size_t headers = info->payload_off - info->l3_off;   /* IP + UDP headers */
	size_t cap;

	if (frame_cap <= info->payload_off || mtu <= headers)
		return 0;
	cap = frame_cap - info->payload_off;
	if (cap > mtu - headers)
		cap = mtu - headers;
	/* 16-bit length fields: IPv4's total length, the UDP length (IPv6's payload). */
	if (cap > 0xffff - (info->ipv6 ? UDP_HDR_LEN : headers))
		cap = 0xffff - (info->ipv6 ? UDP_HDR_LEN : headers);
	return cap;
}

size_t xdp_frame_answer(uint8_t *frame, const struct xdp_frame_info *info, size_t answer_len)
{
	uint8_t *ip = frame + info->l3_off;
	size_t ip_hdr_len = info->ipv6 ? IPV6_HDR_LEN : IPV4_HDR_LEN;
	uint8_t *udp = ip + ip_hdr_len;
	size_t udp_len = UDP_HDR_LEN + answer_len;
	uint8_t tmp[IPV6_ADDR_LEN];
	uint16_t csum;

	memcpy(tmp, frame, ETH_ADDR_LEN);
	memcpy(frame, frame + ETH_ADDR_LEN, ETH_ADDR_LEN);
	memcpy(frame + ETH_ADDR_LEN, tmp, ETH_ADDR_LEN);

	if (info->ipv6) {
		/* Traffic class and flow label 0: the request's ECN marks are not echoed. */
		dns_write32(ip, 0x60000000UL);
		dns_write16(ip + IPV6_PLEN_OFF, (unsigned)udp_len);
		ip[IPV6_NH_OFF] = IPPROTO_UDP_NUM;
		ip[IPV6_HLIM_OFF] = ANSWER_HOP_LIMIT;
		memcpy(tmp, ip + IPV6_SRC_OFF, IPV6_ADDR_LEN);
		memcpy(ip + IPV6_SRC_OFF, ip + IPV6_DST_OFF, IPV6_ADDR_LEN);
		memcpy(ip + IPV6_DST_OFF, tmp, IPV6_ADDR_LEN);
	} else {
		ip[0] = 0x45;
		ip[1] = 0;   /* DSCP and ECN: as a socket's default, not the request's */
		dns_write16(ip + IPV4_TOTLEN_OFF, (unsigned)(IPV4_HDR_LEN + udp_len));
		/* The answer fits the MTU (xdp_frame_answer_cap()), so it is sent with DF as
		 * an atomic datagram, whose ID may be any value (RFC 6864 section 4.1). */
		dns_write16(ip + IPV4_ID_OFF, 0);
		dns_write16(ip + IPV4_FRAG_OFF, IPV4_DF);
		ip[IPV4_TTL_OFF] = ANSWER_HOP_LIMIT;
		ip[IPV4_PROTO_OFF] = IPPROTO_UDP_NUM;
		memcpy(tmp, ip + IPV4_SRC_OFF, 4);
		memcpy(ip + IPV4_SRC_OFF, ip + IPV4_DST_OFF, 4);
		memcpy(ip + IPV4_DST_OFF, tmp, 4);
		dns_write16(ip + IPV4_CSUM_OFF, 0);
		dns_write16(ip + IPV4_CSUM_OFF, csum_fold(csum_add(0, ip, IPV4_HDR_LEN)));
	}

	memcpy(tmp, udp + UDP_SPORT_OFF, 2);
	memcpy(udp + UDP_SPORT_OFF, udp + UDP_DPORT_OFF, 2);
	memcpy(udp + UDP_DPORT_OFF, tmp, 2);
	dns_write16(udp + UDP_LEN_OFF, (unsigned)udp_len);
	dns_write16(udp + UDP_CSUM_OFF, 0);
	csum = csum_fold(csum_udp(ip, info->ipv6, udp, udp_len));
	/* A computed 0 is sent as 0xffff: 0 means "none" over IPv4 (RFC 768) and is not
	 * allowed over IPv6 (RFC 8200 section 8.1). */
	dns_write16(udp + UDP_CSUM_OFF, csum == 0 ? 0xffff : csum);
	return info->l3_off + ip_hdr_len + udp_len;
}
