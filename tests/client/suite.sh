# SPDX-License-Identifier: BSD-3-Clause
# tests/client/suite.sh: what dualq must show against any correct server on $port (sourced after
# one of lib.sh's start_* functions). The zone is zones/example.com.zone: big.example.com TXT is
# about 4.5 KB (TC over UDP, whole over TCP), medium.example.com TXT about 950 B (fits 1232, not 512).

q() { "$DUALQ" @127.0.0.1 -p "$port" "$@"; }

# Truncation and the retry: TC over UDP, then TCP to the same port, answer whole
# (RFC 1035 section 4.2.1, RFC 7766 section 5).
expect_rc 0 "big TXT: answered after the tcp retry" q big.example.com TXT +json
json_check "big TXT: udp leg truncated, tcp leg whole on the same port" \
	'[l["transport"] for l in d["legs"]] == ["udp", "tcp"]' \
	'd["legs"][0]["tc"] is True and d["legs"][1]["tc"] is False' \
	'd["legs"][0]["bytes_received"] <= 1232' \
	'd["legs"][0]["remote"] == d["legs"][1]["remote"] == "127.0.0.1:'"$port"'"' \
	'd["legs"][1]["bytes_received"] > 4000' \
	'len(d["answer"]) == 40 and all(r["type"] == "TXT" for r in d["answer"])' \
	'd["legs"][0]["id"] != d["legs"][1]["id"]' \
	'all(v["ok"] for v in d["verdicts"])'
# The JSON keys and types dualq.1 documents, field by field.
json_check "json: keys and types" \
	'set(d) >= {"query", "legs", "answer", "authority", "additional", "verdicts"}' \
	'd["query"] == dict(d["query"], name="big.example.com.", type="TXT", **{"class": "IN"}, server="127.0.0.1", port='"$port"')' \
	'all(set(l) >= {"transport", "local", "remote", "bytes_sent", "bytes_received", "rtt_ms", "connect_ms", "id", "flags", "tc", "rcode", "counts", "edns", "nsid"} for l in d["legs"])' \
	'd["legs"][0]["connect_ms"] is None and isinstance(d["legs"][1]["connect_ms"], float)' \
	'all(isinstance(l["rtt_ms"], float) and l["rcode"] == "NOERROR" and "qr" in l["flags"] and "aa" in l["flags"] for l in d["legs"])' \
	'd["legs"][0]["local"].startswith("127.0.0.1:") and d["legs"][0]["local"] != "127.0.0.1:'"$port"'"' \
	'd["legs"][0]["counts"][:2] == [1, 0] and d["legs"][1]["counts"][:2] == [1, 40]' \
	'd["legs"][0]["edns"] == {"udp_size": d["legs"][0]["edns"]["udp_size"], "version": 0, "do": False}' \
	'd["legs"][1]["bytes_sent"] == d["legs"][0]["bytes_sent"] + 2' \
	'set(d["answer"][0]) == {"name", "ttl", "class", "type", "rdata"} and d["answer"][0]["name"] == "big.example.com."' \
	'd["answer"][0]["rdata"].startswith("\"big-")' \
	'all(set(v) >= {"rfc", "check", "ok"} and v["rfc"].startswith("RFC ") for v in d["verdicts"])'
# The UDP limit: our 1232 or the server's own size if that is smaller (RFC 6891 section 6.2.5).
json_check "json: the udp leg's size limit, told from our OPT and the server's" \
	'd["legs"][0]["udp_limit"] == {"bytes": min(1232, max(512, d["legs"][0]["edns"]["udp_size"])), "source": "client" if d["legs"][0]["edns"]["udp_size"] >= 1232 else "server", "advertised": 1232, "server": d["legs"][0]["edns"]["udp_size"]}' \
	'd["legs"][1]["udp_limit"] is None'

expect_rc 0 "big TXT text: the trace states the retry to the same port" q big.example.com TXT
out_has "text: udp line with tc" "^;; udp  127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port .* qr aa tc "
out_has "text: the retry line" "^;; truncated: retrying over tcp to the same port $port\$"
out_has "text: tcp line with connect time" "^;; tcp  127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port .*\(connect [0-9.]+ ms\)"
out_has "text: same server port stated" "^;; same server port: udp and tcp both reached 127\.0\.0\.1:$port"
out_has "text: answer section printed by ldns" "^big\.example\.com\.	[0-9]+	IN	TXT	\"big-39-"
out_has "text: the limit the udp answer was held to, and whose" "^;; udp  limit: [0-9]+ bytes \((our advertised size|the server's own UDP size)"

# Words in any order, as dig takes them, and the server with its port, as kdig takes it.
expect_rc 0 "type and class before the name, @ADDR@PORT" "$DUALQ" "@127.0.0.1@$port" TXT IN medium.example.com +json
json_check "words in any order: the question asked, the server's port" \
	'd["query"]["name"] == "medium.example.com." and d["query"]["type"] == "TXT" and d["query"]["class"] == "IN"' \
	'd["query"]["server"] == "127.0.0.1" and d["query"]["port"] == '"$port" \
	'len(d["answer"]) == 8'

# No retry when the answer fits the advertised size (RFC 6891 section 6.2.5).
if [ "${server_udp_max:-0}" -ge 8192 ]; then
	expect_rc 0 "big TXT +bufsize=8192: no retry needed" q big.example.com TXT +bufsize=8192 +json
	json_check "big TXT +bufsize=8192: one udp leg, whole" \
		'len(d["legs"]) == 1 and d["legs"][0]["transport"] == "udp" and not d["legs"][0]["tc"]' \
		'len(d["answer"]) == 40 and d["legs"][0]["bytes_received"] > 4000' \
		'd["legs"][0]["udp_limit"]["bytes"] == 8192 and d["legs"][0]["udp_limit"]["advertised"] == 8192'
else
	# The server's own ceiling wins: max(512, min(client, server)) (RFC 6891 section 6.2.5).
	expect_rc 0 "big TXT +bufsize=8192 beyond the server's $server_udp_max B" q big.example.com TXT +bufsize=8192 +json
	json_check "big TXT +bufsize=8192: truncated at the server's limit, then tcp" \
		'd["legs"][0]["tc"] and d["legs"][0]["bytes_received"] <= '"$server_udp_max" \
		'len(d["answer"]) == 40' \
		'd["legs"][0]["udp_limit"] == {"bytes": '"$server_udp_max"', "source": "server", "advertised": 8192, "server": '"$server_udp_max"'}'
fi
expect_rc 0 "medium TXT: fits 1232" q medium.example.com TXT +json
json_check "medium TXT: one udp leg, 8 records" \
	'len(d["legs"]) == 1 and not d["legs"][0]["tc"] and len(d["answer"]) == 8' \
	'd["legs"][0]["bytes_received"] <= 1232'

# Without EDNS the limit is 512 (RFC 1035 section 4.2.1) and the answer has no OPT (RFC 6891 section 7).
expect_rc 0 "medium TXT +noedns: truncated at 512, then tcp" q medium.example.com TXT +noedns +json
json_check "medium TXT +noedns: udp tc under 512 without OPT, tcp whole" \
	'[l["transport"] for l in d["legs"]] == ["udp", "tcp"] and d["legs"][0]["tc"]' \
	'd["legs"][0]["bytes_received"] <= 512 and d["legs"][0]["edns"] is None' \
	'd["legs"][1]["edns"] is None and len(d["answer"]) == 8' \
	'd["legs"][0]["udp_limit"] == {"bytes": 512, "source": "no-edns", "advertised": None, "server": None}'

# +tcp and +ignore.
expect_rc 0 "+tcp: one tcp leg" q big.example.com TXT +tcp +json
json_check "+tcp: tcp only, whole, not capped at the udp size (RFC 8906 section 3.2.7)" \
	'len(d["legs"]) == 1 and d["legs"][0]["transport"] == "tcp" and not d["legs"][0]["tc"]' \
	'len(d["answer"]) == 40'
expect_rc 0 "+ignore: the truncated udp answer is the result" q big.example.com TXT +ignore +json
json_check "+ignore: one udp leg with tc and no answer" \
	'len(d["legs"]) == 1 and d["legs"][0]["tc"] and d["answer"] == []'

# +compare finds no partial RRset on a correct server.
expect_rc 0 "+compare on an answer that fits" q medium.example.com TXT +compare +json
json_check "+compare: two legs, RFC 2181 verdict ok" \
	'len(d["legs"]) == 2 and any(v["rfc"] == "RFC 2181 section 9" and v["ok"] for v in d["verdicts"])'

# +short, like dig.
expect_rc 0 "+short www A" q www.example.com A +short
out_has "+short prints the address alone" "^192\.0\.2\.80\$"

# NSID on every leg (RFC 5001) when the server has one.
if [ -n "${expect_nsid:-}" ]; then
	expect_rc 0 "+nsid on both legs" q big.example.com TXT +nsid +json
	json_check "+nsid: each leg names the instance" \
		'[l["nsid"] for l in d["legs"]] == ["'"$expect_nsid"'"] * 2'
fi
