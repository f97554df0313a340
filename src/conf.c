/* SPDX-License-Identifier: BSD-3-Clause */
/* conf.c: reading the YAML configuration file (libyaml's document API) into struct conf,
 * with every mistake reported as FILE:LINE:COL. Load path only. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <sodium.h>
#include <yaml.h>

#include "conf.h"
#include "confoptions.h"

/* The longest TSIG secret accepted, decoded: far above any HMAC's block size. */
#define CONF_SECRET_MAX 512

static const char *const algorithm_names[] = {
	[CONF_HMAC_SHA1] = "hmac-sha1",
	[CONF_HMAC_SHA224] = "hmac-sha224",
	[CONF_HMAC_SHA256] = "hmac-sha256",
	[CONF_HMAC_SHA384] = "hmac-sha384",
	[CONF_HMAC_SHA512] = "hmac-sha512",
};

struct ctx {
	struct conf *c;
	yaml_document_t doc;
	char *err;
	size_t errlen;
};

/* Sets the error line at n's position. Returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int fail(struct ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
	int len;
	va_list ap;

	len = snprintf(x->err, x->errlen, "%s:%zu:%zu: ", x->c->path, n->start_mark.line + 1,
		       n->start_mark.column + 1);
	if (len < 0 || (size_t)len >= x->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(x->err + len, x->errlen - (size_t)len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static yaml_node_t *node(struct ctx *x, int index)
{
	return yaml_document_get_node(&x->doc, index);
}

static const char *type_name(const yaml_node_t *n)
{
	return n->type == YAML_MAPPING_NODE ? "a map" :
	       n->type == YAML_SEQUENCE_NODE ? "a list" : "a value";
}

/* The text of a scalar node, or NULL (err set) for a map, a list or an empty value. */
static const char *scalar(struct ctx *x, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		fail(x, n, "%s: expected a value, not %s", what, type_name(n));
		return NULL;
	}
	if (n->data.scalar.length == 0) {
		fail(x, n, "%s: give a value", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		fail(x, n, "%s: a value must not hold a NUL character", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

typedef int (*item_fn)(struct ctx *x, yaml_node_t *item, void *arg);

/* Calls fn for each item of a list, or for n itself when it is a single item (as in
 * Knot, a list of one may stand without brackets). Items must be of type want. */
static int each_item(struct ctx *x, yaml_node_t *n, yaml_node_type_t want, const char *what,
		     item_fn fn, void *arg)
{
	yaml_node_item_t *i;
	int r;

	if (n->type != YAML_SEQUENCE_NODE) {
		if (n->type != want)
			return fail(x, n, "%s: expected %s or a list, not %s", what,
				    want == YAML_MAPPING_NODE ? "a map" : "a value", type_name(n));
		return fn(x, n, arg);
	}
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		yaml_node_t *item = node(x, *i);

		if (item->type != want)
			return fail(x, item, "%s: expected %s, not %s", what,
				    want == YAML_MAPPING_NODE ? "a map" : "a value",
				    type_name(item));
		r = fn(x, item, arg);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Checks that a map's keys are among names (count of them), each once, and puts each
 * value in slots (NULL for a key not given). */
static int map_fields(struct ctx *x, yaml_node_t *map, const char *section,
		      const char *const names[], size_t count, yaml_node_t *slots[])
{
	yaml_node_pair_t *p;
	const char *name;
	size_t i;

	memset(slots, 0, count * sizeof(*slots));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node(x, p->key);

		name = scalar(x, key, section);
		if (name == NULL)
			return -EINVAL;
		for (i = 0; i < count && strcmp(names[i], name) != 0; i++)
			;
		if (i == count)
			return fail(x, key, "unknown key '%s' in %s", name, section);
		if (slots[i] != NULL)
			return fail(x, key, "duplicate key '%s' in %s", name, section);
		slots[i] = node(x, p->value);
	}
	return 0;
}

/* Fails when a required field is missing: at the item, naming the first. */
static int require(struct ctx *x, yaml_node_t *map, const char *section,
		   const char *const names[], yaml_node_t *slots[], unsigned required)
{
	size_t i;

	for (i = 0; required >> i != 0; i++)
		if ((required & (1u << i)) && slots[i] == NULL)
			return fail(x, map, "%s: missing '%s'", section, names[i]);
	return 0;
}

/* Grows an array of count elements of size by one zeroed element. Returns it, or NULL. */
static void *grow(void **array, size_t count, size_t size)
{
	char *a = realloc(*array, (count + 1) * size);

	if (a == NULL)
		return NULL;
	*array = a;
	memset(a + count * size, 0, size);
	return a + count * size;
}

/* Parses a domain name into wire (lower case). Returns its length, or 0 when bad. */
static size_t dname_parse(uint8_t *wire, const char *text)
{
	ldns_rdf *rdf = NULL;
	size_t len = 0;

	if (ldns_str2rdf_dname(&rdf, text) != LDNS_STATUS_OK || rdf == NULL)
		return 0;
	ldns_dname2canonical(rdf);
	if (ldns_rdf_size(rdf) <= DNS_MAX_NAME) {
		len = ldns_rdf_size(rdf);
		memcpy(wire, ldns_rdf_data(rdf), len);
	}
	ldns_rdf_deep_free(rdf);
	return len;
}

/* ---- server ---- */

struct server_arg {
	const char *name;
};

static int server_value(struct ctx *x, yaml_node_t *n, void *arg)
{
	const struct server_arg *a = arg;
	char msg[CONF_ERR_SIZE];
	const char *value = scalar(x, n, a->name);
	int r;

	if (value == NULL)
		return -EINVAL;
	r = confoptions_add(x->c, a->name, value, (unsigned)n->start_mark.line + 1,
			    (unsigned)n->start_mark.column + 1, msg, sizeof(msg));
	if (r == -EINVAL)
		return fail(x, n, "%s", msg);
	return r;
}

static int section_server(struct ctx *x, yaml_node_t *map)
{
	yaml_node_pair_t *p, *q;
	struct server_arg a;
	int r;

	if (map->type != YAML_MAPPING_NODE)
		return fail(x, map, "server: expected a map, not %s", type_name(map));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node(x, p->key), *value = node(x, p->value);

		a.name = scalar(x, key, "server");
		if (a.name == NULL)
			return -EINVAL;
		for (q = map->data.mapping.pairs.start; q < p; q++)
			if (strcmp((const char *)node(x, q->key)->data.scalar.value, a.name) == 0)
				return fail(x, key, "duplicate key '%s' in server", a.name);
		switch (confoptions_kind(a.name)) {
		case CONFOPTIONS_UNKNOWN:
			return fail(x, key, "unknown key '%s' in server (the keys are the long "
				    "options of dualnsd(8))", a.name);
		case CONFOPTIONS_REFUSED:
			return fail(x, key, "server: '%s' is for the command line only", a.name);
		case CONFOPTIONS_LIST:
			r = each_item(x, value, YAML_SCALAR_NODE, a.name, server_value, &a);
			break;
		default:
			r = server_value(x, value, &a);
			break;
		}
		if (r < 0)
			return r;
	}
	return confoptions_check(x->c, x->err, x->errlen);
}

/* ---- key ---- */

static const char *const key_fields[] = { "id", "algorithm", "secret" };

static int key_item(struct ctx *x, yaml_node_t *map, void *arg)
{
	yaml_node_t *f[3];
	struct conf_key *k;
	const char *id, *alg, *secret;
	uint8_t buf[CONF_SECRET_MAX];
	const char *end;
	size_t i, len;
	int r;

	(void)arg;
	r = map_fields(x, map, "key", key_fields, 3, f);
	if (r == 0)
		r = require(x, map, "key", key_fields, f, 7);
	if (r < 0)
		return r;
	if ((id = scalar(x, f[0], "key id")) == NULL ||
	    (alg = scalar(x, f[1], "key algorithm")) == NULL ||
	    (secret = scalar(x, f[2], "key secret")) == NULL)
		return -EINVAL;
	k = grow((void **)&x->c->keys, x->c->key_count, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->wire_len = dname_parse(k->wire, id);
	if (k->wire_len == 0)
		return fail(x, f[0], "key id: '%s' is not a domain name", id);
	for (i = 0; i < x->c->key_count; i++)
		if (x->c->keys[i].wire_len == k->wire_len &&
		    memcmp(x->c->keys[i].wire, k->wire, k->wire_len) == 0)
			return fail(x, f[0], "duplicate key id '%s'", id);
	for (i = 0; i < sizeof(algorithm_names) / sizeof(algorithm_names[0]); i++)
		if (strcasecmp(alg, algorithm_names[i]) == 0)
			break;
	if (i == sizeof(algorithm_names) / sizeof(algorithm_names[0]))
		return fail(x, f[1], "key algorithm: '%s' is not hmac-sha1, hmac-sha224, "
			    "hmac-sha256, hmac-sha384 or hmac-sha512", alg);
	k->algorithm = (enum conf_algorithm)i;
	k->algorithm_name = algorithm_names[i];
	if (sodium_base642bin(buf, sizeof(buf), secret, strlen(secret), NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0' || len == 0)
		return fail(x, f[2], "key secret: not base64 (RFC 4648 section 4)");
	k->secret = malloc(len);
	k->id = strdup(id);
	if (k->secret == NULL || k->id == NULL) {
		free(k->secret);
		free(k->id);
		return -ENOMEM;
	}
	memcpy(k->secret, buf, len);
	sodium_memzero(buf, sizeof(buf));
	k->secret_len = len;
	x->c->key_count++;
	return 0;
}

/* A reference to a key: sets *key, or fails at the reference. */
static int key_ref(struct ctx *x, yaml_node_t *n, const struct conf_key **key)
{
	const char *id = scalar(x, n, "key");

	if (id == NULL)
		return -EINVAL;
	*key = conf_key_find(x->c, id);
	if (*key == NULL)
		return fail(x, n, "undefined key '%s'", id);
	return 0;
}

/* ---- remote ---- */

static const char *const remote_fields[] = { "id", "address", "key" };

static int remote_address(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_remote *rm = arg;
	struct sockaddr_storage *a;
	const char *text = scalar(x, n, "remote address");

	if (text == NULL)
		return -EINVAL;
	a = grow((void **)&rm->addrs, rm->addr_count, sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	if (confaddr_parse_remote(a, text) < 0)
		return fail(x, n, "remote address: '%s' is not ADDR or ADDR@PORT (IPv4 or "
			    "IPv6, port 1 to 65535)", text);
	rm->addr_count++;
	return 0;
}

static int remote_item(struct ctx *x, yaml_node_t *map, void *arg)
{
	struct conf_remote *rm;
	yaml_node_t *f[3];
	const char *id;
	int r;

	(void)arg;
	r = map_fields(x, map, "remote", remote_fields, 3, f);
	if (r == 0)
		r = require(x, map, "remote", remote_fields, f, 3);
	if (r < 0 || (id = scalar(x, f[0], "remote id")) == NULL)
		return -EINVAL;
	if (conf_remote_find(x->c, id) != NULL)
		return fail(x, f[0], "duplicate remote id '%s'", id);
	rm = grow((void **)&x->c->remotes, x->c->remote_count, sizeof(*rm));
	if (rm == NULL || (rm->id = strdup(id)) == NULL)
		return -ENOMEM;
	/* Counted at once, so that conf_free() frees what the item has so far. */
	x->c->remote_count++;
	r = each_item(x, f[1], YAML_SCALAR_NODE, "remote address", remote_address, rm);
	if (r == 0 && f[2] != NULL)
		r = key_ref(x, f[2], &rm->key);
	return r;
}

/* ---- acl ---- */

static const char *const acl_fields[] = { "id", "address", "key", "action" };

static int acl_address(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_acl *acl = arg;
	struct confaddr_match *m;
	const char *text = scalar(x, n, "acl address");

	if (text == NULL)
		return -EINVAL;
	m = grow((void **)&acl->addrs, acl->addr_count, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	if (confaddr_parse_match(m, text) < 0)
		return fail(x, n, "acl address: '%s' is not ADDR, ADDR/LEN or ADDR1-ADDR2", text);
	acl->addr_count++;
	return 0;
}

static int acl_key(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_acl *acl = arg;
	const struct conf_key **k;

	k = grow((void **)&acl->keys, acl->key_count, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	if (key_ref(x, n, k) < 0)
		return -EINVAL;
	acl->key_count++;
	return 0;
}

static int acl_action(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_acl *acl = arg;
	const char *text = scalar(x, n, "acl action");

	if (text == NULL)
		return -EINVAL;
	if (strcmp(text, "transfer") == 0)
		acl->actions |= CONF_ACTION_TRANSFER;
	else if (strcmp(text, "notify") == 0)
		acl->actions |= CONF_ACTION_NOTIFY;
	else
		return fail(x, n, "acl action: '%s' is not transfer or notify", text);
	return 0;
}

static int acl_item(struct ctx *x, yaml_node_t *map, void *arg)
{
	struct conf_acl *acl;
	yaml_node_t *f[4];
	const char *id;
	int r;

	(void)arg;
	r = map_fields(x, map, "acl", acl_fields, 4, f);
	/* Knot allows an ACL without addresses (any address, then a key decides). */
	if (r == 0)
		r = require(x, map, "acl", acl_fields, f, 1 | 8);
	if (r < 0 || (id = scalar(x, f[0], "acl id")) == NULL)
		return -EINVAL;
	if (conf_acl_find(x->c, id) != NULL)
		return fail(x, f[0], "duplicate acl id '%s'", id);
	acl = grow((void **)&x->c->acls, x->c->acl_count, sizeof(*acl));
	if (acl == NULL || (acl->id = strdup(id)) == NULL)
		return -ENOMEM;
	x->c->acl_count++;
	if (f[1] != NULL)
		r = each_item(x, f[1], YAML_SCALAR_NODE, "acl address", acl_address, acl);
	if (r == 0 && f[2] != NULL)
		r = each_item(x, f[2], YAML_SCALAR_NODE, "acl key", acl_key, acl);
	if (r == 0)
		r = each_item(x, f[3], YAML_SCALAR_NODE, "acl action", acl_action, acl);
	return r;
}

/* ---- zone ---- */

static const char *const zone_fields[] = { "domain", "file", "notify", "acl" };

static int zone_notify(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_zone *z = arg;
	const struct conf_remote **rm;
	const char *id = scalar(x, n, "zone notify");

	if (id == NULL)
		return -EINVAL;
	rm = grow((void **)&z->notify, z->notify_count, sizeof(*rm));
	if (rm == NULL)
		return -ENOMEM;
	*rm = conf_remote_find(x->c, id);
	if (*rm == NULL)
		return fail(x, n, "undefined remote '%s'", id);
	z->notify_count++;
	return 0;
}

static int zone_acl(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_zone *z = arg;
	const struct conf_acl **acl;
	const char *id = scalar(x, n, "zone acl");

	if (id == NULL)
		return -EINVAL;
	acl = grow((void **)&z->acl, z->acl_count, sizeof(*acl));
	if (acl == NULL)
		return -ENOMEM;
	*acl = conf_acl_find(x->c, id);
	if (*acl == NULL)
		return fail(x, n, "undefined acl '%s'", id);
	z->acl_count++;
	return 0;
}

/* The zone file's path: a relative one is relative to the configuration file's folder. */
static char *zone_path(const char *conf_path, const char *file)
{
	const char *slash = strrchr(conf_path, '/');
	char *path;

	if (file[0] == '/' || slash == NULL)
		return strdup(file);
	if (asprintf(&path, "%.*s/%s", (int)(slash - conf_path), conf_path, file) < 0)
		return NULL;
	return path;
}

static int zone_item(struct ctx *x, yaml_node_t *map, void *arg)
{
	struct conf_zone *z;
	yaml_node_t *f[4];
	const char *domain, *file;
	uint8_t wire[DNS_MAX_NAME];
	size_t i, len;
	int r;

	(void)arg;
	r = map_fields(x, map, "zone", zone_fields, 4, f);
	if (r == 0)
		r = require(x, map, "zone", zone_fields, f, 3);
	if (r < 0 || (domain = scalar(x, f[0], "zone domain")) == NULL ||
	    (file = scalar(x, f[1], "zone file")) == NULL)
		return -EINVAL;
	len = dname_parse(wire, domain);
	if (len == 0)
		return fail(x, f[0], "zone domain: '%s' is not a domain name", domain);
	for (i = 0; i < x->c->zone_count; i++)
		if (x->c->zones[i].wire_len == len && memcmp(x->c->zones[i].wire, wire, len) == 0)
			return fail(x, f[0], "duplicate zone '%s'", domain);
	z = grow((void **)&x->c->zones, x->c->zone_count, sizeof(*z));
	if (z == NULL)
		return -ENOMEM;
	x->c->zone_count++;
	memcpy(z->wire, wire, len);
	z->wire_len = len;
	z->domain = strdup(domain);
	z->file = zone_path(x->c->path, file);
	if (z->domain == NULL || z->file == NULL ||
	    asprintf(&z->arg, "%s=%s", z->domain, z->file) < 0) {
		z->arg = NULL;
		return -ENOMEM;
	}
	if (f[2] != NULL)
		r = each_item(x, f[2], YAML_SCALAR_NODE, "zone notify", zone_notify, z);
	if (r == 0 && f[3] != NULL)
		r = each_item(x, f[3], YAML_SCALAR_NODE, "zone acl", zone_acl, z);
	return r;
}

/* ---- the file ---- */

static const char *const section_names[] = { "server", "key", "remote", "acl", "zone" };
static const item_fn section_items[] = { NULL, key_item, remote_item, acl_item, zone_item };
#define SECTION_COUNT (sizeof(section_names) / sizeof(section_names[0]))

/* The sections are read in the order of section_names whatever their order in the file,
 * so that references (a zone's acl) always find what they name. */
static int conf_sections(struct ctx *x)
{
	yaml_node_t *root = yaml_document_get_root_node(&x->doc);
	yaml_node_t *f[SECTION_COUNT];
	size_t i;
	int r;

	if (root == NULL)
		return 0; /* an empty file: no section */
	if (root->type != YAML_MAPPING_NODE)
		return fail(x, root, "expected sections (server, key, remote, acl, zone), not %s",
			    type_name(root));
	r = map_fields(x, root, "the file", section_names, SECTION_COUNT, f);
	if (r < 0)
		return r;
	for (i = 0; i < SECTION_COUNT && r == 0; i++) {
		if (f[i] == NULL)
			continue;
		if (i == 0)
			r = section_server(x, f[i]);
		else
			r = each_item(x, f[i], YAML_MAPPING_NODE, section_names[i],
				      section_items[i], NULL);
	}
	return r;
}

int conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	struct ctx x = { .c = c, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	FILE *f;
	int r;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	f = fopen(path, "r");
	if (f == NULL) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return r;
	}
	c->path = strdup(path);
	if (c->path == NULL || !yaml_parser_initialize(&parser)) {
		fclose(f);
		conf_free(c);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &x.doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: YAML: %s%s%s", path,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.context != NULL ? parser.context : "",
			 parser.context != NULL ? ", " : "",
			 parser.problem != NULL ? parser.problem : "cannot be parsed");
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
		yaml_parser_delete(&parser);
		fclose(f);
		conf_free(c);
		return r;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	r = conf_sections(&x);
	yaml_document_delete(&x.doc);
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	if (r < 0)
		conf_free(c);
	return r;
}

void conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->word_count; i++) {
		free(c->words[i].word);
		free(c->words[i].name);
	}
	for (i = 0; i < c->key_count; i++) {
		free(c->keys[i].id);
		if (c->keys[i].secret != NULL)
			sodium_memzero(c->keys[i].secret, c->keys[i].secret_len);
		free(c->keys[i].secret);
	}
	for (i = 0; i < c->remote_count; i++) {
		free(c->remotes[i].id);
		free(c->remotes[i].addrs);
	}
	for (i = 0; i < c->acl_count; i++) {
		free(c->acls[i].id);
		free(c->acls[i].addrs);
		free(c->acls[i].keys);
	}
	for (i = 0; i < c->zone_count; i++) {
		free(c->zones[i].domain);
		free(c->zones[i].file);
		free(c->zones[i].arg);
		free(c->zones[i].notify);
		free(c->zones[i].acl);
	}
	free(c->words);
	free(c->keys);
	free(c->remotes);
	free(c->acls);
	free(c->zones);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

const struct conf_key *conf_key_find(const struct conf *c, const char *id)
{
	uint8_t wire[DNS_MAX_NAME];
	size_t i, len = dname_parse(wire, id);

	for (i = 0; len > 0 && i < c->key_count; i++)
		if (c->keys[i].wire_len == len && memcmp(c->keys[i].wire, wire, len) == 0)
			return &c->keys[i];
	return NULL;
}

const struct conf_remote *conf_remote_find(const struct conf *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->remote_count; i++)
		if (strcmp(c->remotes[i].id, id) == 0)
			return &c->remotes[i];
	return NULL;
}

const struct conf_acl *conf_acl_find(const struct conf *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->acl_count; i++)
		if (strcmp(c->acls[i].id, id) == 0)
			return &c->acls[i];
	return NULL;
}
