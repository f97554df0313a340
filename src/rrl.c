/* SPDX-License-Identifier: BSD-3-Clause */
/* rrl.c: response rate limiting (BIND/NSD RRL): token buckets in one fixed table of 64-bit
 * words, each updated with a compare-and-swap loop; a keyed hash (SipHash-1-3) so that a
 * client cannot aim collisions; start and stop lines through a small fixed watch list. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>
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

/* The hash input, in whole 8-byte words: the masked address, the family, the class and
 * zeros up to a word's end, then the lowercased name and zeros to the end of its last
 * word. IPv4 takes one word before the name, IPv6 three. */
#define RRL_WORD          8
#define RRL_KEY_ADDR      0
#define RRL_KEY_V4_NAME   RRL_WORD
#define RRL_KEY_V6_NAME   (3 * RRL_WORD)
#define RRL_KEY_MAX       (RRL_KEY_V6_NAME + DNS_MAX_NAME + RRL_WORD)

#define BITS_PER_BYTE     8
#define MIB               (1024.0 * 1024.0)

_Static_assert(sizeof(uint64_t) == RRL_BUCKET_SIZE, "a bucket is one 64-bit word");

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
	uint64_t key[2];                    /* SipHash key, random */
	uint32_t v4_mask;                   /* the IPv4 prefix, network order */
	uint64_t v6_mask[2];                /* the IPv6 prefix, in memory order */
	_Atomic uint64_t log_window;        /* second << 32 | start lines logged in it */
	_Atomic unsigned long log_suppressed; /* start lines left out since the last sweep */
	struct rrl_watch watch[RRL_WATCH_MAX];
};

static const char *const class_names[RRL_CLASSES] = {
	"positive", "nodata", "nxdomain", "referral", "wildcard", "any", "error", "large",
};

static const uint8_t root_name[] = { 0 };

#define SIPROUND(v0, v1, v2, v3)                                                    \
	do {                                                                        \
		v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);      \
		v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                           \
		v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                           \
		v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);      \
	} while (0)

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* SipHash-1-3 of the len bytes at in (little-endian words, as the reference), which must
 * be followed by zeros to the end of their last 8-byte word: the keyed hash Rust's
 * HashMap and CPython use against chosen collisions, with one round a word and three at
 * the end where SipHash-2-4 has two and four. */
static uint64_t siphash13(const uint64_t key[2], const uint8_t *in, size_t len)
{
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ull, v1 = key[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ull, v3 = key[1] ^ 0x7465646279746573ull;
	uint64_t m, last = (uint64_t)len << 56;
	size_t i;

	for (i = 0; i + RRL_WORD <= len; i += RRL_WORD) {
		memcpy(&m, in + i, sizeof(m));
		m = le64toh(m);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	/* The last bytes, zero-padded. */
	memcpy(&m, in + i, sizeof(m));
	last |= le64toh(m);
	v3 ^= last;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

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
	memset(&r->v4_mask, 0xff, sizeof(r->v4_mask));
	mask_bits((uint8_t *)&r->v4_mask, sizeof(r->v4_mask), config->ipv4_prefix);
	memset(r->v6_mask, 0xff, sizeof(r->v6_mask));
	mask_bits((uint8_t *)r->v6_mask, sizeof(r->v6_mask), config->ipv6_prefix);
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

/* Where a v4-mapped IPv6 address (::ffff:a.b.c.d) carries its IPv4 address. */
#define V4_IN_V6 12

/* The peer's address, unmasked, into addr (16 bytes, IPv4 in the first 4, the rest zero).
 * Returns AF_INET or AF_INET6; a v4-mapped IPv6 address counts as the IPv4 one. */
static int peer_addr(const struct sockaddr *peer, uint8_t *addr)
{
	memset(addr, 0, sizeof(struct in6_addr));
	if (peer->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)peer)->sin6_addr;

		if (!IN6_IS_ADDR_V4MAPPED(a6)) {
			memcpy(addr, a6->s6_addr, sizeof(struct in6_addr));
			return AF_INET6;
		}
		memcpy(addr, a6->s6_addr + V4_IN_V6, sizeof(struct in_addr));
		return AF_INET;
	}
	memcpy(addr, &((const struct sockaddr_in *)peer)->sin_addr, sizeof(struct in_addr));
	return AF_INET;
}

/* The start of the hash input in key: the peer's address masked to its family's prefix,
 * the family and the class, zero-padded. Returns where the name goes; *len is the prefix
 * length. */
static size_t peer_key(const struct rrl *r, const struct sockaddr *peer, enum rrl_class cls,
		       uint8_t *key, unsigned *len)
{
	uint8_t addr[sizeof(struct in6_addr)];
	int family = peer_addr(peer, addr);
	uint64_t w[3] = { 0, 0, 0 };
	size_t at;

	if (family == AF_INET) {
		uint32_t v4;

		memcpy(&v4, addr, sizeof(v4));
		v4 &= r->v4_mask;
		memcpy(w, &v4, sizeof(v4));
		at = RRL_KEY_V4_NAME;
		*len = r->config.ipv4_prefix;
	} else {
		memcpy(w, addr, sizeof(addr));
		w[0] &= r->v6_mask[0];
		w[1] &= r->v6_mask[1];
		at = RRL_KEY_V6_NAME;
		*len = r->config.ipv6_prefix;
	}
	memcpy(key, w, at);
	key[at - 2] = (uint8_t)family;
	key[at - 1] = (uint8_t)cls;
	return at;
}

/* True when the peer's address lies in an exempt prefix. */
static bool exempt(const struct rrl_config *c, const struct sockaddr *peer)
{
	uint8_t addr[sizeof(struct in6_addr)];
	int family = peer_addr(peer, addr);
	size_t i, n = family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);

	for (i = 0; i < c->exempt_count; i++) {
		const struct rrl_prefix *p = &c->exempt[i];
		uint8_t masked[sizeof(struct in6_addr)];

		if (p->family != family)
			continue;
		memcpy(masked, addr, n);
		mask_bits(masked, n, p->len);
		if (memcmp(masked, p->addr, n) == 0)
			return true;
	}
	return false;
}

/* "ADDRESS/LEN CLASS NAME" for the log lines. */
static void bucket_text(char *out, size_t size, int family, const uint8_t *key, unsigned len,
			enum rrl_class cls, const uint8_t *name)
{
	char addr[INET6_ADDRSTRLEN], text[DNS_MAX_NAME * 4 + 1];

	inet_ntop(family, key + RRL_KEY_ADDR, addr, sizeof(addr));
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
static void log_start(struct rrl *r, size_t slot, uint64_t tag, int family, const uint8_t *key,
		      unsigned len, enum rrl_class cls, const uint8_t *name, uint32_t now)
{
	char text[RRL_TEXT_MAX];
	size_t i;

	if (!log_start_allowed(r, now)) {
		atomic_fetch_add_explicit(&r->log_suppressed, 1, memory_order_relaxed);
		return;
	}
	bucket_text(text, sizeof(text), family, key, len, cls, name);
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
	size_t n, at;
	bool pass, was_limited;

	if (r->config.exempt_count > 0 && exempt(&r->config, peer))
		return RRL_PASS;
	at = peer_key(r, peer, cls, key, &len);
	memcpy(key + at, name, name_len);
	n = at + name_len;
	memset(key + n, 0, RRL_WORD);
	hash = siphash13(r->key, key, n);
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
		log_start(r, (size_t)(slot - r->table), tag,
			  at == RRL_KEY_V4_NAME ? AF_INET : AF_INET6, key, len, cls, name, now);
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
