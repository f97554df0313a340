# SPDX-License-Identifier: BSD-3-Clause
# tests/xfr/local.mk: zone transfers with real peers. axfrout.sh runs dualnsd as a primary
# and transfers from it with dig, kdig and xfrpeer.py (slow, stalled and leaving clients),
# comparing with NSD serving the same zone.
EXTRA_DIST += tests/xfr/xfrpeer.py
XFR_TESTS = \
	tests/xfr/axfrout.sh
TESTS += $(XFR_TESTS)
EXTRA_DIST += $(XFR_TESTS)
