/* SPDX-License-Identifier: BSD-3-Clause */
/* notify.h: the NOTIFY sender (RFC 1996): a zone's new serial announced to its targets over UDP, retried from the main loop until answered. */
#ifndef DUALNS_NOTIFY_H
#define DUALNS_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <ev.h>

#include "dns.h"
#include "stats.h"
#include "zonedb.h"


#define NOTIFY_DEFAULT_RETRY 15   /* seconds between sends of one NOTIFY */
#define NOTIFY_DEFAULT_TRIES 5    /* sends before giving up */
#define NOTIFY_MAX_RETRY     3600
#define NOTIFY_MAX_TRIES     100
#define NOTIFY_MAX_TARGETS   32   /* --also-notify */
#define NOTIFY_KEY_MAX       255  /* a key's name, presentation form */

/* A header, the question (origin, SOA, IN), the SOA (owner compressed to the question's
 * name; MNAME and RNAME uncompressed, 255 bytes each at most, and five numbers). */
#define NOTIFY_MSG_MAX (DNS_HEADER_SIZE + DNS_MAX_NAME + DNS_QUESTION_FIXED_SIZE + 2 + \
			DNS_RR_FIXED_SIZE + 2 * DNS_MAX_NAME + 20)

/* Where a NOTIFY goes: an address and port, and the TSIG key that signs it ("" for
 * none). */
struct notify_target {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char key[NOTIFY_KEY_MAX + 1];
};

/* Parses ADDR[@PORT][:KEYNAME] (port default 53): an IPv4 or IPv6 address, optionally in
 * brackets ("[::1]:key": an IPv6 address with a key and no port must be bracketed or
 * given its port, since a key name could be read as the address's last group).
 * Returns 0, or -EINVAL with err saying what is wrong (without naming where the text
 * came from: the caller adds the option, or the file and line). */
int notify_target_parse(struct notify_target *t, const char *text, char *err, size_t errlen);

/* Writes a NOTIFY for zone z (ok: it has an SOA) with this ID into buf: opcode NOTIFY,
 * AA, the question (origin, SOA, IN) and the zone's SOA in the answer section (RFC 1996
 * sections 3.3 and 3.7). Returns the length, or -ENOSPC when len is too small. */
ssize_t notify_msg_build(uint8_t *buf, size_t len, const struct zone *z, uint16_t id);

/* What a datagram received means for the NOTIFY msg (msg_len bytes) sent to target. */
enum notify_verdict {
	NOTIFY_IGNORE = -1,  /* not its answer: another source, ID or question, QR clear,
			      * another opcode, or not a DNS message */
	/* else the answer's RCODE: NOERROR acknowledges, any other ends it too */
};

/* Decides whether the datagram resp (resp_len bytes) from `from` answers msg, the NOTIFY
 * sent to target: the same address and port, QR set, opcode NOTIFY, the same ID and the
 * same question (RFC 1996 section 4.7; case-insensitive). Returns the RCODE (>= 0), or
 * NOTIFY_IGNORE. Reads nothing past resp_len. */
int notify_match(const uint8_t *msg, size_t msg_len, const struct notify_target *target,
		 const uint8_t *resp, size_t resp_len, const struct sockaddr *from,
		 socklen_t from_len);

struct notify_pending;

/* The sender: one UDP socket per address family (bound to an ephemeral port), watched in
 * the main loop; one struct notify_pending per (zone, target) being announced. */
struct notifier {
	struct ev_loop *loop;
	const struct notify_target *targets; /* server-wide (--also-notify) */
	size_t target_count;
	double retry;                        /* seconds between sends */
	unsigned tries;                      /* sends before giving up */
	int fd[2];                           /* IPv4, IPv6; -1 when none */
	ev_io io[2];
	struct notify_pending *pending;      /* a list */
	/* The keys of the db announced last (notify_db, notify_reload): a target's key is
	 * looked up here when its NOTIFY starts, and copied into it. NULL: none. */
	const struct tsig_keyring *keys;
	/* The zone configuration of that db (zoneconf.h): a zone's own notify list. */
	const struct zoneconf *zoneconf;
	struct stats stats;                  /* notify_sent, notify_acked, notify_failed */
};

/* Sets n up in loop for these targets (kept, not copied). Opens a socket for each
 * address family the targets use. Returns 0, or -errno with err naming the family (the
 * caller logs it; nothing is left open). */
int notifier_init(struct notifier *n, struct ev_loop *loop, const struct notify_target *targets,
		  size_t target_count, double retry, unsigned tries, char *err, size_t errlen);

/* The targets of zone z: its own notify list from the configuration file (the
 * zoneconf of the db announced last) when it has one, else the server-wide list
 * (--also-notify). Sets *count. */
const struct notify_target *notify_targets_for(const struct notifier *n, const struct zone *z,
					       size_t *count);

/* Announces z's current serial to each of its targets: sends at once, then every retry
 * seconds until answered or tries sends are made. A pending NOTIFY of the same zone to
 * the same target is replaced (new serial, new ID, fresh tries). z is not kept: the
 * message is built now. A zone that is not ok is skipped. Returns 0 or -ENOMEM. */
int notify_zone(struct notifier *n, const struct zone *z);

/* Announces every ok zone of db (after the first load). */
void notify_db(struct notifier *n, const struct db *db);

/* After a reload from old to db: announces each ok zone of db whose serial differs from
 * old's zone of the same origin (or that old did not have), and cancels the pending
 * NOTIFYs of zones db no longer has. */
void notify_reload(struct notifier *n, const struct db *old, const struct db *db);

/* NOTIFYs still waiting for an answer. */
size_t notifier_pending_count(const struct notifier *n);

/* Stops every timer and watcher, closes the sockets and frees what is pending (nothing
 * is logged for it). */
void notifier_free(struct notifier *n);

#endif
