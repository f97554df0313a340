/* SPDX-License-Identifier: BSD-3-Clause */
/* namehash.h: the hash of a lowercased wire name and the size of the open-addressing
 * tables that use it: a zone's nodes by name (zone.c) and a db's zones by origin
 * (zonedb.c). Inline: a query hashes five or six names. */
#ifndef DUALNS_NAMEHASH_H
#define DUALNS_NAMEHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Slots of a table for no entries at all: the smallest table. */
#define NAME_TABLE_MIN 8

static inline uint64_t name_hash_rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* Eight bytes a step (FxHash's rotate-xor-multiply), then a finalizer that spreads the
 * high bits into the low ones the table mask keeps: a query hashes five or six names, so
 * a byte-at-a-time hash would cost more than the probes. Only queries probe the tables and
 * their layout comes from the zone alone, so a chosen qname cannot make long probes. */
static inline uint32_t name_hash(const uint8_t *name, size_t len)
{
	const uint64_t k = 0x517cc1b727220a95ull;
	uint64_t h = len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, name + i, 8);
		h = (name_hash_rotl64(h, 5) ^ w) * k;
	}
	if (i < len) {
		for (w = 0; i < len; i++)
			w = (w << 8) | name[i];
		h = (name_hash_rotl64(h, 5) ^ w) * k;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* Slots for a table of count entries: a power of two at least twice count, so probes
 * stay short. */
static inline size_t name_table_size(size_t count)
{
	size_t size = NAME_TABLE_MIN;

	while (size < count * 2)
		size <<= 1;
	return size;
}

#endif
