/* SPDX-License-Identifier: BSD-3-Clause */
/* rrl.h: response rate limiting for UDP answers (as BIND/NSD RRL and Knot's mod-rrl): one
 * token bucket per (client prefix, response class, name) in one fixed table shared by
 * every answering thread, updated without locks or allocation. */
#ifndef DUALNS_RRL_H
#define DUALNS_RRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "query.h"

/* The response classes; a bucket counts answers of one class only. */
enum rrl_class {
	RRL_POSITIVE = 0,  /* records for the qname: bucket by qname (its node in the db) */
	RRL_NODATA,        /* NOERROR without the records asked: bucket by zone apex */
	RRL_NXDOMAIN,      /* bucket by zone apex */
	RRL_REFERRAL,      /* bucket by the delegation point */
	RRL_WILDCARD,      /* synthesized from a wildcard: bucket by the wildcard's owner */
	RRL_ANY,           /* qtype ANY: bucket by qname */
	RRL_ERROR,         /* any other RCODE: bucket by zone apex, or the root without a zone */
	RRL_LARGE,         /* over RRL_LARGE_SIZE bytes, or truncated: bucket by qname */
	RRL_CLASSES
};

/* Answers longer than this are of the class RRL_LARGE (they amplify most). */
#define RRL_LARGE_SIZE 1024

/* The defaults and accepted ranges of the options (dualnsd(8)). */
#define RRL_DEFAULT_RATE   200
#define RRL_MAX_RATE       1000000
#define RRL_DEFAULT_SLIP   2
#define RRL_MAX_SLIP       100
#define RRL_DEFAULT_IPV4_PREFIX 24
#define RRL_DEFAULT_IPV6_PREFIX 56
#define RRL_DEFAULT_SIZE   1048576
#define RRL_MAX_SIZE       67108864   /* 2^26 buckets: 512 MiB */
#define RRL_MAX_EXEMPT     32

/* Bytes of one bucket: the table's memory is this times the buckets. */
#define RRL_BUCKET_SIZE    8

/* An address prefix, for --rrl-exempt. */
struct rrl_prefix {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];    /* network order; the first 4 bytes for IPv4; masked to len */
	unsigned len;        /* 0..32 or 0..128 */
};

struct rrl_config {
	unsigned rate;             /* answers per second per bucket, 1..RRL_MAX_RATE */
	unsigned slip;             /* every slip-th limited answer slips; 0: none */
	unsigned ipv4_prefix;      /* 0..32 */
	unsigned ipv6_prefix;      /* 0..128 */
	bool log_only;             /* count and log, send every answer */
	size_t size;               /* buckets wanted; rounded up to a power of two */
	struct rrl_prefix exempt[RRL_MAX_EXEMPT];
	size_t exempt_count;
};

/* What to do with one UDP answer. */
enum rrl_verdict {
	RRL_PASS = 0,   /* send it */
	RRL_LOGGED,     /* over the rate in log-only mode: send it, it was counted */
	RRL_SLIP,       /* send it bare with TC=1 (query_truncate) */
	RRL_DROP,       /* send nothing */
};

/* What one answering thread keeps for rate limiting: its own slip count, and what
 * rrl_answer_fast() leaves for rrl_answer_slow(). */
struct rrl_thread {
	unsigned long limited;  /* limited answers seen by this thread */
	uintptr_t slot_info;
	uint64_t next;
};

struct rrl;

/* Parses "ADDRESS" or "ADDRESS/LEN", IPv4 or IPv6, into p (masked to LEN; no LEN: the
 * whole address). Returns 0, or -EINVAL when text is not such a prefix. */
int rrl_prefix_parse(struct rrl_prefix *p, const char *text);

/* True when the peer's address lies in p; an IPv4-mapped IPv6 peer (::ffff:a.b.c.d) is
 * taken as the IPv4 address. */
bool rrl_prefix_match(const struct rrl_prefix *p, const struct sockaddr *peer);

/* Allocates the table (config->size rounded up to a power of two, every bucket empty),
 * draws random hash keys and sets the clock (rrl_set_clock) to rrl_now(). Returns 0 with *out set, -EINVAL for a config out of range, or
 * -ENOMEM. */
int rrl_new(struct rrl **out, const struct rrl_config *config);

void rrl_free(struct rrl *r);

/* The number of buckets of the table. */
size_t rrl_buckets(const struct rrl *r);

/* The setting as dualnsd logs it at start: "rate 200/s, slip 2, /24 /56, 1048576 buckets
 * (8 MiB)", then ", log-only" and ", N exempt" when so. Returns what snprintf returns. */
int rrl_describe(const struct rrl *r, char *buf, size_t len);

/* Seconds of a coarse monotonic clock (CLOCK_MONOTONIC_COARSE). */
uint32_t rrl_now(void);

/* The second the answering threads count in: set by one thread (the main loop's 1 s timer,
 * from rrl_now()), read by any with rrl_clock(), so that no answer reads the clock. A
 * timer that runs late only makes the buckets refill late. */
void rrl_set_clock(struct rrl *r, uint32_t now);
uint32_t rrl_clock(const struct rrl *r);

/* The class and the name (lowercased wire form) of the answer query_process() just made in
 * q, resp_len bytes long; *name_in_db says the name lies in the db q was answered from
 * (answer.h), so that its address identifies it while that db is current. */
enum rrl_class rrl_classify(const struct query *q, const uint8_t **name, size_t *name_len,
			    bool *name_in_db);

/* Counts one UDP answer of class cls for name to peer at second now in its bucket and
 * says what to do with it. A name_in_db name counts by its address (the same name
 * elsewhere in memory is another bucket), any other by its bytes. Logs when the bucket
 * starts being limited (at most RRL_LOG_STARTS_PER_SECOND lines a second) and when it is
 * next seen recovered. Neither locks nor allocates. An exempt peer always gets
 * RRL_PASS. */
enum rrl_verdict rrl_account(struct rrl *r, struct rrl_thread *t, const struct sockaddr *peer,
			     enum rrl_class cls, const uint8_t *name, size_t name_len,
			     bool name_in_db, uint32_t now);

/* rrl_answer()'s two steps, apart so that the common answer costs one short call: the
 * first counts the common answer (positive, a name of the db, no exempt list) and returns
 * true when it passed with nothing else to do; otherwise the second does the rest. */
bool rrl_answer_fast(struct rrl *r, struct rrl_thread *t, const struct query *q,
		     const struct sockaddr *peer);
enum rrl_verdict rrl_answer_slow(struct rrl *r, struct rrl_thread *t, const struct query *q,
				 const struct sockaddr *peer);

/* rrl_account() for the answer query_process() just made in q (its class and name as
 * rrl_classify() says), at the second rrl_clock() says: what respond() calls. */
static inline enum rrl_verdict rrl_answer(struct rrl *r, struct rrl_thread *t,
					  const struct query *q, const struct sockaddr *peer)
{
	return rrl_answer_fast(r, t, q, peer) ? RRL_PASS : rrl_answer_slow(r, t, q, peer);
}

/* At most this many "limiting" lines a second; the rest are summed in one line by
 * rrl_sweep(). */
#define RRL_LOG_STARTS_PER_SECOND 10

/* From one thread (the main loop's timer), about once a second: logs "stopped limiting"
 * for limited buckets seen idle or replaced since, and "N more buckets limited" for the
 * start lines left out. */
void rrl_sweep(struct rrl *r, uint32_t now);

/* The word used in log lines for a class ("positive", "nxdomain", ...). */
const char *rrl_class_name(enum rrl_class cls);

#endif
