#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# signedcheck.sh: what dualnsd says of a signed zone's state, for zones signed here by
# ldns-signzone: --check names the denial kind (NSEC, NSEC3 with its parameters, and the
# RFC 9276 section 3.1 warning), RRsets without signatures, and signatures expired,
# expiring within 7 days or not valid yet (RFC 4034 section 3.1.5); each zone still loads, as with NSD
# (nsd-checkzone accepts the same files). A running dualnsd logs the warnings once per
# zone version: at startup, again after a reload that changed the zone, not for one kept.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool ldns-signzone "apt-get install ldnsutils"
need_tool ldns-keygen "apt-get install ldnsutils"

Z=$(sys_tmpdir)
cat >"$Z/signed.test.zone" <<'EOZ'
$ORIGIN signed.test.
$TTL 300
@       IN SOA ns hostmaster 1 7200 3600 1209600 300
@       IN NS  ns
ns      IN A   192.0.2.1
www     IN A   192.0.2.2
*.wild  IN TXT "wild"
sub     IN NS  ns.sub
ns.sub  IN A   192.0.2.3
EOZ
# ECDSA P-256: quick to make, and a zone signer's common choice.
key=$(cd "$Z" && ldns-keygen -a ECDSAP256SHA256 signed.test.) || fail "ldns-keygen"
now=$(date +%s)
day=86400

# sign NAME ARGS...: $Z/NAME.signed from the source, signed with ARGS (ldns-signzone's).
sign() {
	local name=$1
	shift
	ldns-signzone "$@" -f "$Z/$name.signed" "$Z/signed.test.zone" "$Z/$key" ||
		fail "ldns-signzone $* for $name"
}

# check NAME: --check of $Z/NAME.signed into out and status.
check() {
	out=$("$DUALNSD" --check "$Z/$1.signed" 2>&1)
	status=$?
}

# loads NAME WHY: --check exits 0 for NAME (a warning never refuses a zone).
loads() {
	check "$1"
	expect_eq "--check $1: the zone loads ($2)" "$status" 0
	expect_match "--check $1: its summary line says ok" "$out" \
		"^signed\.test\.: $Z/$1\.signed: serial 1, .*: ok$"
}

sign far -i $((now - day)) -e $((now + 300 * day))
loads far "signatures valid for 300 days"
expect_match "far: NSEC, and how many signatures" "$out" \
	'^signed\.test\.: signed with NSEC, [0-9]+ signatures$'
expect_nomatch "far: no warning for signatures valid 300 more days" "$out" 'warning'

sign expired -i $((now - 20 * day)) -e $((now - 10 * day))
loads expired "expired signatures are a warning, RFC 4034 section 3.1.5"
expect_match "expired: the warning counts the expired signatures and names the first" \
	"$out" '^signed\.test\.: warning: [0-9]+ signatures expired \(RFC 4034 section 3\.1\.5\): [^ ]+\.signed\.test\. [A-Z]+ \([0-9-]+ [0-9:]+\)'
expect_nomatch "expired: not also counted as expiring soon" "$out" 'within 7 days'

sign soon -i $((now - day)) -e $((now + 3 * day))
loads soon "signatures that expire in 3 days"
expect_match "soon: warning for signatures expiring within 7 days" "$out" \
	'^signed\.test\.: warning: [0-9]+ signatures expire within 7 days: '
expect_nomatch "soon: nothing has expired yet" "$out" 'expired'

sign future -i $((now + 2 * day)) -e $((now + 300 * day))
loads future "signatures made with a clock two days ahead"
expect_match "future: their inception is still to come (RFC 4034 section 3.1.5)" "$out" \
	'^signed\.test\.: warning: [0-9]+ signatures not valid yet, the inception to come \(RFC 4034 section 3\.1\.5\): '

sign nsec3 -n -t 0 -i $((now - day)) -e $((now + 300 * day))
loads nsec3 "NSEC3, 0 iterations, empty salt"
expect_match "nsec3: hash algorithm, iterations, salt and opt-out (RFC 5155 section 4)" "$out" \
	'^signed\.test\.: signed with NSEC3: hash algorithm 1, 0 iterations, salt -, no opt-out; [0-9]+ signatures$'
expect_nomatch "nsec3: RFC 9276 section 3.1's parameters get no warning" "$out" 'warning'

sign salted -n -t 5 -s abcd -p -i $((now - day)) -e $((now + 300 * day))
loads salted "NSEC3 with 5 iterations, a salt and opt-out"
expect_match "salted: its parameters, opt-out from the NSEC3 flags (RFC 5155 section 3.1.2.1)" \
	"$out" '^signed\.test\.: signed with NSEC3: hash algorithm 1, 5 iterations, salt abcd, opt-out;'
expect_match "salted: extra iterations and a salt are against RFC 9276 section 3.1" "$out" \
	'^signed\.test\.: warning: NSEC3 with 5 iterations and salt abcd: RFC 9276 section 3\.1'

# An RRset added after signing, and the delegation's NS and glue that are never signed
# (RFC 4035 section 2.2): only the first is counted.
cp "$Z/far.signed" "$Z/late.signed"
echo 'late.signed.test. 300 IN TXT "added after signing"' >>"$Z/late.signed"
loads late "an unsigned RRset is a warning"
expect_match "late: the RRset added after signing, and only it (RFC 4035 section 2.2)" "$out" \
	'^signed\.test\.: warning: 1 RRset without signatures \(RFC 4035 section 2\.2\): late\.signed\.test\. TXT$'

cp "$Z/signed.test.zone" "$Z/plain.signed"
loads plain "an unsigned zone"
expect_match "plain: an unsigned zone is said to be so" "$out" '^signed\.test\.: unsigned$'

# NSD loads the same zones (its checker says nothing of signatures' times).
if command -v nsd-checkzone >/dev/null 2>&1; then
	expect_eq "nsd-checkzone also accepts the zone with expired signatures" \
		"$(nsd-checkzone signed.test "$Z/expired.signed" >/dev/null 2>&1; echo $?)" 0
fi

# ---- the log: the warnings once per zone version
cp "$Z/expired.signed" "$Z/served.signed"
start_dualnsd "$Z/served.signed"
warned() { grep -c 'zone signed\.test\.: [0-9]* signatures expired' "$DUALNSD_LOG"; }
expect_eq "startup logs the expired signatures once" "$(warned)" 1
sys_hup
expect_eq "a reload that keeps the zone does not log them again" "$(warned)" 1
# The same signed data with one more record: a new version of the zone.
echo 'late.signed.test. 300 IN TXT "added after signing"' >>"$Z/served.signed"
sys_hup
expect_eq "a reload that loads a new version logs them again" "$(warned)" 2
expect_match "and the new version's unsigned RRset" "$(cat "$DUALNSD_LOG")" \
	'zone signed\.test\.: 1 RRset without signatures \(RFC 4035 section 2\.2\): late\.signed\.test\. TXT'
stop_dualnsd
