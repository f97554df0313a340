#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# udpcalls.sh: the UDP reader's system calls per batch: after a batch that emptied the
# socket it waits in poll(), never reading the empty socket again first (src/udp.c,
# udp_reader_main); queries one at a time still get every answer, and SIGTERM still stops it.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool dig "apt-get install dnsutils"
need_tool strace "apt-get install strace"
# strace needs ptrace, which a container may forbid.
strace -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"

start_dualnsd --workers 1 "$top_srcdir/zones/example.com.zone"
TRACE=$SYS_TMP/trace
strace -f -qq -e trace=recvmmsg,sendmmsg,poll -o "$TRACE" -p "$DUALNSD_PID" 2>"$SYS_TMP/strace.err" &
STRACE_PID=$!
track_pid "$STRACE_PID"
# Attached once a query's read shows in the trace (strace attaches thread by thread).
traced() {
	qdig "$PORT" www.example.com A >/dev/null
	grep -q 'recvmmsg(' "$TRACE"
}
wait_for 20 traced || fail "strace did not attach to dualnsd"

# N queries, each sent once the previous one was answered: every batch holds one query.
N=40
names=()
for i in $(seq "$N"); do names+=(www.example.com A); done
out=$(dig -r +tries=1 +time=5 -p "$PORT" @127.0.0.1 "${names[@]}")
expect_eq "$N queries one at a time over UDP: $N answers (RFC 1035 section 4.2.1)" \
	"$(printf '%s\n' "$out" | grep -c 'status: NOERROR')" "$N"
# strace ends with dualnsd, writing out the whole trace (it buffers its output); the
# queries that showed it attached count too.
stop_dualnsd
wait_for_exit "$STRACE_PID" 10 || bad "strace ends with dualnsd"
stop_pid "$STRACE_PID"
reads=$(grep -c 'recvmmsg.* = [1-9]' "$TRACE")
empty=$(grep -c 'recvmmsg.*EAGAIN' "$TRACE")
expect_ge "each query is read by a recvmmsg() that returns it" "$reads" "$N"
# Before, each lone query cost a second recvmmsg() that found the socket empty.
expect_le "no recvmmsg() finds the socket empty after a short batch (got $empty for $N batches)" \
	"$empty" 2
