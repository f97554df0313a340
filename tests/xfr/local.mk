# SPDX-License-Identifier: BSD-3-Clause
# tests/xfr/local.mk: zone transfers beside real NSD and Knot DNS. journal.sh compares the
# differences journal.c computes (printed by journaldiff) with Knot's IXFR of the same
# change, after checking dualnsd's journal lines across SIGHUP reloads; it runs like the
# system tests (tests/system/lib.sh) and skips the comparison without Knot. axfrout.sh
# runs dualnsd as a primary and transfers from it with dig, kdig and xfrpeer.py (slow,
# stalled and leaving clients), comparing with NSD serving the same zone. ixfrcompare.sh
# compares dualnsd's IXFR answers with Knot's for the same edits. secondaries.sh runs NSD
# and Knot as secondaries of dualnsd (configuration file, TSIG, NOTIFY, IXFR). aclreload.sh
# checks the file's transfer ACLs and their reload. xfrin.sh refreshes zones from NSD and
# Knot with xfrin.c (through xfringet): AXFR, IXFR, TSIG, a primary down.
check_PROGRAMS += tests/xfr/journaldiff tests/xfr/xfringet
tests_xfr_xfringet_SOURCES = tests/xfr/xfringet.c tests/xfr/journaltext.h
tests_xfr_xfringet_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS)
tests_xfr_xfringet_LDADD = $(DUALNS_LIBS)
tests_xfr_journaldiff_SOURCES = tests/xfr/journaldiff.c tests/xfr/journaltext.h
tests_xfr_journaldiff_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS)
tests_xfr_journaldiff_LDADD = $(DUALNS_LIBS)
XFR_TESTS = \
	tests/xfr/journal.sh \
	tests/xfr/axfrout.sh \
	tests/xfr/ixfrcompare.sh \
	tests/xfr/aclreload.sh \
	tests/xfr/secondaries.sh \
	tests/xfr/xfrin.sh \
	tests/xfr/follow.sh \
	tests/xfr/secfaults.sh
TESTS += $(XFR_TESTS)
EXTRA_DIST += $(XFR_TESTS) tests/xfr/changeset.py tests/xfr/xfrpeer.py \
	tests/xfr/xfrinpeer.py
