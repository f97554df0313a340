# SPDX-License-Identifier: BSD-3-Clause
# tests/hardening/local.mk: system tests with hostile clients and memory checks: slow, idle,
# many and non-reading TCP clients, a burst of junk that must not flood the log, dualnsd
# under valgrind, and the journal's unit test and journaldiff under valgrind. They use
# tests/system/lib.sh and run like the system tests.
HARDENING_TESTS = \
	tests/hardening/tcp.sh \
	tests/hardening/junk.sh \
	tests/hardening/valgrind.sh \
	tests/hardening/journal.sh
TESTS += $(HARDENING_TESTS)
EXTRA_DIST += $(HARDENING_TESTS) tests/hardening/hostile.py
