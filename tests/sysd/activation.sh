#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/sysd/activation.sh: dualnsd serves the UDP and TCP sockets systemd passes (LISTEN_FDS) and tells it READY, RELOADING, STOPPING.
#
# tests/sysd/activate.py plays systemd's part: it binds a UDP and a TCP socket on
# 127.0.0.1 and a free port, puts them on descriptors 3 and 4 and execs dualnsd with
# LISTEN_FDS=2 and LISTEN_PID set to its own pid (exec keeps it). tests/sysd/notifyd.py
# listens on $NOTIFY_SOCKET as systemd does and records each message with its sender's pid.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/sysd/common.sh"

need_python
need_tool dig "apt-get install dnsutils"
need_tool ss "apt-get install iproute2"

zone="$SYS_TMP/sysd.test.zone"

# activated NAME NOTIFY_ADDRESS FIRST [DUALNSD-ARGS...]: one run under the fake systemd,
# with the sockets passed UDP first or TCP first (FIRST is udp or tcp): they must be
# paired by address whatever the order (dualnsd.socket says it does not matter).
activated() {
	local name=$1 notify=$2 first=$3 pid log attempt
	shift 3
	sysd_zone "$zone" 1 192.0.2.1
	start_notifyd "$notify"
	for attempt in 1 2 3; do
		PORT=$(free_port) || fail "no free port"
		log="$SYS_TMP/dualnsd.$name.log"
		SYS_LOGS+=("$log")
		local socks=(--udp "127.0.0.1:$PORT" --tcp "127.0.0.1:$PORT")
		[ "$first" = tcp ] && socks=(--tcp "127.0.0.1:$PORT" --udp "127.0.0.1:$PORT")
		rm -f "$SYS_TMP/kept.$name"
		NOTIFY_SOCKET=$notify "$PYTHON3" "$SYSD_DIR/activate.py" --keep "$SYS_TMP/kept.$name" \
			"${socks[@]}" -- \
			"$DUALNSD" "$@" "$zone" 2>"$log" &
		pid=$!
		track_pid "$pid"
		wait_for 5 grep -q 'READY=1' "$NOTIFY_LOG" && break
		kill -0 "$pid" 2>/dev/null && break
		grep -q 'Address already in use' "$log" || break
	done
	if ! grep -q 'READY=1' "$NOTIFY_LOG"; then
		sed 's/^/#   /' "$log"
		fail "$name: no READY=1 within 5 s"
	fi
	expect_eq "$name: READY=1 comes from dualnsd's own pid (systemd checks the main pid)" \
		"$(sed -n 's/^pid=\([0-9?]*\) .*READY=1.*/\1/p' "$NOTIFY_LOG" | head -n 1)" "$pid"
	expect_match "$name: STATUS= says what is served" "$(cat "$NOTIFY_LOG")" 'STATUS=serving 1 zone'
	expect_match "$name: the log names the passed sockets" "$(cat "$log")" \
		"serving 1 zone on 127.0.0.1 port $PORT \(udp\+tcp\) from systemd"

	expect_eq "$name: answers over UDP on the passed socket" "$(a_udp "$PORT")" 192.0.2.1
	expect_eq "$name: answers over TCP on the passed socket" "$(a_tcp "$PORT")" 192.0.2.1
	# One port, two sockets, both systemd's (tests/conformance.md, "Transport"): nothing of its own.
	expect_eq "$name: dualnsd holds exactly the two passed sockets (ss -tulnp)" \
		"$(sockets_of "$pid" | paste -sd' ' -)" "tcp 127.0.0.1:$PORT udp 127.0.0.1:$PORT"

	# SIGHUP: RELOADING=1, then READY=1 once the new zone serves.
	sysd_zone "$zone" 2 192.0.2.2
	kill -HUP "$pid"
	wait_for 5 notified_ge READY=1 2 || bad "$name: READY=1 again after SIGHUP"
	expect_eq "$name: after SIGHUP: RELOADING=1, then READY=1" "$(notify_sequence)" \
		"READY=1 RELOADING=1 READY=1"
	expect_match "$name: RELOADING=1 carries MONOTONIC_USEC (sd_notify(3))" \
		"$(grep RELOADING=1 "$NOTIFY_LOG")" 'MONOTONIC_USEC=[0-9]+'
	expect_eq "$name: the reloaded zone over UDP" "$(a_udp "$PORT")" 192.0.2.2
	expect_eq "$name: the reloaded zone over TCP" "$(a_tcp "$PORT")" 192.0.2.2

	if [ -n "${MANY:-}" ]; then
		local i ok=0
		for i in $(seq 20); do
			[ "$(a_udp "$PORT")" = 192.0.2.2 ] && ok=$((ok + 1))
			[ "$(a_tcp "$PORT")" = 192.0.2.2 ] && ok=$((ok + 1))
		done
		expect_eq "$name: 20 UDP and 20 TCP queries, every one answered by the shared sockets" "$ok" 40
	fi

	stop_pid "$pid"
	expect_eq "$name: SIGTERM: exit status 0" "$STOP_STATUS" 0
	expect_eq "$name: the messages, in order" "$(notify_sequence)" \
		"READY=1 RELOADING=1 READY=1 STOPPING=1"
	# systemd keeps the sockets for the next start: dualnsd must leave them as it found
	# them. Own SO_REUSEPORT sockets are connected to themselves at stop (so the kernel
	# stops choosing them); a passed one connected so would take no query ever again.
	wait_for 5 test -s "$SYS_TMP/kept.$name" || bad "$name: the sockets' keeper reports"
	expect_eq "$name: after dualnsd exits, systemd's sockets are as they came: unconnected, listening" \
		"$(LC_ALL=C sort "$SYS_TMP/kept.$name" | paste -sd' ' -)" "tcp listening=1 udp peer=none"
	kill "$NOTIFYD_PID" 2>/dev/null
}

activated one-worker "$SYS_TMP/notify.sock" udp
activated tcp-first-abstract "@dualns-test-$$-$RANDOM" tcp
MANY=1 activated two-workers "$SYS_TMP/notify2.sock" udp --workers 2
MANY=1 activated three-workers-tcp-first "@dualns-test-$$-$RANDOM" tcp --workers 3

# The four sockets of dualnsd.socket (UDP and TCP on an IPv4 and an IPv6 address), on
# loopback: two listen addresses, each answering over both transports.
if "$PYTHON3" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	sysd_zone "$zone" 1 192.0.2.1
	PORT=$(free_port) || fail "no free port"
	log="$SYS_TMP/dualnsd.dual-stack.log"
	SYS_LOGS+=("$log")
	"$PYTHON3" "$SYSD_DIR/activate.py" --udp "127.0.0.1:$PORT" --tcp "127.0.0.1:$PORT" \
		--udp "[::1]:$PORT" --tcp "[::1]:$PORT" -- "$DUALNSD" --workers 2 "$zone" 2>"$log" &
	pid=$!
	track_pid "$pid"
	wait_for 5 grep -q '\[::1\] port .* from systemd' "$log" || bad "dual stack: serves [::1]"
	expect_eq "dual stack: two listen addresses, each with UDP and TCP" \
		"$(grep -c "port $PORT (udp+tcp) from systemd" "$log")" 2
	expect_eq "dual stack: answers over UDP on ::1" \
		"$(dig -r @::1 -p "$PORT" +tries=1 +time=2 +short www.sysd.test A)" 192.0.2.1
	expect_eq "dual stack: answers over TCP on ::1" \
		"$(dig -r @::1 -p "$PORT" +tries=1 +time=2 +tcp +short www.sysd.test A)" 192.0.2.1
	expect_eq "dual stack: answers over UDP on 127.0.0.1" "$(a_udp "$PORT")" 192.0.2.1
	expect_eq "dual stack: holds exactly the four passed sockets" "$(sockets_of "$pid" | wc -l)" 4
	stop_pid "$pid"
	expect_eq "dual stack: SIGTERM, exit 0" "$STOP_STATUS" 0
else
	note "no IPv6 on loopback: the dual-stack case is not run"
fi

# -l and -p given as well: systemd's sockets win, with a warning, and the other port stays
# unbound (it is a free port this test picked).
other=$(free_port) || fail "no free port"
sysd_zone "$zone" 1 192.0.2.1
PORT=$(free_port) || fail "no free port"
log="$SYS_TMP/dualnsd.explicit.log"
SYS_LOGS+=("$log")
"$PYTHON3" "$SYSD_DIR/activate.py" --udp "127.0.0.1:$PORT" --tcp "127.0.0.1:$PORT" -- \
	"$DUALNSD" -l 127.0.0.1 -p "$other" "$zone" 2>"$log" &
pid=$!
track_pid "$pid"
wait_for 5 grep -q 'from systemd' "$log" || bad "-l/-p with passed sockets: serves them"
expect_match "-l/-p with passed sockets: one warning says they are ignored" \
	"$(grep -c 'warning: .*passed by systemd.*-l and -p are ignored' "$log")" '^1$'
expect_eq "-l/-p with passed sockets: answers on the passed ones" "$(a_udp "$PORT")" 192.0.2.1
expect_eq "-l/-p with passed sockets: binds nothing on -p's port" \
	"$(sockets_of "$pid" | grep -c ":$other\$")" 0
stop_pid "$pid"
expect_eq "-l/-p with passed sockets: SIGTERM, exit 0" "$STOP_STATUS" 0

# LISTEN_PID names another process (inherited from a parent): not ours; dualnsd binds
# its own sockets from -l and -p as if nothing had been passed.
PORT=$(free_port) || fail "no free port"
other=$(free_port) || fail "no free port"
log="$SYS_TMP/dualnsd.otherpid.log"
SYS_LOGS+=("$log")
"$PYTHON3" "$SYSD_DIR/activate.py" --pid-offset 1 --udp "127.0.0.1:$PORT" --tcp "127.0.0.1:$PORT" -- \
	"$DUALNSD" -l 127.0.0.1 -p "$other" "$zone" 2>"$log" &
pid=$!
track_pid "$pid"
wait_for 5 grep -q "port $other (udp+tcp)" "$log" || bad "another LISTEN_PID: dualnsd binds -l/-p itself"
expect_eq "another LISTEN_PID: answers on its own port" "$(a_udp "$other")" 192.0.2.1
expect_nomatch "another LISTEN_PID: does not serve the passed sockets" "$(cat "$log")" 'from systemd'
stop_pid "$pid"
expect_eq "another LISTEN_PID: SIGTERM, exit 0" "$STOP_STATUS" 0

# A passed descriptor that is not an IPv4/IPv6 UDP or TCP socket: one line naming it, exit 1.
log="$SYS_TMP/dualnsd.badfd.log"
SYS_LOGS+=("$log")
LISTEN_PID=$BASHPID LISTEN_FDS=1 bash -c 'exec 3</dev/null; export LISTEN_PID=$$; exec "$@"' \
	sh "$DUALNSD" "$zone" 2>"$log"
expect_eq "a passed descriptor that is not a socket: exit 1" "$?" 1
expect_match "a passed descriptor that is not a socket: the error names it" "$(cat "$log")" \
	'descriptor 3 passed by systemd: not a socket'
