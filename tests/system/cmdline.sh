#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# cmdline.sh: dualnsd --check exit codes and messages (file:line), a zone that fails
# to load (its names get SERVFAIL while the other zones still answer), words an option
# would take by mistake, and what the startup line says.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"

Z=$(sys_tmpdir)
HEAD='$ORIGIN example.org.
$TTL 300
@ IN SOA ns hostmaster 1 7200 3600 1209600 300'

# Good zones: --check exits 0 and names each zone.
out=$("$DUALNSD" --check "$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone" 2>&1)
status=$?
expect_eq "--check on the bundled zones: exit 0" "$status" 0
expect_match "--check on the bundled zones: names example.com" "$out" 'example\.com'
expect_match "--check on the bundled zones: names example.net" "$out" 'example\.net'

# ORIGIN= gives the origin of a file without $ORIGIN (RFC 1035 5.1: names relative to it).
printf '%s\n' '$TTL 300' '@ IN SOA ns hostmaster 1 7200 3600 1209600 300' '@ IN NS ns' \
	'ns IN A 192.0.2.1' 'www IN A 192.0.2.2' >"$Z/noorigin.zone"
out=$("$DUALNSD" --check "example.org=$Z/noorigin.zone" 2>&1)
expect_eq "--check example.org=FILE without \$ORIGIN: exit 0" "$?" 0

# broken NAME LINE-OR-EMPTY WHY CONTENT: --check exits 1 and names file (and line).
broken() {
	local name=$1 line=$2 why=$3 file="$Z/$1.zone" out status
	printf '%s\n' "$4" >"$file"
	out=$("$DUALNSD" --check "$file" 2>&1)
	status=$?
	expect_eq "--check $name.zone ($why): exit 1" "$status" 1
	if [ -n "$line" ]; then
		expect_match "--check $name.zone ($why): the message names $name.zone:$line" "$out" "$name\\.zone:$line([^0-9]|\$)"
	else
		expect_match "--check $name.zone ($why): the message names the file" "$out" "$name\\.zone"
	fi
}

broken syntax 4 "bad A RDATA (RFC 1035 3.4.1)" "$HEAD
www IN A 999.1.1.1
@ IN NS ns
ns IN A 192.0.2.1"
broken cname "[67]" "CNAME beside other data (RFC 1034 3.6.2, RFC 2181 10.1)" "$HEAD
@ IN NS ns
ns IN A 192.0.2.1
www IN A 192.0.2.2
www IN CNAME ns"
broken outside 6 "data outside the zone (RFC 1034 4.2)" "$HEAD
@ IN NS ns
ns IN A 192.0.2.1
www.example.net. IN A 192.0.2.2"
broken nosoa "" "no SOA at the apex (RFC 1035 5.2)" '$ORIGIN example.org.
$TTL 300
@ IN NS ns
ns IN A 192.0.2.1'
broken nons "" "no NS at the apex (RFC 1035 5.2)" "$HEAD
ns IN A 192.0.2.1"
broken include 5 "\$INCLUDE of a missing file (RFC 1035 5.1)" "$HEAD
@ IN NS ns
\$INCLUDE missing.inc"
broken twosoa "" "two SOA records at the apex (RFC 1035 5.2)" "$HEAD
@ IN SOA ns hostmaster 2 7200 3600 1209600 300
@ IN NS ns
ns IN A 192.0.2.1"

# ---- errors name the field that is wrong, with its column (file:line:col), where ldns
# alone says "could not parse the RR's rdata" for all of them.
# field NAME LINE:COL WANT-ERE RECORD: --check exits 1, naming file:line:col and WANT.
field() {
	local name=$1 where=$2 want=$3 file="$Z/$1.zone" out status
	printf '%s\n' "$HEAD" '@ IN NS ns' 'ns IN A 192.0.2.1' "$4" >"$file"
	out=$("$DUALNSD" --check "$file" 2>&1)
	status=$?
	expect_eq "--check $name.zone: exit 1" "$status" 1
	expect_match "--check $name.zone: names $name.zone:$where and the field" "$out" \
		"$name\\.zone:$where: .*$want"
}
field badaddr 6:10 "'www IN A 1\\.2\\.3': not an IPv4 address" 'www IN A 1.2.3'
field badtype 6:8 "unknown type 'AAA'" 'www IN AAA 2001:db8::1'
field badttl 6:5 "bad TTL '30x'" 'www 30x IN A 192.0.2.2'
field badclass 6:5 "bad class 'CLASSX'" 'www CLASSX A 192.0.2.2'
field badmx 6:11 "MX field 1, 'ten': not a number" 'www IN MX ten mail'

# ---- TTLs (RFC 2181 section 8): above 2^32-1 is rejected, never wrapped around;
# from 2^31 to 2^32-1 loads with a warning and is served as 2^31-1. $TTL alike.
field bigttl 6:5 'TTL 99999999999 is above 4294967295' 'www 99999999999 IN A 192.0.2.2'
printf '%s\n' '$ORIGIN example.org.' '$TTL 99999999999' '@ IN SOA ns hostmaster 1 7200 3600 1209600 300' \
	'@ IN NS ns' 'ns IN A 192.0.2.1' >"$Z/bigdefault.zone"
out=$("$DUALNSD" --check "$Z/bigdefault.zone" 2>&1)
expect_eq "--check with \$TTL above 2^32-1: exit 1" "$?" 1
expect_match "--check with \$TTL above 2^32-1: names file:line:col" "$out" \
	"bigdefault\\.zone:2:6: '\\\$TTL 99999999999': TTL 99999999999 is above 4294967295"
expect_match "--check with \$TTL above 2^32-1: the zone is failed" "$out" 'bigdefault\.zone: failed$'
printf '%s\n' '$ORIGIN example.org.' '$TTL 3000000000' '@ IN SOA ns hostmaster 1 7200 3600 1209600 300' \
	'@ IN NS ns' 'ns IN A 192.0.2.1' 'www 4294967295 IN A 192.0.2.2' >"$Z/capped.zone"
out=$("$DUALNSD" --check "$Z/capped.zone" 2>&1)
expect_eq "--check with TTLs from 2^31 to 2^32-1: exit 0" "$?" 0
expect_match "--check with \$TTL 3000000000: a warning with file:line:col" "$out" \
	"warning: .*capped\\.zone:2:6: .*TTL 3000000000 is above 2147483647: served as 2147483647 \\(RFC 2181 section 8\\)"
expect_match "--check with a record TTL 4294967295: a warning with file:line:col" "$out" \
	"warning: .*capped\\.zone:6:5: .*TTL 4294967295 is above 2147483647"
expect_match "--check with TTLs from 2^31 to 2^32-1: the zone is ok" "$out" 'capped\.zone: .*: ok$'

# ---- no silent root zone: without an origin a relative SOA owner is an error that says
# how to give the origin; the root is served only when asked for.
printf '%s\n' '$TTL 300' '@ IN SOA ns hostmaster 1 7200 3600 1209600 300' '@ IN NS ns' \
	'ns IN A 192.0.2.1' >"$Z/example.org.zone"
out=$("$DUALNSD" --check "$Z/example.org.zone" 2>&1)
expect_eq "--check of a relative SOA owner without an origin: exit 1" "$?" 1
expect_match "--check of a relative SOA owner without an origin: file, line and how to give it" "$out" \
	"example\\.org\\.zone:2:1: .*would make this the root zone: add \\\$ORIGIN example\\.org\\. or give example\\.org=.*example\\.org\\.zone"
expect_nomatch "--check of a relative SOA owner without an origin: no root zone" "$out" '^\.: '
out=$("$DUALNSD" --check ".=$Z/example.org.zone" 2>&1)
expect_eq "--check .=FILE: the root zone, asked for: exit 0" "$?" 0
expect_match "--check .=FILE: the root zone" "$out" '^\.: .*: ok$'

# One broken zone among good ones: --check still exits 1.
"$DUALNSD" --check "$top_srcdir/zones/example.net.zone" "$Z/cname.zone" >/dev/null 2>&1
expect_eq "--check with one good and one broken zone: exit 1" "$?" 1
# A file that does not exist: a "failed" line like any other failure.
out=$("$DUALNSD" --check "$Z/does-not-exist.zone" 2>&1)
expect_eq "--check on a missing file: exit 1" "$?" 1
expect_match "--check on a missing file: names it" "$out" 'does-not-exist\.zone'
out=$("$DUALNSD" --check "$top_srcdir/zones/example.net.zone" "$Z/does-not-exist.zone" 2>/dev/null)
expect_match "--check on a missing file: its summary line says failed" "$out" \
	"^\(no origin\): $Z/does-not-exist\.zone: failed\$"
expect_match "--check on a missing file: the good zone's line is there too" "$out" \
	'^example\.net\.: .*: ok$'
# --check serves nothing, and says nothing about serving (without zone arguments it
# checks the default folder).
out=$("$DUALNSD" --check 2>&1)
expect_nomatch "--check without zone arguments: nothing says serving" "$out" 'serving'
expect_match "--check without zone arguments: says which folder it checks" "$out" \
	'no zone arguments: checking the zones in '
out=$("$DUALNSD" --check "$top_srcdir/zones/example.net.zone" "$Z/cname.zone" 2>&1)
expect_nomatch "--check with a broken zone: nothing says serving" "$out" 'serving'

# ---- a TTL from 2^31 to 2^32-1 is served as 2^31-1 (RFC 2181 section 8).
start_dualnsd "$Z/capped.zone"
expect_eq "a record TTL of 4294967295 is served as 2147483647 (RFC 2181 section 8)" \
	"$(qdig "$PORT" www.example.org A +noall +answer | awk '{ print $2 }')" 2147483647
expect_eq "a \$TTL of 3000000000 is served as 2147483647 (RFC 2181 section 8)" \
	"$(qdig "$PORT" ns.example.org A +noall +answer | awk '{ print $2 }')" 2147483647
stop_dualnsd

# ---- serving: the broken zone's names get SERVFAIL (RFC 1035 4.1.1: the server cannot
# answer them), the other zones answer, and the log names the file and line.
start_dualnsd "$top_srcdir/zones/example.net.zone" "example.org=$Z/cname.zone"
out=$(qdig "$PORT" www.example.org A)
expect_eq "www.example.org A from a zone that failed to load: SERVFAIL (RFC 1035 4.1.1)" \
	"$(dig_status "$out")" SERVFAIL
out=$(qdig "$PORT" example.org SOA)
expect_eq "example.org SOA from a zone that failed to load: SERVFAIL, not REFUSED (tests/conformance.md: Negative answers)" \
	"$(dig_status "$out")" SERVFAIL
out=$(qdig "$PORT" www.example.net A)
expect_eq "www.example.net A: the good zone still answers, NOERROR AA=1 (RFC 1034 4.3.2)" \
	"$(dig_status "$out"):$(dig_flag "$out" aa):$(dig_count "$out" ANSWER)" NOERROR:1:1
out=$(qdig "$PORT" www.example.com A)
expect_eq "www.example.com A: not served at all, REFUSED (RFC 1035 4.1.1)" "$(dig_status "$out")" REFUSED
expect_match "the log names the broken file and line" "$(cat "$DUALNSD_LOG")" 'cname\.zone:[67]'
expect_nomatch "without --force-tc the startup line does not mention it" \
	"$(grep 'serving' "$DUALNSD_LOG")" 'force-tc'
stop_dualnsd

# ---- a word an option would take by mistake is refused, with a line saying what to write,
# before any zone is loaded or port bound (tests/conformance.md, "Command line and logs").
# getopt joins an optional value only with '=': "--force-tc 3" would serve "3" as a zone.
NET_ZONE="$top_srcdir/zones/example.net.zone"
port=$(free_port)
out=$(timeout 10 "$DUALNSD" -p "$port" -l 127.0.0.1 --force-tc 3 "$NET_ZONE" 2>&1)
expect_eq "--force-tc 3 ZONEFILE: exit 1, not '3' loaded as a zone file" "$?" 1
expect_eq "--force-tc 3 ZONEFILE: one line saying to write --force-tc=3" "$out" \
	"dualnsd: '3' is not a zone file: to answer every 3rd UDP query with TC=1 write --force-tc=3"
# --nsid takes the next word as its text: here the only zone, so the server would serve
# the default zones instead.
out=$(timeout 10 "$DUALNSD" -p "$port" -l 127.0.0.1 --nsid "$NET_ZONE" 2>&1)
expect_eq "--nsid ZONEFILE: exit 1, not the default zones served" "$?" 1
expect_match "--nsid ZONEFILE: one line naming the file the option took and what to write" \
	"$out" "^dualnsd: --nsid took '[^']*example\.net\.zone' as its text, which names a zone file; write --nsid=TEXT [^ ]*example\.net\.zone to serve it"
expect_eq "--nsid ZONEFILE: one line" "$(printf '%s\n' "$out" | wc -l)" 1

# ---- the startup line says when --force-tc is on, after the part scripts wait for.
start_dualnsd --force-tc=3 "$NET_ZONE"
expect_match "--force-tc=3: the startup line says every 3rd UDP answer is truncated" \
	"$(cat "$DUALNSD_LOG")" \
	"^dualnsd: serving 1 zone on 127\.0\.0\.1 port $PORT \(udp\+tcp\), force-tc: every 3rd UDP answer truncated\$"
stop_dualnsd
start_dualnsd --force-tc --workers 2 "$NET_ZONE"
expect_match "--force-tc: the startup line says every UDP answer is truncated" \
	"$(cat "$DUALNSD_LOG")" \
	"^dualnsd: serving 1 zone on 127\.0\.0\.1 port $PORT \(udp\+tcp\), 2 workers, force-tc: every UDP answer truncated\$"
stop_dualnsd

# ---- nothing to serve: when no zone at all loads at startup, dualnsd exits 1 with the
# reasons instead of serving nothing (dualnsd(8), EXIT STATUS).
# no_zone WHAT WANT-ERE ARGS...: dualnsd ARGS must exit 1 before serving, saying why.
no_zone() {
	local what=$1 want=$2 out status
	shift 2
	out=$(timeout 10 "$DUALNSD" -p "$(free_port)" -l 127.0.0.1 "$@" 2>&1)
	status=$?
	expect_eq "$what: exit 1" "$status" 1
	expect_match "$what: says why" "$out" "$want"
	expect_match "$what: says nothing could be loaded" "$out" \
		'error: no zone could be loaded: nothing to serve'
	expect_nomatch "$what: never says it serves" "$out" 'serving [0-9]+ zones? on'
}
no_zone "only a missing zone file" "$Z/typo\\.zone: cannot read: No such file" "$Z/typo.zone"
no_zone "only a broken zone file" 'cname\.zone:[67]' "$Z/cname.zone"
no_zone "a missing and a broken zone file" "$Z/typo\\.zone: cannot read" "$Z/typo.zone" \
	"example.org=$Z/cname.zone"

# Without privilege a port under 1024 cannot be bound: the one-line error names the
# address and port and suggests -p 5353 (tests/conformance.md, "Transport").
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
	[ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 1024)" -gt 53 ]; then
	# The zone must load as that user, or dualnsd stops before binding (nothing to
	# serve): a copy it can read, since the source tree may sit in a private folder.
	open_dir=$(mktemp -d)
	chmod 755 "$open_dir"
	install -m 644 "$top_srcdir/zones/example.net.zone" "$open_dir/example.net.zone"
	out=$(timeout 5 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$DUALNSD" -p 53 -l 127.0.0.1 "$open_dir/example.net.zone" 2>&1)
	status=$?
	rm -rf "$open_dir"
	expect_eq "unprivileged bind of port 53: exit 1" "$status" 1
	expect_match "unprivileged bind of port 53: names the address and port" "$out" '127\.0\.0\.1 port 53'
	expect_match "unprivileged bind of port 53: suggests -p 5353" "$out" '-p 5353'
else
	note "not root, no setpriv, or low ports open to all: the unprivileged bind hint is not tested"
fi
