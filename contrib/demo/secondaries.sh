#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/secondaries.sh: two zones, several hosts. Network namespaces stand for the
# hosts, joined by a bridge: dualnsd is the primary of example.org on 192.0.2.1, NSD a
# secondary on 192.0.2.2, Knot DNS one on 192.0.2.3 and dualnsd one on 192.0.2.4. Knot is
# also the primary of example.net, whose secondary is that dualnsd on 192.0.2.4. A client
# host 192.0.2.100 asks each of them with dualq +nsid, and each server's NSID (RFC 5001)
# names its host. example.org is edited on its primary, one SIGHUP, and NOTIFY (RFC 1996)
# with IXFR (RFC 1995) bring every secondary to the new serial within a second or so,
# though the SOA refresh is an hour; example.net is edited on Knot (knotc zone-reload) and
# reaches the dualnsd secondary the same way. Transfers and NOTIFY are signed with a TSIG
# key (RFC 8945).
#
# Needs root (it creates and removes the namespaces dualns-demo-*), iproute2, nsd and knot.
# Every address is in 192.0.2.0/24 (TEST-NET-1, RFC 5737) inside the namespaces; nothing
# leaves them, and the bridge lives in a namespace of its own.
. "$(dirname "$0")/common.sh"
need_dualnsd
[ "$(id -u)" = 0 ] || { echo "secondaries.sh creates network namespaces: run it as root" >&2; exit 1; }
for t in ip nsd knotd knotc; do
	command -v "$t" >/dev/null 2>&1 || { echo "secondaries.sh needs $t (apt-get install iproute2 nsd knot)" >&2; exit 1; }
done

NS=dualns-demo
ORIGIN=example.org
NS=dualns-demo
ORIGIN=example.org
NET=example.net
KEY=transfer.example.org.
SECRET=$(head -c 32 /dev/urandom | base64)
hosts=(primary nsd knot secondary client)
declare -A addr=([primary]=192.0.2.1 [nsd]=192.0.2.2 [knot]=192.0.2.3 [secondary]=192.0.2.4
	[client]=192.0.2.100)
# Each server's NSID names its host: its namespace.
nsid() { printf '%s-%s' "$NS" "$1"; }
in_ns() { local h=$1; shift; ip netns exec "$NS-$h" "$@"; }
# ask HOST ARGS...: dualq +nsid from the client host, its trace (with the NSID of the
# server that answered) and verdicts (common.sh's trace, run inside the namespace: the
# addresses above exist only there, and a query sent from the machine's own namespace
# could reach a real network).
ask() {
	printf '$ dualq %s +nsid   # on the client host\n' "$*"
	in_ns client "$DUALQ" "$@" +nsid | sed '/^$/,$d'
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

say "Five hosts and a switch: network namespaces joined by a bridge"
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
	IN NS	ns4
ns1	IN A	${addr[primary]}
ns2	IN A	${addr[nsd]}
ns3	IN A	${addr[knot]}
ns4	IN A	${addr[secondary]}
www	IN A	$2
ZONE
}
zone_v 1 203.0.113.10 >"$work/$ORIGIN.zone"
# net_v SERIAL WWW: example.net, whose primary is Knot and secondary the dualnsd on .4.
net_v() {
	cat <<ZONE
\$ORIGIN $NET.
\$TTL 300
@	3600	IN SOA	ns1 hostmaster $1 3600 600 604800 300
	IN NS	ns1
	IN NS	ns2
ns1	IN A	${addr[knot]}
ns2	IN A	${addr[secondary]}
www	IN A	$2
ZONE
}
net_v 1 198.51.100.10 >"$work/$NET.zone"

# start_dualnsd_on HOST: dualnsd on that host from $work/HOST.conf, its log in
# $work/HOST.log; sets pid[HOST].
declare -A pid
start_dualnsd_on() {
	ip netns exec "$NS-$1" "$DUALNSD" -c "$work/$1.conf" 2>"$work/$1.log" &
	pid[$1]=$! # ip netns exec runs dualnsd in its own place (execvp)
	track_pid "${pid[$1]}"
	wait_for 20 grep -q 'serving' "$work/$1.log" || { cat "$work/$1.log"; exit 1; }
}
show_conf() {
	sed 's/^/    /; s/secret: .*/secret: (32 random bytes, base64)/' "$1"
}

say "The primary of $ORIGIN: dualnsd on ${addr[primary]}, from a configuration file"
cat >"$work/primary.conf" <<CONF
server:
  listen: ${addr[primary]}
  port: 53
  nsid: $(nsid primary)
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
  - id: secondary
    address: ${addr[secondary]}
    key: $KEY
acl:
  - id: secondaries
    address: [${addr[nsd]}, ${addr[knot]}, ${addr[secondary]}]
    key: $KEY
    action: transfer
zone:
  - domain: $ORIGIN
    file: $work/$ORIGIN.zone
    notify: [nsd, knot, secondary]
    acl: secondaries
CONF
show_conf "$work/primary.conf"
start_dualnsd_on primary

say "Knot on ${addr[knot]}: a secondary of $ORIGIN and the primary of $NET"
knot_secondary_conf "$work/knot" "${addr[knot]}" 53 "$ORIGIN" "${addr[primary]}" 53 "$KEY" "$SECRET"
# Beside the secondary zone: its NSID, the dualnsd secondary as a remote told by NOTIFY
# and allowed to transfer, and example.net, answering IXFR from its journal of the
# differences between the zone file's versions.
sed -i -e "/^server:/a\\    nsid: $(nsid knot)" \
	-e "/^acl:/i\\  - id: secondary\\n    address: ${addr[secondary]}@53\\n    key: $KEY" \
	-e "/^zone:/i\\  - id: to-secondary\\n    address: ${addr[secondary]}\\n    key: $KEY\\n    action: transfer" \
	"$work/knot/knot.conf"
cat >>"$work/knot/knot.conf" <<CONF
  - domain: $NET
    storage: "$work/knot"
    file: "$work/$NET.zone"
    notify: secondary
    acl: to-secondary
    zonefile-load: difference
    zonefile-sync: -1
    journal-content: changes
CONF
show_conf "$work/knot/knot.conf" | sed -n '/^    remote:/,$p'
in_ns knot knotd -c "$work/knot/knot.conf" 2>"$work/knot.log" &
track_pid $!

say "NSD on ${addr[nsd]}: a secondary of $ORIGIN"
nsd_secondary_conf "$work/nsd" "${addr[nsd]}" 53 "$ORIGIN" "${addr[primary]}" 53 "$KEY" "$SECRET"
# NSD takes its NSID as hex, or as text after ascii_.
sed -i "/^server:/a\\\\tnsid: \"ascii_$(nsid nsd)\"" "$work/nsd/nsd.conf"
grep -E '^(server|zone):|nsid|request-xfr|allow-notify' "$work/nsd/nsd.conf" | sed 's/^/    /'
in_ns nsd nsd -d -c "$work/nsd/nsd.conf" 2>"$work/nsd.log" &
track_pid $!

say "The dualnsd secondary on ${addr[secondary]}: $ORIGIN from dualnsd, $NET from Knot"
mkdir -p "$work/secondary"
cat >"$work/secondary.conf" <<CONF
server:
  listen: ${addr[secondary]}
  port: 53
  nsid: $(nsid secondary)
key:
  - id: $KEY
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: primary
    address: ${addr[primary]}
    key: $KEY
  - id: knot
    address: ${addr[knot]}
    key: $KEY
acl:
  - id: from-primary
    address: ${addr[primary]}
    key: $KEY
    action: notify
  - id: from-knot
    address: ${addr[knot]}
    key: $KEY
    action: notify
zone:
  - domain: $ORIGIN
    master: primary
    file: $work/secondary/$ORIGIN.zone
    acl: from-primary
  - domain: $NET
    master: knot
    file: $work/secondary/$NET.zone
    acl: from-knot
CONF
show_conf "$work/secondary.conf"
start_dualnsd_on secondary

serial_of() { in_ns client "$DUALQ" @"$1" "$2" SOA +short +tries=1 +timeout=1 2>/dev/null | awk '{ print $3 }'; }
# serves HOST ZONE SERIAL
serves() { [ "$(serial_of "${addr[$1]}" "$2")" = "$3" ]; }
for h in nsd knot secondary; do
	wait_for 20 serves "$h" "$ORIGIN" 1 || { echo "$h did not transfer $ORIGIN" >&2; cat "$work/$h.log" >&2; exit 1; }
done
wait_for 20 serves secondary "$NET" 1 || { echo "secondary did not transfer $NET" >&2; cat "$work/secondary.log" >&2; exit 1; }
note "The three secondaries transferred $ORIGIN serial 1 (AXFR, signed), and the dualnsd" \
	"secondary $NET serial 1 from Knot."

say "The client asks each host for www.$ORIGIN; each answer's NSID names its host"
for h in primary nsd knot secondary; do
	ask @"${addr[$h]}" "www.$ORIGIN" A
done

# since HOST: the number of lines in HOST's log now; show_since HOST LINES PATTERN: its
# lines after those that match PATTERN, each marked with the host.
since() { wc -l <"$work/$1.log"; }
show_since() {
	tail -n +"$(( $2 + 1 ))" "$work/$1.log" | grep -E "$3" | sed "s/^/    $1: /"
}

# reached ZONE SERIAL T0 HOST...: how long each host took to serve the new serial.
reached() {
	local zone=$1 serial=$2 t0=$3 h
	shift 3
	for h in "$@"; do
		if wait_for 10 serves "$h" "$zone" "$serial"; then
			note "$h (${addr[$h]}) serves $zone serial $serial after $(( ($(now_us) - t0) / 1000 )) ms"
		else
			note "$h (${addr[$h]}) did not reach $zone serial $serial in 10 s"
		fi
	done
}

say "Edit $ORIGIN on its primary (serial 2, a new address for www), then SIGHUP"
zone_v 2 203.0.113.20 >"$work/$ORIGIN.zone"
lines=$(since secondary)
t0=$(now_us)
printf '$ kill -HUP %s   # dualnsd on the primary host\n' "${pid[primary]}"
kill -HUP "${pid[primary]}"
reached "$ORIGIN" 2 "$t0" nsd knot secondary
note "The SOA refresh is 3600 s: the NOTIFY brought them, and each asked for an IXFR."
grep -E 'NOTIFY|notify|IXFR|AXFR' "$work/primary.log" | sed 's/^/    primary: /'
grep -E 'IXFR, incoming.*finished' "$work/knot.log" | sed 's/^/    knot: /'
show_since secondary "$lines" "NOTIFY|IXFR"

say "Edit $NET on Knot, its primary (serial 2, a new address for www), then knotc zone-reload"
net_v 2 198.51.100.20 >"$work/$NET.zone"
lines=$(since secondary)
t0=$(now_us)
printf '$ knotc -c %s zone-reload %s   # on the Knot host\n' "$work/knot/knot.conf" "$NET"
in_ns knot knotc -c "$work/knot/knot.conf" zone-reload "$NET" | sed 's/^/    /'
reached "$NET" 2 "$t0" secondary
note "The NOTIFY from Knot brought it, and it asked Knot for an IXFR."
show_since secondary "$lines" "$NET"

say "The client asks each host again"
for h in primary nsd knot secondary; do
	ask @"${addr[$h]}" "www.$ORIGIN" A
done
for h in knot secondary; do
	ask @"${addr[$h]}" "www.$NET" A
done
