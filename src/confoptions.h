/* SPDX-License-Identifier: BSD-3-Clause */
/* confoptions.h: the configuration file's server section as dualnsd's command line: each
 * key is a long option of options.c, each value the word "--key=value", parsed by the same
 * options_parse(), and merged with the real command line, which wins. */
#ifndef DUALNS_CONFOPTIONS_H
#define DUALNS_CONFOPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "options.h"

/* How a server key takes its value. */
enum confoptions_kind {
	CONFOPTIONS_UNKNOWN = 0,      /* no such option */
	CONFOPTIONS_REFUSED,          /* command line only (options_command_line_only) */
	CONFOPTIONS_FLAG,             /* true or false */
	CONFOPTIONS_VALUE,            /* one value */
	CONFOPTIONS_OPTIONAL,         /* true, false or a value (--force-tc[=N]) */
	CONFOPTIONS_LIST,             /* one value or a list of them (options_repeatable) */
};

/* What the server key name is, from options_long. */
enum confoptions_kind confoptions_kind(const char *name);

/* Appends the word for name: value to c->words ("--name=value"; "--name" for a flag that
 * is "true"; nothing for "false"). Returns 0; -EINVAL when a flag's value is not true or
 * false (err says so, without the position); -ENOMEM. */
int confoptions_add(struct conf *c, const char *name, const char *value, unsigned line,
		    unsigned column, char *err, size_t errlen);

/* Parses the file's words alone with options_parse(). Returns 0, or -EINVAL with err
 * "FILE:LINE:COL: " and options_parse()'s line, at the first word it refuses. */
int confoptions_check(const struct conf *c, char *err, size_t errlen);

/* The command line to parse: argv[0], the file's words whose option the command line
 * does not give (a repeatable one given there replaces the file's whole list), then
 * argv[1..]. Returns a NULL-terminated array of argc words (*argc_out) that points into
 * c and argv (free only the array), or NULL when out of memory. */
char **confoptions_merge(const struct conf *c, int argc, char **argv, int *argc_out);

/* Logs "FILE: KEY changed; restart to apply" once for each server key whose words differ
 * between old and new and that the command line does not override. Returns how many. */
size_t confoptions_report_changes(const struct conf *old, const struct conf *new, int argc,
				  char **argv);

#endif
