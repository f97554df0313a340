/* SPDX-License-Identifier: BSD-3-Clause */
/* failalloc.c: the wrappers behind failalloc.h. Each __wrap_X replaces X in the program
 * (-Wl,--wrap=X) and calls the C library's through __real_X. Single-threaded, as the
 * unit tests are. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_reallocarray(void *p, size_t n, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void __real_free(void *p);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_reallocarray(void *p, size_t n, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_asprintf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void __wrap_free(void *p);

/* The live set: open addressing, linear probing, deletion by backward shift. A test
 * holds a few thousand allocations at most. */
#define LIVE_SLOTS (1u << 16)

static void *live[LIVE_SLOTS];
static size_t live_count;
static int counting;
static unsigned long count, fail_at;

static size_t slot_of(const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 48) & (LIVE_SLOTS - 1);
}

static void live_add(void *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (live_count + 1 >= LIVE_SLOTS) {
		fprintf(stderr, "failalloc: more than %u live allocations\n", LIVE_SLOTS);
		abort();
	}
	for (i = slot_of(p); live[i] != NULL; i = (i + 1) & (LIVE_SLOTS - 1))
		;
	live[i] = p;
	live_count++;
}

/* Forgets p if the wrappers made it (ldns hands out memory the project frees too). */
static void live_remove(const void *p)
{
	size_t i, j, k;

	if (p == NULL)
		return;
	for (i = slot_of(p); live[i] != p; i = (i + 1) & (LIVE_SLOTS - 1))
		if (live[i] == NULL)
			return;
	live[i] = NULL;
	live_count--;
	/* Move back the entries after i whose home slot is not between i and them. */
	for (j = (i + 1) & (LIVE_SLOTS - 1); live[j] != NULL; j = (j + 1) & (LIVE_SLOTS - 1)) {
		k = slot_of(live[j]);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			live[i] = live[j];
			live[j] = NULL;
			i = j;
		}
	}
}

/* Counts one allocation; true when it is the one to fail. */
static int should_fail(void)
{
	if (!counting)
		return 0;
	count++;
	if (count == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void failalloc_start(unsigned long n)
{
	count = 0;
	fail_at = n;
	counting = 1;
}

unsigned long failalloc_stop(void)
{
	counting = 0;
	return count;
}

size_t failalloc_live(void)
{
	return live_count;
}

void *__wrap_malloc(size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __real_malloc(size);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __real_calloc(n, size);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *old, size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __real_realloc(old, size);
	if (p != NULL) {
		live_remove(old);
		live_add(p);
	}
	return p;
}

void *__wrap_reallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __real_reallocarray(old, n, size);
	if (p != NULL) {
		live_remove(old);
		live_add(p);
	}
	return p;
}

char *__wrap_strdup(const char *s)
{
	char *p;

	if (should_fail())
		return NULL;
	p = __real_strdup(s);
	live_add(p);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	char *p;

	if (should_fail())
		return NULL;
	p = __real_strndup(s, n);
	live_add(p);
	return p;
}

int __wrap_asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (should_fail())
		return -1;
	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n >= 0)
		live_add(*out);
	return n;
}

void __wrap_free(void *p)
{
	live_remove(p);
	__real_free(p);
}
