/* SPDX-License-Identifier: BSD-3-Clause */
/* tsig.h: TSIG (RFC 8945): verifying signed requests, signing answers, multi-message
 * streams for zone transfers, and signing our own requests (NOTIFY) and checking their
 * answers. Works on the exact bytes; allocates nothing. */
#ifndef DUALNS_TSIG_H
#define DUALNS_TSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmac.h"
#include "tsigkey.h"
#include "wire.h"

/* Unsigned messages a stream may hold between two signed ones (RFC 8945 section 5.3.1). */
#define TSIG_STREAM_MAX_UNSIGNED 99

/* The size of a TSIG RR with these lengths of key name, algorithm name, MAC, Other Data. */
size_t tsig_rr_size(size_t key_name_len, size_t alg_name_len, size_t mac_size,
		    size_t other_len);

/* The room to keep free in an answer signed with key: the TSIG RR with a full MAC and the
 * six bytes of a BADTIME's Other Data. */
size_t tsig_reserve(const struct tsig_key *key);

/* Verifies the request msg whose TSIG wire_parse_query() parsed into t, against the keys
 * of kr, at now (seconds since the epoch), in RFC 8945 section 5.2's order, with c as
 * scratch. Returns 0 when valid; TSIG_BADKEY for an unknown key or an algorithm that is
 * not the key's (section 5.2.1); TSIG_BADSIG when the MAC is wrong (section 5.2.2), or
 * longer than the hash or shorter than truncation allows (section 5.2.2.1 says FORMERR;
 * NSD and Knot say BADSIG, and so does this); TSIG_BADTIME when now is outside Time Signed +- Fudge (section 5.2.3). *key is
 * set when the key was found (0 and TSIG_BADTIME: the answer is signed with it), else
 * NULL. */
int tsig_verify_request(struct hmac_ctx *c, const struct tsig_keyring *kr, const uint8_t *msg,
			const struct wire_tsig *t, uint64_t now, const struct tsig_key **key);

/* Appends a TSIG to the answer msg (len bytes, room for cap) to a request whose TSIG is
 * req and whose verification gave error (tsig_verify_request's value), and
 * counts it in ARCOUNT. 0 and TSIG_BADTIME: signed with key over the request's MAC, the
 * answer and the variables (RFC 8945 section 5.3); BADTIME copies the request's Time
 * Signed and puts now in Other Data (section 5.2.3). TSIG_BADKEY and TSIG_BADSIG: an
 * unsigned TSIG (MAC Size 0) with the request's names (section 5.3.2); key may be NULL.
 * Returns 0 with *newlen set, or -ENOSPC (msg unchanged). */
int tsig_sign_answer(struct hmac_ctx *c, const struct tsig_key *key, const struct wire_tsig *req,
		     int error, uint8_t *msg, size_t len, size_t cap, uint64_t now,
		     size_t *newlen);

/* Finds and parses the TSIG of any message (a response too): the last record of the
 * additional section. Returns 0 with t filled, -ENOENT when the message has no TSIG
 * there, -EBADMSG when it is malformed. */
int tsig_find(struct wire_tsig *t, const uint8_t *msg, size_t len);

/* A multi-message exchange signed with one key (RFC 8945 section 5.3.1): an AXFR or IXFR
 * answer we send, or one we receive. Lives as long as the transfer; holds no memory. */
struct tsig_stream {
	const struct tsig_key *key;
	struct hmac_ctx hmac;
	uint8_t mac[HMAC_MAX_SIZE];  /* the request's MAC, then each signed message's */
	size_t mac_len;
	unsigned messages;           /* signed (or verified signed) so far */
	unsigned unsigned_run;       /* verifying: unsigned messages since the last signed one */
	uint64_t (*clock)(void);     /* seconds since the epoch; NULL (set by start): time() */
};

/* Starts a stream with key after the request whose MAC is request_mac (mac_len bytes):
 * the verified request of a transfer we answer, or the request we signed (tsig_sign_request). */
void tsig_stream_start(struct tsig_stream *st, const struct tsig_key *key,
		       const uint8_t *request_mac, size_t mac_len);

/* Signs the next message of the stream (msg, len bytes, room for cap): the first over the
 * request's MAC with all the TSIG variables, each later one over the previous MAC with
 * the timers only (RFC 8945 section 5.3.1). Returns 0 with *newlen set, or -ENOSPC. */
int tsig_stream_sign(struct tsig_stream *st, uint8_t *msg, size_t len, size_t cap,
		     size_t *newlen);

/* Checks the next message of a stream we receive. Returns 0 for a signed message that
 * verifies; 1 for an unsigned one that is allowed (not the first, at most
 * TSIG_STREAM_MAX_UNSIGNED in a row: it is covered by the next MAC); TSIG_BADKEY for
 * another key or algorithm; TSIG_BADSIG for a wrong MAC (or one of a size truncation
 * does not allow), an unsigned first message or too many unsigned ones; TSIG_BADTIME; the Error of a TSIG that reports one (with
 * MAC Size 0); RCODE_FORMERR for a malformed TSIG. */
int tsig_stream_verify(struct tsig_stream *st, const uint8_t *msg, size_t len);

/* At the end of a received stream: 0 when its last message was signed (RFC 8945 section
 * 5.3.1), else TSIG_BADSIG. */
int tsig_stream_finish(const struct tsig_stream *st);

/* Signs a request we send (a NOTIFY) with key at now: appends the TSIG, and keeps its MAC
 * in mac (*mac_len bytes) to check the answer with. Returns 0 with *newlen, or -ENOSPC. */
int tsig_sign_request(const struct tsig_key *key, uint8_t *msg, size_t len, size_t cap,
		      uint64_t now, uint8_t mac[HMAC_MAX_SIZE], size_t *mac_len,
		      size_t *newlen);

/* Checks the answer to a request signed with key whose MAC was mac, at now: as
 * tsig_stream_verify() for a stream of one message, an unsigned answer being TSIG_BADSIG. */
int tsig_verify_response(const struct tsig_key *key, const uint8_t *mac, size_t mac_len,
			 const uint8_t *msg, size_t len, uint64_t now);

/* The name of a TSIG error for logs ("BADSIG"), or "FORMERR", or "TSIG" for 0. */
const char *tsig_error_name(int error);

#endif
