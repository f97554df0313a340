#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/package/configure.sh: configure refuses a system other than Linux at once, with a
# message that says so (the server needs recvmmsg, sendmmsg, accept4 and Linux's
# SO_REUSEPORT; there are no fallbacks), and accepts Linux.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

[ -x "$top_srcdir/configure" ] || skip "no configure script in $top_srcdir (run autoreconf -fi)"
dir=$(sys_tmpdir)

# --host names the system to build for; configure decides before it looks for a compiler
# for that host, so no cross compiler is needed to see the refusal.
for host in x86_64-unknown-freebsd14.0 aarch64-apple-darwin23 x86_64-unknown-netbsd10.0; do
	out=$(cd "$dir" && "$top_srcdir/configure" --host="$host" 2>&1)
	status=$?
	expect_ne "configure --host=$host fails" "$status" 0
	expect_match "... and says dualns runs on Linux only" "$out" 'runs on Linux only'
done

# Linux passes that check (what comes after it may still stop this configure: a source
# tree configured in place refuses a second build elsewhere).
out=$(cd "$dir" && "$top_srcdir/configure" --host=x86_64-pc-linux-gnu --build=x86_64-pc-linux-gnu CC=false 2>&1)
expect_match "configure --host=x86_64-pc-linux-gnu checks the host system" "$out" 'host system type\.\.\. x86_64-pc-linux-gnu'
expect_nomatch "... and does not refuse it" "$out" 'Linux only'
