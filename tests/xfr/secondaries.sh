#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# secondaries.sh: dualnsd as the primary of real secondaries: NSD and Knot DNS follow a
# zone that dualnsd serves from its configuration file, with a TSIG key on every transfer
# and NOTIFY (RFC 5936, RFC 1995, RFC 1996, RFC 8945).
# - Both reach the zone's serial and hold exactly dualnsd's records (an AXFR from each,
#   compared with dualnsd's own).
# - After an edit and SIGHUP both serve the new serial within 5 s, though the SOA refresh
#   is an hour: only the NOTIFY can have done it.
# - Knot's second transfer is an IXFR, and the change set in its journal is the edit.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
command -v nsd >/dev/null 2>&1 || skip "nsd is not installed (apt-get install nsd)"
command -v knotd >/dev/null 2>&1 || skip "knotd is not installed (apt-get install knot)"
command -v kjournalprint >/dev/null 2>&1 || skip "kjournalprint is not installed (apt-get install knot)"

KEY=xfr-key.example.
SECRET=$(printf 'dualns secondaries test key 0123' | base64)
ORIGIN=example.org

# zone_v SERIAL EXTRA...: the zone with this serial and the extra lines.
zone_v() {
	local serial=$1
	shift
	cat <<ZONE
\$ORIGIN $ORIGIN.
\$TTL 300
@	3600	IN SOA	ns1 hostmaster $serial 3600 600 604800 300
	IN NS	ns1
	IN NS	ns2.example.net.
ns1	IN A	192.0.2.53
www	IN A	192.0.2.80
	IN AAAA	2001:db8::80
sub	IN NS	ns.sub
ns.sub	IN A	192.0.2.99
*.wild	IN TXT	"wildcard"
ZONE
	printf '%s\n' "$@"
}

work=$(sys_tmpdir)
zone="$work/$ORIGIN.zone"
zone_v 1 'mail	IN MX	10 mx1' 'mx1	IN A	192.0.2.25' 'old	IN TXT	"to be removed"' >"$zone"

dport=$(free_port)
nport=$(free_port)
kport=$(free_port)

cat >"$work/dualnsd.conf" <<CONF
server:
  listen: 127.0.0.1
  port: $dport
key:
  - id: $KEY
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: nsd
    address: 127.0.0.1@$nport
    key: $KEY
  - id: knot
    address: 127.0.0.1@$kport
    key: $KEY
acl:
  - id: secondaries
    address: 127.0.0.0/8
    key: $KEY
    action: transfer
zone:
  - domain: $ORIGIN
    file: $zone
    notify: [nsd, knot]
    acl: secondaries
CONF

DUALNSD_LOG="$work/dualnsd.log"
SYS_LOGS+=("$DUALNSD_LOG")
dualnsd_start "$dport" "$DUALNSD_LOG" -c "$work/dualnsd.conf" ||
	fail "dualnsd did not start: $(cat "$DUALNSD_LOG")"

# NSD as a secondary: it asks for the zone with the key and takes NOTIFY signed with it.
nsd_secondary_conf "$work/nsd" 127.0.0.1 "$nport" "$ORIGIN" 127.0.0.1 "$dport" "$KEY" "$SECRET"
nsd -d -c "$work/nsd/nsd.conf" 2>>"$work/nsd.log" &
track_pid $!
SYS_LOGS+=("$work/nsd.log")

# Knot as a secondary, keeping a journal of the changes it receives.
knot_secondary_conf "$work/knot" 127.0.0.1 "$kport" "$ORIGIN" 127.0.0.1 "$dport" "$KEY" "$SECRET"
knotd -c "$work/knot/knot.conf" 2>>"$work/knot.log" &
track_pid $!
SYS_LOGS+=("$work/knot.log")

# serial_at PORT: the SOA serial PORT serves for the zone, or nothing.
serial_at() {
	qdig "$1" +short "$ORIGIN" SOA | awk 'NF == 7 { print $3 }'
}
serves_serial() {
	[ "$(serial_at "$1")" = "$2" ]
}

# records PORT [KEY]: the zone's records by AXFR from PORT, one per line, sorted, the
# SOA once (AXFR sends it first and last).
records() {
	local port=$1
	shift
	qdig "$port" "$@" +noall +answer "$ORIGIN" AXFR |
		grep -v '^;' | awk 'NF { $1 = tolower($1); print }' | sort -u
}

tsig=(-y "hmac-sha256:$KEY:$SECRET")
expect_eq "dualnsd serves serial 1" "$(serial_at "$dport")" 1
want=$(records "$dport" "${tsig[@]}")
expect_match "dualnsd's AXFR holds the zone (RFC 5936 section 2.2)" "$want" 'old\.example\.org\. 300 IN TXT "to be removed"'

wait_for 20 serves_serial "$nport" 1 || fail "NSD did not transfer serial 1"
wait_for 20 serves_serial "$kport" 1 || fail "Knot did not transfer serial 1"
expect_eq "NSD holds exactly dualnsd's records after the first transfer" "$(records "$nport")" "$want"
expect_eq "Knot holds exactly dualnsd's records after the first transfer" "$(records "$kport")" "$want"
expect_match "dualnsd signed the transfers and logged them" "$(cat "$DUALNSD_LOG")" 'AXFR .*example\.org'

# Transfers the ACL or TSIG turn away (RFC 5936 section 5, RFC 8945 section 5.2).
out=$(qdig "$dport" "$ORIGIN" AXFR)
expect_match "an unsigned AXFR is refused: the ACL wants the key (RFC 8914 EDE 18)" "$out" 'Transfer failed|REFUSED'
out=$(qdig "$dport" +tcp "$ORIGIN" IXFR=1)
expect_match "... an unsigned IXFR too" "$out" 'REFUSED|Transfer failed'
expect_match "... and the refusals are counted" "$(qdig "$dport" +short CH TXT stats.dualns)" '"xfr-refused=[2-9]'
TSIG_PY=
for py in "$PYTHON3" /usr/bin/python3; do
	"$py" -c 'import dns.tsig' 2>/dev/null && { TSIG_PY=$py; break; }
done
if [ -n "$TSIG_PY" ]; then
	ask() { "$TSIG_PY" "$top_srcdir/tests/system/tsigask.py" --port "$dport" --tcp "$@" "$ORIGIN" AXFR 2>&1; }
	expect_match "an AXFR signed with a wrong secret: NOTAUTH, BADSIG (RFC 8945 section 5.2.2)" \
		"$(ask --key "$KEY:hmac-sha256:$(printf 'not the secret of the key at all' | base64)")" \
		'rcode=NOTAUTH .*tsigerror=BADSIG'
	expect_match "an AXFR signed with an unknown key: NOTAUTH, BADKEY (RFC 8945 section 5.2.1)" \
		"$(ask --key "unknown.example.:hmac-sha256:$SECRET")" 'rcode=NOTAUTH .*tsigerror=BADKEY'
	expect_match "an AXFR signed an hour ago: NOTAUTH, BADTIME (RFC 8945 section 5.2.3)" \
		"$(ask --key "$KEY:hmac-sha256:$SECRET" --skew -3600)" 'rcode=NOTAUTH .*tsigerror=BADTIME'
else
	note "no python with dnspython: the bad-TSIG transfers are not tried"
fi

# The edit: one record changed, one added, one removed; the SOA refresh stays an hour.
zone_v 2 'mail	IN MX	20 mx1' 'mx1	IN A	192.0.2.25' 'new	IN TXT	"added"' >"$zone"
t0=$(now_us)
kill -HUP "$DUALNSD_PID"
wait_for 5 serves_serial "$nport" 2 || bad "NSD serves serial 2 within 5 s of the SIGHUP (NOTIFY, RFC 1996)"
wait_for 5 serves_serial "$kport" 2 || bad "Knot serves serial 2 within 5 s of the SIGHUP (NOTIFY, RFC 1996)"
echo "# both secondaries at serial 2 after $(( ($(now_us) - t0) / 1000 )) ms"
want=$(records "$dport" "${tsig[@]}")
expect_eq "NSD holds exactly dualnsd's records after the change" "$(records "$nport")" "$want"
expect_eq "Knot holds exactly dualnsd's records after the change" "$(records "$kport")" "$want"

expect_match "NOTIFY to both was signed and acknowledged (RFC 1996, RFC 8945)" \
	"$(grep -c "notify: example\\.org\\. serial 2 to .* key $KEY: acknowledged" "$DUALNSD_LOG")" '^2$'
expect_match "dualnsd answered serial 2 with IXFRs (RFC 1995)" \
	"$(grep -c 'xfr: IXFR example\.org\. serial 2 ' "$DUALNSD_LOG")" '^[1-9]'

# Knot says which kind of transfer it received, and keeps the change set in its journal.
wait_for 5 grep -q 'IXFR, incoming.*finished' "$work/knot.log" ||
	bad "Knot's second transfer is an IXFR (RFC 1995)"
expect_nomatch "Knot did not fall back to AXFR" "$(cat "$work/knot.log")" 'fallback to AXFR'
# kjournalprint prints each change set as ";; Removed" and ";; Added" records of the form
# "owner TTL TYPE RDATA" (Knot 3.2).
changes=$(kjournalprint -x -c "$work/knot/knot.conf" "$ORIGIN" 2>&1)
printf '%s\n' "$changes" | sed 's/^/# kjournalprint: /'
# part WORD: the records under ";; WORD" but the SOA, whitespace collapsed, sorted.
part() {
	printf '%s\n' "$changes" | awk -v want=";; $1" '
		/^;;/ { keep = ($0 == want); next }
		keep && NF && $3 != "SOA" { $1 = tolower($1); print }' | sort
}
expect_eq "the records Knot's change set removes are the edit's (RFC 1995 section 4)" "$(part Removed)" \
	"$(printf '%s\n' 'mail.example.org. 300 MX 10 mx1.example.org.' 'old.example.org. 300 TXT "to be removed"' | sort)"
expect_eq "the records Knot's change set adds are the edit's (RFC 1995 section 4)" "$(part Added)" \
	"$(printf '%s\n' 'mail.example.org. 300 MX 20 mx1.example.org.' 'new.example.org. 300 TXT "added"' | sort)"
expect_match "Knot's change set goes from serial 1 to 2" "$changes" 'zone versions: 1 -> 2'

stop_dualnsd
