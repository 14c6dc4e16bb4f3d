/*
 * The VM core's basic types and conventions.
 *
 * pager/vm/ is a user-level rendering of FreeBSD's machine-independent VM:
 * maps of entries, objects in shadow chains, resident pages, and the fault
 * procedure. It touches hardware only through pmap.h and backing stores only
 * through vm_pager.h, and needs nothing from libc beyond string.h - so the
 * same code runs in the VM server and, against a simulated pmap, on the host.
 *
 * Concurrency: the VM server is one thread; nothing here is locked. Where
 * FreeBSD holds a lock, the comments say what the step may change.
 */
#ifndef VM_VM_H
#define VM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t vm_offset_t;		/* a virtual address or size */
typedef uint64_t vm_paddr_t;		/* a physical address */
typedef uint64_t vm_pindex_t;		/* a page index within an object */
typedef uint8_t vm_prot_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((vm_offset_t)1 << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)
#define atop(x)    ((vm_pindex_t)(x) >> PAGE_SHIFT)
#define ptoa(x)    ((vm_offset_t)(x) << PAGE_SHIFT)
#define trunc_page(x) ((vm_offset_t)(x) & ~PAGE_MASK)
#define round_page(x) (((vm_offset_t)(x) + PAGE_MASK) & ~PAGE_MASK)

#define VM_PROT_NONE    0x00
#define VM_PROT_READ    0x01
#define VM_PROT_WRITE   0x02
#define VM_PROT_EXECUTE 0x04
#define VM_PROT_COPY    0x08	/* a fault that must copy even if not writing */
#define VM_PROT_ALL     (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

/* Results of map and fault operations, as Mach and FreeBSD name them. */
enum {
	KERN_SUCCESS = 0,
	KERN_INVALID_ADDRESS,		/* no entry: SIGSEGV / SEGV_MAPERR */
	KERN_PROTECTION_FAILURE,	/* entry forbids it: SIGSEGV / SEGV_ACCERR */
	KERN_NO_SPACE,			/* no room in the map */
	KERN_INVALID_ARGUMENT,
	KERN_FAILURE,			/* the pager failed: SIGBUS / BUS_OBJERR */
	KERN_RESOURCE_SHORTAGE,		/* out of pages: SIGBUS / BUS_OOMERR */
	KERN_OUT_OF_BOUNDS,		/* past the object's end: SIGBUS / BUS_OBJERR */
	KERN_PENDING,			/* a pager is reading or writing the page:
					   wait for it, then fault again */
};

/* Called when an invariant is false; the VM server and host tests define it. */
void vm_panic(const char *file, int line, const char *what) __attribute__((noreturn));

/* State an invariant and check it: always on (the checks are cheap). */
#define VM_ASSERT(cond) do { \
	if (!(cond)) \
		vm_panic(__FILE__, __LINE__, #cond); \
} while (0)

/* System-wide counters, with FreeBSD's vmmeter names. */
struct vm_counters {
	uint64_t v_vm_faults;	/* calls to vm_fault */
	uint64_t v_io_faults;	/* page-ins that brought their data (FreeBSD counts
				   the hard faults that complete: one each) */
	uint64_t v_cow_faults;	/* copy-on-write faults (copy or move) */
	uint64_t v_cow_optim;	/* ... resolved by moving the page */
	uint64_t v_zfod;	/* zero-fill-on-demand faults */
	uint64_t v_ozfod;	/* ... that found a page already zeroed */
	uint64_t v_intrans;	/* faults that found the page busy */
	uint64_t v_pageins;	/* pager reads started (FreeBSD's v_vnodein) */
	uint64_t v_pagein_pages;	/* ... the pages they asked for */
	uint64_t v_pageouts;	/* pager write-backs started */
	uint64_t v_pageout_pages;	/* ... the pages they wrote */
	uint64_t v_prefaults;	/* pages mapped by prefault */
	uint64_t v_page_count;	/* pages managed */
	uint64_t v_free_count;	/* pages free */
	uint64_t v_wire_count;	/* pages wired (VM structures included) */
	uint64_t v_objects;	/* live VM objects */
	uint64_t v_collapses;	/* backing objects absorbed by their shadow */
	uint64_t v_bypasses;	/* backing objects skipped by their shadow */
};
extern struct vm_counters vm_cnt;

#endif
