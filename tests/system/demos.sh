#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# demos.sh: the demonstrations of contrib/demo/ run and explain what they show in their own
# words, and no demo, unit file or installed document points the reader at a document or
# a numbered fact that is nowhere to be read.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool ss "apt-get install iproute2"

# ---- what the reader sees: the demos, the units, the Debian packaging and the documents
# it installs (README.md, the manual pages).
found=$(cd "$top_srcdir" && grep -rnE 'DESIGN|[Ff]acts? #?[0-9]' contrib/demo contrib/systemd \
	contrib/debian README.md src/dualnsd.8 src/client/dualq.1)
expect_eq "no demo, unit or installed document cites DESIGN or a numbered fact" "$found" ""

# ---- port-facts.sh binds 0.0.0.0, which the tests never do: only its text is read.
# Each verdict is a conclusion about the claim, never the claim said again under "ok".
pf="$top_srcdir/contrib/demo/port-facts.sh"
expect_match "port-facts.sh concludes 'the claim holds here' / 'does not hold'" \
	"$(cat "$pf")" 'the claim %s here: .*"holds" if holds else "does not hold"'
expect_nomatch "port-facts.sh prints no bare HOLDS / DOES NOT HOLD" "$(cat "$pf")" 'HOLDS here'

# demo NAME: run contrib/demo/NAME with its temp files under $SYS_TMP; sets OUT, and records
# that it ran with status 0 and printed no numbered fact.
demo() {
	local status=0
	OUT=$(TMPDIR=$SYS_TMP timeout 120 bash "$top_srcdir/contrib/demo/$1" 2>&1) || status=$?
	printf '%s\n' "$OUT" >"$SYS_TMP/$1.out"
	SYS_LOGS+=("$SYS_TMP/$1.out")
	expect_eq "$1 runs to the end with status 0" "$status" 0
	expect_nomatch "$1 prints no numbered fact" "$OUT" '[Ff]acts? #?[0-9]'
}

# notes OUT: the demo's own explanations on one line: its note lines, indented by four
# spaces and starting with a letter, a quote or a dash (the dualnsd log lines it shows
# left out).
notes() {
	printf '%s\n' "$1" | grep -E '^    [-A-Za-z"]' | grep -v '^    dualnsd: ' | tr '\n' ' '
}

demo tc-fallback.sh
expect_match "tc-fallback.sh: the UDP leg shows the server's OPT of 8192" "$OUT" '^;; udp .* edns 8192 '
expect_match "tc-fallback.sh: a note explains the server's edns 8192 beside the 1232 dualq advertised (RFC 6891 sections 6.2.3 and 6.2.4)" \
	"$(notes "$OUT")" '"edns 8192".*--udp-size.*1232.*advertised'

demo connected-udp.sh
expect_match "connected-udp.sh: dualq's connected socket got the real answer, not the forged one (RFC 5452 section 9.1)" \
	"$OUT" '^192\.0\.2\.80$'

demo reuseaddr-restart.sh
expect_match "reuseaddr-restart.sh: the restarted dualnsd answers over TCP" "$OUT" '^;; tcp .* NOERROR'

# reuseport.sh asks 450 times with dig, a minute or more here: only its text is read. It
# says where "process A" and "process B" come from, and shows it.
rp=$(cat "$top_srcdir/contrib/demo/reuseport.sh")
expect_match "reuseport.sh: a note says the TXT record of who.demo.test names the process" \
	"$(printf '%s\n' "$rp" | grep -E '^(note|     ")' | tr '\n' ' ')" \
	'TXT.*who\.demo\.test.*process A.*process B'
expect_match "reuseport.sh: shows that record in each process's zone file" "$rp" \
	'^run grep .*who .*a\.zone.*b\.zone'

# rrl-slip.sh: the flood's amplification without and with rate limiting, a real client in
# the victim's /24 answered over TCP after a slip, one in another /24 not limited, and the
# start and stop lines.
demo rrl-slip.sh
amp=$(printf '%s\n' "$OUT" | sed -n 's/^sent=.* amplification=\([0-9.]*\) .*/\1/p')
expect_match "rrl-slip.sh: without rate limiting the flood is amplified over 10 times" \
	"$(echo "$amp" | sed -n 1p)" '^([1-9][0-9]|[1-9][0-9][0-9])\.'
# The 200 full answers of each second weigh more when a loaded machine sends the flood
# slower: below 2 whatever the pace (flood.sh measures it at full rate).
expect_match "rrl-slip.sh: with it, the amplification falls ten times and more" \
	"$(echo "$amp" | sed -n 2p)" '^[01]\.[0-9]+$'
expect_match "rrl-slip.sh: the client in the victim's /24 gets its answer over TCP" \
	"$OUT" '^;; tcp +127\.0\.0\.9:[0-9]+ -> .* NOERROR 8/0/0'
expect_match "rrl-slip.sh: its slipped UDP answer is called a slip, not size" \
	"$OUT" 'note .*looks like a rate-limit slip'
expect_match "rrl-slip.sh: the client in another /24 gets its answer over UDP" \
	"$OUT" '^;; udp +127\.1\.0\.9:[0-9]+ -> .* qr aa +NOERROR 8/0/0'
expect_match "rrl-slip.sh: the log says when the bucket starts being limited" \
	"$OUT" 'rrl: limiting 127\.0\.0\.0/24 positive medium\.example\.com\.'

# cookies.sh: under the flood, the client without a cookie is limited, the same client with
# its server cookie never, the forger with that cookie is.
demo cookies.sh
lines=$(printf '%s\n' "$OUT" | grep '^sent=100 ')
expect_nomatch "cookies.sh: without a cookie the client in the victim's /24 is limited" \
	"$(echo "$lines" | sed -n 1p)" 'answered=100 '
expect_match "cookies.sh: with its server cookie every answer comes" \
	"$(echo "$lines" | sed -n 2p)" 'answered=100 slipped=0 dropped=0 .*cookie_echoed=100'
expect_nomatch "cookies.sh: the forger's copied cookie does not exempt it" \
	"$(echo "$lines" | sed -n 3p)" 'answered=100 '

# secondaries.sh: network namespaces as hosts (root only; addresses exist only inside
# them): NSD, Knot and a dualnsd secondary follow the dualnsd primary and reach serial 2
# by NOTIFY and IXFR; the dualnsd secondary follows Knot for example.net too; each
# server's NSID names its host.
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 && command -v nsd >/dev/null 2>&1 &&
	command -v knotd >/dev/null 2>&1 && command -v knotc >/dev/null 2>&1 &&
	ip netns list >/dev/null 2>&1; then
	demo secondaries.sh
	expect_match "secondaries.sh: NSD reaches serial 2 after the SIGHUP (NOTIFY, RFC 1996)" \
		"$OUT" 'nsd \(192\.0\.2\.2\) serves example\.org serial 2 after [0-9]+ ms'
	expect_match "secondaries.sh: Knot reaches serial 2 after the SIGHUP" \
		"$OUT" 'knot \(192\.0\.2\.3\) serves example\.org serial 2 after [0-9]+ ms'
	expect_match "secondaries.sh: the dualnsd secondary reaches serial 2 after the SIGHUP" \
		"$OUT" 'secondary \(192\.0\.2\.4\) serves example\.org serial 2 after [0-9]+ ms'
	expect_match "secondaries.sh: Knot asked the primary for an IXFR (RFC 1995)" \
		"$OUT" 'primary: dualnsd: xfr: IXFR example\.org\. serial 2 to 192\.0\.2\.3'
	expect_match "secondaries.sh: so did the dualnsd secondary" \
		"$OUT" 'primary: dualnsd: xfr: IXFR example\.org\. serial 2 to 192\.0\.2\.4'
	expect_match "secondaries.sh: the dualnsd secondary reaches example.net serial 2 after Knot's reload" \
		"$OUT" 'secondary \(192\.0\.2\.4\) serves example\.net serial 2 after [0-9]+ ms'
	expect_match "secondaries.sh: ... told by Knot's NOTIFY, by IXFR from Knot (RFC 1995, RFC 1996)" \
		"$(printf '%s\n' "$OUT" | sed -n '/^### Edit example\.net/,$p' | tr '\n' ' ')" \
		'secondary: dualnsd: secondary example\.net: NOTIFY received.*secondary: dualnsd: transfer: IXFR example\.net serial 2 from 192\.0\.2\.3:53'
	again=$(printf '%s\n' "$OUT" | sed -n '/asks each host again/,$p')
	for h in primary:1 nsd:2 knot:3 secondary:4; do
		expect_match "secondaries.sh: the answer from 192.0.2.${h#*:} carries the NSID naming its host, ${h%:*} (RFC 5001)" \
			"$again" "^;; udp  192\.0\.2\.100:[0-9]+ -> 192\.0\.2\.${h#*:}:53 .* nsid \"dualns-demo-${h%:*}\"\$"
	done
	expect_eq "secondaries.sh: the client gets the new address of www.example.org from each host" \
		"$(printf '%s\n' "$again" | grep -c '^    answer: 203\.0\.113\.20 $')" 4
	expect_eq "secondaries.sh: and the new one of www.example.net from Knot and the dualnsd secondary" \
		"$(printf '%s\n' "$again" | grep -c '^    answer: 198\.51\.100\.20 $')" 2
	expect_eq "secondaries.sh: no namespace is left behind" \
		"$(ip netns list | grep -c dualns-demo)" 0
else
	note "secondaries.sh needs root, iproute2, nsd, knotd and knotc: not run"
fi
