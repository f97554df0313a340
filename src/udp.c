/* SPDX-License-Identifier: BSD-3-Clause */
/* udp.c: a reader thread per UDP socket: read datagrams in batches (recvmmsg), answer each, send the answers back in one call (sendmmsg) from the address they came to. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dns.h"
#include "udp.h"

/* Datagrams per recvmmsg()/sendmmsg() call: one system call each way for up to this
 * many queries is most of the gain (the kernel work per datagram stays); beyond 32 the
 * saving per call is small while a batch holds the socket longer. */
#define UDP_BATCH 32
/* Batches udp_drain() reads at most: a socket withdrawn from the SO_REUSEPORT group
 * receives nothing new, so this only bounds a drain whose withdrawal failed. */
#define UDP_DRAIN_ROUNDS 256

/* Distance between two request slots: room for the largest datagram, plus a skew of two
 * cache lines. Slots exactly 64 KiB apart would all start in the same set of the L1 and
 * L2 caches (their index bits stop below 64 KiB), so that only 8 of a batch's requests
 * (8 ways) could stay cached between the passes over them; with the skew the 32 slots
 * start in 32 different sets. */
#define UDP_REQ_STRIDE (((size_t)DNS_MSG_MAX + 1) + 128)

#define UDP_CONTROL_SIZE                                              \
	(CMSG_SPACE(sizeof(struct in6_pktinfo)) > CMSG_SPACE(sizeof(struct in_pktinfo)) \
		 ? CMSG_SPACE(sizeof(struct in6_pktinfo))                   \
		 : CMSG_SPACE(sizeof(struct in_pktinfo)))

/* One datagram of a batch and what is needed to answer it. The received msghdr
 * (batch->in[i]) and the answer's (batch->out[k]) both point here. */
struct udp_msg {
	struct sockaddr_storage peer;
	struct iovec req_iov;
	struct iovec resp_iov;
	union {
		struct cmsghdr align;
		uint8_t buf[UDP_CONTROL_SIZE];
	} control;
};

/* Allocated once per reader; answering a batch allocates nothing. */
struct udp_batch {
	struct mmsghdr in[UDP_BATCH];
	struct mmsghdr out[UDP_BATCH];     /* the answers, packed: dropped queries leave no gap */
	struct udp_msg msg[UDP_BATCH];
	struct db_hint hint[UDP_BATCH];     /* from the batch's first prefetch pass to its second */
	struct wire_qname qname[UDP_BATCH]; /* each question's name, parsed by the prefetch */
	bool qname_ok[UDP_BATCH];
	uint8_t *req;                      /* UDP_BATCH slots of DNS_MSG_MAX bytes, UDP_REQ_STRIDE apart */
	uint8_t *resp;                     /* UDP_BATCH slots of resp_size bytes */
	size_t resp_size;
};

static void udp_batch_free(struct udp_batch *b);

/* The buffers a reader reads and answers a batch of datagrams with: answers of up to
 * resp_size bytes (the --udp-size limit, 512..65535). NULL when out of memory. */
static struct udp_batch *udp_batch_new(size_t resp_size)
{
	struct udp_batch *b = calloc(1, sizeof(*b));
	size_t i;

	if (b == NULL)
		return NULL;
	/* A query may be any datagram up to the largest UDP payload, so each request slot
	 * takes 64 KiB of address space, 2 MiB a worker; only the pages the kernel writes
	 * to become resident (about one per slot for real queries). The answers need no
	 * more than the UDP limit: query_process() keeps to it (RFC 6891 section 7). */
	b->req = malloc((size_t)UDP_BATCH * UDP_REQ_STRIDE);
	b->resp = malloc((size_t)UDP_BATCH * resp_size);
	if (b->req == NULL || b->resp == NULL) {
		udp_batch_free(b);
		return NULL;
	}
	b->resp_size = resp_size;
	for (i = 0; i < UDP_BATCH; i++) {
		struct udp_msg *m = &b->msg[i];

		m->req_iov.iov_base = b->req + i * UDP_REQ_STRIDE;
		m->req_iov.iov_len = DNS_MSG_MAX;
		m->resp_iov.iov_base = b->resp + i * resp_size;
		b->in[i].msg_hdr.msg_name = &m->peer;
		b->in[i].msg_hdr.msg_iov = &m->req_iov;
		b->in[i].msg_hdr.msg_iovlen = 1;
		b->in[i].msg_hdr.msg_control = m->control.buf;
	}
	return b;
}

static void udp_batch_free(struct udp_batch *b)
{
	if (b == NULL)
		return;
	free(b->req);
	free(b->resp);
	free(b);
}

/* Receives up to UDP_BATCH datagrams into the batch (in[i].msg_len bytes each, possibly
 * 0), with the recvmmsg() flags (MSG_WAITFORONE: waits up to UDP_WAIT_MS for the first;
 * MSG_DONTWAIT: never waits). Returns how many, 0 when none came, -errno on another
 * error. */
static int udp_recv_batch(struct udp_reader *r, struct udp_batch *b, int flags)
{
	int n;

	do {
		n = recvmmsg(r->net->udp_fd, b->in, UDP_BATCH, flags, NULL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
	return n;
}

/* Makes the first count headers of the batch ready for the next recvmmsg(), which wrote
 * their lengths and flags: only those, as a batch at a light load holds one or two
 * datagrams, and rewriting all UDP_BATCH headers after each would touch 32 cache lines a
 * wake-up for nothing. The kernel writes a header back only for a datagram it returns;
 * count is one more than that, for the call that stopped the batch. */
static void udp_recv_reset(const struct udp_reader *r, struct udp_batch *b, int count)
{
	int i;

	if (count > UDP_BATCH)
		count = UDP_BATCH;
	for (i = 0; i < count; i++) {
		struct msghdr *hdr = &b->in[i].msg_hdr;

		hdr->msg_namelen = sizeof(b->msg[i].peer);
		/* Only a wildcard socket asked for PKTINFO; the others get no control data. */
		hdr->msg_controllen = r->net->wildcard ? sizeof(b->msg[i].control.buf) : 0;
		hdr->msg_flags = 0;
	}
}

/* Sets the control data of the answer (out) from what the query (in) carried: the source
 * address is the query's destination address (RFC 2181 section 4). For IPv4 the
 * interface is left to the routing table (ipi_ifindex 0) and only the source is pinned;
 * for IPv6 the interface is kept, which a link-local destination needs. Both headers
 * share one control buffer, rewritten in place. Leaves no control data when the query
 * carried none. */
static void udp_answer_control(const struct udp_reader *r, struct msghdr *in,
			       struct msghdr *out)
{
	struct cmsghdr *cmsg;
	uint8_t pktinfo[sizeof(struct in6_pktinfo)];
	size_t pktinfo_len = 0;
	int level = 0, type = 0;

	out->msg_control = NULL;
	out->msg_controllen = 0;
	if (!r->net->wildcard)
		return;
	for (cmsg = CMSG_FIRSTHDR(in); cmsg != NULL; cmsg = CMSG_NXTHDR(in, cmsg)) {
		if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo inpi;

			memcpy(&inpi, CMSG_DATA(cmsg), sizeof(inpi));
			inpi.ipi_spec_dst = inpi.ipi_addr;
			inpi.ipi_ifindex = 0;
			memcpy(pktinfo, &inpi, sizeof(inpi));
			pktinfo_len = sizeof(inpi);
			level = IPPROTO_IP;
			type = IP_PKTINFO;
			break;
		}
		if (cmsg->cmsg_level == IPPROTO_IPV6 && cmsg->cmsg_type == IPV6_PKTINFO) {
			memcpy(pktinfo, CMSG_DATA(cmsg), sizeof(struct in6_pktinfo));
			pktinfo_len = sizeof(struct in6_pktinfo);
			level = IPPROTO_IPV6;
			type = IPV6_PKTINFO;
			break;
		}
	}
	if (pktinfo_len == 0)
		return;
	memset(in->msg_control, 0, CMSG_SPACE(pktinfo_len));
	out->msg_control = in->msg_control;
	out->msg_controllen = CMSG_SPACE(pktinfo_len);
	cmsg = CMSG_FIRSTHDR(out);
	cmsg->cmsg_level = level;
	cmsg->cmsg_type = type;
	cmsg->cmsg_len = CMSG_LEN(pktinfo_len);
	memcpy(CMSG_DATA(cmsg), pktinfo, pktinfo_len);
}

/* Sends the count answers packed at the front of b->out. A failed answer is lost like any
 * datagram and the client retries; it is counted, and logged at a rate limit, never a
 * line per packet. */
static void udp_send_batch(struct udp_reader *r, struct udp_batch *b, unsigned count)
{
	char peer[NETIO_ADDRSTRLEN];
	unsigned done = 0;
	int n;

	while (done < count) {
		n = sendmmsg(r->net->udp_fd, b->out + done, count - done, MSG_DONTWAIT);
		if (n > 0) {
			/* sendmmsg() stops at the first failure and reports it on the next
			 * call, which starts with that answer. */
			done += (unsigned)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			/* The send buffer is full: the rest would fail the same way now. */
			stats_add(&r->responder->stats.udp_unsent, count - done);
			log_limited(&r->errors, "udp: send buffer full, %u answers dropped",
				    count - done);
			return;
		}
		/* This one client is unreachable (or forbidden): skip its answer only. */
		stats_add(&r->responder->stats.udp_unsent, 1);
		netio_addr_format(peer, sizeof(peer),
				  (const struct sockaddr *)b->out[done].msg_hdr.msg_name);
		log_limited(&r->errors, "udp: cannot send %zu bytes to %s: %s",
			    b->out[done].msg_hdr.msg_iov->iov_len, peer, strerror(errno));
		done++;
	}
}

/* Reads one batch (flags as udp_recv_batch) and answers it from the db published last.
 * Returns the number of datagrams read (UDP_BATCH: there may be more), 0 when none came
 * or the read failed. */
static int udp_handle_batch(struct udp_reader *r, int flags)
{
	struct udp_batch *b = r->batch;
	const struct db *db;
	struct query_request req = { .transport = QUERY_UDP };
	unsigned count = 0;
	size_t resp_len;
	int i, n;

	n = udp_recv_batch(r, b, flags);
	if (n < 0) {
		log_limited(&r->errors, "udp: recvmmsg: %s", strerror(-n));
		udp_recv_reset(r, b, 1);
		return 0;
	}
	/* After the wait: a reload published while the socket was idle is followed before
	 * the first datagram after it is answered, and an idle reader lets the old db go. */
	db = responder_follow(r->responder);
	/* Every query's table slots are requested before the first is answered, then the
	 * nodes they point to: each lookup would otherwise wait twice for memory the
	 * kernel's work has evicted. In two passes, the slot loads overlap each other. */
	for (i = 0; i < n; i++)
		b->qname_ok[i] = query_prefetch(db, b->msg[i].req_iov.iov_base, b->in[i].msg_len,
						&b->qname[i], &b->hint[i]);
	for (i = 0; i < n; i++)
		db_prefetch_node(&b->hint[i]);
	for (i = 0; i < n; i++) {
		struct msghdr *in = &b->in[i].msg_hdr;
		struct udp_msg *m = &b->msg[i];
		struct msghdr *out;

		if (in->msg_flags & MSG_TRUNC) {
			/* Larger than any DNS message: not a query we could answer. */
			stats_add(&r->responder->stats.dropped, 1);
			continue;
		}
		req.wire = m->req_iov.iov_base;
		req.len = b->in[i].msg_len;
		req.peer = (const struct sockaddr *)&m->peer;
		req.hint = &b->hint[i];
		req.peek = b->qname_ok[i] ? &b->qname[i] : NULL;
		resp_len = respond(r->responder, &req, m->resp_iov.iov_base, b->resp_size);
		if (resp_len == 0) {
			/* Short, or a response (QR=1): answering could start a loop. */
			continue;
		}
		m->resp_iov.iov_len = resp_len;
		out = &b->out[count++].msg_hdr;
		out->msg_name = &m->peer;
		out->msg_namelen = in->msg_namelen;
		out->msg_iov = &m->resp_iov;
		out->msg_iovlen = 1;
		out->msg_flags = 0;
		udp_answer_control(r, in, out);
	}
	if (count > 0)
		udp_send_batch(r, b, count);
	udp_recv_reset(r, b, n + 1);
	return n;
}

/* Reads and answers what the socket holds, until it is empty (at most a few thousand
 * datagrams): at shutdown, once netio_udp_withdraw() stopped new ones arriving, so the
 * queries already queued still get answers. */
static void udp_drain(struct udp_reader *r)
{
	int round;

	for (round = 0; round < UDP_DRAIN_ROUNDS; round++)
		if (udp_handle_batch(r, MSG_DONTWAIT) == 0)
			break;
}

static void *udp_reader_main(void *arg)
{
	struct udp_reader *r = arg;

	/* Two calls a batch: a recvmmsg() that sleeps until a datagram comes, then takes what
	 * else is queued (MSG_WAITFORONE), and the sendmmsg() of the answers. No poll() and
	 * no read of an empty socket; the flag is looked at after each wake-up, which comes
	 * with the next datagram or within UDP_WAIT_MS. */
	while (!atomic_load_explicit(r->stopping, memory_order_acquire))
		(void)udp_handle_batch(r, MSG_WAITFORONE);
	/* Other sockets share the port (workers, or a newer server during an upgrade): leave
	 * the kernel's SO_REUSEPORT selection, so new queries go to them, then answer what is
	 * already queued here. Stopping loses no UDP query. */
	if (r->withdraw && netio_udp_withdraw(r->net) == 0)
		udp_drain(r);
	return NULL;
}

/* Frees the buffers (the counters are the responder's). */
static void udp_reader_free(struct udp_reader *r)
{
	udp_batch_free(r->batch);
	r->batch = NULL;
	r->running = false;
}

/* Makes the socket wait in recvmmsg() for at most UDP_WAIT_MS. The socket is blocking
 * from then on: O_NONBLOCK belongs to the open file description, which the workers share
 * when systemd passed the socket, so every call of the readers that must not wait says
 * so itself (MSG_DONTWAIT), and the one that waits is bounded by SO_RCVTIMEO, which
 * belongs to the socket. Returns 0 or -errno. */
static int udp_socket_wait(int fd)
{
	const struct timeval wait = { .tv_sec = 0, .tv_usec = UDP_WAIT_MS * 1000 };
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

int udp_reader_start(struct udp_reader *r, struct netio_listen *net, struct responder *responder,
		     const atomic_bool *stopping, bool withdraw)
{
	int e;

	memset(r, 0, sizeof(*r));
	r->net = net;
	r->responder = responder;
	r->stopping = stopping;
	r->withdraw = withdraw;
	e = udp_socket_wait(net->udp_fd);
	if (e < 0)
		return e;
	r->batch = udp_batch_new(responder->query.config->udp_size);
	if (r->batch == NULL)
		return -ENOMEM;
	udp_recv_reset(r, r->batch, UDP_BATCH);
	e = pthread_create(&r->thread, NULL, udp_reader_main, r);
	if (e != 0) {
		udp_reader_free(r);
		return -e;
	}
	r->running = true;
	return 0;
}

void udp_reader_join(struct udp_reader *r)
{
	if (!r->running)
		return;
	pthread_join(r->thread, NULL);
	udp_reader_free(r);
}
