/* SPDX-License-Identifier: BSD-3-Clause */
/* rrl.c: response rate limiting (BIND/NSD RRL): token buckets in one fixed table of 64-bit
 * words, each updated with a compare-and-swap loop; a keyed multiply-shift hash of a few
 * words (the masked address, family and class, and a name id) so that a client cannot aim
 * collisions; start and stop lines through a small fixed watch list. */
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
#include "zone.h"

/* One bucket, one word: | tag 25 | second stamp 16 | tokens + RRL_TOKEN_BIAS 22 | limited 1 |.
 * The tag is the top 25 bits of a second product of the key's hash (never 0, so an empty
 * word matches no key); the slot is the hash's own top bits. A different tag in the slot
 * is another bucket: the new one replaces it. The token field holds -RRL_MAX_RATE to
 * RRL_MAX_RATE; the tag takes what is left. */
#define RRL_LIMITED_BIT   1ull
#define RRL_TOKEN_SHIFT   1
#define RRL_TOKEN_BITS    22
#define RRL_TOKEN_BIAS    (1ll << (RRL_TOKEN_BITS - 1))
#define RRL_STAMP_SHIFT   (RRL_TOKEN_SHIFT + RRL_TOKEN_BITS)
#define RRL_STAMP_BITS    16
#define RRL_STAMP_MASK    ((1u << RRL_STAMP_BITS) - 1)
#define RRL_TAG_SHIFT     (RRL_STAMP_SHIFT + RRL_STAMP_BITS)
#define RRL_TAG_BITS      (64 - RRL_TAG_SHIFT)
#define RRL_TAG_FIELD     (~0ull << RRL_TAG_SHIFT)
#define RRL_TAG_LOWEST    (1ull << RRL_TAG_SHIFT)

#define BUCKET_TAG(w)     ((w) >> RRL_TAG_SHIFT)
#define BUCKET_STAMP(w)   ((uint32_t)((w) >> RRL_STAMP_SHIFT) & RRL_STAMP_MASK)
#define BUCKET_TOKENS(w)  ((int64_t)(((w) >> RRL_TOKEN_SHIFT) & ((1ull << RRL_TOKEN_BITS) - 1)) \
			   - RRL_TOKEN_BIAS)

/* The bucket head's second stamp for second now, with the lowest tag bit set (a tag is
 * never 0, so that an empty word matches no key). */
static inline uint64_t stamp_head(uint32_t now)
{
	return (uint64_t)(now & RRL_STAMP_MASK) << RRL_STAMP_SHIFT | RRL_TAG_LOWEST;
}

/* True when bucket word w has the tag of head. */
static inline bool same_tag(uint64_t w, uint64_t head)
{
	return (w ^ head) < RRL_TAG_LOWEST;
}

/* A limited bucket not written for this many seconds is idle: the sweep says it stopped. */
#define RRL_IDLE_SECONDS  2

/* Limited buckets whose stop line is still to come; more at once get no stop line. */
#define RRL_WATCH_MAX     64
/* "ADDRESS/LEN CLASS NAME": an address, a class word and a name in presentation form. */
#define RRL_TEXT_MAX      (INET6_ADDRSTRLEN + 16 + DNS_MAX_NAME * 4)

#define BITS_PER_BYTE     8
#define MIB               (1024.0 * 1024.0)

_Static_assert(sizeof(uint64_t) == RRL_BUCKET_SIZE, "a bucket is one 64-bit word");
_Static_assert(RRL_MAX_RATE < RRL_TOKEN_BIAS, "the token field holds -rate..rate");
_Static_assert(RRL_TAG_BITS >= 24, "a tag tells apart buckets that share a slot");

/* The keys of the words of the bucket hash (bucket_hash()): the masked address (IPv6: its
 * two halves; IPv4: one word, with the family, class and name source above the address),
 * the family, class and name source word (IPv6), the name id; then the key of the tag's
 * product. */
enum { KEY_ADDR0, KEY_ADDR1, KEY_KIND, KEY_NAME, KEY_TAG, KEYS };

/* The family, class and name source word: which differ in every field. */
#define KIND_WORD(family, cls, in_db) ((uint64_t)(family) << 16 | (uint64_t)(in_db) << 8 | (cls))

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
	unsigned slot_shift;                /* 64 - log2(buckets), at most 63 (with mask) */
	_Atomic uint32_t now;               /* rrl_set_clock()'s second */
	_Atomic uint64_t head;              /* and its stamp_head() */
	uint64_t key[KEYS];                 /* multiply-shift keys: random, odd */
	unsigned char name_key[crypto_shorthash_siphash24_KEYBYTES]; /* names not in the db */
	uint64_t root_id;                   /* the root's name id, by its bytes */
	uint64_t fresh;                     /* a new bucket's tokens after one answer */
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

/* The name id of a name not in the db: a keyed SipHash-2-4 of its bytes (lowercased wire
 * form), so that a client cannot aim collisions with the names it sends. */
static uint64_t name_bytes_id(const struct rrl *r, const uint8_t *name, size_t len)
{
	unsigned char h[crypto_shorthash_siphash24_BYTES];
	uint64_t id;

	crypto_shorthash_siphash24(h, name, len, r->name_key);
	memcpy(&id, h, sizeof(id));
	return id;
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
	size_t n, i;

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
	r->slot_shift = 64;
	while (n > 1) {
		r->slot_shift--;
		n >>= 1;
	}
	if (r->slot_shift > 63)
		r->slot_shift = 63;  /* one bucket: the mask makes every slot 0 */
	randombytes_buf(r->key, sizeof(r->key));
	for (i = 0; i < KEYS; i++)
		r->key[i] |= 1;
	randombytes_buf(r->name_key, sizeof(r->name_key));
	r->root_id = name_bytes_id(r, root_name, sizeof(root_name));
	rrl_set_clock(r, rrl_now());
	r->fresh = (uint64_t)(config->rate - 1 + RRL_TOKEN_BIAS) << RRL_TOKEN_SHIFT;
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

void rrl_set_clock(struct rrl *r, uint32_t now)
{
	atomic_store_explicit(&r->now, now, memory_order_relaxed);
	atomic_store_explicit(&r->head, stamp_head(now), memory_order_relaxed);
}

uint32_t rrl_clock(const struct rrl *r)
{
	return atomic_load_explicit(&((struct rrl *)r)->now, memory_order_relaxed);
}

/* The name a bucket counts by: lowercased wire form, and whether it lies in the db. */
struct bucket_name {
	const uint8_t *name;
	size_t len;
	bool in_db;
};

/* True for the common answer: records for a name of the db, of the positive class. */
static inline bool positive_in_db(const struct query *q)
{
	const struct answer_result *a = &q->answer;

	return q->rcode == RCODE_NOERROR && a->kind == ANSWER_POSITIVE && a->node != NULL &&
	       q->req.qtype != DNS_TYPE_ANY && !q->tc && q->resp_len <= RRL_LARGE_SIZE;
}

static enum rrl_class classify(const struct query *q, struct bucket_name *n)
{
	const struct answer_result *a = &q->answer;

	if (positive_in_db(q)) {
		n->name = a->node->name;
		n->len = a->node->name_len;
		n->in_db = true;
		return RRL_POSITIVE;
	}
	n->name = a->name;
	n->len = a->name_len;
	n->in_db = a->name_in_db;
	if (q->rcode == RCODE_NXDOMAIN)
		return RRL_NXDOMAIN;
	if (q->rcode != RCODE_NOERROR) {
		/* answer.c names the zone of its errors; the others have none. */
		if (a->kind != ANSWER_ERROR) {
			n->name = root_name;
			n->len = sizeof(root_name);
			n->in_db = false;
		}
		return RRL_ERROR;
	}
	if (a->kind == ANSWER_REFERRAL)
		return RRL_REFERRAL;
	if (a->kind == ANSWER_WILDCARD)
		return RRL_WILDCARD;
	if (a->kind == ANSWER_NODATA && q->req.qtype != DNS_TYPE_ANY && !q->tc &&
	    q->resp_len <= RRL_LARGE_SIZE)
		return RRL_NODATA;
	if (a->node != NULL) {
		n->name = a->node->name;
		n->len = a->node->name_len;
		n->in_db = true;
	} else {
		n->name = q->req.lname;
		n->len = q->req.qname_len;
		n->in_db = false;
	}
	if (q->req.qtype == DNS_TYPE_ANY)
		return RRL_ANY;
	if (q->tc || q->resp_len > RRL_LARGE_SIZE)
		return RRL_LARGE;
	return RRL_POSITIVE;
}

enum rrl_class rrl_classify(const struct query *q, const uint8_t **name, size_t *name_len,
			    bool *name_in_db)
{
	struct bucket_name n;
	enum rrl_class cls = classify(q, &n);

	*name = n.name;
	*name_len = n.len;
	*name_in_db = n.in_db;
	return cls;
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

bool rrl_prefix_match(const struct rrl_prefix *p, const struct sockaddr *peer)
{
	uint8_t addr[sizeof(struct in6_addr)];
	int family = peer_addr(peer, addr);
	size_t n = family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);

	if (p->family != family)
		return false;
	mask_bits(addr, n, p->len);
	return memcmp(addr, p->addr, n) == 0;
}

/* True when the peer's address lies in an exempt prefix. */
__attribute__((noinline))
static bool exempt(const struct rrl_config *c, const struct sockaddr *peer)
{
	size_t i;

	for (i = 0; i < c->exempt_count; i++)
		if (rrl_prefix_match(&c->exempt[i], peer))
			return true;
	return false;
}

/* "ADDRESS/LEN CLASS NAME" for the log lines. */
static void bucket_text(char *out, size_t size, int family, const uint64_t w[2], unsigned len,
			enum rrl_class cls, const uint8_t *name)
{
	char addr[INET6_ADDRSTRLEN], text[DNS_MAX_NAME * 4 + 1];
	uint8_t bytes[sizeof(struct in6_addr)];
	uint32_t v4 = (uint32_t)w[0];

	if (family == AF_INET)
		memcpy(bytes, &v4, sizeof(v4));
	else
		memcpy(bytes, w, sizeof(bytes));
	inet_ntop(family, bytes, addr, sizeof(addr));
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
static void log_start(struct rrl *r, size_t slot, uint64_t tag, int family,
		      const uint64_t addr[2], enum rrl_class cls, const uint8_t *name, uint32_t now)
{
	char text[RRL_TEXT_MAX];
	size_t i;

	if (!log_start_allowed(r, now)) {
		atomic_fetch_add_explicit(&r->log_suppressed, 1, memory_order_relaxed);
		return;
	}
	bucket_text(text, sizeof(text), family, addr,
		    family == AF_INET ? r->config.ipv4_prefix : r->config.ipv6_prefix, cls, name);
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

/* The bucket's hash: multiply-shift universal hashing (Dietzfelbinger, Hagerup, Katajainen
 * and Penttonen, "A reliable randomized algorithm for the closest-pair problem", 1997)
 * over a few 64-bit words: the sum of each word times its own random odd key, modulo
 * 2^64. The words are the masked address (IPv4: with the family, class and name source
 * above its 32 bits; IPv6: its two halves and that word) and the name id. The slot is the
 * sum's top bits, which depend on every bit of every word.
 *
 * Enough here because the keys are drawn at start and never leave the process, and a
 * client does not see slots or tags (at most, slowly, whether its answers are limited);
 * so it cannot choose addresses and names that land in one slot, and chance collisions
 * are as rare as the table is large. What a collision does: two buckets with the same
 * slot and tag are merged and share one rate (each gets less, never more); two with the
 * same slot and different tags evict each other, and the one that comes back starts
 * afresh with a full second's worth, so answers over the rate can then pass (as when
 * the table is full, dualnsd(8)). Neither affects any other slot. */
static inline __attribute__((always_inline))
uint64_t bucket_hash(const struct rrl *r, const struct sockaddr *peer, enum rrl_class cls,
		     bool in_db, uint64_t name_id, uint64_t *a0, uint64_t *a1, int *family)
{
	uint64_t h = r->key[KEY_NAME] * name_id;
	uint32_t v4;

	/* Loads, no byte copies: a memcpy of a word's size is one load. */
	if (peer->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)peer)->sin6_addr;

		if (!IN6_IS_ADDR_V4MAPPED(a6)) {
			memcpy(a0, a6->s6_addr, sizeof(*a0));
			memcpy(a1, a6->s6_addr + sizeof(*a0), sizeof(*a1));
			*a0 &= r->v6_mask[0];
			*a1 &= r->v6_mask[1];
			*family = AF_INET6;
			return h + r->key[KEY_ADDR0] * *a0 + r->key[KEY_ADDR1] * *a1 +
			       r->key[KEY_KIND] * KIND_WORD(AF_INET6, cls, in_db);
		}
		memcpy(&v4, a6->s6_addr + V4_IN_V6, sizeof(v4));
	} else {
		memcpy(&v4, &((const struct sockaddr_in *)peer)->sin_addr, sizeof(v4));
	}
	/* A v4-mapped address counts as the IPv4 one. */
	*a0 = v4 & r->v4_mask;
	*a1 = 0;
	*family = AF_INET;
	return h + r->key[KEY_ADDR0] * (*a0 | KIND_WORD(AF_INET, cls, in_db) << 32);
}

/* What follows a limited answer, or the first passed one of a limited bucket: the log
 * lines and the verdict. Out of the common path, so it works out again what it needs:
 * slot_info is the slot's address with RRL_LIMITED_BIT set when the bucket was limited
 * before the answer, next the bucket after it. */
__attribute__((noinline))
static enum rrl_verdict account_limited(struct rrl *r, struct rrl_thread *t,
					const struct sockaddr *peer, uintptr_t slot_info,
					uint64_t next, enum rrl_class cls, const uint8_t *name,
					uint32_t now)
{
	size_t slot = (size_t)((_Atomic uint64_t *)(slot_info & ~(uintptr_t)RRL_LIMITED_BIT) -
			       r->table);
	bool was_limited = (slot_info & RRL_LIMITED_BIT) != 0;
	uint64_t tag = BUCKET_TAG(next), addr[2];
	int family;

	if (!(next & RRL_LIMITED_BIT)) {
		if (was_limited)
			log_recovered(r, slot, tag);
		return RRL_PASS;
	}
	if (!was_limited) {
		bucket_hash(r, peer, cls, false, 0, &addr[0], &addr[1], &family);
		log_start(r, slot, tag, family, addr, cls, name, now);
	}
	if (r->config.log_only)
		return RRL_LOGGED;
	t->limited++;
	if (r->config.slip == 0)
		return RRL_DROP;
	return t->limited % r->config.slip == 0 ? RRL_SLIP : RRL_DROP;
}

/* The name id of a name not in the db. */
__attribute__((noinline))
static uint64_t name_id_by_bytes(const struct rrl *r, const uint8_t *name, size_t len)
{
	return len == sizeof(root_name) ? r->root_id : name_bytes_id(r, name, len);
}

/* Counts one answer in its bucket (rrl_account() but the exemptions) at the second of
 * stamp (stamp_head()). Returns true when it passes and its bucket was not limited:
 * nothing else to do. Otherwise account_limited() goes on from *slot_info and *next
 * (and may find nothing to do either). */
static inline __attribute__((always_inline))
bool account_fast(struct rrl *r, const struct sockaddr *peer, enum rrl_class cls,
		  const uint8_t *name, size_t name_len, bool name_in_db, uint64_t stamp,
		  uintptr_t *slot_info, uint64_t *next)
{
	uint64_t hash, head, old, word, a0, a1;
	_Atomic uint64_t *slot;
	int family;
	bool was_limited;

	/* Within one db a name's address names it: no byte is read. The others (CH answers,
	 * the root outside every zone) go by their bytes. */
	hash = bucket_hash(r, peer, cls, name_in_db,
			   name_in_db ? (uint64_t)(uintptr_t)name
				      : name_id_by_bytes(r, name, name_len),
			   &a0, &a1, &family);
	slot = &r->table[(size_t)(hash >> r->slot_shift) & r->mask];
	/* The tag from a second product: the top bits of hash times another key, which
	 * depend on all of hash's bits, not only the slot's. With the stamp: the head of
	 * the bucket's word. */
	head = ((hash * r->key[KEY_TAG]) & RRL_TAG_FIELD) | stamp;
	old = atomic_load_explicit(slot, memory_order_relaxed);
	for (;;) {
		if (!same_tag(old, head)) {
			/* Another bucket or none: this one starts with a full second's worth,
			 * and passes. */
			word = head | r->fresh;
			if (atomic_compare_exchange_weak_explicit(slot, &old, word,
								  memory_order_relaxed,
								  memory_order_relaxed))
				return true;
		} else {
			const int64_t rate = r->config.rate;
			uint32_t elapsed = (uint32_t)((head >> RRL_STAMP_SHIFT) -
						      (old >> RRL_STAMP_SHIFT)) & RRL_STAMP_MASK;
			int64_t tokens = BUCKET_TOKENS(old) + (int64_t)elapsed * rate;
			bool pass;

			if (tokens > rate)
				tokens = rate;
			pass = tokens > 0;
			/* The debt is bounded: a bucket flooded for long recovers after at
			 * most two quiet seconds. */
			if (pass || tokens > -rate)
				tokens--;
			word = head | (uint64_t)(tokens + RRL_TOKEN_BIAS) << RRL_TOKEN_SHIFT |
			       (pass ? 0 : RRL_LIMITED_BIT);
			if (atomic_compare_exchange_weak_explicit(slot, &old, word,
								  memory_order_relaxed,
								  memory_order_relaxed))
				break;
		}
	}
	/* old is the word this answer replaced, of this bucket: neither limited, nothing
	 * else to do. */
	if (!((word | old) & RRL_LIMITED_BIT))
		return true;
	was_limited = (old & RRL_LIMITED_BIT) != 0;
	*slot_info = (uintptr_t)slot | (was_limited ? RRL_LIMITED_BIT : 0);
	*next = word;
	return false;
}

enum rrl_verdict rrl_account(struct rrl *r, struct rrl_thread *t, const struct sockaddr *peer,
			     enum rrl_class cls, const uint8_t *name, size_t name_len,
			     bool name_in_db, uint32_t now)
{
	uintptr_t slot_info;
	uint64_t next;

	if (r->config.exempt_count > 0 && exempt(&r->config, peer))
		return RRL_PASS;
	if (account_fast(r, peer, cls, name, name_len, name_in_db, stamp_head(now), &slot_info,
			 &next))
		return RRL_PASS;
	return account_limited(r, t, peer, slot_info, next, cls, name, now);
}

/* rrl_answer() for any answer but the common one, and for the common one when it was
 * limited or its bucket was. */
__attribute__((noinline))
static enum rrl_verdict answer_other(struct rrl *r, struct rrl_thread *t, const struct query *q,
				     const struct sockaddr *peer, uintptr_t slot_info, uint64_t next)
{
	uint32_t now = atomic_load_explicit(&r->now, memory_order_relaxed);
	struct bucket_name n;
	enum rrl_class cls = classify(q, &n);

	if (slot_info != 0)
		return account_limited(r, t, peer, slot_info, next, cls, n.name, now);
	return rrl_account(r, t, peer, cls, n.name, n.len, n.in_db, now);
}

bool rrl_answer_fast(struct rrl *r, struct rrl_thread *t, const struct query *q,
		     const struct sockaddr *peer)
{
	/* The common answer, from a peer that needs no look at the exempt list, with its
	 * class and name source known here: the fewest steps. */
	if (!positive_in_db(q) || r->config.exempt_count > 0) {
		t->slot_info = 0;
		return false;
	}
	return account_fast(r, peer, RRL_POSITIVE, q->answer.node->name, q->answer.node->name_len,
			    true, atomic_load_explicit(&r->head, memory_order_relaxed),
			    &t->slot_info, &t->next);
}

enum rrl_verdict rrl_answer_slow(struct rrl *r, struct rrl_thread *t, const struct query *q,
				 const struct sockaddr *peer)
{
	return answer_other(r, t, q, peer, t->slot_info, t->next);
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
