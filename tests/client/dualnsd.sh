#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/dualnsd.sh: dualq against dualnsd serving the bundled zone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
start_dualnsd
. "$top_srcdir/tests/client/suite.sh"
finish
