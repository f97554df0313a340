/* SPDX-License-Identifier: BSD-3-Clause */
/* test_sdnotify.c: LISTEN_FDS as sd_listen_fds(1) takes it, and messages to $NOTIFY_SOCKET (path and abstract, and a socket bound again). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "sdnotify.h"

static void set_pid(long delta)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%ld", (long)getpid() + delta);
	setenv("LISTEN_PID", pid, 1);
}

static void assert_unset(void)
{
	assert_null(getenv("LISTEN_PID"));
	assert_null(getenv("LISTEN_FDS"));
	assert_null(getenv("LISTEN_FDNAMES"));
}

/* One environment and what sdnotify_listen_fds() returns for it. */
struct listen_case {
	const char *name;
	long pid_delta;      /* LISTEN_PID = our pid + this; LONG_MIN: unset */
	const char *fds;     /* LISTEN_FDS, or NULL: unset */
	int ret;
};

static const struct listen_case listen_cases[] = {
	{ "nothing passed", -1000000, NULL, 0 },
	/* Inherited from a parent that was the intended receiver (sd_listen_fds(3)). */
	{ "another process's sockets", 1, "2", 0 },
	{ "LISTEN_PID without LISTEN_FDS", 0, NULL, 0 },
	{ "LISTEN_FDS not a number", 0, "two", -EINVAL },
	{ "LISTEN_FDS 0", 0, "0", -EINVAL },
	{ "LISTEN_FDS negative", 0, "-1", -EINVAL },
};

static void test_listen_cases(void **state)
{
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(listen_cases) / sizeof(listen_cases[0]); i++) {
		const struct listen_case *tc = &listen_cases[i];

		unsetenv("LISTEN_PID");
		if (tc->pid_delta != -1000000)
			set_pid(tc->pid_delta);
		if (tc->fds != NULL)
			setenv("LISTEN_FDS", tc->fds, 1);
		else
			unsetenv("LISTEN_FDS");
		setenv("LISTEN_FDNAMES", "udp:tcp", 1);
		r = sdnotify_listen_fds();
		if (r != tc->ret)
			fail_msg("%s: returned %d, expected %d", tc->name, r, tc->ret);
		/* Always unset, whatever the outcome: nothing started later may take them. */
		assert_unset();
	}
}

/* Two sockets on descriptors 3 and 4, as systemd passes them: both counted, both made
 * close-on-exec. Whatever the test runner had on 3 and 4 is put back. */
static void test_listen_passed(void **state)
{
	int saved[2], socks[2], i, r;

	(void)state;
	for (i = 0; i < 2; i++) {
		saved[i] = fcntl(SDNOTIFY_LISTEN_FDS_START + i, F_DUPFD, 10);
		close(SDNOTIFY_LISTEN_FDS_START + i);
		socks[i] = socket(AF_INET, i == 0 ? SOCK_DGRAM : SOCK_STREAM, 0);
		assert_true(socks[i] >= 0);
		assert_int_equal(dup2(socks[i], SDNOTIFY_LISTEN_FDS_START + i),
				 SDNOTIFY_LISTEN_FDS_START + i);
		/* socket() may have picked the target itself when it was free. */
		if (socks[i] != SDNOTIFY_LISTEN_FDS_START + i)
			close(socks[i]);
	}
	set_pid(0);
	setenv("LISTEN_FDS", "2", 1);
	setenv("LISTEN_FDNAMES", "udp:tcp", 1);
	r = sdnotify_listen_fds();
	assert_int_equal(r, 2);
	assert_unset();
	for (i = 0; i < 2; i++) {
		assert_true(fcntl(SDNOTIFY_LISTEN_FDS_START + i, F_GETFD) & FD_CLOEXEC);
		close(SDNOTIFY_LISTEN_FDS_START + i);
		if (saved[i] >= 0) {
			dup2(saved[i], SDNOTIFY_LISTEN_FDS_START + i);
			close(saved[i]);
		}
	}
}

/* A descriptor LISTEN_FDS counts that is not open: an error, not a crash later. */
static void test_listen_closed(void **state)
{
	int saved = fcntl(SDNOTIFY_LISTEN_FDS_START, F_DUPFD, 10);

	(void)state;
	close(SDNOTIFY_LISTEN_FDS_START);
	set_pid(0);
	setenv("LISTEN_FDS", "1", 1);
	assert_int_equal(sdnotify_listen_fds(), -EBADF);
	assert_unset();
	if (saved >= 0) {
		dup2(saved, SDNOTIFY_LISTEN_FDS_START);
		close(saved);
	}
}

/* A receiver like systemd's: a datagram socket bound to name (path, or @abstract). */
static int receiver(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", name);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	else
		len++;
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, len), 0);
	return fd;
}

static void assert_received(int fd, const char *want)
{
	char buf[600];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_notify_abstract(void **state)
{
	char name[64];
	int fd;

	(void)state;
	snprintf(name, sizeof(name), "@dualns-unit-%ld", (long)getpid());
	fd = receiver(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(sdnotify_open(), 0);
	assert_true(sdnotify_enabled());
	assert_int_equal(sdnotify_send("READY=1\nSTATUS=serving %d zones", 2), 0);
	assert_received(fd, "READY=1\nSTATUS=serving 2 zones");
	sdnotify_close();
	assert_false(sdnotify_enabled());
	close(fd);
}

/* A path, and the same path bound again (systemd re-executed): the next message still
 * arrives, on a new connection. */
static void test_notify_path_rebound(void **state)
{
	char dir[] = "/tmp/dualns-unit-XXXXXX", path[128];
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = receiver(path);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(sdnotify_open(), 0);
	assert_int_equal(sdnotify_send("RELOADING=1"), 0);
	assert_received(fd, "RELOADING=1");
	close(fd);
	unlink(path);
	fd = receiver(path);
	assert_int_equal(sdnotify_send("READY=1"), 0);
	assert_received(fd, "READY=1");
	sdnotify_close();
	close(fd);
	unlink(path);
	rmdir(dir);
}

static void test_notify_unset_or_bad(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(sdnotify_open(), 0);
	assert_false(sdnotify_enabled());
	assert_int_equal(sdnotify_send("READY=1"), 0);
	/* sd_notify(3): absolute or abstract only. */
	setenv("NOTIFY_SOCKET", "relative/notify", 1);
	assert_int_equal(sdnotify_open(), -EINVAL);
	assert_false(sdnotify_enabled());
	setenv("NOTIFY_SOCKET", "/nonexistent/dualns/notify", 1);
	assert_int_equal(sdnotify_open(), -ENOENT);
	assert_false(sdnotify_enabled());
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_cases),
		cmocka_unit_test(test_listen_passed),
		cmocka_unit_test(test_listen_closed),
		cmocka_unit_test(test_notify_abstract),
		cmocka_unit_test(test_notify_path_rebound),
		cmocka_unit_test(test_notify_unset_or_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
