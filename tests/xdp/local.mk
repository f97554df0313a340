# SPDX-License-Identifier: BSD-3-Clause
# tests/xdp/local.mk: the AF_XDP path (dualnsd --xdp) tested end to end. Each test sources
# tests/xdp/lib.sh: two network namespaces joined by a veth pair, dualnsd with the XDP
# program on the server's end, clients (dig, dualq) in the other. They need root and a
# build with XDP (./configure --enable-xdp) and skip (77) otherwise; nothing is added to
# the root namespace, and both namespaces are removed on exit.
XDP_TESTS = \
	tests/xdp/basic.sh \
	tests/xdp/errors.sh \
	tests/xdp/differential.sh
TESTS += $(XDP_TESTS)
EXTRA_DIST += $(XDP_TESTS) tests/xdp/lib.sh
