#!/bin/sh
# tests/client/dualnsd.sh: dualq against dualnsd serving the bundled zone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
port=$(free_port)
start_dualnsd "$port"
. "$top_srcdir/tests/client/suite.sh"
finish
