# tests/system/lib.sh: shared harness for the system tests (sourced, bash).
#
# Every system test sources this file. It gives:
#   sys_tmpdir               make and echo a fresh folder under $top_builddir (removed on exit)
#   free_port                echo a port free for both UDP and TCP on 127.0.0.1
#   start_dualnsd ARGS...    run $DUALNSD -p $PORT -l 127.0.0.1 ARGS; sets DUALNSD_PID PORT DUALNSD_LOG
#   stop_dualnsd             SIGTERM, wait, require exit status 0
#   start_nsd ZONE ORIGIN    run Debian's nsd on a free port; sets NSD_PORT NSD_PID (77 if missing)
#   start_knot ZONE ORIGIN   run Debian's knotd on a free port; sets KNOT_PORT KNOT_PID (77 if missing)
#   skip MSG / fail MSG      exit 77 / exit 1
#   expect_eq WHAT GOT WANT  and friends: record a failure (naming WHAT, which cites the RFC)
#                            and go on, so one run lists every broken assertion
#   qdig PORT ARGS...        dig at 127.0.0.1#PORT with no retries and a short timeout
#   dig_status/dig_flag/dig_count/dig_section  read dig's output
#   dnsraw ARGS...           tests/system/dnsraw.py, the raw wire tool
# and an EXIT trap that stops every process started here and removes the temp folders.
#
# Tests only listen on 127.0.0.1, only write under $top_builddir, and never send traffic
# anywhere else.

if [ -z "${BASH_VERSION:-}" ]; then
	echo "lib.sh needs bash" >&2
	exit 99
fi

: "${top_srcdir:?top_srcdir is not set: run the tests with make check}"
: "${top_builddir:?top_builddir is not set: run the tests with make check}"
: "${DUALNSD:=$top_builddir/src/dualnsd}"
: "${DUALQ:=$top_builddir/src/client/dualq}"
: "${PYTHON3:=python3}"
# Resolve the interpreter once: a pyenv-style shim costs ~100 ms per start, and the tests
# start python a few hundred times.
if command -v "$PYTHON3" >/dev/null 2>&1; then
	PYTHON3=$("$PYTHON3" -c 'import sys; print(sys.executable)' 2>/dev/null || echo "$PYTHON3")
fi

SYS_NAME=$(basename "${0%.sh}")
SYS_FAILS=0
SYS_PIDS=()
SYS_TMPDIRS=()
SYS_LOGS=()

# ---------------------------------------------------------------- reporting

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

note() {
	echo "# $*"
}

# ok WHAT: an assertion that held. bad WHAT DETAIL: one that did not (the test goes on,
# and ends with status 1).
ok() {
	echo "ok - $1"
}

bad() {
	SYS_FAILS=$((SYS_FAILS + 1))
	echo "not ok - $1"
	shift
	local line
	for line in "$@"; do
		echo "#   $line"
	done
}

# expect_eq WHAT GOT WANT: WHAT names the fact and cites its RFC.
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		bad "$1" "want: $3" "got:  $2"
	fi
}

expect_ne() {
	if [ "$2" != "$3" ]; then
		ok "$1"
	else
		bad "$1" "want anything but: $3" "got: $2"
	fi
}

# expect_match WHAT GOT ERE: GOT matches the extended regular expression ERE.
expect_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		ok "$1"
	else
		bad "$1" "want a match for: $3" "got: $2"
	fi
}

expect_nomatch() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		bad "$1" "want no match for: $3" "got: $2"
	else
		ok "$1"
	fi
}

# expect_le WHAT GOT MAX, expect_ge WHAT GOT MIN: integer bounds.
expect_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then
		ok "$1"
	else
		bad "$1" "want: <= $3" "got:  $2"
	fi
}

expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then
		ok "$1"
	else
		bad "$1" "want: >= $3" "got:  $2"
	fi
}

# kv KEY LINE: the value of KEY=VALUE in one line of dnsraw output.
kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# expect_kv WHAT LINE KEY WANT: a dnsraw reply field.
expect_kv() {
	expect_eq "$1" "$(kv "$3" "$2")" "$4"
}

# ---------------------------------------------------------------- cleanup

sys_cleanup() {
	local status=$? pid dir log
	trap - EXIT INT TERM
	for pid in "${SYS_PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null
		fi
	done
	for pid in "${SYS_PIDS[@]}"; do
		local i
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ "$status" -ne 0 ] && [ "$status" -ne 77 ] || [ "$SYS_FAILS" -gt 0 ]; then
		for log in "${SYS_LOGS[@]}"; do
			if [ -s "$log" ]; then
				echo "# ---- $log (last 30 lines)"
				tail -n 30 "$log" | sed 's/^/#   /'
			fi
		done
	fi
	for dir in "${SYS_TMPDIRS[@]}"; do
		rm -rf "$dir"
	done
	if [ "$SYS_FAILS" -gt 0 ]; then
		echo "$SYS_NAME: $SYS_FAILS assertion(s) failed"
		[ "$status" -eq 0 ] && status=1
	fi
	exit "$status"
}
trap sys_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# sys_track PID: stop PID on exit.
sys_track() {
	SYS_PIDS+=("$1")
}

# sys_tmpdir_set VAR: make a fresh folder under $top_builddir, store its path in VAR,
# remove it on exit.
sys_tmpdir_set() {
	local dir
	dir=$(mktemp -d "$top_builddir/sys-$SYS_NAME.XXXXXX") || fail "mktemp under $top_builddir"
	SYS_TMPDIRS+=("$dir")
	printf -v "$1" '%s' "$dir"
}
sys_tmpdir_set SYS_TMP

# sys_tmpdir: echo a fresh folder. It lives inside $SYS_TMP, so it is removed on exit even
# when called as d=$(sys_tmpdir) (a subshell, which cannot register anything).
sys_tmpdir() {
	mktemp -d "$SYS_TMP/tmp.XXXXXX" || fail "mktemp under $SYS_TMP"
}

# ---------------------------------------------------------------- tools

need_python() {
	command -v "$PYTHON3" >/dev/null 2>&1 || skip "python3 not found"
}

need_tool() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 not found (${2:-install it})"
}

DNSRAW_PY="$top_srcdir/tests/system/dnsraw.py"
dnsraw() {
	"$PYTHON3" "$DNSRAW_PY" "$@"
}

# free_port: a random port in 20000..31999 (below Linux's ephemeral range, so no client
# socket of ours can hold it) that binds both UDP and TCP on 127.0.0.1 right now.
free_port() {
	"$PYTHON3" - <<'EOF'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 31999)
    socks = []
    try:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(port)
    sys.exit(0)
sys.exit("no free port found")
EOF
}

# wait_answer PORT ORIGIN [SECONDS]: poll until ORIGIN's SOA comes back authoritative
# (the zone is loaded, not just the socket bound).
wait_answer() {
	local port=$1 origin=$2 tries=$(( ${3:-5} * 10 )) out
	while [ "$tries" -gt 0 ]; do
		out=$(dnsraw --port "$port" --timeout 0.1 -q "$origin/SOA" 2>/dev/null)
		case $out in *" aa=1 "*" rcodename=NOERROR "*) return 0 ;; esac
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# ---------------------------------------------------------------- dualnsd

# start_dualnsd ARGS...: run dualnsd on 127.0.0.1 on a free port in the background.
# Retries with another port if the chosen one was taken in between (a parallel test).
start_dualnsd() {
	[ -x "$DUALNSD" ] || fail "$DUALNSD is not built"
	local attempt i
	for attempt in 1 2 3; do
		PORT=$(free_port) || fail "no free port"
		DUALNSD_LOG="$SYS_TMP/dualnsd.$PORT.log"
		# A port used before in this test has a log whose "serving" line is stale, and
		# the child truncates it only once it runs.
		rm -f "$DUALNSD_LOG"
		"$DUALNSD" -p "$PORT" -l 127.0.0.1 "$@" 2>"$DUALNSD_LOG" &
		DUALNSD_PID=$!
		sys_track "$DUALNSD_PID"
		SYS_LOGS+=("$DUALNSD_LOG")
		for i in $(seq 50); do
			if grep -Eq "serving .* port $PORT \(udp\+tcp\)" "$DUALNSD_LOG" 2>/dev/null; then
				return 0
			fi
			kill -0 "$DUALNSD_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$DUALNSD_PID" 2>/dev/null; then
			echo "# dualnsd log:"; sed 's/^/#   /' "$DUALNSD_LOG"
			fail "dualnsd did not say 'serving ... port $PORT (udp+tcp)' within 5 s"
		fi
		wait "$DUALNSD_PID" 2>/dev/null
		grep -qi 'in use' "$DUALNSD_LOG" && continue
		break
	done
	echo "# dualnsd log:"; sed 's/^/#   /' "$DUALNSD_LOG"
	fail "dualnsd $* exited before serving"
}

# stop_dualnsd: SIGTERM must stop it cleanly with status 0.
stop_dualnsd() {
	local status i
	kill -TERM "$DUALNSD_PID" 2>/dev/null || { bad "dualnsd was still running before SIGTERM"; return; }
	for i in $(seq 50); do
		kill -0 "$DUALNSD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$DUALNSD_PID" 2>/dev/null; then
		kill -KILL "$DUALNSD_PID"
		wait "$DUALNSD_PID" 2>/dev/null
		bad "dualnsd stops within 5 s of SIGTERM"
		return
	fi
	wait "$DUALNSD_PID"
	status=$?
	expect_eq "dualnsd exits with status 0 on SIGTERM" "$status" 0
}

# ---------------------------------------------------------------- reference servers

# sys_copy_zone ZONEFILE DIR: copy the zone file and everything beside it it may
# $INCLUDE (*.inc) into DIR, so a reference server resolves includes the same way.
sys_copy_zone() {
	local src=$1 dir=$2 inc
	cp "$src" "$dir/" || fail "copy $src"
	for inc in "$(dirname "$src")"/*.inc; do
		[ -e "$inc" ] && cp "$inc" "$dir/"
	done
	chmod -R a+rX "$dir"
}

# start_nsd ZONEFILE ORIGIN: NSD on 127.0.0.1 on a free port, RRL off.
start_nsd() {
	need_tool nsd "apt-get install nsd"
	local zone=$1 origin=$2 dir attempt
	dir=$(sys_tmpdir)
	[ -d "$dir" ] || fail "no temp folder"
	sys_copy_zone "$zone" "$dir"
	for attempt in 1 2 3; do
		NSD_PORT=$(free_port) || fail "no free port"
		cat >"$dir/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.1
	port: $NSD_PORT
	do-ip6: no
	username: ""
	chroot: ""
	zonesdir: "$dir"
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	pidfile: "$dir/nsd.pid"
	logfile: "$dir/nsd.log"
	server-count: 1
	verbosity: 1
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
	zonefiles-write: 0
remote-control:
	control-enable: no
zone:
	name: "$origin"
	zonefile: "$dir/$(basename "$zone")"
EOF
		nsd -d -c "$dir/nsd.conf" 2>>"$dir/nsd.log" &
		NSD_PID=$!
		sys_track "$NSD_PID"
		SYS_LOGS+=("$dir/nsd.log")
		wait_answer "$NSD_PORT" "$origin" 5 && return 0
		kill -0 "$NSD_PID" 2>/dev/null && { sed 's/^/#   /' "$dir/nsd.log"; fail "nsd did not serve $origin within 5 s"; }
		grep -qi 'in use' "$dir/nsd.log" || break
	done
	sed 's/^/#   /' "$dir/nsd.log"
	fail "nsd did not start"
}

# start_knot ZONEFILE ORIGIN: Knot DNS on 127.0.0.1 on a free port.
start_knot() {
	need_tool knotd "apt-get install knot"
	local zone=$1 origin=$2 dir attempt
	dir=$(sys_tmpdir)
	[ -d "$dir" ] || fail "no temp folder"
	sys_copy_zone "$zone" "$dir"
	for attempt in 1 2 3; do
		KNOT_PORT=$(free_port) || fail "no free port"
		cat >"$dir/knot.conf" <<EOF
server:
    rundir: "$dir"
    listen: 127.0.0.1@$KNOT_PORT
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
control:
    listen: "$dir/knot.sock"
log:
  - target: "$dir/knot.log"
    any: info
database:
    storage: "$dir"
template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: "$origin"
    file: "$dir/$(basename "$zone")"
EOF
		knotd -c "$dir/knot.conf" 2>>"$dir/knot.log" &
		KNOT_PID=$!
		sys_track "$KNOT_PID"
		SYS_LOGS+=("$dir/knot.log")
		wait_answer "$KNOT_PORT" "$origin" 5 && return 0
		kill -0 "$KNOT_PID" 2>/dev/null && { sed 's/^/#   /' "$dir/knot.log"; fail "knotd did not serve $origin within 5 s"; }
		grep -qi 'in use' "$dir/knot.log" || break
	done
	sed 's/^/#   /' "$dir/knot.log"
	fail "knotd did not start"
}

# ---------------------------------------------------------------- dig helpers

# qdig PORT ARGS...: dig against 127.0.0.1#PORT; -r ignores ~/.digrc, one try, 2 s.
qdig() {
	local port=$1
	shift
	dig -r @127.0.0.1 -p "$port" +tries=1 +time=2 "$@" 2>&1
}

# qkdig PORT ARGS...: kdig against 127.0.0.1#PORT, no retries.
qkdig() {
	local port=$1
	shift
	kdig @127.0.0.1 -p "$port" +retry=0 +time=2 "$@" 2>&1
}

# dig_status OUT: the RCODE name (NOERROR, NXDOMAIN, ...), or "timeout" (dig or kdig).
dig_status() {
	local s
	s=$(printf '%s\n' "$1" | sed -n 's/.*status: \([A-Z0-9]*\)[,;].*/\1/p' | tail -n 1)
	if [ -z "$s" ]; then
		if printf '%s\n' "$1" | grep -Eqi 'timed out|no servers could be reached|failed to query'; then
			s=timeout
		else
			s=none
		fi
	fi
	echo "$s"
}

# dig_flag OUT FLAG: 1 when FLAG (qr aa tc rd ra ad cd) is set in the last header, else 0.
# Works for dig (";; flags: qr aa rd;") and kdig (";; Flags: qr aa rd;").
dig_flag() {
	local flags
	flags=$(printf '%s\n' "$1" | grep -Ei '^;; flags:' | tail -n 1 | sed 's/^;; [Ff]lags: *//; s/;.*//')
	case " $flags " in
		*" $2 "*) echo 1 ;;
		*) echo 0 ;;
	esac
}

# dig_count OUT SECTION: the count dig printed for QUERY, ANSWER, AUTHORITY or ADDITIONAL.
dig_count() {
	printf '%s\n' "$1" | grep -Ei '^;; flags:' | tail -n 1 | sed -n "s/.*$2: \([0-9]*\).*/\1/p"
}

# dig_section OUT NAME: the records of one section (ANSWER, AUTHORITY, ADDITIONAL) as
# "owner ttl class type rdata", tabs squeezed to one space, sorted.
dig_section() {
	printf '%s\n' "$1" | awk -v want=";; $2 SECTION:" '
		$0 == want { on = 1; next }
		on && /^$/ { on = 0 }
		on && /^;/ { next }
		on { print }' | tr -s ' \t' ' ' | LC_ALL=C sort
}

# dig_rrs OUT NAME: like dig_section without the TTL column ("owner class type rdata").
dig_rrs() {
	dig_section "$1" "$2" | awk '{ $2 = ""; sub(/  /, " "); print }' | LC_ALL=C sort
}

# dig_has_opt OUT: 1 when the reply had an OPT record (dig prints an OPT PSEUDOSECTION).
dig_has_opt() {
	if printf '%s\n' "$1" | grep -q 'OPT PSEUDOSECTION'; then echo 1; else echo 0; fi
}
