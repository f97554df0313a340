/* SPDX-License-Identifier: BSD-3-Clause */
/* confaddr.c: parsing and matching the configuration file's addresses, prefixes and
 * ranges. Load path only, but confaddr_matches() allocates nothing. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "confaddr.h"
#include "netio.h"

/* The longest text worth parsing: an IPv6 address with an IPv4 tail and a port. */
#define CONFADDR_TEXT_MAX 64

/* Parses a bare numeric address of either family into buf (16 bytes). Returns the family
 * or 0. */
static int addr_pton(uint8_t *buf, const char *text)
{
	if (inet_pton(AF_INET, text, buf) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, text, buf) == 1)
		return AF_INET6;
	return 0;
}

static unsigned family_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

/* Parses decimal digits only into [min, max]. Returns 0 or -EINVAL. */
static int parse_uint(unsigned long *v, const char *text, unsigned long min, unsigned long max)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

int confaddr_parse_remote(struct sockaddr_storage *addr, const char *text)
{
	char buf[CONFADDR_TEXT_MAX];
	unsigned long port = 53;
	socklen_t len;
	char *at;

	if (strlen(text) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, text);
	at = strchr(buf, '@');
	if (at != NULL) {
		*at = '\0';
		if (parse_uint(&port, at + 1, 1, 65535) < 0)
			return -EINVAL;
	}
	return netio_addr_parse(addr, &len, buf, (uint16_t)port);
}

int confaddr_parse_match(struct confaddr_match *m, const char *text)
{
	char buf[CONFADDR_TEXT_MAX];
	unsigned long len;
	char *sep;
	unsigned i;

	memset(m, 0, sizeof(*m));
	if (strlen(text) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, text);
	sep = strpbrk(buf, "/-");
	if (sep != NULL && *sep == '-') {
		*sep = '\0';
		m->family = addr_pton(m->addr, buf);
		if (m->family == 0 || addr_pton(m->last, sep + 1) != m->family ||
		    memcmp(m->addr, m->last, family_bits(m->family) / 8) > 0)
			return -EINVAL;
		m->range = true;
		m->prefix = family_bits(m->family);
		return 0;
	}
	if (sep != NULL)
		*sep = '\0';
	m->family = addr_pton(m->addr, buf);
	if (m->family == 0)
		return -EINVAL;
	m->prefix = family_bits(m->family);
	if (sep == NULL)
		return 0;
	if (parse_uint(&len, sep + 1, 0, m->prefix) < 0)
		return -EINVAL;
	m->prefix = (unsigned)len;
	/* A host part left in a prefix is most likely a typo in the length. */
	for (i = m->prefix; i < family_bits(m->family); i++)
		if (m->addr[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	return 0;
}

bool confaddr_matches(const struct confaddr_match *m, const struct sockaddr *addr)
{
	const uint8_t *a;
	unsigned i, full;

	if (addr->sa_family != m->family)
		return false;
	a = m->family == AF_INET ?
		(const uint8_t *)&((const struct sockaddr_in *)addr)->sin_addr :
		(const uint8_t *)&((const struct sockaddr_in6 *)addr)->sin6_addr;
	if (m->range)
		return memcmp(a, m->addr, family_bits(m->family) / 8) >= 0 &&
		       memcmp(a, m->last, family_bits(m->family) / 8) <= 0;
	full = m->prefix / 8;
	if (memcmp(a, m->addr, full) != 0)
		return false;
	for (i = full * 8; i < m->prefix; i++)
		if ((a[i / 8] ^ m->addr[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}
