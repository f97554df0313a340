#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/dualnsd.sh: dualq against dualnsd serving the bundled zone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
start_dualnsd
. "$top_srcdir/tests/client/suite.sh"
# -b: both legs leave from the address asked for (the udp and tcp lines show it).
expect_rc 0 "-b 127.0.0.9: big TXT, udp then tcp" q -b 127.0.0.9 big.example.com TXT
out_has "-b: the udp leg leaves from 127.0.0.9" "^;; udp +127\.0\.0\.9:[0-9]+ -> "
out_has "-b: the tcp leg leaves from 127.0.0.9" "^;; tcp +127\.0\.0\.9:[0-9]+ -> "
stop_server

# dualnsd with its own UDP size, 1232 by default, and on ::1 too when this host has it.
"$PYTHON3" -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' \
	2>/dev/null && v6=yes || v6=
rc=0
dualnsd_start_free "$tmp" ${v6:+-l ::1} "$ZONEDIR/example.com.zone" || rc=$?
port=$PORT
server_pid=$DUALNSD_PID
if [ "$rc" -ne 0 ] || ! wait_for 20 server_answers "$port"; then
	cat "$DUALNSD_LOG"
	echo "FAIL: dualnsd with the default --udp-size does not answer (start status $rc)"
	exit 1
fi

# The server's own limit holds back a big answer whatever the client offers, and dualq says
# whose limit it was (RFC 6891 section 6.2.5).
expect_rc 0 "+bufsize=8192 against dualnsd's 1232: truncated, then tcp" q big.example.com TXT +bufsize=8192
out_has "the trace names the server's own limit" \
	"^;; udp  limit: 1232 bytes \(the server's own UDP size, below our 8192\)\$"
out_has "then the retry" "^;; truncated: retrying over tcp to the same port $port\$"
expect_rc 0 "+bufsize=8192 against dualnsd's 1232: +json" q big.example.com TXT +bufsize=8192 +json
json_check "the udp limit in JSON: the server's 1232, below our 8192" \
	'd["legs"][0]["udp_limit"] == {"bytes": 1232, "source": "server", "advertised": 8192, "server": 1232}' \
	'd["legs"][0]["tc"] is True and len(d["answer"]) == 40'

# dig's word order for the CH identity, the server in kdig's form.
expect_rc 0 "CH TXT id.server in dig's order, @ADDR@PORT" "$DUALQ" "@127.0.0.1@$port" CH TXT id.server +json
json_check "CH TXT id.server: the question asked, the identity answered" \
	'(d["query"]["name"], d["query"]["type"], d["query"]["class"]) == ("id.server.", "TXT", "CH")' \
	'len(d["answer"]) == 1 and d["answer"][0]["class"] == "CH" and d["answer"][0]["type"] == "TXT"'

if [ -n "$v6" ]; then
	expect_rc 0 "@[::1]:PORT" "$DUALQ" "@[::1]:$port" www.example.com A +short
	out_has "@[::1]:PORT: the answer" "^192\.0\.2\.80\$"
	expect_rc 0 "@::1@PORT with -6" "$DUALQ" -6 "@::1@$port" big.example.com TXT +json
	json_check "@::1@PORT: both legs to [::1] on that port" \
		'[l["remote"] for l in d["legs"]] == ["[::1]:'"$port"'"] * 2 and len(d["answer"]) == 40'
else
	echo "skip: no ::1 here, the IPv6 server forms are checked by test_options only"
fi
stop_server
finish
