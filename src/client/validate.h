/* SPDX-License-Identifier: BSD-3-Clause */
/* validate.h: +validate: check the final answer's signatures with ldns, from the +anchor keys. */
#ifndef DUALQ_VALIDATE_H
#define DUALQ_VALIDATE_H

#include <stddef.h>

#include <ldns/ldns.h>

#include "client/exchange.h"
#include "client/verdicts.h"

/* Reads the DS and DNSKEY records of an anchor file in presentation form (one a line, as
 * ldns-key2ds and ldns-keygen write them; ";" comments and blank lines skipped) into *out.
 * Returns 0; -EINVAL with "FILE:LINE: reason" in err for a record that does not parse, a
 * type other than DS or DNSKEY, or a file without records; -errno when it cannot be read. */
int validate_load_anchor(ldns_rr_list **out, char *err, size_t errlen, const char *path);

/* Validates the final reply of ex (RFC 4035 section 5): for each zone that signed its
 * answer or authority RRsets, the DNSKEY set asked of the same server over TCP, trusted
 * when a key the anchor names (by DS digest or as the DNSKEY itself) signs it (RFC 4035
 * section 5.2); then every RRset with its RRSIGs (section 5.3), and for NXDOMAIN, NODATA
 * and a referral without DS the NSEC or NSEC3 proof (section 5.4, RFC 5155 section 8).
 * Adds one verdict per failure and a final one, sets vd->validated. Returns the number of
 * failed verdicts added. */
int validate_answer(struct verdicts *vd, const struct exchange *ex, const ldns_rr_list *anchor,
		    unsigned timeout_ms);

#endif
