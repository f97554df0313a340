/* SPDX-License-Identifier: BSD-3-Clause */
/* stats.h: per-worker counters, written only by the worker's own thread and summed on
 * demand by another (SIGUSR1 in the main thread, stats.dualns. CH TXT in any worker). */
#ifndef DUALNS_STATS_H
#define DUALNS_STATS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum stats_transport { STATS_UDP = 0, STATS_TCP = 1 };
enum stats_family { STATS_IPV4 = 0, STATS_IPV6 = 1 };
#define STATS_TRANSPORTS 2
#define STATS_FAMILIES   2

/* RCODEs counted one by one: NOERROR..REFUSED in the slot of their value, then BADVERS;
 * the rest share the last slot. */
#define STATS_SLOT_BADVERS 6
#define STATS_SLOT_OTHER   7
#define STATS_RCODE_SLOTS  8

struct stats {
	_Atomic unsigned long queries[STATS_TRANSPORTS][STATS_FAMILIES];
	_Atomic unsigned long answers[STATS_RCODE_SLOTS]; /* NOERROR..REFUSED, BADVERS, other */
	_Atomic unsigned long truncated;       /* answers sent with TC=1 */
	_Atomic unsigned long dropped;         /* nothing sent: malformed, responses, rate-limited */
	_Atomic unsigned long udp_unsent;      /* answers the kernel did not take */
	_Atomic unsigned long tcp_accepted;
	_Atomic unsigned long tcp_timed_out;
	_Atomic unsigned long tcp_evicted;
	_Atomic unsigned long cookie_valid;    /* requests with a valid server cookie */
	_Atomic unsigned long cookie_bad;      /* server cookies that failed: wrong, stale, future */
	_Atomic unsigned long badcookie;       /* BADCOOKIE answers (also counted as other) */
	_Atomic unsigned long rrl_limited;     /* UDP answers over their bucket's rate (rrl.h) */
	_Atomic unsigned long rrl_slipped;     /* of those, sent bare with TC=1 */
	_Atomic unsigned long rrl_dropped;     /* of those, not sent */
	/* The main loop's NOTIFY sender (notify.h), not a worker's. */
	_Atomic unsigned long notify_sent;     /* NOTIFY datagrams sent, retries included */
	_Atomic unsigned long notify_acked;    /* NOTIFYs answered NOERROR */
	_Atomic unsigned long notify_failed;   /* NOTIFYs refused, or given up without answer */
	_Atomic unsigned long tsig_valid;      /* requests whose TSIG verified (RFC 8945) */
	_Atomic unsigned long tsig_bad;        /* failed TSIGs: BADKEY, BADSIG, BADTIME, FORMERR */
	_Atomic unsigned long axfr_out;        /* AXFRs sent to their end */
	_Atomic unsigned long ixfr_out;        /* IXFRs sent to their end: over TCP, or a
						* difference in one UDP answer */
	_Atomic unsigned long xfr_refused;     /* transfer requests the ACL turned away */
	/* The main loop's secondary zones (secondary.h), not a worker's. */
	_Atomic unsigned long axfr_in;         /* AXFRs received and served */
	_Atomic unsigned long ixfr_in;         /* IXFRs received and served */
	_Atomic unsigned long xfr_in_failed;   /* refreshes that failed: no primary answered,
						* a broken or refused transfer, a bad TSIG */
	/* The AF_XDP path (xdp.h): answers put on a TX ring, and answers lost because the
	 * ring was full; the redirect program's datagrams sent to the sockets and frames
	 * left to the kernel (summed over the CPUs when read, not per worker). */
	_Atomic unsigned long xdp_answered;
	_Atomic unsigned long xdp_tx_full;
	_Atomic unsigned long xdp_redirected;
	_Atomic unsigned long xdp_passed;
};

/* Adds n. Only the owning thread writes a counter, so a relaxed load and store (plain
 * moves on x86, no locked instruction) is enough; readers see a recent value. */
static inline void stats_add(_Atomic unsigned long *counter, unsigned long n)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/* Counts one processed query: rcode is the one query_process() left in struct query
 * (RCODE_DISCARD: dropped, nothing sent; RCODE_BADCOOKIE also counts in badcookie); tc
 * whether the answer was truncated. */
void stats_count_query(struct stats *s, enum stats_transport t, enum stats_family f, int rcode,
		       bool tc);

/* Counts what the request's server cookie was worth (struct query's cookie_valid and
 * cookie_bad); nothing when neither is set. */
static inline void stats_count_cookie(struct stats *s, bool valid, bool bad)
{
	if (valid)
		stats_add(&s->cookie_valid, 1);
	else if (bad)
		stats_add(&s->cookie_bad, 1);
}

/* Counts what a request's TSIG was worth: result is struct query's tsig_result (negative:
 * no TSIG, 0: verified, else the error). */
static inline void stats_count_tsig(struct stats *s, int result)
{
	if (result == 0)
		stats_add(&s->tsig_valid, 1);
	else if (result > 0)
		stats_add(&s->tsig_bad, 1);
}

/* Adds every counter of one to total. */
void stats_sum(struct stats *total, const struct stats *one);

/* Writes the counters as "name=value" words separated by sep into buf, cut at len - 1
 * bytes and terminated (when len > 0), as snprintf does. Returns the length of the whole text (never
 * negative): len or more means it was cut. */
int stats_format(const struct stats *s, char *buf, size_t len, const char *sep);

#endif
