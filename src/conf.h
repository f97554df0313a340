/* SPDX-License-Identifier: BSD-3-Clause */
/* conf.h: the YAML configuration file (dualnsd.conf(5)), read into resolved structs:
 * server options as command-line words, keys, remotes, ACLs and zones. Load path only. */
#ifndef DUALNS_CONF_H
#define DUALNS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "confaddr.h"
#include "dns.h"

/* The TSIG algorithms a key may name (RFC 8945 section 6, RFC 4635). */
enum conf_algorithm {
	CONF_HMAC_SHA1 = 0,
	CONF_HMAC_SHA224,
	CONF_HMAC_SHA256,
	CONF_HMAC_SHA384,
	CONF_HMAC_SHA512,
};

/* A key: a TSIG key name, its algorithm and its decoded secret. */
struct conf_key {
	char *id;                     /* as written, the key name */
	uint8_t wire[DNS_MAX_NAME];   /* the name in wire form, lower case */
	size_t wire_len;
	enum conf_algorithm algorithm;
	const char *algorithm_name;   /* "hmac-sha256" */
	uint8_t *secret;
	size_t secret_len;
};

/* A remote server: where to send NOTIFY, with the key to sign with (or NULL). */
struct conf_remote {
	char *id;
	struct sockaddr_storage *addrs; /* port 53 unless ADDR@PORT */
	size_t addr_count;
	const struct conf_key *key;
};

/* What an ACL allows (bit flags). */
enum conf_action {
	CONF_ACTION_TRANSFER = 1 << 0,
	CONF_ACTION_NOTIFY = 1 << 1,
};

/* Who may do an action: a client whose address matches one of addrs (all addresses when
 * there is none) and, when keys are given, that signed with one of them. */
struct conf_acl {
	char *id;
	struct confaddr_match *addrs;
	size_t addr_count;
	const struct conf_key **keys;
	size_t key_count;
	unsigned actions;             /* enum conf_action bits */
};

/* A zone of the file: served from file with the ACLs and NOTIFY targets given; or, with
 * masters, a secondary zone transferred from them (file, optional: where it is kept). */
struct conf_zone {
	char *domain;                 /* as written */
	uint8_t wire[DNS_MAX_NAME];   /* the origin in wire form, lower case */
	size_t wire_len;
	char *file;                   /* relative to the file's folder when written relative;
	                               * NULL: a secondary zone kept in memory only */
	char *arg;                    /* "DOMAIN=FILE", a zone argument (zonelist.h); NULL for
	                               * a secondary zone */
	const struct conf_remote **notify;
	size_t notify_count;
	const struct conf_acl **acl;
	size_t acl_count;
	const struct conf_remote **masters; /* `master` or `primary`: none, not a secondary */
	size_t master_count;
};

/* One server option of the file as the command-line word it becomes ("--port=5353",
 * "--reuseport"), with where its value stands, for error lines. */
struct conf_word {
	char *word;
	char *name;                   /* the option's name: "port" */
	unsigned line, column;        /* 1-based */
};

struct conf {
	char *path;
	struct conf_word *words;
	size_t word_count;
	struct conf_key *keys;
	size_t key_count;
	struct conf_remote *remotes;
	size_t remote_count;
	struct conf_acl *acls;
	size_t acl_count;
	struct conf_zone *zones;
	size_t zone_count;
};

/* Room for an error line: the path and a message. */
#define CONF_ERR_SIZE 1280

/* Reads and checks the file at path into c (emptied first). Returns 0; -EINVAL with one
 * line "FILE:LINE:COL: what is wrong" in err (YAML syntax, a second YAML document, an
 * unknown section or key, a wrong type, a duplicate id or zone, an undefined reference,
 * a bad address, algorithm, secret or name, a missing key, a server option
 * options_parse() refuses); -errno when
 * the file cannot be read ("FILE: reason"); -ENOMEM. On failure c is empty. */
int conf_load(const char *path, struct conf *c, char *err, size_t errlen);

/* Frees what c holds and empties it. Safe on an empty or zeroed conf. */
void conf_free(struct conf *c);

/* The key, remote or ACL with this id, or NULL. */
const struct conf_key *conf_key_find(const struct conf *c, const char *id);
const struct conf_remote *conf_remote_find(const struct conf *c, const char *id);
const struct conf_acl *conf_acl_find(const struct conf *c, const char *id);

#endif
