#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/dnssec.sh: dualq +dnssec and +validate against NSD, Knot DNS and dualnsd
# serving a zone signed by ldns-signzone (NSEC and NSEC3): the RRSIG/NSEC/NSEC3 counts, the
# RFC 4035 section 3.1.1 verdict, and validation from a DS or DNSKEY anchor, secure and
# bogus (an altered record, a wrong anchor, expired signatures, missing or wrong proofs).
# Skipped without ldns-signzone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"

for tool in ldns-keygen ldns-signzone; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done
kinds=""
command -v nsd >/dev/null 2>&1 && kinds="$kinds nsd"
command -v knotd >/dev/null 2>&1 && kinds="$kinds knot"
[ -x "$DUALNSD" ] && kinds="$kinds dualnsd"
[ -n "$kinds" ] || skip "neither nsd, knotd nor dualnsd to serve the zone"
# DUALQ_DNSSEC_SERVERS: the servers to run against (a subset of "nsd knot dualnsd").
kinds=${DUALQ_DNSSEC_SERVERS:-$kinds}

zdir="$tmp/zones"
mkdir -p "$zdir"
cat >"$zdir/sec.test.zone" <<'ZONE'
$ORIGIN sec.test.
$TTL 300
@		SOA	ns1 admin 1 3600 900 604800 300
@		NS	ns1
ns1		A	127.0.0.1
www		A	192.0.2.1
www		AAAA	2001:db8::1
alias		CNAME	www
*.wild		A	192.0.2.77
dn		DNAME	other.test.
insecure	NS	ns.insecure
ns.insecure	A	192.0.2.54
child		NS	ns.child
ns.child	A	192.0.2.53
ZONE
# big.sec.test TXT: some 600 bytes, so that with its RRSIG it passes a 512-byte UDP limit.
line=$(printf '%0200d' 0)
printf 'big\tTXT\t"%s" "%s" "%s"\n' "$line" "$line" "$line" >>"$zdir/sec.test.zone"
(
	cd "$zdir" || exit 1
	ksk=$(ldns-keygen -a ECDSAP256SHA256 -k sec.test) &&
		zsk=$(ldns-keygen -a ECDSAP256SHA256 sec.test) &&
		child=$(ldns-keygen -a ECDSAP256SHA256 -k child.sec.test) &&
		other=$(ldns-keygen -a ECDSAP256SHA256 -k sec.test) || exit 1
	cat "$child.ds" >>sec.test.zone
	cp "$ksk.ds" ksk.ds && cp "$ksk.key" ksk.key && cp "$other.ds" wrong.ds || exit 1
	ldns-signzone -f nsec.zone sec.test.zone "$zsk" "$ksk" &&
		ldns-signzone -n -t 0 -f nsec3.zone sec.test.zone "$zsk" "$ksk" &&
		ldns-signzone -e 20200201000000 -i 20200101000000 -f expired.zone sec.test.zone "$zsk" "$ksk" ||
		exit 1
	# gone.sec.test: signed, then its A and that A's RRSIG deleted (its TXT kept), so its
	# NSEC (or NSEC3) is left saying A exists: a signed NODATA that proves nothing.
	{ cat sec.test.zone; printf 'gone\tA\t192.0.2.9\ngone\tTXT\t"kept"\n'; } >gone.src
	ldns-signzone -f gone-nsec.signed gone.src "$zsk" "$ksk" &&
		ldns-signzone -n -t 0 -f gone-nsec3.signed gone.src "$zsk" "$ksk" || exit 1
	for p in nsec nsec3; do
		grep -Ev '^gone\.sec\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+(A|RRSIG[[:space:]]+A )' \
			"gone-$p.signed" >"gone-$p.zone"
		grep -q '^gone\.sec\.test\..*NSEC' "gone-$p.zone" || grep -q 'NSEC3.* A ' "gone-$p.zone" || exit 1
	done
	# gone.sec.test with its only record, A, deleted after NSEC3 signing: NSD finds its
	# NSEC3 chain broken there and answers SERVFAIL.
	{ cat sec.test.zone; printf 'gone\tA\t192.0.2.9\n'; } >gone-a.src
	ldns-signzone -n -t 0 -f gone-a.signed gone-a.src "$zsk" "$ksk" || exit 1
	grep -Ev '^gone\.sec\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+(A|RRSIG[[:space:]]+A )' \
		gone-a.signed >servfail.zone
	# No denial records at all: the NSEC chain and its RRSIGs deleted.
	grep -Ev '[[:space:]](NSEC|RRSIG[[:space:]]+NSEC)[[:space:]]' nsec.zone >noproof.zone
	grep -Ev '[[:space:]](NSEC3|RRSIG[[:space:]]+NSEC3)[[:space:]]' nsec3.zone >noproof3.zone
	# One record altered after signing: www's A, its RRSIG left as it was.
	sed 's/^\(www\.sec\.test\.[[:space:]].*[[:space:]]A[[:space:]]*\)192\.0\.2\.1/\1192.0.2.99/' \
		nsec.zone >altered.zone
	grep -q '192\.0\.2\.99' altered.zone
) || { echo "FAIL: could not sign the test zone"; exit 1; }

# serve KIND ZONEFILE: NSD, Knot DNS or dualnsd serving sec.test (sets port and server_pid).
serve() {
	if [ "$1" = dualnsd ]; then
		[ -x "$DUALNSD" ] || skip "dualnsd not built"
		local rc=0
		dualnsd_start_free "$tmp" "sec.test=$2" || rc=$?
		port=$PORT
		server_pid=$DUALNSD_PID
		[ "$rc" -eq 0 ] && return 0
		cat "$DUALNSD_LOG"
		echo "FAIL: dualnsd does not serve $2 (start status $rc)"
		exit 1
	fi
	local attempt
	# A second start when the first did not answer in time: under a loaded parallel
	# make check a reference server has been seen to miss the deadline once.
	for attempt in 1 2; do
		ref_start_free "$1" "$tmp/$1-$(basename "$2" .zone)-$attempt" sec.test "$2" && break
		cat "$REF_LOG"
		[ -n "${REF_PID:-}" ] && stop_pid "$REF_PID"
		if [ "$attempt" = 2 ]; then
			echo "FAIL: $1 does not serve $2"
			exit 1
		fi
		echo "note: $1 did not answer for $2; starting it again"
	done
	port=$REF_PORT
	server_pid=$REF_PID
}

q() { "$DUALQ" @127.0.0.1 -p "$port" "$@"; }

# sig_verdict: the RFC 4035 section 3.1.1 verdicts of the JSON document, as a Python list.
sig_verdict='[v for v in d["verdicts"] if v["rfc"] == "RFC 4035 section 3.1.1"]'

# answers KIND PROOF: the counts and the signed-RRsets verdict for each answer kind, then
# +validate from the KSK's DS and from the KSK itself. PROOF is nsec or nsec3.
answers() {
	local kind=$1 proof=$2 other anchor
	[ "$proof" = nsec ] && other=nsec3 || other=nsec

	expect_rc 0 "$kind $proof: positive answer +dnssec" q www.sec.test A +dnssec +json
	json_check "$kind $proof: positive: RRSIGs counted, no denial records, every RRset signed" \
		'd["legs"][0]["dnssec"]["rrsig"] >= 1' \
		'd["legs"][0]["dnssec"]["nsec"] == d["legs"][0]["dnssec"]["nsec3"] == 0' \
		"len($sig_verdict) == 1 and all(v['ok'] and not v['note'] for v in $sig_verdict)"
	expect_rc 0 "$kind $proof: NXDOMAIN +dnssec" q nothere.sec.test A +dnssec +json
	json_check "$kind $proof: NXDOMAIN: the $proof records counted, none of the other kind" \
		'd["legs"][0]["rcode"] == "NXDOMAIN"' \
		'd["legs"][0]["dnssec"]["'"$proof"'"] >= 1 and d["legs"][0]["dnssec"]["'"$other"'"] == 0' \
		'd["legs"][0]["dnssec"]["rrsig"] >= 2' \
		"all(v['ok'] for v in $sig_verdict) and len($sig_verdict) == 1"
	expect_rc 0 "$kind $proof: NODATA +dnssec" q www.sec.test TXT +dnssec +json
	json_check "$kind $proof: NODATA: one $proof, SOA and proof signed" \
		'd["legs"][0]["rcode"] == "NOERROR" and d["answer"] == []' \
		'd["legs"][0]["dnssec"]["'"$proof"'"] >= 1' \
		"all(v['ok'] for v in $sig_verdict) and len($sig_verdict) == 1"
	expect_rc 0 "$kind $proof: referral with DS +dnssec" q a.child.sec.test A +dnssec +json
	json_check "$kind $proof: referral: the unsigned NS exempt, DS signed" \
		'"aa" not in d["legs"][0]["flags"]' \
		'any(r["type"] == "DS" for r in d["authority"])' \
		"len($sig_verdict) == 1 and $sig_verdict[0]['ok'] and 'exempt' in $sig_verdict[0]['check']"
	expect_rc 0 "$kind $proof: DNAME +dnssec" q x.dn.sec.test A +dnssec
	out_has "$kind $proof: DNAME: the synthesized CNAME exempt, the DNAME signed" \
		'ok    RFC 4035 section 3.1.1: udp answer: every RRset in answer and authority carries its RRSIG .*exempt'
	out_has "$kind $proof: the counts in the trace" \
		"^;; udp  dnssec: [1-9][0-9]* RRSIG, 0 NSEC, 0 NSEC3\$"

	for anchor in ksk.ds ksk.key; do
		for name in "www.sec.test A" "nothere.sec.test A" "www.sec.test TXT" \
			"a.child.sec.test A" "a.insecure.sec.test A" "x.dn.sec.test A" \
			"a.wild.sec.test A" "b.a.wild.sec.test A"; do
			# shellcheck disable=SC2086 # NAME TYPE as two words
			expect_rc 0 "$kind $proof: +validate $name from $anchor" \
				q $name +validate +anchor="$zdir/$anchor"
			out_has "$kind $proof: $name from $anchor: secure" '^;; validated: secure$'
		done
	done
	expect_rc 0 "$kind $proof: +validate +json" q nothere.sec.test A +validate +anchor="$zdir/ksk.ds" +json
	json_check "$kind $proof: json: validated, DO implied" \
		'd["validated"] == "secure" and d["legs"][0]["edns"]["do"] is True' \
		'any(v["rfc"] == "RFC 4035 section 5" and v["ok"] for v in d["verdicts"])'
}

zsk_tag=$(sed -n 's/.*RRSIG[[:space:]]*A [0-9]* [0-9]* [0-9]* [0-9]* [0-9]* \([0-9]*\) sec\.test\..*/\1/p' \
	"$zdir/nsec.zone" | head -1)
for kind in $kinds; do
	for proof in nsec nsec3; do
		serve "$kind" "$zdir/$proof.zone"
		answers "$kind" "$proof"
		stop_server
	done
	# Bogus answers: each names the signature or key and why (RFC 4035 section 5.3).
	serve "$kind" "$zdir/altered.zone"
	expect_rc 3 "$kind: an A record altered after signing" \
		q www.sec.test A +validate +anchor="$zdir/ksk.ds"
	out_has "$kind: altered: the RRset, the key tag and why" \
		"FAIL  RFC 4035 section 5: validation: www\.sec\.test\./A RRSIG key tag $zsk_tag: bogus signature"
	out_has "$kind: altered: bogus" '^;; validated: bogus'
	grep -q "www.sec.test./A RRSIG key tag $zsk_tag: bogus signature" "$tmp/err" ||
		{ echo "FAIL: $kind: altered: stderr does not name the failure"; failures=$((failures + 1)); }
	expect_rc 0 "$kind: the other RRsets of the altered zone still validate" \
		q www.sec.test AAAA +validate +anchor="$zdir/ksk.ds"
	expect_rc 3 "$kind: an anchor of another key" q www.sec.test AAAA +validate +anchor="$zdir/wrong.ds"
	out_has "$kind: wrong anchor: no matching key" \
		'FAIL  RFC 4035 section 5: validation: sec\.test\./DNSKEY: no matching key'
	stop_server
	serve "$kind" "$zdir/expired.zone"
	expect_rc 3 "$kind: signatures expired" q www.sec.test A +validate +anchor="$zdir/ksk.key"
	out_has "$kind: expired: named" 'FAIL  RFC 4035 section 5: validation: sec\.test\./DNSKEY RRSIG key tag [0-9]+: expired'
	stop_server
done

first=${kinds# }
first=${first%% *}
kind=$first

# Denials that do not prove: no NSEC at all, or an NSEC/NSEC3 that lists the type asked for.
serve "$first" "$zdir/noproof.zone"
expect_rc 3 "$first: NXDOMAIN without NSEC: missing proof" q nothere.sec.test A +validate +anchor="$zdir/ksk.ds"
out_has "$first: missing proof named" \
	'FAIL  RFC 4035 section 5: validation: nothere\.sec\.test\./A: missing proof: no NSEC or NSEC3'
expect_rc 3 "$first: a wildcard answer without NSEC" q a.wild.sec.test A +validate +anchor="$zdir/ksk.ds"
out_has "$first: missing wildcard proof named" \
	'FAIL  RFC 4035 section 5: validation: a\.wild\.sec\.test\./A: missing proof: a wildcard expansion'
stop_server
serve "$first" "$zdir/noproof3.zone"
expect_rc 3 "$first: a wildcard answer without NSEC3" q b.a.wild.sec.test A +validate +anchor="$zdir/ksk.ds"
out_has "$first: missing wildcard proof named (NSEC3)" \
	'FAIL  RFC 4035 section 5: validation: b\.a\.wild\.sec\.test\./A: missing proof: a wildcard expansion'
stop_server
for proof in nsec nsec3; do
	serve "$first" "$zdir/gone-$proof.zone"
	expect_rc 3 "$first $proof: a denial whose record lists the type" \
		q gone.sec.test A +validate +anchor="$zdir/ksk.ds"
	out_has "$first $proof: the proof named" \
		"FAIL  RFC 4035 section 5: validation: gone\\.sec\\.test\\./A: the ${proof^^} records do not prove it"
	stop_server
done

# An answer that is neither data nor a denial is not secure (NSD: SERVFAIL, see above).
if [[ " $kinds " == *" nsd "* ]]; then
	serve nsd "$zdir/servfail.zone"
	expect_rc 3 "nsd: SERVFAIL is not validated as secure" q gone.sec.test A +validate +anchor="$zdir/ksk.ds"
	out_has "nsd: SERVFAIL named" \
		'FAIL  RFC 4035 section 5: validation: gone\.sec\.test\./A: RCODE SERVFAIL: neither an answer nor a denial'
	stop_server
fi

# A record added to the signed zone without a signature: the verdict names the RRset; a
# zone never signed gets a note, not a failure; a truncated leg is not judged.
# (A CNAME to a signed name: its target's RRSIG makes the answer one of a signed zone,
# whatever the server adds to the authority section.)
{ cat "$zdir/nsec.zone"; printf 'extra.sec.test.\t300\tIN\tCNAME\twww.sec.test.\n'; } >"$zdir/unsigned-rr.zone"
serve "$kind" "$zdir/unsigned-rr.zone"
expect_rc 3 "$kind: an RRset without its RRSIG fails RFC 4035 section 3.1.1" q extra.sec.test A +dnssec
out_has "$kind: the unsigned RRset named" \
	'FAIL  RFC 4035 section 3.1.1: udp answer: 1 of [0-9]+ RRsets in answer and authority without their RRSIG: extra\.sec\.test\./CNAME'
expect_rc 3 "$kind: +validate names the missing signature" q extra.sec.test A +validate +anchor="$zdir/ksk.ds"
out_has "$kind: missing signature" 'validation: extra\.sec\.test\./CNAME: missing signature'
expect_rc 0 "$kind: a truncated leg is not judged" q big.sec.test TXT +dnssec +bufsize=512 +ignore
out_has "$kind: truncated: counted, not judged" '^;; udp  dnssec: .*\(truncated: not judged\)$'
if grep -q 'RFC 4035 section 3.1.1' "$tmp/out"; then
	echo "FAIL: $kind: the truncated leg was judged"
	failures=$((failures + 1))
fi
stop_server
serve "$kind" "$zdir/sec.test.zone"
expect_rc 0 "$kind: an unsigned zone with DO" q www.sec.test A +dnssec
out_has "$kind: unsigned zone: a note" 'note  RFC 4035 section 3.1.1: udp answer to DO carries no RRSIG at all'
stop_server

# Usage errors: +validate needs +anchor, the anchor file must hold DS or DNSKEY records.
expect_rc 1 "+validate without +anchor" "$DUALQ" @127.0.0.1 -p 1 www.sec.test +validate
grep -q '+anchor=FILE' "$tmp/err" || { echo "FAIL: the message does not name +anchor"; failures=$((failures + 1)); }
printf '; a comment\nsec.test. 300 IN A 192.0.2.1\n' >"$tmp/bad-anchor"
expect_rc 1 "an anchor that is not DS or DNSKEY" "$DUALQ" @127.0.0.1 -p 1 www.sec.test +validate +anchor="$tmp/bad-anchor"
grep -q "bad-anchor:2: a trust anchor is a DS or DNSKEY record" "$tmp/err" ||
	{ echo "FAIL: the message does not name the file and line"; cat "$tmp/err"; failures=$((failures + 1)); }
expect_rc 1 "an anchor file that does not exist" "$DUALQ" @127.0.0.1 -p 1 www.sec.test +validate +anchor="$tmp/none"
finish
