# SPDX-License-Identifier: BSD-3-Clause
# tests/lib/netns.sh: a server and a client network namespace joined by a veth pair (sourced, bash).
# shellcheck shell=bash
# The variables set here are for the sourcing script.
# shellcheck disable=SC2034
#
# Sourced after tests/lib/common.sh (its on_exit removes what this makes) by the XDP tests
# (tests/xdp/) and the XDP benchmark (contrib/bench/xdp.sh), so that both run the servers
# and the clients on the same setup. Nothing is added to the root namespace: the veth pair
# is made with each end already inside its namespace.
#
#   netns_missing            prints why the namespaces cannot be made here (not root, no
#                            ip netns, no ethtool), nothing when they can
#   netns_setup [QUEUES]     makes NETNS_SRV and NETNS_CLI, the veth ends NETNS_SRV_IF and
#                            NETNS_CLI_IF (MACs NETNS_SRV_MAC, NETNS_CLI_MAC; QUEUES RX and TX
#                            queues each, default 1), up, addressed;
#                            removed on exit; NETNS_CLIENT_OFFLOAD=on leaves the client's
#                            checksum offload on. Returns 2 when no namespace can be made (a
#                            container may forbid it), 1 when a later step fails (stderr says which)
#   ns_srv CMD... / ns_cli CMD...   CMD run inside the server's / the client's namespace
#
# Addresses: server 198.51.100.1/24 and 2001:db8:53::1/64, client 198.51.100.2/24 and
# 2001:db8:53::2/64 (documentation prefixes, RFC 5737 and RFC 3849), reachable only
# through the veth pair.

NETNS_SRV4=198.51.100.1
NETNS_CLI4=198.51.100.2
NETNS_SRV6=2001:db8:53::1
NETNS_CLI6=2001:db8:53::2
NETNS_SRV=dnsx-srv-$$
NETNS_CLI=dnsx-cli-$$
# Interface names hold at most 15 characters; a PID has at most 7 digits. They live only
# inside their namespaces.
NETNS_SRV_IF=dnsx-s$$
NETNS_CLI_IF=dnsx-c$$
NETNS_SRV_MAC=
NETNS_CLI_MAC=

netns_missing() {
	if [ "$(id -u)" != 0 ]; then
		echo "not root (network namespaces need it)"
	elif ! command -v ip >/dev/null 2>&1 || ! ip netns list >/dev/null 2>&1; then
		echo "no ip netns (iproute2)"
	elif ! command -v ethtool >/dev/null 2>&1; then
		echo "no ethtool (the client's checksum offload must be off)"
	fi
}

ns_srv() {
	ip netns exec "$NETNS_SRV" "$@"
}

ns_cli() {
	ip netns exec "$NETNS_CLI" "$@"
}

netns_cleanup() {
	ip netns del "$NETNS_SRV" 2>/dev/null
	ip netns del "$NETNS_CLI" 2>/dev/null
	return 0
}

netns_setup() {
	local queues=${1:-1}
	on_exit netns_cleanup
	ip netns add "$NETNS_SRV" 2>/dev/null || return 2
	ip netns add "$NETNS_CLI" || return 1
	ip link add "$NETNS_SRV_IF" netns "$NETNS_SRV" numrxqueues "$queues" numtxqueues "$queues" \
		type veth peer name "$NETNS_CLI_IF" netns "$NETNS_CLI" numrxqueues "$queues" \
		numtxqueues "$queues" || return 1
	ns_srv ip link set lo up || return 1
	ns_cli ip link set lo up || return 1
	ns_srv ip addr add "$NETNS_SRV4/24" dev "$NETNS_SRV_IF" || return 1
	ns_cli ip addr add "$NETNS_CLI4/24" dev "$NETNS_CLI_IF" || return 1
	ns_srv ip addr add "$NETNS_SRV6/64" dev "$NETNS_SRV_IF" nodad || return 1
	ns_cli ip addr add "$NETNS_CLI6/64" dev "$NETNS_CLI_IF" nodad || return 1
	# A sender on veth leaves the UDP checksum to the "hardware" (CHECKSUM_PARTIAL: only the
	# pseudo-header sum is in the frame), which never computes it, and XDP sees the frame as
	# sent: the client computes its checksums itself so that the server sees real ones, as
	# from a NIC (Knot's XDP mode needs them), unless NETNS_CLIENT_OFFLOAD=on keeps a
	# container's default. The server's end too, so its kernel's answers (TCP, the socket
	# path) are checked the same way.
	if [ "${NETNS_CLIENT_OFFLOAD:-off}" != on ]; then
		ns_cli ethtool -K "$NETNS_CLI_IF" tx off >/dev/null || return 1
	fi
	ns_srv ethtool -K "$NETNS_SRV_IF" tx off >/dev/null || return 1
	# Native XDP on a veth end needs its peer up (the peer's NAPI receives the frames).
	ns_srv ip link set "$NETNS_SRV_IF" up || return 1
	ns_cli ip link set "$NETNS_CLI_IF" up || return 1
	NETNS_SRV_MAC=$(ns_srv cat "/sys/class/net/$NETNS_SRV_IF/address") || return 1
	NETNS_CLI_MAC=$(ns_cli cat "/sys/class/net/$NETNS_CLI_IF/address") || return 1
	wait_for 10 netns_link_up || return 1
}

# netns_link_up: both ends of the pair report carrier (veth: once both are up).
netns_link_up() {
	[ "$(ns_srv cat "/sys/class/net/$NETNS_SRV_IF/operstate")" = up ] &&
		[ "$(ns_cli cat "/sys/class/net/$NETNS_CLI_IF/operstate")" = up ]
}
