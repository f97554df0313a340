# SPDX-License-Identifier: BSD-3-Clause
# tests/scale/local.mk: workers, SO_REUSEPORT between processes, reload under load, TCP limits.
# Each test sources tests/system/lib.sh and tests/scale/common.sh, runs dualnsd on free
# ports on 127.0.0.1 and writes only under $(top_builddir).
SCALE_TESTS = \
	tests/scale/workers.sh \
	tests/scale/reuseport.sh \
	tests/scale/reload.sh \
	tests/scale/tcpcap.sh
TESTS += $(SCALE_TESTS)
EXTRA_DIST += $(SCALE_TESTS) \
	tests/scale/common.sh \
	tests/scale/who.py \
	tests/scale/tcpconns.py
