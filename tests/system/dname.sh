#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# dname.sh: DNAME redirection (RFC 6672) end to end. dualnsd --check names the file and
# line of each broken DNAME zone and warns about a looping one; then dualnsd serves
# tests/data/dn.test.zone and dnapex.test.zone, asked with dig over UDP and TCP, and with
# dualq, whose verdict judges the synthesized CNAME. differential.sh compares the same
# zones with NSD and Knot DNS.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"

DATA="$top_srcdir/tests/data"
Z=$(sys_tmpdir)
# Five lines: the records below start at line 6.
HEAD='$ORIGIN example.org.
$TTL 300
@ IN SOA ns hostmaster 1 7200 3600 1209600 300
@ IN NS ns
ns IN A 192.0.2.1'

# check_zone NAME CONTENT: writes $Z/NAME.zone and runs --check on it (out, status).
check_zone() {
	printf '%s\n' "$2" >"$Z/$1.zone"
	out=$("$DUALNSD" --check "$Z/$1.zone" 2>&1)
	status=$?
}

# broken NAME WHY MESSAGE CONTENT: --check exits 1, and MESSAGE (an ERE) is in its output.
broken() {
	check_zone "$1" "$4"
	expect_eq "--check $1.zone ($2): exit 1" "$status" 1
	expect_match "--check $1.zone ($2): the message names the file and line" "$out" "$3"
}

broken two "two DNAMEs at one name (RFC 6672 2.4)" \
	'two\.zone:7: a second DNAME for the same name \(line 6\)' "$HEAD
d IN DNAME a.example.
d IN DNAME b.example."
broken cname "a CNAME beside a DNAME (RFC 6672 2.4)" \
	'cname\.zone:7: CNAME beside a DNAME \(line 6\)' "$HEAD
d IN DNAME a.example.
d IN CNAME ns"
broken below "a record below a DNAME (RFC 6672 2.4)" \
	'below\.zone:7: a record below the DNAME of [^ ]*below\.zone:6' "$HEAD
d IN DNAME a.example.
x.d IN A 192.0.2.2"
broken apexbelow "a record below a DNAME at the apex (RFC 6672 2.4)" \
	'apexbelow\.zone:5: a record below the DNAME of [^ ]*apexbelow\.zone:6' "$HEAD
@ IN DNAME example.net."
broken ns "NS beside a DNAME below the apex (RFC 6672 2.3)" \
	'ns\.zone:7: DNAME beside NS \(line 6\) below the apex' "$HEAD
d IN NS ns.example.net.
d IN DNAME a.example."

# A DNAME into its own subtree loops: a warning with the line, and the zone loads.
check_zone loop "$HEAD
d IN DNAME x.d.example.org."
expect_eq "--check loop.zone (a DNAME into its own subtree): exit 0, it loads" "$status" 0
expect_match "--check loop.zone: a warning names the file and line" "$out" \
	'warning: .*loop\.zone:6: the DNAME.s target is at or below its own owner'

out=$("$DUALNSD" --check "$DATA/dn.test.zone" "$DATA/dnapex.test.zone" 2>&1)
expect_eq "--check on the DNAME test zones: exit 0" "$?" 0
expect_match "--check on the DNAME test zones: a DNAME at the apex beside SOA and NS loads (RFC 6672 2.3)" \
	"$out" 'dnapex\.test\.: .*: ok'

start_dualnsd "$DATA/dn.test.zone" "$DATA/dnapex.test.zone"

# types OUT: the types of the answer section in the order of the message.
types() {
	printf '%s\n' "$1" | awk '$0 == ";; ANSWER SECTION:" { on = 1; next }
		on && /^$/ { exit } on { printf "%s ", $4 }'
}

for tr in udp tcp; do
	w="[$tr]"
	extra=
	[ "$tr" = tcp ] && extra=+tcp

	# Below the owner: the DNAME, then the CNAME synthesized with the DNAME's TTL, then the
	# target's data, followed inside the zone (RFC 6672 sections 3.1 and 3.2).
	out=$(qdig "$PORT" $extra www.old.dn.test A)
	expect_eq "$w www.old A: NOERROR, AA (RFC 6672 3.2)" "$(dig_status "$out"):$(dig_flag "$out" aa)" NOERROR:1
	expect_eq "$w www.old A: DNAME, synthesized CNAME with the DNAME's TTL, the A (RFC 6672 3.1)" \
		"$(dig_section "$out" ANSWER | tr '\n' '|')" \
		"old.dn.test. 600 IN DNAME new.dn.test.|www.new.dn.test. 3600 IN A 192.0.2.6|www.old.dn.test. 600 IN CNAME www.new.dn.test.|"
	expect_eq "$w www.old A: in that order (RFC 6672 3.2 step 3c)" "$(types "$out")" "DNAME CNAME A "

	# The synthesized name is a CNAME: the chain goes on (RFC 1034 4.3.2 step 3a).
	out=$(qdig "$PORT" $extra alias.old.dn.test A)
	expect_eq "$w alias.old A: DNAME, CNAME, CNAME, A (RFC 6672 3.2, RFC 1034 4.3.2)" \
		"$(types "$out")" "DNAME CNAME CNAME A "

	# A CNAME query is answered by the synthesized CNAME.
	out=$(qdig "$PORT" $extra www.old.dn.test CNAME)
	expect_eq "$w www.old CNAME: the DNAME and the synthesized CNAME only" "$(types "$out")" "DNAME CNAME "

	# The synthesized name does not exist: NXDOMAIN for it, with the SOA (RFC 6604 3).
	out=$(qdig "$PORT" $extra nothing.old.dn.test A)
	expect_eq "$w nothing.old A: NXDOMAIN of the new name (RFC 6604 3)" "$(dig_status "$out")" NXDOMAIN
	expect_eq "$w nothing.old A: the DNAME and the CNAME still in the answer" "$(types "$out")" "DNAME CNAME "

	# Out of the zone: the resolver follows the CNAME.
	out=$(qdig "$PORT" $extra www.away.dn.test A)
	expect_eq "$w www.away A: DNAME and CNAME out of the zone, nothing more" \
		"$(dig_rrs "$out" ANSWER | tr '\n' '|')" \
		"away.dn.test. IN DNAME example.org.|www.away.dn.test. IN CNAME www.example.org.|"

	# The owner is not redirected (RFC 6672 2.3).
	out=$(qdig "$PORT" $extra old.dn.test TXT)
	expect_eq "$w old TXT: the owner's own data (RFC 6672 2.3)" "$(dig_rrs "$out" ANSWER)" \
		'old.dn.test. IN TXT "the owner of a DNAME is not redirected"'

	# A wildcard beside the DNAME answers beside it, never below the owner (RFC 6672 3.3).
	out=$(qdig "$PORT" $extra www.red.side.dn.test A)
	expect_eq "$w www.red.side A: the DNAME, not the wildcard beside it" "$(types "$out")" "DNAME CNAME A "
	out=$(qdig "$PORT" $extra www.side.dn.test TXT)
	expect_eq "$w www.side TXT: the wildcard" "$(dig_rrs "$out" ANSWER)" \
		'www.side.dn.test. IN TXT "wildcard beside a DNAME"'

	# Over 255 bytes: YXDOMAIN with the DNAME (RFC 6672 2.2); one byte less is synthesized.
	out=$(qdig "$PORT" $extra 0123456789abc.deep.dn.test A)
	expect_eq "$w 0123456789abc.deep A: YXDOMAIN, AA (RFC 6672 2.2)" \
		"$(dig_status "$out"):$(dig_flag "$out" aa)" YXDOMAIN:1
	expect_eq "$w 0123456789abc.deep A: the DNAME only (RFC 6672 2.2)" "$(types "$out")" "DNAME "
	out=$(qdig "$PORT" $extra 0123456789ab.deep.dn.test A)
	expect_eq "$w 0123456789ab.deep A: 255 bytes: synthesized (RFC 1035 2.3.4)" \
		"$(dig_status "$out"):$(types "$out")" "NOERROR:DNAME CNAME "

	# A cut above the DNAME: a referral (RFC 1034 4.3.2 step 3b).
	out=$(qdig "$PORT" $extra www.x.cut.dn.test A)
	expect_eq "$w www.x.cut A: a referral, AA=0 (RFC 1034 4.3.2 3b)" \
		"$(dig_status "$out"):$(dig_flag "$out" aa):$(dig_count "$out" ANSWER)" NOERROR:0:0
	expect_eq "$w www.x.cut A: the cut's NS (RFC 1034 4.3.2 3b)" "$(dig_rrs "$out" AUTHORITY)" \
		"cut.dn.test. IN NS ns.cut.dn.test."

	# A DNAME at the apex, beside the SOA and NS (RFC 6672 2.3).
	out=$(qdig "$PORT" $extra dnapex.test SOA)
	expect_eq "$w dnapex.test SOA: the apex answers for itself (RFC 6672 2.3)" "$(types "$out")" "SOA "
	out=$(qdig "$PORT" $extra www.new.dnapex.test A)
	expect_eq "$w www.new.dnapex.test A: redirected to the other zone, not followed there" \
		"$(dig_rrs "$out" ANSWER | tr '\n' '|')" \
		"dnapex.test. IN DNAME dn.test.|www.new.dnapex.test. IN CNAME www.new.dn.test.|"
done

# dualq shows the DNAME and the synthesized CNAME, and judges the CNAME against the DNAME.
out=$("$DUALQ" @127.0.0.1 -p "$PORT" www.old.dn.test A 2>&1)
expect_eq "dualq www.old.dn.test A: exit 0, every verdict passed" "$?" 0
expect_match "dualq www.old.dn.test A: the DNAME in the answer" "$out" \
	'^old\.dn\.test\.[[:space:]]+600[[:space:]]+IN[[:space:]]+DNAME[[:space:]]+new\.dn\.test\.$'
expect_match "dualq www.old.dn.test A: the synthesized CNAME in the answer" "$out" \
	'^www\.old\.dn\.test\.[[:space:]]+600[[:space:]]+IN[[:space:]]+CNAME[[:space:]]+www\.new\.dn\.test\.$'
expect_match "dualq www.old.dn.test A: the verdict on the synthesized CNAME (RFC 6672 3.1)" "$out" \
	'ok +RFC 6672 section 3\.1: udp answer: CNAME www\.old\.dn\.test\. -> www\.new\.dn\.test\. is the DNAME old\.dn\.test\. -> new\.dn\.test\. applied, with its TTL 600'
out=$("$DUALQ" @127.0.0.1 -p "$PORT" 0123456789abc.deep.dn.test A 2>&1)
expect_match "dualq 0123456789abc.deep.dn.test A: the verdict on YXDOMAIN (RFC 6672 2.2)" "$out" \
	'ok +RFC 6672 section 2\.2: udp answer YXDOMAIN: .* is 256 bytes, over 255'

stop_dualnsd
