# tests/scale/local.mk: workers, SO_REUSEPORT between processes, reload under load, TCP limits.
# Each test sources tests/system/lib.sh and tests/scale/common.sh, runs dualnsd on free
# ports on 127.0.0.1 and writes only under $(top_builddir).
EXTRA_DIST += \
	tests/scale/common.sh \
	tests/scale/who.py

TESTS += tests/scale/workers.sh
EXTRA_DIST += tests/scale/workers.sh
TESTS += tests/scale/reuseport.sh
EXTRA_DIST += tests/scale/reuseport.sh
TESTS += tests/scale/reload.sh
EXTRA_DIST += tests/scale/reload.sh
TESTS += tests/scale/tcpcap.sh
EXTRA_DIST += tests/scale/tcpcap.sh tests/scale/tcpconns.py
