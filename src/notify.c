/* SPDX-License-Identifier: BSD-3-Clause */
/* notify.c: sending NOTIFY (RFC 1996) to a zone's targets over UDP from the main loop, with retries, and matching the answers. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "container.h"
#include "log.h"
#include "netio.h"
#include "notify.h"
#include "tsig.h"
#include "zoneconf.h"

/* Datagrams read per wake-up of a socket's watcher: a flood of junk cannot hold the main
 * loop, and what is left is read at the next iteration. */
#define NOTIFY_READ_BATCH 64

/* Room for the TSIG record a key will add to a request (RFC 8945 section 4.2: a key name,
 * an algorithm name, a MAC of up to 64 bytes and the fixed fields). */
#define NOTIFY_TSIG_ROOM (2 * DNS_MAX_NAME + 64 + 32)

/* Room for an origin in presentation form (every byte escaped as \DDD at worst). */
#define NOTIFY_ORIGIN_TEXT_MAX (DNS_MAX_NAME * 4 + 1)
/* Room for "ORIGIN serial N to ADDRESS key KEY" (pending_describe). */
#define NOTIFY_DESCRIBE_MAX (NOTIFY_ORIGIN_TEXT_MAX + NETIO_ADDRSTRLEN + NOTIFY_KEY_MAX + 32)

/* One zone announced to one target. */
struct notify_pending {
	struct notify_pending *next;
	struct notifier *n;
	struct notify_target target;   /* a copy: the list it came from may be replaced */
	char origin_text[NOTIFY_ORIGIN_TEXT_MAX];
	uint8_t origin[DNS_MAX_NAME];
	size_t origin_len;
	uint32_t serial;
	unsigned sent;
	ev_timer timer;
	uint8_t msg[NOTIFY_MSG_MAX];   /* unsigned: notify_sign_request() signs each send */
	size_t msg_len;
	bool signed_;                  /* the target has a key: key is a copy of it */
	struct tsig_key key;
	uint8_t mac[HMAC_MAX_SIZE];    /* the MAC of the last send, to check the answer with */
	size_t mac_len;
};

static int family_slot(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

/* Splits an optional "@PORT" off and parses the address before it into t. */
static int target_addr(struct notify_target *t, const char *addr, size_t addr_len,
		       const char *port, size_t port_len)
{
	char a[NETIO_ADDRSTRLEN], p[8];
	unsigned long v = 53;
	char *end;

	if (addr_len >= 2 && addr[0] == '[' && addr[addr_len - 1] == ']') {
		addr++;
		addr_len -= 2;
	}
	if (addr_len == 0 || addr_len >= sizeof(a))
		return -EINVAL;
	memcpy(a, addr, addr_len);
	a[addr_len] = '\0';
	if (port != NULL) {
		if (port_len == 0 || port_len >= sizeof(p) || port[0] < '0' || port[0] > '9')
			return -EINVAL;
		memcpy(p, port, port_len);
		p[port_len] = '\0';
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
			return -EINVAL;
	}
	return netio_addr_parse(&t->addr, &t->addr_len, a, (uint16_t)v);
}

int notify_target_parse(struct notify_target *t, const char *text, char *err, size_t errlen)
{
	const char *at = strchr(text, '@'), *key = NULL, *colon, *port = NULL;
	size_t addr_len, port_len = 0;
	int r;

	memset(t, 0, sizeof(*t));
	if (at != NULL) {
		addr_len = (size_t)(at - text);
		port = at + 1;
		colon = strchr(port, ':');
		port_len = colon != NULL ? (size_t)(colon - port) : strlen(port);
		key = colon != NULL ? colon + 1 : NULL;
	} else if (text[0] == '[') {
		colon = strstr(text, "]:");
		addr_len = colon != NULL ? (size_t)(colon - text) + 1 : strlen(text);
		key = colon != NULL ? colon + 2 : NULL;
	} else if (target_addr(t, text, strlen(text), NULL, 0) == 0) {
		addr_len = strlen(text);
	} else {
		colon = strrchr(text, ':');
		addr_len = colon != NULL ? (size_t)(colon - text) : strlen(text);
		key = colon != NULL ? colon + 1 : NULL;
	}
	r = target_addr(t, text, addr_len, port, port_len);
	if (r == 0 && key != NULL && (key[0] == '\0' || strlen(key) > NOTIFY_KEY_MAX))
		r = -EINVAL;
	if (r < 0) {
		snprintf(err, errlen, "'%s' is not ADDRESS[@PORT][:KEYNAME] (a numeric "
			 "IPv4 or IPv6 address, PORT from 1 to 65535, a key name of 1 to %d "
			 "characters)", text, NOTIFY_KEY_MAX);
		return -EINVAL;
	}
	if (key != NULL)
		memcpy(t->key, key, strlen(key) + 1);
	return 0;
}

ssize_t notify_msg_build(uint8_t *buf, size_t len, const struct zone *z, uint16_t id)
{
	const uint8_t *rr = z->soa->data;
	size_t rdlen = dns_read16(rr), need;
	uint8_t *p = buf;

	need = DNS_HEADER_SIZE + z->origin_len + DNS_QUESTION_FIXED_SIZE + 2 + DNS_RR_FIXED_SIZE +
	       rdlen;
	if (need > len)
		return -ENOSPC;
	memset(p, 0, DNS_HEADER_SIZE);
	dns_write16(p + DNS_OFF_ID, id);
	/* RFC 1996 section 3.3: opcode NOTIFY, AA set, QR clear. */
	dns_write16(p + DNS_OFF_FLAGS, (DNS_OPCODE_NOTIFY << 11) | DNS_FLAG_AA);
	dns_write16(p + DNS_OFF_QDCOUNT, 1);
	/* RFC 1996 section 3.7: the SOA the secondary may use as a hint. */
	dns_write16(p + DNS_OFF_ANCOUNT, 1);
	p += DNS_HEADER_SIZE;
	memcpy(p, z->origin, z->origin_len);
	p += z->origin_len;
	dns_write16(p, DNS_TYPE_SOA);
	dns_write16(p + 2, DNS_CLASS_IN);
	p += DNS_QUESTION_FIXED_SIZE;
	/* The owner is the question's name, at the end of the header. */
	dns_write16(p, 0xc000 | DNS_HEADER_SIZE);
	p += 2;
	dns_write16(p + DNS_RR_OFF_TYPE, DNS_TYPE_SOA);
	dns_write16(p + DNS_RR_OFF_CLASS, DNS_CLASS_IN);
	dns_write32(p + DNS_RR_OFF_TTL, z->soa->ttl);
	dns_write16(p + DNS_RR_OFF_RDLENGTH, (unsigned)rdlen);
	p += DNS_RR_FIXED_SIZE;
	memcpy(p, rr + RR_HEADER_SIZE, rdlen);
	return (ssize_t)need;
}

static bool same_peer(const struct sockaddr_storage *a, const struct sockaddr *b,
		      socklen_t b_len)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (b->sa_family == AF_INET && b_len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (b->sa_family == AF_INET6 && b_len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}

static uint8_t ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

int notify_match(const uint8_t *msg, size_t msg_len, const struct notify_target *target,
		 const uint8_t *resp, size_t resp_len, const struct sockaddr *from,
		 socklen_t from_len)
{
	size_t qend = DNS_HEADER_SIZE, i;
	unsigned flags;

	if (!same_peer(&target->addr, from, from_len) || resp_len < DNS_HEADER_SIZE ||
	    msg_len < DNS_HEADER_SIZE)
		return NOTIFY_IGNORE;
	/* Our own question: uncompressed, and built by notify_msg_build(). */
	while (qend < msg_len && msg[qend] != 0)
		qend += 1u + msg[qend];
	qend += 1 + DNS_QUESTION_FIXED_SIZE;
	flags = dns_read16(resp + DNS_OFF_FLAGS);
	if (dns_read16(resp + DNS_OFF_ID) != dns_read16(msg + DNS_OFF_ID) ||
	    (flags & DNS_FLAG_QR) == 0 || DNS_OPCODE(flags) != DNS_OPCODE_NOTIFY ||
	    dns_read16(resp + DNS_OFF_QDCOUNT) != 1 || resp_len < qend || qend > msg_len)
		return NOTIFY_IGNORE;
	/* RFC 4343 section 3: names compare case-insensitively; a compression pointer here
	 * could only point into the header, so it never matches a label length. */
	for (i = DNS_HEADER_SIZE; i < qend; i++)
		if (ascii_lower(resp[i]) != ascii_lower(msg[i]))
			return NOTIFY_IGNORE;
	return (int)DNS_RCODE(flags);
}

/* The message to send into buf: for a target with a key, signed now (RFC 8945 section
 * 5.1), each send with its own time and so its own MAC, kept to check the answer with.
 * Returns the length to send, or -ENOSPC. */
static ssize_t notify_sign_request(struct notify_pending *p, uint8_t *buf, size_t cap)
{
	size_t len;

	if (p->msg_len > cap)
		return -ENOSPC;
	memcpy(buf, p->msg, p->msg_len);
	if (!p->signed_)
		return (ssize_t)p->msg_len;
	if (tsig_sign_request(&p->key, buf, p->msg_len, cap, (uint64_t)time(NULL), p->mac,
			      &p->mac_len, &len) < 0)
		return -ENOSPC;
	return (ssize_t)len;
}

/* The answer to a signed NOTIFY must be signed with the same key over the last send's MAC
 * (RFC 8945 section 5.4); one that fails is ignored like a forged one (section 5.5). */
static bool notify_verify_response(const struct notify_pending *p, const uint8_t *resp,
				   size_t resp_len)
{
	if (!p->signed_)
		return true;
	return tsig_verify_response(&p->key, p->mac, p->mac_len, resp, resp_len,
				    (uint64_t)time(NULL)) == 0;
}

static void pending_describe(const struct notify_pending *p, char *buf, size_t len)
{
	char addr[NETIO_ADDRSTRLEN];

	netio_addr_format(addr, sizeof(addr), (const struct sockaddr *)&p->target.addr);
	snprintf(buf, len, "%s serial %lu to %s%s%s", p->origin_text, (unsigned long)p->serial,
		 addr, p->target.key[0] != '\0' ? " key " : "", p->target.key);
}

static void pending_remove(struct notify_pending *p)
{
	struct notify_pending **pp = &p->n->pending;

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	ev_timer_stop(p->n->loop, &p->timer);
	free(p);
}

static int notify_socket(struct notifier *n, int family, char *err, size_t errlen);

/* Sends p once more and waits retry seconds for the answer. */
static void pending_send(struct notify_pending *p)
{
	struct notifier *n = p->n;
	uint8_t buf[NOTIFY_MSG_MAX + NOTIFY_TSIG_ROOM];
	char err[128];
	int family = p->target.addr.ss_family, fd;
	ssize_t len = notify_sign_request(p, buf, sizeof(buf));

	/* A zone's own targets (the configuration file) may use a family the server-wide
	 * ones did not: its socket opens with the first NOTIFY that needs it. */
	if (n->fd[family_slot(family)] < 0 && notify_socket(n, family, err, sizeof(err)) < 0)
		log_error("%s", err);
	fd = n->fd[family_slot(family)];

	p->sent++;
	stats_add(&n->stats.notify_sent, 1);
	if (len > 0 && fd >= 0 &&
	    sendto(fd, buf, (size_t)len, 0, (const struct sockaddr *)&p->target.addr,
		   p->target.addr_len) < 0) {
		char what[NOTIFY_DESCRIBE_MAX];

		/* The try counts: an unreachable target is retried like a silent one. */
		pending_describe(p, what, sizeof(what));
		log_debug("notify: %s: send %u failed: %s", what, p->sent, strerror(errno));
	}
	ev_timer_set(&p->timer, p->n->retry, 0.);
	ev_timer_start(n->loop, &p->timer);
}

static void pending_timer_cb(struct ev_loop *loop, ev_timer *timer, int revents)
{
	struct notify_pending *p = container_of(timer, struct notify_pending, timer);
	char what[NOTIFY_DESCRIBE_MAX];

	(void)loop;
	(void)revents;
	if (p->sent < p->n->tries) {
		pending_send(p);
		return;
	}
	pending_describe(p, what, sizeof(what));
	log_warning("notify: %s: no answer after %u tr%s, giving up", what, p->sent,
		    p->sent == 1 ? "y" : "ies");
	stats_add(&p->n->stats.notify_failed, 1);
	pending_remove(p);
}

/* An answer that matched p: NOERROR acknowledges (RFC 1996 section 4.7); any other RCODE
 * means the target does not take NOTIFY for the zone from us, and more tries would not
 * change that. */
static void pending_answered(struct notify_pending *p, int rcode)
{
	char what[NOTIFY_DESCRIBE_MAX];
	const char *name = dns_rcode_text((unsigned)rcode);

	pending_describe(p, what, sizeof(what));
	if (rcode == RCODE_NOERROR) {
		log_info("notify: %s: acknowledged after %u tr%s", what, p->sent,
			 p->sent == 1 ? "y" : "ies");
		stats_add(&p->n->stats.notify_acked, 1);
	} else {
		log_warning("notify: %s: refused with %s (RCODE %d)", what,
			    name != NULL ? name : "an unassigned RCODE", rcode);
		stats_add(&p->n->stats.notify_failed, 1);
	}
	pending_remove(p);
}

static void notify_read_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct notifier *n = io->data;
	uint8_t resp[DNS_MSG_MAX];
	struct sockaddr_storage from;
	struct notify_pending *p;
	socklen_t from_len;
	ssize_t len;
	unsigned i;
	int rcode;

	(void)loop;
	(void)revents;
	for (i = 0; i < NOTIFY_READ_BATCH; i++) {
		from_len = sizeof(from);
		len = recvfrom(io->fd, resp, sizeof(resp), 0, (struct sockaddr *)&from, &from_len);
		if (len < 0)
			return; /* EAGAIN, or an ICMP error queued by a send: nothing to read */
		for (p = n->pending; p != NULL; p = p->next) {
			rcode = notify_match(p->msg, p->msg_len, &p->target, resp, (size_t)len,
					     (const struct sockaddr *)&from, from_len);
			if (rcode >= 0 && notify_verify_response(p, resp, (size_t)len)) {
				pending_answered(p, rcode);
				break;
			}
		}
	}
}

static int notify_socket(struct notifier *n, int family, char *err, size_t errlen)
{
	struct sockaddr_storage any;
	socklen_t any_len;
	int slot = family_slot(family), one = 1, fd;

	if (n->fd[slot] >= 0)
		return 0;
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	(void)netio_addr_parse(&any, &any_len, family == AF_INET6 ? "::" : "0.0.0.0", 0);
	/* An ephemeral port of its own (RFC 5452 section 9.2: a port an attacker must guess,
	 * like the ID); v6-only so that it never sees IPv4 traffic. */
	if ((family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, (const struct sockaddr *)&any, any_len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		goto fail;
	}
	n->fd[slot] = fd;
	ev_io_init(&n->io[slot], notify_read_cb, fd, EV_READ);
	n->io[slot].data = n;
	ev_io_start(n->loop, &n->io[slot]);
	return 0;
fail:
	snprintf(err, errlen, "notify: cannot open a UDP socket for %s: %s",
		 family == AF_INET6 ? "IPv6" : "IPv4", strerror(errno));
	return -errno;
}

int notifier_init(struct notifier *n, struct ev_loop *loop, const struct notify_target *targets,
		  size_t target_count, double retry, unsigned tries, char *err, size_t errlen)
{
	size_t i;
	int r;

	memset(n, 0, sizeof(*n));
	n->loop = loop;
	n->targets = targets;
	n->target_count = target_count;
	n->retry = retry;
	n->tries = tries;
	n->fd[0] = n->fd[1] = -1;
	for (i = 0; i < target_count; i++) {
		r = notify_socket(n, targets[i].addr.ss_family, err, errlen);
		if (r < 0) {
			notifier_free(n);
			return r;
		}
	}
	return 0;
}

const struct notify_target *notify_targets_for(const struct notifier *n, const struct zone *z,
					       size_t *count)
{
	const struct zoneconf_zone *zz = zoneconf_find(n->zoneconf, z->origin, z->origin_len);

	if (zz != NULL && zz->has_notify) {
		*count = zz->notify_count;
		return zz->notify;
	}
	*count = n->target_count;
	return n->targets;
}

static struct notify_pending *pending_find(const struct notifier *n, const struct zone *z,
					   const struct notify_target *t)
{
	struct notify_pending *p;

	for (p = n->pending; p != NULL; p = p->next)
		if (dns_name_equal(p->origin, p->origin_len, z->origin, z->origin_len) &&
		    p->target.addr_len == t->addr_len &&
		    memcmp(&p->target.addr, &t->addr, t->addr_len) == 0 &&
		    strcmp(p->target.key, t->key) == 0)
			return p;
	return NULL;
}

/* Copies the key target t names from the keyring into p. Returns false, with one line,
 * when there is no such key: a NOTIFY the target would refuse is not sent unsigned. */
static bool pending_key(struct notify_pending *p, const struct notifier *n,
			const struct notify_target *t)
{
	uint8_t name[DNS_MAX_NAME];
	char why[128];
	const struct tsig_key *key;
	size_t len;

	p->signed_ = t->key[0] != '\0';
	if (!p->signed_)
		return true;
	len = tsig_key_name_wire(name, t->key, why, sizeof(why));
	key = len > 0 ? tsig_keyring_find(n->keys, name, len) : NULL;
	if (key == NULL) {
		log_error("notify: %s: no TSIG key named %s; not sent", p->origin_text, t->key);
		return false;
	}
	p->key = *key;
	return true;
}

int notify_zone(struct notifier *n, const struct zone *z)
{
	const struct notify_target *targets;
	struct notify_pending *p;
	size_t count, i;
	uint16_t id;
	ssize_t len;

	if (!z->ok || z->soa == NULL)
		return 0;
	targets = notify_targets_for(n, z, &count);
	for (i = 0; i < count; i++) {
		p = pending_find(n, z, &targets[i]);
		if (p == NULL) {
			p = calloc(1, sizeof(*p));
			if (p == NULL)
				return -ENOMEM;
			p->n = n;
			p->target = targets[i];
			memcpy(p->origin, z->origin, z->origin_len);
			p->origin_len = z->origin_len;
			snprintf(p->origin_text, sizeof(p->origin_text), "%s", z->origin_text);
			ev_timer_init(&p->timer, pending_timer_cb, n->retry, 0.);
			p->next = n->pending;
			n->pending = p;
		} else {
			/* A newer serial replaces the one pending: fresh tries, a new ID. */
			ev_timer_stop(n->loop, &p->timer);
		}
		if (!pending_key(p, n, &targets[i])) {
			pending_remove(p);
			continue;
		}
		/* RFC 5452 section 9.2: a random ID, so that a forged answer must guess it. */
		randombytes_buf(&id, sizeof(id));
		len = notify_msg_build(p->msg, sizeof(p->msg), z, id);
		if (len < 0) {
			pending_remove(p);
			continue;
		}
		p->msg_len = (size_t)len;
		p->serial = z->serial;
		p->sent = 0;
		pending_send(p);
	}
	return 0;
}

/* notify_zone(), and a line when it could not. */
static void notify_announce(struct notifier *n, const struct zone *z)
{
	if (notify_zone(n, z) < 0)
		log_error("notify: out of memory; %s not announced", z->origin_text);
}

void notify_db(struct notifier *n, const struct db *db)
{
	size_t i;

	n->keys = db != NULL ? db->tsig : NULL;
	n->zoneconf = db != NULL ? db->zoneconf : NULL;
	for (i = 0; db != NULL && i < db->zone_count; i++)
		notify_announce(n, db->zones[i]);
}

void notify_reload(struct notifier *n, const struct db *old, const struct db *db)
{
	struct notify_pending *p, *next;
	const struct zone *z, *was;
	char what[NOTIFY_DESCRIBE_MAX];
	size_t i;

	n->keys = db->tsig;
	n->zoneconf = db->zoneconf;
	for (p = n->pending; p != NULL; p = next) {
		next = p->next;
		if (db_find_origin(db, p->origin, p->origin_len) != NULL)
			continue;
		pending_describe(p, what, sizeof(what));
		log_info("notify: %s: cancelled, the zone was removed", what);
		pending_remove(p);
	}
	for (i = 0; i < db->zone_count; i++) {
		z = db->zones[i];
		was = old != NULL ? db_find_origin(old, z->origin, z->origin_len) : NULL;
		if (!z->ok || (was != NULL && was->ok && was->serial == z->serial))
			continue;
		notify_announce(n, z);
	}
}

size_t notifier_pending_count(const struct notifier *n)
{
	const struct notify_pending *p;
	size_t count = 0;

	for (p = n->pending; p != NULL; p = p->next)
		count++;
	return count;
}

void notifier_free(struct notifier *n)
{
	int i;

	if (n->loop == NULL)
		return; /* never set up */
	while (n->pending != NULL)
		pending_remove(n->pending);
	for (i = 0; i < 2; i++) {
		if (n->fd[i] < 0)
			continue;
		ev_io_stop(n->loop, &n->io[i]);
		close(n->fd[i]);
		n->fd[i] = -1;
	}
	n->loop = NULL;
}
