/* SPDX-License-Identifier: BSD-3-Clause */
/* xdptestframe.h: Ethernet/IPv4/IPv6/UDP frames built byte by byte for the AF_XDP tests,
 * with their own checksum code, independent of src/xdp_frame.c. */
#ifndef DUALNS_XDPTESTFRAME_H
#define DUALNS_XDPTESTFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TF_ETH       14
#define TF_CLIENT_MAC "\x02\x00\x00\x00\x00\x02"
#define TF_SERVER_MAC "\x02\x00\x00\x00\x00\x01"
#define TF_CLIENT4   "\xc6\x33\x64\x02"   /* 198.51.100.2 */
#define TF_SERVER4   "\xc6\x33\x64\x01"   /* 198.51.100.1 */
#define TF_OTHER4    "\xcb\x00\x71\x09"   /* 203.0.113.9 */
#define TF_CLIENT6   "\x20\x01\x0d\xb8\x00\x53\0\0\0\0\0\0\0\0\0\x02"   /* 2001:db8:53::2 */
#define TF_SERVER6   "\x20\x01\x0d\xb8\x00\x53\0\0\0\0\0\0\0\0\0\x01"   /* 2001:db8:53::1 */
#define TF_OTHER6    "\x20\x01\x0d\xb8\x00\x53\0\0\0\0\0\0\0\0\0\x99"   /* 2001:db8:53::99 */
#define TF_CLIENT_PORT 40000

/* What a frame carries; zero fields mean the usual: client to server, port 5353. */
struct tf_spec {
	bool ipv6;
	uint16_t dport;            /* 0: 5353 */
	const char *dst;           /* 4 or 16 bytes; NULL: the server's address */
	size_t payload_len;        /* the DNS message: bytes 0, 1, 2... */
	size_t ip_opts;            /* IPv4 option bytes (NOPs), a multiple of 4 */
	bool vlan;                 /* an 802.1Q tag before the IP ethertype */
	bool hop_by_hop;           /* IPv6: an 8-byte hop-by-hop header before UDP */
	bool no_udp_csum;          /* IPv4: UDP checksum 0 (none) */
};

static inline unsigned tf_get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static inline void tf_put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071 computed the plain way: add the words, fold the carries at the end. */
static inline uint32_t tf_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sum += (i % 2 == 0) ? (uint32_t)p[i] << 8 : p[i];
	return sum;
}

static inline uint16_t tf_fold(uint32_t sum)
{
	while (sum > 0xffff)
		sum = (sum >> 16) + (sum & 0xffff);
	return (uint16_t)sum;
}

/* The offset of the IP header (after the Ethernet header and any VLAN tag). */
static inline size_t tf_l3(const uint8_t *f)
{
	return tf_get16(f + 12) == 0x8100 ? TF_ETH + 4 : TF_ETH;
}

/* The folded sum over the pseudo-header and the UDP datagram at udp (its length field
 * says how long), ip the IP header: 0xffff when the checksum in it is right. */
static inline uint16_t tf_udp_sum(const uint8_t *ip, const uint8_t *udp)
{
	size_t ulen = tf_get16(udp + 4);
	uint32_t sum;

	if ((ip[0] >> 4) == 6)
		sum = tf_sum(0, ip + 8, 32);
	else
		sum = tf_sum(0, ip + 12, 8);
	sum += 17 + (uint32_t)ulen;
	return tf_fold(tf_sum(sum, udp, ulen));
}

/* The UDP header of f: after the IPv4 header with its options, or after the IPv6 header
 * and the hop-by-hop header when there is one. */
static inline uint8_t *tf_udp(uint8_t *f)
{
	uint8_t *ip = f + tf_l3(f);

	if ((ip[0] >> 4) == 4)
		return ip + (ip[0] & 0xf) * 4;
	return ip + 40 + (ip[6] == 0 ? 8 : 0);
}

/* Sets the IPv4 header checksum for the header length the header says. */
static inline void tf_ip4_csum(uint8_t *ip)
{
	size_t hl = (ip[0] & 0xf) * 4;

	tf_put16(ip + 10, 0);
	tf_put16(ip + 10, (uint16_t)~tf_fold(tf_sum(0, ip, hl)));
}

/* Sets the IPv4 header checksum and the UDP checksum again after a test changed a field,
 * so that a frame is wrong only in the way the test means. */
static inline void tf_fix(uint8_t *f, bool udp_csum)
{
	uint8_t *ip = f + tf_l3(f);
	uint8_t *udp = tf_udp(f);
	uint16_t c;

	if ((ip[0] >> 4) == 4)
		tf_ip4_csum(ip);
	tf_put16(udp + 6, 0);
	if (!udp_csum)
		return;
	c = (uint16_t)~tf_udp_sum(ip, udp);
	tf_put16(udp + 6, c == 0 ? 0xffff : c);
}

/* Builds the frame s describes into f (big enough). Returns its length. */
static inline size_t tf_build(uint8_t *f, const struct tf_spec *s)
{
	size_t off = 0, ip_off, udp_off, hl, ulen = 8 + s->payload_len;
	uint8_t *ip;

	memcpy(f, TF_SERVER_MAC, 6);
	memcpy(f + 6, TF_CLIENT_MAC, 6);
	off = 12;
	if (s->vlan) {
		tf_put16(f + off, 0x8100);
		tf_put16(f + off + 2, 53);   /* VLAN id 53 */
		off += 4;
	}
	tf_put16(f + off, s->ipv6 ? 0x86dd : 0x0800);
	ip_off = off + 2;
	ip = f + ip_off;
	if (s->ipv6) {
		size_t ext = s->hop_by_hop ? 8 : 0;

		memset(ip, 0, 40 + ext);
		ip[0] = 0x60;
		tf_put16(ip + 4, (unsigned)(ext + ulen));
		ip[6] = s->hop_by_hop ? 0 : 17;
		ip[7] = 64;
		memcpy(ip + 8, TF_CLIENT6, 16);
		memcpy(ip + 24, s->dst ? s->dst : TF_SERVER6, 16);
		if (s->hop_by_hop) {
			ip[40] = 17;   /* next header UDP, length 0 (8 bytes) */
			ip[42] = 1;    /* PadN, 4 bytes of padding */
			ip[43] = 4;
		}
		hl = 40 + ext;
	} else {
		hl = 20 + s->ip_opts;
		memset(ip, 0, hl);
		ip[0] = (uint8_t)(0x40 | hl / 4);
		tf_put16(ip + 2, (unsigned)(hl + ulen));
		tf_put16(ip + 4, 0x1234);
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, TF_CLIENT4, 4);
		memcpy(ip + 16, s->dst ? s->dst : TF_SERVER4, 4);
		memset(ip + 20, 1, s->ip_opts);   /* NOP options */
	}
	udp_off = ip_off + hl;
	tf_put16(f + udp_off, TF_CLIENT_PORT);
	tf_put16(f + udp_off + 2, s->dport ? s->dport : 5353);
	tf_put16(f + udp_off + 4, (unsigned)ulen);
	for (size_t i = 0; i < s->payload_len; i++)
		f[udp_off + 8 + i] = (uint8_t)i;
	tf_fix(f, s->ipv6 || !s->no_udp_csum);
	return udp_off + ulen;
}

/* Frames the AF_XDP path leaves alone, each as a usual frame (spec) changed by mutate. */
struct tf_case {
	const char *name;
	struct tf_spec spec;
	void (*mutate)(uint8_t *f, size_t *len);   /* NULL: spec alone makes it */
	bool prog_redirects;   /* the program does not check checksums; user space does */
	bool prog_cannot_run;  /* shorter than an Ethernet header: no test run takes it */
};

static inline void tf_cut_13(uint8_t *f, size_t *len) { *len = 13; }
static inline void tf_cut_14(uint8_t *f, size_t *len) { *len = 14; }
static inline void tf_cut_ip4(uint8_t *f, size_t *len) { *len = TF_ETH + 19; }
static inline void tf_cut_udp4(uint8_t *f, size_t *len) { *len = TF_ETH + 20 + 7; }
static inline void tf_cut_ip6(uint8_t *f, size_t *len) { *len = TF_ETH + 39; }
static inline void tf_cut_udp6(uint8_t *f, size_t *len) { *len = TF_ETH + 40 + 7; }
/* The IP length says one byte more than the frame holds. */
static inline void tf_cut_1(uint8_t *f, size_t *len) { *len -= 1; }
static inline void tf_arp(uint8_t *f, size_t *len) { tf_put16(f + 12, 0x0806); }
static inline void tf_version5(uint8_t *f, size_t *len) { f[TF_ETH] = 0x55; tf_ip4_csum(f + TF_ETH); }
static inline void tf_version4in6(uint8_t *f, size_t *len) { f[TF_ETH] = 0x40; }
static inline void tf_mf(uint8_t *f, size_t *len) { tf_put16(f + TF_ETH + 6, 0x2000); tf_fix(f, true); }
static inline void tf_offset(uint8_t *f, size_t *len) { tf_put16(f + TF_ETH + 6, 0x0001); tf_fix(f, true); }
static inline void tf_tcp4(uint8_t *f, size_t *len) { f[TF_ETH + 9] = 6; tf_fix(f, true); }
static inline void tf_tcp6(uint8_t *f, size_t *len) { f[TF_ETH + 6] = 6; }

/* UDP length 7, and the IP length with it, so only "shorter than a UDP header" is wrong. */
static inline void tf_udp7(uint8_t *f, size_t *len)
{
	uint8_t *ip = f + TF_ETH;

	if ((ip[0] >> 4) == 4)
		tf_put16(ip + 2, 20 + 7);
	else
		tf_put16(ip + 4, 7);
	tf_put16(tf_udp(f) + 4, 7);
	tf_fix(f, true);
}

/* UDP length one less than the IP payload. */
static inline void tf_udp_minus1(uint8_t *f, size_t *len)
{
	uint8_t *udp = tf_udp(f);

	tf_put16(udp + 4, tf_get16(udp + 4) - 1);
	tf_fix(f, true);
}

/* IHL 7 with 8 option bytes that read as a UDP header (to port 5353, filling the IP
 * payload, no checksum) for whoever takes the header to be 20 bytes. Its source port makes
 * the 8 bytes sum to 0xffff, so the header checksum is right over 20 bytes as over 28. */
static inline void tf_opts_as_udp(uint8_t *f, size_t *len)
{
	uint8_t *ip = f + TF_ETH;
	unsigned ulen = tf_get16(ip + 2) - 20;

	tf_put16(ip + 20, 0xffff - 5353 - ulen);
	tf_put16(ip + 22, 5353);
	tf_put16(ip + 24, ulen);
	tf_put16(ip + 26, 0);
	tf_fix(f, true);
}

static inline void tf_bad_udp_csum(uint8_t *f, size_t *len) { tf_udp(f)[8] ^= 1; }
static inline void tf_bad_ip_csum(uint8_t *f, size_t *len) { f[TF_ETH + 10] ^= 1; }
static inline void tf_zero_udp_csum(uint8_t *f, size_t *len) { tf_put16(tf_udp(f) + 6, 0); }

#define TF_V4 { .payload_len = 29 }
#define TF_V6 { .ipv6 = true, .payload_len = 29 }
static const struct tf_case tf_malformed[] = {
	{ "IPv4 cut inside the Ethernet header", TF_V4, tf_cut_13, false, true },
	{ "IPv4 Ethernet header only", TF_V4, tf_cut_14, false, false },
	{ "IPv4 cut inside the IP header", TF_V4, tf_cut_ip4, false, false },
	{ "IPv4 cut inside the UDP header", TF_V4, tf_cut_udp4, false, false },
	{ "IPv4 total length past the frame", TF_V4, tf_cut_1, false, false },
	{ "IPv6 cut inside the IP header", TF_V6, tf_cut_ip6, false, false },
	{ "IPv6 cut inside the UDP header", TF_V6, tf_cut_udp6, false, false },
	{ "IPv6 payload length past the frame", TF_V6, tf_cut_1, false, false },
	{ "ARP ethertype", TF_V4, tf_arp, false, false },
	{ "VLAN tag, IPv4", { .vlan = true, .payload_len = 29 }, NULL, false, false },
	{ "VLAN tag, IPv6", { .ipv6 = true, .vlan = true, .payload_len = 29 }, NULL, false, false },
	{ "IPv4 version 5", TF_V4, tf_version5, false, false },
	{ "IPv6 ethertype with version 4", TF_V6, tf_version4in6, false, false },
	{ "IPv4 IHL 6 (options)", { .ip_opts = 4, .payload_len = 29 }, NULL, false, false },
	{ "IPv4 IHL 7, options that look like UDP", { .ip_opts = 8, .payload_len = 29 }, tf_opts_as_udp, false, false },
	{ "IPv4 more fragments", TF_V4, tf_mf, false, false },
	{ "IPv4 fragment offset", TF_V4, tf_offset, false, false },
	{ "IPv4 TCP", TF_V4, tf_tcp4, false, false },
	{ "IPv6 TCP", TF_V6, tf_tcp6, false, false },
	{ "IPv6 hop-by-hop header", { .ipv6 = true, .hop_by_hop = true, .payload_len = 29 }, NULL, false, false },
	{ "IPv4 UDP length 7", TF_V4, tf_udp7, false, false },
	{ "IPv6 UDP length 7", TF_V6, tf_udp7, false, false },
	{ "IPv4 UDP length below the IP payload", TF_V4, tf_udp_minus1, false, false },
	{ "IPv6 UDP length below the IP payload", TF_V6, tf_udp_minus1, false, false },
	{ "IPv4 bad UDP checksum", TF_V4, tf_bad_udp_csum, true, false },
	{ "IPv6 bad UDP checksum", TF_V6, tf_bad_udp_csum, true, false },
	{ "IPv6 UDP checksum 0", TF_V6, tf_zero_udp_csum, true, false },
	{ "IPv4 bad header checksum", TF_V4, tf_bad_ip_csum, true, false },
};

/* Builds case c into f. Returns its length. */
static inline size_t tf_build_case(uint8_t *f, const struct tf_case *c)
{
	size_t len = tf_build(f, &c->spec);

	if (c->mutate != NULL)
		c->mutate(f, &len);
	return len;
}

#endif
