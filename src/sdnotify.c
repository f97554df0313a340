/* SPDX-License-Identifier: BSD-3-Clause */
/* sdnotify.c: take the sockets systemd passes (LISTEN_FDS) and tell it our state on $NOTIFY_SOCKET, with or without libsystemd. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "sdnotify.h"

/* The notify socket: connected once at startup (see sdnotify_open), and its address kept
 * to connect again if systemd binds it anew. Only the main thread sends. */
static int notify_fd = -1;
static struct sockaddr_un notify_addr;
static socklen_t notify_addr_len;

/* The longest state message sent; a longer one (a long STATUS=) is cut, and still sent. */
#define NOTIFY_MSG_MAX 512

#ifndef HAVE_LIBSYSTEMD
/* Parses a positive decimal int with nothing after it. Returns 0 or -EINVAL. */
static int parse_positive(const char *text, long *value)
{
	char *end;
	long v;

	if (text == NULL || text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > INT_MAX)
		return -EINVAL;
	*value = v;
	return 0;
}

/* What sd_listen_fds(1) does (sd-daemon.c), for builds without libsystemd. */
static int listen_fds_parse(void)
{
	long pid, n, fd;
	int flags;

	/* No LISTEN_PID: not started by systemd (or by something acting like it). */
	if (getenv("LISTEN_PID") == NULL)
		return 0;
	if (parse_positive(getenv("LISTEN_PID"), &pid) < 0)
		return -EINVAL;
	/* Inherited from a parent that was the intended receiver: not ours. */
	if (pid != (long)getpid())
		return 0;
	if (getenv("LISTEN_FDS") == NULL)
		return 0;
	/* "0" is an error too, as in libsystemd: systemd never sets it. */
	if (parse_positive(getenv("LISTEN_FDS"), &n) < 0)
		return -EINVAL;
	if (n > INT_MAX - SDNOTIFY_LISTEN_FDS_START)
		return -EINVAL;
	for (fd = SDNOTIFY_LISTEN_FDS_START; fd < SDNOTIFY_LISTEN_FDS_START + n; fd++) {
		flags = fcntl((int)fd, F_GETFD);
		if (flags < 0)
			return -errno;
		/* Ours alone: a child we might start must not inherit the listening sockets. */
		if (!(flags & FD_CLOEXEC) && fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC) < 0)
			return -errno;
	}
	return (int)n;
}
#endif

int sdnotify_listen_fds(void)
{
#ifdef HAVE_LIBSYSTEMD
	return sd_listen_fds(1);
#else
	int r = listen_fds_parse();

	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return r;
#endif
}

static int notify_connect(void)
{
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Connected, so the path is resolved now, outside any chroot, while we still have the
	 * rights to reach it; later sends need neither. */
	if (connect(fd, (const struct sockaddr *)&notify_addr, notify_addr_len) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = fd;
	return 0;
}

int sdnotify_open(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t len;

	if (path == NULL || path[0] == '\0')
		return 0;
	len = strlen(path);
	/* sd_notify(3): an absolute path, or '@' for Linux's abstract namespace. */
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(notify_addr.sun_path))
		return -EINVAL;
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, path, len);
	if (path[0] == '@')
		notify_addr.sun_path[0] = '\0'; /* abstract: the length says where it ends */
	notify_addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
				      (path[0] == '@' ? 0 : 1));
	return notify_connect();
}

bool sdnotify_enabled(void)
{
	return notify_fd >= 0;
}

int sdnotify_send(const char *fmt, ...)
{
	char msg[NOTIFY_MSG_MAX];
	va_list ap;
	int n;

	if (notify_fd < 0)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1; /* a long STATUS= is cut, the message still goes */
	if (send(notify_fd, msg, (size_t)n, MSG_NOSIGNAL) == n)
		return 0;
	/* systemd re-executed (daemon-reexec) and bound a new socket at the same path: ours
	 * points at the old one. Connecting again works unless we are chrooted away from it. */
	if (errno != ECONNREFUSED && errno != ENOTCONN)
		return -errno;
	if (notify_connect() < 0)
		return -ECONNREFUSED;
	if (send(notify_fd, msg, (size_t)n, MSG_NOSIGNAL) != n)
		return -errno;
	return 0;
}

void sdnotify_close(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
}
