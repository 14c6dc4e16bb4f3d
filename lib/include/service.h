/*
 * Service names: a server registers its endpoint under a name, and clients
 * find it by that name (the VM server keeps the registry: vm_proto.h).
 */
#ifndef LIB_SERVICE_H
#define LIB_SERVICE_H

/*
 * Creates an endpoint and registers it as `name` (1..31 printable
 * characters, no spaces). Returns the endpoint's cap slot - receive on it
 * with ipc_reply_wait; each caller's badge is its pid - or -1 with errno:
 * EEXIST (a live process has that name), EINVAL, ENOSPC (the registry is
 * full), EMFILE (no free cap slot). The name goes when this process ends.
 */
int service_register(const char *name);

/*
 * Finds the service `name`, waiting up to wait_ms milliseconds for it to
 * register (0: not at all). Returns the cap slot to ipc_call it with, or -1
 * with errno: ENOENT (no such name, wait_ms == 0), ETIMEDOUT (none came in
 * time), EINVAL (a bad name), EMFILE (no free cap slot).
 */
int service_lookup(const char *name, unsigned wait_ms);

/*
 * Gives back a slot service_lookup returned: the cap goes, and the slot is
 * free for a later lookup.
 */
void service_release(int slot);

#endif
