/* SPDX-License-Identifier: BSD-3-Clause */
/* sdnotify.h: systemd's two interfaces to a daemon: sockets passed in LISTEN_FDS, and state sent to $NOTIFY_SOCKET. */
#ifndef DUALNS_SDNOTIFY_H
#define DUALNS_SDNOTIFY_H

#include <stdbool.h>

/* The first descriptor systemd passes (SD_LISTEN_FDS_START in sd-daemon.h). */
#define SDNOTIFY_LISTEN_FDS_START 3

/* The sockets systemd passed: n descriptors from SDNOTIFY_LISTEN_FDS_START, when
 * LISTEN_PID names this process and LISTEN_FDS says how many. Sets close-on-exec on them
 * and always unsets LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES, so nothing started later
 * takes them for its own (sd_listen_fds(1) does the same, and is what this calls when
 * configure found libsystemd). Returns n (0 when none were passed, or they were meant
 * for another process), or -EINVAL when the variables do not parse, -EBADF when a
 * descriptor is not open. */
int sdnotify_listen_fds(void);

/* Opens a datagram socket connected to $NOTIFY_SOCKET (a path, or an abstract socket
 * when it starts with '@'). Call it once at startup, before --chroot and before dropping
 * privileges: sd_notify() looks the path up again for every message, which fails inside
 * a chroot, so messages go through this socket in both builds, with or without
 * libsystemd. Returns 0 (also when NOTIFY_SOCKET is unset: then every sdnotify_send is a
 * no-op), -EINVAL for a malformed or too long address, or -errno from socket/connect. */
int sdnotify_open(void);

/* True when sdnotify_open() connected: systemd (or a test) listens. */
bool sdnotify_enabled(void);

/* Sends one state message, "KEY=VALUE" lines such as "READY=1\nSTATUS=serving 2 zones"
 * (sd_notify(3)). When the socket has gone stale (systemd re-executed and bound its
 * socket again) it connects once more by path and retries. Returns 0 (also when not
 * enabled), or -errno. */
int sdnotify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Closes the socket. Safe to call when it was never opened. */
void sdnotify_close(void);

#endif
