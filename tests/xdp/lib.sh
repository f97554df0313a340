# SPDX-License-Identifier: BSD-3-Clause
# tests/xdp/lib.sh: the AF_XDP tests' harness (sourced, bash): two network namespaces joined
# by a veth pair, dualnsd with --xdp on the server's end, clients in the other.
#
# On top of tests/system/lib.sh (skip, expect_*, wait_for, cleanup on exit) it gives:
#   xdp_need                 exit 77 unless root, ip netns, dig, ethtool and a build with XDP
#   xdp_ns_setup [QUEUES]    the namespaces and the veth pair (QUEUES RX and TX queues
#                            each end, default 1), removed again on exit (xdp_ns_cleanup,
#                            registered with on_exit)
#   srv_exec CMD... / cli_exec CMD...   run CMD in the server's / the client's namespace
#   xdp_mtu N                the MTU of both veth ends
#   xdp_dualnsd_start ARGS...  dualnsd -p $XDP_PORT --xdp $XDP_SRV_IF ARGS in the server's
#                            namespace, once it serves (DUALNSD_PID, DUALNSD_LOG); exit 77
#                            when the kernel cannot attach the program or open AF_XDP
#   xdp_dualnsd_start_sockets ARGS...  the same without --xdp: the kernel's sockets only
#   xdp_cdig ARGS...         dig from the client's namespace at the server, one try, 2 s
#   xdp_stat NAME            a counter of the stats.dualns. answer (asked on 127.0.0.1 in
#                            the server's namespace: the answer is for loopback only)
#
# Nothing is added to the root namespace: every address and route lives in the two
# namespaces, which are deleted on exit with the veth pair in them.

. "$top_srcdir/tests/system/lib.sh" || exit 99

XDP_SRV_NS=dnsx-srv-$$
XDP_CLI_NS=dnsx-cli-$$
# Interface names hold at most 15 characters; a PID has at most 7 digits.
XDP_SRV_IF=dnsx-s$$
XDP_CLI_IF=dnsx-c$$
XDP_SRV4=198.51.100.1
XDP_CLI4=198.51.100.2
XDP_SRV6=2001:db8:53::1
XDP_CLI6=2001:db8:53::2
# A fresh namespace has every port free: the DNS port itself.
XDP_PORT=53
# The build tree's redirect program, not an installed one.
DUALNSD_XDP_OBJECT="$top_builddir/src/xdp_dns.bpf.o"
export DUALNSD_XDP_OBJECT

xdp_need() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, XDP)"
	command -v ip >/dev/null 2>&1 || skip "ip (iproute2) not found"
	ip netns list >/dev/null 2>&1 || skip "ip netns does not work here"
	[ -f "$DUALNSD_XDP_OBJECT" ] || skip "built without XDP (./configure --enable-xdp)"
	need_tool dig dnsutils
	need_tool ethtool ethtool
}

srv_exec() {
	ip netns exec "$XDP_SRV_NS" "$@"
}

cli_exec() {
	ip netns exec "$XDP_CLI_NS" "$@"
}

xdp_ns_cleanup() {
	ip netns del "$XDP_SRV_NS" 2>/dev/null
	ip netns del "$XDP_CLI_NS" 2>/dev/null
	return 0
}

# xdp_ns_addrs NS IF ADDR4 ADDR6: the addresses of one end, and its links up.
xdp_ns_addrs() {
	ip -n "$1" link set lo up &&
		ip -n "$1" addr add "$3/24" dev "$2" &&
		ip -n "$1" addr add "$4/64" dev "$2" nodad &&
		ip -n "$1" link set "$2" up
}

xdp_ns_setup() {
	local queues=${1:-1}
	ip netns add "$XDP_SRV_NS" 2>/dev/null || skip "cannot create a network namespace"
	on_exit xdp_ns_cleanup
	ip netns add "$XDP_CLI_NS" || fail "cannot create a second network namespace"
	ip link add "$XDP_SRV_IF" netns "$XDP_SRV_NS" numrxqueues "$queues" numtxqueues "$queues" \
		type veth peer name "$XDP_CLI_IF" netns "$XDP_CLI_NS" numrxqueues "$queues" \
		numtxqueues "$queues" || skip "cannot create a veth pair"
	xdp_ns_addrs "$XDP_SRV_NS" "$XDP_SRV_IF" "$XDP_SRV4" "$XDP_SRV6" ||
		fail "cannot set up $XDP_SRV_IF"
	xdp_ns_addrs "$XDP_CLI_NS" "$XDP_CLI_IF" "$XDP_CLI4" "$XDP_CLI6" ||
		fail "cannot set up $XDP_CLI_IF"
	# A veth hands the peer what it sends with the UDP checksum left to an offload that
	# never runs (only the pseudo-header's sum is in the field); the XDP path checks the
	# checksum as the wire carries it and drops such frames, so the client computes it
	# in software, as a NIC would before the wire.
	cli_exec ethtool -K "$XDP_CLI_IF" tx off >/dev/null ||
		fail "cannot turn off the checksum offload of $XDP_CLI_IF"
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

xdp_cdig() {
	cli_exec dig -r +tries=1 +time=2 "$@" 2>&1
}

xdp_stat() {
	srv_exec dig -r @127.0.0.1 -p "$XDP_PORT" +tries=1 +time=2 +short CH TXT stats.dualns \
		2>/dev/null | tr ' ' '\n' | tr -d '"' | sed -n "s/^$1=//p" | head -n 1
}
