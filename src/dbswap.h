/* SPDX-License-Identifier: BSD-3-Clause */
/* dbswap.h: publishing a new zone db to the threads that answer, and freeing the old one once no thread reads it. */
#ifndef DUALNS_DBSWAP_H
#define DUALNS_DBSWAP_H

#include <stdatomic.h>
#include <stddef.h>

#include "zonedb.h"

/* The ordering rules, stated once:
 *
 * 1. A db is immutable once published. The publisher (one thread: the main loop) builds
 *    it completely, then stores the pointer with release; a reader loads it with acquire
 *    and so sees the whole db.
 * 2. A reader switches only between events (a UDP batch, a loop callback), never inside
 *    one, so one answer never mixes two dbs. It keeps the db it answers from in
 *    reader->db, which only its own thread touches.
 * 3. After switching, a reader stores the new pointer in reader->in_use with release:
 *    every read of the old db by that thread happens before. The publisher loads
 *    in_use with acquire; a reader whose in_use differs from an old db is done with it.
 *    in_use only moves forward, to the db published last.
 * 4. A retired db is freed by the publisher once no reader's in_use names it. Readers
 *    are attached before any of them runs and stay attached until dbswap_free(), so the
 *    list the publisher walks never changes while readers run.
 * 5. Zones may be shared by two dbs (an unchanged or failed zone keeps its previous
 *    version on reload), and a zone transfer holds the version it started from until it
 *    ends, after the db it came from may be gone. The reference count is atomic: the
 *    publisher changes it when it builds a db and when it frees one; a reader's thread
 *    takes a reference when a transfer starts (safe: that thread still holds a db that
 *    holds the zone, rule 3) and drops it when the transfer ends, and the last drop, in
 *    whichever thread, frees the zone (zone_free).
 */

/* One thread that answers from the published db. */
struct dbswap_reader {
	const struct db *db;                 /* what this thread answers from now */
	_Atomic(const struct db *) in_use;   /* the same, for the publisher (rule 3) */
	struct dbswap *swap;
	struct dbswap_reader *next;          /* the publisher's list of readers */
};

/* A replaced db waiting until no reader uses it any more. */
struct dbswap_retired {
	const struct db *db;
	struct dbswap_retired *next;
};

struct dbswap {
	_Atomic(const struct db *) current;
	struct dbswap_reader *readers;
	struct dbswap_retired *retired;
	/* Called by a reader's thread when it moved to the current db, so that the publisher
	 * can free what is no longer used (for example an ev_async_send to the main loop).
	 * NULL for none: the publisher then frees at its next dbswap_publish(). */
	void (*moved)(void *arg);
	void *moved_arg;
};

/* Starts with db as the current one (the swap owns it; NULL is allowed). */
void dbswap_init(struct dbswap *s, struct db *db);

/* The db published last; for the publisher's thread, or readers' setup. */
const struct db *dbswap_current(const struct dbswap *s);

/* Attaches a reader, which starts at the current db. Before the reader's thread runs
 * (rule 4). */
void dbswap_reader_attach(struct dbswap *s, struct dbswap_reader *r);

/* For a reader's thread, between events: moves r->db to the db published last, if it
 * changed, and tells the publisher (s->moved). Returns the db to answer from. */
const struct db *dbswap_follow(struct dbswap_reader *r);

/* Publishes db (the swap takes it) and retires the previous one. Returns 0, or -ENOMEM
 * when the previous one cannot be listed for freeing; then nothing changed and db is
 * still the caller's. */
int dbswap_publish(struct dbswap *s, struct db *db);

/* Frees every retired db that no reader holds. Returns how many were freed. */
size_t dbswap_reclaim(struct dbswap *s);

/* Frees every db, the current one included. No reader may run any more. */
void dbswap_free(struct dbswap *s);

#endif
