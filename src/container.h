/* SPDX-License-Identifier: BSD-3-Clause */
/* container.h: container_of, the struct that embeds a member, from the member. */
#ifndef DUALNS_CONTAINER_H
#define DUALNS_CONTAINER_H

#include <stddef.h>

/* libev passes callbacks the watcher; the watcher is embedded in the object the callback
 * needs (ev.pod: "associating custom data with a watcher"). */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
