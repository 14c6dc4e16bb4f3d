/*
 * Page faults and other exceptions of user threads become messages to the
 * thread's pager; the pager's reply to a page fault carries mappings.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "thread.h"

/* Sends the exception t just took to t's pager. Returns the thread to run. */
struct thread *fault_forward(struct thread *t, uint64_t scause, uint64_t stval);

/*
 * Applies the pager's reply m to the page fault of t. Returns 0 (t may run)
 * or a negative E_ code (t keeps waiting; the pager is told).
 */
int fault_resolve(struct thread *t, struct thread *pager, const struct message *m);

#endif
