# SPDX-License-Identifier: BSD-3-Clause
# tests/sysd/local.mk: systemd socket activation and notify, and dropping privileges (-u, --chroot).
# Each test sources tests/system/lib.sh and tests/sysd/common.sh, runs dualnsd on free
# ports on 127.0.0.1 and writes only under $(top_builddir).
SYSD_TESTS = \
	tests/sysd/activation.sh \
	tests/sysd/privileges.sh
TESTS += $(SYSD_TESTS)
EXTRA_DIST += $(SYSD_TESTS) \
	tests/sysd/common.sh \
	tests/sysd/activate.py \
	tests/sysd/notifyd.py

# Unit tests of sdnotify.c and privileges.c, beside the others in tests/unit/ (and in
# $(UNIT_TESTS), so the Debian build runs them too).
if HAVE_CMOCKA
UNIT_TESTS += tests/unit/test_sdnotify tests/unit/test_privileges
tests_unit_test_sdnotify_SOURCES = tests/unit/test_sdnotify.c
tests_unit_test_sdnotify_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_sdnotify_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_privileges_SOURCES = tests/unit/test_privileges.c
tests_unit_test_privileges_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_privileges_LDADD = $(UNIT_TEST_LIBS)
endif
