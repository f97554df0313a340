/* SPDX-License-Identifier: BSD-3-Clause */
/* dbswap.c: one atomic pointer for the current db, a list of retired ones, freed when every reader moved on (dbswap.h states the rules). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "dbswap.h"

void dbswap_init(struct dbswap *s, struct db *db)
{
	atomic_init(&s->current, db);
	s->readers = NULL;
	s->retired = NULL;
	s->moved = NULL;
	s->moved_arg = NULL;
}

const struct db *dbswap_current(const struct dbswap *s)
{
	return atomic_load_explicit(&s->current, memory_order_acquire);
}

void dbswap_reader_attach(struct dbswap *s, struct dbswap_reader *r)
{
	r->swap = s;
	r->db = dbswap_current(s);
	atomic_init(&r->in_use, r->db);
	r->next = s->readers;
	s->readers = r;
}

const struct db *dbswap_follow(struct dbswap_reader *r)
{
	struct dbswap *s = r->swap;
	const struct db *now = atomic_load_explicit(&s->current, memory_order_acquire);

	if (now == r->db)
		return now;
	r->db = now;
	/* Rule 3: release, after this thread's last read of the old db. */
	atomic_store_explicit(&r->in_use, now, memory_order_release);
	if (s->moved != NULL)
		s->moved(s->moved_arg);
	return now;
}

int dbswap_publish(struct dbswap *s, struct db *db)
{
	struct dbswap_retired *r = malloc(sizeof(*r));

	if (r == NULL)
		return -ENOMEM;
	r->db = atomic_load_explicit(&s->current, memory_order_relaxed);
	r->next = s->retired;
	/* Rule 1: release, after the whole db was built. */
	atomic_store_explicit(&s->current, db, memory_order_release);
	s->retired = r;
	return 0;
}

/* True when some reader may still read db (rule 3). */
static bool dbswap_in_use(const struct dbswap *s, const struct db *db)
{
	const struct dbswap_reader *r;

	for (r = s->readers; r != NULL; r = r->next)
		if (atomic_load_explicit(&r->in_use, memory_order_acquire) == db)
			return true;
	return false;
}

size_t dbswap_reclaim(struct dbswap *s)
{
	struct dbswap_retired **p = &s->retired, *r;
	size_t freed = 0;

	while ((r = *p) != NULL) {
		if (dbswap_in_use(s, r->db)) {
			p = &r->next;
			continue;
		}
		*p = r->next;
		db_free((struct db *)r->db);
		free(r);
		freed++;
	}
	return freed;
}

void dbswap_free(struct dbswap *s)
{
	struct dbswap_retired *r;

	while ((r = s->retired) != NULL) {
		s->retired = r->next;
		db_free((struct db *)r->db);
		free(r);
	}
	db_free((struct db *)atomic_load_explicit(&s->current, memory_order_relaxed));
	atomic_store_explicit(&s->current, NULL, memory_order_relaxed);
	s->readers = NULL;
}
