/* SPDX-License-Identifier: BSD-3-Clause */
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

/* One JSON document with the keys listed in dualq(1), then a newline. Names and RDATA
 * are the presentation text the other formats print. Returns 0; -ENOMEM when the
 * document could not be built, -EIO when it could not be written (nothing, or a part,
 * was written). */
int output_json(FILE *f, const struct dualq_options *opt, const char *server,
		const struct exchange *ex, const struct verdicts *vd);

/* The answer section's RDATA, one record a line, like dig +short. */
void output_short(FILE *f, const struct exchange *ex);

#endif
