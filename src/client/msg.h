/* SPDX-License-Identifier: BSD-3-Clause */
/* msg.h: a read-only view of a DNS message's raw bytes, for dualq's checks (no allocation, no ldns). */
#ifndef DUALQ_MSG_H
#define DUALQ_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"

enum msg_section { MSG_QD = 0, MSG_AN = 1, MSG_NS = 2, MSG_AR = 3 };

#define MSG_NSID_MAX 64  /* NSID bytes dualq keeps and prints */
#define MSG_COOKIE_MAX 40 /* COOKIE bytes kept: the longest option RFC 7873 section 4 allows */

/* What dualq needs to know about a message, read straight from its bytes. */
struct msg_view {
	uint16_t id;
	uint16_t flags;           /* the whole second header word, opcode and rcode included */
	uint16_t count[4];        /* QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT as the header claims */
	uint16_t present[4];      /* records actually present and whole, per section */
	bool complete;            /* every counted record is present and whole */
	size_t trailing;          /* bytes after the last counted record */
	/* The first question, names lowercased only where noted. */
	bool has_question;
	uint8_t qname[DNS_MAX_NAME];  /* uncompressed wire form, case as sent */
	size_t qname_len;
	uint16_t qtype, qclass;
	/* EDNS (RFC 6891): the first OPT in the additional section. */
	unsigned opt_count;
	bool has_opt;
	uint16_t opt_udp_size;
	uint8_t opt_ext_rcode, opt_version;
	bool opt_do;
	bool has_nsid;
	uint8_t nsid[MSG_NSID_MAX];
	size_t nsid_len;          /* bytes kept in nsid (at most MSG_NSID_MAX) */
	/* The first COOKIE option (RFC 7873 section 5.3: the others are ignored). */
	bool has_cookie;
	uint8_t cookie[MSG_COOKIE_MAX];
	size_t cookie_len;        /* the option's length as sent; bytes kept: at most MSG_COOKIE_MAX */
};

/* One resource record as found in a message; owner decompressed and lowercased. */
struct msg_rr {
	enum msg_section section;
	uint8_t owner[DNS_MAX_NAME];
	size_t owner_len;
	uint16_t type, rclass;
	uint32_t ttl;
	size_t rdata_off;
	uint16_t rdlen;
};

/* Walks the records of a message in order, question excluded. */
struct msg_iter {
	const uint8_t *wire;
	size_t len, off;
	enum msg_section section;
	uint16_t left;            /* records left in the current section */
	uint16_t count[4];
};

/* Fills *v from wire[0..len). Returns 0 when the header and question could be read
 * (the records may still be incomplete: see v->complete), -EINVAL when the message is
 * shorter than a header, -EBADMSG when the question is malformed or cut. */
int msg_parse(struct msg_view *v, const uint8_t *wire, size_t len);

/* Reads a possibly compressed name at wire[*off], writes it uncompressed to out
 * (lowercased when lower is true) and advances *off past it in the message.
 * Returns the name's wire length, or -EBADMSG on a loop, overrun or bad label. */
int msg_name_read(uint8_t *out, const uint8_t *wire, size_t len, size_t *off, bool lower);

/* Positions it at the first record after the question. Returns 0, -EBADMSG. */
int msg_iter_init(struct msg_iter *it, const uint8_t *wire, size_t len);

/* Reads the next whole record. Returns true with *rr filled, false at the end or at
 * the first record that is cut or malformed. */
bool msg_iter_next(struct msg_iter *it, struct msg_rr *rr);

/* The 12-bit RCODE: header RCODE plus the OPT extended bits (RFC 6891 section 6.1.3). */
unsigned msg_rcode(const struct msg_view *v);

/* Writes name (uncompressed wire form) as presentation text, e.g. "www.example.com.". */
void msg_name_str(char *buf, size_t buflen, const uint8_t *name, size_t name_len);

/* Mnemonics for the types and RCODEs dualq prints in its trace; "TYPEnnn" and
 * "RCODEnnn" for the rest (RFC 3597 section 5). */
void msg_type_str(char *buf, size_t buflen, uint16_t type);
void msg_rcode_str(char *buf, size_t buflen, unsigned rcode);

#endif
