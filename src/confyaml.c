/* SPDX-License-Identifier: BSD-3-Clause */
/* confyaml.c: walking a libyaml document for the configuration file: values, lists of one
 * or more, maps with known keys, and errors at a node's FILE:LINE:COL. Load path only. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confyaml.h"

/* Sets the error line at n's position. Returns -EINVAL. */
int confyaml_fail(struct confyaml *x, const yaml_node_t *n, const char *fmt, ...)
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

yaml_node_t *confyaml_node(struct confyaml *x, int index)
{
	return yaml_document_get_node(&x->doc, index);
}

const char *confyaml_type_name(const yaml_node_t *n)
{
	return n->type == YAML_MAPPING_NODE ? "a map" :
	       n->type == YAML_SEQUENCE_NODE ? "a list" : "a value";
}

/* The text of a scalar node, or NULL (err set) for a map, a list or an empty value. */
const char *confyaml_scalar(struct confyaml *x, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		confyaml_fail(x, n, "%s: expected a value, not %s", what, confyaml_type_name(n));
		return NULL;
	}
	if (n->data.scalar.length == 0) {
		confyaml_fail(x, n, "%s: give a value", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		confyaml_fail(x, n, "%s: a value must not hold a NUL character", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* Calls fn for each item of a list, or for n itself when it is a single item (as in
 * Knot, a list of one may stand without brackets). Items must be of type want. */
int confyaml_each(struct confyaml *x, yaml_node_t *n, yaml_node_type_t want, const char *what,
		  confyaml_item_fn fn, void *arg)
{
	yaml_node_item_t *i;
	int r;

	if (n->type != YAML_SEQUENCE_NODE) {
		if (n->type != want)
			return confyaml_fail(x, n, "%s: expected %s or a list, not %s", what,
					     want == YAML_MAPPING_NODE ? "a map" : "a value",
					     confyaml_type_name(n));
		return fn(x, n, arg);
	}
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		yaml_node_t *item = confyaml_node(x, *i);

		if (item->type != want)
			return confyaml_fail(x, item, "%s: expected %s, not %s", what,
					     want == YAML_MAPPING_NODE ? "a map" : "a value",
					     confyaml_type_name(item));
		r = fn(x, item, arg);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Checks that a map's keys are among names (count of them), each once, and puts each
 * value in slots (NULL for a key not given). */
int confyaml_fields(struct confyaml *x, yaml_node_t *map, const char *section,
		    const char *const names[], size_t count, yaml_node_t *slots[])
{
	yaml_node_pair_t *p;
	const char *name;
	size_t i;

	memset(slots, 0, count * sizeof(*slots));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *key = confyaml_node(x, p->key);

		name = confyaml_scalar(x, key, section);
		if (name == NULL)
			return -EINVAL;
		for (i = 0; i < count && strcmp(names[i], name) != 0; i++)
			;
		if (i == count)
			return confyaml_fail(x, key, "unknown key '%s' in %s", name, section);
		if (slots[i] != NULL)
			return confyaml_fail(x, key, "duplicate key '%s' in %s", name, section);
		slots[i] = confyaml_node(x, p->value);
	}
	return 0;
}

/* Fails when a required field is missing: at the item, naming the first. */
int confyaml_require(struct confyaml *x, yaml_node_t *map, const char *section,
		     const char *const names[], yaml_node_t *slots[], unsigned required)
{
	size_t i;

	for (i = 0; required >> i != 0; i++)
		if ((required & (1u << i)) && slots[i] == NULL)
			return confyaml_fail(x, map, "%s: missing '%s'", section, names[i]);
	return 0;
}

/* Grows an array of count elements of size by one zeroed element. Returns it, or NULL. */
void *confyaml_grow(void **array, size_t count, size_t size)
{
	char *a = realloc(*array, (count + 1) * size);

	if (a == NULL)
		return NULL;
	*array = a;
	memset(a + count * size, 0, size);
	return a + count * size;
}


/* A second document after the first would be ignored without a word: refused. Returns 0,
 * or -EINVAL (x->err set, a syntax error in it included), -ENOMEM. */
static int second_document(struct confyaml *x, yaml_parser_t *parser)
{
	yaml_document_t next;
	yaml_node_t *root;
	int r = 0;

	if (!yaml_parser_load(parser, &next)) {
		snprintf(x->err, x->errlen, "%s:%zu:%zu: YAML: %s", x->c->path,
			 parser->problem_mark.line + 1, parser->problem_mark.column + 1,
			 parser->problem != NULL ? parser->problem : "cannot be parsed");
		return parser->error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
	}
	root = yaml_document_get_root_node(&next);
	if (root != NULL)
		r = confyaml_fail(x, root, "a second YAML document: give everything in one");
	yaml_document_delete(&next);
	return r;
}

int confyaml_parse(struct confyaml *x, FILE *f)
{
	yaml_parser_t parser;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &x->doc)) {
		snprintf(x->err, x->errlen, "%s:%zu:%zu: YAML: %s%s%s", x->c->path,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.context != NULL ? parser.context : "",
			 parser.context != NULL ? ", " : "",
			 parser.problem != NULL ? parser.problem : "cannot be parsed");
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
	} else {
		r = second_document(x, &parser);
		if (r < 0)
			yaml_document_delete(&x->doc);
	}
	yaml_parser_delete(&parser);
	return r;
}
