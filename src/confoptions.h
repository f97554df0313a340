/* SPDX-License-Identifier: BSD-3-Clause */
/* confoptions.h: the configuration file's server section as dualnsd's command line: each
 * key is a long option of options.c, each value the word "--key=value", parsed by the same
 * options_parse(), and merged with the real command line, which wins. */
#ifndef DUALNS_CONFOPTIONS_H
#define DUALNS_CONFOPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "confyaml.h"
#include "options.h"

/* Reads the server section (a map) of the file into x->c->words, checking each word as
 * options_parse() would. Returns 0; -EINVAL with "FILE:LINE:COL: what is wrong" in x->err
 * (an unknown key, one for the command line only, a key given twice, a list for an option
 * that takes one value, true or false for a flag, and options_parse()'s own messages);
 * -ENOMEM. */
int confoptions_section(struct confyaml *x, yaml_node_t *map);

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
