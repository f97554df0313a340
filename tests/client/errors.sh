#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/errors.sh: dualq's exit codes and one-line errors: usage (1), no answer (2).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"

expect_rc 1 "no NAME is a usage error" "$DUALQ" @127.0.0.1
out_has "usage error: one line on stderr" "^dualq: no NAME to query" "$tmp/err"
expect_rc 1 "an unknown +option is a usage error" "$DUALQ" @127.0.0.1 example.com +frobnicate
expect_rc 1 "an unknown type is a usage error" "$DUALQ" @127.0.0.1 example.com A NOSUCHTYPE
expect_rc 1 "a bad port is a usage error" "$DUALQ" @127.0.0.1 -p 70000 example.com
expect_rc 1 "+tries=0 is a usage error" "$DUALQ" @127.0.0.1 example.com +tries=0
expect_rc 0 "-h prints the usage" "$DUALQ" -h
out_has "-h: usage on stdout" "^usage: dualq "
expect_rc 0 "-V prints the version" "$DUALQ" -V
out_has "-V: the version on stdout" "^dualq \(dualns [0-9]+\.[0-9]+"
cp "$tmp/out" "$tmp/version"
expect_rc 0 "--version prints the same" "$DUALQ" --version
cmp -s "$tmp/out" "$tmp/version" && echo "ok: -V and --version agree" ||
	{ echo "FAIL: -V and --version differ"; failures=$((failures + 1)); }

# -b: a numeric address of the server's family, or a usage error that says which.
expect_rc 1 "-b with a name is a usage error" "$DUALQ" @127.0.0.1 -b localhost example.com
out_has "-b with a name: says it needs a numeric address" "^dualq: -b needs a numeric IPv4 or IPv6 address: localhost" "$tmp/err"
expect_rc 1 "-b ::1 with an IPv4 server is a usage error" "$DUALQ" @127.0.0.1 -b ::1 example.com
out_has "-b of the other family: names the server's" "^dualq: -b ::1: not an address of the server's family \(IPv4\)" "$tmp/err"

# A word that spells a type is the type (as in dig): a NAME that spells one needs its dot.
expect_rc 1 "a type and no NAME is a usage error" "$DUALQ" @127.0.0.1 ns
out_has "no NAME: the message says how to ask for the name" \
	"^dualq: no NAME to query: ns is read as a type \(for the name ns, write ns\. or -q ns\)" "$tmp/err"

# -4/-6 against a server address of the other family: a usage error that says so.
expect_rc 1 "-6 with an IPv4 server is a usage error" "$DUALQ" -6 @127.0.0.1 example.com
out_has "-6 with IPv4: says so in words" \
	"^dualq: -6 asks for IPv6 but the server 127\.0\.0\.1 is an IPv4 address" "$tmp/err"
expect_rc 1 "-4 with an IPv6 server is a usage error" "$DUALQ" @[::1]:53 example.com -4
out_has "-4 with IPv6: says so in words" \
	"^dualq: -4 asks for IPv4 but the server ::1 is an IPv6 address" "$tmp/err"

# Malformed server forms: a usage error naming the argument.
for form in @127.0.0.1@ @127.0.0.1@70000 @[::1 @[::1]x @127.0.0.1:53 @@53; do
	expect_rc 1 "$form is a usage error" "$DUALQ" "$form" example.com
	case $(cat "$tmp/err") in
	"dualq: $form: "*) echo "ok: $form: the message names it" ;;
	*) echo "FAIL: $form: the message does not name it"; sed 's/^/  /' "$tmp/err"; failures=$((failures + 1)) ;;
	esac
done

# Nothing listens on a free port: the connected UDP socket gets the ICMP port unreachable
# as ECONNREFUSED, TCP gets a RST. Both are "no answer".
port=$(free_port)
expect_rc 2 "udp to a port where nothing listens" "$DUALQ" @127.0.0.1 -p "$port" example.com SOA +timeout=1
out_has "udp refused: one line naming the server" "^dualq: 127\.0\.0\.1 port $port: udp: port unreachable" "$tmp/err"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && echo "ok: exactly one stderr line" ||
	{ echo "FAIL: stderr has $(wc -l <"$tmp/err") lines"; failures=$((failures + 1)); }
expect_rc 2 "tcp to a port where nothing listens" "$DUALQ" @127.0.0.1 -p "$port" example.com SOA +tcp +timeout=1
out_has "tcp refused: names the server and the cause" "^dualq: 127\.0\.0\.1 port $port: tcp connect: Connection refused" "$tmp/err"

# A server that never answers: each try times out on a fresh source port, then exit 2.
start_badserver silent
expect_rc 2 "silence: timeout after every try" "$DUALQ" @127.0.0.1 -p "$port" example.com SOA +timeout=0.2 +tries=2 +json
out_has "silence: one line naming the tries" "^dualq: 127\.0\.0\.1 port $port: udp: no reply in 2 tries of 200 ms" "$tmp/err"
json_check "silence: the JSON still describes the leg" \
	'len(d["legs"]) == 1 and d["legs"][0]["tries"] == 2 and d["legs"][0]["error"] == "no reply"' \
	'd["legs"][0]["rtt_ms"] is None and d["answer"] == [] and d["verdicts"] == []'
expect_rc 2 "silence over tcp: timeout" "$DUALQ" @127.0.0.1 -p "$port" example.com SOA +tcp +timeout=0.3
out_has "tcp timeout: one line" "^dualq: 127\.0\.0\.1 port $port: tcp receive: timed out after 300 ms" "$tmp/err"
stop_server
finish
