#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/debian/build.sh: build the dualns and dualq .debs from this source tree, in a temporary copy.
#
#   contrib/debian/build.sh [OUTDIR] [DPKG-BUILDPACKAGE-ARGS...]
#
# Copies the source tree (with git: the tracked files as they are in the work tree, so
# uncommitted edits are built but build outputs and the temporary folders of running
# tests are not; a new file must be `git add`ed first; without git, as from a dist
# tarball: the whole tree) to a temporary folder, puts
# contrib/debian there as ./debian, runs `dpkg-buildpackage -b -us -uc`, and moves the
# .debs, .buildinfo and .changes to OUTDIR (default: a new folder under ${TMPDIR:-/tmp}).
# The last line printed names OUTDIR. Extra arguments go to dpkg-buildpackage, for
# example -Pnocheck (with DEB_BUILD_OPTIONS=nocheck) to build without the unit tests.
# The build tree is removed on success and kept, and named, on failure.
set -euo pipefail

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	out=$1
	shift
fi

command -v dpkg-buildpackage >/dev/null 2>&1 ||
	die "dpkg-buildpackage not found: apt-get install dpkg-dev debhelper fakeroot"
[ -f "$top/configure.ac" ] && [ -f "$here/control" ] || die "run from a dualns source tree"

# The package version's upstream part must be the one configure.ac builds, or the .debs
# would carry a version their binaries do not print.
upstream=$(sed -n 's/^AC_INIT(\[dualns\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
debian=$(dpkg-parsechangelog -l "$here/changelog" -S Version)
[ "${debian%-*}" = "$upstream" ] ||
	die "contrib/debian/changelog is at $debian but configure.ac at $upstream: add a changelog entry (dch -v $upstream-1)"

work=$(mktemp -d "${TMPDIR:-/tmp}/dualns-deb.XXXXXX")
keep_work=1
trap '[ -n "$keep_work" ] && say "the build tree is kept in $work" || rm -rf "$work"' EXIT
src=$work/dualns-$upstream
mkdir "$src"

if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
	[ "$(git -C "$top" rev-parse --show-toplevel)" = "$top" ]; then
	say "copying the git work tree of $top"
	# Files deleted in the work tree but still in the index are left out.
	git -C "$top" ls-files -z --cached |
		while IFS= read -r -d '' f; do
			[ -e "$top/$f" ] || [ -L "$top/$f" ] && printf '%s\0' "$f"
		done |
		tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
else
	# A tree from a dist tarball. Configured in place, it would carry a build for another
	# path into the copy: refuse rather than guess what to clean.
	[ ! -e "$top/config.status" ] ||
		die "$top was configured in place: run 'make distclean' there first (or build from a git clone)"
	say "copying $top"
	tar -C "$top" -cf - . | tar -C "$src" -xf -
fi
rm -rf "$src/debian"
cp -a "$src/contrib/debian" "$src/debian"
rm -f "$src/debian/build.sh"

# Nothing from a calling make (jobserver, command-line variables) may leak into the
# package's own make runs, nor may the opt-in for the package test (it would recurse).
say "dpkg-buildpackage -b -us -uc $* (log: $work/build.log)"
status=0
(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DUALNS_TEST_PACKAGE \
	dpkg-buildpackage -b -us -uc -J"$(nproc 2>/dev/null || echo 2)" "$@") \
	>"$work/build.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	tail -n 40 "$work/build.log" >&2
	die "dpkg-buildpackage failed (status $status); the whole log is $work/build.log"
fi

[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/dualns-debs.XXXXXX")
mkdir -p "$out"
shopt -s nullglob
files=("$work"/*.deb "$work"/*.buildinfo "$work"/*.changes)
[ "${#files[@]}" -gt 0 ] || die "dpkg-buildpackage made no .deb (log: $work/build.log)"
mv -f "${files[@]}" "$out"/
keep_work=
for f in "$out"/*.deb; do
	say "built $(basename "$f")"
done
echo "$(cd "$out" && pwd)"
