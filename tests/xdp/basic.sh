#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/xdp/basic.sh: dualnsd --xdp on the server's end of a veth pair answers UDP queries
# from the other namespace through AF_XDP over IPv4 and IPv6; a truncated answer (TC=1)
# is retried over TCP on the same port by the kernel's listener; both kernel listeners stay;
# the program is attached only while dualnsd runs; an answer over the interface's MTU gets
# TC=1 rather than leaving as IP fragments. Needs root; skips (77) otherwise.

. "$top_srcdir/tests/xdp/lib.sh" || exit 99

xdp_need
# The client's checksum offload stays on, as in a container behind a veth: its queries
# carry the pseudo-header's sum only, which the AF_XDP path must take as the kernel does.
# Four RX queues: a socket and a thread each.
NETNS_CLIENT_OFFLOAD=on
xdp_ns_setup 4
expect_match "the client's veth leaves UDP checksums to its offload" \
	"$(cli_exec ethtool -k "$XDP_CLI_IF" | grep '^tx-checksumming')" ': on'
# expect_dnskey_tc_via_xdp BUFSIZE LABEL: example.org's DNSKEY with DO at an EDNS size of
# BUFSIZE comes back truncated (TC=1), and from the AF_XDP path (its counter rose).
expect_dnskey_tc_via_xdp() {
	local before out
	before=$(xdp_stat xdp-answered)
	out=$(xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" +ignore +bufsize="$1" +dnssec example.org DNSKEY)
	expect_eq "$2" "$(dig_flag "$out" tc)" 1
	expect_ge "the truncated answer came from the XDP path" "$(xdp_stat xdp-answered)" \
		$((before + 1))
}

ZONES=("$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone"
	"example.org=$top_srcdir/zones/example.org.zone.signed")
xdp_dualnsd_start "${ZONES[@]}"

# ---- attached, and the kernel's sockets kept
link=$(srv_exec ip link show dev "$XDP_SRV_IF")
expect_match "ip link shows the XDP program attached in native mode while dualnsd runs" \
	"$link" "prog/xdp .*name xdp_dns"
expect_match "dualnsd says what it attached" "$(cat "$DUALNSD_LOG")" \
	"xdp: $XDP_SRV_IF: program attached \(native mode\), 4 AF_XDP sockets"
expect_match "ss shows dualnsd's kernel UDP listener on the port beside XDP" \
	"$(srv_exec ss -ulpnH "sport = :$XDP_PORT")" "dualnsd"
expect_match "ss shows dualnsd's kernel TCP listener on the port beside XDP" \
	"$(srv_exec ss -tlpnH "sport = :$XDP_PORT")" "dualnsd"

# ---- answers over IPv4 and IPv6 from the AF_XDP sockets
before=$(xdp_stat xdp-answered)
expect_match "stats.dualns. shows xdp-answered" "$before" '^[0-9]+$'
out=$(xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" www.example.com A)
expect_eq "IPv4: NOERROR from the XDP path" "$(dig_status "$out")" NOERROR
expect_match "IPv4: the A record of www.example.com" "$out" \
	"^www\.example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80$"
expect_match "IPv4: the answer came over UDP" "$out" "SERVER: $XDP_SRV4#$XDP_PORT.*\(UDP\)"
out=$(xdp_cdig @"$XDP_SRV6" -p "$XDP_PORT" www.example.com AAAA)
expect_eq "IPv6: NOERROR from the XDP path" "$(dig_status "$out")" NOERROR
expect_match "IPv6: the AAAA record of www.example.com" "$out" \
	"IN[[:space:]]+AAAA[[:space:]]+2001:db8::80$"
after=$(xdp_stat xdp-answered)
expect_ge "xdp-answered counts both answers" "$after" $((before + 2))
expect_ge "xdp-redirected counts the program's redirects" "$(xdp_stat xdp-redirected)" 2
expect_ge "xdp-passed counts what went to the kernel" "$(xdp_stat xdp-passed)" 1
before=$(xdp_stat xdp-answered)
got=0
for i in $(seq 1 16); do
	out=$(xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" +short "www.example.com" A)
	[ "$out" = 192.0.2.80 ] && got=$((got + 1))
done
expect_eq "16 queries from 16 source ports, spread over the queues, all answered" "$got" 16
expect_ge "all 16 answered from the XDP path" "$(xdp_stat xdp-answered)" $((before + 16))

# ---- TC=1 through XDP, then TCP from the kernel's listener on the same port
expect_dnskey_tc_via_xdp 512 "DNSKEY with DO over 512 bytes: TC=1 (RFC 6891 section 7)"
out=$(xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" +tries=3 +bufsize=512 +dnssec example.org DNSKEY)
expect_match "dig retries over TCP on the same port (RFC 7766 section 5)" "$out" \
	"SERVER: $XDP_SRV4#$XDP_PORT.*\(TCP\)"
expect_ge "the TCP answer holds the DNSKEY RRset" "$(dig_count "$out" ANSWER)" 2
if [ -x "$DUALQ" ]; then
	out=$(cli_exec "$DUALQ" @"$XDP_SRV4" -p "$XDP_PORT" +bufsize=512 +dnssec example.org \
		DNSKEY 2>&1)
	expect_match "dualq: the UDP leg is truncated" "$out" \
		"^;; truncated: retrying over tcp to the same port $XDP_PORT\$"
	expect_match "dualq: the TCP leg to the same port answers" "$out" \
		"^;; tcp +$XDP_CLI4:[0-9]+ -> $XDP_SRV4:$XDP_PORT"
fi

# ---- an answer that fits 1232 bytes but not the MTU: measured at MTU 1500 first
out=$(xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" +ignore +bufsize=1232 +dnssec example.org DNSKEY)
size=$(sed -n 's/^;; MSG SIZE  rcvd: \([0-9]*\)$/\1/p' <<<"$out")
expect_eq "MTU 1500: DNSKEY with DO fits 1232 bytes, TC=0" "$(dig_flag "$out" tc)" 0
expect_ge "the DNSKEY answer is larger than an MTU of 600 holds" "${size:-0}" 573

stop_pid "$DUALNSD_PID"
expect_eq "dualnsd --xdp exits with status 0 on SIGTERM" "$STOP_STATUS" 0
expect_match "the stop line gives the XDP counters" "$(cat "$DUALNSD_LOG")" \
	"xdp: $XDP_SRV_IF: stopped; xdp-answered=[1-9][0-9]* xdp-tx-full=0 xdp-redirected=[1-9]"
expect_nomatch "ip link shows no XDP program once dualnsd stopped" \
	"$(srv_exec ip link show dev "$XDP_SRV_IF")" "prog/xdp"

xdp_mtu 600 || fail "cannot set the MTU to 600"
# This time dualnsd confines itself (--chroot) and drops root (-u) once set up: the XDP
# path, opened before both, keeps answering, and the program still goes when it exits.
root=$(sys_tmpdir)
cp "$top_srcdir"/zones/example.com.zone "$top_srcdir"/zones/example.com.big.inc \
	"$top_srcdir"/zones/example.net.zone "$top_srcdir"/zones/example.org.zone.signed "$root/"
chmod a+rX "$SYS_TMP" "$root" "$root"/*
USER_ARGS=(--chroot "$root")
# LeakSanitizer cannot list the threads from inside a chroot (tests/sysd/privileges.sh); the
# runs above kept leak checking.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
id nobody >/dev/null 2>&1 && USER_ARGS+=(-u nobody)
xdp_dualnsd_start "${USER_ARGS[@]}" "$root/example.com.zone" "$root/example.net.zone" \
	"example.org=$root/example.org.zone.signed"
expect_match "dualnsd holds UDP answers to the MTU less the IP and UDP headers" \
	"$(cat "$DUALNSD_LOG")" "MTU 600, UDP answers up to 552 bytes"
expect_dnskey_tc_via_xdp 1232 \
	"MTU 600: the same answer gets TC=1 via XDP, not IP fragments (RFC 6891 section 6.2.5)"
out=$(xdp_cdig @"$XDP_SRV4" -p "$XDP_PORT" +ignore +bufsize=1232 www.example.com A)
expect_eq "MTU 600: a small answer is still whole" "$(dig_flag "$out" tc)" 0
stop_pid "$DUALNSD_PID"
expect_eq "dualnsd --xdp --chroot -u exits with status 0 on SIGTERM" "$STOP_STATUS" 0
expect_nomatch "ip link shows no XDP program once dualnsd --chroot -u stopped" \
	"$(srv_exec ip link show dev "$XDP_SRV_IF")" "prog/xdp"
