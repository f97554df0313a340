#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# malformed.sh: crafted frames at dualnsd --xdp get the kernel's answer or none, and good queries go on being answered.
#
# From the client's namespace, tests/xdp/frames.py sends each case's Ethernet frame(s) to
# the server's veth end, then a sentinel query for each path (a plain one: the AF_XDP path;
# one with IPv4 options: the kernel's socket), and captures until both sentinels are
# answered. What the XDP program must pass to the kernel (IPv4 options, fragments,
# inconsistent UDP lengths, VLAN tags, IPv6 extension headers) gets the kernel's answer
# (its UDP sockets count one datagram more) or none, as the kernel decides; what the AF_XDP
# path must drop (short frames, bad checksums: RFC 768, RFC 8200 section 8.1) gets none;
# good queries are answered by the AF_XDP path (the kernel's UDP sockets see nothing) with
# right checksums, and the client's UDP checksum error counters stay where they were.
. "$top_srcdir/tests/xdp/lib.sh" || exit 99

xdp_need
# tests/lib/netns.sh turns the checksum offload off on both veth ends: the server's kernel
# answers (the socket path) carry full checksums too, and the capture checks every answer's.
xdp_ns_setup
# One answer must never wait for another: frames.py's sentinels vouch for the answers before
# them only on the same path. So one worker (one socket per IP version), and the server
# knows the client's link address (no neighbour discovery before the kernel's answer).
srv_exec ip neigh replace "$XDP_CLI4" lladdr "$NETNS_CLI_MAC" dev "$XDP_SRV_IF" nud permanent
srv_exec ip neigh replace "$XDP_CLI6" lladdr "$NETNS_CLI_MAC" dev "$XDP_SRV_IF" nud permanent
xdp_dualnsd_start --workers 1 "$top_srcdir/zones/example.com.zone"
frames="$top_srcdir/tests/xdp/frames.py"

# csum_errors: the client's UDP checksum errors, IPv4 and IPv6.
csum_errors() {
	cli_exec nstat -asz UdpInCsumErrors Udp6InCsumErrors | awk '$1 ~ /CsumErrors$/ { s += $2 } END { print s + 0 }'
}

# What each case gets: xdp (answered, the kernel's sockets saw nothing), kernel (answered
# by the socket: the program passed it and the kernel took it), none.
expect() {
	case $1 in
	good4 | good4-nosum | good6) echo xdp ;;
	ihl6-options | udplen-short | frag-both | hbh6) echo kernel ;;
	*) echo none ;;
	esac
}
why() {
	case $1 in
	good4) echo "a plain IPv4 query is answered through AF_XDP" ;;
	good4-nosum) echo "an IPv4 query without UDP checksum (0, RFC 768) is answered through AF_XDP" ;;
	good6) echo "a plain IPv6 query is answered through AF_XDP" ;;
	short-ip | short-udp) echo "a frame shorter than its headers say is not answered" ;;
	ihl4) echo "an IPv4 header with IHL 4 is not answered (RFC 791 section 3.1: 5 at least)" ;;
	ihl6-options) echo "IPv4 options go to the kernel, whose socket answers" ;;
	badipsum4) echo "a wrong IPv4 header checksum is not answered (RFC 791 section 3.1; the kernel drops it)" ;;
	udplen-long) echo "a UDP length past the IPv4 payload is not answered (RFC 768)" ;;
	udplen-short) echo "a UDP length short of the IPv4 payload goes to the kernel, which trims and answers" ;;
	frag-first | frag-last) echo "a lone IPv4 fragment goes to the kernel and is not answered (RFC 791 section 3.2)" ;;
	frag-both) echo "both fragments go to the kernel, which reassembles and answers (RFC 791 section 3.2)" ;;
	vlan) echo "an 802.1Q-tagged frame goes to the kernel, which has no VLAN here and drops it" ;;
	badsum4) echo "a wrong IPv4 UDP checksum is not answered (RFC 768)" ;;
	badsum6) echo "a wrong IPv6 UDP checksum is not answered (RFC 8200 section 8.1)" ;;
	zerosum6) echo "a zero IPv6 UDP checksum is not answered (RFC 8200 section 8.1)" ;;
	hbh6) echo "an IPv6 hop-by-hop header goes to the kernel, whose socket answers" ;;
	esac
}

errors0=$(csum_errors)
for c in $("$PYTHON3" "$frames" --list); do
	want=$(expect "$c")
	u0=$(xdp_kernel_udp_in)
	out=$(cli_exec "$PYTHON3" "$frames" "$XDP_CLI_IF" "$NETNS_SRV_MAC" "$c" "$XDP_PORT")
	u1=$(xdp_kernel_udp_in)
	# The kernel sentinel is one datagram for the sockets; a case the kernel took is another.
	kernel=$((u1 - u0 - 1))
	case $want in
	xdp) got_path="answers=1 kernel=0" ;;
	kernel) got_path="answers=1 kernel=1" ;;
	none) got_path="answers=0" ;;
	esac
	if [ "$want" = none ]; then
		expect_eq "$c: $(why "$c")" "answers=$(kv answers "$out")" "$got_path"
	else
		expect_eq "$c: $(why "$c")" "answers=$(kv answers "$out") kernel=$kernel" "$got_path"
	fi
	expect_eq "$c: both sentinels answered after it (dualnsd goes on answering, both paths)" "$(kv sentinels "$out")" 2
	expect_eq "$c: every answer's UDP checksum is right (RFC 768)" "$(kv badsum "$out")" 0
done

# Good queries through the kernel's stack on the client: answered, and its checksum
# counters did not move (RFC 768: a wrong checksum would be counted and dropped).
for a in "$XDP_SRV4" "$XDP_SRV6"; do
	out=$(xdp_cdig @"$a" -p "$XDP_PORT" +norec www.example.com A)
	expect_eq "a query to $a from the client's socket is answered NOERROR" "$(dig_status "$out")" NOERROR
	expect_match "the answer to $a holds www's address" "$out" 'www\.example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80'
done
expect_eq "the client counted no UDP checksum errors (UdpInCsumErrors, Udp6InCsumErrors)" "$(csum_errors)" "$errors0"
stop_dualnsd
