/* SPDX-License-Identifier: BSD-3-Clause */
/* denial.h: which NSEC or NSEC3 records prove a negative answer, a wildcard answer or an
 * unsigned delegation (RFC 4035 section 3.1.3, RFC 5155 section 7.2). answer.c asks
 * for them while it walks a chain and writes them, with their RRSIGs, after the answer
 * section. No allocation: the list lives on the answer's stack. */
#ifndef DUALNS_DENIAL_H
#define DUALNS_DENIAL_H

#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* At most three records a step (RFC 5155 section 7.2.2), for the longest chain. */
#define DENIAL_MAX 27

/* The owners whose NSEC (or NSEC3, in an NSEC3 zone) the answer carries, each once. */
struct denial {
	const struct node *owner[DENIAL_MAX];
	unsigned count;
};

/* The name (lowercased, in z) does not exist; ce is its closest encloser: the
 * non-existence of the name and of the wildcard that could have made it (RFC 4035
 * section 3.1.3.2, RFC 5155 section 7.2.2). */
void denial_nxdomain(struct denial *d, const struct zone *z, const uint8_t *lname, size_t len,
		     const struct node *ce);

/* The name exists as node n (an empty non-terminal, or the parent side of a cut for DS)
 * but has no RRset of the type asked (RFC 4035 section 3.1.3.1, RFC 5155 sections 7.2.3
 * and 7.2.4). */
void denial_nodata(struct denial *d, const struct zone *z, const struct node *n);

/* A wildcard below ce answered the name: no closer match exists (RFC 4035 section
 * 3.1.3.3, RFC 5155 section 7.2.6). */
void denial_wildcard(struct denial *d, const struct zone *z, const uint8_t *lname, size_t len,
		     const struct node *ce);

/* The wildcard w below ce matched the name but has no RRset of the type asked (RFC 4035
 * section 3.1.3.4, RFC 5155 section 7.2.5). */
void denial_wildcard_nodata(struct denial *d, const struct zone *z, const uint8_t *lname,
			    size_t len, const struct node *ce, const struct node *w);

/* The delegation at cut has no DS (RFC 4035 section 3.1.4, RFC 5155 section 7.2.7). */
void denial_no_ds(struct denial *d, const struct zone *z, const struct node *cut);

#endif
