# src/client/local.mk: dualq, the client (see issue 3), its unit tests, system tests and man page.
# The client's code but main() is a small library, so the unit tests link what dualq runs.
noinst_LIBRARIES += src/client/libdualq.a
src_client_libdualq_a_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS)
src_client_libdualq_a_SOURCES = \
	src/client/msg.c src/client/msg.h \
	src/client/options.c src/client/options.h \
	src/client/exchange.c src/client/exchange.h \
	src/client/verdicts.c src/client/verdicts.h \
	src/client/output.c src/client/output.h

DUALQ_LIBS = src/client/libdualq.a $(LDNS_LIBS)

bin_PROGRAMS += src/client/dualq
src_client_dualq_SOURCES = src/client/main.c
src_client_dualq_CPPFLAGS = $(AM_CPPFLAGS) $(LDNS_CFLAGS)
src_client_dualq_LDADD = $(DUALQ_LIBS)

dist_man1_MANS = src/client/dualq.1
