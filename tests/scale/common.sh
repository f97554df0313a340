# SPDX-License-Identifier: BSD-3-Clause
# tests/scale/common.sh: helpers shared by the scale tests (sourced after tests/system/lib.sh).

WHO_PY="$top_srcdir/tests/scale/who.py"

# who ARGS...: tests/scale/who.py against 127.0.0.1 (see its --help).
who() {
	"$PYTHON3" "$WHO_PY" "$@"
}

# who_count OUTPUT KEY: the count of one answer text in who's output (sent/answered/lost
# for the totals), 0 when absent.
who_count() {
	local n
	case $2 in
		sent|answered|lost) n=$(printf '%s\n' "$1" | head -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p") ;;
		*) n=$(printf '%s\n' "$1" | sed -n "s/^$2 \([0-9]*\)\$/\1/p") ;;
	esac
	echo "${n:-0}"
}

# who_progress FILE: the answered count a who --progress FILE loop has reported so far.
who_progress() {
	local n
	n=$(sed -n 's/^answered=//p' "$1" 2>/dev/null)
	echo "${n:-0}"
}

# who_answered_ge FILE N: that loop has answered at least N queries (for wait_for).
who_answered_ge() {
	[ "$(who_progress "$1")" -ge "$2" ]
}

# who_zone FILE TEXT SERIAL [EXTRA]: a small zone demo.test. whose TXT who.demo.test. says
# TEXT, with this SOA serial; EXTRA lines are appended (a big zone, or a syntax error).
who_zone() {
	cat >"$1" <<EOZ
\$ORIGIN demo.test.
\$TTL 60
@    SOA ns1 hostmaster $3 3600 600 86400 60
@    NS  ns1
ns1  A   127.0.0.1
who  TXT "$2"
EOZ
	[ -n "${4:-}" ] && printf '%s\n' "$4" >>"$1"
	return 0
}

# start_second PORT LOG ARGS...: another dualnsd on 127.0.0.1 PORT. Returns 0 once it says
# it serves (SECOND_PID set), 1 when it exited (its status in SECOND_STATUS).
start_second() {
	local rc=0 first=${DUALNSD_PID:-}
	SYS_LOGS+=("$2")
	dualnsd_start "$@" || rc=$?
	SECOND_PID=$DUALNSD_PID SECOND_STATUS=$DUALNSD_STATUS
	DUALNSD_PID=$first
	[ "$rc" -eq 2 ] && fail "the second dualnsd neither served nor exited within ${DUALNSD_WAIT:-20} s"
	return "$rc"
}

# expect_stops PID WHAT: SIGTERM, then require exit status 0 within 5 s.
expect_stops() {
	stop_pid "$1"
	expect_eq "$2 exits with status 0 on SIGTERM" "$STOP_STATUS" 0
}

# sockets_of PROTO PORT PID: how many PROTO (u or t) listening sockets on 127.0.0.1:PORT
# belong to PID.
sockets_of() {
	ss -Hn"$1"lp "sport = :$2" | grep -c "pid=$3,"
}
