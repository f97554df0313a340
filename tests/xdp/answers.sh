#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# answers.sh: dualnsd gives the same answers through the AF_XDP path as through its sockets, from the client's namespace.
#
# The same list of queries (positive, NXDOMAIN, NODATA, CNAME, wildcard, DNAME, referral,
# ANY, signed answers with DO, TC at 512 bytes), over IPv4 and IPv6, with EDNS sizes 512
# and 1232, asked with dig from the client's namespace once to dualnsd --xdp and once to
# dualnsd on its sockets only, same namespaces and zones: every output equal once the ID is
# removed. The AF_XDP run must not have used the kernel's UDP sockets (else the comparison
# would compare the socket path with itself), and a truncated answer's retry over TCP (RFC
# 7766 section 5) is answered in both, by the kernel's TCP listener on the same port.
. "$top_srcdir/tests/xdp/lib.sh" || exit 99

xdp_need
xdp_ns_setup
zones=("$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone"
	"example.org=$top_srcdir/zones/example.org.zone.signed" "$top_srcdir/tests/data/dn.test.zone")

# name type [dig options...], one a line
queries="example.com A
www.example.com AAAA
example.com MX
nothere.example.com A
www.example.com MX
alias.example.com A
chain1.example.com A
external.example.com A
any.wild.example.com A
any.wild.example.com TXT
x.wcname.example.com A
www.old.dn.test A
mail.old.dn.test MX
www.sub.example.com A
example.com ANY
medium.example.com TXT
big.example.com TXT +ignore
www.example.org A +dnssec
nothere.example.org A +dnssec
www.example.org MX +dnssec
example.org DNSKEY +dnssec
www.example.net A +noedns
example.invalid A"

# ask DIR: every query of the list, IPv4 and IPv6, EDNS 512 and 1232, one file each in DIR;
# dig's header line without its ID (random per query), cookies off (the server's part
# depends on the time), no statistics.
ask() {
	local dir=$1 a size n=0 name type opts
	mkdir -p "$dir"
	for a in "$XDP_SRV4" "$XDP_SRV6"; do
		for size in 512 1232; do
			while read -r name type opts; do
				n=$((n + 1))
				# shellcheck disable=SC2086
				xdp_cdig @"$a" -p "$XDP_PORT" +norec +nocookie +bufsize=$size +noall +answer \
					+authority +additional +comments $opts "$name" "$type" |
					sed -e 's/, id: [0-9]*//' >"$dir/$n.$name.$type.$size.${a//:/_}"
			done <<<"$queries"
		done
	done
	# The TCP retry of a truncated answer: dig asks again over TCP (no +ignore).
	xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" +norec +nocookie +bufsize=512 +noall +answer +comments \
		big.example.com TXT | sed -e 's/, id: [0-9]*//' >"$dir/tcp-retry"
}

u0=$(xdp_kernel_udp_in)
xdp_dualnsd_start "${zones[@]}"
ask "$SYS_TMP/xdp"
stop_dualnsd
u1=$(xdp_kernel_udp_in)
expect_eq "the kernel's UDP sockets received nothing while dualnsd --xdp answered (the AF_XDP path did)" \
	"$((u1 - u0))" 0

xdp_dualnsd_start_sockets "${zones[@]}"
ask "$SYS_TMP/sockets"
stop_dualnsd

for f in "$SYS_TMP"/sockets/*; do
	f=${f##*/}
	if cmp -s "$SYS_TMP/xdp/$f" "$SYS_TMP/sockets/$f"; then
		ok "$f: the same answer through AF_XDP as through the socket"
	else
		bad "$f: the same answer through AF_XDP as through the socket" \
			"$(diff "$SYS_TMP/sockets/$f" "$SYS_TMP/xdp/$f" | head -n 20)"
	fi
done
# The comparison means something only when the answers are there.
expect_match "www.example.org A with DO: the RRSIG came back" "$(cat "$SYS_TMP"/xdp/*.www.example.org.A.1232.*)" 'RRSIG'
expect_match "big.example.com TXT at 512 bytes: TC set (RFC 1035 section 4.1.1)" \
	"$(cat "$SYS_TMP"/xdp/*.big.example.com.TXT.512.198*)" 'flags: qr aa tc'
expect_match "the TCP retry got the whole RRset (RFC 7766 section 5)" "$(grep -c 'IN.TXT' "$SYS_TMP/xdp/tcp-retry")" '^40$'
