/* SPDX-License-Identifier: BSD-3-Clause */
/* xdp.c: the AF_XDP path: load and attach the redirect program (libbpf), a socket and umem per RX queue (libxdp), and a thread per socket that answers each query in the frame it came in. */
#include "config.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "dns.h"
#include "log.h"
#include "netio.h"
#include "responder.h"
#include "xdp.h"
#include "xdp_dns.h"
#include "xdp_frame.h"

#define XDP_FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE
/* Frames taken from the RX ring at once. The kernel sends at most 32 descriptors of a
 * copy-mode socket per sendto() (TX_BATCH_SIZE in net/xdp/xsk.c), so one kick sends a
 * whole batch of answers. */
#define XDP_BATCH 32
/* IPv6 header and UDP header: an answer of the MTU less these fits either family. */
#define XDP_IP_UDP_OVERHEAD (40 + 8)
/* Room for a libbpf message or error. */
#define XDP_ERR_TEXT 256

/* One RX queue: its socket, its umem (every frame is, at any time, in exactly one of the
 * fill ring, the RX ring, this thread's hands, the TX ring or the completion ring; the
 * fill ring has room for all of them, so giving one back never fails) and the thread
 * that answers it. */
struct xdp_queue {
	struct xdp *xdp;
	unsigned id;
	void *area;                    /* XDP_FRAMES frames of XDP_FRAME_SIZE bytes */
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct responder responder;    /* this thread's alone */
	pthread_t thread;
	bool running;
	struct log_ratelimit errors;
	/* The query, copied out of the frame: the answer is written over it in place, and
	 * query_process() reads the request while it writes the answer. */
	uint8_t req[XDP_FRAME_SIZE];
};

struct xdp {
	char iface[IF_NAMESIZE];
	unsigned ifindex;
	unsigned mtu;
	struct bpf_object *obj;
	int link_fd;                   /* the XDP link: closing it detaches the program */
	int counters_fd;               /* dns_counters */
	struct query_config config;    /* the server's, with udp_size fitting the MTU */
	atomic_bool stop;
	bool ran;                      /* xdp_run() attached it and started the threads */
	unsigned queue_count;
	struct xdp_queue *queues;
	/* Reading the per-CPU counters (xdp_stats) from any thread: one buffer, one lock. */
	pthread_mutex_t counters_lock;
	__u64 *percpu;
	int cpus;
};

const char *xdp_object_path(void)
{
	const char *env = getenv("DUALNSD_XDP_OBJECT");

	return env != NULL && env[0] != '\0' ? env : DUALNS_XDP_OBJECT;
}

/* libbpf's warnings go to the log; its information and debug lines only with -v. */
static int xdp_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[XDP_ERR_TEXT];
	size_t n;

	if (level != LIBBPF_WARN && !log_enabled(LOG_LEVEL_DEBUG))
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	log_msg(level == LIBBPF_WARN ? LOG_LEVEL_WARNING : LOG_LEVEL_DEBUG, "libbpf: %s", line);
	return 0;
}

/* Gives the frame at addr back to the kernel through the fill ring (its submit is the
 * caller's). Returns 1, or 0 when the ring had no room, which the accounting above rules
 * out. */
static unsigned xdp_fill_one(struct xdp_queue *q, __u64 addr)
{
	__u32 idx;

	if (xsk_ring_prod__reserve(&q->fill, 1, &idx) != 1) {
		log_limited(&q->errors, "xdp: %s queue %u: fill ring full, a frame is lost",
			    q->xdp->iface, q->id);
		return 0;
	}
	*xsk_ring_prod__fill_addr(&q->fill, idx) = xsk_umem__extract_addr(addr);
	return 1;
}

/* Moves the frames whose answers were sent from the completion ring to the fill ring. */
static void xdp_reap(struct xdp_queue *q)
{
	unsigned back = 0;
	__u32 idx, n, i;

	n = xsk_ring_cons__peek(&q->comp, XDP_FRAMES, &idx);
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		back += xdp_fill_one(q, *xsk_ring_cons__comp_addr(&q->comp, idx + i));
	xsk_ring_cons__release(&q->comp, n);
	xsk_ring_prod__submit(&q->fill, back);
}

/* Answers the datagram in the frame at addr (len bytes) in place. Returns the length of
 * the frame to send, or 0 when there is nothing to send (not a datagram to answer,
 * counted as dropped; or respond() dropped it). */
static __u32 xdp_answer(struct xdp_queue *q, __u64 addr, __u32 len)
{
	uint8_t *frame = xsk_umem__get_data(q->area, addr);
	/* Aligned umem: a frame's buffer runs to the end of its chunk. */
	size_t room = XDP_FRAME_SIZE - (size_t)(xsk_umem__add_offset_to_addr(addr) % XDP_FRAME_SIZE);
	struct query_request req = { .transport = QUERY_UDP };
	struct xdp_frame_info info;
	size_t cap, n;

	if (xdp_frame_parse(frame, len, &info) < 0 || info.payload_len > sizeof(q->req)) {
		stats_add(&q->responder.stats.dropped, 1);
		return 0;
	}
	cap = xdp_frame_answer_cap(&info, room, q->xdp->mtu);
	if (cap < DNS_HEADER_SIZE) {
		stats_add(&q->responder.stats.dropped, 1);
		return 0;
	}
	memcpy(q->req, frame + info.payload_off, info.payload_len);
	req.wire = q->req;
	req.len = info.payload_len;
	req.peer = (const struct sockaddr *)&info.peer;
	/* cap keeps the answer within the MTU for this frame's family; the config's udp_size
	 * (xdp_start) keeps the size the OPT advertises within it too. */
	n = respond(&q->responder, &req, frame + info.payload_off, cap);
	if (n == 0)
		return 0;
	return (__u32)xdp_frame_answer(frame, &info, n);
}

/* Tells the kernel to send what the TX ring holds (copy mode needs the call; with
 * XDP_USE_NEED_WAKEUP a zero-copy driver may not). */
static void xdp_kick(struct xdp_queue *q)
{
	if (!xsk_ring_prod__needs_wakeup(&q->tx))
		return;
	if (sendto(xsk_socket__fd(q->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
		return;
	/* Busy or out of buffers: the rest goes at the next kick or poll(). */
	if (errno == EAGAIN || errno == EBUSY || errno == ENOBUFS || errno == EINTR)
		return;
	log_limited(&q->errors, "xdp: %s queue %u: sendto: %s", q->xdp->iface, q->id,
		    strerror(errno));
}

/* One batch: up to XDP_BATCH frames from the RX ring, each answered in place onto the TX
 * ring at the same umem address, or given back to the fill ring; one kick for the
 * answers; the sent frames reaped. Returns the number of frames taken. */
static unsigned xdp_batch(struct xdp_queue *q)
{
	unsigned sent = 0, back = 0;
	__u32 rx_idx, tx_idx, n, i, len;

	xdp_reap(q);
	n = xsk_ring_cons__peek(&q->rx, XDP_BATCH, &rx_idx);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx, rx_idx + i);
		__u64 addr = d->addr;
		struct xdp_desc *t;

		len = xdp_answer(q, addr, d->len);
		if (len > 0) {
			if (xsk_ring_prod__reserve(&q->tx, 1, &tx_idx) == 1) {
				t = xsk_ring_prod__tx_desc(&q->tx, tx_idx);
				t->addr = addr;
				t->len = len;
				t->options = 0;
				sent++;
				continue;
			}
			/* The kernel has not sent earlier answers yet: this one is lost like
			 * a datagram, and the client retries. */
			stats_add(&q->responder.stats.xdp_tx_full, 1);
			log_limited(&q->errors, "xdp: %s queue %u: TX ring full, answer dropped",
				    q->xdp->iface, q->id);
		}
		back += xdp_fill_one(q, addr);
	}
	xsk_ring_cons__release(&q->rx, n);
	if (back > 0)
		xsk_ring_prod__submit(&q->fill, back);
	if (sent > 0) {
		xsk_ring_prod__submit(&q->tx, sent);
		stats_add(&q->responder.stats.xdp_answered, sent);
		xdp_kick(q);
		xdp_reap(q);
	}
	return n;
}

static void *xdp_queue_main(void *arg)
{
	struct xdp_queue *q = arg;
	struct pollfd pfd = { .fd = xsk_socket__fd(q->xsk), .events = POLLIN };
	unsigned taken = 0;

	while (!atomic_load_explicit(&q->xdp->stop, memory_order_acquire)) {
		/* It sleeps only after a look at the RX ring found it empty: under load the
		 * kernel has filled it again while the last batch was answered, and a poll()
		 * would be one call a batch for nothing. */
		if (taken == 0 && poll(&pfd, 1, XDP_WAIT_MS) < 0 && errno != EINTR)
			log_limited(&q->errors, "xdp: %s queue %u: poll: %s", q->xdp->iface, q->id,
				    strerror(errno));
		/* Between batches, and after an idle wait: a reload is followed before the
		 * next answer, and an idle thread lets the old db go (dbswap.h, rule 2). */
		(void)responder_follow(&q->responder);
		taken = xdp_batch(q);
	}
	return NULL;
}

/* The interface's MTU and RX queue count (ETHTOOL_GCHANNELS: combined plus RX-only
 * channels; 1 when the driver does not say). Returns 0 or -errno. */
static int xdp_link_info(const char *iface, unsigned *mtu, unsigned *queues)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr;
	int fd, r = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*mtu = (unsigned)ifr.ifr_mtu;
	ifr.ifr_data = (void *)&ch;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0 && ch.combined_count + ch.rx_count > 0)
		*queues = ch.combined_count + ch.rx_count;
	else
		*queues = 1;
	if (*queues > XDP_DNS_MAX_QUEUES)
		*queues = XDP_DNS_MAX_QUEUES;
	close(fd);
	return 0;
}

static int xdp_map_fd(struct xdp *x, const char *name, char *err, size_t errlen)
{
	struct bpf_map *map = bpf_object__find_map_by_name(x->obj, name);
	int fd = map != NULL ? bpf_map__fd(map) : -1;

	if (fd < 0)
		snprintf(err, errlen, "--xdp: the XDP program has no map %s", name);
	return fd;
}

/* Tells the program which datagrams to redirect: the port and the listen addresses
 * (0.0.0.0 and :: each stand for their whole family). Returns 0 or -errno (err set). */
static int xdp_configure(struct xdp *x, const struct xdp_setup *setup, char *err,
			 size_t errlen)
{
	struct xdp_dns_config config = { .port = htons(setup->port) };
	int config_fd, addr4_fd, addr6_fd;
	struct sockaddr_storage ss;
	socklen_t len;
	__u8 one = 1;
	__u32 key = 0;
	size_t i;
	int r;

	config_fd = xdp_map_fd(x, XDP_DNS_MAP_CONFIG, err, errlen);
	addr4_fd = xdp_map_fd(x, XDP_DNS_MAP_ADDR4, err, errlen);
	addr6_fd = xdp_map_fd(x, XDP_DNS_MAP_ADDR6, err, errlen);
	x->counters_fd = xdp_map_fd(x, XDP_DNS_MAP_COUNTERS, err, errlen);
	if (config_fd < 0 || addr4_fd < 0 || addr6_fd < 0 || x->counters_fd < 0)
		return -ENOENT;
	for (i = 0; i < setup->listen_count; i++) {
		if (netio_addr_parse(&ss, &len, setup->listen[i], 0) < 0)
			continue; /* options_parse() checked them */
		if (ss.ss_family == AF_INET) {
			const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
			__u32 a = sin->sin_addr.s_addr;

			if (a == htonl(INADDR_ANY))
				config.any_v4 = 1;
			else if (bpf_map_update_elem(addr4_fd, &a, &one, BPF_ANY) < 0)
				goto fail;
		} else {
			const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;
			struct xdp_dns_addr6 a;

			memcpy(a.a, &sin6->sin6_addr, sizeof(a.a));
			if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr))
				config.any_v6 = 1;
			else if (bpf_map_update_elem(addr6_fd, &a, &one, BPF_ANY) < 0)
				goto fail;
		}
	}
	if (bpf_map_update_elem(config_fd, &key, &config, BPF_ANY) < 0)
		goto fail;
	return 0;
fail:
	r = -errno;
	snprintf(err, errlen, "--xdp: cannot configure the XDP program: %s", strerror(-r));
	return r;
}

/* Opens queue q's umem and socket, puts the socket in xsks_map and every frame in the fill
 * ring. Returns 0 or -errno (err set). */
static int xdp_queue_open(struct xdp *x, struct xdp_queue *q, int xsks_fd, char *err,
			  size_t errlen)
{
	const struct xsk_umem_config ucfg = {
		.fill_size = XDP_FRAMES,    /* room for every frame: see struct xdp_queue */
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = XDP_FRAME_SIZE,
		.frame_headroom = XSK_UMEM__DEFAULT_FRAME_HEADROOM,
		.flags = XSK_UMEM__DEFAULT_FLAGS,
	};
	struct xsk_socket_config scfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		/* Our own program redirects: libxdp must not load its default one. */
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		/* No XDP_COPY or XDP_ZEROCOPY: the kernel uses zero-copy where the driver has
		 * it and copy mode elsewhere (veth). */
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	size_t size = (size_t)XDP_FRAMES * XDP_FRAME_SIZE;
	__u32 idx, i;
	int r;

	q->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q->area == MAP_FAILED) {
		q->area = NULL;
		r = -errno;
		snprintf(err, errlen, "--xdp: %s queue %u: no memory for the umem", x->iface, q->id);
		return r;
	}
	r = xsk_umem__create(&q->umem, q->area, size, &q->fill, &q->comp, &ucfg);
	if (r < 0) {
		q->umem = NULL;
		goto fail;
	}
	r = xsk_socket__create(&q->xsk, x->iface, q->id, q->umem, &q->rx, &q->tx, &scfg);
	if (r < 0) {
		q->xsk = NULL;
		goto fail;
	}
	r = xsk_socket__update_xskmap(q->xsk, xsks_fd);
	if (r < 0)
		goto fail;
	if (xsk_ring_prod__reserve(&q->fill, XDP_FRAMES, &idx) != XDP_FRAMES) {
		r = -ENOSPC;
		goto fail;
	}
	for (i = 0; i < XDP_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&q->fill, idx + i) = (__u64)i * XDP_FRAME_SIZE;
	xsk_ring_prod__submit(&q->fill, XDP_FRAMES);
	return 0;
fail:
	if (r == -EAFNOSUPPORT)
		snprintf(err, errlen, "--xdp: the kernel has no AF_XDP sockets "
			 "(CONFIG_XDP_SOCKETS)");
	else if (r == -EPERM)
		snprintf(err, errlen, "--xdp: not permitted to open AF_XDP sockets on %s: run as "
			 "root or with CAP_NET_ADMIN and CAP_BPF", x->iface);
	else
		snprintf(err, errlen, "--xdp: cannot open an AF_XDP socket on %s queue %u: %s",
			 x->iface, q->id, strerror(-r));
	return r;
}

static void xdp_queue_close(struct xdp_queue *q)
{
	if (q->xsk != NULL)
		xsk_socket__delete(q->xsk);
	if (q->umem != NULL)
		(void)xsk_umem__delete(q->umem);
	if (q->area != NULL)
		munmap(q->area, (size_t)XDP_FRAMES * XDP_FRAME_SIZE);
	q->xsk = NULL;
	q->umem = NULL;
	q->area = NULL;
}

/* Loads the object (the verifier checks the program here). Returns 0 or -errno (err
 * set). */
static int xdp_load(struct xdp *x, const char *path, char *err, size_t errlen)
{
	char why[XDP_ERR_TEXT];
	int r;

	if (access(path, R_OK) < 0) {
		r = -errno;
		snprintf(err, errlen, "--xdp: cannot read the XDP program %s: %s (install it, or "
			 "set DUALNSD_XDP_OBJECT)", path, strerror(-r));
		return r;
	}
	x->obj = bpf_object__open_file(path, NULL);
	if (x->obj == NULL) {
		r = -errno;
		libbpf_strerror(r, why, sizeof(why));
		snprintf(err, errlen, "--xdp: cannot open the XDP program %s: %s", path, why);
		return r;
	}
	r = bpf_object__load(x->obj);
	if (r == -EPERM) {
		snprintf(err, errlen, "--xdp: not permitted to load the XDP program: run as root "
			 "or with CAP_NET_ADMIN and CAP_BPF");
	} else if (r < 0) {
		libbpf_strerror(r, why, sizeof(why));
		snprintf(err, errlen, "--xdp: cannot load the XDP program %s: %s", path, why);
	}
	return r;
}

/* Attaches the program to the interface in native (driver) mode through a BPF link
 * (libbpf's bpf_link_create), not libxdp's xdp_program__attach(): a link detaches when
 * its descriptor closes, which needs no privilege (the server may have dropped root by
 * then, and detaching through netlink needs CAP_NET_ADMIN) and also happens when the
 * process dies, so a crash never leaves the interface redirecting to sockets that are
 * gone. libxdp's dispatcher, which chains several programs, is not needed for one.
 * Returns 0 or -errno (err set). */
static int xdp_attach(struct xdp *x, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	struct bpf_program *prog = bpf_object__find_program_by_name(x->obj, XDP_DNS_PROG_NAME);
	char why[XDP_ERR_TEXT];
	int r;

	if (prog == NULL) {
		snprintf(err, errlen, "--xdp: the XDP object has no program %s", XDP_DNS_PROG_NAME);
		return -ENOENT;
	}
	x->link_fd = bpf_link_create(bpf_program__fd(prog), (int)x->ifindex, BPF_XDP, &opts);
	if (x->link_fd >= 0)
		return 0;
	r = x->link_fd;
	x->link_fd = -1;
	libbpf_strerror(r, why, sizeof(why));
	snprintf(err, errlen, "--xdp: cannot attach the XDP program to %s in native mode: %s",
		 x->iface, why);
	return r;
}

/* Stops the threads that run and waits for them (within XDP_WAIT_MS). */
static void xdp_join(struct xdp *x)
{
	unsigned i;

	atomic_store_explicit(&x->stop, true, memory_order_release);
	for (i = 0; i < x->queue_count; i++) {
		if (!x->queues[i].running)
			continue;
		pthread_join(x->queues[i].thread, NULL);
		x->queues[i].running = false;
	}
}

/* Joins the threads that run, closes every socket and umem, detaches and frees. */
static void xdp_free(struct xdp *x)
{
	unsigned i;

	xdp_join(x);
	/* Detached first: no frame is redirected to a socket being closed. */
	if (x->link_fd >= 0)
		close(x->link_fd);
	for (i = 0; i < x->queue_count; i++)
		xdp_queue_close(&x->queues[i]);
	bpf_object__close(x->obj);
	pthread_mutex_destroy(&x->counters_lock);
	free(x->percpu);
	free(x->queues);
	free(x);
}

/* Starts a thread per queue, signals blocked in them (they belong to the main thread).
 * Returns 0 or -errno (err set); threads started keep running until xdp_free(). */
static int xdp_threads(struct xdp *x, struct dbswap *dbs, bool query_log, char *err,
		       size_t errlen)
{
	sigset_t all, old;
	unsigned i;
	int r = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < x->queue_count && r == 0; i++) {
		struct xdp_queue *q = &x->queues[i];

		/* Attached here, before its thread runs (dbswap.h, rule 4). */
		responder_init(&q->responder, dbs, &x->config, query_log);
		r = -pthread_create(&q->thread, NULL, xdp_queue_main, q);
		if (r == 0)
			q->running = true;
		else
			snprintf(err, errlen, "--xdp: cannot start the thread of %s queue %u: %s",
				 x->iface, i, strerror(-r));
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

int xdp_open(struct xdp **out, const struct xdp_setup *setup, char *err, size_t errlen)
{
	struct xdp *x;
	unsigned i;
	int r, xsks_fd;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (x == NULL) {
		snprintf(err, errlen, "--xdp: out of memory");
		return -ENOMEM;
	}
	x->link_fd = -1;
	x->counters_fd = -1;
	atomic_init(&x->stop, false);
	pthread_mutex_init(&x->counters_lock, NULL);
	snprintf(x->iface, sizeof(x->iface), "%s", setup->iface);
	x->ifindex = if_nametoindex(setup->iface);
	if (x->ifindex == 0 || strlen(setup->iface) >= sizeof(x->iface)) {
		snprintf(err, errlen, "--xdp: no such interface '%s'", setup->iface);
		xdp_free(x);
		return -ENODEV;
	}
	r = xdp_link_info(x->iface, &x->mtu, &x->queue_count);
	if (r == 0 && x->mtu < DNS_UDP_MIN + XDP_IP_UDP_OVERHEAD) {
		/* RFC 1035 section 4.2.1: a DNS message of 512 bytes must fit a datagram. */
		snprintf(err, errlen, "--xdp: the MTU of %s (%u) is below %u: 512-byte answers would "
			 "not fit", x->iface, x->mtu, DNS_UDP_MIN + XDP_IP_UDP_OVERHEAD);
		r = -EINVAL;
	} else if (r < 0) {
		snprintf(err, errlen, "--xdp: cannot read the MTU of %s: %s", x->iface, strerror(-r));
	}
	if (r < 0) {
		x->queue_count = 0;
		xdp_free(x);
		return r;
	}
	x->queues = calloc(x->queue_count, sizeof(*x->queues));
	/* From /sys: read here, before any chroot. */
	x->cpus = libbpf_num_possible_cpus();
	x->percpu = x->cpus > 0 ? calloc((size_t)x->cpus, sizeof(*x->percpu)) : NULL;
	if (x->queues == NULL || x->percpu == NULL) {
		snprintf(err, errlen, x->cpus > 0 ? "--xdp: out of memory" :
			 "--xdp: cannot read the number of CPUs from /sys");
		x->queue_count = 0;
		xdp_free(x);
		return x->cpus > 0 ? -ENOMEM : x->cpus;
	}
	for (i = 0; i < x->queue_count; i++) {
		x->queues[i].xdp = x;
		x->queues[i].id = i;
	}
	libbpf_set_print(xdp_libbpf_print);
	r = xdp_load(x, setup->object, err, errlen);
	if (r == 0)
		r = xdp_configure(x, setup, err, errlen);
	xsks_fd = r == 0 ? xdp_map_fd(x, XDP_DNS_MAP_XSKS, err, errlen) : -1;
	if (r == 0 && xsks_fd < 0)
		r = -ENOENT;
	for (i = 0; i < x->queue_count && r == 0; i++)
		r = xdp_queue_open(x, &x->queues[i], xsks_fd, err, errlen);
	if (r < 0) {
		xdp_free(x);
		return r;
	}
	*out = x;
	return 0;
}

int xdp_run(struct xdp *x, struct dbswap *dbs, const struct query_config *config,
	    bool query_log, char *err, size_t errlen)
{
	int r;

	/* The size the OPT advertises and answers are held to (RFC 6891 section 6.2.5):
	 * larger answers would leave as IP fragments, which the XDP path does not make, so
	 * they get TC=1 and the client retries over TCP, as over sockets. */
	x->config = *config;
	if (x->config.udp_size > x->mtu - XDP_IP_UDP_OVERHEAD)
		x->config.udp_size = (uint16_t)(x->mtu - XDP_IP_UDP_OVERHEAD);
	r = xdp_attach(x, err, errlen);
	if (r == 0)
		r = xdp_threads(x, dbs, query_log, err, errlen);
	if (r < 0)
		return r;
	x->ran = true;
	log_info("xdp: %s: program attached (native mode), %u AF_XDP socket%s, MTU %u, UDP "
		 "answers up to %u bytes", x->iface, x->queue_count, x->queue_count == 1 ? "" : "s",
		 x->mtu, (unsigned)x->config.udp_size);
	return 0;
}

void xdp_stats(struct xdp *x, struct stats *total)
{
	__u32 keys[XDP_DNS_COUNTERS] = { XDP_DNS_REDIRECTED, XDP_DNS_PASSED };
	unsigned long sums[XDP_DNS_COUNTERS] = { 0, 0 };
	unsigned i;
	int cpu;

	for (i = 0; i < x->queue_count; i++)
		stats_sum(total, &x->queues[i].responder.stats);
	pthread_mutex_lock(&x->counters_lock);
	for (i = 0; i < XDP_DNS_COUNTERS; i++) {
		if (bpf_map_lookup_elem(x->counters_fd, &keys[i], x->percpu) < 0)
			continue;
		for (cpu = 0; cpu < x->cpus; cpu++)
			sums[i] += (unsigned long)x->percpu[cpu];
	}
	pthread_mutex_unlock(&x->counters_lock);
	stats_add(&total->xdp_redirected, sums[XDP_DNS_REDIRECTED]);
	stats_add(&total->xdp_passed, sums[XDP_DNS_PASSED]);
}

void xdp_stop(struct xdp *x)
{
	struct stats total;

	if (x == NULL)
		return;
	if (!x->ran) {
		xdp_free(x);
		return;
	}
	xdp_join(x);
	memset(&total, 0, sizeof(total));
	xdp_stats(x, &total);
	log_info("xdp: %s: stopped; xdp-answered=%lu xdp-tx-full=%lu xdp-redirected=%lu "
		 "xdp-passed=%lu", x->iface, atomic_load(&total.xdp_answered),
		 atomic_load(&total.xdp_tx_full), atomic_load(&total.xdp_redirected),
		 atomic_load(&total.xdp_passed));
	xdp_free(x);
}
