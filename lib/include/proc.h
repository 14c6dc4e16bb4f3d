/* Calls of this system with no POSIX equivalent. */
#ifndef LIB_PROC_H
#define LIB_PROC_H

#include <sys/types.h>

/*
 * Starts the program `path` of the boot image with argv (NULL-terminated) as
 * a child process. Returns its pid, or -1 with errno set.
 */
pid_t spawn(const char *path, char *const argv[]);

/* Asks the VM server to zero up to `pages` free pages ahead of need (benchmarks). */
long vm_prezero(long pages);

/* Objects in the shadow chain that backs addr (0: nothing touched yet), or -1. */
long vm_chain_depth(const void *addr);

#endif
