# SPDX-License-Identifier: BSD-3-Clause
# tests/unit/local.mk: cmocka unit and in-process query tests; each links libdualns.
if HAVE_CMOCKA
UNIT_TEST_LIBS = $(DUALNS_LIBS) $(CMOCKA_LIBS)
UNIT_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(LDNS_CFLAGS) \
	-DTEST_DATADIR='"$(abs_top_srcdir)/tests/data"'
# The programs that count or fail allocations (failalloc.h): the linker sends every
# allocator call of the program's own objects and of libdualns.a to failalloc.c.
FAILALLOC_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=reallocarray \
	-Wl,--wrap=strdup,--wrap=strndup,--wrap=asprintf,--wrap=free
UNIT_TESTS = \
	tests/unit/test_dns \
	tests/unit/test_zone \
	tests/unit/test_zone_oom \
	tests/unit/test_zonelist \
	tests/unit/test_encode \
	tests/unit/test_wire \
	tests/unit/test_query \
	tests/unit/test_prebuilt \
	tests/unit/test_dnssec \
	tests/unit/test_dbswap \
	tests/unit/test_options \
	tests/unit/test_cookie \
	tests/unit/test_rrl \
	tests/unit/test_journal \
	tests/unit/test_notify \
	tests/unit/test_secondary \
	tests/unit/test_tsig \
	tests/unit/test_xfrout \
	tests/unit/test_conf \
	tests/unit/test_zoneconf \
	tests/unit/test_xfrin \
	tests/unit/test_zonesigned
# The AF_XDP path (./configure --enable-xdp): its frames, and its XDP program run by the
# kernel on test frames (root only; the program is src/xdp_dns.bpf.o of the build tree,
# found through top_builddir, or DUALNSD_XDP_OBJECT when set).
if XDP
UNIT_TESTS += tests/unit/test_xdp_frame tests/unit/test_xdp_prog
tests_unit_test_xdp_frame_SOURCES = tests/unit/test_xdp_frame.c tests/unit/xdptestframe.h
tests_unit_test_xdp_frame_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_xdp_frame_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_xdp_prog_SOURCES = tests/unit/test_xdp_prog.c tests/unit/xdptestframe.h
tests_unit_test_xdp_prog_CPPFLAGS = $(UNIT_TEST_CPPFLAGS) $(LIBBPF_CFLAGS)
tests_unit_test_xdp_prog_LDADD = $(UNIT_TEST_LIBS) $(LIBBPF_LIBS)
endif
tests_unit_test_zonesigned_SOURCES = tests/unit/test_zonesigned.c tests/unit/testutil.h
tests_unit_test_zonesigned_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_zonesigned_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_xfrin_SOURCES = tests/unit/test_xfrin.c tests/unit/testutil.h
tests_unit_test_xfrin_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_xfrin_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_notify_SOURCES = tests/unit/test_notify.c tests/unit/testutil.h
tests_unit_test_notify_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_notify_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_zoneconf_SOURCES = tests/unit/test_zoneconf.c
tests_unit_test_zoneconf_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_zoneconf_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_conf_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_conf_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_xfrout_SOURCES = tests/unit/test_xfrout.c tests/unit/testutil.h
tests_unit_test_xfrout_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_xfrout_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_cookie_SOURCES = tests/unit/test_cookie.c tests/unit/testutil.h
tests_unit_test_cookie_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_cookie_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_rrl_SOURCES = tests/unit/test_rrl.c tests/unit/testutil.h
tests_unit_test_rrl_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_rrl_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_journal_SOURCES = tests/unit/test_journal.c tests/unit/testutil.h \
	tests/xfr/journaltext.h
tests_unit_test_journal_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_journal_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_tsig_SOURCES = tests/unit/test_tsig.c tests/unit/testutil.h \
	tests/unit/failalloc.c tests/unit/failalloc.h
tests_unit_test_tsig_CPPFLAGS = $(UNIT_TEST_CPPFLAGS) $(LIBCRYPTO_CFLAGS)
tests_unit_test_tsig_LDFLAGS = $(AM_LDFLAGS) $(FAILALLOC_WRAP)
tests_unit_test_tsig_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_options_SOURCES = tests/unit/test_options.c
tests_unit_test_options_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_options_LDADD = $(UNIT_TEST_LIBS)
check_PROGRAMS += $(UNIT_TESTS)
tests_unit_test_dns_SOURCES = tests/unit/test_dns.c
tests_unit_test_dns_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_dns_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_wire_SOURCES = tests/unit/test_wire.c tests/unit/testutil.h
tests_unit_test_wire_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_wire_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_encode_SOURCES = tests/unit/test_encode.c tests/unit/testutil.h
tests_unit_test_encode_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_encode_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_zone_SOURCES = tests/unit/test_zone.c tests/unit/testutil.h \
	tests/unit/failalloc.c tests/unit/failalloc.h
tests_unit_test_zone_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_zone_LDFLAGS = $(AM_LDFLAGS) $(FAILALLOC_WRAP)
tests_unit_test_zone_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_dbswap_SOURCES = tests/unit/test_dbswap.c tests/unit/testutil.h
tests_unit_test_dbswap_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_dbswap_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_zone_oom_SOURCES = tests/unit/test_zone_oom.c tests/unit/testutil.h \
	tests/unit/failalloc.c tests/unit/failalloc.h
tests_unit_test_zone_oom_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_zone_oom_LDFLAGS = $(AM_LDFLAGS) $(FAILALLOC_WRAP)
tests_unit_test_zone_oom_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_zonelist_SOURCES = tests/unit/test_zonelist.c tests/unit/testutil.h
tests_unit_test_zonelist_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_zonelist_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_prebuilt_SOURCES = tests/unit/test_prebuilt.c tests/unit/testutil.h
tests_unit_test_prebuilt_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_prebuilt_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_query_SOURCES = tests/unit/test_query.c tests/unit/testutil.h
tests_unit_test_query_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_query_LDADD = $(UNIT_TEST_LIBS)
tests_unit_test_secondary_SOURCES = tests/unit/test_secondary.c tests/unit/testutil.h
tests_unit_test_secondary_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_secondary_LDADD = $(UNIT_TEST_LIBS) -lm
TESTS += $(UNIT_TESTS)
else
check-local:
	@echo "cmocka not found: install libcmocka-dev and run ./configure again to build the unit tests"; exit 1
endif
tests_unit_test_dnssec_SOURCES = tests/unit/test_dnssec.c tests/unit/testutil.h \
	tests/unit/failalloc.c tests/unit/failalloc.h
tests_unit_test_dnssec_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_dnssec_LDFLAGS = $(AM_LDFLAGS) $(FAILALLOC_WRAP)
tests_unit_test_dnssec_LDADD = $(UNIT_TEST_LIBS)
