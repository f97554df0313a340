#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/nsd.sh: dualq against NSD serving the bundled zone (skipped without nsd).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
start_nsd
expect_nsid=nsd-test
. "$top_srcdir/tests/client/suite.sh"
finish
