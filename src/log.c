/* SPDX-License-Identifier: BSD-3-Clause */
/* log.c: one-line messages to stderr or syslog, gated by verbosity; rate-limited per-packet messages. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define LOG_RATELIMIT_BURST 5

/* Room for a message, before the program and level prefixes; longer ones are cut. */
#define LOG_LINE_MAX 1024
/* A rate-limited message leaves room in its line for the count of suppressed ones. */
#define LOG_SUPPRESSED_ROOM 124

static const char *log_progname = "dualns";
static enum log_level log_max_level = LOG_LEVEL_INFO;
static FILE *log_stream;
static bool log_syslog;

void log_use_syslog(void)
{
	openlog(log_progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = true;
}

void log_set_stream(FILE *stream)
{
	log_stream = stream;
}

void log_init(const char *progname, enum log_level level)
{
	log_progname = progname;
	log_max_level = level;
}

bool log_enabled(enum log_level level)
{
	return level <= log_max_level;
}

/* The format attribute tells clang's -Wformat-nonliteral that fmt is checked at the callers. */
static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };
	char line[LOG_LINE_MAX];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_syslog) {
		static const int priority[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

		syslog(priority[level], "%s%s", prefix[level], line);
		return;
	}
	/* One fprintf per line so lines from concurrent threads do not interleave. */
	fprintf(log_stream ? log_stream : stderr, "%s: %s%s\n", log_progname, prefix[level], line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void log_limited(struct log_ratelimit *rl, const char *fmt, ...)
{
	struct timespec now;
	char line[LOG_LINE_MAX - LOG_SUPPRESSED_ROOM];
	va_list ap;

	if (!log_enabled(LOG_LEVEL_WARNING))
		return;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (now.tv_sec != rl->second) {
		rl->second = now.tv_sec;
		rl->printed = 0;
	}
	if (rl->printed >= LOG_RATELIMIT_BURST) {
		rl->suppressed++;
		return;
	}
	rl->printed++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (rl->suppressed > 0) {
		log_warning("%s (and %lu similar messages suppressed)", line, rl->suppressed);
		rl->suppressed = 0;
	} else {
		log_warning("%s", line);
	}
}
