#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# xfrin.sh: the transfer client (src/xfrin.c, run by tests/xfr/xfringet) against NSD and
# Knot DNS as primaries: the first refresh is an AXFR equal to the primary's own AXFR
# (RFC 5936); after an edit Knot answers an IXFR (RFC 1995) whose result equals Knot's
# new AXFR; an IXFR at the same serial is up to date; TSIG-signed transfers (RFC 8945
# section 5.3.1) work with the key and fail with a wrong one; a primary that is down
# times out and the next one in the list answers.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
command -v nsd >/dev/null 2>&1 || skip "nsd is not installed (apt-get install nsd)"
command -v knotd >/dev/null 2>&1 || skip "knotd is not installed (apt-get install knot)"
command -v kdig >/dev/null 2>&1 || skip "kdig is not installed (apt-get install knot-dnsutils)"
command -v ldns-read-zone >/dev/null 2>&1 || skip "ldns-read-zone is not installed (apt-get install ldnsutils)"
: "${XFRINGET:=$top_builddir/tests/xfr/xfringet}"
ORIGIN=example.org
KEY=xfrin-key.example.
SECRET=$(printf 'dualns xfrin test key 0123456789' | base64)
WRONG=$(printf 'not the secret of this key at all' | base64)

# zone_v SERIAL LINES...: the zone with this serial and these records below the SOA.
zone_v() {
	local serial=$1
	shift
	printf '%s\n' "\$ORIGIN $ORIGIN." "\$TTL 300" \
		"@ 3600 IN SOA ns1 hostmaster $serial 3600 600 604800 300" "$@"
}
common=('@ IN NS ns1' 'ns1 IN A 192.0.2.53' 'sub IN NS ns.sub' 'ns.sub IN A 192.0.2.99'
	'mail IN MX 10 mx1' 'txt IN TXT "one" "two"' 'v6 IN AAAA 2001:db8::1')
v1=("${common[@]}" 'www IN A 192.0.2.80' 'www IN A 192.0.2.81' 'gone IN A 192.0.2.7')
v2=("${common[@]}" 'www IN A 192.0.2.80' 'www IN A 192.0.2.82' 'fresh.deep IN TXT "new"')

work=$(sys_tmpdir)

# canon: a zone in presentation form (a transfer's output) in one form to compare:
# canonical records, sorted, the final SOA of an AXFR dropped by ldns.
canon() {
	ldns-read-zone -c /dev/stdin 2>/dev/null | grep -v '^;' | sort
}

# get ARGS...: xfringet's output; its status line first.
get() {
	"$XFRINGET" -t 2 "$@" 2>>"$work/xfringet.log"
}

# primary_axfr PORT [KEYARGS...]: the primary's own AXFR, as kdig shows it.
primary_axfr() {
	local port=$1
	shift
	kdig @127.0.0.1 -p "$port" "$@" +noall +answer AXFR "$ORIGIN" 2>/dev/null
}

# ---------------------------------------------------------------- NSD, no key

nzone="$work/nsd.zone"
zone_v 1 "${v1[@]}" >"$nzone"
NSD_ZONE_LINES=$'\tprovide-xfr: 127.0.0.1 NOKEY' \
	ref_start_free nsd "$work/nsd" "$ORIGIN" "$nzone" || fail "NSD did not start: $(cat "$REF_LOG")"
nport=$REF_PORT
out=$(get "$ORIGIN" "127.0.0.1#$nport")
expect_match "the first refresh from NSD is an AXFR of serial 1 (RFC 5936)" \
	"$(head -1 <<<"$out")" '^; status 0 kind AXFR serial 1 '
expect_eq "the zone transferred from NSD equals NSD's AXFR" \
	"$(tail -n +2 <<<"$out" | canon)" "$(primary_axfr "$nport" | canon)"
# Every record of version 1 but the final SOA: not an empty comparison.
expect_eq "the transferred zone has every record" "$(tail -n +2 <<<"$out" | canon | wc -l)" 11

# The same serial as the current version: nothing to transfer (RFC 1034 section 4.3.5).
out=$(get -c "$nzone" "$ORIGIN" "127.0.0.1#$nport")
expect_match "a refresh at the primary's serial is up to date" "$(head -1 <<<"$out")" \
	'^; status 0 kind UPTODATE serial 1 '
expect_eq "an up-to-date refresh gives no zone" "$(tail -n +2 <<<"$out")" ""

# A primary that is down: a UDP socket that never answers, so the SOA query times out;
# the next primary in the list answers.
dead=$(free_port)
"$PYTHON3" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").close()
time.sleep(120)' "$dead" "$work/silent.ready" &
track_pid $!
wait_for 10 test -e "$work/silent.ready" || fail "the silent primary did not start"
out=$(get "$ORIGIN" "127.0.0.1#$dead" "127.0.0.1#$nport")
expect_match "after a primary that does not answer, the next one gives the zone" \
	"$(head -1 <<<"$out")" "^; status 0 kind AXFR serial 1 from 127\\.0\\.0\\.1#$nport .*[0-9]$"
expect_match "the silent primary was given up after its timeout" "$(cat "$work/xfringet.log")" \
	"127\\.0\\.0\\.1#$dead failed: no answer to the SOA query in 2 s; trying the next primary"
out=$(get "$ORIGIN" "127.0.0.1#$dead")
expect_match "with every primary silent the refresh fails with a timeout" "$(head -1 <<<"$out")" \
	"^; status -110 .* error 127\\.0\\.0\\.1#$dead: no answer to the SOA query"
# Nobody on the port: the kernel refuses (ICMP port unreachable), the next one answers.
closed=$(free_port)
out=$(get "$ORIGIN" "127.0.0.1#$closed" "127.0.0.1#$nport")
expect_match "after a primary that refuses, the next one gives the zone" \
	"$(head -1 <<<"$out")" "^; status 0 kind AXFR serial 1 from 127\\.0\\.0\\.1#$nport "

# ---------------------------------------------------------------- Knot, IXFR, no key

kzone="$work/knot.zone"
zone_v 1 "${v1[@]}" >"$kzone"
KNOT_ZONEFILE_LOAD=difference KNOT_JOURNAL_CONTENT=changes KNOT_TRANSFER=127.0.0.1 \
	ref_start_free knot "$work/knot" "$ORIGIN" "$kzone" || fail "Knot did not start: $(cat "$REF_LOG")"
kport=$REF_PORT
kpid=$REF_PID
out=$(get "$ORIGIN" "127.0.0.1#$kport")
expect_match "the first refresh from Knot is an AXFR of serial 1" "$(head -1 <<<"$out")" \
	'^; status 0 kind AXFR serial 1 '
expect_eq "the zone transferred from Knot equals Knot's AXFR" \
	"$(tail -n +2 <<<"$out" | canon)" "$(primary_axfr "$kport" | canon)"
cp "$kzone" "$work/knot.v1.zone"

zone_v 2 "${v2[@]}" >"$kzone"
knotc -c "$work/knot/knot.conf" zone-reload "$ORIGIN" >/dev/null 2>&1 ||
	kill -HUP "$kpid"
serial2() { kdig @127.0.0.1 -p "$kport" +short SOA "$ORIGIN" 2>/dev/null | grep -q ' 2 '; }
wait_for 20 serial2 || fail "Knot did not load serial 2"
out=$(get -c "$work/knot.v1.zone" "$ORIGIN" "127.0.0.1#$kport")
expect_match "after an edit Knot answers an IXFR to serial 2 (RFC 1995 section 4)" \
	"$(head -1 <<<"$out")" '^; status 0 kind IXFR serial 2 '
expect_eq "the IXFR applied to version 1 equals Knot's AXFR of version 2" \
	"$(tail -n +2 <<<"$out" | canon)" "$(primary_axfr "$kport" | canon)"
out=$(get -f -c "$work/knot.v1.zone" "$ORIGIN" "127.0.0.1#$kport")
expect_match "a forced refresh asks for the whole zone" "$(head -1 <<<"$out")" \
	'^; status 0 kind AXFR serial 2 '

# ---------------------------------------------------------------- TSIG

tzone="$work/tsig.zone"
zone_v 1 "${v1[@]}" >"$tzone"
NSD_ZONE_LINES=$(printf '\tprovide-xfr: 127.0.0.1 %s\nkey:\n\tname: %s\n\talgorithm: hmac-sha256\n\tsecret: "%s"' \
	"$KEY" "$KEY" "$SECRET") \
	ref_start_free nsd "$work/nsdkey" "$ORIGIN" "$tzone" || fail "NSD did not start: $(cat "$REF_LOG")"
tport=$REF_PORT
out=$(get -k "$KEY:hmac-sha256:$SECRET" "$ORIGIN" "127.0.0.1#$tport")
expect_match "an AXFR signed with the key from NSD succeeds (RFC 8945 section 5.3.1)" \
	"$(head -1 <<<"$out")" '^; status 0 kind AXFR serial 1 '
expect_eq "the signed transfer equals NSD's AXFR" "$(tail -n +2 <<<"$out" | canon)" \
	"$(primary_axfr "$tport" -y "hmac-sha256:$KEY:$SECRET" | canon)"
out=$(get -k "$KEY:hmac-sha256:$WRONG" "$ORIGIN" "127.0.0.1#$tport")
expect_match "a wrong key fails, and no zone comes out" "$out" '^; status -71 .*TSIG'
expect_eq "a failed refresh prints no records" "$(tail -n +2 <<<"$out")" ""
out=$(get "$ORIGIN" "127.0.0.1#$tport")
expect_match "without the key NSD refuses the transfer" "$out" '^; status -71 .*REFUSED|NOTAUTH'

kszone="$work/knotkey.zone"
zone_v 1 "${v1[@]}" >"$kszone"
KNOT_SECTIONS=$(printf 'key:\n  - id: %s\n    algorithm: hmac-sha256\n    secret: %s\nacl:\n  - id: signed\n    address: 127.0.0.1\n    key: %s\n    action: transfer' \
	"$KEY" "$SECRET" "$KEY") KNOT_ZONE_ITEMS='    acl: signed' \
	ref_start_free knot "$work/knotkey" "$ORIGIN" "$kszone" || fail "Knot did not start: $(cat "$REF_LOG")"
ksport=$REF_PORT
out=$(get -k "$KEY:hmac-sha256:$SECRET" "$ORIGIN" "127.0.0.1#$ksport")
expect_match "an AXFR signed with the key from Knot succeeds" "$(head -1 <<<"$out")" \
	'^; status 0 kind AXFR serial 1 '
expect_eq "the signed transfer equals Knot's AXFR" "$(tail -n +2 <<<"$out" | canon)" \
	"$(primary_axfr "$ksport" -y "hmac-sha256:$KEY:$SECRET" | canon)"
out=$(get -k "$KEY:hmac-sha256:$WRONG" "$ORIGIN" "127.0.0.1#$ksport")
expect_match "a wrong key fails against Knot too" "$out" '^; status -71 .*TSIG'

# ---------------------------------------------------------------- a primary that misbehaves

# peer_start MODE [ARGS...]: xfrinpeer.py in MODE on a free port serving serial 5; sets
# PEER_PORT and PEER_LOG.
peer_start() {
	local mode=$1
	shift
	PEER_PORT=$(free_port)
	PEER_LOG="$work/peer.$mode.log"
	: >"$PEER_LOG"
	"$PYTHON3" "$top_srcdir/tests/xfr/xfrinpeer.py" "$PEER_PORT" "$ORIGIN" 5 --mode "$mode" "$@" \
		--ready "$work/peer.$mode.ready" --log "$PEER_LOG" 2>>"$work/peer.log" &
	track_pid $!
	wait_for 10 test -e "$work/peer.$mode.ready" || fail "xfrinpeer.py $mode did not start"
}

peer_start tc
out=$(get "$ORIGIN" "127.0.0.1#$PEER_PORT")
expect_match "an SOA answer with TC is asked again over TCP (RFC 1035 section 4.2.1)" \
	"$(tr '\n' ' ' <"$PEER_LOG")" '^udp SOA tcp SOA tcp AXFR $'
expect_match "then the zone comes by AXFR" "$(head -1 <<<"$out")" \
	'^; status 0 kind AXFR serial 5 .* messages 5 records 9 '

zone_v 1 "${v1[@]}" >"$work/current.zone"
# An SOA query lost on the way is sent again (after 2 s, within the step's timeout), as a
# resolver retransmits (RFC 1035 section 7.2): the transfer does not wait for the timeout.
peer_start serve --drop-udp 1
t0=$(now_us)
out=$("$XFRINGET" -t 20 "$ORIGIN" "127.0.0.1#$PEER_PORT" 2>>"$work/xfringet.log")
elapsed_ms=$(( ($(now_us) - t0) / 1000 ))
expect_match "an SOA query left unanswered is sent again, then the zone comes" \
	"$(tr '\n' ' ' <"$PEER_LOG")" '^udp SOA udp SOA tcp AXFR $'
expect_match "... by AXFR" "$(head -1 <<<"$out")" '^; status 0 kind AXFR serial 5 '
expect_le "... well before the step's 20 s timeout (ms)" "$elapsed_ms" 10000

peer_start refuse-ixfr
out=$(get -c "$work/current.zone" "$ORIGIN" "127.0.0.1#$PEER_PORT")
expect_match "a refused IXFR is followed by an AXFR (RFC 1995 section 2)" \
	"$(tr '\n' ' ' <"$PEER_LOG")" '^udp SOA tcp IXFR tcp AXFR $'
expect_match "and the AXFR gives the zone" "$(head -1 <<<"$out")" '^; status 0 kind AXFR serial 5 '

peer_start close
out=$(get "$ORIGIN" "127.0.0.1#$PEER_PORT")
expect_match "a transfer cut short fails and gives no zone (RFC 5936 section 2.2)" "$out" \
	'^; status -71 .*closed the connection before the end of the AXFR$'

peer_start stall
out=$(get "$ORIGIN" "127.0.0.1#$PEER_PORT")
expect_match "a transfer that stalls fails after the timeout" "$out" \
	'^; status -110 .*no answer to the AXFR in 2 s$'

# TSIG on every message of the transfer (RFC 8945 section 5.3.1): the SOA answer comes
# signed from NSD, the transfer unsigned, or NSD's signed messages altered on the way.
peer_start unsigned-xfr --upstream "$tport"
out=$(get -k "$KEY:hmac-sha256:$SECRET" "$ORIGIN" "127.0.0.1#$PEER_PORT")
expect_match "a signed SOA answer then an unsigned transfer fails" "$out" \
	'^; status -71 .*message 1 of the AXFR fails TSIG with key .*: BADSIG$'
peer_start tamper --upstream "$tport"
out=$(get -k "$KEY:hmac-sha256:$SECRET" "$ORIGIN" "127.0.0.1#$PEER_PORT")
expect_match "a transfer message altered after signing fails" "$out" \
	'^; status -71 .*message 1 of the AXFR fails TSIG with key .*: BADSIG$'
expect_eq "and gives no zone" "$(tail -n +2 <<<"$out")" ""

sys_report
