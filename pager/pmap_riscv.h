/*
 * The VM server's pmap backend: pmap_hw.h over kernel calls.
 *
 * Mappings are not made one system call each: hw_enter() appends to a batch,
 * and the batch goes to the kernel with the reply to the fault being served
 * (which the kernel applies before resuming the thread), or in one SYS_MAP
 * when anything else must happen first. So a fault that maps its page and
 * four neighbours costs the kernel one entry, the reply.
 */
#ifndef PAGER_PMAP_RISCV_H
#define PAGER_PMAP_RISCV_H

#include <stdint.h>
#include "kern.h"

/* The pool window: where the server sees physical frame pa. */
void pmap_riscv_init(const struct boot_info *bi);

/* Sends pending mappings with SYS_MAP (before anything that must follow them). */
void pmap_batch_flush(void);

/*
 * If the batch holds mappings for `space` only, moves them into a fault
 * reply: m gets FAULT_MAP with the first record, the IPC buffer the rest.
 * Otherwise flushes, and m gets FAULT_RETRY. The batch is empty after.
 */
void pmap_batch_to_reply(uint64_t space, struct ipc_msg *m);

#endif
