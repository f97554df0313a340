/* SPDX-License-Identifier: BSD-3-Clause */
/* secondary.h: secondary zones on the main loop: SOA timers (RFC 1034 section 4.3.5), NOTIFY in (RFC 1996), publishing each transferred version and keeping it in its file. */
#ifndef DUALNS_SECONDARY_H
#define DUALNS_SECONDARY_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "dbswap.h"
#include "journal.h"
#include "notify.h"
#include "stats.h"
#include "xfrin.h"
#include "zoneconf.h"

/* Seconds between attempts while a zone has no SOA yet (no timers of its own). */
#define SECONDARY_BOOT_RETRY 10.0
/* The shortest REFRESH or RETRY used: a zone whose SOA says 0 must not make a loop of
 * queries to its primaries (Knot's refresh-min-interval is 2 too). */
#define SECONDARY_MIN_INTERVAL 2.0
/* Seconds one refresh may take before xfrin gives up on a primary. */
#define SECONDARY_XFR_TIMEOUT 60.0
/* NOTIFY flags: a worker sets the flag of the origin's hash, the main loop refreshes the
 * zones whose origin hashes there (a collision only costs an early SOA check). */
#define SECONDARY_NOTIFY_SLOTS 256
/* The per-zone words for stats.dualns., rebuilt by the main loop. */
#define SECONDARY_STATUS_MAX 768

struct secondary;
struct secondary_write;

/* One secondary zone: the version it serves and its timers. Main loop only. */
struct secondary_zone {
	struct secondary *sec;
	uint8_t origin[DNS_MAX_NAME];   /* lowercased wire name */
	size_t origin_len;
	char *name;                     /* as configured, for logs */
	char *file;                     /* where it is kept; NULL: nowhere */
	struct xfrin_primary *primaries;/* a copy: the configuration may change meanwhile */
	size_t primary_count;
	struct zone *current;           /* one reference; NULL: no data yet */
	struct zone *failed;            /* served while there is no valid data (SERVFAIL) */
	bool expired;                   /* RFC 1034 section 4.3.5: no successful check within
	                                 * EXPIRE: SERVFAIL until one succeeds */
	struct xfrin *xfr;              /* the refresh running; NULL: none */
	bool starting, ended_early;     /* inside xfrin_start(); it called back already */
	ev_timer refresh;               /* the next refresh (REFRESH, or RETRY after a failure) */
	ev_timer expire;                /* EXPIRE after the last successful check */
	ev_tstamp last_refresh;         /* wall clock of the last successful check; 0: never */
	ev_tstamp next_refresh;
	char error[256];                /* the last refresh's error; "" after a success */
	/* The kept file is written by a thread (a large zone takes seconds: about 3.6 s for
	 * a million records), one write per zone at a time; a version served meanwhile is
	 * written once that one ends. */
	struct secondary_write *writing;
	bool write_again;
	bool conflict;                  /* a zone file serves the origin: not published */
	bool seen;                      /* scratch for secondary_configure */
};

struct secondary {
	struct ev_loop *loop;           /* NULL until secondary_start */
	struct dbswap *dbs;             /* where new versions are published */
	struct notifier *notifier;      /* announces them to our own secondaries; NULL: none */
	const struct journal_limits *limits; /* the journals new versions get */
	struct secondary_zone **zones;
	size_t count;
	/* NOTIFY in, from the workers: flags, then the async that wakes the main loop. */
	atomic_bool notified[SECONDARY_NOTIFY_SLOTS];
	ev_async wake;
	/* The loop wake is started in, for the workers: stored by secondary_start() once it
	 * runs (release); NULL before, when every zone refreshes at start anyway. */
	_Atomic(struct ev_loop *) wake_loop;
	ev_async written;               /* from a writer thread: its file is done */
	/* stats.dualns.: any thread reads it, under the lock, held only to copy. */
	pthread_mutex_t status_lock;
	char status[SECONDARY_STATUS_MAX];
	struct stats stats;             /* axfr_in, ixfr_in, xfr_in_failed: main loop */
	/* Called after each db published here, so that idle readers move to it (and the
	 * previous one can be freed); NULL: none. */
	void (*published)(void *arg);
	void *published_arg;
};

/* Sets sec up with no zones. Returns 0 or -errno. */
int secondary_init(struct secondary *sec);

/* Makes the zones those of zc's secondary zones (primary_count > 0): a new zone loads its
 * kept file when there is one (zonefile_load and its checks) and is served from it until
 * the first refresh; a zone zc no longer has is dropped (its refresh cancelled); a zone
 * kept gets the new primaries and file. Once started, new zones refresh at once. Returns
 * 0, or -ENOMEM (then the zones are as they were, those added so far included). */
int secondary_configure(struct secondary *sec, const struct zoneconf *zc);

/* Adds to db what each secondary zone serves: its current version, or a failed zone
 * (SERVFAIL) when it has none or it expired. A zone whose origin db has already (a zone
 * file) is skipped with a line. Sets db->secondary. Returns 0 or -ENOMEM. */
int secondary_add_zones(struct secondary *sec, struct db *db);

/* Starts the timers in loop: every zone refreshes now. New versions are published to
 * dbs with journals within limits, then announced by notifier (NULL: not announced). */
void secondary_start(struct secondary *sec, struct ev_loop *loop, struct dbswap *dbs,
		     struct notifier *notifier, const struct journal_limits *limits);

/* Starts a refresh of the zone now, unless one runs. */
void secondary_refresh(struct secondary_zone *sz);

/* From any thread (a worker answering a NOTIFY): asks the main loop to refresh the zone
 * with this lowercased origin. Never blocks. */
void secondary_notify(struct secondary *sec, const uint8_t *origin, size_t len);

/* The secondary zone with this lowercased origin, or NULL. Main loop only. */
struct secondary_zone *secondary_find(const struct secondary *sec, const uint8_t *origin,
				      size_t len);

/* Writes " secondary:NAME=serial:S,last:T,next:T,error:E" for each zone into buf (cut at
 * len - 1). Any thread. */
void secondary_status(struct secondary *sec, char *buf, size_t len);

/* Logs one line per zone (SIGUSR1): serial, last and next refresh, last error. */
void secondary_log(const struct secondary *sec);

/* Cancels every refresh, stops the timers and frees every zone. */
void secondary_free(struct secondary *sec);

#endif
