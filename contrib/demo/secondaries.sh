#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/secondaries.sh: one zone, several hosts. Network namespaces stand for the
# hosts, joined by a bridge: dualnsd is the primary on 192.0.2.1, NSD a secondary on
# 192.0.2.2 and Knot DNS one on 192.0.2.3, and a client host 192.0.2.100 asks each of them
# with dualq. The zone is edited on the primary, one SIGHUP, and NOTIFY (RFC 1996) with
# IXFR (RFC 1995) bring every secondary to the new serial within a second or so, though
# the SOA refresh is an hour. Transfers and NOTIFY are signed with a TSIG key (RFC 8945).
#
# Needs root (it creates and removes the namespaces dualns-demo-*), iproute2, nsd and knot.
# Every address is in 192.0.2.0/24 (TEST-NET-1, RFC 5737) inside the namespaces; nothing
# leaves them, and the bridge lives in a namespace of its own.
. "$(dirname "$0")/common.sh"
need_dualnsd
[ "$(id -u)" = 0 ] || { echo "secondaries.sh creates network namespaces: run it as root" >&2; exit 1; }
for t in ip nsd knotd; do
	command -v "$t" >/dev/null 2>&1 || { echo "secondaries.sh needs $t (apt-get install iproute2 nsd knot)" >&2; exit 1; }
done

NS=dualns-demo
ORIGIN=example.org
KEY=transfer.example.org.
SECRET=$(head -c 32 /dev/urandom | base64)
hosts=(primary nsd knot client)
declare -A addr=([primary]=192.0.2.1 [nsd]=192.0.2.2 [knot]=192.0.2.3 [client]=192.0.2.100)
in_ns() { local h=$1; shift; ip netns exec "$NS-$h" "$@"; }
# ask HOST ARGS...: dualq from the client host, its trace and verdicts (common.sh's trace,
# run inside the namespace: the addresses above exist only there, and a query sent from
# the machine's own namespace could reach a real network).
ask() {
	printf '$ dualq %s   # on the client host\n' "$*"
	in_ns client "$DUALQ" "$@" | sed '/^$/,$d'
	note "answer: $(in_ns client "$DUALQ" "$@" +short | tr '\n' ' ')"
}

cleanup_netns() {
	local h
	for h in "${hosts[@]}" sw; do
		ip netns pids "$NS-$h" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$NS-$h" 2>/dev/null
	done
	return 0
}
on_exit cleanup_netns
cleanup_netns

say "Four hosts and a switch: network namespaces joined by a bridge"
ip netns add "$NS-sw"
in_ns sw ip link add br0 type bridge
in_ns sw ip link set br0 up
for h in "${hosts[@]}"; do
	ip netns add "$NS-$h"
	# The host's end is eth0; the switch's end, a port of br0, is named after the host.
	ip link add eth0 netns "$NS-$h" type veth peer name "p-$h" netns "$NS-sw"
	in_ns sw ip link set "p-$h" master br0 up
	in_ns "$h" ip link set lo up
	in_ns "$h" ip addr add "${addr[$h]}/24" dev eth0
	in_ns "$h" ip link set eth0 up
	note "$NS-$h: ${addr[$h]}"
done

work=$demo_tmp
zone_v() {
	cat <<ZONE
\$ORIGIN $ORIGIN.
\$TTL 300
@	3600	IN SOA	ns1 hostmaster $1 3600 600 604800 300
	IN NS	ns1
	IN NS	ns2
	IN NS	ns3
ns1	IN A	${addr[primary]}
ns2	IN A	${addr[nsd]}
ns3	IN A	${addr[knot]}
www	IN A	$2
ZONE
}
zone_v 1 203.0.113.10 >"$work/$ORIGIN.zone"

say "The primary: dualnsd on ${addr[primary]}, from a configuration file"
cat >"$work/dualnsd.conf" <<CONF
server:
  listen: ${addr[primary]}
  port: 53
key:
  - id: $KEY
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: nsd
    address: ${addr[nsd]}
    key: $KEY
  - id: knot
    address: ${addr[knot]}
    key: $KEY
acl:
  - id: secondaries
    address: 192.0.2.0/24
    key: $KEY
    action: transfer
zone:
  - domain: $ORIGIN
    file: $work/$ORIGIN.zone
    notify: [nsd, knot]
    acl: secondaries
CONF
sed 's/^/    /; s/secret: .*/secret: (32 random bytes, base64)/' "$work/dualnsd.conf"
ip netns exec "$NS-primary" "$DUALNSD" -c "$work/dualnsd.conf" 2>"$work/dualnsd.log" &
dualnsd_pid=$! # ip netns exec runs dualnsd in its own place (execvp)
track_pid "$dualnsd_pid"
wait_for 20 grep -q 'serving' "$work/dualnsd.log" || { cat "$work/dualnsd.log"; exit 1; }

say "Two secondaries: NSD on ${addr[nsd]}, Knot on ${addr[knot]}"
nsd_secondary_conf "$work/nsd" "${addr[nsd]}" 53 "$ORIGIN" "${addr[primary]}" 53 "$KEY" "$SECRET"
in_ns nsd nsd -d -c "$work/nsd/nsd.conf" 2>"$work/nsd.log" &
track_pid $!
knot_secondary_conf "$work/knot" "${addr[knot]}" 53 "$ORIGIN" "${addr[primary]}" 53 "$KEY" "$SECRET"
in_ns knot knotd -c "$work/knot/knot.conf" 2>"$work/knot.log" &
track_pid $!

serial_of() { in_ns client "$DUALQ" @"$1" "$ORIGIN" SOA +short +tries=1 +timeout=1 2>/dev/null | awk '{ print $3 }'; }
serves() { [ "$(serial_of "$1")" = "$2" ]; }
for h in nsd knot; do
	wait_for 20 serves "${addr[$h]}" 1 || { echo "$h did not transfer the zone" >&2; cat "$work/$h.log" >&2; exit 1; }
done
note "Both secondaries transferred serial 1 (AXFR, signed)."

say "The client asks each host for www.$ORIGIN"
for h in primary nsd knot; do
	ask @"${addr[$h]}" "www.$ORIGIN" A
done

say "Edit the zone on the primary (serial 2, a new address for www), then SIGHUP"
zone_v 2 203.0.113.20 >"$work/$ORIGIN.zone"
t0=$(now_us)
printf '$ kill -HUP %s   # dualnsd\n' "$dualnsd_pid"
kill -HUP "$dualnsd_pid"
for h in nsd knot; do
	if wait_for 10 serves "${addr[$h]}" 2; then
		note "$h (${addr[$h]}) serves serial 2 after $(( ($(now_us) - t0) / 1000 )) ms"
	else
		note "$h (${addr[$h]}) did not reach serial 2 in 10 s"
	fi
done
note "The SOA refresh is 3600 s: the NOTIFY brought them, and each asked for an IXFR."
grep -E 'NOTIFY|notify|IXFR|AXFR' "$work/dualnsd.log" | sed 's/^/    primary: /'
grep -E 'IXFR, incoming.*finished' "$work/knot.log" | sed 's/^/    knot: /'

say "The client asks each host again"
for h in primary nsd knot; do
	ask @"${addr[$h]}" "www.$ORIGIN" A
done
