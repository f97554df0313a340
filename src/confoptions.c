/* SPDX-License-Identifier: BSD-3-Clause */
/* confoptions.c: the server section of the configuration file as command-line words,
 * built from options_long alone, so that every option has its key. Load path only. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confoptions.h"
#include "log.h"

/* How a server key takes its value. */
enum confoptions_kind {
	CONFOPTIONS_UNKNOWN = 0,      /* no such option */
	CONFOPTIONS_REFUSED,          /* command line only (options_command_line_only) */
	CONFOPTIONS_FLAG,             /* true or false */
	CONFOPTIONS_VALUE,            /* one value */
	CONFOPTIONS_OPTIONAL,         /* true, false or a value (--force-tc[=N]) */
	CONFOPTIONS_LIST,             /* one value or a list of them (options_repeatable) */
};

static const struct option *option_find(const char *name)
{
	const struct option *o;

	for (o = options_long; o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

static enum confoptions_kind confoptions_kind(const char *name)
{
	const struct option *o = option_find(name);

	if (o == NULL)
		return CONFOPTIONS_UNKNOWN;
	if (options_command_line_only(name))
		return CONFOPTIONS_REFUSED;
	if (o->has_arg == no_argument)
		return CONFOPTIONS_FLAG;
	if (o->has_arg == optional_argument)
		return CONFOPTIONS_OPTIONAL;
	return options_repeatable(name) ? CONFOPTIONS_LIST : CONFOPTIONS_VALUE;
}

/* Appends the word for name: value to c->words ("--name=value"; "--name" for a flag that
 * is "true"; nothing for "false"). Returns 0; -EINVAL when a flag's value is not true or
 * false (err says so); -ENOMEM. */
static int confoptions_add(struct conf *c, const char *name, const char *value, unsigned line,
		    unsigned column, char *err, size_t errlen)
{
	enum confoptions_kind kind = confoptions_kind(name);
	bool is_true = strcmp(value, "true") == 0, is_false = strcmp(value, "false") == 0;
	struct conf_word *grown, *w;
	int r;

	if (kind == CONFOPTIONS_FLAG && !is_true && !is_false) {
		snprintf(err, errlen, "%s: give true or false, not '%s'", name, value);
		return -EINVAL;
	}
	if (is_false && kind != CONFOPTIONS_VALUE && kind != CONFOPTIONS_LIST)
		return 0;
	grown = realloc(c->words, (c->word_count + 1) * sizeof(*grown));
	if (grown == NULL)
		return -ENOMEM;
	c->words = grown;
	w = &c->words[c->word_count];
	memset(w, 0, sizeof(*w));
	if (is_true && kind != CONFOPTIONS_VALUE && kind != CONFOPTIONS_LIST)
		r = asprintf(&w->word, "--%s", name);
	else
		r = asprintf(&w->word, "--%s=%s", name, value);
	if (r < 0) {
		w->word = NULL;
		return -ENOMEM;
	}
	w->name = strdup(name);
	if (w->name == NULL) {
		free(w->word);
		return -ENOMEM;
	}
	w->line = line;
	w->column = column;
	c->word_count++;
	return 0;
}

/* Parses the file's words alone with options_parse(). Returns 0, or -EINVAL with err
 * "FILE:LINE:COL: " and options_parse()'s line, at the first word it refuses. */
static int confoptions_check(const struct conf *c, char *err, size_t errlen)
{
	char msg[CONF_ERR_SIZE];
	struct options o;
	char **argv;
	size_t i;

	argv = calloc(c->word_count + 2, sizeof(*argv));
	if (argv == NULL)
		return -ENOMEM;
	argv[0] = "dualnsd";
	/* One word more each time: the first refused names its own position, whether alone
	 * (a range) or with those before it (one --listen too many). */
	for (i = 0; i < c->word_count; i++) {
		argv[i + 1] = c->words[i].word;
		if (options_parse(&o, (int)i + 2, argv, msg, sizeof(msg)) == 0)
			continue;
		snprintf(err, errlen, "%s:%u:%u: %s", c->path, c->words[i].line,
			 c->words[i].column, msg);
		free(argv);
		return -EINVAL;
	}
	free(argv);
	return 0;
}

/* The server key whose value or values server_value() reads. */
struct server_arg {
	const char *name;
};

/* One value of a server key: its word, at the value's position. */
static int server_value(struct confyaml *x, yaml_node_t *n, void *arg)
{
	const struct server_arg *a = arg;
	char msg[CONF_ERR_SIZE];
	const char *value = confyaml_scalar(x, n, a->name);
	int r;

	if (value == NULL)
		return -EINVAL;
	r = confoptions_add(x->c, a->name, value, (unsigned)n->start_mark.line + 1,
			    (unsigned)n->start_mark.column + 1, msg, sizeof(msg));
	if (r == -EINVAL)
		return confyaml_fail(x, n, "%s", msg);
	return r;
}

int confoptions_section(struct confyaml *x, yaml_node_t *map)
{
	yaml_node_pair_t *p, *q;
	struct server_arg a;
	int r;

	if (map->type != YAML_MAPPING_NODE)
		return confyaml_fail(x, map, "server: expected a map, not %s",
				     confyaml_type_name(map));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *key = confyaml_node(x, p->key), *value = confyaml_node(x, p->value);

		a.name = confyaml_scalar(x, key, "server");
		if (a.name == NULL)
			return -EINVAL;
		for (q = map->data.mapping.pairs.start; q < p; q++)
			if (strcmp((const char *)confyaml_node(x, q->key)->data.scalar.value,
				   a.name) == 0)
				return confyaml_fail(x, key, "duplicate key '%s' in server", a.name);
		switch (confoptions_kind(a.name)) {
		case CONFOPTIONS_UNKNOWN:
			return confyaml_fail(x, key, "unknown key '%s' in server (the keys are "
					     "the long options of dualnsd(8))", a.name);
		case CONFOPTIONS_REFUSED:
			return confyaml_fail(x, key, "server: '%s' is for the command line only",
					     a.name);
		case CONFOPTIONS_LIST:
			r = confyaml_each(x, value, YAML_SCALAR_NODE, a.name, server_value, &a);
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


/* Marks in given[] (one per options_long entry) the options argv gives. */
static void command_line_given(bool *given, int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof(*copy));
	const struct option *o;
	int c, idx;

	if (copy == NULL)
		return;
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	optind = 0;
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, copy, options_short, options_long, &idx);
		if (c == -1)
			break;
		if (idx >= 0) {
			given[idx] = true;
			continue;
		}
		for (o = options_long; o->name != NULL; o++)
			if (o->flag == NULL && o->val == c)
				given[o - options_long] = true;
	}
	free(copy);
}

static size_t options_count(void)
{
	const struct option *o;

	for (o = options_long; o->name != NULL; o++)
		;
	return (size_t)(o - options_long);
}

/* True when the command line gives the option name (given from command_line_given). */
static bool overridden(const bool *given, const char *name)
{
	const struct option *o = option_find(name);

	return o != NULL && given[o - options_long];
}

char **confoptions_merge(const struct conf *c, int argc, char **argv, int *argc_out)
{
	bool *given = calloc(options_count() + 1, sizeof(*given));
	char **merged = calloc(c->word_count + (size_t)argc + 1, sizeof(*merged));
	size_t i, n = 0;
	int j;

	if (given == NULL || merged == NULL) {
		free(given);
		free(merged);
		return NULL;
	}
	command_line_given(given, argc, argv);
	merged[n++] = argv[0];
	for (i = 0; i < c->word_count; i++)
		if (!overridden(given, c->words[i].name))
			merged[n++] = c->words[i].word;
	for (j = 1; j < argc; j++)
		merged[n++] = argv[j];
	free(given);
	*argc_out = (int)n;
	return merged;
}

/* True when old and new give name the same words in the same order. */
static bool same_words(const struct conf *old, const struct conf *new, const char *name)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < old->word_count && strcmp(old->words[i].name, name) != 0)
			i++;
		while (j < new->word_count && strcmp(new->words[j].name, name) != 0)
			j++;
		if (i == old->word_count || j == new->word_count)
			return i == old->word_count && j == new->word_count;
		if (strcmp(old->words[i].word, new->words[j].word) != 0)
			return false;
		i++;
		j++;
	}
}

size_t confoptions_report_changes(const struct conf *old, const struct conf *new, int argc,
				  char **argv)
{
	bool *given = calloc(options_count() + 1, sizeof(*given));
	const struct option *o;
	size_t n = 0;

	if (given == NULL)
		return 0;
	command_line_given(given, argc, argv);
	for (o = options_long; o->name != NULL; o++) {
		if (given[o - options_long] || same_words(old, new, o->name))
			continue;
		log_warning("%s: %s changed; restart to apply", new->path, o->name);
		n++;
	}
	free(given);
	return n;
}
