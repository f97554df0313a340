/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* xdp_dns.bpf.c: the XDP program that sends UDP datagrams for the server's port and
 * addresses to its AF_XDP sockets and leaves every other frame to the kernel. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xdp_dns.h"

#define IPV4_MF_OFFSET 0x3fff   /* more-fragments flag and fragment offset (RFC 791) */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_dns_config);
} dns_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDP_DNS_MAX_ADDRS);
	__type(key, __u32);
	__type(value, __u8);
} dns_addr4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDP_DNS_MAX_ADDRS);
	__type(key, struct xdp_dns_addr6);
	__type(value, __u8);
} dns_addr6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, XDP_DNS_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDP_DNS_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} dns_counters SEC(".maps");

/* The UDP header of an IPv4 datagram the server answers, or NULL: no options (IHL 5), not
 * a fragment, UDP filling the IP payload inside the frame. The rest is the kernel's: it
 * reassembles fragments, and drops (and counts) a datagram whose lengths disagree. */
static __always_inline struct udphdr *udp_of_ipv4(struct iphdr *ip, void *data_end,
						 const struct xdp_dns_config *cfg)
{
	struct udphdr *udp = (void *)(ip + 1);
	__u32 total, daddr;

	if ((void *)(udp + 1) > data_end)
		return NULL;
	if (ip->version != 4 || ip->ihl != 5 || (ip->frag_off & bpf_htons(IPV4_MF_OFFSET)) ||
	    ip->protocol != IPPROTO_UDP)
		return NULL;
	total = bpf_ntohs(ip->tot_len);
	if (total < sizeof(*ip) + sizeof(*udp) || (void *)ip + total > data_end ||
	    bpf_ntohs(udp->len) != total - sizeof(*ip))
		return NULL;
	if (udp->dest != cfg->port)
		return NULL;
	daddr = ip->daddr;
	if (!cfg->any_v4 && !bpf_map_lookup_elem(&dns_addr4, &daddr))
		return NULL;
	return udp;
}

/* The same for IPv6: UDP directly after the fixed header (an extension header, a
 * jumbogram's zero payload length: the kernel's). */
static __always_inline struct udphdr *udp_of_ipv6(struct ipv6hdr *ip, void *data_end,
						 const struct xdp_dns_config *cfg)
{
	struct udphdr *udp = (void *)(ip + 1);
	struct xdp_dns_addr6 daddr;
	__u32 plen;

	if ((void *)(udp + 1) > data_end)
		return NULL;
	if (ip->version != 6 || ip->nexthdr != IPPROTO_UDP)
		return NULL;
	plen = bpf_ntohs(ip->payload_len);
	if (plen < sizeof(*udp) || (void *)udp + plen > data_end || bpf_ntohs(udp->len) != plen)
		return NULL;
	if (udp->dest != cfg->port)
		return NULL;
	__builtin_memcpy(daddr.a, &ip->daddr, sizeof(daddr.a));
	if (!cfg->any_v6 && !bpf_map_lookup_elem(&dns_addr6, &daddr))
		return NULL;
	return udp;
}

/* True for a frame the server answers: Ethernet II with IPv4 or IPv6 right after the
 * addresses (a VLAN tag: the kernel's), then as above. */
static __always_inline int dns_wanted(void *data, void *data_end)
{
	const struct xdp_dns_config *cfg;
	struct ethhdr *eth = data;
	__u32 key = 0;

	cfg = bpf_map_lookup_elem(&dns_config, &key);
	/* Port 0 (the array's initial zero): user space has not configured it yet. */
	if (!cfg || cfg->port == 0)
		return 0;
	if ((void *)(eth + 1) > data_end)
		return 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return udp_of_ipv4((void *)(eth + 1), data_end, cfg) != NULL;
	if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		return udp_of_ipv6((void *)(eth + 1), data_end, cfg) != NULL;
	return 0;
}

static __always_inline void count(__u32 index)
{
	__u64 *n = bpf_map_lookup_elem(&dns_counters, &index);

	if (n)
		*n += 1;   /* per CPU: no other writer */
}

SEC("xdp")
int xdp_dns(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (!dns_wanted(data, data_end)) {
		count(XDP_DNS_PASSED);
		return XDP_PASS;
	}
	/* Counted as redirected even when no socket sits on the queue and the frame
	 * passes after all (the XDP_PASS in the flags): the counter says what the
	 * program chose, the AF_XDP socket's statistics what arrived. */
	count(XDP_DNS_REDIRECTED);
	return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}

/* The kernel lets a program call the helpers it marks GPL-only only when the program
 * declares a GPL-compatible licence, and it recognises a fixed set of strings; "GPL"
 * keeps every helper open to this program. The file itself is dual-licensed (above). */
char _license[] SEC("license") = "GPL";
