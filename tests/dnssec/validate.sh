#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# validate.sh: every kind of answer from a signed zone validates. The zone
# (tests/dnssec/signed.sh: NSEC, NSEC3, NSEC3 with opt-out) is served by dualnsd and, as
# the control that proves the harness, by NSD; each case is validated by BIND's delv
# (trust anchor: the zone's KSK) and by ldns's drill chasing the signatures (-S, the same
# key). A case passes when delv says "fully validated" (or "negative response, fully
# validated") and reports no broken chain, and drill says "Chase successful"
# (RFC 4035 sections 3.1 and 5, RFC 5155 sections 7.2 and 8).
#
# DNSSEC_SUBJECT=nsd|knot validates a reference's answers in place of dualnsd's.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/dnssec/signed.sh" || exit 99

need_tool delv "apt-get install bind9-dnsutils"
need_tool drill "apt-get install ldnsutils"
need_tool nsd "apt-get install nsd"
signed_need_tools
SUBJECT_NAME=${DNSSEC_SUBJECT:-dualnsd}

KEYS=$(sys_tmpdir)
signed_make "$KEYS"

# NAME TYPE WHAT [TAG,...]: one of each answer kind. The tags, each for every signed zone
# or with @KIND for one:
#   nodrill    drill -S cannot chase this answer, from any server, so only delv judges
#              it: the CNAME synthesized from a DNAME is unsigned (RFC 6672 section 5.3.1),
#              which drill rejects; and drill wants a wildcard proof for a NODATA at an
#              empty non-terminal, or a matching NSEC3 where opt-out left none
#   optout     a wildcard answer in a zone signed with opt-out: the NSEC3 covering the next
#              closer name has the opt-out flag, so delv rightly calls it insecure
#              ("unsigned answer"; RFC 5155 sections 6 and 8.8); that counts as a pass
#   nsdbug     NSD's answer is wrong here (tests/dnssec/differential.sh: the DS NODATA of
#              an empty non-terminal without NSEC3 lacks the next closer's NSEC3, RFC 5155
#              section 7.2.4): the control must fail, the subject must pass
CASES=$(cat <<'EOF2'
www.signed.test A positive
signed.test DNSKEY apex-dnskey
signed.test MX apex-mx
alias.signed.test A cname-chain
towild.signed.test A cname-to-wildcard optout@optout,optout@bindoptout
dangling.signed.test A cname-to-nxdomain
host.wild.signed.test A wildcard optout@optout,optout@bindoptout
host.wild.signed.test MX wildcard-nodata
nothere.signed.test A nxdomain
a.b.nothere.signed.test TXT nxdomain-deep
www.signed.test MX nodata
y.z.signed.test A ent-nodata
optent.signed.test A optout-ent-nodata nodrill@nsec,nodrill@bindoptout
optent.signed.test DS optout-ent-ds-nodata nodrill@nsec,nodrill@bindoptout,nsdbug@bindoptout
insecure.signed.test DS insecure-cut-ds-nodata
unglued.signed.test DS insecure-cut-ds-nodata-no-glue
www.old.signed.test A dname nodrill
secure.signed.test DS secure-referral-ds
EOF2
)

# delv_ok OUT [optout]: delv validated the answer, positive or negative, and saw nothing
# broken; with optout an insecure ("unsigned answer") result passes too.
delv_ok() {
	local good='^; (negative response, )?fully validated'
	[ "${2:-}" = optout ] && good='^; ((negative response, )?fully validated|unsigned answer)'
	printf '%s\n' "$1" | grep -Eq "$good" || return 1
	! printf '%s\n' "$1" | grep -Eqi 'broken trust chain|no valid|insecurity proof failed|bogus|not validated|timed out|resolution failed: [^n]'
}

# drill_ok OUT: drill chased every signature up to the trusted key.
drill_ok() {
	printf '%s\n' "$1" | grep -q '^;; Chase successful' &&
		! printf '%s\n' "$1" | grep -Eqi 'chase failed|bogus|no trusted keys'
}

# tagged TAGS TAG KIND: TAGS (comma-separated) hold TAG, for every zone or for KIND.
tagged() {
	case ",$1," in *",$2,"* | *",$2@$3,"*) return 0 ;; esac
	return 1
}

# verdict WHO WHAT PASSED EXPECT DETAIL...: EXPECT is pass, or fail for NSD's known mistake.
verdict() {
	local who=$1 what=$2 passed=$3 expect=$4
	shift 4
	if [ "$expect" = fail ]; then
		what="$what fails (NSD's known mistake, RFC 5155 section 7.2.4)"
		[ "$passed" = 1 ] && passed=0 || passed=1
	fi
	if [ "$passed" = 1 ]; then
		ok "$who $what"
	else
		bad "$who $what" "$@"
	fi
}

# check WHO PORT KIND: every case against one server.
check() {
	local who=$1 port=$2 kind=$3 name type what tags out mode expect passed
	while read -r name type what tags; do
		mode='' expect=pass
		tagged "$tags" optout "$kind" && mode=optout
		[ "$who" = NSD ] && tagged "$tags" nsdbug "$kind" && expect=fail
		out=$(delv @127.0.0.1 -p "$port" -a "$KEYS/anchor.conf" +root=signed.test \
			"$name" "$type" 2>&1)
		passed=0
		delv_ok "$out" "$mode" && passed=1
		verdict "$who" "$kind: $what ($name $type) validates with delv" "$passed" "$expect" \
			"query: delv @127.0.0.1 -p $port -a anchor.conf +root=signed.test $name $type" \
			"got:" "$(printf '%s\n' "$out" | sed 's/^/      /' | head -n 20)"
		tagged "$tags" nodrill "$kind" && continue
		out=$(drill -S -k "$KEYS/anchor.key" -p "$port" @127.0.0.1 "$name" "$type" 2>&1)
		passed=0
		drill_ok "$out" && passed=1
		verdict "$who" "$kind: $what ($name $type) validates with drill -S" "$passed" \
			"$expect" "query: drill -S -k anchor.key -p $port @127.0.0.1 $name $type" \
			"got:" "$(printf '%s\n' "$out" | sed 's/^/      /' | tail -n 20)"
	done <<<"$CASES"
}

# Both servers are checked at once, each into its own file (a background job cannot count
# failures for this shell: its "not ok" lines are counted after).
for kind in $SIGNED_KINDS; do
	zone=$KEYS/$kind.zone
	start_nsd "$zone" signed.test
	case $SUBJECT_NAME in
		nsd) SUBJECT=$NSD_PORT ;;
		knot) start_knot "$zone" signed.test; SUBJECT=$KNOT_PORT ;;
		*) start_dualnsd --rrl-rate 0 "signed.test=$zone"; SUBJECT=$PORT ;;
	esac
	check NSD "$NSD_PORT" "$kind" >"$KEYS/$kind.control" 2>&1 &
	p1=$!
	check "$SUBJECT_NAME" "$SUBJECT" "$kind" >"$KEYS/$kind.subject" 2>&1 &
	p2=$!
	wait "$p1" "$p2" || true
	for f in "$KEYS/$kind.control" "$KEYS/$kind.subject"; do
		cat "$f"
		SYS_FAILS=$((SYS_FAILS + $(grep -c '^not ok' "$f")))
	done
	stop_pid "$NSD_PID"
	case $SUBJECT_NAME in
		knot) stop_pid "$KNOT_PID" ;;
		dualnsd) stop_pid "$DUALNSD_PID" ;;
	esac
done
