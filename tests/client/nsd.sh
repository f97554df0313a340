#!/bin/sh
# tests/client/nsd.sh: dualq against NSD serving the bundled zone (skipped without nsd).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"
port=$(free_port)
start_nsd "$port"
expect_nsid=nsd-test
. "$top_srcdir/tests/client/suite.sh"
finish
