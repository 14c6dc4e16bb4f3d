/*
 * Every value a user thread hands the kernel is an allegation until one of
 * these has vetted it. They return 0 or a negative E_ code from abi.h.
 */
#ifndef KERNEL_CHECK_H
#define KERNEL_CHECK_H

#include "kernel.h"

struct space;
struct thread;

/* [va, va + len) is inside user space, page-aligned, without wrapping. */
int check_user_pages(uint64_t va, uint64_t len);

/* [va, va + len) is inside user space (any alignment), without wrapping. */
int check_user_range(uint64_t va, uint64_t len);

/* perm is a mapping permission Sv39 allows: R, RW, X, RX, RWX. */
int check_perm(uint64_t perm);

/* The space with this id, which `self` manages. */
struct space *check_managed_space(struct thread *self, uint64_t id, int *error);

/*
 * Maps va_perm -> pa, then `count` further struct map_record from the
 * pager's IPC buffer, into `target`, checking each record: a user page,
 * a valid permission, a frame of the pager's pool. Stops at the first bad
 * record; returns 0 or its error.
 */
int check_and_map(struct thread *pager, struct space *target, uint64_t va_perm,
		  uint64_t pa, uint64_t count);

#endif
