# SPDX-License-Identifier: BSD-3-Clause
# tests/lib/common.sh: the shell helpers every test and contrib script shares (sourced, bash).
#
# Sourced by tests/system/lib.sh (so by every system, scale, sysd, hardening and package
# test), tests/client/lib.sh, contrib/demo/common.sh, contrib/soak/run.sh and
# contrib/bench/run.sh. It needs nothing from make: the source tree is found from this
# file's own place, and the build tree is $top_builddir when make check sets it, else the
# source tree (an in-tree build). It works under `set -eu`.
#
#   DUALNS_SRC DUALNS_BUILD             the source and build trees
#   DUALNSD DUALQ PYTHON3               the programs (each may be set before sourcing)
#   track_pid PID / untrack_pid PID     stop PID on exit / no longer
#   on_exit CMD                         eval CMD on exit, once the tracked processes are
#                                       stopped; EXIT_STATUS holds (and sets) the status
#   new_tmpdir VAR PARENT [PREFIX]      a fresh folder under PARENT, removed on exit
#   free_port                           a port free for UDP and TCP on 127.0.0.1
#   wait_for SECONDS CMD...             poll CMD until it succeeds, or say what timed out
#   stop_pid PID [SECONDS]              SIGTERM and wait; STOP_STATUS is the exit status
#   dualnsd_start PORT LOG ARGS...      dualnsd on 127.0.0.1 PORT, once it says "serving"
#   dualnsd_start_free DIR ARGS...      the same on a free port (sets PORT)
#   nsd_start / knot_start              a reference server from a written configuration
#   ref_start_free nsd|knot DIR ...     the same on a free port, once its zone answers
#   wait_soa PORT ORIGIN [SECONDS]      until ORIGIN's SOA comes back authoritative
#   qdig PORT ARGS...                   dig at 127.0.0.1#PORT, one try, 2 s
#
# Everything listens on 127.0.0.1 only.

if [ -z "${BASH_VERSION:-}" ]; then
	echo "tests/lib/common.sh needs bash" >&2
	exit 99
fi

DUALNS_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DUALNS_BUILD=${top_builddir:-$DUALNS_SRC}
: "${DUALNSD:=$DUALNS_BUILD/src/dualnsd}"
: "${DUALQ:=$DUALNS_BUILD/src/client/dualq}"
: "${PYTHON3:=python3}"
# Resolve the interpreter once: a pyenv-style shim costs ~100 ms per start, and the tests
# start python a few hundred times.
if command -v "$PYTHON3" >/dev/null 2>&1; then
	PYTHON3=$("$PYTHON3" -c 'import sys; print(sys.executable)' 2>/dev/null || echo "$PYTHON3")
fi
DNSRAW_PY="$DUALNS_SRC/tests/system/dnsraw.py"

# How long a tracked process gets between SIGTERM and SIGKILL on exit.
LIB_STOP_SECONDS=${LIB_STOP_SECONDS:-5}
# The polling interval of wait_for, in seconds.
LIB_POLL_SECONDS=0.05

LIB_PIDS=()
LIB_TMPDIRS=()
LIB_EXIT_HOOKS=()
EXIT_STATUS=0

# ---------------------------------------------------------------- processes and cleanup

track_pid() {
	LIB_PIDS+=("$1")
}

# untrack_pid PID: PID is stopped and waited for; never signal that number again (the
# kernel may give it to another process).
untrack_pid() {
	local i
	for i in "${!LIB_PIDS[@]}"; do
		if [ "${LIB_PIDS[$i]}" = "$1" ]; then
			unset 'LIB_PIDS[i]'
		fi
	done
}

on_exit() {
	LIB_EXIT_HOOKS+=("$1")
}

# now_us: the wall clock in microseconds, without a fork.
now_us() {
	echo "${EPOCHREALTIME/./}"
}

# seconds_us SECONDS: "5", "0.5" or "2.25" seconds in microseconds.
seconds_us() {
	local int=${1%%.*} frac=
	case $1 in *.*) frac=${1#*.} ;; esac
	frac="${frac}000000"
	echo $(( ${int:-0} * 1000000 + 10#${frac:0:6} ))
}

# stop_pid PID [SECONDS]: SIGTERM, then up to SECONDS (default 5) for it to exit, then
# SIGKILL. Sets STOP_STATUS to its exit status, or "killed" when it had to be killed. Not
# in $(...): a subshell cannot wait for our children.
stop_pid() {
	local pid=$1 seconds=${2:-5}
	STOP_STATUS=
	kill -TERM "$pid" 2>/dev/null || true
	if ! wait_for_exit "$pid" "$seconds"; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		STOP_STATUS=killed
	else
		STOP_STATUS=0
		wait "$pid" 2>/dev/null || STOP_STATUS=$?
	fi
	untrack_pid "$pid"
	return 0
}

# wait_for_exit PID SECONDS: 0 once PID has exited (still to be reaped), 1 if it still
# runs after SECONDS.
wait_for_exit() {
	local end stat
	end=$(( $(now_us) + $(seconds_us "$2") ))
	while kill -0 "$1" 2>/dev/null; do
		# A zombie counts as gone: kill -0 still succeeds until it is reaped.
		stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
		stat=${stat##*) }
		case ${stat%% *} in Z | X) return 0 ;; esac
		[ "$(now_us)" -lt "$end" ] || return 1
		sleep "$LIB_POLL_SECONDS"
	done
	return 0
}

lib_cleanup() {
	EXIT_STATUS=$?
	trap - EXIT INT TERM
	set +e
	local pid hook dir
	for pid in "${LIB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${LIB_PIDS[@]}"; do
		wait_for_exit "$pid" "$LIB_STOP_SECONDS" || kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for hook in "${LIB_EXIT_HOOKS[@]}"; do
		eval "$hook"
	done
	for dir in "${LIB_TMPDIRS[@]}"; do
		rm -rf "$dir"
	done
	exit "$EXIT_STATUS"
}
trap lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# new_tmpdir VAR PARENT [PREFIX]: make a fresh folder under PARENT, store its path in VAR,
# remove it on exit. Returns 1 when mktemp fails.
new_tmpdir() {
	# A name no caller passes as VAR: printf -v would set this local instead.
	local lib_new_dir
	lib_new_dir=$(mktemp -d "$2/${3:-dualns}.XXXXXX") || return 1
	LIB_TMPDIRS+=("$lib_new_dir")
	printf -v "$1" '%s' "$lib_new_dir"
}

# ---------------------------------------------------------------- waiting

# wait_for SECONDS CMD...: run CMD (output discarded) every 0.05 s until it succeeds: 0. When
# SECONDS pass first: 1, and one line on stderr saying what was waited for. The condition
# itself is polled, so a loaded machine only makes the wait longer, never the test wrong.
# A wait that needed over half its SECONDS says so on stderr: on a slower machine (a
# sanitizer build, a busy CI host) that deadline is the next to run out.
wait_for() {
	local seconds=$1 start end
	shift
	start=$(now_us)
	end=$(( start + $(seconds_us "$seconds") ))
	while :; do
		if "$@" >/dev/null 2>&1; then
			lib_wait_margin "$seconds" "$start" "$@"
			return 0
		fi
		[ "$(now_us)" -lt "$end" ] || break
		sleep "$LIB_POLL_SECONDS"
	done
	echo "# wait_for: not true after $seconds s: $*" >&2
	return 1
}

# lib_wait_margin SECONDS START CMD...: the stderr line of a wait, begun at START (now_us),
# that took over half its SECONDS.
lib_wait_margin() {
	local seconds=$1 took
	took=$(( $(now_us) - $2 ))
	shift 2
	[ $(( took * 2 )) -gt "$(seconds_us "$seconds")" ] || return 0
	echo "# wait_for: true after $(( took / 1000 )) ms of $seconds s: $*" >&2
}

# ---------------------------------------------------------------- ports

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

# ---------------------------------------------------------------- dualnsd

# dualnsd_serving LOG PORT: LOG holds dualnsd's "serving ... port PORT (udp+tcp)" line.
dualnsd_serving() {
	grep -Eq "serving .* port $2 \(udp\+tcp\)" "$1" 2>/dev/null
}

# dualnsd_start PORT LOG ARGS...: run $DUALNSD -p PORT -l 127.0.0.1 ARGS in the background,
# stderr to LOG, after the words of DUALNSD_WRAP (an array: taskset, valgrind, nice...),
# and track it. Waits up to DUALNSD_WAIT seconds (default 20) for the serving line, which
# dualnsd prints once every worker runs. Returns 0 when it serves (DUALNSD_PID), 1 when it
# exited first (DUALNSD_STATUS; LOG says why), 2 when neither happened in time.
dualnsd_start() {
	local port=$1 log=$2
	shift 2
	[ -x "$DUALNSD" ] || { echo "$DUALNSD is not built" >&2; return 1; }
	# The child truncates LOG only once it runs: a stale "serving" line must not count.
	rm -f "$log"
	"${DUALNSD_WRAP[@]}" "$DUALNSD" -p "$port" -l 127.0.0.1 "$@" 2>"$log" &
	DUALNSD_PID=$!
	DUALNSD_STATUS=
	track_pid "$DUALNSD_PID"
	wait_for "${DUALNSD_WAIT:-20}" dualnsd_up "$DUALNSD_PID" "$log" "$port" 2>/dev/null || true
	if dualnsd_serving "$log" "$port"; then
		return 0
	fi
	if wait_for_exit "$DUALNSD_PID" 0; then
		DUALNSD_STATUS=0
		wait "$DUALNSD_PID" 2>/dev/null || DUALNSD_STATUS=$?
		untrack_pid "$DUALNSD_PID"
		return 1
	fi
	return 2
}
DUALNSD_WRAP=()

# dualnsd_up PID LOG PORT: done waiting: it serves, or it is gone.
dualnsd_up() {
	dualnsd_serving "$2" "$3" || wait_for_exit "$1" 0
}

# dualnsd_start_free DIR ARGS...: dualnsd_start on a free port (PORT), with the log
# DIR/dualnsd.PORT.log (DUALNSD_LOG); another port when the chosen one was taken in
# between (a parallel test). Returns as dualnsd_start.
dualnsd_start_free() {
	local dir=$1 attempt rc
	shift
	for attempt in 1 2 3; do
		PORT=$(free_port) || return 1
		DUALNSD_LOG="$dir/dualnsd.$PORT.log"
		rc=0
		dualnsd_start "$PORT" "$DUALNSD_LOG" "$@" || rc=$?
		[ "$rc" -eq 1 ] && grep -qi 'in use' "$DUALNSD_LOG" && continue
		return "$rc"
	done
	return 1
}

# ---------------------------------------------------------------- reference servers

# nsd_start DIR LOG PORT ORIGIN ZONEFILE [SERVER-LINE...]: NSD in the foreground on 127.0.0.1
# PORT serving ZONEFILE as ORIGIN, one server process, rate limiting off (Debian turns it
# on), everything it writes in DIR; SERVER-LINEs such as 'nsid: "ascii_x"' join its
# server: clause. Relative $INCLUDE paths are read beside ZONEFILE (NSD reads them from its
# zonesdir); NSD_ZONE_LINES joins its zone: clause. Runs after the words of REF_WRAP (an
# array, as DUALNSD_WRAP), stderr to LOG; tracked; sets NSD_PID. It does not wait: see wait_soa.
nsd_start() {
	local dir=$1 log=$2 port=$3 origin=$4 zone=$5 line
	shift 5
	mkdir -p "$dir"
	{
		cat <<EOF
server:
	ip-address: 127.0.0.1
	port: $port
	do-ip6: no
	username: ""
	chroot: ""
	zonesdir: "$(dirname "$zone")"
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	pidfile: "$dir/nsd.pid"
	server-count: 1
	verbosity: 1
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
	zonefiles-write: 0
EOF
		for line in "$@"; do
			printf '\t%s\n' "$line"
		done
		cat <<EOF
remote-control:
	control-enable: no
zone:
	name: "$origin"
	zonefile: "$zone"
EOF
		# NSD_ZONE_LINES: more lines for the zone: clause, each with its tab, such as
		# a provide-xfr: for a transfer test.
		[ -z "${NSD_ZONE_LINES:-}" ] || printf '%s\n' "$NSD_ZONE_LINES"
	} >"$dir/nsd.conf"
	"${REF_WRAP[@]}" nsd -d -c "$dir/nsd.conf" 2>>"$log" &
	NSD_PID=$!
	track_pid "$NSD_PID"
}
REF_WRAP=()

# knot_start DIR LOG PORT ORIGIN ZONEFILE [SERVER-LINE...]: Knot DNS on 127.0.0.1 PORT, one
# worker of each kind, reading ZONEFILE in place and writing nothing beside it; the rest
# as nsd_start. KNOT_MODULE, when set, is one module's section with one item of id "ref",
# given to every zone, for example $'mod-rrl:\n  - id: ref\n    rate-limit: 20'.
# KNOT_ZONEFILE_LOAD and KNOT_JOURNAL_CONTENT replace the template's zonefile-load (whole)
# and journal-content (none); KNOT_TRANSFER, when set, is the address (or prefix) allowed
# to transfer the zone (AXFR and IXFR).
# KNOT_SECTIONS, when set, is written as it is at the top level (key: and acl: sections,
# say), and KNOT_ZONE_ITEMS under the zone (such as "    acl: ID"). KNOT_LISTEN replaces
# the address 127.0.0.1 (contrib/bench/xdp.sh: the server's namespace). Sets KNOT_PID.
knot_start() {
	local dir=$1 log=$2 port=$3 origin=$4 zone=$5 line
	shift 5
	mkdir -p "$dir"
	{
		cat <<EOF
server:
    rundir: "$dir"
    listen: ${KNOT_LISTEN:-127.0.0.1}@$port
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
EOF
		for line in "$@"; do
			printf '    %s\n' "$line"
		done
		cat <<EOF
control:
    listen: "$dir/knot.sock"
log:
  - target: stderr
    any: warning
database:
    storage: "$dir"
EOF
		# Keys, a module or an acl are defined before the template that uses them.
		if [ -n "${KNOT_SECTIONS:-}" ]; then printf '%s\n' "$KNOT_SECTIONS"; fi
		[ -n "${KNOT_MODULE:-}" ] && printf '%s\n' "$KNOT_MODULE"
		[ -n "${KNOT_TRANSFER:-}" ] &&
			printf 'acl:\n  - id: transfer\n    address: %s\n    action: transfer\n' \
				"$KNOT_TRANSFER"
		cat <<EOF
template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: ${KNOT_ZONEFILE_LOAD:-whole}
    journal-content: ${KNOT_JOURNAL_CONTENT:-none}
EOF
		[ -n "${KNOT_MODULE:-}" ] && printf '    global-module: %s/ref\n' "${KNOT_MODULE%%:*}"
		[ -n "${KNOT_TRANSFER:-}" ] && printf '    acl: transfer\n'
		cat <<EOF
zone:
  - domain: "$origin"
    file: "$zone"
EOF
		if [ -n "${KNOT_ZONE_ITEMS:-}" ]; then printf '%s\n' "$KNOT_ZONE_ITEMS"; fi
	} >"$dir/knot.conf"
	"${REF_WRAP[@]}" knotd -c "$dir/knot.conf" 2>>"$log" &
	KNOT_PID=$!
	track_pid "$KNOT_PID"
}

# wait_soa PORT ORIGIN [SECONDS]: poll (default 20 s) until ORIGIN's SOA comes back
# NOERROR with AA over UDP: the zone is loaded, not just the socket bound.
wait_soa() {
	wait_for "${3:-20}" soa_answered "$1" "$2"
}

soa_answered() {
	local out
	out=$("$PYTHON3" "$DNSRAW_PY" --port "$1" --timeout 0.2 -q "$2/SOA" 2>/dev/null)
	case $out in *" aa=1 "*" rcodename=NOERROR "*) return 0 ;; esac
	return 1
}

# ref_start_free nsd|knot DIR ORIGIN ZONEFILE [SERVER-LINE...]: nsd_start or knot_start on a
# free port, log DIR/KIND.log, then wait_soa; another port when the chosen one was taken in
# between. Sets REF_PORT, REF_PID and REF_LOG. Returns 0 once the zone answers, else 1
# (REF_LOG says why).
ref_start_free() {
	local kind=$1 dir=$2 origin=$3 zone=$4 attempt
	shift 4
	mkdir -p "$dir"
	REF_LOG="$dir/$kind.log"
	for attempt in 1 2 3; do
		REF_PORT=$(free_port) || return 1
		if [ "$kind" = nsd ]; then
			nsd_start "$dir" "$REF_LOG" "$REF_PORT" "$origin" "$zone" "$@"
			REF_PID=$NSD_PID
		else
			knot_start "$dir" "$REF_LOG" "$REF_PORT" "$origin" "$zone" "$@"
			REF_PID=$KNOT_PID
		fi
		wait_for 20 ref_up "$REF_PID" "$REF_PORT" "$origin" 2>/dev/null || true
		soa_answered "$REF_PORT" "$origin" && return 0
		kill -0 "$REF_PID" 2>/dev/null && return 1
		wait "$REF_PID" 2>/dev/null || true
		untrack_pid "$REF_PID"
		grep -qi 'in use' "$REF_LOG" || return 1
	done
	return 1
}

# ref_up PID PORT ORIGIN: done waiting: the zone answers, or the server is gone.
ref_up() {
	soa_answered "$2" "$3" || ! kill -0 "$1" 2>/dev/null
}

# ---------------------------------------------------------------- asking

# qdig PORT ARGS...: dig against 127.0.0.1#PORT; -r ignores ~/.digrc, one try, 2 s.
qdig() {
	local port=$1
	shift
	dig -r @127.0.0.1 -p "$port" +tries=1 +time=2 "$@" 2>&1
}

# ---------------------------------------------------------------- reference secondaries

# nsd_secondary_conf DIR ADDR PORT ORIGIN PRIMARY PRIMARY_PORT [KEY SECRET]: writes
# DIR/nsd.conf: NSD on ADDR PORT with ORIGIN a secondary zone of PRIMARY#PRIMARY_PORT,
# asking it for the zone and taking its NOTIFY, both with the hmac-sha256 key KEY (none
# without it: NOKEY), and giving the zone to 127.0.0.1 (to compare). Start it with
# nsd -d -c DIR/nsd.conf.
nsd_secondary_conf() {
	local dir=$1 addr=$2 port=$3 origin=$4 primary=$5 pport=$6 key=${7:-} secret=${8:-}
	mkdir -p "$dir"
	cat >"$dir/nsd.conf" <<EOF
server:
	ip-address: $addr
	port: $port
	do-ip6: no
	username: ""
	chroot: ""
	zonesdir: "$dir"
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	pidfile: "$dir/nsd.pid"
	server-count: 1
	verbosity: 2
	rrl-ratelimit: 0
	zonefiles-write: 0
remote-control:
	control-enable: no
EOF
	[ -z "$key" ] || printf 'key:\n\tname: "%s"\n\talgorithm: hmac-sha256\n\tsecret: "%s"\n' \
		"$key" "$secret" >>"$dir/nsd.conf"
	cat >>"$dir/nsd.conf" <<EOF
zone:
	name: "$origin"
	zonefile: "$origin.zone"
	request-xfr: $primary@$pport ${key:-NOKEY}
	allow-notify: $primary ${key:-NOKEY}
	provide-xfr: 127.0.0.1 NOKEY
EOF
}

# knot_secondary_conf DIR ADDR PORT ORIGIN PRIMARY PRIMARY_PORT [KEY SECRET]: the same for
# Knot DNS in DIR/knot.conf (one worker of each kind, info to stderr, its journal keeping
# the change sets it receives: KNOT_JOURNAL_CONTENT, default changes). Start it with
# knotd -c DIR/knot.conf.
knot_secondary_conf() {
	local dir=$1 addr=$2 port=$3 origin=$4 primary=$5 pport=$6 key=${7:-} secret=${8:-}
	mkdir -p "$dir"
	cat >"$dir/knot.conf" <<EOF
server:
    rundir: "$dir"
    listen: $addr@$port
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
control:
    listen: "$dir/knot.sock"
log:
  - target: stderr
    any: info
database:
    storage: "$dir"
EOF
	[ -z "$key" ] || printf 'key:\n  - id: %s\n    algorithm: hmac-sha256\n    secret: %s\n' \
		"$key" "$secret" >>"$dir/knot.conf"
	cat >>"$dir/knot.conf" <<EOF
remote:
  - id: primary
    address: $primary@$pport
${key:+    key: $key}
acl:
  - id: from-primary
    address: $primary
    action: notify
${key:+    key: $key}
  - id: local
    address: 127.0.0.1
    action: transfer
zone:
  - domain: $origin
    storage: "$dir"
    file: "$origin.zone"
    master: primary
    acl: [from-primary, local]
    zonefile-sync: -1
    journal-content: ${KNOT_JOURNAL_CONTENT:-changes}
EOF
}
