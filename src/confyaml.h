/* SPDX-License-Identifier: BSD-3-Clause */
/* confyaml.h: walking a libyaml document for the configuration file (conf.c, and the
 * server section in confoptions.c), every mistake reported at its node's FILE:LINE:COL. */
#ifndef DUALNS_CONFYAML_H
#define DUALNS_CONFYAML_H

#include <stddef.h>
#include <stdio.h>

#include <yaml.h>

#include "conf.h"

/* A document being read into c: errors go to err as one line. */
struct confyaml {
	struct conf *c;               /* c->path names the file in error lines */
	yaml_document_t doc;
	char *err;
	size_t errlen;
};

/* Loads the first document of f into x->doc. Returns 0; -EINVAL with
 * "FILE:LINE:COL: YAML: ..." in x->err for a syntax error; -ENOMEM. */
int confyaml_parse(struct confyaml *x, FILE *f);

/* Sets x->err to "FILE:LINE:COL: " (n's start, 1-based) and the message. Returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int confyaml_fail(struct confyaml *x, const yaml_node_t *n, const char *fmt, ...);

/* The node of a pair's key or value, or a list item. */
yaml_node_t *confyaml_node(struct confyaml *x, int index);

/* "a map", "a list" or "a value", for messages. */
const char *confyaml_type_name(const yaml_node_t *n);

/* The text of a value node; NULL (x->err set, "WHAT: ...") for a map, a list, an empty
 * value or one holding a NUL. */
const char *confyaml_scalar(struct confyaml *x, const yaml_node_t *n, const char *what);

typedef int (*confyaml_item_fn)(struct confyaml *x, yaml_node_t *item, void *arg);

/* Calls fn(x, item, arg) for each item of a list, or once for n itself when it is a
 * single item (as in Knot, a list of one may stand without brackets). Items must be maps
 * or values as want says. Returns 0, -EINVAL (x->err set), or fn's first negative. */
int confyaml_each(struct confyaml *x, yaml_node_t *n, yaml_node_type_t want, const char *what,
		  confyaml_item_fn fn, void *arg);

/* Checks that the keys of map are among the count names, each given once, and puts each
 * value in slots (NULL for a key not given). Returns 0 or -EINVAL ("unknown key",
 * "duplicate key" at the key). */
int confyaml_fields(struct confyaml *x, yaml_node_t *map, const char *section,
		    const char *const names[], size_t count, yaml_node_t *slots[]);

/* Fails at map, naming the first missing field among the bits of required (bit i:
 * names[i]). Returns 0 or -EINVAL. */
int confyaml_require(struct confyaml *x, yaml_node_t *map, const char *section,
		     const char *const names[], yaml_node_t *slots[], unsigned required);

/* Grows *array of count elements of size by one zeroed element. Returns that element, or
 * NULL when out of memory (*array unchanged). */
void *confyaml_grow(void **array, size_t count, size_t size);

#endif
