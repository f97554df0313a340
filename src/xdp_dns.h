/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* xdp_dns.h: what the XDP redirect program (xdp_dns.bpf.c) and user space share: map
 * names, the configuration struct and the counter indexes. */
#ifndef DUALNS_XDP_DNS_H
#define DUALNS_XDP_DNS_H

#include <linux/types.h>

#define XDP_DNS_MAX_QUEUES 64
#define XDP_DNS_MAX_ADDRS  64   /* entries of dns_addr4 and of dns_addr6 */

/* The maps, by name, for bpf_object__find_map_by_name(). */
#define XDP_DNS_MAP_CONFIG   "dns_config"
#define XDP_DNS_MAP_ADDR4    "dns_addr4"
#define XDP_DNS_MAP_ADDR6    "dns_addr6"
#define XDP_DNS_MAP_XSKS     "xsks_map"
#define XDP_DNS_MAP_COUNTERS "dns_counters"

/* dns_config map (BPF_MAP_TYPE_ARRAY, 1 entry, key 0). All zero (the array's initial
 * value) means port 0: nothing is redirected until user space writes the entry. */
struct xdp_dns_config {
	__u16 port;        /* network byte order */
	__u8 any_v4;       /* 1: every IPv4 destination; 0: only those in dns_addr4 */
	__u8 any_v6;       /* 1: every IPv6 destination; 0: only those in dns_addr6 */
};

/* dns_addr4: BPF_MAP_TYPE_HASH, key __u32 (network order), value __u8; max 64
 * dns_addr6: BPF_MAP_TYPE_HASH, key struct xdp_dns_addr6, value __u8; max 64
 * xsks_map:  BPF_MAP_TYPE_XSKMAP, key __u32 rx queue index, max XDP_DNS_MAX_QUEUES
 * dns_counters: BPF_MAP_TYPE_PERCPU_ARRAY, __u64 values, indexes below */
struct xdp_dns_addr6 {
	__u8 a[16];        /* the address as on the wire */
};

/* XDP_DNS_REDIRECTED counts the datagrams handed to bpf_redirect_map() (whether or not
 * a socket sat on the queue); XDP_DNS_PASSED counts everything left to the kernel. */
enum { XDP_DNS_REDIRECTED = 0, XDP_DNS_PASSED = 1, XDP_DNS_COUNTERS = 2 };

#define XDP_DNS_PROG_NAME "xdp_dns"   /* SEC("xdp") function name */

#endif
