#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# resign-zones.sh: signs the example zone example.org (zones/example.org.zone) with its
# committed keys (zones/keys/) into OUT (default zones/example.org.zone.signed), the same
# bytes every time: RSA signatures (PKCS #1 v1.5) are deterministic, and the times are fixed.
#   contrib/resign-zones.sh [SRCDIR [OUT]]
# NSEC3 with 0 extra iterations and an empty salt (RFC 9276 section 3.1); the DNSKEY RRset
# signed by both keys (-A), so with DO it is the truncation example at 512 bytes.
# Expiration 2038-01-01: RRSIG times are 32-bit serial numbers (RFC 4034 section 3.1.5), and
# common tools (ldns-verify-zone among them) read a time past 2038-01-19 before an inception
# in 2026 as an expiration earlier than the inception.
set -eu
srcdir=${1:-.}
out=${2:-$srcdir/zones/example.org.zone.signed}
INCEPTION=20260101000000
EXPIRATION=20380101000000
command -v ldns-signzone >/dev/null 2>&1 || { echo "resign-zones.sh: ldns-signzone not found (Debian: ldnsutils)" >&2; exit 1; }
exec ldns-signzone -n -t 0 -A -i "$INCEPTION" -e "$EXPIRATION" -f "$out" \
	"$srcdir/zones/example.org.zone" \
	"$srcdir/zones/keys/Kexample.org.+008+12314" "$srcdir/zones/keys/Kexample.org.+008+65209"
