/* SPDX-License-Identifier: BSD-3-Clause */
/* conf.c: reading the YAML configuration file (libyaml's document API) into struct conf,
 * with every mistake reported as FILE:LINE:COL. Load path only. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <sodium.h>

#include "conf.h"
#include "confoptions.h"
#include "confyaml.h"

/* The longest TSIG secret accepted, decoded: far above any HMAC's block size. */
#define CONF_SECRET_MAX 512

static const char *const algorithm_names[] = {
	[CONF_HMAC_SHA1] = "hmac-sha1",
	[CONF_HMAC_SHA224] = "hmac-sha224",
	[CONF_HMAC_SHA256] = "hmac-sha256",
	[CONF_HMAC_SHA384] = "hmac-sha384",
	[CONF_HMAC_SHA512] = "hmac-sha512",
};

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

/* ---- ids, references and addresses, as every section has them ---- */

typedef const void *(*find_fn)(const struct conf *c, const char *id);

static const void *find_key(const struct conf *c, const char *id)
{
	return conf_key_find(c, id);
}

static const void *find_remote(const struct conf *c, const char *id)
{
	return conf_remote_find(c, id);
}

static const void *find_acl(const struct conf *c, const char *id)
{
	return conf_acl_find(c, id);
}

/* The zone of this origin (compared in wire form, without case), or NULL. */
static const void *find_zone(const struct conf *c, const char *domain)
{
	uint8_t wire[DNS_MAX_NAME];
	size_t i, len = dname_parse(wire, domain);

	for (i = 0; len > 0 && i < c->zone_count; i++)
		if (c->zones[i].wire_len == len && memcmp(c->zones[i].wire, wire, len) == 0)
			return &c->zones[i];
	return NULL;
}

/* What an item of a section holds: its keys, the required ones (bit i: names[i]), and
 * how to find an earlier item by its id (names[0]). */
struct item_kind {
	const char *section;
	const char *const *names;
	size_t count;
	unsigned required;
	find_fn find;
};

/* Checks an item's keys into f and returns its id, or NULL (x->err set) when a key is
 * unknown, given twice or missing, or an earlier item has that id. */
static const char *item_begin(struct confyaml *x, yaml_node_t *map, const struct item_kind *k,
			      yaml_node_t *f[])
{
	char what[32];
	const char *id;

	if (confyaml_fields(x, map, k->section, k->names, k->count, f) < 0 ||
	    confyaml_require(x, map, k->section, k->names, f, k->required) < 0)
		return NULL;
	snprintf(what, sizeof(what), "%s %s", k->section, k->names[0]);
	id = confyaml_scalar(x, f[0], what);
	if (id != NULL && k->find(x->c, id) != NULL) {
		confyaml_fail(x, f[0], "duplicate %s '%s'", what, id);
		return NULL;
	}
	return id;
}

/* A list of references being read: each id is found with find, or is an error at the
 * reference naming kind. array holds pointers to what find returns. */
struct refs {
	const char *kind;
	find_fn find;
	void **array;
	size_t *count;
};

static int ref_item(struct confyaml *x, yaml_node_t *n, void *arg)
{
	const struct refs *refs = arg;
	const char *id = confyaml_scalar(x, n, refs->kind);
	const void *target;
	void *slot;

	if (id == NULL)
		return -EINVAL;
	target = refs->find(x->c, id);
	if (target == NULL)
		return confyaml_fail(x, n, "undefined %s '%s'", refs->kind, id);
	slot = confyaml_grow(refs->array, *refs->count, sizeof(target));
	if (slot == NULL)
		return -ENOMEM;
	/* The array's type is a pointer to the struct find returns: same representation. */
	memcpy(slot, &target, sizeof(target));
	(*refs->count)++;
	return 0;
}

/* Reads one reference or a list of them from n (nothing when n is NULL). */
static int refs_read(struct confyaml *x, yaml_node_t *n, const char *kind, find_fn find,
		     void **array, size_t *count)
{
	struct refs refs = { kind, find, array, count };

	if (n == NULL)
		return 0;
	return confyaml_each(x, n, YAML_SCALAR_NODE, kind, ref_item, &refs);
}

/* A list of addresses being read: each parsed by parse into an element of size. */
struct addrs {
	const char *what;
	const char *expect;           /* the forms accepted, for the error */
	int (*parse)(void *dst, const char *text);
	void **array;
	size_t *count;
	size_t size;
};

static int parse_remote(void *dst, const char *text)
{
	return confaddr_parse_remote(dst, text);
}

static int parse_match(void *dst, const char *text)
{
	return confaddr_parse_match(dst, text);
}

static int addr_item(struct confyaml *x, yaml_node_t *n, void *arg)
{
	const struct addrs *a = arg;
	const char *text = confyaml_scalar(x, n, a->what);
	void *slot;

	if (text == NULL)
		return -EINVAL;
	slot = confyaml_grow(a->array, *a->count, a->size);
	if (slot == NULL)
		return -ENOMEM;
	if (a->parse(slot, text) < 0)
		return confyaml_fail(x, n, "%s: '%s' is not %s", a->what, text, a->expect);
	(*a->count)++;
	return 0;
}

/* ---- key ---- */

static const char *const key_fields[] = { "id", "algorithm", "secret" };
static const struct item_kind key_kind = { "key", key_fields, 3, 1 | 2 | 4, find_key };

static int key_item(struct confyaml *x, yaml_node_t *map, void *arg)
{
	yaml_node_t *f[3];
	struct conf_key *k;
	const char *id, *alg, *secret;
	uint8_t buf[CONF_SECRET_MAX];
	const char *end;
	size_t i, len;

	(void)arg;
	if ((id = item_begin(x, map, &key_kind, f)) == NULL ||
	    (alg = confyaml_scalar(x, f[1], "key algorithm")) == NULL ||
	    (secret = confyaml_scalar(x, f[2], "key secret")) == NULL)
		return -EINVAL;
	k = confyaml_grow((void **)&x->c->keys, x->c->key_count, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->wire_len = dname_parse(k->wire, id);
	if (k->wire_len == 0)
		return confyaml_fail(x, f[0], "key id: '%s' is not a domain name", id);
	for (i = 0; i < sizeof(algorithm_names) / sizeof(algorithm_names[0]); i++)
		if (strcasecmp(alg, algorithm_names[i]) == 0)
			break;
	if (i == sizeof(algorithm_names) / sizeof(algorithm_names[0]))
		return confyaml_fail(x, f[1], "key algorithm: '%s' is not hmac-sha1, hmac-sha224, "
				     "hmac-sha256, hmac-sha384 or hmac-sha512", alg);
	k->algorithm = (enum conf_algorithm)i;
	k->algorithm_name = algorithm_names[i];
	if (sodium_base642bin(buf, sizeof(buf), secret, strlen(secret), NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0' || len == 0)
		return confyaml_fail(x, f[2], "key secret: not base64 (RFC 4648 section 4)");
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

/* ---- remote ---- */

static const char *const remote_fields[] = { "id", "address", "key" };
static const struct item_kind remote_kind = { "remote", remote_fields, 3, 1 | 2, find_remote };

/* A remote's one key: sets *key, or fails at the reference. */
static int key_ref(struct confyaml *x, yaml_node_t *n, const struct conf_key **key)
{
	const char *id = confyaml_scalar(x, n, "remote key");

	if (id == NULL)
		return -EINVAL;
	*key = conf_key_find(x->c, id);
	if (*key == NULL)
		return confyaml_fail(x, n, "undefined key '%s'", id);
	return 0;
}

static int remote_item(struct confyaml *x, yaml_node_t *map, void *arg)
{
	struct addrs a = { "remote address", "ADDR or ADDR@PORT (IPv4 or IPv6, port 1 to 65535)",
			   parse_remote, NULL, NULL, sizeof(struct sockaddr_storage) };
	struct conf_remote *rm;
	yaml_node_t *f[3];
	const char *id;
	int r;

	(void)arg;
	if ((id = item_begin(x, map, &remote_kind, f)) == NULL)
		return -EINVAL;
	rm = confyaml_grow((void **)&x->c->remotes, x->c->remote_count, sizeof(*rm));
	if (rm == NULL || (rm->id = strdup(id)) == NULL)
		return -ENOMEM;
	/* Counted at once, so that conf_free() frees what the item has so far. */
	x->c->remote_count++;
	a.array = (void **)&rm->addrs;
	a.count = &rm->addr_count;
	r = confyaml_each(x, f[1], YAML_SCALAR_NODE, a.what, addr_item, &a);
	if (r == 0 && f[2] != NULL)
		r = key_ref(x, f[2], &rm->key);
	return r;
}

/* ---- acl ---- */

static const char *const acl_fields[] = { "id", "address", "key", "action" };
/* Knot allows an ACL without addresses (any address, then a key decides). */
static const struct item_kind acl_kind = { "acl", acl_fields, 4, 1 | 8, find_acl };

static int acl_action(struct confyaml *x, yaml_node_t *n, void *arg)
{
	struct conf_acl *acl = arg;
	const char *text = confyaml_scalar(x, n, "acl action");

	if (text == NULL)
		return -EINVAL;
	if (strcmp(text, "transfer") == 0)
		acl->actions |= CONF_ACTION_TRANSFER;
	else if (strcmp(text, "notify") == 0)
		acl->actions |= CONF_ACTION_NOTIFY;
	else
		return confyaml_fail(x, n, "acl action: '%s' is not transfer or notify", text);
	return 0;
}

static int acl_item(struct confyaml *x, yaml_node_t *map, void *arg)
{
	struct addrs a = { "acl address", "ADDR, ADDR/LEN or ADDR1-ADDR2", parse_match, NULL,
			   NULL, sizeof(struct confaddr_match) };
	struct conf_acl *acl;
	yaml_node_t *f[4];
	const char *id;
	int r = 0;

	(void)arg;
	if ((id = item_begin(x, map, &acl_kind, f)) == NULL)
		return -EINVAL;
	acl = confyaml_grow((void **)&x->c->acls, x->c->acl_count, sizeof(*acl));
	if (acl == NULL || (acl->id = strdup(id)) == NULL)
		return -ENOMEM;
	x->c->acl_count++;
	a.array = (void **)&acl->addrs;
	a.count = &acl->addr_count;
	if (f[1] != NULL)
		r = confyaml_each(x, f[1], YAML_SCALAR_NODE, a.what, addr_item, &a);
	if (r == 0)
		r = refs_read(x, f[2], "key", find_key, (void **)&acl->keys, &acl->key_count);
	if (r == 0)
		r = confyaml_each(x, f[3], YAML_SCALAR_NODE, "acl action", acl_action, acl);
	return r;
}

/* ---- zone ---- */

static const char *const zone_fields[] = { "domain", "file", "notify", "acl", "master",
					    "primary" };
static const struct item_kind zone_kind = { "zone", zone_fields, 6, 1, find_zone };

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

/* A secondary zone's primaries: `master` (Knot's word) or its alias `primary`. */
static int zone_masters(struct confyaml *x, yaml_node_t *map, yaml_node_t *f[],
			struct conf_zone *z)
{
	yaml_node_t *m = f[4] != NULL ? f[4] : f[5];
	int r;

	if (f[4] != NULL && f[5] != NULL)
		return confyaml_fail(x, f[5], "zone primary: give master or primary, not both");
	if (m == NULL) {
		if (f[1] == NULL)
			return confyaml_fail(x, map, "zone: missing 'file' (or a master to "
					     "transfer it from)");
		return 0;
	}
	r = refs_read(x, m, "remote", find_remote, (void **)&z->masters, &z->master_count);
	if (r < 0)
		return r;
	if (z->master_count == 0)
		return confyaml_fail(x, m, "zone master: names no remote");
	return 0;
}

static int zone_item(struct confyaml *x, yaml_node_t *map, void *arg)
{
	struct conf_zone *z;
	yaml_node_t *f[6];
	const char *domain, *file = NULL;
	uint8_t wire[DNS_MAX_NAME];
	size_t len;
	int r;

	(void)arg;
	if ((domain = item_begin(x, map, &zone_kind, f)) == NULL ||
	    (f[1] != NULL && (file = confyaml_scalar(x, f[1], "zone file")) == NULL))
		return -EINVAL;
	len = dname_parse(wire, domain);
	if (len == 0)
		return confyaml_fail(x, f[0], "zone domain: '%s' is not a domain name", domain);
	z = confyaml_grow((void **)&x->c->zones, x->c->zone_count, sizeof(*z));
	if (z == NULL)
		return -ENOMEM;
	x->c->zone_count++;
	memcpy(z->wire, wire, len);
	z->wire_len = len;
	z->domain = strdup(domain);
	if (z->domain == NULL)
		return -ENOMEM;
	r = zone_masters(x, map, f, z);
	if (r < 0)
		return r;
	if (file != NULL && (z->file = zone_path(x->c->path, file)) == NULL)
		return -ENOMEM;
	/* A secondary zone is loaded by the secondary module, not from the zone list. */
	if (z->master_count == 0 && asprintf(&z->arg, "%s=%s", z->domain, z->file) < 0) {
		z->arg = NULL;
		return -ENOMEM;
	}
	r = refs_read(x, f[2], "remote", find_remote, (void **)&z->notify, &z->notify_count);
	if (r == 0)
		r = refs_read(x, f[3], "acl", find_acl, (void **)&z->acl, &z->acl_count);
	return r;
}

/* ---- the file ---- */

static const char *const section_names[] = { "server", "key", "remote", "acl", "zone" };
static const confyaml_item_fn section_items[] = {
	NULL, key_item, remote_item, acl_item, zone_item,
};
#define SECTION_COUNT (sizeof(section_names) / sizeof(section_names[0]))

/* The sections are read in the order of section_names whatever their order in the file,
 * so that references (a zone's acl) always find what they name. */
static int conf_sections(struct confyaml *x)
{
	yaml_node_t *root = yaml_document_get_root_node(&x->doc);
	yaml_node_t *f[SECTION_COUNT];
	size_t i;
	int r;

	/* An empty file, or one of comments or a bare "---": no section. */
	if (root == NULL || (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return confyaml_fail(x, root, "expected sections (server, key, remote, acl, "
				     "zone), not %s", confyaml_type_name(root));
	r = confyaml_fields(x, root, "the file", section_names, SECTION_COUNT, f);
	if (r < 0)
		return r;
	for (i = 0; i < SECTION_COUNT && r == 0; i++) {
		if (f[i] == NULL)
			continue;
		if (i == 0)
			r = confoptions_section(x, f[i]);
		else
			r = confyaml_each(x, f[i], YAML_MAPPING_NODE, section_names[i],
					  section_items[i], NULL);
	}
	return r;
}

int conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	struct confyaml x = { .c = c, .err = err, .errlen = errlen };
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
	r = c->path == NULL ? -ENOMEM : confyaml_parse(&x, f);
	fclose(f);
	if (r == 0) {
		r = conf_sections(&x);
		yaml_document_delete(&x.doc);
	}
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
		free(c->zones[i].masters);
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
