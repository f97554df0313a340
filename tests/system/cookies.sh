#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# cookies.sh: DNS Cookies (RFC 7873) with RFC 9018 server cookies, end to end: dig and kdig
# against dualnsd, --require-cookie over UDP and TCP, the secret file and its rollover on
# SIGHUP, the counters; then interoperability with one shared secret (RFC 9018 section 1):
# NSD, Knot and BIND each accept the server cookies dualnsd mints for 127.0.0.1, and
# dualnsd accepts theirs.
#
# What each server shows about a cookie it is sent (found with these versions: NSD 4.6.1,
# Knot 3.2, BIND 9.18):
# - dualnsd --require-cookie, BIND `require-server-cookie yes;` and Knot's mod-cookies:
#   NOERROR for a valid server cookie, BADCOOKIE for a forged one (UDP). Knot's
#   mod-cookies also answers BADCOOKIE to a client cookie alone.
# - NSD has no such option: it answers every cookie normally. It sends back a valid
#   server cookie younger than half an hour as it is (RFC 9018 section 4.3) and a new one
#   (the current time) for any other, so a cookie minted in an earlier second comes back
#   unchanged only when NSD judged it valid.
# All four mint byte-identical cookies for the same client cookie, address and second.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
ZONE="$top_srcdir/zones/example.com.zone"
SECRET=e5e973e5a6b2a43f48e7dc849e37bfcf
OTHER=445536bcd2513298075a5d379663c962
CC=0102030405060708

# cookie_of OUT: the COOKIE dig or kdig printed (client + server cookie, lowercase hex).
cookie_of() {
	printf '%s\n' "$1" | sed -n 's/.*COOKIE: \([0-9A-Fa-f]*\).*/\1/p' | head -n 1 |
		tr 'A-F' 'a-f'
}

# ask PORT COOKIE [ARGS...]: dig sending COOKIE (+cookie=HEX), never retrying on BADCOOKIE.
ask() {
	local port=$1 cookie=$2
	shift 2
	qdig "$port" +cookie="$cookie" +nobadcookie "$@" www.example.com A
}

# --- dig +cookie and kdig +cookie against dualnsd, cookies not required.
start_dualnsd --cookie-secret "$SECRET" -q "$ZONE"
expect_match "the start line says where the secret came from" "$(cat "$DUALNSD_LOG")" \
	'cookies: secret from the command line, 1 accepted'
out=$(qdig "$PORT" +cookie www.example.com A)
c=$(cookie_of "$out")
expect_eq "a client cookie alone is answered (RFC 7873 section 5.2.3)" "$(dig_status "$out")" NOERROR
expect_match "the answer's COOKIE: client cookie + 16-byte server cookie of version 1 (RFC 9018 section 4)" \
	"$c" '^[0-9a-f]{16}01000000[0-9a-f]{24}$'
out=$(ask "$PORT" "$c")
expect_eq "a young valid server cookie comes back as it is (RFC 9018 section 4.3)" "$(cookie_of "$out")" "$c"
forged=${c:0:16}01000000${c:24:8}0000000000000000
out=$(ask "$PORT" "$forged")
expect_eq "a forged server cookie is answered normally without --require-cookie (RFC 7873 section 5.2.4)" \
	"$(dig_status "$out")" NOERROR
expect_match "... with a fresh server cookie" "$(cookie_of "$out")" "^${c:0:16}01000000"
expect_ne "... not the forged one" "$(cookie_of "$out")" "$forged"
out=$(qdig "$PORT" +nocookie www.example.com A)
expect_nomatch "no COOKIE in the answer to a query without one" "$out" 'COOKIE:'
out=$(qdig "$PORT" +noedns www.example.com A)
expect_nomatch "no COOKIE without EDNS" "$out" 'COOKIE:'
if command -v kdig >/dev/null 2>&1; then
	out=$(qkdig "$PORT" +cookie www.example.com A)
	expect_eq "kdig +cookie: NOERROR" "$(dig_status "$out")" NOERROR
	expect_match "kdig +cookie: a version 1 server cookie" "$(cookie_of "$out")" \
		'^[0-9a-f]{16}01000000[0-9a-f]{24}$'
else
	note "kdig not found: the kdig checks are skipped"
fi
out=$(qdig "$PORT" +short CH TXT stats.dualns)
expect_match "stats.dualns. counts valid server cookies" "$out" '"cookie-valid=1"'
expect_match "stats.dualns. counts bad server cookies" "$out" '"cookie-bad=1"'
expect_match "stats.dualns. counts BADCOOKIE answers" "$out" '"badcookie=0"'
stop_dualnsd

# --- --require-cookie: BADCOOKIE over UDP without a valid server cookie, never over TCP.
start_dualnsd --cookie-secret "$SECRET" --require-cookie -q "$ZONE"
out=$(qdig "$PORT" +cookie +nobadcookie www.example.com A)
expect_eq "--require-cookie: a client cookie alone gets BADCOOKIE over UDP (RFC 7873 section 5.2.3)" \
	"$(dig_status "$out")" BADCOOKIE
expect_eq "... without records" "$(dig_count "$out" ANSWER)" 0
c=$(cookie_of "$out")
expect_match "... and with a server cookie to retry with" "$c" '^[0-9a-f]{16}01000000[0-9a-f]{24}$'
out=$(ask "$PORT" "$c")
expect_eq "--require-cookie: resending the server cookie gets NOERROR" "$(dig_status "$out")" NOERROR
expect_eq "... and an answer" "$(dig_count "$out" ANSWER)" 1
out=$(ask "$PORT" "${c:0:16}01000000${c:24:8}0000000000000000")
expect_eq "--require-cookie: a forged server cookie gets BADCOOKIE (RFC 7873 section 5.2.4)" \
	"$(dig_status "$out")" BADCOOKIE
out=$(ask "$PORT" "${c:0:16}01000000${c:24:8}0000000000000000" +tcp)
expect_eq "--require-cookie: never BADCOOKIE over TCP" "$(dig_status "$out")" NOERROR
expect_match "... and TCP answers carry a cookie too" "$(cookie_of "$out")" "^${c:0:16}01000000"
out=$(qdig "$PORT" www.example.com A)
expect_eq "--require-cookie: a query without a COOKIE is answered" "$(dig_status "$out")" NOERROR
out=$(qdig "$PORT" +cookie +badcookie www.example.com A)
expect_eq "dig +cookie retries with the server cookie and gets NOERROR" "$(dig_status "$out")" NOERROR
if command -v kdig >/dev/null 2>&1; then
	out=$(qkdig "$PORT" +cookie +nobadcookie www.example.com A)
	expect_eq "kdig +cookie, --require-cookie: BADCOOKIE" "$(dig_status "$out")" BADCOOKIE
	out=$(qkdig "$PORT" +cookie="$(cookie_of "$out")" +nobadcookie www.example.com A)
	expect_eq "kdig resending the server cookie: NOERROR" "$(dig_status "$out")" NOERROR
fi
expect_match "the query log names BADCOOKIE" "$(cat "$DUALNSD_LOG")" ' udp 127\.0\.0\.1:[0-9]+ www\.example\.com\. IN A BADCOOKIE [0-9]+'
out=$(qdig "$PORT" +short CH TXT stats.dualns)
expect_match "stats.dualns. counts BADCOOKIE answers" "$out" '"badcookie=[1-9][0-9]*"'
stop_dualnsd

# --- --cookie-secret-file: rollover with SIGHUP; a broken file keeps the running secrets.
SECRETS="$SYS_TMP/cookie-secrets"
printf '# the active secret\n%s\n' "$SECRET" >"$SECRETS"
start_dualnsd --cookie-secret-file "$SECRETS" --require-cookie "$ZONE"
expect_match "the start line names the secret file" "$(cat "$DUALNSD_LOG")" \
	"cookies: secret from $SECRETS, 1 accepted"
old=$(cookie_of "$(ask "$PORT" "$CC")")
printf '%s\n%s\n' "$OTHER" "$SECRET" >"$SECRETS"
kill -HUP "$DUALNSD_PID"
wait_for 20 grep -q "cookies: secret from $SECRETS, 2 accepted" "$DUALNSD_LOG" ||
	bad "SIGHUP re-reads the secret file"
out=$(ask "$PORT" "$old")
expect_eq "after the rollover the previous secret's cookie is still valid" "$(dig_status "$out")" NOERROR
new=$(cookie_of "$out")
expect_ne "... and is replaced by one of the new active secret" "$new" "$old"
printf '%s\n# a typo:\n%sx\n' "$OTHER" "${SECRET:1}" >"$SECRETS"
kill -HUP "$DUALNSD_PID"
wait_for 20 grep -q "keeping the running secrets" "$DUALNSD_LOG" ||
	bad "SIGHUP with a broken secret file says so"
expect_match "a broken secret file is named with its line and column" "$(cat "$DUALNSD_LOG")" \
	"cookies: $SECRETS:3:32: not a hex digit in a secret; keeping the running secrets"
expect_eq "... and the running secrets still validate" "$(dig_status "$(ask "$PORT" "$old")")" NOERROR
printf '%s\n' "$OTHER" >"$SECRETS"
kill -HUP "$DUALNSD_PID"
wait_for 20 grep -q "cookies: secret from $SECRETS, 1 accepted" "$DUALNSD_LOG" ||
	bad "SIGHUP takes the file with the old secret dropped"
expect_eq "once dropped, the old secret's cookies get BADCOOKIE" \
	"$(dig_status "$(ask "$PORT" "$old")")" BADCOOKIE
expect_eq "... and the new secret's cookies NOERROR" "$(dig_status "$(ask "$PORT" "$new")")" NOERROR
stop_dualnsd

# --- bad secrets at start: exit 1 with a line naming the option, or the file and line.
printf '\n0123\n' >"$SECRETS"
out=$("$DUALNSD" -p "$(free_port)" -l 127.0.0.1 --cookie-secret-file "$SECRETS" "$ZONE" 2>&1)
expect_eq "a bad secret file stops the start" "$?" 1
expect_match "... naming the file and line" "$out" "$SECRETS:2:1: a secret is 32 hex digits, not 4"
out=$("$DUALNSD" -p "$(free_port)" -l 127.0.0.1 --cookie-secret "${SECRET}00" "$ZONE" 2>&1)
expect_eq "a bad --cookie-secret stops the start" "$?" 1
expect_match "... naming the option" "$out" '--cookie-secret: give 32 hex digits'
start_dualnsd "$ZONE"
expect_match "without a secret, a random one" "$(cat "$DUALNSD_LOG")" 'cookies: secret random, 1 accepted'
stop_dualnsd

# --- interoperability: one secret shared by dualnsd, NSD, Knot and BIND (RFC 9018).
start_dualnsd --cookie-secret "$SECRET" --require-cookie "$ZONE"
DPORT=$PORT

# valid_at KIND PORT COOKIE: the server's verdict on COOKIE, "valid" or "invalid", read as
# the comment at the top says.
valid_at() {
	local kind=$1 port=$2 cookie=$3 out
	out=$(ask "$port" "$cookie")
	case $kind in
	nsd)
		[ "$(cookie_of "$out")" = "$cookie" ] && echo valid || echo invalid ;;
	*)
		case $(dig_status "$out") in
		NOERROR) echo valid ;;
		BADCOOKIE) echo invalid ;;
		*) echo "unexpected: $(dig_status "$out")" ;;
		esac ;;
	esac
}

# an_earlier_second COOKIE: true once the clock is past the cookie's timestamp, so a
# fresh cookie could not equal it.
an_earlier_second() {
	[ "$(date +%s)" -gt "$((16#${1:24:8}))" ]
}

# interop KIND PORT: cookies minted by KIND are valid at dualnsd and the other way round;
# a forged one is invalid at both (the observable can fail).
interop() {
	local kind=$1 port=$2 theirs ours forged
	theirs=$(cookie_of "$(qdig "$port" +cookie="$CC" +nobadcookie www.example.com A)")
	expect_match "$kind mints an RFC 9018 cookie" "$theirs" "^${CC}01000000[0-9a-f]{24}$"
	ours=$(cookie_of "$(ask "$DPORT" "$CC")")
	forged=${ours:0:40}00000000
	wait_for 5 an_earlier_second "$ours" || true
	wait_for 5 an_earlier_second "$theirs" || true
	expect_eq "$kind's server cookie is valid at dualnsd (same secret)" \
		"$(valid_at dualnsd "$DPORT" "$theirs")" valid
	expect_eq "dualnsd's server cookie is valid at $kind (same secret)" \
		"$(valid_at "$kind" "$port" "$ours")" valid
	expect_eq "a forged server cookie is invalid at $kind" "$(valid_at "$kind" "$port" "$forged")" invalid
	expect_eq "a forged server cookie is invalid at dualnsd" "$(valid_at dualnsd "$DPORT" "$forged")" invalid
}

if command -v nsd >/dev/null 2>&1; then
	dir=$(sys_tmpdir)
	sys_copy_zone "$ZONE" "$dir"
	# cookie-secret-file names a file that does not exist, else NSD would read
	# /etc/nsd/nsd_cookiesecrets.txt and ignore cookie-secret (nsd.conf(5)).
	if ref_start_free nsd "$dir" example.com. "$dir/example.com.zone" 'answer-cookie: yes' \
		"cookie-secret: \"$SECRET\"" "cookie-secret-file: \"$dir/no-secrets.txt\""; then
		SYS_LOGS+=("$REF_LOG")
		interop nsd "$REF_PORT"
	else
		sed 's/^/#   /' "$REF_LOG"
		bad "NSD did not serve example.com. with cookies on"
	fi
else
	note "nsd not found: interoperability with NSD is not tested"
fi

# knot_cookies DIR PORT: Knot with mod-cookies and the shared secret on every zone.
knot_cookies() {
	local dir=$1 port=$2
	KNOT_MODULE=$'mod-cookies:\n  - id: ref\n    secret: 0x'"$SECRET" \
		knot_start "$dir" "$dir/knot.log" "$port" example.com. "$dir/example.com.zone"
	REF_PID=$KNOT_PID
}

# named_cookies DIR PORT: BIND 9 in the foreground with the shared secret, cookies
# required over UDP, so that BADCOOKIE shows an invalid one.
named_cookies() {
	named_start "$1" "$2" "	answer-cookie yes;
	cookie-algorithm siphash24;
	cookie-secret \"$SECRET\";
	require-server-cookie yes;"
}

# start_cookie_ref KIND STARTER: the reference server on a free port, up to three tries
# (another test may take the port between free_port and the bind); interop once it
# answers the zone.
start_cookie_ref() {
	local kind=$1 starter=$2 dir port attempt
	dir=$(sys_tmpdir)
	sys_copy_zone "$ZONE" "$dir"
	for attempt in 1 2 3; do
		port=$(free_port) || break
		"$starter" "$dir" "$port"
		wait_for 20 ref_up "$REF_PID" "$port" example.com. || true
		if soa_answered "$port" example.com.; then
			SYS_LOGS+=("$dir/$kind.log")
			interop "$kind" "$port"
			stop_pid "$REF_PID"
			return
		fi
		kill -0 "$REF_PID" 2>/dev/null && break
	done
	sed 's/^/#   /' "$dir"/*.log
	bad "$kind did not serve example.com. with cookies on"
}

if command -v knotd >/dev/null 2>&1; then
	start_cookie_ref knot knot_cookies
else
	note "knotd not found: interoperability with Knot is not tested"
fi
if command -v named >/dev/null 2>&1; then
	start_cookie_ref named named_cookies
else
	note "named not found: interoperability with BIND is not tested"
fi
stop_dualnsd
