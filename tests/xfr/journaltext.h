/* SPDX-License-Identifier: BSD-3-Clause */
/* journaltext.h: a journal record (journal.h) in presentation form through ldns, for the
 * journal's unit test and tests/xfr/journaldiff.c. Test code: it allocates. */
#ifndef DUALNS_JOURNALTEXT_H
#define DUALNS_JOURNALTEXT_H

#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>

#include "dns.h"
#include "journal.h"

/* Writes rr as one line of a zone file, without the newline: "owner TTL IN TYPE RDATA"
 * as ldns prints it. Returns buf, or NULL when ldns cannot read the record back. */
static inline char *journal_rr_text(const struct journal_rr *rr, char *buf, size_t len)
{
	uint8_t wire[DNS_MAX_NAME + 10 + 65535];
	size_t n = rr->owner_len, pos = 0;
	ldns_rr *l = NULL;
	char *s;

	memcpy(wire, rr->owner, n);
	dns_write16(wire + n, rr->type);
	dns_write16(wire + n + 2, DNS_CLASS_IN);
	dns_write16(wire + n + 4, (uint16_t)(rr->ttl >> 16));
	dns_write16(wire + n + 6, (uint16_t)rr->ttl);
	dns_write16(wire + n + 8, rr->rdlen);
	memcpy(wire + n + 10, rr->rdata, rr->rdlen);
	if (ldns_wire2rr(&l, wire, n + 10 + rr->rdlen, &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
		return NULL;
	s = ldns_rr2str(l);
	ldns_rr_free(l);
	if (s == NULL)
		return NULL;
	s[strcspn(s, "\n")] = '\0';
	snprintf(buf, len, "%s", s);
	free(s);
	return buf;
}

#endif
