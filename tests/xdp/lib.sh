# SPDX-License-Identifier: BSD-3-Clause
# tests/xdp/lib.sh: the AF_XDP tests' harness (sourced, bash): two network namespaces joined
# by a veth pair, dualnsd with --xdp on the server's end, clients in the other.
#
# On top of tests/system/lib.sh (skip, expect_*, wait_for, cleanup on exit) it gives:
#   xdp_need                 exit 77 unless root, ip netns, dig, ethtool and a build with XDP
#   xdp_ns_setup [QUEUES]    the namespaces and the veth pair (tests/lib/netns.sh; QUEUES RX
#                            and TX queues each end, default 1), removed again on exit
#   srv_exec CMD... / cli_exec CMD...   run CMD in the server's / the client's namespace
#   xdp_mtu N                the MTU of both veth ends
#   xdp_dualnsd_start ARGS...  dualnsd -p $XDP_PORT --xdp $XDP_SRV_IF ARGS in the server's
#                            namespace, once it serves (DUALNSD_PID, DUALNSD_LOG); exit 77
#                            when the kernel cannot attach the program or open AF_XDP
#   xdp_dualnsd_start_sockets ARGS...  the same without --xdp: the kernel's sockets only
#   xdp_kernel_udp_in        datagrams the server namespace's kernel gave its UDP sockets
#                            (IPv4 and IPv6): a query answered through AF_XDP is not one
#   xdp_cdig ARGS...         dig from the client's namespace at the server, one try, 2 s
#   xdp_stat NAME            a counter of the stats.dualns. answer (asked on 127.0.0.1 in
#                            the server's namespace: the answer is for loopback only)
#
# Nothing is added to the root namespace: every address and route lives in the two
# namespaces, which are deleted on exit with the veth pair in them.

. "$top_srcdir/tests/system/lib.sh" || exit 99

# The namespaces and the veth pair: the setup contrib/bench/xdp.sh measures on too.
. "$top_srcdir/tests/lib/netns.sh" || exit 99
XDP_SRV_NS=$NETNS_SRV
XDP_CLI_NS=$NETNS_CLI
XDP_SRV_IF=$NETNS_SRV_IF
XDP_CLI_IF=$NETNS_CLI_IF
XDP_SRV4=$NETNS_SRV4
XDP_CLI4=$NETNS_CLI4
XDP_SRV6=$NETNS_SRV6
XDP_CLI6=$NETNS_CLI6
# A fresh namespace has every port free: the DNS port itself.
XDP_PORT=53
# The build tree's redirect program, not an installed one.
DUALNSD_XDP_OBJECT="$top_builddir/src/xdp_dns.bpf.o"
export DUALNSD_XDP_OBJECT

xdp_need() {
	local why
	why=$(netns_missing)
	[ -z "$why" ] || skip "$why"
	[ -f "$DUALNSD_XDP_OBJECT" ] || skip "built without XDP (./configure --enable-xdp)"
	need_tool dig dnsutils
}

srv_exec() {
	ip netns exec "$XDP_SRV_NS" "$@"
}

cli_exec() {
	ip netns exec "$XDP_CLI_NS" "$@"
}

xdp_ns_setup() {
	local rc=0
	netns_setup "${1:-1}" || rc=$?
	[ "$rc" -ne 2 ] || skip "cannot create a network namespace"
	[ "$rc" -eq 0 ] || fail "cannot set up the namespaces and the veth pair"
}

xdp_mtu() {
	ip -n "$XDP_SRV_NS" link set "$XDP_SRV_IF" mtu "$1" &&
		ip -n "$XDP_CLI_NS" link set "$XDP_CLI_IF" mtu "$1"
}

xdp_dualnsd_start() {
	local rc=0
	[ -x "$DUALNSD" ] || fail "$DUALNSD is not built"
	DUALNSD_LOG="$SYS_TMP/dualnsd.xdp.log"
	SYS_LOGS+=("$DUALNSD_LOG")
	rm -f "$DUALNSD_LOG"
	# Not through srv_exec: a function run in the background is a subshell, whose PID would
	# be the one signalled, not dualnsd's.
	ip netns exec "$XDP_SRV_NS" "$DUALNSD" -p "$XDP_PORT" --xdp "$XDP_SRV_IF" "$@" \
		2>"$DUALNSD_LOG" &
	DUALNSD_PID=$!
	track_pid "$DUALNSD_PID"
	wait_for "${DUALNSD_WAIT:-20}" dualnsd_up "$DUALNSD_PID" "$DUALNSD_LOG" "$XDP_PORT" ||
		rc=$?
	dualnsd_serving "$DUALNSD_LOG" "$XDP_PORT" && return 0
	if grep -Eq "no AF_XDP sockets|cannot attach the XDP program" "$DUALNSD_LOG"; then
		skip "this kernel cannot run the XDP path: $(grep -E 'xdp' "$DUALNSD_LOG" | tail -n 1)"
	fi
	fail "dualnsd --xdp did not serve (rc $rc)"
}

xdp_dualnsd_start_sockets() {
	DUALNSD_LOG="$SYS_TMP/dualnsd.sockets.log"
	SYS_LOGS+=("$DUALNSD_LOG")
	rm -f "$DUALNSD_LOG"
	ip netns exec "$XDP_SRV_NS" "$DUALNSD" -p "$XDP_PORT" "$@" 2>"$DUALNSD_LOG" &
	DUALNSD_PID=$!
	track_pid "$DUALNSD_PID"
	wait_for "${DUALNSD_WAIT:-20}" dualnsd_up "$DUALNSD_PID" "$DUALNSD_LOG" "$XDP_PORT"
	dualnsd_serving "$DUALNSD_LOG" "$XDP_PORT" || fail "dualnsd on its sockets did not serve"
}

xdp_kernel_udp_in() {
	srv_exec nstat -asz UdpInDatagrams Udp6InDatagrams |
		awk '$1 ~ /InDatagrams$/ { s += $2 } END { print s + 0 }'
}

xdp_cdig() {
	cli_exec dig -r +tries=1 +time=2 "$@" 2>&1
}

xdp_stat() {
	srv_exec dig -r @127.0.0.1 -p "$XDP_PORT" +tries=1 +time=2 +short CH TXT stats.dualns \
		2>/dev/null | tr ' ' '\n' | tr -d '"' | sed -n "s/^$1=//p" | head -n 1
}
