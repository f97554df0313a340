/* udp.c: read datagrams until the socket is empty, answer each, send it back from the address it came to. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "dns.h"
#include "server.h"
#include "udp.h"

/* Datagrams handled per wakeup before returning to the loop, so one busy socket cannot
 * starve the others (TCP connections included). The level-triggered watcher brings us
 * back at once if more are waiting. */
#define UDP_BURST 64

#define UDP_CONTROL_SIZE                                              \
	(CMSG_SPACE(sizeof(struct in6_pktinfo)) > CMSG_SPACE(sizeof(struct in_pktinfo)) \
		 ? CMSG_SPACE(sizeof(struct in6_pktinfo))                   \
		 : CMSG_SPACE(sizeof(struct in_pktinfo)))

/* One datagram and what is needed to answer it. It is the unit a recvmmsg/sendmmsg batch
 * will hold an array of (struct mmsghdr wraps the msghdr), so the batching change only
 * replaces udp_recv_one()/udp_send_one() and the loop in udp_read_cb(). */
struct udp_msg {
	struct sockaddr_storage peer;
	struct msghdr hdr;
	struct iovec iov;
	union {
		struct cmsghdr align;
		uint8_t buf[UDP_CONTROL_SIZE];
	} control;
	size_t len;
};

/* Receives one datagram into w->udp_req (m->len bytes, possibly 0). Returns 1, 0 when the
 * socket is empty, -errno on another error. */
static int udp_recv_one(struct udp_handler *h, struct udp_msg *m)
{
	struct worker *w = h->worker;
	ssize_t n;

	m->iov.iov_base = w->udp_req;
	m->iov.iov_len = DNS_MSG_MAX;
	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.msg_name = &m->peer;
	m->hdr.msg_namelen = sizeof(m->peer);
	m->hdr.msg_iov = &m->iov;
	m->hdr.msg_iovlen = 1;
	if (h->wildcard) {
		m->hdr.msg_control = m->control.buf;
		m->hdr.msg_controllen = sizeof(m->control.buf);
	}
	do {
		n = recvmsg(h->io.fd, &m->hdr, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
	m->len = (size_t)n;
	return 1;
}

/* Rewrites the received control data into the control data of the answer: the source
 * address is the query's destination address (RFC 2181 section 4). For IPv4 the
 * interface is left to the routing table (ipi_ifindex 0) and only the source is pinned;
 * for IPv6 the interface is kept, which a link-local destination needs. Leaves no control
 * data when the query carried none. */
static void udp_answer_control(struct udp_handler *h, struct udp_msg *m)
{
	struct cmsghdr *cmsg;
	uint8_t pktinfo[sizeof(struct in6_pktinfo)];
	size_t pktinfo_len = 0;
	int level = 0, type = 0;

	if (!h->wildcard)
		return;
	for (cmsg = CMSG_FIRSTHDR(&m->hdr); cmsg != NULL; cmsg = CMSG_NXTHDR(&m->hdr, cmsg)) {
		if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo in;

			memcpy(&in, CMSG_DATA(cmsg), sizeof(in));
			in.ipi_spec_dst = in.ipi_addr;
			in.ipi_ifindex = 0;
			memcpy(pktinfo, &in, sizeof(in));
			pktinfo_len = sizeof(in);
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
	if (pktinfo_len == 0) {
		m->hdr.msg_control = NULL;
		m->hdr.msg_controllen = 0;
		return;
	}
	memset(m->control.buf, 0, sizeof(m->control.buf));
	m->hdr.msg_control = m->control.buf;
	m->hdr.msg_controllen = CMSG_SPACE(pktinfo_len);
	cmsg = CMSG_FIRSTHDR(&m->hdr);
	cmsg->cmsg_level = level;
	cmsg->cmsg_type = type;
	cmsg->cmsg_len = CMSG_LEN(pktinfo_len);
	memcpy(CMSG_DATA(cmsg), pktinfo, pktinfo_len);
}

/* Sends the answer of resp_len bytes in w->udp_resp to the peer of m. */
static void udp_send_one(struct udp_handler *h, struct udp_msg *m, size_t resp_len)
{
	struct worker *w = h->worker;
	char peer[NETIO_ADDRSTRLEN];
	ssize_t n;

	udp_answer_control(h, m);
	m->iov.iov_base = w->udp_resp;
	m->iov.iov_len = resp_len;
	m->hdr.msg_flags = 0;
	do {
		n = sendmsg(h->io.fd, &m->hdr, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* A full send buffer (EAGAIN) under load, or an unreachable client: the
		 * answer is lost like any datagram and the client retries. Never a line per
		 * packet. */
		w->udp_dropped++;
		netio_addr_format(peer, sizeof(peer), (const struct sockaddr *)&m->peer);
		log_limited(&w->udp_errors, "udp: cannot send %zu bytes to %s: %s", resp_len,
			    peer, strerror(errno));
	}
}

static void udp_read_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct udp_handler *h = container_of(io, struct udp_handler, io);
	struct worker *w = h->worker;
	struct udp_msg m;
	size_t resp_len;
	int i, n;

	(void)loop;
	(void)revents;
	for (i = 0; i < UDP_BURST; i++) {
		n = udp_recv_one(h, &m);
		if (n == 0)
			break;
		if (n < 0) {
			log_limited(&w->udp_errors, "udp: recvmsg: %s", strerror(-n));
			break;
		}
		if (m.hdr.msg_flags & MSG_TRUNC) {
			/* Larger than any DNS message: not a query we could answer. */
			w->udp_dropped++;
			continue;
		}
		w->udp_queries++;
		/* The response buffer holds DNS_MSG_MAX bytes; query_process() keeps UDP
		 * answers within the EDNS/512 limit itself (RFC 6891 section 7). */
		resp_len = query_process(&w->query, w->db, QUERY_UDP, w->udp_req, m.len,
					 w->udp_resp, DNS_MSG_MAX);
		if (w->server->query_log)
			worker_log_query(w, "udp", (const struct sockaddr *)&m.peer);
		if (resp_len == 0) {
			/* Short, or a response (QR=1): answering could start a loop. */
			w->udp_dropped++;
			continue;
		}
		udp_send_one(h, &m, resp_len);
	}
}

void udp_start(struct udp_handler *h, struct worker *w, int fd, int family, bool wildcard)
{
	h->worker = w;
	h->family = family;
	h->wildcard = wildcard;
	ev_io_init(&h->io, udp_read_cb, fd, EV_READ);
	ev_io_start(w->loop, &h->io);
}

void udp_stop(struct udp_handler *h)
{
	if (h->worker != NULL)
		ev_io_stop(h->worker->loop, &h->io);
}
