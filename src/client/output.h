/* output.h: print what dualq saw: a text trace and dig-like sections, JSON, or +short. */
#ifndef DUALQ_OUTPUT_H
#define DUALQ_OUTPUT_H

#include <stdio.h>

#include "client/exchange.h"
#include "client/options.h"
#include "client/verdicts.h"

/* The leg whose reply is the answer: the last one that got a reply, or NULL. */
const struct leg *output_final_leg(const struct exchange *ex);

/* Transport trace, verdicts, then the final reply in dig's sections. */
void output_text(FILE *f, const struct dualq_options *opt, const char *server,
		 const struct exchange *ex, const struct verdicts *vd);

/* One JSON document with the keys listed in dualq(1). */
void output_json(FILE *f, const struct dualq_options *opt, const char *server,
		 const struct exchange *ex, const struct verdicts *vd);

/* The answer section's RDATA, one record a line, like dig +short. */
void output_short(FILE *f, const struct exchange *ex);

/* Writes s as a JSON string literal, quotes included (RFC 8259 section 7). */
void output_json_string(FILE *f, const char *s);

#endif
