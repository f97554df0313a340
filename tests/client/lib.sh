# SPDX-License-Identifier: BSD-3-Clause
# tests/client/lib.sh: shared setup for dualq's system tests (sourced): temp folder, free ports,
# starting dualnsd, NSD and Knot DNS on 127.0.0.1, and small assertions.
# Exit 77 means skipped (automake); tests write only under $top_builddir and clean up.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh" || exit 99

ZONEDIR="$top_srcdir/zones"
BADSERVER="$top_srcdir/tests/client/badserver.py"
JSONCHECK="$top_srcdir/tests/client/jsoncheck.py"
failures=0

skip() { echo "SKIP: $*"; exit 77; }
command -v "$PYTHON3" >/dev/null 2>&1 || skip "python3 not found (needed to check JSON and find free ports)"

new_tmpdir tmp "$DUALNS_BUILD" dualq-test || exit 99

# server_answers PORT: the server on PORT answers example.com SOA over UDP and TCP.
server_answers() {
	"$DUALQ" @127.0.0.1 -p "$1" example.com SOA +timeout=0.2 +tries=1 +short >/dev/null 2>&1 &&
		"$DUALQ" @127.0.0.1 -p "$1" example.com SOA +tcp +timeout=0.2 +short >/dev/null 2>&1
}

# Servers get a UDP limit of 8192 where they allow it (server_udp_max), so a client asking
# for that much needs no TCP retry while the default 1232 still truncates big.example.com.
# Each start_* sets port (a free one) and server_pid.

# start_dualnsd [ZONEFILE...]: the bundled example.com zone and any more zones given, on a
# free port (sets port). Skips when dualnsd is missing.
start_dualnsd() {
	[ -x "$DUALNSD" ] || skip "dualnsd not built"
	local rc=0
	dualnsd_start_free "$tmp" --udp-size 8192 "$ZONEDIR/example.com.zone" "$@" || rc=$?
	port=$PORT
	server_pid=$DUALNSD_PID
	server_udp_max=8192
	if [ "$rc" -ne 0 ] || ! wait_for 20 server_answers "$port"; then
		cat "$DUALNSD_LOG"
		echo "FAIL: dualnsd does not answer (start status $rc${DUALNSD_STATUS:+, exit $DUALNSD_STATUS})"
		exit 1
	fi
}

# start_ref nsd|knot SERVER-LINE...: a reference server for the bundled zone.
start_ref() {
	local kind=$1
	shift
	if ! ref_start_free "$kind" "$tmp/$kind" example.com "$ZONEDIR/example.com.zone" "$@" ||
		! wait_for 20 server_answers "$REF_PORT"; then
		cat "$REF_LOG"
		echo "FAIL: $kind does not answer"
		exit 1
	fi
	port=$REF_PORT
	server_pid=$REF_PID
}

# start_nsd: NSD with NSID "nsd-test" and a UDP limit of 8192.
start_nsd() {
	command -v nsd >/dev/null 2>&1 || skip "nsd not installed"
	start_ref nsd 'ipv4-edns-size: 8192' 'nsid: "ascii_nsd-test"'
	server_udp_max=8192
}

# start_knot: Knot DNS with NSID "knot-test".
start_knot() {
	command -v knotd >/dev/null 2>&1 || skip "knotd not installed"
	start_ref knot 'nsid: knot-test' 'udp-max-payload: 4096'
	server_udp_max=4096  # Knot's ceiling: big.example.com (4.5 KB) always needs TCP there
}

# start_badserver MODE: sets port to the port it bound. Returns 77 when the mode cannot
# run here (the icmp mode without CAP_NET_RAW).
start_badserver() {
	# The shell truncates the log only once the child runs: until then it still holds
	# the previous server's line, and its port (a closed one) would be read here.
	rm -f "$tmp/bad.log"
	"$PYTHON3" "$BADSERVER" "$1" 2>"$tmp/bad.log" &
	server_pid=$!
	track_pid "$server_pid"
	wait_for 20 badserver_up "$server_pid"
	port=$(badserver_port)
	[ -n "$port" ] && return 0
	if ! kill -0 "$server_pid" 2>/dev/null; then
		wait "$server_pid"
		[ $? = 77 ] && { cat "$tmp/bad.log"; return 77; }
	fi
	cat "$tmp/bad.log"
	echo "FAIL: badserver did not start"
	exit 1
}

# badserver_port: the port badserver.py says it bound, once it has.
badserver_port() {
	sed -n 's/.*port \([0-9]*\) (udp+tcp).*/\1/p' "$tmp/bad.log" 2>/dev/null
}

badserver_up() {
	[ -n "$(badserver_port)" ] || ! kill -0 "$1" 2>/dev/null
}

stop_server() {
	stop_pid "$server_pid"
}

# expect_rc WANT DESCRIPTION CMD...: runs CMD with stdout in $tmp/out and stderr in $tmp/err.
expect_rc() {
	want=$1
	desc=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok: $desc (exit $rc)"
	else
		echo "FAIL: $desc: exit $rc, expected $want: $*"
		sed 's/^/  stdout: /' "$tmp/out" | head -20
		sed 's/^/  stderr: /' "$tmp/err"
		[ -s "$tmp/bad.log" ] && sed 's/^/  badserver: /' "$tmp/bad.log"
		failures=$((failures + 1))
	fi
}

# json_check DESCRIPTION EXPR...: checks $tmp/out, the last command's JSON.
json_check() {
	desc=$1
	shift
	if "$PYTHON3" "$JSONCHECK" "$tmp/out" "$@" >"$tmp/jc" 2>&1; then
		echo "ok: $desc"
	else
		echo "FAIL: $desc"
		sed 's/^/  /' "$tmp/jc"
		failures=$((failures + 1))
	fi
}

# out_has DESCRIPTION PATTERN [FILE]: grep -E in $tmp/out (or FILE).
out_has() {
	if grep -Eq -- "$2" "${3:-$tmp/out}"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no line matches /$2/"
		sed 's/^/  /' "${3:-$tmp/out}" | head -20
		failures=$((failures + 1))
	fi
}

finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}
