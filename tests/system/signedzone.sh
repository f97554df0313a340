#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# signedzone.sh: the bundled signed zone zones/example.org.zone.signed is current with its
# source and keys (contrib/resign-zones.sh makes the same bytes again), its signatures
# verify (ldns-verify-zone) and stay valid until 2038, --check finds nothing to warn about,
# and served by dualnsd its apex DNSKEY RRset with DO does not fit 512 bytes: TC over UDP,
# the whole RRset over TCP (RFC 4035 section 3.1.1, RFC 6891 section 7).
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool ldns-signzone "apt-get install ldnsutils"
need_tool ldns-verify-zone "apt-get install ldnsutils"
need_tool dig "apt-get install dnsutils"

SIGNED="$top_srcdir/zones/example.org.zone.signed"
Z=$(sys_tmpdir)

# ---- current with its source: signing again gives the committed bytes
sh "$top_srcdir/contrib/resign-zones.sh" "$top_srcdir" "$Z/again.signed" ||
	fail "contrib/resign-zones.sh"
if cmp -s "$SIGNED" "$Z/again.signed"; then
	ok "zones/example.org.zone.signed is what make resign-zones makes from its source"
else
	bad "zones/example.org.zone.signed is current (run make resign-zones)" \
		"$(diff "$SIGNED" "$Z/again.signed" | head -n 10)"
fi

out=$(ldns-verify-zone "$SIGNED" 2>&1)
expect_eq "ldns-verify-zone: every signature and the NSEC3 chain verify" "$?" 0

# Every expiration is 2038-01-01 and every inception before now (RFC 4034 section 3.1.5).
times=$(awk '$4 == "RRSIG" { print $9, $10 }' "$SIGNED" | sort -u)
expect_eq "every signature expires on 2038-01-01 and was made on 2026-01-01" "$times" \
	"20380101000000 20260101000000"
expect_ge "the signatures have more than a year to run" \
	"$(( ($(date -u -d '2038-01-01' +%s) - $(date +%s)) / 86400 ))" 365

out=$("$DUALNSD" --check "$SIGNED" 2>&1)
expect_eq "--check accepts it" "$?" 0
expect_match "--check: NSEC3 with RFC 9276 section 3.1's parameters" "$out" \
	'^example\.org\.: signed with NSEC3: hash algorithm 1, 0 iterations, salt -, no opt-out;'
expect_nomatch "--check: no warning (every RRset signed, nothing expires soon)" "$out" 'warning'

# ---- the truncation example
start_dualnsd "$SIGNED"
out=$(dig @127.0.0.1 -p "$PORT" +dnssec +bufsize=512 +ignore +norec example.org DNSKEY)
expect_eq "DNSKEY with DO at 512 bytes: TC=1 (RFC 4035 section 3.1.1)" "$(dig_flag "$out" tc)" 1
expect_eq "DNSKEY with DO at 512 bytes: no partial RRset" "$(dig_count "$out" ANSWER)" 0
out=$(dig @127.0.0.1 -p "$PORT" +dnssec +tcp +norec example.org DNSKEY)
expect_eq "DNSKEY over TCP: both keys" \
	"$(dig_section "$out" ANSWER | awk '$4 == "DNSKEY"' | wc -l)" 2
expect_eq "DNSKEY over TCP with DO: both keys' signatures (RFC 4035 section 3.1.1)" \
	"$(dig_section "$out" ANSWER | awk '$4 == "RRSIG" && $5 == "DNSKEY"' | wc -l)" 2
# 1218 bytes with DO: it fits the default EDNS size of 1232 over UDP.
out=$(dig @127.0.0.1 -p "$PORT" +dnssec +bufsize=1232 +ignore +norec example.org DNSKEY)
expect_eq "DNSKEY with DO at 1232 bytes: no TC" "$(dig_flag "$out" tc)" 0
expect_eq "DNSKEY with DO at 1232 bytes: keys and signatures" "$(dig_count "$out" ANSWER)" 4
out=$("$DUALQ" @127.0.0.1 -p "$PORT" +dnssec +bufsize=512 example.org DNSKEY 2>&1)
expect_eq "dualq: the answer after the TCP retry" "$?" 0
expect_match "dualq: it retried over TCP on the same port" "$out" 'retrying over tcp'
stop_dualnsd
