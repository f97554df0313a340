/* SPDX-License-Identifier: BSD-3-Clause */
/* log.h: logging to stderr or syslog behind a verbosity gate, with rate limiting for per-packet problems. */
#ifndef DUALNS_LOG_H
#define DUALNS_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARNING = 1,
	LOG_LEVEL_INFO = 2,
	LOG_LEVEL_DEBUG = 3,
};

/* progname prefixes every line; level is the most verbose level printed (default INFO). */
void log_init(const char *progname, enum log_level level);

/* True when a message at level would be printed. */
bool log_enabled(enum log_level level);

/* Where lines go: stderr by default; tests point it at a memory stream to read them. */
void log_set_stream(FILE *stream);

/* Sends every line to syslog (facility daemon; the journal under systemd) instead. */
void log_use_syslog(void);

/* Logs one line at level, when log_enabled(level). */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...)   log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)   log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* A rate limit for per-packet messages: at most `burst` lines per second; the rest are counted
 * and their number is reported with the next line that passes. */
struct log_ratelimit {
	long second;
	unsigned printed;
	unsigned long suppressed;
};

/* Logs at WARNING unless the limit for this second is used up. */
void log_limited(struct log_ratelimit *rl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
