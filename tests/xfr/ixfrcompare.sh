#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# ixfrcompare.sh: dualnsd's IXFR answers (RFC 1995) against Knot DNS's for the same two
# versions of a zone: Knot computes its change set from the zone files
# (`zonefile-load: difference`), dualnsd from the two versions in memory at reload; both
# must remove and add the same records. Then dualnsd's condensed answer over two edits.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
command -v kdig >/dev/null 2>&1 || skip "kdig is not installed (apt-get install knot-dnsutils)"
command -v knotd >/dev/null 2>&1 || skip "knotd is not installed (apt-get install knot)"
ORIGIN=example.org

# zone_v SERIAL LINES...: the zone with this serial and these records below the SOA.
zone_v() {
	local serial=$1
	shift
	printf '%s\n' "\$ORIGIN $ORIGIN." "\$TTL 300" \
		"@ 3600 IN SOA ns1 hostmaster $serial 3600 600 604800 300" "$@"
}
common=('@ IN NS ns1' 'ns1 IN A 192.0.2.53' 'sub IN NS ns.sub' 'ns.sub IN A 192.0.2.99')

work=$(sys_tmpdir)
dzone="$work/dualnsd.zone"
kzone="$work/knot.zone"
v1=("${common[@]}" 'www IN A 192.0.2.80' 'www IN A 192.0.2.81' 'mail IN MX 10 mx1'
	'txt IN TXT "one"' 'gone IN A 192.0.2.7' 'ttl 300 IN A 192.0.2.9' 'ns.sub 300 IN AAAA 2001:db8::99')
v2=("${common[@]}" 'www IN A 192.0.2.80' 'www IN A 192.0.2.82' 'mail IN MX 20 mx1'
	'txt IN TXT "one"' 'txt IN TXT "two"' 'ttl 600 IN A 192.0.2.9' 'fresh.deep IN AAAA 2001:db8::1')
v3=("${common[@]}" 'www IN A 192.0.2.80' 'mail IN MX 20 mx1' 'txt IN TXT "two"'
	'ttl 600 IN A 192.0.2.9' 'gone IN A 192.0.2.7' 'later IN TXT "v3"')
zone_v 1 "${v1[@]}" >"$dzone"
cp "$dzone" "$kzone"

start_dualnsd --allow-transfer 127.0.0.1 "$ORIGIN=$dzone"
kdir="$work/knot"
mkdir -p "$kdir"
kport=$(free_port)
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
    any: warning
database:
    storage: "$kdir"
acl:
  - id: local
    address: 127.0.0.1
    action: transfer
zone:
  - domain: $ORIGIN
    storage: "$kdir"
    file: "$kzone"
    acl: local
    zonefile-load: difference
    zonefile-sync: -1
    journal-content: changes
CONF
knotd -c "$kdir/knot.conf" 2>>"$work/knot.log" &
track_pid $!
SYS_LOGS+=("$work/knot.log")
wait_soa "$kport" "$ORIGIN." || fail "Knot did not serve $ORIGIN"

# changes PORT SERIAL: an IXFR from SERIAL over TCP as "- record" and "+ record" lines,
# sorted, the SOAs left out: the first SOA is the new one, then each change set is the old
# SOA with the records it removes and the new SOA with those it adds (RFC 1995 section 4).
changes() {
	kdig @127.0.0.1 -p "$1" +tcp +noall +answer "$ORIGIN" IXFR="$2" | awk '
		NF == 0 || /^;/ { next }
		{ $1 = tolower($1) }
		$4 == "SOA" { soa++; if (soa > 1) sign = (soa % 2 == 0) ? "-" : "+"; next }
		{ print sign, $0 }' | sort
}
serial_at() {
	[ "$(kdig @127.0.0.1 -p "$1" +short "$ORIGIN" SOA | awk '{ print $3 }')" = "$2" ]
}

zone_v 2 "${v2[@]}" >"$dzone"
cp "$dzone" "$kzone"
kill -HUP "$DUALNSD_PID"
knotc -c "$kdir/knot.conf" zone-reload "$ORIGIN" >/dev/null
wait_for 10 serial_at "$PORT" 2 || fail "dualnsd did not load serial 2"
wait_for 10 serial_at "$kport" 2 || fail "Knot did not load serial 2"

d=$(changes "$PORT" 1)
k=$(changes "$kport" 1)
note "dualnsd's change set 1 -> 2:"
printf '%s\n' "$d" | sed 's/^/#   /'
expect_ne "dualnsd answers IXFR=1 with a change set" "$d" ""
expect_eq "dualnsd's change set 1 -> 2 is Knot's (RFC 1995 section 4)" "$d" "$k"
expect_match "a TTL change is a removal and an addition" "$d" '^- ttl\.example\.org\. 300 IN A 192\.0\.2\.9'

# A third version: dualnsd condenses 1 -> 3 into one change set (RFC 1995 section 5),
# where Knot sends its two; applied in order, Knot's two give the same result.
zone_v 3 "${v3[@]}" >"$dzone"
cp "$dzone" "$kzone"
kill -HUP "$DUALNSD_PID"
knotc -c "$kdir/knot.conf" zone-reload "$ORIGIN" >/dev/null
wait_for 10 serial_at "$PORT" 3 || fail "dualnsd did not load serial 3"
wait_for 10 serial_at "$kport" 3 || fail "Knot did not load serial 3"
d=$(changes "$PORT" 1)
# Knot's two change sets applied to version 1: what is removed then added again and added
# then removed again cancels.
k=$(kdig @127.0.0.1 -p "$kport" +tcp +noall +answer "$ORIGIN" IXFR=1 | awk '
	NF == 0 || /^;/ { next }
	{ $1 = tolower($1) }
	$4 == "SOA" { soa++; if (soa > 1) sign = (soa % 2 == 0) ? "-" : "+"; next }
	{ r = $0; if (sign == "-") { if (r in add) delete add[r]; else del[r] = 1 }
	  else { if (r in del) delete del[r]; else add[r] = 1 } }
	END { for (r in del) print "-", r; for (r in add) print "+", r }' | sort)
expect_eq "dualnsd's condensed change set 1 -> 3 is Knot's two applied in order (RFC 1995 section 5)" "$d" "$k"
expect_nomatch "a record removed and added again is in neither list" "$d" 'gone\.example\.org'
stop_dualnsd
