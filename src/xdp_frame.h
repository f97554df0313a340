/* SPDX-License-Identifier: BSD-3-Clause */
/* xdp_frame.h: Ethernet/IPv4/IPv6/UDP frames of the AF_XDP path: checking a received
 * datagram and turning it, in place, into the answer. No allocation, no libxdp. */
#ifndef DUALNS_XDP_FRAME_H
#define DUALNS_XDP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct xdp_frame_info {
	size_t l3_off;       /* 14 */
	size_t payload_off;  /* the DNS message in the frame */
	size_t payload_len;
	bool ipv6;
	struct sockaddr_storage peer;   /* the client: address and port, for respond() */
};

/* Checks frame (len bytes) again as the program did, and the UDP checksum (IPv4: when not
 * zero; IPv6: required). 0 and *info filled, or -1: not a datagram to answer (drop, count). */
int xdp_frame_parse(const uint8_t *frame, size_t len, struct xdp_frame_info *info);

/* The most answer bytes that fit: frame_cap bytes of buffer from the frame's start and an
 * interface MTU of mtu (IP header + UDP header + answer <= mtu). 0 when not even the
 * headers fit. */
size_t xdp_frame_answer_cap(const struct xdp_frame_info *info, size_t frame_cap, unsigned mtu);

/* The answer (answer_len bytes, already written at frame + info->payload_off) made into the
 * frame to send back: MACs, addresses and ports swapped, IPv4 TTL/IPv6 hop limit 64,
 * lengths, the IPv4 header checksum and the UDP checksum (over the pseudo-header, RFC 768;
 * RFC 8200 section 8.1: never 0 for IPv6, 0xffff instead). Returns the frame's length.
 * answer_len must be at most xdp_frame_answer_cap() for the buffer and MTU. */
size_t xdp_frame_answer(uint8_t *frame, const struct xdp_frame_info *info, size_t answer_len);

#endif
