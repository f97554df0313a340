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
	local port=$1 log=$2 i
	shift 2
	# The child truncates LOG only once it runs: an old "serving" line must not count.
	rm -f "$log"
	"$DUALNSD" -p "$port" -l 127.0.0.1 "$@" 2>"$log" &
	SECOND_PID=$!
	sys_track "$SECOND_PID"
	SYS_LOGS+=("$log")
	for i in $(seq 50); do
		grep -Eq "serving .* port $port \(udp\+tcp\)" "$log" 2>/dev/null && return 0
		if ! kill -0 "$SECOND_PID" 2>/dev/null; then
			wait "$SECOND_PID"
			SECOND_STATUS=$?
			return 1
		fi
		sleep 0.1
	done
	fail "the second dualnsd neither served nor exited within 5 s"
}

# stop_pid PID WHAT: SIGTERM, then require exit status 0 within 5 s.
stop_pid() {
	local i status
	kill -TERM "$1" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	wait "$1"
	status=$?
	expect_eq "$2 exits with status 0 on SIGTERM" "$status" 0
}

# sockets_of PROTO PORT PID: how many PROTO (u or t) listening sockets on 127.0.0.1:PORT
# belong to PID.
sockets_of() {
	ss -Hn"$1"lp "sport = :$2" | grep -c "pid=$3,"
}
