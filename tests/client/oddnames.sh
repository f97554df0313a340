#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/oddnames.sh: dualq's +json over names and RDATA with quotes, backslashes,
# control bytes and bytes from 0x80 up, served by dualnsd from a zone written here. The JSON
# must parse strictly (RFC 8259 section 7), and each name and RDATA in it must be the
# presentation text (RFC 1035 section 5.1) that dualq's text output prints.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
JSONTEXT="$top_srcdir/tests/client/jsontext.py"

# One label: a"b\c, bytes 1, 9 (tab), 10 (newline), 31, then UTF-8 e-acute and 0xff.
odd='a\"b\\c\001\009\010\031\195\169\255'
odd_label_hex=6122625c6301090a1fc3a9ff
odd_hex=0c${odd_label_hex}036f6464047465737400
cat >"$tmp/odd.test.zone" <<EOZ
\$ORIGIN odd.test.
\$TTL 300
@	SOA	ns hostmaster 1 3600 600 86400 300
@	NS	ns
ns	A	192.0.2.1
$odd	A	192.0.2.2
txt	TXT	"q\"uote" "back\\\\slash" "ctl\001\009\010\031" "caf\195\169\255"
ptr	PTR	$odd.odd.test.
EOZ

start_dualnsd "$tmp/odd.test.zone"

# same_as_text DESCRIPTION QNAME-HEX RECORD-HEX... -- DUALQ-ARGS...: runs the query with
# +json and without, and checks one against the other with jsontext.py.
same_as_text() {
	what=$1
	shift
	hexes=""
	while [ "$1" != "--" ]; do hexes="$hexes $1"; shift; done
	shift
	expect_rc 0 "$what: +json" "$DUALQ" @127.0.0.1 -p "$port" "$@" +json
	cp "$tmp/out" "$tmp/json"
	expect_rc 0 "$what: text" "$DUALQ" @127.0.0.1 -p "$port" "$@"
	# shellcheck disable=SC2086
	if "$PYTHON3" "$JSONTEXT" "$tmp/json" "$tmp/out" $hexes >"$tmp/jc" 2>&1; then
		echo "ok: $what: the JSON parses and matches the text output"
	else
		echo "FAIL: $what"
		sed 's/^/  /' "$tmp/jc"
		sed 's/^/  json: /' "$tmp/json"
		failures=$((failures + 1))
	fi
}

same_as_text "odd owner, asked by name" "$odd_hex" "$odd_hex" -- "$odd.odd.test" A
same_as_text "odd owner, over tcp" "$odd_hex" "$odd_hex" -- "$odd.odd.test" A +tcp
same_as_text "odd name in PTR RDATA" 03707472036f6464047465737400 "$odd_hex" -- ptr.odd.test PTR
# Each character-string's bytes: q"uote, back\slash, ctl 1 9 10 31, caf e-acute 0xff.
same_as_text "odd bytes in TXT RDATA" 03747874036f6464047465737400 \
	7122756f7465 6261636b5c736c617368 63746c01090a1f 636166c3a9ff -- txt.odd.test TXT
# A name that does not exist: the odd name is only in the question, the SOA in authority.
same_as_text "odd name asked, NXDOMAIN" "0e6e78${odd_label_hex}036f6464047465737400" -- "nx$odd.odd.test" A
# The query name also decodes to what was asked, and the answer record is whole.
expect_rc 0 "odd owner: +json" "$DUALQ" @127.0.0.1 -p "$port" "$odd.odd.test" A +json
json_check "odd owner: the name is the presentation text, the address a string" \
	'd["query"]["name"] == r"a\"b\\c\001\009\010\031\195\169\255.odd.test."' \
	'd["answer"][0]["name"].endswith(r"\001\009\010\031\195\169\255.odd.test.")' \
	'd["answer"][0]["rdata"] == "192.0.2.2" and d["answer"][0]["ttl"] == 300'

# A document that cannot be written is an error (exit 2), not a silent success.
if [ -w /dev/full ]; then
	"$DUALQ" @127.0.0.1 -p "$port" "$odd.odd.test" A +json >/dev/full 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 2 ] && grep -q "cannot write the JSON document" "$tmp/err"; then
		echo "ok: +json to a full device: exit 2 and a message"
	else
		echo "FAIL: +json to a full device: exit $rc"
		cat "$tmp/err"
		failures=$((failures + 1))
	fi
fi
stop_server
finish
