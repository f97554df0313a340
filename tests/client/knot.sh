#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/knot.sh: dualq against Knot DNS serving the bundled zone (skipped without knotd).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
start_knot
expect_nsid=knot-test
. "$top_srcdir/tests/client/suite.sh"
finish
