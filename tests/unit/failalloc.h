/* SPDX-License-Identifier: BSD-3-Clause */
/* failalloc.h: allocation-failure injection for the unit tests. A program linked with
 * FAILALLOC_WRAP (tests/unit/local.mk: the linker's --wrap for malloc, calloc,
 * realloc, reallocarray, strdup, strndup, asprintf and free) sends every allocation of
 * the project's code, and of the test's own, through failalloc.c, which counts them, can
 * fail the N-th one (NULL, errno ENOMEM) and keeps the set of those not yet freed, so a
 * test can tell a leak without a sanitizer.
 *
 * What is not walked: ldns's own allocations (ldns_rdf_clone, ldns_buffer_new, the
 * parsed records...) and glibc's inside stdio, qsort or opendir. --wrap only redirects
 * the calls in the objects being linked (the test, libdualns.a), not those made inside a
 * shared library. That is enough: the project's own handling of every failure is walked,
 * which is what these tests are about. */
#ifndef DUALNS_FAILALLOC_H
#define DUALNS_FAILALLOC_H

#include <stddef.h>

/* Starts counting allocations from 0. fail_at > 0: the allocation with that number
 * fails (the first is 1), every other one succeeds; 0: none fails. */
void failalloc_start(unsigned long fail_at);

/* Stops counting (and failing). Returns the allocations counted since failalloc_start(),
 * the failed one included. */
unsigned long failalloc_stop(void);

/* Allocations made through the wrappers and not freed yet. */
size_t failalloc_live(void);

#endif
