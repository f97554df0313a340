# SPDX-License-Identifier: BSD-3-Clause
# src/client/local.mk: dualq, the client, its unit tests, system tests and man page.
# The client's code but main() is a small library, so the unit tests link what dualq runs.
noinst_LIBRARIES += src/client/libdualq.a
src_client_libdualq_a_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS) $(JANSSON_CFLAGS)
src_client_libdualq_a_SOURCES = \
	src/dns.h \
	src/client/msg.c src/client/msg.h \
	src/client/cookie.c src/client/cookie.h \
	src/client/options.c src/client/options.h \
	src/client/exchange.c src/client/exchange.h \
	src/client/verdicts.c src/client/verdicts.h \
	src/client/sigcount.c src/client/sigcount.h \
	src/client/validate.c src/client/validate.h \
	src/client/udplimit.c src/client/udplimit.h \
	src/client/output.c src/client/output.h

DUALQ_LIBS = src/client/libdualq.a $(LDNS_LIBS) $(JANSSON_LIBS)

bin_PROGRAMS += src/client/dualq
src_client_dualq_SOURCES = src/client/main.c
src_client_dualq_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS)
src_client_dualq_LDADD = $(DUALQ_LIBS)

dist_man1_MANS = src/client/dualq.1

# Unit tests: option parsing, the reply checks, the JSON document, the UDP size limit, the
# DNS Cookie pieces and the DNSSEC counts and signed-RRsets verdict, linked against the
# library dualq runs.
if HAVE_CMOCKA
DUALQ_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(LDNS_CFLAGS) $(JANSSON_CFLAGS)
DUALQ_TEST_LIBS = $(DUALQ_LIBS) $(CMOCKA_LIBS)
DUALQ_UNIT_TESTS = tests/client/test_options tests/client/test_verdicts tests/client/test_output \
	tests/client/test_udplimit tests/client/test_cookie tests/client/test_sigcount
check_PROGRAMS += $(DUALQ_UNIT_TESTS)
TESTS += $(DUALQ_UNIT_TESTS)
tests_client_test_options_SOURCES = tests/client/test_options.c
tests_client_test_options_CPPFLAGS = $(DUALQ_TEST_CPPFLAGS)
tests_client_test_options_LDADD = $(DUALQ_TEST_LIBS)
tests_client_test_verdicts_SOURCES = tests/client/test_verdicts.c
tests_client_test_verdicts_CPPFLAGS = $(DUALQ_TEST_CPPFLAGS)
tests_client_test_verdicts_LDADD = $(DUALQ_TEST_LIBS)
tests_client_test_output_SOURCES = tests/client/test_output.c
tests_client_test_output_CPPFLAGS = $(DUALQ_TEST_CPPFLAGS)
tests_client_test_output_LDADD = $(DUALQ_TEST_LIBS)
tests_client_test_udplimit_SOURCES = tests/client/test_udplimit.c
tests_client_test_udplimit_CPPFLAGS = $(DUALQ_TEST_CPPFLAGS)
tests_client_test_udplimit_LDADD = $(DUALQ_TEST_LIBS)
tests_client_test_cookie_SOURCES = tests/client/test_cookie.c
tests_client_test_cookie_CPPFLAGS = $(DUALQ_TEST_CPPFLAGS)
tests_client_test_cookie_LDADD = $(DUALQ_TEST_LIBS)
tests_client_test_sigcount_SOURCES = tests/client/test_sigcount.c
tests_client_test_sigcount_CPPFLAGS = $(DUALQ_TEST_CPPFLAGS)
tests_client_test_sigcount_LDADD = $(DUALQ_TEST_LIBS)
endif

# System tests: dualq against dualnsd, NSD and Knot DNS (each skipped when missing), its exit
# codes and errors, each verdict against a server that misbehaves on purpose, the JSON
# document over names and RDATA with odd bytes, DNS Cookies and rate-limit slips, and the
# DNSSEC counts, the signed-RRsets verdict and +validate against signed zones.
DUALQ_SYSTEM_TESTS = \
	tests/client/dualnsd.sh \
	tests/client/nsd.sh \
	tests/client/knot.sh \
	tests/client/errors.sh \
	tests/client/verdicts.sh \
	tests/client/oddnames.sh \
	tests/client/cookie.sh \
	tests/client/dnssec.sh
TESTS += $(DUALQ_SYSTEM_TESTS)
EXTRA_DIST += $(DUALQ_SYSTEM_TESTS) \
	tests/client/lib.sh \
	tests/client/suite.sh \
	tests/client/badserver.py \
	tests/client/jsoncheck.py \
	tests/client/jsontext.py
