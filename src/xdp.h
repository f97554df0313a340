/* SPDX-License-Identifier: BSD-3-Clause */
/* xdp.h: the AF_XDP path: the redirect program on an interface, and per RX queue a socket, its umem and a thread that answers in the received frames. */
#ifndef DUALNS_XDP_H
#define DUALNS_XDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbswap.h"
#include "query.h"
#include "stats.h"

/* How long an answering thread waits in poll() before it looks at the stop flag and the
 * published db again, as a UDP reader does (UDP_WAIT_MS in udp.h). */
#define XDP_WAIT_MS 100

/* Frames of each queue's umem (XSK_UMEM__DEFAULT_FRAME_SIZE bytes each): 16 MiB a queue. */
#define XDP_FRAMES 4096

/* What xdp_open() needs: where, and which datagrams to redirect. */
struct xdp_setup {
	const char *iface;                 /* the interface (--xdp) */
	const char *object;                /* the redirect program's BPF object (xdp_object_path) */
	uint16_t port;                     /* the server's port */
	const char *const *listen;         /* numeric addresses; 0.0.0.0 and :: mean every
					    * address of their family */
	size_t listen_count;
};

struct xdp;

/* The BPF object dualnsd loads: $DUALNSD_XDP_OBJECT when set, else the installed one. */
const char *xdp_object_path(void);

/* Everything that reads files, before --chroot: loads the redirect program from
 * setup->object, tells it the port and addresses, and opens an AF_XDP socket with its own
 * umem on every RX queue of the interface, in the program's socket map. Nothing is
 * attached and no thread runs yet (xdp_run). Returns 0 and *out; or -errno with one line
 * in err naming what is missing (no such interface, not permitted, no AF_XDP in the
 * kernel, no object file), and then nothing is left open or allocated. */
int xdp_open(struct xdp **out, const struct xdp_setup *setup, char *err, size_t errlen);

/* Attaches the program to the interface in native mode and starts a thread per socket
 * (signals blocked in them), each answering through a responder of its own attached to
 * dbs here (dbswap.h, rule 4), with config (copied; its udp_size lowered to the MTU less
 * the IP and UDP headers). Needs CAP_NET_ADMIN and CAP_BPF: before privileges are
 * dropped. Returns 0, or -errno with one line in err (the attach error); x is then still
 * the caller's to xdp_stop(). */
int xdp_run(struct xdp *x, struct dbswap *dbs, const struct query_config *config,
	    bool query_log, char *err, size_t errlen);

/* Stops the threads (within XDP_WAIT_MS), closes the sockets, frees the umems, detaches the
 * program, logs the XDP counters once (when it ran) and frees x. No-op for NULL. */
void xdp_stop(struct xdp *x);

/* Adds the counters of the threads' responders, the answers sent and lost on full TX
 * rings (xdp_answered, xdp_tx_full), and the program's counts summed over the CPUs
 * (xdp_redirected, xdp_passed) to total. Any thread may call it. */
void xdp_stats(struct xdp *x, struct stats *total);

#endif
