# tests/client/lib.sh: shared setup for dualq's system tests (sourced): temp folder, free ports,
# starting dualnsd, NSD and Knot DNS on 127.0.0.1, and small assertions.
# Exit 77 means skipped (automake); tests write only under $top_builddir and clean up.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${DUALQ:=$top_builddir/src/client/dualq}"
: "${DUALNSD:=$top_builddir/src/dualnsd}"
: "${PYTHON3:=$(command -v python3)}"

ZONEDIR="$top_srcdir/zones"
BADSERVER="$top_srcdir/tests/client/badserver.py"
JSONCHECK="$top_srcdir/tests/client/jsoncheck.py"
failures=0
pids=""

skip() { echo "SKIP: $*"; exit 77; }
[ -n "$PYTHON3" ] || skip "python3 not found (needed to check JSON and find free ports)"

tmp=$(mktemp -d "$top_builddir/dualq-test.XXXXXX") || exit 99
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A port number free for both UDP and TCP on 127.0.0.1.
free_port() {
	"$PYTHON3" - <<'PY'
import socket
for _ in range(100):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    p = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", p))
        print(p)
        break
    except OSError:
        pass
    finally:
        t.close()
        u.close()
PY
}

# Polls until the server on $1 answers example.com SOA over UDP and TCP (up to 10 s).
wait_ready() {
	for _ in $(seq 1 50); do
		if "$DUALQ" @127.0.0.1 -p "$1" example.com SOA +timeout=0.2 +tries=1 +short >/dev/null 2>&1 &&
		   "$DUALQ" @127.0.0.1 -p "$1" example.com SOA +tcp +timeout=0.2 +short >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# Servers get a UDP limit of 8192 where they allow it (server_udp_max), so a client asking for that much needs no TCP retry
# while the default 1232 still truncates big.example.com.

# start_dualnsd PORT [ZONEFILE...]: the bundled example.com zone, and any more zones given.
# Skips when dualnsd is missing or still the placeholder that exits at once.
start_dualnsd() {
	[ -x "$DUALNSD" ] || skip "dualnsd not built"
	sd_port=$1
	shift
	"$DUALNSD" -p "$sd_port" -l 127.0.0.1 --udp-size 8192 "$ZONEDIR/example.com.zone" "$@" 2>"$tmp/dualnsd.log" &
	server_pid=$!
	pids="$pids $server_pid"
	for _ in $(seq 1 50); do
		grep -q "serving" "$tmp/dualnsd.log" && break
		if ! kill -0 "$server_pid" 2>/dev/null; then
			wait "$server_pid"
			rc=$?
			[ "$rc" = 0 ] && skip "dualnsd exited at once without serving (placeholder build)"
			cat "$tmp/dualnsd.log"
			echo "FAIL: dualnsd exited with $rc"
			exit 1
		fi
		sleep 0.1
	done
	server_udp_max=8192
	wait_ready "$sd_port" || { cat "$tmp/dualnsd.log"; echo "FAIL: dualnsd does not answer"; exit 1; }
}

# start_nsd PORT: NSD with response rate limiting off (Debian enables it), NSID "nsd-test".
start_nsd() {
	command -v nsd >/dev/null 2>&1 || skip "nsd not installed"
	cat >"$tmp/nsd.conf" <<EOC
server:
  ip-address: 127.0.0.1@$1
  zonesdir: "$ZONEDIR"
  pidfile: "$tmp/nsd.pid"
  username: ""
  database: ""
  zonelistfile: "$tmp/zone.list"
  xfrdfile: "$tmp/xfrd.state"
  rrl-ratelimit: 0
  ipv4-edns-size: 8192
  nsid: "ascii_nsd-test"
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: example.com
  zonefile: "$ZONEDIR/example.com.zone"
EOC
	nsd -d -c "$tmp/nsd.conf" >"$tmp/nsd.log" 2>&1 &
	server_pid=$!
	pids="$pids $server_pid"
	server_udp_max=8192
	wait_ready "$1" || { cat "$tmp/nsd.log"; echo "FAIL: nsd does not answer"; exit 1; }
}

# start_knot PORT: Knot DNS reading the zone file in place and writing nothing beside it.
start_knot() {
	command -v knotd >/dev/null 2>&1 || skip "knotd not installed"
	mkdir -p "$tmp/knot"
	cat >"$tmp/knot.conf" <<EOC
server:
  listen: 127.0.0.1@$1
  rundir: $tmp/knot
  nsid: knot-test
  udp-max-payload: 4096
database:
  storage: $tmp/knot
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: $ZONEDIR
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: example.com
EOC
	knotd -c "$tmp/knot.conf" >"$tmp/knot.log" 2>&1 &
	server_pid=$!
	pids="$pids $server_pid"
	server_udp_max=4096  # Knot's ceiling: big.example.com (4.5 KB) always needs TCP there
	wait_ready "$1" || { cat "$tmp/knot.log"; echo "FAIL: knotd does not answer"; exit 1; }
}

# start_badserver MODE: sets port to the port it bound. Returns 77 when the mode cannot
# run here (the icmp mode without CAP_NET_RAW).
start_badserver() {
	# The shell truncates the log only once the child runs: until then it still holds
	# the previous server's line, and its port (a closed one) would be read here.
	rm -f "$tmp/bad.log"
	"$PYTHON3" "$BADSERVER" "$1" 2>"$tmp/bad.log" &
	server_pid=$!
	pids="$pids $server_pid"
	for _ in $(seq 1 50); do
		port=$(sed -n 's/.*port \([0-9]*\) (udp+tcp).*/\1/p' "$tmp/bad.log" 2>/dev/null)
		[ -n "$port" ] && return 0
		if ! kill -0 "$server_pid" 2>/dev/null; then
			wait "$server_pid"
			[ $? = 77 ] && { cat "$tmp/bad.log"; return 77; }
			break
		fi
		sleep 0.1
	done
	cat "$tmp/bad.log"
	echo "FAIL: badserver did not start"
	exit 1
}

stop_server() {
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
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
