/* SPDX-License-Identifier: BSD-3-Clause */
/* rrl.c: response rate limiting (BIND/NSD RRL): token buckets in one fixed table of 64-bit
 * words, each updated with a compare-and-swap loop; a keyed hash (SipHash-2-4) so that a
 * client cannot aim collisions; start and stop lines through a small fixed watch list. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "dns.h"
#include "log.h"
#include "rrl.h"

/* One bucket, one word: | tag 25 | second stamp 16 | tokens + RRL_TOKEN_BIAS 22 | limited 1 |.
 * The tag is the top of the key's hash (never 0, so an empty word matches no key); the
 * slot is its bottom. A different tag in the slot is another bucket: the new one replaces
 * it. */
#define RRL_LIMITED_BIT   1ull
#define RRL_TOKEN_SHIFT   1
#define RRL_TOKEN_BITS    22
#define RRL_TOKEN_BIAS    (1ll << (RRL_TOKEN_BITS - 1))
#define RRL_STAMP_SHIFT   (RRL_TOKEN_SHIFT + RRL_TOKEN_BITS)
#define RRL_STAMP_BITS    16
#define RRL_STAMP_MASK    ((1u << RRL_STAMP_BITS) - 1)
#define RRL_TAG_SHIFT     (RRL_STAMP_SHIFT + RRL_STAMP_BITS)

#define BUCKET_TAG(w)     ((w) >> RRL_TAG_SHIFT)
#define BUCKET_STAMP(w)   ((uint32_t)((w) >> RRL_STAMP_SHIFT) & RRL_STAMP_MASK)
#define BUCKET_TOKENS(w)  ((int64_t)(((w) >> RRL_TOKEN_SHIFT) & ((1ull << RRL_TOKEN_BITS) - 1)) \
			   - RRL_TOKEN_BIAS)

/* A limited bucket not written for this many seconds is idle: the sweep says it stopped. */
#define RRL_IDLE_SECONDS  2

/* Limited buckets whose stop line is still to come; more at once get no stop line. */
#define RRL_WATCH_MAX     64
/* "ADDRESS/LEN CLASS NAME": an address, a class word and a name in presentation form. */
#define RRL_TEXT_MAX      (INET6_ADDRSTRLEN + 16 + DNS_MAX_NAME * 4)

/* The hash input: family, masked address, class, lowercased name. */
#define RRL_KEY_MAX       (1 + sizeof(struct in6_addr) + 1 + DNS_MAX_NAME)

#define BITS_PER_BYTE     8
#define MIB               (1024.0 * 1024.0)

enum watch_state { WATCH_FREE = 0, WATCH_FILLING, WATCH_ACTIVE, WATCH_STOPPING };

struct rrl_watch {
	_Atomic int state;
	size_t slot;
	uint64_t tag;
	char text[RRL_TEXT_MAX];
};

struct rrl {
	struct rrl_config config;
	_Atomic uint64_t *table;
	size_t mask;                        /* buckets - 1 */
	unsigned char key[crypto_shorthash_siphash24_KEYBYTES];
	_Atomic uint64_t log_window;        /* second << 32 | start lines logged in it */
	_Atomic unsigned long log_suppressed; /* start lines left out since the last sweep */
	struct rrl_watch watch[RRL_WATCH_MAX];
};

static const char *const class_names[RRL_CLASSES] = {
	"positive", "nodata", "nxdomain", "referral", "wildcard", "any", "error", "large",
};

static const uint8_t root_name[] = { 0 };

const char *rrl_class_name(enum rrl_class cls)
{
	return (unsigned)cls < RRL_CLASSES ? class_names[cls] : "?";
}

/* Clears the bits of addr (addr_len bytes) after the first len. */
static void mask_bits(uint8_t *addr, size_t addr_len, unsigned len)
{
	size_t i;

	for (i = 0; i < addr_len; i++) {
		unsigned keep = len > i * BITS_PER_BYTE ? len - (unsigned)(i * BITS_PER_BYTE) : 0;

		if (keep < BITS_PER_BYTE)
			addr[i] &= (uint8_t)(0xff00u >> keep);
	}
}

int rrl_prefix_parse(struct rrl_prefix *p, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t alen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	unsigned long len;
	char *end;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		p->len = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		p->len = 128;
	} else {
		return -EINVAL;
	}
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9')
			return -EINVAL;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || len > p->len)
			return -EINVAL;
		p->len = (unsigned)len;
	}
	mask_bits(p->addr, sizeof(p->addr), p->len);
	return 0;
}

static size_t round_pow2(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

int rrl_new(struct rrl **out, const struct rrl_config *config)
{
	struct rrl *r;
	size_t n;

	*out = NULL;
	if (config->rate < 1 || config->rate > RRL_MAX_RATE || config->slip > RRL_MAX_SLIP ||
	    config->ipv4_prefix > 32 || config->ipv6_prefix > 128 || config->size < 1 ||
	    config->size > RRL_MAX_SIZE || config->exempt_count > RRL_MAX_EXEMPT)
		return -EINVAL;
	if (sodium_init() < 0)
		return -ENOMEM;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	n = round_pow2(config->size);
	r->table = calloc(n, sizeof(*r->table));
	if (r->table == NULL) {
		free(r);
		return -ENOMEM;
	}
	r->config = *config;
	r->mask = n - 1;
	randombytes_buf(r->key, sizeof(r->key));
	*out = r;
	return 0;
}

void rrl_free(struct rrl *r)
{
	if (r == NULL)
		return;
	free(r->table);
	free(r);
}

size_t rrl_buckets(const struct rrl *r)
{
	return r->mask + 1;
}

int rrl_describe(const struct rrl *r, char *buf, size_t len)
{
	const struct rrl_config *c = &r->config;
	char extra[64] = "";

	if (c->exempt_count > 0)
		snprintf(extra, sizeof(extra), ", %zu exempt", c->exempt_count);
	return snprintf(buf, len, "rate %u/s, slip %u, /%u /%u, %zu buckets (%.0f MiB)%s%s",
			c->rate, c->slip, c->ipv4_prefix, c->ipv6_prefix, rrl_buckets(r),
			(double)rrl_buckets(r) * RRL_BUCKET_SIZE / MIB,
			c->log_only ? ", log-only" : "", extra);
}

uint32_t rrl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)ts.tv_sec;
}

enum rrl_class rrl_classify(const struct query *q, const uint8_t **name, size_t *name_len)
{
	const struct answer_result *a = &q->answer;

	*name = a->name;
	*name_len = a->name_len;
	if (q->rcode == RCODE_NXDOMAIN)
		return RRL_NXDOMAIN;
	if (q->rcode != RCODE_NOERROR) {
		/* answer.c names the zone of its errors; the others have none. */
		if (a->kind != ANSWER_ERROR) {
			*name = root_name;
			*name_len = sizeof(root_name);
		}
		return RRL_ERROR;
	}
	if (a->kind == ANSWER_REFERRAL)
		return RRL_REFERRAL;
	if (a->kind == ANSWER_WILDCARD)
		return RRL_WILDCARD;
	*name = q->req.lname;
	*name_len = q->req.qname_len;
	if (q->req.qtype == DNS_TYPE_ANY)
		return RRL_ANY;
	if (q->tc || q->resp_len > RRL_LARGE_SIZE)
		return RRL_LARGE;
	if (a->kind == ANSWER_NODATA) {
		*name = a->name;
		*name_len = a->name_len;
		return RRL_NODATA;
	}
	return RRL_POSITIVE;
}

/* The peer's address masked to its family's prefix, as family byte then address bytes
 * into key. Returns the bytes written; *len is the prefix length. A v4-mapped IPv6
 * address counts as the IPv4 address it carries. */
static size_t peer_key(const struct rrl_config *c, const struct sockaddr *peer, uint8_t *key,
		       unsigned *len)
{
	static const size_t v4_in_v6 = 12; /* ::ffff:a.b.c.d: the IPv4 address's offset */
	const uint8_t *a;
	size_t n;

	if (peer->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)peer)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			a = a6->s6_addr + v4_in_v6;
			key[0] = AF_INET;
			n = sizeof(struct in_addr);
			*len = c->ipv4_prefix;
		} else {
			a = a6->s6_addr;
			key[0] = AF_INET6;
			n = sizeof(struct in6_addr);
			*len = c->ipv6_prefix;
		}
	} else {
		a = (const uint8_t *)&((const struct sockaddr_in *)peer)->sin_addr;
		key[0] = AF_INET;
		n = sizeof(struct in_addr);
		*len = c->ipv4_prefix;
	}
	memcpy(key + 1, a, n);
	mask_bits(key + 1, n, *len);
	return n + 1;
}

/* True when the peer's address lies in an exempt prefix. */
static bool exempt(const struct rrl_config *c, const struct sockaddr *peer)
{
	uint8_t key[1 + sizeof(struct in6_addr)];
	struct rrl_config full = { .ipv4_prefix = 32, .ipv6_prefix = 128 };
	unsigned len;
	size_t i, n = peer_key(&full, peer, key, &len) - 1;

	for (i = 0; i < c->exempt_count; i++) {
		const struct rrl_prefix *p = &c->exempt[i];
		uint8_t masked[sizeof(struct in6_addr)];

		if (p->family != key[0])
			continue;
		memcpy(masked, key + 1, n);
		mask_bits(masked, n, p->len);
		if (memcmp(masked, p->addr, n) == 0)
			return true;
	}
	return false;
}

/* "ADDRESS/LEN CLASS NAME" for the log lines. */
static void bucket_text(char *out, size_t size, const uint8_t *key, unsigned len,
			enum rrl_class cls, const uint8_t *name)
{
	char addr[INET6_ADDRSTRLEN], text[DNS_MAX_NAME * 4 + 1];

	inet_ntop(key[0] == AF_INET ? AF_INET : AF_INET6, key + 1, addr, sizeof(addr));
	wire_name_format(name, text, sizeof(text));
	snprintf(out, size, "%s/%u %s %s", addr, len, rrl_class_name(cls), text);
}

/* True when one more start line may be logged this second. */
static bool log_start_allowed(struct rrl *r, uint32_t now)
{
	uint64_t old = atomic_load_explicit(&r->log_window, memory_order_relaxed), next;

	do {
		if ((uint32_t)(old >> 32) != now)
			next = (uint64_t)now << 32 | 1;
		else if ((uint32_t)old < RRL_LOG_STARTS_PER_SECOND)
			next = old + 1;
		else
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&r->log_window, &old, next,
							memory_order_relaxed, memory_order_relaxed));
	return true;
}

static const char *mode_word(const struct rrl *r)
{
	return r->config.log_only ? "(log-only) " : "";
}

/* Logs the start line and keeps the bucket in the watch list for its stop line. */
static void log_start(struct rrl *r, size_t slot, uint64_t tag, const uint8_t *key,
		      unsigned len, enum rrl_class cls, const uint8_t *name, uint32_t now)
{
	char text[RRL_TEXT_MAX];
	size_t i;

	if (!log_start_allowed(r, now)) {
		atomic_fetch_add_explicit(&r->log_suppressed, 1, memory_order_relaxed);
		return;
	}
	bucket_text(text, sizeof(text), key, len, cls, name);
	log_info("rrl: %slimiting %s (rate %u/s, slip %u)", mode_word(r), text, r->config.rate,
		 r->config.slip);
	for (i = 0; i < RRL_WATCH_MAX; i++) {
		struct rrl_watch *w = &r->watch[i];
		int free_state = WATCH_FREE;

		if (!atomic_compare_exchange_strong(&w->state, &free_state, WATCH_FILLING))
			continue;
		w->slot = slot;
		w->tag = tag;
		memcpy(w->text, text, sizeof(w->text));
		atomic_store_explicit(&w->state, WATCH_ACTIVE, memory_order_release);
		return;
	}
}

/* Logs the stop line of watch entry w, unless another thread does. */
static void log_stop(struct rrl *r, struct rrl_watch *w)
{
	int active = WATCH_ACTIVE;

	if (!atomic_compare_exchange_strong(&w->state, &active, WATCH_STOPPING))
		return;
	log_info("rrl: %sstopped limiting %s", mode_word(r), w->text);
	atomic_store_explicit(&w->state, WATCH_FREE, memory_order_release);
}

/* The bucket in slot with tag recovered: its stop line, when it has one. */
static void log_recovered(struct rrl *r, size_t slot, uint64_t tag)
{
	size_t i;

	for (i = 0; i < RRL_WATCH_MAX; i++) {
		struct rrl_watch *w = &r->watch[i];

		if (atomic_load_explicit(&w->state, memory_order_acquire) == WATCH_ACTIVE &&
		    w->slot == slot && w->tag == tag)
			log_stop(r, w);
	}
}

static uint64_t bucket_pack(uint64_t tag, uint32_t now, int64_t tokens, bool limited)
{
	return tag << RRL_TAG_SHIFT | (uint64_t)(now & RRL_STAMP_MASK) << RRL_STAMP_SHIFT |
	       (uint64_t)(tokens + RRL_TOKEN_BIAS) << RRL_TOKEN_SHIFT |
	       (limited ? RRL_LIMITED_BIT : 0);
}

enum rrl_verdict rrl_account(struct rrl *r, struct rrl_thread *t, const struct sockaddr *peer,
			     enum rrl_class cls, const uint8_t *name, size_t name_len, uint32_t now)
{
	const int64_t rate = r->config.rate;
	uint8_t key[RRL_KEY_MAX];
	uint64_t hash, tag, old, next;
	_Atomic uint64_t *slot;
	unsigned len;
	size_t n;
	bool pass, was_limited;

	if (r->config.exempt_count > 0 && exempt(&r->config, peer))
		return RRL_PASS;
	n = peer_key(&r->config, peer, key, &len);
	key[n++] = (uint8_t)cls;
	memcpy(key + n, name, name_len);
	n += name_len;
	crypto_shorthash_siphash24((unsigned char *)&hash, key, n, r->key);
	tag = (hash >> RRL_TAG_SHIFT) | 1;
	slot = &r->table[hash & r->mask];
	old = atomic_load_explicit(slot, memory_order_relaxed);
	do {
		int64_t tokens = rate;

		was_limited = false;
		if (BUCKET_TAG(old) == tag) {
			uint32_t elapsed = (now - BUCKET_STAMP(old)) & RRL_STAMP_MASK;

			tokens = BUCKET_TOKENS(old) + (int64_t)elapsed * rate;
			if (tokens > rate)
				tokens = rate;
			was_limited = (old & RRL_LIMITED_BIT) != 0;
		}
		pass = tokens > 0;
		/* The debt is bounded: a bucket flooded for long recovers after at most two
		 * quiet seconds. */
		if (pass || tokens > -rate)
			tokens--;
		next = bucket_pack(tag, now, tokens, !pass);
	} while (!atomic_compare_exchange_weak_explicit(slot, &old, next, memory_order_relaxed,
							memory_order_relaxed));
	if (pass) {
		if (was_limited)
			log_recovered(r, (size_t)(slot - r->table), tag);
		return RRL_PASS;
	}
	if (!was_limited)
		log_start(r, (size_t)(slot - r->table), tag, key, len, cls, name, now);
	if (r->config.log_only)
		return RRL_LOGGED;
	t->limited++;
	if (r->config.slip == 0)
		return RRL_DROP;
	return t->limited % r->config.slip == 0 ? RRL_SLIP : RRL_DROP;
}

void rrl_sweep(struct rrl *r, uint32_t now)
{
	unsigned long more = atomic_exchange_explicit(&r->log_suppressed, 0, memory_order_relaxed);
	size_t i;

	for (i = 0; i < RRL_WATCH_MAX; i++) {
		struct rrl_watch *w = &r->watch[i];
		_Atomic uint64_t *slot;
		uint64_t word;

		if (atomic_load_explicit(&w->state, memory_order_acquire) != WATCH_ACTIVE)
			continue;
		slot = &r->table[w->slot];
		word = atomic_load_explicit(slot, memory_order_relaxed);
		if (BUCKET_TAG(word) == w->tag && (word & RRL_LIMITED_BIT)) {
			if (((now - BUCKET_STAMP(word)) & RRL_STAMP_MASK) < RRL_IDLE_SECONDS)
				continue;
			/* Idle: cleared here, so that its next answer does not say it again. */
			if (!atomic_compare_exchange_strong(slot, &word, word & ~RRL_LIMITED_BIT))
				continue;
		}
		log_stop(r, w);
	}
	if (more > 0)
		log_info("rrl: %s%lu more bucket%s limited", mode_word(r), more, more == 1 ? "" : "s");
}
