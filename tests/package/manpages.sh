#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/package/manpages.sh: the manual pages render without warnings and document every option --help lists.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

command -v groff >/dev/null 2>&1 || skip "groff not found (apt-get install groff-base)"

# groff -ww turns on every warning; -z drops the output, so what is left are the warnings.
for page in src/dualnsd.8 src/dualnsd.conf.5 src/client/dualq.1; do
	out=$(LC_ALL=C.UTF-8 groff -ww -man -Tutf8 -z "$top_srcdir/$page" 2>&1)
	expect_eq "groff -ww -man renders $page without warnings" "$out" ""
	if command -v man >/dev/null 2>&1; then
		# What man -l runs (preprocessors, the pager's width) can warn where groff did not.
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$top_srcdir/$page" 2>&1 >/dev/null)
		expect_eq "man -l $page prints no warnings" "$out" ""
	fi
done

# documents PAGE HELP REGEX: every option that HELP lists (matches of REGEX) appears in PAGE,
# read with the roff escapes \- and \(pl undone.
documents() {
	local page=$1 help=$2 re=$3 text opt missing=()
	text=$(sed 's/\\-/-/g; s/\\(pl/+/g; s/\\&//g' "$top_srcdir/$page")
	for opt in $(printf '%s\n' "$help" | grep -oE -- "$re" | sed 's/^[ [(]*//' | sort -u); do
		printf '%s\n' "$text" | grep -qF -- "$opt" || missing+=("$opt")
	done
	expect_eq "$page documents every option of --help" "${missing[*]}" ""
}

help=$("$DUALNSD" --help) || fail "dualnsd --help failed"
documents src/dualnsd.8 "$help" '(^|[ [(])--?[a-zA-Z][a-z0-9-]*'
help=$("$DUALQ" --help 2>&1)
documents src/client/dualq.1 "$help" '(^|[ [(])(--?[a-zA-Z0-9][a-z0-9-]*|\+[a-z]+)'

# The pages name the version configure builds.
version=$("$DUALNSD" --version | awk '{print $NF}')
for page in src/dualnsd.8 src/dualnsd.conf.5 src/client/dualq.1; do
	expect_match "$page is marked with version $version" "$(sed -n '/^\.TH/p' "$top_srcdir/$page")" \
		"\"dualns $version\""
done
