# SPDX-License-Identifier: BSD-3-Clause
# tests/fuzz/local.mk: the libFuzzer targets (./configure --enable-fuzzing, clang) and the
# replay drivers that run their committed corpus in every build's `make check`.
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS) \
	-DFUZZ_DATADIR='"$(abs_top_srcdir)/tests/data"' \
	-DFUZZ_ZONESDIR='"$(abs_top_srcdir)/zones"' \
	-DFUZZ_TMPDIR='"$(abs_top_builddir)"'

# Replay: every corpus file through the target's LLVMFuzzerTestOneInput, no libFuzzer.
check_PROGRAMS += tests/fuzz/replay_query tests/fuzz/replay_zone tests/fuzz/replay_reply \
	tests/fuzz/replay_tcp tests/fuzz/replay_xfrin
TESTS += tests/fuzz/replay_query tests/fuzz/replay_zone tests/fuzz/replay_reply \
	tests/fuzz/replay_tcp tests/fuzz/replay_xfrin
tests_fuzz_replay_query_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_query.c tests/fuzz/fuzz_check.h
tests_fuzz_replay_query_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/query"'
tests_fuzz_replay_query_LDADD = $(DUALNS_LIBS)
tests_fuzz_replay_zone_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_zone.c tests/fuzz/fuzz_check.h
tests_fuzz_replay_zone_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/zone"'
tests_fuzz_replay_zone_LDADD = $(DUALNS_LIBS)
# dualq's reply handling: what a server sends back, judged and printed.
tests_fuzz_replay_reply_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_reply.c
tests_fuzz_replay_reply_CPPFLAGS = $(FUZZ_CPPFLAGS) $(JANSSON_CFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/reply"'
tests_fuzz_replay_reply_LDADD = $(DUALQ_LIBS)
# DNS over TCP: one client's byte stream through a real worker loop (tcp.c).
tests_fuzz_replay_tcp_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_tcp.c
tests_fuzz_replay_tcp_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/tcp"'
tests_fuzz_replay_tcp_LDADD = $(DUALNS_LIBS)
# The transfer client: a primary's answers checked and made into a zone (xfrinmsg.c).
tests_fuzz_replay_xfrin_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_xfrin.c tests/fuzz/fuzz_check.h
tests_fuzz_replay_xfrin_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/xfrin"'
tests_fuzz_replay_xfrin_LDADD = $(DUALNS_LIBS)

# The seeds (make_seeds.py writes them) and libFuzzer's dictionary for zone text.
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/make_seeds.py tests/fuzz/zone.dict

# `make fuzz FUZZ_SECONDS=N`: each target for N seconds, new inputs and crashes under
# fuzz-work/ in the build tree (the committed corpus is only read). FUZZ_ARGS passes more
# libFuzzer flags, for example FUZZ_ARGS='-jobs=2 -workers=2'.
FUZZ_SECONDS = 60
FUZZ_ARGS =
if ENABLE_FUZZING
noinst_PROGRAMS = tests/fuzz/fuzz_query tests/fuzz/fuzz_zone tests/fuzz/fuzz_reply \
	tests/fuzz/fuzz_tcp tests/fuzz/fuzz_xfrin
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_query_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_query_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_query_LDADD = $(DUALNS_LIBS)
tests_fuzz_fuzz_zone_SOURCES = tests/fuzz/fuzz_zone.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_zone_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_zone_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_zone_LDADD = $(DUALNS_LIBS)
tests_fuzz_fuzz_reply_SOURCES = tests/fuzz/fuzz_reply.c
tests_fuzz_fuzz_reply_CPPFLAGS = $(FUZZ_CPPFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_fuzz_reply_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_reply_LDADD = $(DUALQ_LIBS)
tests_fuzz_fuzz_tcp_SOURCES = tests/fuzz/fuzz_tcp.c
tests_fuzz_fuzz_tcp_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_tcp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_tcp_LDADD = $(DUALNS_LIBS)
tests_fuzz_fuzz_xfrin_SOURCES = tests/fuzz/fuzz_xfrin.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_xfrin_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_xfrin_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_xfrin_LDADD = $(DUALNS_LIBS)

fuzz: tests/fuzz/fuzz_query tests/fuzz/fuzz_zone tests/fuzz/fuzz_reply tests/fuzz/fuzz_tcp \
		tests/fuzz/fuzz_xfrin
	@set -e; for t in query zone reply tcp xfrin; do \
		work=fuzz-work/$$t; \
		mkdir -p $$work/new $$work/crashes; \
		dict=; [ $$t = zone ] && dict=-dict=$(srcdir)/tests/fuzz/zone.dict; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s; new inputs in $$work/new, crashes in $$work/crashes"; \
		./tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=8192 \
			-print_final_stats=1 -artifact_prefix=$$work/crashes/ $$dict $(FUZZ_ARGS) \
			$$work/new $(srcdir)/tests/fuzz/corpus/$$t; \
	done
else
fuzz:
	@echo "make fuzz needs the libFuzzer targets: ./configure --enable-fuzzing CC=clang" \
		"(clang with libFuzzer: apt-get install clang libclang-rt-dev), then make fuzz"; exit 1
endif
.PHONY: fuzz

clean-local:
	-rm -rf fuzz-work
