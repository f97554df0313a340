#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tsig.sh: TSIG (RFC 8945) end to end: dig -y and kdig -y get answers signed with every
# algorithm and verify them; a wrong secret is BADSIG and an unknown key BADKEY (NOTAUTH,
# unsigned); a clock off by an hour is BADTIME, signed, with our time in Other Data; a UDP
# answer that must truncate has TC and is signed; the counters and the query log follow.
# Then NSD and Knot, given the same key, answer the same bad requests with the same
# RCODE and TSIG error (each skipped when missing). Found with NSD 4.6 and Knot 3.2: NSD
# sends BADTIME unsigned (MAC size 0), where RFC 8945 section 5.2.3 and Knot sign it, as
# dualnsd does; both answer a MAC shorter than truncation allows with BADSIG (the RFC
# says FORMERR), as dualnsd does, and refuse any truncation, which dualnsd accepts down
# to half the hash (section 5.2.2.1, rule 4); Knot knows a key for plain queries only
# once an ACL of the zone names it.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool dig "apt-get install dnsutils"
ZONE="$top_srcdir/zones/example.com.zone"
SECRET=SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A=
OTHER=c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1rZXlzLW93bi4=
ALGS="hmac-sha1 hmac-sha224 hmac-sha256 hmac-sha384 hmac-sha512"

# A python with dnspython (tsigask.py); the build's may be another one.
TSIG_PY=
for py in "$PYTHON3" /usr/bin/python3; do
	if "$py" -c 'import dns.tsig' 2>/dev/null; then
		TSIG_PY=$py
		break
	fi
done
TSIGASK="$top_srcdir/tests/system/tsigask.py"

# tsigask PORT ARGS...: one signed query (tsigask.py), its one-line description.
tsigask() {
	local port=$1
	shift
	"$TSIG_PY" "$TSIGASK" --port "$port" "$@" 2>&1
}

# field OUT NAME: the value of NAME=VALUE in tsigask's line.
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# stat NAME: a counter from stats.dualns.
stat() {
	qdig "$PORT" +short CH TXT stats.dualns | tr ' ' '\n' | sed -n "s/^\"$1=\\([0-9]*\\)\"\$/\\1/p"
}

keys=()
for alg in $ALGS; do
	keys+=(--key "k-$alg.example.:$alg:$SECRET")
done
start_dualnsd -q "${keys[@]}" "$ZONE"
expect_match "the start line counts the keys" "$(cat "$DUALNSD_LOG")" 'tsig: 5 keys'

# --- dig -y and kdig -y, every algorithm, UDP and TCP: signed answers they verify.
for alg in $ALGS; do
	out=$(qdig "$PORT" -y "$alg:k-$alg.example:$SECRET" www.example.com A)
	expect_eq "dig -y $alg: NOERROR (RFC 8945 section 5.3)" "$(dig_status "$out")" NOERROR
	expect_match "dig -y $alg: the answer carries a TSIG of $alg (RFC 8945 section 5.3)" "$out" \
		"^k-$alg\\.example\\.[[:space:]]+0[[:space:]]+ANY[[:space:]]+TSIG[[:space:]]+$alg\\. "
	expect_nomatch "dig -y $alg: dig verified the answer's MAC (RFC 8945 section 5.3)" "$out" \
		'could not be validated|TSIG verify|failure'
	out=$(qdig "$PORT" +tcp -y "$alg:k-$alg.example:$SECRET" www.example.com A)
	expect_nomatch "dig +tcp -y $alg: verified over TCP too" "$out" 'could not be validated|failure'
	expect_eq "dig +tcp -y $alg: NOERROR" "$(dig_status "$out")" NOERROR
	if command -v kdig >/dev/null 2>&1; then
		out=$(qkdig "$PORT" -y "$alg:k-$alg.example:$SECRET" www.example.com A)
		expect_eq "kdig -y $alg: NOERROR, verified (kdig fails the query otherwise)" \
			"$(dig_status "$out")" NOERROR
		expect_match "kdig -y $alg: the answer's TSIG is shown" "$out" "TSIG PSEUDOSECTION"
	fi
done

# --- Errors (RFC 8945 section 5.2).
out=$(qdig "$PORT" -y "hmac-sha256:k-hmac-sha256.example:$OTHER" www.example.com A)
expect_eq "a wrong secret: NOTAUTH (RFC 8945 section 5.2.2)" "$(dig_status "$out")" NOTAUTH
expect_match "... with TSIG error BADSIG, unsigned (MAC size 0, RFC 8945 section 5.3.2)" "$out" \
	'TSIG[[:space:]]+hmac-sha256\. [0-9]+ 300 0 [0-9]+ BADSIG'
out=$(qdig "$PORT" -y "hmac-sha256:nokey.example:$SECRET" www.example.com A)
expect_eq "an unknown key: NOTAUTH (RFC 8945 section 5.2.1)" "$(dig_status "$out")" NOTAUTH
expect_match "... with TSIG error BADKEY, unsigned" "$out" \
	'^nokey\.example\..*TSIG[[:space:]]+hmac-sha256\. [0-9]+ 300 0 [0-9]+ BADKEY'
expect_eq "... and no answer records" "$(dig_count "$out" ANSWER)" 0
out=$(qdig "$PORT" -y "hmac-sha512:k-hmac-sha256.example:$SECRET" www.example.com A)
expect_match "the key's name with another algorithm: BADKEY (RFC 8945 section 5.2.1)" "$out" \
	'TSIG[[:space:]]+hmac-sha512\. [0-9]+ 300 0 [0-9]+ BADKEY'

if [ -n "$TSIG_PY" ]; then
	out=$(tsigask "$PORT" --skew -3600 --key "k-hmac-sha256.example.:hmac-sha256:$SECRET" \
		www.example.com)
	now=$(date +%s)
	expect_eq "a clock an hour behind: NOTAUTH (RFC 8945 section 5.2.3)" "$(field "$out" rcode)" NOTAUTH
	expect_eq "... TSIG error BADTIME" "$(field "$out" tsigerror)" BADTIME
	expect_eq "... signed: a full MAC (RFC 8945 section 5.2.3)" "$(field "$out" macsize)" 32
	o=$(field "$out" other)
	expect_le "... our time in Other Data (RFC 8945 section 5.2.3)" "$(( o > now ? o - now : now - o ))" 5
	out=$(tsigask "$PORT" --mac-size 16 --key "k-hmac-sha256.example.:hmac-sha256:$SECRET" www.example.com)
	expect_eq "a MAC truncated to half the hash is accepted (RFC 8945 section 5.2.2.1, rule 4)" \
		"$(field "$out" rcode)/$(field "$out" tsigerror)/$(field "$out" macsize)" NOERROR/NOERROR/32
	out=$(tsigask "$PORT" --mac-size 15 --key "k-hmac-sha256.example.:hmac-sha256:$SECRET" www.example.com)
	expect_eq "one byte shorter: BADSIG, unsigned, as NSD and Knot answer (RFC 8945 section 5.2.2.1)" \
		"$(field "$out" rcode)/$(field "$out" tsigerror)/$(field "$out" macsize)" NOTAUTH/BADSIG/0
	out=$(tsigask "$PORT" --key "k-hmac-sha384.example.:hmac-sha384:$SECRET" www.example.com)
	expect_eq "dnspython verifies a signed answer (hmac-sha384)" "$(field "$out" verified)" 1
	out=$(tsigask "$PORT" --bufsize 512 --key "k-hmac-sha512.example.:hmac-sha512:$SECRET" \
		big.example.com TXT)
	expect_eq "a UDP answer that cannot fit: TC=1 (RFC 6891 section 7)" "$(field "$out" tc)" 1
	expect_eq "... and signed all the same, room kept for the TSIG (RFC 8945 section 5.3)" \
		"$(field "$out" verified)" 1
	out=$(tsigask "$PORT" --tcp --key "k-hmac-sha512.example.:hmac-sha512:$SECRET" \
		big.example.com TXT)
	expect_eq "... over TCP the whole answer, signed" "$(field "$out" tc):$(field "$out" verified)" 0:1
else
	note "no python3 with dnspython: BADTIME, truncation and dnspython checks skipped"
fi
out=$(qdig "$PORT" +ignore +bufsize=512 -y "hmac-sha256:k-hmac-sha256.example:$SECRET" big.example.com TXT)
expect_eq "dig +ignore: the truncated answer has TC=1" "$(dig_flag "$out" tc)" 1
expect_nomatch "... and dig verifies its TSIG" "$out" 'could not be validated|failure'

# --- Counters and the query log.
valid=$(stat tsig-valid)
bad=$(stat tsig-bad)
expect_ge "stats.dualns. counts the valid TSIGs" "$valid" 15
expect_ge "stats.dualns. counts the failed ones" "$bad" 3
qdig "$PORT" -y "hmac-sha256:nokey.example:$SECRET" www.example.com A >/dev/null
expect_eq "tsig-bad moves by one per failed request" "$(stat tsig-bad)" $((bad + 1))
expect_eq "tsig-valid does not" "$(stat tsig-valid)" "$valid"
log=$(cat "$DUALNSD_LOG")
expect_match "the query log ends a verified request's line with TSIG" "$log" \
	'www\.example\.com\. IN A NOERROR [0-9]+ TSIG$'
expect_match "... a wrong secret's with TSIG:BADSIG" "$log" 'NOTAUTH [0-9]+ TSIG:BADSIG$'
expect_match "... an unknown key's with TSIG:BADKEY" "$log" 'NOTAUTH [0-9]+ TSIG:BADKEY$'
[ -n "$TSIG_PY" ] && expect_match "... a stale time's with TSIG:BADTIME" "$log" 'NOTAUTH [0-9]+ TSIG:BADTIME$'

# --- A reload publishes a new db: the keys travel with it.
reloaded() {
	grep -q 'reload: .* failed' "$DUALNSD_LOG"
}
kill -HUP "$DUALNSD_PID"
wait_for 20 reloaded || bad "the reload is logged within 20 s"
out=$(qdig "$PORT" -y "hmac-sha256:k-hmac-sha256.example:$SECRET" www.example.com A)
expect_eq "after SIGHUP the keys still verify" "$(dig_status "$out")" NOERROR
expect_nomatch "... and sign" "$out" 'could not be validated|failure'
stop_dualnsd

# --- NSD and Knot with the same key answer the same bad requests the same way.
# answers PORT: "RCODE/TSIG error" of each bad request, in one line.
answers() {
	local port=$1 out line=
	out=$(qdig "$port" -y "hmac-sha256:tk.example:$SECRET" www.example.com A)
	line+="valid=$(dig_status "$out")"
	out=$(qdig "$port" -y "hmac-sha256:tk.example:$OTHER" www.example.com A)
	line+=" badsig=$(dig_status "$out")/$(printf '%s\n' "$out" | grep -Eo 'BAD(SIG|KEY|TIME)' | head -n 1)"
	out=$(qdig "$port" -y "hmac-sha256:nokey.example:$SECRET" www.example.com A)
	line+=" badkey=$(dig_status "$out")/$(printf '%s\n' "$out" | grep -Eo 'BAD(SIG|KEY|TIME)' | head -n 1)"
	if [ -n "$TSIG_PY" ]; then
		out=$(tsigask "$port" --skew -3600 --key "tk.example.:hmac-sha256:$SECRET" www.example.com)
		line+=" badtime=$(field "$out" rcode)/$(field "$out" tsigerror)"
		line+=" badtime-mac=$(field "$out" macsize)"
		out=$(tsigask "$port" --mac-size 15 --key "tk.example.:hmac-sha256:$SECRET" www.example.com)
		line+=" mac15=$(field "$out" rcode)/$(field "$out" tsigerror)/$(field "$out" macsize)"
	fi
	echo "$line"
}

start_dualnsd --key "tk.example:hmac-sha256:$SECRET" "$ZONE"
mine=$(answers "$PORT")
expect_eq "dualnsd's answers to the bad requests" "$mine" \
	"valid=NOERROR badsig=NOTAUTH/BADSIG badkey=NOTAUTH/BADKEY${TSIG_PY:+ badtime=NOTAUTH/BADTIME badtime-mac=32 mac15=NOTAUTH/BADSIG/0}"
stop_dualnsd

if command -v nsd >/dev/null 2>&1; then
	dir=$(sys_tmpdir)
	sys_copy_zone "$ZONE" "$dir"
	if ref_start_free nsd "$dir" example.com "$dir/example.com.zone" \
		'key:' 'name: "tk.example"' 'algorithm: hmac-sha256' "secret: \"$SECRET\""; then
		SYS_LOGS+=("$REF_LOG")
		expect_eq "NSD answers the same bad requests the same way (BADTIME's signature aside)" \
			"$(answers "$REF_PORT" | sed 's/ badtime-mac=[0-9]*//')" "$(printf '%s' "$mine" | sed 's/ badtime-mac=[0-9]*//')"
		stop_pid "$REF_PID"
	else
		bad "NSD with a key did not serve" "$(cat "$REF_LOG")"
	fi
else
	note "nsd not installed: no comparison with NSD"
fi
if command -v knotd >/dev/null 2>&1; then
	dir=$(sys_tmpdir)
	sys_copy_zone "$ZONE" "$dir"
	KNOT_SECTIONS=$'key:\n  - id: tk.example\n    algorithm: hmac-sha256\n    secret: '"$SECRET"
	KNOT_SECTIONS+=$'\nacl:\n  - id: tk\n    key: tk.example\n    action: transfer'
	KNOT_ZONE_ITEMS='    acl: tk'
	if ref_start_free knot "$dir" example.com "$dir/example.com.zone"; then
		SYS_LOGS+=("$REF_LOG")
		expect_eq "Knot answers the same bad requests the same way, BADTIME signed too" \
			"$(answers "$REF_PORT")" "$mine"
		stop_pid "$REF_PID"
	else
		bad "Knot with a key did not serve" "$(cat "$REF_LOG")"
	fi
	unset KNOT_SECTIONS KNOT_ZONE_ITEMS
else
	note "knotd not installed: no comparison with Knot"
fi


