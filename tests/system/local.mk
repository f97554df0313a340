# SPDX-License-Identifier: BSD-3-Clause
# tests/system/local.mk: system tests that run the real daemon.
# Each test is a bash script run by $(SHELL) (see SH_LOG_COMPILER in Makefile.am); it sources
# lib.sh, starts dualnsd (and, for the differential test, NSD and Knot) on free ports on
# 127.0.0.1, and writes only to a temp folder under $(top_builddir).
EXTRA_DIST += \
	tests/system/lib.sh \
	tests/system/dnsraw.py \
	tests/system/rrlburst.py \
	tests/system/notifylisten.py \
	tests/system/tsigask.py \
	tests/system/notifyask.py \
	tests/system/example.com.cases \
	tests/system/dn.test.cases \
	tests/system/dnapex.test.cases

# The shell helpers every test and contrib script shares (free ports, waiting with a
# deadline, starting dualnsd, NSD and Knot, cleanup on exit), and the rules the tests check.
EXTRA_DIST += tests/lib/common.sh tests/conformance.md

# differential.sh: NSD and Knot DNS (Debian packages) as references for dualnsd; skips
# without them. The others run dualnsd alone: answers, DNAME, truncation, transport,
# malformed input, the command line, zone folders and their reload, identity and counters,
# and the demonstrations of contrib/demo/; benchorder.sh runs no server (the order
# contrib/bench/ measures the servers in), nor does waitfor.sh (how every test waits).
# cookies.sh runs dualnsd alone, then beside NSD, Knot and BIND (each skipped when
# missing) sharing one cookie secret. rrl.sh compares rate limiting with NSD's and Knot's
# when they are installed. notify.sh sends NOTIFYs to listeners (notifylisten.py,
# dnspython) on 127.0.0.1 and ::1; notifyinterop.sh to NSD and Knot as secondaries (each
# skipped when missing). tsig.sh checks TSIG with dig, kdig and dnspython (tsigask.py),
# then beside NSD and Knot given the same key. notifyin.sh sends NOTIFYs to dualnsd's
# secondary zones (notifyask.py, dnspython).
SYSTEM_TESTS = \
	tests/system/differential.sh \
	tests/system/answers.sh \
	tests/system/dname.sh \
	tests/system/truncation.sh \
	tests/system/transport.sh \
	tests/system/udpcalls.sh \
	tests/system/malformed.sh \
	tests/system/cmdline.sh \
	tests/system/zonedirs.sh \
	tests/system/conffile.sh \
	tests/system/identity.sh \
	tests/system/cookies.sh \
	tests/system/rrl.sh \
	tests/system/demos.sh \
	tests/system/benchorder.sh \
	tests/system/waitfor.sh \
	tests/system/notify.sh \
	tests/system/notifyinterop.sh \
	tests/system/notifyin.sh \
	tests/system/tsig.sh \
	tests/system/signedcheck.sh \
	tests/system/signedzone.sh
TESTS += $(SYSTEM_TESTS)
EXTRA_DIST += $(SYSTEM_TESTS)
