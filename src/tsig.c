/* SPDX-License-Identifier: BSD-3-Clause */
/* tsig.c: RFC 8945 MACs over the exact bytes of a message, with no allocation. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "tsig.h"

/* The fields of one TSIG RR, as written or as covered by a MAC. */
struct tsig_vars {
	const uint8_t *key_name;
	size_t key_name_len;
	const uint8_t *alg_name;
	size_t alg_name_len;
	uint64_t time_signed;
	uint16_t fudge;
	uint16_t original_id;
	uint16_t error;
	const uint8_t *other;
	uint16_t other_len;
};

size_t tsig_rr_size(size_t key_name_len, size_t alg_name_len, size_t mac_size,
		    size_t other_len)
{
	return key_name_len + DNS_RR_FIXED_SIZE + alg_name_len + TSIG_TIMERS_SIZE + 2 +
	       mac_size + TSIG_TAIL_SIZE + other_len;
}

size_t tsig_reserve(const struct tsig_key *key)
{
	return tsig_rr_size(key->name_len, key->alg_name_len, hmac_size(key->alg),
			    TSIG_TIME_SIZE);
}

static void write48(uint8_t *p, uint64_t v)
{
	dns_write16(p, (unsigned)(v >> 32) & 0xffffu);
	dns_write32(p + 2, (unsigned long)(v & 0xffffffffu));
}

static uint64_t clock_now(uint64_t (*clock)(void))
{
	return clock != NULL ? clock() : (uint64_t)time(NULL);
}

/* Starts a MAC with key, over a prior MAC (its 2-byte size, then the MAC: RFC 8945
 * sections 4.3.1 and 4.3.2) unless prior is NULL (a request, section 4.3.3). */
static void mac_begin(struct hmac_ctx *c, const struct tsig_key *key, const uint8_t *prior,
		      size_t prior_len)
{
	uint8_t size[2];

	hmac_init(c, key->alg, key->secret, key->secret_len);
	if (prior != NULL) {
		dns_write16(size, (unsigned)prior_len);
		hmac_update(c, size, sizeof(size));
		hmac_update(c, prior, prior_len);
	}
}

/* Adds a message as it was before its TSIG was added: header with the Original ID and
 * ARCOUNT without the TSIG, then the rest up to the TSIG (RFC 8945 section 4.3.2). */
static void mac_message(struct hmac_ctx *c, const uint8_t *msg, size_t len, uint16_t id,
			bool drop_tsig)
{
	uint8_t hdr[DNS_HEADER_SIZE];

	memcpy(hdr, msg, DNS_HEADER_SIZE);
	dns_write16(hdr + DNS_OFF_ID, id);
	if (drop_tsig)
		dns_write16(hdr + DNS_OFF_ARCOUNT, dns_read16(msg + DNS_OFF_ARCOUNT) - 1u);
	hmac_update(c, hdr, sizeof(hdr));
	hmac_update(c, msg + DNS_HEADER_SIZE, len - DNS_HEADER_SIZE);
}

/* Adds the TSIG variables (RFC 8945 section 4.3.3), or only the timers (Time Signed,
 * Fudge) for a later message of a stream (section 4.3.1), and finishes the MAC. */
static size_t mac_end(struct hmac_ctx *c, const struct tsig_vars *v, bool timers_only,
		      uint8_t out[HMAC_MAX_SIZE])
{
	uint8_t b[TSIG_TIMERS_SIZE + TSIG_TAIL_SIZE];

	if (!timers_only) {
		static const uint8_t class_ttl[6] = { 0, DNS_CLASS_ANY, 0, 0, 0, 0 };

		hmac_update(c, v->key_name, v->key_name_len);
		hmac_update(c, class_ttl, sizeof(class_ttl));
		hmac_update(c, v->alg_name, v->alg_name_len);
	}
	write48(b, v->time_signed);
	dns_write16(b + TSIG_TIME_SIZE, v->fudge);
	if (timers_only) {
		hmac_update(c, b, TSIG_TIMERS_SIZE);
	} else {
		dns_write16(b + TSIG_TIMERS_SIZE, v->error);
		dns_write16(b + TSIG_TIMERS_SIZE + 2, v->other_len);
		hmac_update(c, b, TSIG_TIMERS_SIZE + 4);
		hmac_update(c, v->other, v->other_len);
	}
	return hmac_final(c, out);
}

/* Writes the TSIG RR at msg[len] and counts it in ARCOUNT. Returns 0 with *newlen, or
 * -ENOSPC. */
static int write_rr(uint8_t *msg, size_t len, size_t cap, const struct tsig_vars *v,
		    const uint8_t *mac, size_t mac_len, size_t *newlen)
{
	size_t need = tsig_rr_size(v->key_name_len, v->alg_name_len, mac_len, v->other_len);
	uint8_t *p = msg + len;

	if (len + need > cap || len + need > DNS_MSG_MAX)
		return -ENOSPC;
	memcpy(p, v->key_name, v->key_name_len);
	p += v->key_name_len;
	dns_write16(p + DNS_RR_OFF_TYPE, DNS_TYPE_TSIG);
	dns_write16(p + DNS_RR_OFF_CLASS, DNS_CLASS_ANY);
	dns_write32(p + DNS_RR_OFF_TTL, 0);
	dns_write16(p + DNS_RR_OFF_RDLENGTH,
		    (unsigned)(need - v->key_name_len - DNS_RR_FIXED_SIZE));
	p += DNS_RR_FIXED_SIZE;
	memcpy(p, v->alg_name, v->alg_name_len);
	p += v->alg_name_len;
	write48(p, v->time_signed);
	dns_write16(p + TSIG_TIME_SIZE, v->fudge);
	dns_write16(p + TSIG_TIMERS_SIZE, (unsigned)mac_len);
	p += TSIG_TIMERS_SIZE + 2;
	if (mac_len > 0)
		memcpy(p, mac, mac_len);
	p += mac_len;
	dns_write16(p, v->original_id);
	dns_write16(p + 2, v->error);
	dns_write16(p + 4, v->other_len);
	p += TSIG_TAIL_SIZE;
	if (v->other_len > 0)
		memcpy(p, v->other, v->other_len);
	dns_write16(msg + DNS_OFF_ARCOUNT, dns_read16(msg + DNS_OFF_ARCOUNT) + 1u);
	*newlen = len + need;
	return 0;
}

/* The variables of a parsed TSIG, for recomputing its MAC. */
static void vars_from_wire(struct tsig_vars *v, const struct wire_tsig *t)
{
	*v = (struct tsig_vars){
		.key_name = t->key_name, .key_name_len = t->key_name_len,
		.alg_name = t->alg_name, .alg_name_len = t->alg_name_len,
		.time_signed = t->time_signed, .fudge = t->fudge,
		.original_id = t->original_id, .error = t->error,
		.other = t->other, .other_len = t->other_len,
	};
}

/* Variables for signing with key at now. */
static void vars_for_key(struct tsig_vars *v, const struct tsig_key *key, uint64_t now,
			 uint16_t id)
{
	*v = (struct tsig_vars){
		.key_name = key->name, .key_name_len = key->name_len,
		.alg_name = key->alg_name, .alg_name_len = key->alg_name_len,
		.time_signed = now, .fudge = TSIG_FUDGE, .original_id = id,
	};
}

/* RFC 8945 section 5.2.2.1: a MAC may be truncated to no less than 10 bytes and half the
 * hash, and is never longer than the hash. */
static bool mac_size_allowed(const struct tsig_key *key, size_t mac_size)
{
	size_t full = hmac_size(key->alg), min = full / 2 > 10 ? full / 2 : 10;

	return mac_size <= full && mac_size >= min;
}

/* True when the message's time is within its fudge of now (RFC 8945 section 5.2.3). */
static bool time_ok(const struct wire_tsig *t, uint64_t now)
{
	uint64_t d = now > t->time_signed ? now - t->time_signed : t->time_signed - now;

	return d <= t->fudge;
}

int tsig_verify_request(struct hmac_ctx *c, const struct tsig_keyring *kr, const uint8_t *msg,
			const struct wire_tsig *t, uint64_t now, const struct tsig_key **key)
{
	const struct tsig_key *k = tsig_keyring_find(kr, t->key_name, t->key_name_len);
	uint8_t mac[HMAC_MAX_SIZE];
	struct tsig_vars v;

	*key = NULL;
	if (k == NULL || !dns_name_equal(k->alg_name, k->alg_name_len, t->alg_name,
					 t->alg_name_len))
		return TSIG_BADKEY;
	/* Section 5.2.2.1 says FORMERR for a MAC size outside those bounds; NSD and Knot
	 * answer BADSIG, as for any MAC that does not verify, and so do we: a client reads
	 * the same error from all three. */
	if (!mac_size_allowed(k, t->mac_size))
		return TSIG_BADSIG;
	vars_from_wire(&v, t);
	mac_begin(c, k, NULL, 0);
	mac_message(c, msg, t->offset, t->original_id, true);
	mac_end(c, &v, false, mac);
	if (CRYPTO_memcmp(mac, t->mac, t->mac_size) != 0)
		return TSIG_BADSIG;
	*key = k;
	return time_ok(t, now) ? 0 : TSIG_BADTIME;
}

int tsig_sign_answer(struct hmac_ctx *c, const struct tsig_key *key, const struct wire_tsig *req,
		     int error, uint8_t *msg, size_t len, size_t cap, uint64_t now,
		     size_t *newlen)
{
	uint8_t mac[HMAC_MAX_SIZE], other[TSIG_TIME_SIZE];
	struct tsig_vars v;
	size_t mac_len;

	if (error == TSIG_BADKEY || error == TSIG_BADSIG || key == NULL) {
		/* Unsigned, naming what the request named (RFC 8945 section 5.3.2). */
		vars_from_wire(&v, req);
		v.time_signed = now;
		v.fudge = TSIG_FUDGE;
		v.error = (uint16_t)error;
		v.other_len = 0;
		v.original_id = (uint16_t)dns_read16(msg + DNS_OFF_ID);
		return write_rr(msg, len, cap, &v, NULL, 0, newlen);
	}
	vars_for_key(&v, key, now, (uint16_t)dns_read16(msg + DNS_OFF_ID));
	if (error == TSIG_BADTIME) {
		/* The request's time, and ours in Other Data (RFC 8945 section 5.2.3), so
		 * the client can verify the answer and see the skew. */
		v.time_signed = req->time_signed;
		v.error = TSIG_BADTIME;
		write48(other, now);
		v.other = other;
		v.other_len = TSIG_TIME_SIZE;
	}
	if (len + tsig_rr_size(v.key_name_len, v.alg_name_len, hmac_size(key->alg),
			       v.other_len) > cap)
		return -ENOSPC;
	mac_begin(c, key, req->mac, req->mac_size);
	mac_message(c, msg, len, v.original_id, false);
	mac_len = mac_end(c, &v, false, mac);
	return write_rr(msg, len, cap, &v, mac, mac_len, newlen);
}

/* Skips count records from *at. Returns 0 or -EBADMSG. */
static int skip_records(const uint8_t *msg, size_t len, size_t *at, unsigned count)
{
	while (count-- > 0) {
		if (wire_skip_name(msg, len, at) < 0 || *at + DNS_RR_FIXED_SIZE > len)
			return -EBADMSG;
		*at += DNS_RR_FIXED_SIZE + dns_read16(msg + *at + DNS_RR_OFF_RDLENGTH);
		if (*at > len)
			return -EBADMSG;
	}
	return 0;
}

int tsig_find(struct wire_tsig *t, const uint8_t *msg, size_t len)
{
	size_t at = DNS_HEADER_SIZE, last;
	unsigned qd, records, i;

	t->present = false;
	if (len < DNS_HEADER_SIZE)
		return -EBADMSG;
	qd = dns_read16(msg + DNS_OFF_QDCOUNT);
	records = dns_read16(msg + DNS_OFF_ANCOUNT) + dns_read16(msg + DNS_OFF_NSCOUNT) +
		  dns_read16(msg + DNS_OFF_ARCOUNT);
	if (dns_read16(msg + DNS_OFF_ARCOUNT) == 0)
		return -ENOENT;
	for (i = 0; i < qd; i++) {
		if (wire_skip_name(msg, len, &at) < 0 || at + DNS_QUESTION_FIXED_SIZE > len)
			return -EBADMSG;
		at += DNS_QUESTION_FIXED_SIZE;
	}
	if (skip_records(msg, len, &at, records - 1) < 0)
		return -EBADMSG;
	last = at;
	if (wire_skip_name(msg, len, &at) < 0 || at + DNS_RR_FIXED_SIZE > len)
		return -EBADMSG;
	if (dns_read16(msg + at + DNS_RR_OFF_TYPE) != DNS_TYPE_TSIG)
		return -ENOENT;
	at += DNS_RR_FIXED_SIZE + dns_read16(msg + at + DNS_RR_OFF_RDLENGTH);
	if (at > len || wire_parse_tsig(t, msg, at, last) < 0)
		return -EBADMSG;
	return 0;
}

void tsig_stream_start(struct tsig_stream *st, const struct tsig_key *key,
		       const uint8_t *request_mac, size_t mac_len)
{
	st->key = key;
	st->mac_len = mac_len <= HMAC_MAX_SIZE ? mac_len : HMAC_MAX_SIZE;
	if (st->mac_len > 0)
		memcpy(st->mac, request_mac, st->mac_len);
	st->clock = NULL;
	st->messages = 0;
	st->unsigned_run = 0;
}

/* Signs the next message of st at now. */
static int stream_sign_at(struct tsig_stream *st, uint8_t *msg, size_t len, size_t cap,
			  uint64_t now, size_t *newlen)
{
	const struct tsig_key *key = st->key;
	uint8_t mac[HMAC_MAX_SIZE];
	struct tsig_vars v;
	size_t mac_len;
	int r;

	vars_for_key(&v, key, now, (uint16_t)dns_read16(msg + DNS_OFF_ID));
	if (len + tsig_rr_size(key->name_len, key->alg_name_len, hmac_size(key->alg), 0) > cap)
		return -ENOSPC;
	mac_begin(&st->hmac, key, st->mac_len > 0 ? st->mac : NULL, st->mac_len);
	mac_message(&st->hmac, msg, len, v.original_id, false);
	mac_len = mac_end(&st->hmac, &v, st->messages > 0, mac);
	r = write_rr(msg, len, cap, &v, mac, mac_len, newlen);
	memcpy(st->mac, mac, mac_len);
	st->mac_len = mac_len;
	st->messages++;
	return r;
}

int tsig_stream_sign(struct tsig_stream *st, uint8_t *msg, size_t len, size_t cap,
		     size_t *newlen)
{
	return stream_sign_at(st, msg, len, cap, clock_now(st->clock), newlen);
}

/* Checks the next message of st at now (tsig_stream_verify). */
static int stream_verify_at(struct tsig_stream *st, const uint8_t *msg, size_t len,
			    uint64_t now)
{
	const struct tsig_key *key = st->key;
	uint8_t mac[HMAC_MAX_SIZE];
	struct wire_tsig t;
	struct tsig_vars v;
	int r = tsig_find(&t, msg, len);

	if (r == -EBADMSG)
		return RCODE_FORMERR;
	/* A run of unsigned messages is MACed whole, after the prior MAC (RFC 8945 section
	 * 5.3.1); the first message must be signed. */
	if (st->unsigned_run == 0)
		mac_begin(&st->hmac, key, st->mac_len > 0 ? st->mac : NULL, st->mac_len);
	if (r == -ENOENT) {
		if (st->messages == 0 || st->unsigned_run >= TSIG_STREAM_MAX_UNSIGNED)
			return TSIG_BADSIG;
		mac_message(&st->hmac, msg, len, (uint16_t)dns_read16(msg + DNS_OFF_ID), false);
		st->unsigned_run++;
		return 1;
	}
	st->unsigned_run = 0;
	if (!dns_name_equal(t.key_name, t.key_name_len, key->name, key->name_len) ||
	    !dns_name_equal(t.alg_name, t.alg_name_len, key->alg_name, key->alg_name_len))
		return TSIG_BADKEY;
	if (t.error != 0 && t.mac_size == 0)
		return t.error;
	if (!mac_size_allowed(key, t.mac_size))
		return TSIG_BADSIG;
	vars_from_wire(&v, &t);
	mac_message(&st->hmac, msg, t.offset, t.original_id, true);
	mac_end(&st->hmac, &v, st->messages > 0, mac);
	if (CRYPTO_memcmp(mac, t.mac, t.mac_size) != 0)
		return TSIG_BADSIG;
	memcpy(st->mac, t.mac, t.mac_size);
	st->mac_len = t.mac_size;
	st->messages++;
	if (t.error != 0)
		return t.error;
	return time_ok(&t, now) ? 0 : TSIG_BADTIME;
}

int tsig_stream_verify(struct tsig_stream *st, const uint8_t *msg, size_t len)
{
	return stream_verify_at(st, msg, len, clock_now(st->clock));
}

int tsig_stream_finish(const struct tsig_stream *st)
{
	return st->messages > 0 && st->unsigned_run == 0 ? 0 : TSIG_BADSIG;
}

int tsig_sign_request(const struct tsig_key *key, uint8_t *msg, size_t len, size_t cap,
		      uint64_t now, uint8_t mac[HMAC_MAX_SIZE], size_t *mac_len,
		      size_t *newlen)
{
	struct tsig_stream st;
	int r;

	tsig_stream_start(&st, key, NULL, 0);
	r = stream_sign_at(&st, msg, len, cap, now, newlen);
	if (r == 0) {
		memcpy(mac, st.mac, st.mac_len);
		*mac_len = st.mac_len;
	}
	return r;
}

int tsig_verify_response(const struct tsig_key *key, const uint8_t *mac, size_t mac_len,
			 const uint8_t *msg, size_t len, uint64_t now)
{
	struct tsig_stream st;

	tsig_stream_start(&st, key, mac, mac_len);
	return stream_verify_at(&st, msg, len, now);
}

const char *tsig_error_name(int error)
{
	switch (error) {
	case 0: return "TSIG";
	case RCODE_FORMERR: return "FORMERR";
	case TSIG_BADSIG: return "BADSIG";
	case TSIG_BADKEY: return "BADKEY";
	case TSIG_BADTIME: return "BADTIME";
	case TSIG_BADTRUNC: return "BADTRUNC";
	default: return "ERROR";
	}
}
