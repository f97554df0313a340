#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# differential.sh: every query of the differential tests (tests/system/*.cases against
# zones/example.com.zone and the DNAME zones; tests/dnssec/signed.cases against
# tests/dnssec/signed.test.zone signed with NSEC, NSEC3 and NSEC3 opt-out) asked from the
# client's namespace through the AF_XDP path and through the kernel's sockets, over IPv4
# and IPv6, with the sizes and flags that change an answer: dig's whole output (header
# flags and RCODE, every section, the OPT record) the same once the ID is removed. The
# socket path is held to NSD's and Knot's answers by tests/system/differential.sh and
# tests/dnssec/differential.sh; this test holds the AF_XDP path to the socket path, and
# checks that the kernel's UDP sockets received none of those queries while --xdp ran.
. "$top_srcdir/tests/xdp/lib.sh" || exit 99
. "$top_srcdir/tests/dnssec/signed.sh" || exit 99

xdp_need
signed_need_tools
xdp_ns_setup
KEYS=$(sys_tmpdir)
signed_make "$KEYS"
OUT=$(sys_tmpdir)

# batch CASES VARIANT...: dig's batch file, every case once per variant ("" for none), the
# @nsdbug marks of signed.cases dropped.
batch() {
	local cases=$1 name type opts v
	shift
	grep -v '^#' "$cases" | sed 's/ @nsdbug//' | while read -r name type opts; do
		[ -n "$name" ] || continue
		for v in "$@"; do
			echo "$name $type $opts $v"
		done
	done
}

# ask BATCH OUT: the batch asked of the server's IPv4 and IPv6 address, each answer's
# output without its ID and timing lines, into OUT.
ask() {
	local a
	for a in "$XDP_SRV4" "$XDP_SRV6"; do
		cli_exec dig -r +tries=1 +time=2 +norec +nocookie @"$a" -p "$XDP_PORT" -f "$1" 2>&1 |
			sed -e 's/, id: [0-9]*//' -e '/^;; Query time:/d' -e '/^;; WHEN:/d'
	done >"$2"
}

# run NAME BATCH ZONE...: BATCH asked of dualnsd serving ZONE... through AF_XDP, then
# through its sockets; the two outputs compared.
run() {
	local name=$1 batchfile=$2 u0 u1 n
	shift 2
	u0=$(xdp_kernel_udp_in)
	xdp_dualnsd_start "$@"
	ask "$batchfile" "$OUT/$name.xdp"
	stop_dualnsd
	u1=$(xdp_kernel_udp_in)
	expect_eq "$name: the kernel's UDP sockets received nothing while dualnsd --xdp answered" \
		"$((u1 - u0))" 0
	xdp_dualnsd_start_sockets "$@"
	ask "$batchfile" "$OUT/$name.sockets"
	stop_dualnsd
	n=$(grep -c 'HEADER' "$OUT/$name.sockets")
	expect_eq "$name: every query answered through the sockets" "$n" "$((2 * $(wc -l <"$batchfile")))"
	if cmp -s "$OUT/$name.sockets" "$OUT/$name.xdp"; then
		ok "$name: $n answers the same through AF_XDP as through the sockets"
	else
		bad "$name: the same answers through AF_XDP as through the sockets" \
			"$(diff "$OUT/$name.sockets" "$OUT/$name.xdp" | head -n 30)"
	fi
}

# Without EDNS, EDNS at dig's default, and at 512 bytes without following TC to TCP, which
# shows the truncated UDP answer itself (RFC 2181 section 9, RFC 6891 section 7).
batch "$top_srcdir/tests/system/example.com.cases" "" +noedns "+bufsize=512 +ignore" \
	>"$OUT/example.com.batch"
batch "$top_srcdir/tests/system/dn.test.cases" "" +noedns >"$OUT/dname.batch"
batch "$top_srcdir/tests/system/dnapex.test.cases" "" +noedns >>"$OUT/dname.batch"
run example.com "$OUT/example.com.batch" "$top_srcdir/zones/example.com.zone"
run dname "$OUT/dname.batch" "$top_srcdir/tests/data/dn.test.zone" \
	"$top_srcdir/tests/data/dnapex.test.zone"

# Signed answers (RFC 4035 section 3.1): without DO, with DO at 1232 and 4096 bytes, and
# with DO at 512 bytes, where many come bare with TC (RFC 4035 section 3.1.1).
batch "$top_srcdir/tests/dnssec/signed.cases" "" +dnssec "+dnssec +bufsize=4096" \
	"+dnssec +bufsize=512 +ignore" >"$OUT/signed.batch"
for kind in nsec nsec3 optout; do
	run "signed-$kind" "$OUT/signed.batch" "signed.test=$KEYS/$kind.zone"
done
