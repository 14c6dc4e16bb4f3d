/* Internals of the user library shared between its files. */
#ifndef LIB_LIBUSER_H
#define LIB_LIBUSER_H

#include <stddef.h>
#include <sys/types.h>

long console_write(const void *buf, size_t len);
void console_flush_all(void);
void touch_pages(const void *p, size_t len);

struct ipc_msg;

/*
 * Sends a request to the VM server (lib/vm.c); returns the reply's label
 * (0 or errno), *m the reply. A reply whose data could not be written to
 * our IPC buffer is an error.
 */
int vm_call(struct ipc_msg *m);

/* vm_call, then -1 with errno set on an error; else value, or w0 if value < 0. */
long vm_result(struct ipc_msg *m, long value);

/* mmap of a file descriptor (file.c). */
void *file_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);

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
