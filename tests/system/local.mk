# tests/system/local.mk: system tests that run the real daemon.
# Each test is a bash script run by $(SHELL) (see SH_LOG_COMPILER in Makefile.am); it sources
# lib.sh, starts dualnsd (and, for the differential test, NSD and Knot) on free ports on
# 127.0.0.1, and writes only to a temp folder under $(top_builddir).
EXTRA_DIST += \
	tests/system/lib.sh \
	tests/system/dnsraw.py

# The shell helpers every test and contrib script shares (free ports, waiting with a
# deadline, starting dualnsd, NSD and Knot, cleanup on exit).
EXTRA_DIST += tests/lib/common.sh

# NSD and Knot DNS (Debian packages) as references for dualnsd; skips without them.
TESTS += tests/system/differential.sh
EXTRA_DIST += tests/system/differential.sh

# dualnsd alone: answers, truncation, transport, malformed input, the command line.
TESTS += tests/system/answers.sh
EXTRA_DIST += tests/system/answers.sh
TESTS += tests/system/truncation.sh
EXTRA_DIST += tests/system/truncation.sh
TESTS += tests/system/transport.sh
EXTRA_DIST += tests/system/transport.sh
TESTS += tests/system/malformed.sh
EXTRA_DIST += tests/system/malformed.sh
TESTS += tests/system/cmdline.sh
TESTS += tests/system/identity.sh
EXTRA_DIST += tests/system/identity.sh
EXTRA_DIST += tests/system/cmdline.sh
