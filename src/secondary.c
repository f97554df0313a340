/* SPDX-License-Identifier: BSD-3-Clause */
/* secondary.c: the secondary zones' timers, refreshes, publishing and write-back. Main loop only, but for secondary_notify() and secondary_status(). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "container.h"
#include "log.h"
#include "namehash.h"
#include "netio.h"
#include "secondary.h"
#include "zonefile.h"
#include "zonesigned.h"
#include "zonewrite.h"

/* The SOA's timers (RFC 1035 section 3.3.13): the last 20 bytes of its RDATA are SERIAL
 * REFRESH RETRY EXPIRE MINIMUM; REFRESH and RETRY at least SECONDARY_MIN_INTERVAL. */
struct soa_timers {
	double refresh, retry, expire;
};

static struct soa_timers soa_timers(const struct zone *z)
{
	const uint8_t *rr = z->soa->data;
	const uint8_t *end = rr + RR_HEADER_SIZE + dns_read16(rr);

	double refresh = (double)dns_read32(end - 16), retry = (double)dns_read32(end - 12);

	return (struct soa_timers){
		.refresh = refresh > SECONDARY_MIN_INTERVAL ? refresh : SECONDARY_MIN_INTERVAL,
		.retry = retry > SECONDARY_MIN_INTERVAL ? retry : SECONDARY_MIN_INTERVAL,
		.expire = (double)dns_read32(end - 8),
	};
}

static size_t notify_slot(const uint8_t *origin, size_t len)
{
	return name_hash(origin, len) % SECONDARY_NOTIFY_SLOTS;
}

/* "2026-12-01T10:50:00Z", or "never" for 0. */
static void format_time(char *buf, size_t len, ev_tstamp t)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&s, &tm) == NULL)
		snprintf(buf, len, "never");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The stats.dualns. words, rebuilt after every change (main loop). */
static void status_update(struct secondary *sec)
{
	char text[SECONDARY_STATUS_MAX], last[32], next[32], error[64];
	size_t i, n = 0;

	text[0] = '\0';
	for (i = 0; i < sec->count && n < sizeof(text); i++) {
		const struct secondary_zone *sz = sec->zones[i];
		size_t k;
		int w;

		format_time(last, sizeof(last), sz->last_refresh);
		format_time(next, sizeof(next), sz->next_refresh);
		/* One word per zone: the error's spaces become underscores. */
		snprintf(error, sizeof(error), "%.63s", sz->error[0] != '\0' ? sz->error : "none");
		for (k = 0; error[k] != '\0'; k++)
			if (error[k] == ' ')
				error[k] = '_';
		w = snprintf(text + n, sizeof(text) - n, " secondary:%s=serial:%u,last:%s,next:%s%s,"
			     "error:%s", sz->name, sz->current != NULL ? sz->current->serial : 0, last,
			     next, sz->expired ? ",expired" : "", error);
		if (w < 0 || (size_t)w >= sizeof(text) - n) {
			text[n] = '\0';
			break;
		}
		n += (size_t)w;
	}
	pthread_mutex_lock(&sec->status_lock);
	memcpy(sec->status, text, n + 1);
	pthread_mutex_unlock(&sec->status_lock);
}

void secondary_status(struct secondary *sec, char *buf, size_t len)
{
	if (len == 0)
		return;
	pthread_mutex_lock(&sec->status_lock);
	snprintf(buf, len, "%s", sec->status);
	pthread_mutex_unlock(&sec->status_lock);
}

void secondary_log(const struct secondary *sec)
{
	char last[32], next[32];
	size_t i;

	for (i = 0; i < sec->count; i++) {
		const struct secondary_zone *sz = sec->zones[i];

		format_time(last, sizeof(last), sz->last_refresh);
		format_time(next, sizeof(next), sz->next_refresh);
		if (sz->current != NULL)
			log_info("secondary %s: serial %u%s, last refresh %s, next %s, last error: %s",
				 sz->name, sz->current->serial, sz->expired ? " (expired)" : "", last,
				 next, sz->error[0] != '\0' ? sz->error : "none");
		else
			log_info("secondary %s: no data yet, last refresh %s, next %s, last error: %s",
				 sz->name, last, next, sz->error[0] != '\0' ? sz->error : "none");
	}
}

/* What the zone serves now: its data, or its failed zone (SERVFAIL). */
static struct zone *served(const struct secondary_zone *sz)
{
	return sz->current != NULL && !sz->expired ? sz->current : sz->failed;
}

/* Publishes a db in which the zone serves served(sz). Returns 0 or -ENOMEM (logged). */
static int publish(struct secondary_zone *sz)
{
	struct secondary *sec = sz->sec;
	const struct db *cur = dbswap_current(sec->dbs);
	struct zone *z;
	struct db *db;

	/* A zone file serves the origin (secondary_add_zones): that one stays. */
	if (sz->conflict)
		return 0;
	z = zone_hold(served(sz));
	db = cur != NULL ? db_replace_zone(cur, z) : NULL;

	if (db != NULL && dbswap_publish(sec->dbs, db) == 0) {
		if (sec->published != NULL)
			sec->published(sec->published_arg);
		return 0;
	}
	if (db != NULL)
		db_free(db);
	else
		zone_free(z);
	log_error("secondary %s: out of memory publishing serial %u", sz->name,
		  sz->current != NULL ? sz->current->serial : 0);
	return -ENOMEM;
}

static void schedule(struct secondary_zone *sz, double after)
{
	if (sz->sec->loop == NULL)
		return;
	ev_timer_stop(sz->sec->loop, &sz->refresh);
	ev_timer_set(&sz->refresh, after, 0.);
	ev_timer_start(sz->sec->loop, &sz->refresh);
	sz->next_refresh = ev_now(sz->sec->loop) + after;
}

/* EXPIRE counts from now. */
static void arm_expire(struct secondary_zone *sz)
{
	ev_timer_stop(sz->sec->loop, &sz->expire);
	ev_timer_set(&sz->expire, soa_timers(sz->current).expire, 0.);
	ev_timer_start(sz->sec->loop, &sz->expire);
}

/* A successful check (RFC 1034 section 4.3.5): the next after REFRESH, and EXPIRE counts
 * from now; expired data is served again. */
static void checked(struct secondary_zone *sz)
{
	struct soa_timers t = soa_timers(sz->current);
	bool was_expired = sz->expired;

	sz->last_refresh = ev_now(sz->sec->loop);
	sz->error[0] = '\0';
	schedule(sz, t.refresh);
	arm_expire(sz);
	sz->expired = false;
	if (was_expired) {
		log_info("secondary %s: serial %u is valid again", sz->name, sz->current->serial);
		(void)publish(sz);
	}
}

/* One write of a zone's kept file, in its own thread. */
struct secondary_write {
	struct secondary_zone *sz;
	struct zone *zone;              /* one reference, for the thread */
	char *path;                     /* a copy: a reload may change the zone's file */
	pthread_t thread;
	atomic_bool done;
	int result;
	double seconds;
	char err[512];
};

static void *write_thread(void *arg)
{
	struct secondary_write *w = arg;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	w->result = zonewrite_file(w->zone, w->path, w->err, sizeof(w->err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	atomic_store_explicit(&w->done, true, memory_order_release);
	ev_async_send(w->sz->sec->loop, &w->sz->sec->written);
	return NULL;
}

/* Starts writing the zone's current version to its file, or, while a write runs, marks
 * it to be written when that one ends. */
static void write_kept(struct secondary_zone *sz)
{
	struct secondary_write *w;

	if (sz->file == NULL || sz->current == NULL)
		return;
	if (sz->writing != NULL) {
		sz->write_again = true;
		return;
	}
	sz->write_again = false;
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		log_error("secondary %s: out of memory writing %s", sz->name, sz->file);
		return;
	}
	w->sz = sz;
	w->path = strdup(sz->file);
	atomic_init(&w->done, false);
	if (w->path == NULL) {
		log_error("secondary %s: out of memory writing %s", sz->name, sz->file);
		free(w);
		return;
	}
	w->zone = zone_hold(sz->current);
	if (pthread_create(&w->thread, NULL, write_thread, w) != 0) {
		log_error("secondary %s: cannot start a thread to write %s", sz->name, sz->file);
		zone_free(w->zone);
		free(w->path);
		free(w);
		return;
	}
	sz->writing = w;
}

/* Waits for the zone's write, says how it went, and frees it. */
static void write_end(struct secondary_zone *sz)
{
	struct secondary_write *w = sz->writing;

	pthread_join(w->thread, NULL);
	sz->writing = NULL;
	if (w->result < 0)
		log_error("secondary %s: serial %u served, but not kept: %s", sz->name,
			  w->zone->serial, w->err);
	else
		log_info("secondary %s: serial %u kept in %s (%zu records, %.3f s)", sz->name,
			 w->zone->serial, w->path, w->zone->rr_count, w->seconds);
	zone_free(w->zone);
	free(w->path);
	free(w);
}

static void written_cb(struct ev_loop *loop, ev_async *a, int revents)
{
	struct secondary *sec = container_of(a, struct secondary, written);
	size_t i;

	(void)loop;
	(void)revents;
	for (i = 0; i < sec->count; i++) {
		struct secondary_zone *sz = sec->zones[i];

		if (sz->writing == NULL ||
		    !atomic_load_explicit(&sz->writing->done, memory_order_acquire))
			continue;
		write_end(sz);
		if (sz->write_again)
			write_kept(sz);
	}
}

/* A new version from a transfer: its journal, published, announced, kept in the file. */
static void install(struct secondary_zone *sz, struct zone *z)
{
	struct secondary *sec = sz->sec;
	struct zone *prev = sz->current;

	if (prev != NULL && prev->ok && z->journal == NULL &&
	    journal_update(z, prev, sec->limits) < 0)
		log_error("secondary %s: out of memory for the journal; IXFR from it will be AXFR",
			  sz->name);
	sz->current = z;
	sz->expired = false;
	if (publish(sz) < 0) {
		sz->current = prev;
		zone_free(z);
		return;
	}
	zone_free(prev);
	if (sec->notifier != NULL)
		(void)notify_zone(sec->notifier, z);
	write_kept(sz);
}

static const char *kind_name(enum xfrin_kind k)
{
	return k == XFRIN_AXFR ? "AXFR" : k == XFRIN_IXFR ? "IXFR" : "up to date";
}

static void refresh_done(const struct xfrin_result *r, void *arg)
{
	struct secondary_zone *sz = arg;
	struct secondary *sec = sz->sec;
	char from[NETIO_ADDRSTRLEN] = "-";

	sz->xfr = NULL;
	sz->ended_early = sz->starting;
	if (r->from != NULL)
		netio_addr_format(from, sizeof(from), (const struct sockaddr *)&r->from->addr);
	if (r->status < 0) {
		stats_add(&sec->stats.xfr_in_failed, 1);
		snprintf(sz->error, sizeof(sz->error), "%s", r->error[0] != '\0' ? r->error :
			 strerror(-r->status));
		log_warning("secondary %s: refresh failed: %s", sz->name, sz->error);
		schedule(sz, sz->current != NULL ? soa_timers(sz->current).retry
			 : SECONDARY_BOOT_RETRY);
		status_update(sec);
		return;
	}
	if (r->kind == XFRIN_AXFR)
		stats_add(&sec->stats.axfr_in, 1);
	else if (r->kind == XFRIN_IXFR)
		stats_add(&sec->stats.ixfr_in, 1);
	log_info("transfer: %s %s serial %u from %s: %zu messages, %zu records, %zu bytes, "
		 "%.3f s", kind_name(r->kind), sz->name, r->serial, from, r->messages, r->records,
		 r->bytes, r->seconds);
	if (r->zone != NULL) {
		zonesigned_log(r->zone, zonesigned_now());
		install(sz, r->zone);
	}
	if (sz->current != NULL)
		checked(sz);
	else
		schedule(sz, SECONDARY_BOOT_RETRY);
	status_update(sec);
}

void secondary_refresh(struct secondary_zone *sz)
{
	struct secondary *sec = sz->sec;
	struct xfrin *x;

	if (sz->xfr != NULL || sec->loop == NULL)
		return;
	ev_timer_stop(sec->loop, &sz->refresh);
	/* Should the client call back before it returns, its handle is already done with. */
	sz->starting = true;
	sz->ended_early = false;
	x = xfrin_start(sec->loop, sz->origin, sz->origin_len, sz->name, sz->current,
			sz->primaries, sz->primary_count, SECONDARY_XFR_TIMEOUT, refresh_done, sz);
	sz->starting = false;
	if (sz->ended_early)
		return;
	sz->xfr = x;
	if (sz->xfr == NULL) {
		struct xfrin_result r = { .status = -ENOMEM };

		snprintf(r.error, sizeof(r.error), "out of memory starting the refresh");
		refresh_done(&r, sz);
	}
}

static void refresh_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)revents;
	secondary_refresh(container_of(t, struct secondary_zone, refresh));
}

/* EXPIRE seconds without a successful check: SERVFAIL until one succeeds (RFC 1034
 * section 4.3.5), said once. */
static void expire_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct secondary_zone *sz = container_of(t, struct secondary_zone, expire);

	(void)loop;
	(void)revents;
	if (sz->expired || sz->current == NULL)
		return;
	sz->expired = true;
	log_error("secondary %s: serial %u expired (no successful refresh for %.0f s): its names "
		  "get SERVFAIL until a refresh succeeds", sz->name, sz->current->serial,
		  soa_timers(sz->current).expire);
	(void)publish(sz);
	status_update(sz->sec);
}

static void wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct secondary *sec = container_of(w, struct secondary, wake);
	size_t i;

	(void)loop;
	(void)revents;
	for (i = 0; i < sec->count; i++) {
		struct secondary_zone *sz = sec->zones[i];
		size_t slot = notify_slot(sz->origin, sz->origin_len);

		if (atomic_load_explicit(&sec->notified[slot], memory_order_relaxed))
			sz->seen = true;
	}
	for (i = 0; i < SECONDARY_NOTIFY_SLOTS; i++)
		atomic_store_explicit(&sec->notified[i], false, memory_order_relaxed);
	for (i = 0; i < sec->count; i++) {
		struct secondary_zone *sz = sec->zones[i];

		if (!sz->seen)
			continue;
		sz->seen = false;
		log_info("secondary %s: NOTIFY received, refreshing now", sz->name);
		secondary_refresh(sz);
	}
}

void secondary_notify(struct secondary *sec, const uint8_t *origin, size_t len)
{
	struct ev_loop *loop;

	if (sec == NULL)
		return;
	loop = atomic_load_explicit(&sec->wake_loop, memory_order_acquire);
	if (loop == NULL)
		return;
	atomic_store_explicit(&sec->notified[notify_slot(origin, len)], true,
			      memory_order_relaxed);
	/* ev_async_send is thread safe and never blocks. */
	ev_async_send(loop, &sec->wake);
}

int secondary_init(struct secondary *sec)
{
	size_t i;

	memset(sec, 0, sizeof(*sec));
	for (i = 0; i < SECONDARY_NOTIFY_SLOTS; i++)
		atomic_init(&sec->notified[i], false);
	atomic_init(&sec->wake_loop, NULL);
	ev_async_init(&sec->wake, wake_cb);
	ev_async_init(&sec->written, written_cb);
	return -pthread_mutex_init(&sec->status_lock, NULL);
}

struct secondary_zone *secondary_find(const struct secondary *sec, const uint8_t *origin,
				      size_t len)
{
	size_t i;

	for (i = 0; i < sec->count; i++)
		if (dns_name_equal(sec->zones[i]->origin, sec->zones[i]->origin_len, origin, len))
			return sec->zones[i];
	return NULL;
}

static void zone_state_free(struct secondary *sec, struct secondary_zone *sz)
{
	if (sz->writing != NULL)
		write_end(sz); /* the file is whole before the zone goes */
	if (sz->xfr != NULL)
		xfrin_cancel(sz->xfr);
	if (sec->loop != NULL) {
		ev_timer_stop(sec->loop, &sz->refresh);
		ev_timer_stop(sec->loop, &sz->expire);
	}
	zone_free(sz->current);
	zone_free(sz->failed);
	free(sz->primaries);
	free(sz->name);
	free(sz->file);
	free(sz);
}

/* The zone's kept file, when there is one that loads with data. */
static struct zone *load_kept(const struct secondary_zone *sz)
{
	struct zone *z = NULL;
	struct stat st;

	if (sz->file == NULL || stat(sz->file, &st) < 0)
		return NULL;
	if (zonefile_load(sz->file, sz->name, &z) != 0 || !z->ok ||
	    !dns_name_equal(z->origin, z->origin_len, sz->origin, sz->origin_len)) {
		log_error("secondary %s: %s does not load: transferring it again", sz->name,
			  sz->file);
		zone_free(z);
		return NULL;
	}
	log_info("secondary %s: serial %u from %s until the first refresh", sz->name, z->serial,
		 sz->file);
	return z;
}

/* Gives sz the primaries and file of zz. Returns 0 or -ENOMEM (sz unchanged). */
static int zone_state_set(struct secondary_zone *sz, const struct zoneconf_zone *zz)
{
	struct xfrin_primary *p = calloc(zz->primary_count, sizeof(*p));
	char *file = zz->file != NULL ? strdup(zz->file) : NULL;

	if (p == NULL || (zz->file != NULL && file == NULL)) {
		free(p);
		free(file);
		return -ENOMEM;
	}
	memcpy(p, zz->primaries, zz->primary_count * sizeof(*p));
	/* A refresh under way reads the old primaries: when they change, it ends first. */
	if (sz->xfr != NULL && (sz->primary_count != zz->primary_count ||
				memcmp(sz->primaries, p, zz->primary_count * sizeof(*p)) != 0)) {
		xfrin_cancel(sz->xfr);
		sz->xfr = NULL;
		schedule(sz, 0.);
	}
	free(sz->primaries);
	free(sz->file);
	sz->primaries = p;
	sz->primary_count = zz->primary_count;
	sz->file = file;
	return 0;
}

static struct secondary_zone *zone_state_new(struct secondary *sec,
					     const struct zoneconf_zone *zz)
{
	struct secondary_zone *sz = calloc(1, sizeof(*sz));

	if (sz == NULL)
		return NULL;
	sz->sec = sec;
	memcpy(sz->origin, zz->origin, zz->origin_len);
	sz->origin_len = zz->origin_len;
	sz->name = strdup(zz->name);
	ev_timer_init(&sz->refresh, refresh_cb, 0., 0.);
	ev_timer_init(&sz->expire, expire_cb, 0., 0.);
	if (sz->name == NULL || zone_state_set(sz, zz) < 0)
		goto fail;
	sz->failed = zone_new(sz->origin, sz->origin_len, sz->name,
			      sz->file != NULL ? sz->file : sz->name);
	if (sz->failed == NULL)
		goto fail;
	sz->current = load_kept(sz);
	return sz;
fail:
	zone_state_free(sec, sz);
	return NULL;
}

/* A zone's first refresh, now; a version from its kept file expires as if it had just
 * been checked, since nothing says when it was. */
static void begin(struct secondary_zone *sz)
{
	if (sz->current != NULL)
		arm_expire(sz);
	schedule(sz, 0.);
}

int secondary_configure(struct secondary *sec, const struct zoneconf *zc)
{
	struct secondary_zone **zones;
	size_t i, n = 0;

	for (i = 0; zc != NULL && i < zc->zone_count; i++)
		n += zc->zones[i].primary_count > 0;
	zones = calloc(n + sec->count + 1, sizeof(*zones));
	if (zones == NULL)
		return -ENOMEM;
	n = 0;
	for (i = 0; zc != NULL && i < zc->zone_count; i++) {
		const struct zoneconf_zone *zz = &zc->zones[i];
		struct secondary_zone *sz;

		if (zz->primary_count == 0)
			continue;
		sz = secondary_find(sec, zz->origin, zz->origin_len);
		if (sz != NULL && !sz->seen) {
			if (zone_state_set(sz, zz) < 0)
				goto nomem;
		} else {
			sz = zone_state_new(sec, zz);
			if (sz == NULL)
				goto nomem;
			if (sec->loop != NULL)
				begin(sz);
		}
		sz->seen = true;
		zones[n++] = sz;
	}
	for (i = 0; i < sec->count; i++) {
		if (sec->zones[i]->seen) {
			sec->zones[i]->seen = false;
			continue;
		}
		log_info("secondary %s: no longer configured", sec->zones[i]->name);
		zone_state_free(sec, sec->zones[i]);
	}
	free(sec->zones);
	sec->zones = zones;
	sec->count = n;
	for (i = 0; i < n; i++)
		zones[i]->seen = false;
	status_update(sec);
	return 0;
nomem:
	/* Drop only the states made here; the old ones stay. */
	for (i = 0; i < n; i++) {
		if (secondary_find(sec, zones[i]->origin, zones[i]->origin_len) != zones[i])
			zone_state_free(sec, zones[i]);
	}
	for (i = 0; i < sec->count; i++)
		sec->zones[i]->seen = false;
	free(zones);
	return -ENOMEM;
}

int secondary_add_zones(struct secondary *sec, struct db *db)
{
	size_t i;
	int r;

	db->secondary = sec;
	for (i = 0; i < sec->count; i++) {
		struct secondary_zone *sz = sec->zones[i];
		struct zone *z = zone_hold(served(sz));

		r = db_add_zone(db, z);
		sz->conflict = r == -EEXIST;
		if (r == 0)
			continue;
		zone_free(z);
		if (r == -ENOMEM)
			return r;
		log_error("secondary %s: a zone file serves it already; not served as a secondary",
			  sz->name);
	}
	return 0;
}

void secondary_start(struct secondary *sec, struct ev_loop *loop, struct dbswap *dbs,
		     struct notifier *notifier, const struct journal_limits *limits)
{
	size_t i;

	sec->loop = loop;
	sec->dbs = dbs;
	sec->notifier = notifier;
	sec->limits = limits;
	ev_async_start(loop, &sec->wake);
	ev_async_start(loop, &sec->written);
	atomic_store_explicit(&sec->wake_loop, loop, memory_order_release);
	for (i = 0; i < sec->count; i++)
		begin(sec->zones[i]);
	status_update(sec);
}

void secondary_free(struct secondary *sec)
{
	size_t i;

	for (i = 0; i < sec->count; i++)
		zone_state_free(sec, sec->zones[i]);
	free(sec->zones);
	if (sec->loop != NULL) {
		ev_async_stop(sec->loop, &sec->wake);
		ev_async_stop(sec->loop, &sec->written);
	}
	pthread_mutex_destroy(&sec->status_lock);
	sec->zones = NULL;
	sec->count = 0;
}
