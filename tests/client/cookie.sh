#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/cookie.sh: dualq's DNS Cookies (RFC 7873, RFC 9018) against NSD, Knot DNS and BIND
# (each part skipped when the server is missing), against dualnsd (RFC 9018 cookies)
# and badserver.py (no cookies, a second BADCOOKIE, a wrong cookie); and the note for a truncation that
# looks like a rate-limit slip, from dualnsd --force-tc and NSD's RRL, next to a real one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"

q() { "$DUALQ" @127.0.0.1 -p "$port" "$@"; }

# A 16-byte RFC 9018 server cookie of version 1, with a timestamp within five minutes of now.
V1='l["cookie"]["length"] == 24 and len(l["cookie"]["server"]) == 32 and l["cookie"]["version"] == 1 and abs(l["cookie"]["age_s"]) <= 300 and l["cookie"]["timestamp_utc"].endswith("Z")'
# The echo verdicts (RFC 7873 section 5.3) and the length verdicts (section 4) pass, none fails.
ECHO_OK='any(v["rfc"] == "RFC 7873 section 5.3" and "echoes the client cookie" in v["check"] and v["ok"] for v in d["verdicts"]) and all(v["ok"] for v in d["verdicts"]) and any(v["rfc"] == "RFC 7873 section 4" and v["ok"] for v in d["verdicts"])'

# Usage: bad HEX names itself and the lengths allowed.
port=53
expect_rc 1 "+cookie=HEX of 3 bytes is a usage error" "$DUALQ" @127.0.0.1 x +cookie=001122
out_has "the error names the option and the lengths" "\+cookie=001122.*8 bytes.*16 to 40 bytes" "$tmp/err"
expect_rc 1 "+cookie=HEX with a non-hex digit" "$DUALQ" @127.0.0.1 x +cookie=00112233445566zz
out_has "the error names the option" "\+cookie=00112233445566zz" "$tmp/err"
expect_rc 1 "+cookie then +noedns" "$DUALQ" @127.0.0.1 x +cookie +noedns
out_has "the error says why" "\+cookie and \+noedns exclude each other" "$tmp/err"

# NSD with answer-cookie: a version 1 server cookie, the client cookie echoed; the tcp leg
# after TC sends the same client cookie with the server cookie the udp reply brought.
if command -v nsd >/dev/null 2>&1; then
	start_ref nsd 'answer-cookie: yes'
	expect_rc 0 "nsd: +cookie" q www.example.com +cookie +json
	json_check "nsd: server cookie version 1, client cookie echoed" \
		'len(d["legs"]) == 1 and d["query"]["cookie"] is True' \
		'[l for l in d["legs"] if '"$V1"']' \
		'd["legs"][0]["cookie"]["client"] == d["legs"][0]["cookie_sent"] and d["legs"][0]["cookie"]["client_echoed"]' \
		'len(d["legs"][0]["cookie_sent"]) == 16' "$ECHO_OK"
	expect_rc 0 "nsd: +cookie, big TXT over udp then tcp" q big.example.com TXT +cookie +json
	json_check "nsd: the tcp leg sends the same client cookie and the server cookie learned" \
		'[l["transport"] for l in d["legs"]] == ["udp", "tcp"]' \
		'd["legs"][1]["cookie_sent"] == d["legs"][0]["cookie_sent"] + d["legs"][0]["cookie"]["server"]' \
		'd["legs"][1]["cookie"]["client_echoed"]' "$ECHO_OK" 'd["slip"] is None'
	expect_rc 0 "nsd: +cookie text" q www.example.com +cookie
	out_has "nsd: the trace shows the cookie sent and the reply's" \
		"^;; udp  cookie sent [0-9a-f]{16}; reply: client [0-9a-f]{16} \(echoed\), server 01[0-9a-f]{30} \(16 B, RFC 9018 version 1, timestamp [0-9T:-]+Z, age -?[0-9]+ s\)\$"
	out_has "nsd: the OPT pseudosection shows the COOKIE" "^; COOKIE: [0-9a-f]{48}\$"
	# +cookie=HEX resends a client and server cookie as they are, as dig does.
	expect_rc 0 "nsd: +cookie, to learn a server cookie" q www.example.com +cookie +json
	both=$("$PYTHON3" -c 'import json,sys; l=json.load(open(sys.argv[1]))["legs"][0]; print(l["cookie_sent"] + l["cookie"]["server"])' "$tmp/out")
	expect_rc 0 "nsd: +cookie=CLIENT+SERVER" q www.example.com "+cookie=$both" +json
	json_check "nsd: the cookie sent as given, the client part echoed" \
		'd["legs"][0]["cookie_sent"] == "'"$both"'"' \
		'd["legs"][0]["cookie"]["client"] == "'"${both:0:16}"'"' "$ECHO_OK"
	stop_server

	# NSD's rate limiter, one answer a second and every other one slipped as an empty TC:
	# after a burst the udp answer is empty with TC although the answer is 150 bytes.
	start_ref nsd 'rrl-ratelimit: 1' 'rrl-slip: 1' 'rrl-size: 1000'
	nsd_slips() {
		local i
		for i in 1 2 3 4 5 6 7 8; do
			q www.example.com +ignore +short +timeout=0.2 +tries=1 >/dev/null 2>&1
		done
		q www.example.com +json >"$tmp/slip.json" 2>/dev/null &&
			"$PYTHON3" "$JSONCHECK" "$tmp/slip.json" 'd["slip"] is not None' >/dev/null 2>&1
	}
	if wait_for 10 nsd_slips; then
		cp "$tmp/slip.json" "$tmp/out"
		json_check "nsd rrl: the slip note and its sizes" \
			'd["legs"][0]["tc"] and d["legs"][0]["counts"][1:3] == [0, 0]' \
			'd["slip"]["tcp_bytes"] == d["legs"][1]["bytes_received"] - 2 and d["slip"]["udp_limit"] == 1232' \
			'any(v["note"] and v["ok"] and "rate-limit slip" in v["check"] and v["rfc"] == "RFC 1035 section 4.1.1" for v in d["verdicts"])'
	else
		echo "FAIL: nsd rrl: no slip seen in 10 s"
		failures=$((failures + 1))
	fi
	stop_server
else
	echo "skip: nsd not installed"
fi

# Knot DNS with mod-cookies (a random secret). It asks for its server cookie with
# BADCOOKIE; dualq retries with it.
if command -v knotd >/dev/null 2>&1; then
	KNOT_MODULE=$'mod-cookies:\n  - id: ref' start_ref knot
	expect_rc 0 "knot: +cookie" q www.example.com +cookie +json
	json_check "knot: server cookie version 1 in the last udp leg, client cookie echoed" \
		'[l for l in d["legs"][-1:] if '"$V1"']' \
		'd["legs"][-1]["rcode"] == "NOERROR" and len(d["answer"]) == 1' "$ECHO_OK"
	stop_server
else
	echo "skip: knotd not installed"
fi

# BIND with require-server-cookie: a query without a valid server cookie gets BADCOOKIE over
# UDP (RFC 7873 section 5.2.3); dualq retries once with the server cookie it brought and
# shows both legs (section 5.3).
if command -v named >/dev/null 2>&1; then
	bdir=$tmp/bind
	mkdir -p "$bdir"
	cp "$ZONEDIR/example.com.zone" "$ZONEDIR/example.com.big.inc" "$bdir/"
	port=$(free_port)
	cat >"$bdir/named.conf" <<EOC
options {
	directory "$bdir";
	listen-on port $port { 127.0.0.1; };
	listen-on-v6 { none; };
	pid-file "$bdir/named.pid";
	session-keyfile "$bdir/session.key";
	managed-keys-directory "$bdir";
	recursion no;
	dnssec-validation no;
	require-server-cookie yes;
};
controls { };
zone "example.com" { type primary; file "example.com.zone"; };
EOC
	named -g -c "$bdir/named.conf" >"$bdir/named.log" 2>&1 &
	server_pid=$!
	track_pid "$server_pid"
	if ! wait_for 20 server_answers "$port"; then
		cat "$bdir/named.log"
		echo "FAIL: named does not answer"
		exit 1
	fi
	expect_rc 0 "bind require-server-cookie: +cookie" q www.example.com +cookie +json
	json_check "bind: BADCOOKIE, then the udp retry with the server cookie answers" \
		'[l["transport"] for l in d["legs"]] == ["udp", "udp"]' \
		'd["legs"][0]["rcode"] == "BADCOOKIE" and not d["legs"][0]["badcookie_retry"]' \
		'd["legs"][1]["rcode"] == "NOERROR" and d["legs"][1]["badcookie_retry"]' \
		'd["legs"][1]["cookie_sent"] == d["legs"][0]["cookie_sent"] + d["legs"][0]["cookie"]["server"]' \
		'[l for l in d["legs"] if '"$V1"'] == d["legs"]' \
		'any(v["note"] and "BADCOOKIE" in v["check"] for v in d["verdicts"])' \
		'len(d["answer"]) == 1' "$ECHO_OK"
	expect_rc 0 "bind: +cookie text" q www.example.com +cookie
	out_has "bind: the retry is stated" "^;; badcookie: retrying over udp with the server cookie it sent \(RFC 7873 section 5\.3\)\$"
	out_has "bind: the note" "^;;   note  RFC 7873 section 5\.3: udp reply BADCOOKIE"
	# Resending the cookie BIND gave: no BADCOOKIE, one leg.
	expect_rc 0 "bind: +cookie, to learn its server cookie" q www.example.com +cookie +json
	both=$("$PYTHON3" -c 'import json,sys; l=json.load(open(sys.argv[1]))["legs"][-1]; print(l["cookie_sent"])' "$tmp/out")
	expect_rc 0 "bind: +cookie=CLIENT+SERVER" q www.example.com "+cookie=$both" +json
	json_check "bind: a valid server cookie resent: answered at once" \
		'len(d["legs"]) == 1 and d["legs"][0]["rcode"] == "NOERROR"' \
		'd["legs"][0]["cookie_sent"] == "'"$both"'"' "$ECHO_OK"
	# After the retry, a truncated answer goes to tcp with the same cookie.
	expect_rc 0 "bind: +cookie, big TXT" q big.example.com TXT +cookie +json
	json_check "bind: BADCOOKIE, retry truncated, tcp whole; not a slip" \
		'[l["transport"] for l in d["legs"]] == ["udp", "udp", "tcp"]' \
		'd["legs"][1]["tc"] and len(d["answer"]) == 40' \
		'd["legs"][2]["cookie_sent"] == d["legs"][1]["cookie_sent"]' \
		'd["slip"] is None' "$ECHO_OK"
	stop_server
else
	echo "skip: named not installed"
fi

# dualnsd answers cookies as RFC 9018 makes them: version 1, 16 bytes, our client cookie echoed.
start_dualnsd
expect_rc 0 "dualnsd: +cookie" q www.example.com +cookie +json
json_check "dualnsd: a version-1 server cookie and the echo verdict" \
	'd["legs"][0]["cookie"] is not None and len(d["legs"][0]["cookie_sent"]) == 16' \
	'any(v["ok"] and not v["note"] and v["rfc"] == "RFC 7873 section 5.3" for v in d["verdicts"])' \
	'all(v["ok"] for v in d["verdicts"])'
expect_rc 0 "dualnsd: no +cookie" q www.example.com +json
json_check "dualnsd: no cookie sent, no cookie verdict" \
	'd["legs"][0]["cookie_sent"] is None and d["legs"][0]["cookie"] is None and d["query"]["cookie"] is False' \
	'not any(v["rfc"].startswith("RFC 7873") for v in d["verdicts"])'
# A truncation for size is not a slip: the tcp answer (4.5 KB) exceeds 1232.
expect_rc 0 "dualnsd: big TXT" q big.example.com TXT +json
json_check "dualnsd: big TXT truncated for size, no slip note" \
	'd["legs"][0]["tc"] and d["slip"] is None' \
	'not any("slip" in v["check"] for v in d["verdicts"])'
expect_rc 0 "dualnsd: big TXT, text" q big.example.com TXT
if grep -q "slip" "$tmp/out"; then
	echo "FAIL: dualnsd: a size truncation called a slip"
	failures=$((failures + 1))
else
	echo "ok: dualnsd: the text says nothing of a slip for a size truncation"
fi
stop_server

# --force-tc: every UDP answer empty with TC, whatever its size.
start_dualnsd --force-tc
expect_rc 0 "dualnsd --force-tc: www" q www.example.com +json
json_check "dualnsd --force-tc: the slip note with the sizes" \
	'd["legs"][0]["tc"] and d["slip"] == {"udp_limit": 1232, "tcp_bytes": d["legs"][1]["bytes_received"] - 2}' \
	'any(v["note"] and "rate-limit slip" in v["check"] for v in d["verdicts"])' \
	'all(v["ok"] for v in d["verdicts"])'
expect_rc 0 "dualnsd --force-tc: www, text" q www.example.com
out_has "the note in the text" "^;;   note  RFC 1035 section 4\.1\.1: udp answer empty with TC = 1, but the tcp answer \([0-9]+ B\) fits the udp limit of 1232 bytes .*rate-limit slip \(or a forced TC\), not size\$"
stop_server

# A server that answers BADCOOKIE to the retry too: reported, then tcp (RFC 7873 section 5.3).
# A server without cookies: a note, not a failure (RFC 7873 section 5.3).
start_badserver good
expect_rc 0 "badserver good: +cookie" q www.example.com +cookie +json
json_check "a server without cookies: no COOKIE in the answer is a note" \
	'd["legs"][0]["cookie"] is None and len(d["legs"][0]["cookie_sent"]) == 16' \
	'any(v["note"] and v["ok"] and v["rfc"] == "RFC 7873 section 5.3" and "no COOKIE" in v["check"] for v in d["verdicts"])' \
	'all(v["ok"] for v in d["verdicts"])'
start_badserver badcookie
expect_rc 3 "badserver badcookie: +cookie" q www.example.com +cookie +json
json_check "badcookie twice: udp, udp retry, tcp; the second BADCOOKIE fails" \
	'[l["transport"] for l in d["legs"]] == ["udp", "udp", "tcp"]' \
	'[l["rcode"] for l in d["legs"]] == ["BADCOOKIE", "BADCOOKIE", "NOERROR"]' \
	'any(not v["ok"] and v["rfc"] == "RFC 7873 section 5.3" and "BADCOOKIE again" in v["check"] for v in d["verdicts"])' \
	'len(d["answer"]) == 1'
expect_rc 3 "badserver badcookie: text" q www.example.com +cookie
out_has "the tcp retry is stated" "^;; badcookie again: retrying over tcp to the same port $port \(RFC 7873 section 5\.3\)\$"
stop_server

# A reply whose COOKIE is not ours and too short fails both rules.
start_badserver wrongcookie
expect_rc 3 "badserver wrongcookie: +cookie" q www.example.com +cookie +json
json_check "wrong cookie: the echo and the length fail" \
	'any(not v["ok"] and v["rfc"] == "RFC 7873 section 5.3" for v in d["verdicts"])' \
	'any(not v["ok"] and v["rfc"] == "RFC 7873 section 4" for v in d["verdicts"])' \
	'd["legs"][0]["cookie"]["client_echoed"] is False and d["legs"][0]["cookie"]["server"] == "01020304"'
stop_server

finish
