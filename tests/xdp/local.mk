# SPDX-License-Identifier: BSD-3-Clause
# tests/xdp/local.mk: the AF_XDP path (dualnsd --xdp) tested end to end. Each test sources
# tests/xdp/lib.sh: two network namespaces joined by a veth pair, dualnsd with the XDP
# program on the server's end, clients (dig, dualq) in the other. They need root and a
# build with XDP (./configure --enable-xdp) and skip (77) otherwise; nothing is added to
# the root namespace, and both namespaces are removed on exit.
# malformed.sh sends crafted frames (frames.py, AF_PACKET) and checks what comes back on
# each path; answers.sh compares every answer kind through AF_XDP with the socket's.
XDP_TESTS = \
	tests/xdp/basic.sh \
	tests/xdp/errors.sh \
	tests/xdp/differential.sh \
	tests/xdp/malformed.sh \
	tests/xdp/answers.sh
TESTS += $(XDP_TESTS)
EXTRA_DIST += $(XDP_TESTS) tests/xdp/lib.sh tests/xdp/frames.py tests/lib/netns.sh
