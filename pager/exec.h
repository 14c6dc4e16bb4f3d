/* Loading a program into a new process's map (lazily: entries, not pages). */
#ifndef PAGER_EXEC_H
#define PAGER_EXEC_H

#include "initrd.h"
#include "vmserver.h"

/*
 * Maps the ELF file's segments into p->map - text and read-only data shared
 * from an image object, writable data copy-on-write over one, bss as
 * anonymous memory - and sets p's heap to start after them. Returns 0 and
 * the entry point, or -errno (ENOEXEC for a bad file, ENOMEM).
 */
int exec_load(struct proc *p, const struct initrd_file *file, vm_offset_t *entry);

/*
 * Maps the stack and writes the argument block at its top: argc, argv[],
 * NULL, then the strings. Returns 0 and the initial sp (= the block), or -errno.
 */
int exec_stack(struct proc *p, int argc, char *const argv[], vm_offset_t *sp);

#endif
