#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# follow.sh: dualnsd as a secondary (RFC 1034 section 4.3.5, RFC 1995, RFC 1996, RFC 5936)
# of real primaries, with TSIG (RFC 8945) on every transfer and NOTIFY:
# - of Knot DNS (zonefile-load: difference, so it answers IXFR) and of NSD: the first
#   transfer, the content equal to the primary's (AXFR of both compared);
# - a serial bump on Knot reaches dualnsd within 5 s by NOTIFY though the refresh is an
#   hour, as an IXFR (its log says so, and the ixfr-in counter);
# - a chain: Knot -> dualnsd -> NSD, the bump reaches NSD;
# - the zone is kept in its file, which ldns-read-zone reads, and a restart with the
#   primary down serves it at once;
# - a primary down at start: SERVFAIL, then the zone once it is up;
# - a primary whose key does not match: the transfer fails and nothing changes.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
command -v nsd >/dev/null 2>&1 || skip "nsd is not installed (apt-get install nsd)"
command -v knotd >/dev/null 2>&1 || skip "knotd is not installed (apt-get install knot)"
command -v knotc >/dev/null 2>&1 || skip "knotc is not installed (apt-get install knot)"

KEY=follow-key.example.
SECRET=$(printf 'dualns follow test key, 32 bytes' | base64)
work=$(sys_tmpdir)

# zone_v ORIGIN SERIAL WWW: a zone with this serial and www's address.
zone_v() {
	cat <<ZONE
\$ORIGIN $1.
\$TTL 300
@	3600	IN SOA	ns1 hostmaster $2 3600 600 604800 300
	IN NS	ns1
ns1	IN A	192.0.2.53
www	IN A	$3
mail	IN MX	10 ns1
sub	IN NS	ns.sub
ns.sub	IN A	192.0.2.99
ZONE
}

serial_at() {
	qdig "$1" +short "$2" SOA | awk 'NF == 7 { print $3 }'
}
serves_serial() {
	[ "$(serial_at "$1" "$2")" = "$3" ]
}
# records PORT ORIGIN [ARGS]: the zone by AXFR, one record a line, sorted, SOA once.
records() {
	local port=$1 origin=$2
	shift 2
	qdig "$port" "$@" +noall +answer "$origin" AXFR | awk 'NF { $1 = tolower($1); print }' | sort -u
}
tsig=(-y "hmac-sha256:$KEY:$SECRET")

dport=$(free_port)
kport=$(free_port)
nport=$(free_port)
n2port=$(free_port)

# --- The primaries: Knot for example.org (it answers IXFR from its journal), NSD for
# example.net; each allows transfers with the key and sends NOTIFY to dualnsd.
zone_v example.org 1 192.0.2.10 >"$work/knot-example.org.zone"
zone_v example.net 1 192.0.2.20 >"$work/nsd-example.net.zone"
kdir=$work/knot
mkdir -p "$kdir"
cat >"$kdir/knot.conf" <<CONF
server:
    rundir: "$kdir"
    listen: 127.0.0.1@$kport
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
control:
    listen: "$kdir/knot.sock"
log:
  - target: stderr
    any: info
database:
    storage: "$kdir"
key:
  - id: $KEY
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: dualnsd
    address: 127.0.0.1@$dport
    key: $KEY
acl:
  - id: secondary
    address: 127.0.0.1
    key: $KEY
    action: transfer
zone:
  - domain: example.org
    storage: "$kdir"
    file: "$work/knot-example.org.zone"
    notify: dualnsd
    acl: secondary
    zonefile-load: difference
    zonefile-sync: -1
    journal-content: changes
CONF
start_knot_primary() {
	knotd -c "$kdir/knot.conf" 2>>"$work/knot.log" &
	KNOT_PID=$!
	track_pid "$KNOT_PID"
}
SYS_LOGS+=("$work/knot.log")
# nsd_start writes the configuration (REF_WRAP=(true): and starts nothing); the key goes
# before the zone that names it, then NSD starts.
NSD_ZONE_LINES=$(printf '\tprovide-xfr: 127.0.0.1 %s\n\tnotify: 127.0.0.1@%s %s' "$KEY" "$dport" "$KEY")
REF_WRAP=(true)
nsd_start "$work/nsd" "$work/nsd.log" "$nport" example.net "$work/nsd-example.net.zone"
REF_WRAP=()
sed -i "/^remote-control:/i key:\n\tname: \"$KEY\"\n\talgorithm: hmac-sha256\n\tsecret: \"$SECRET\"" \
	"$work/nsd/nsd.conf"
nsd -d -c "$work/nsd/nsd.conf" 2>>"$work/nsd.log" &
NSD_PID=$!
track_pid "$NSD_PID"
SYS_LOGS+=("$work/nsd.log")
start_knot_primary
wait_soa "$kport" example.org. || fail "Knot did not serve example.org"
wait_soa "$nport" example.net. || fail "NSD did not serve example.net"

# --- dualnsd, secondary of both, keeping the zones in files.
mkdir -p "$work/dualnsd"
cat >"$work/dualnsd.conf" <<CONF
server:
  listen: 127.0.0.1
  port: $dport
key:
  - id: $KEY
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: knot
    address: 127.0.0.1@$kport
    key: $KEY
  - id: nsd
    address: 127.0.0.1@$nport
    key: $KEY
  - id: nsd2
    address: 127.0.0.1@$n2port
    key: $KEY
acl:
  - id: primaries
    address: 127.0.0.1
    key: $KEY
    action: [notify, transfer]
zone:
  - domain: example.org
    master: knot
    file: $work/dualnsd/example.org.zone
    acl: primaries
    notify: nsd2
  - domain: example.net
    primary: nsd
    file: $work/dualnsd/example.net.zone
    acl: primaries
CONF
DUALNSD_LOG=$work/dualnsd.log
SYS_LOGS+=("$DUALNSD_LOG")
dualnsd_start "$dport" "$DUALNSD_LOG" -c "$work/dualnsd.conf" || fail "dualnsd did not start"

wait_for 20 serves_serial "$dport" example.org 1 || bad "dualnsd transfers example.org from Knot"
wait_for 20 serves_serial "$dport" example.net 1 || bad "dualnsd transfers example.net from NSD"
expect_eq "example.org as dualnsd serves it is Knot's (RFC 5936)" \
	"$(records "$dport" example.org "${tsig[@]}")" "$(records "$kport" example.org "${tsig[@]}")"
expect_eq "example.net as dualnsd serves it is NSD's" \
	"$(records "$dport" example.net "${tsig[@]}")" "$(records "$nport" example.net "${tsig[@]}")"
expect_match "each transfer is logged with its kind" "$(cat "$DUALNSD_LOG")" 'AXFR.*example\.org'
grep -E 'transfer: ' "$DUALNSD_LOG" | sed 's/^/# /'

# --- The chain: NSD (another one) as a secondary of dualnsd for example.org.
nsd_secondary_conf "$work/nsd2" 127.0.0.1 "$n2port" example.org 127.0.0.1 "$dport" "$KEY" "$SECRET"
nsd -d -c "$work/nsd2/nsd.conf" 2>>"$work/nsd2.log" &
track_pid $!
SYS_LOGS+=("$work/nsd2.log")
wait_for 20 serves_serial "$n2port" example.org 1 || bad "NSD follows dualnsd (serial 1)"

# --- A bump on Knot: NOTIFY, then IXFR, within 5 s though the refresh is an hour.
zone_v example.org 2 192.0.2.11 >"$work/knot-example.org.zone"
t0=$(now_us)
knotc -c "$kdir/knot.conf" zone-reload example.org >/dev/null
wait_for 5 serves_serial "$dport" example.org 2 ||
	bad "dualnsd serves serial 2 within 5 s of Knot's change (NOTIFY, RFC 1996)"
note "dualnsd at serial 2 after $(( ($(now_us) - t0) / 1000 )) ms"
expect_match "... by IXFR (RFC 1995)" "$(cat "$DUALNSD_LOG")" 'IXFR.*example\.org.*serial 2|example\.org.*IXFR.*2'
ixfr_in=$(qdig "$dport" +short CH TXT stats.dualns. | tr ' ' '\n' | sed -n 's/^"ixfr-in=\([0-9]*\)"$/\1/p')
expect_ge "... counted as ixfr-in in stats.dualns." "${ixfr_in:-0}" 1
expect_eq "... with Knot's content" \
	"$(records "$dport" example.org "${tsig[@]}")" "$(records "$kport" example.org "${tsig[@]}")"
wait_for 10 serves_serial "$n2port" example.org 2 ||
	bad "the change reaches the end of the chain Knot -> dualnsd -> NSD"

# --- A bump on NSD: SIGHUP makes it read its zone again and send NOTIFY.
zone_v example.net 2 192.0.2.21 >"$work/nsd-example.net.zone"
t0=$(now_us)
kill -HUP "$NSD_PID"
wait_for 5 serves_serial "$dport" example.net 2 ||
	bad "dualnsd serves NSD's serial 2 within 5 s of its reload (NOTIFY, RFC 1996)"
note "dualnsd at NSD's serial 2 after $(( ($(now_us) - t0) / 1000 )) ms"
expect_eq "... with NSD's content" \
	"$(records "$dport" example.net "${tsig[@]}")" "$(records "$nport" example.net "${tsig[@]}")"

# --- The kept files.
wait_for 10 grep -q 'hostmaster.example.org. 2 ' "$work/dualnsd/example.org.zone" ||
	bad "the transferred zone is written to its file"
if command -v ldns-read-zone >/dev/null 2>&1; then
	expect_eq "ldns-read-zone reads the kept file" \
		"$(ldns-read-zone "$work/dualnsd/example.org.zone" >/dev/null 2>&1; echo $?)" 0
fi
expect_eq "no temporary file is left beside it" "$(ls "$work/dualnsd" | grep -vc '\.zone$')" 0

# --- A restart with the primary down serves the kept file at once.
stop_dualnsd
stop_pid "$KNOT_PID"
dualnsd_start "$dport" "$DUALNSD_LOG" -c "$work/dualnsd.conf" || fail "dualnsd did not restart"
expect_eq "after a restart with Knot down, the kept example.org is served at once" \
	"$(serial_at "$dport" example.org)" 2

# --- A primary down at start: SERVFAIL, then the zone when it comes up.
stop_dualnsd
rm -f "$work/dualnsd/example.org.zone"
dualnsd_start "$dport" "$DUALNSD_LOG" -c "$work/dualnsd.conf" || fail "dualnsd did not restart"
expect_match "with no kept file and Knot down: SERVFAIL (RFC 1034 section 4.3.5)" \
	"$(qdig "$dport" www.example.org A)" 'status: SERVFAIL'
start_knot_primary
wait_for 30 serves_serial "$dport" example.org 2 ||
	bad "once Knot is up, its zone appears (NOTIFY at its start, or the retry)"

# --- A key that does not match: the transfer fails, the served zone stays.
stop_dualnsd
sed -i "s|secret: $SECRET|secret: $(printf 'a different secret of thirty two.' | base64)|" \
	"$work/dualnsd.conf"
zone_v example.org 3 192.0.2.12 >"$work/knot-example.org.zone"
dualnsd_start "$dport" "$DUALNSD_LOG" -c "$work/dualnsd.conf" || fail "dualnsd did not restart"
knotc -c "$kdir/knot.conf" zone-reload example.org >/dev/null
wait_for 10 grep -Eq 'example\.org.*(BADSIG|BADKEY|NOTAUTH)' "$DUALNSD_LOG" ||
	bad "a transfer with a key that does not match fails, and says why (RFC 8945)"
note "$(grep -E 'example\.org.*(BADSIG|BADKEY|NOTAUTH)' "$DUALNSD_LOG" | tail -n 1)"
expect_eq "... and the kept version is still served" "$(serial_at "$dport" example.org)" 2
stop_dualnsd
