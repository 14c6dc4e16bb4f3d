/* Internals of the user library shared between its files. */
#ifndef LIB_LIBUSER_H
#define LIB_LIBUSER_H

#include <stddef.h>

long console_write(const void *buf, size_t len);
void console_flush_all(void);
void touch_pages(const void *p, size_t len);

/* The calling thread's IPC buffer (IPC_BUFFER_SIZE bytes, registered at start). */
extern char ipc_buffer[];

/* Registers ipc_buffer with the kernel after making it resident. */
void ipc_buffer_init(void);

/*
 * Wires the IPC buffer (mlock). The kernel writes replies into it and never
 * takes a fault to do so, so it must stay mapped and writable - also after a
 * fork, which would make it copy-on-write if it were not wired. Processes
 * only: the root task has no VM server to ask.
 */
void ipc_buffer_wire(void);

#endif
