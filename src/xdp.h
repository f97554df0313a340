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

/* What xdp_start() needs: where, which datagrams, and how to answer them. */
struct xdp_setup {
	const char *iface;                 /* the interface (--xdp) */
	const char *object;                /* the redirect program's BPF object (xdp_object_path) */
	uint16_t port;                     /* the server's port */
	const char *const *listen;         /* numeric addresses; 0.0.0.0 and :: mean every
					    * address of their family */
	size_t listen_count;
	struct dbswap *dbs;                /* the responders answer from its dbs */
	const struct query_config *config; /* copied, with udp_size lowered to fit the MTU */
	bool query_log;
};

struct xdp;

/* The BPF object dualnsd loads: $DUALNSD_XDP_OBJECT when set, else the installed one. */
const char *xdp_object_path(void);

/* Loads the redirect program from setup->object, tells it the port and addresses, opens an
 * AF_XDP socket with its own umem on every RX queue of the interface, attaches the program
 * in native mode and starts a thread per socket (signals blocked in them). Each thread
 * answers through a responder of its own, attached to setup->dbs here (dbswap.h, rule 4).
 * Returns 0 and *out; or -errno with one line in err naming what is missing (no such
 * interface, not permitted, no AF_XDP in the kernel, no object file, the attach error),
 * and then nothing is left attached, open or allocated. */
int xdp_start(struct xdp **out, const struct xdp_setup *setup, char *err, size_t errlen);

/* Stops the threads (within XDP_WAIT_MS), closes the sockets, frees the umems, detaches the
 * program, logs the XDP counters once and frees x. No-op for NULL. */
void xdp_stop(struct xdp *x);

/* Adds the counters of the threads' responders, the answers sent and lost on full TX
 * rings (xdp_answered, xdp_tx_full), and the program's counts summed over the CPUs
 * (xdp_redirected, xdp_passed) to total. Any thread may call it. */
void xdp_stats(struct xdp *x, struct stats *total);

#endif
