# SPDX-License-Identifier: BSD-3-Clause
# tests/dnssec/local.mk: serving signed zones. signed.sh signs tests/dnssec/signed.test.zone
# three ways with ldns-signzone (NSEC, NSEC3, NSEC3 with opt-out) and once with BIND's
# dnssec-signzone when it is there (opt-out without NSEC3 at insecure delegations).
# differential.sh compares dualnsd's answers with NSD's and Knot's (digest.py, dnspython);
# validate.sh validates every answer kind with delv and drill; truncation.sh checks that
# signed answers fit whole or come bare with TC over UDP and whole over TCP. Each skips
# (77) without its tools.
DNSSEC_TESTS = \
	tests/dnssec/differential.sh \
	tests/dnssec/validate.sh \
	tests/dnssec/truncation.sh
TESTS += $(DNSSEC_TESTS)
EXTRA_DIST += $(DNSSEC_TESTS) tests/dnssec/signed.sh tests/dnssec/digest.py \
	tests/dnssec/signed.test.zone tests/dnssec/signed.cases
