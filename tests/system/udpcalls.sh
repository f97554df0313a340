#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# udpcalls.sh: the UDP reader's system calls (src/udp.c): a batch costs a recvmmsg() that
# waits for the first datagram and a sendmmsg(), with no poll() and no read that finds
# the socket empty; an idle reader still follows a reload (the previous zones are freed)
# and still stops promptly on SIGTERM, both within its receive timeout (UDP_WAIT_MS).
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool dig "apt-get install dnsutils"
need_tool strace "apt-get install strace"
# strace needs ptrace, which a container may forbid.
strace -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"

# Two workers: two readers, each on its own socket of the port's SO_REUSEPORT group.
# LeakSanitizer cannot run under ptrace and makes the exit status 1 when it tries: in a
# sanitizer build the traced server checks for leaks no more (the other tests do).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
start_dualnsd -v --workers 2 "$top_srcdir/zones/example.com.zone"
TRACE=$SYS_TMP/trace
# -T: each call's duration, to tell a read that waited (for a datagram or until its
# timeout) from one that found the socket empty at once.
strace -f -qq -T -e trace=recvmmsg,sendmmsg,poll,ppoll -o "$TRACE" -p "$DUALNSD_PID" \
	2>"$SYS_TMP/strace.err" &
STRACE_PID=$!
track_pid "$STRACE_PID"
# Attached once an answer's send shows in the trace (strace attaches thread by thread).
traced() {
	qdig "$PORT" www.example.com A >/dev/null
	grep -q 'sendmmsg(' "$TRACE"
}
wait_for 20 traced || fail "strace did not attach to dualnsd"

# N queries, each sent once the previous one was answered: every batch holds one query.
N=40
names=()
for i in $(seq "$N"); do names+=(www.example.com A); done
out=$(dig -r +tries=1 +time=5 -p "$PORT" @127.0.0.1 "${names[@]}")
expect_eq "$N queries one at a time over UDP: $N answers (RFC 1035 section 4.2.1)" \
	"$(printf '%s\n' "$out" | grep -c 'status: NOERROR')" "$N"

# ---- a reload while no query comes: each reader moves to the new zones after its
# receive timeout, so the previous ones are freed without a datagram to wake it.
freed() {
	grep -q 'previous zones are freed' "$DUALNSD_LOG"
}
sys_hup
wait_for 10 freed
expect_eq "a reload with no query coming: the previous zones are freed" \
	"$(grep -c 'previous zones are freed' "$DUALNSD_LOG")" 1
out=$(qdig "$PORT" www.example.com A)
expect_eq "after the reload: answered (RFC 1035 section 4.2.1)" "$(dig_status "$out")" NOERROR

# ---- SIGTERM to an idle server: the readers see it within their receive timeout.
t0=$(now_us)
stop_dualnsd
took_ms=$((($(now_us) - t0) / 1000))
expect_le "SIGTERM to an idle server: stopped within 2 s (took $took_ms ms)" "$took_ms" 2000
# strace ends with dualnsd, writing out the whole trace (it buffers its output); the
# queries that showed it attached count too.
wait_for_exit "$STRACE_PID" 10 || bad "strace ends with dualnsd"
stop_pid "$STRACE_PID"

reads=$(grep -c 'recvmmsg.* = [1-9]' "$TRACE")
# A read that found nothing within 10 ms did not wait: the socket was empty.
empty=$(grep 'recvmmsg.*EAGAIN' "$TRACE" | grep -c '<0\.0[0-9][0-9]*>$')
polls=$(grep -c -E '^[0-9]+ +p?poll\(' "$TRACE")
sends=$(grep -c 'sendmmsg.* = [1-9]' "$TRACE")
expect_ge "each query is read by a recvmmsg() that returns it" "$reads" "$N"
expect_ge "each query's answer goes out in a sendmmsg()" "$sends" "$N"
expect_eq "no reader calls poll(): recvmmsg() itself waits for the datagrams" "$polls" 0
# The readers' drains at SIGTERM end with one empty read each (--workers 2).
expect_le "no recvmmsg() finds the socket empty but the two drains at SIGTERM (got $empty)" \
	"$empty" 2
