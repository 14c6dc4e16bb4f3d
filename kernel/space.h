/*
 * Address spaces: a page table with an ASID, the endpoint capabilities its
 * threads may use, and the pager that manages it. Only a space's manager may
 * change its mappings, and only with frames of the manager's pool.
 */
#ifndef KERNEL_SPACE_H
#define KERNEL_SPACE_H

#include "kernel.h"
#include "sv39.h"

#define NSPACES 128
#define NSLOTS  16

struct endpoint;

struct cap {
	struct endpoint *ep;	/* NULL: empty slot */
	uint64_t badge;		/* delivered to the receiver with each message */
};

struct space {
	uint32_t id;		/* index + 1 | generation << 16; never 0 */
	bool in_use;
	pte_t *root;		/* in the direct map */
	uint64_t satp;		/* root, ASID and mode, ready for csrw */
	uint64_t asid;		/* 0: none (switching to it flushes the TLB) */
	struct space *manager;	/* may map, unmap, protect; itself for the root */
	struct cap caps[NSLOTS];
	int nthreads;
};

void space_init(pte_t *kernel_root);

/* A new, empty space managed by `manager` (NULL: by itself); NULL if none left. */
struct space *space_create(struct space *manager);
struct space *space_lookup(uint64_t id);
/* Frees its threads, tables and caps. Never the frames it mapped: the pager's. */
void space_destroy(struct space *s);

/* Makes s the hart's current address space. */
void space_activate(struct space *s);

/*
 * Maps one page. va must be a page-aligned user address, perm a valid Sv39
 * combination of PTE_R/W/X, pa a frame the caller vetted. Replaces any
 * earlier mapping. Returns 0, or -E_NOMEM when no page table can be had.
 */
int space_map(struct space *s, vaddr_t va, paddr_t pa, uint64_t perm);
void space_unmap(struct space *s, vaddr_t va, uint64_t len);
/* Sets the permission of the mapped pages in range (others stay unmapped). */
void space_protect(struct space *s, vaddr_t va, uint64_t len, uint64_t perm);
/* Accessed and dirty bits of up to 64 pages from va, as bit masks. */
void space_read_ad(struct space *s, vaddr_t va, int pages,
		   uint64_t *accessed, uint64_t *dirty);
void space_clear_ad(struct space *s, vaddr_t va, int pages, uint64_t pte_bits);

/*
 * Copies between kernel memory and user memory of s, through its page table,
 * honouring the user's permissions. Returns 0, or -E_FAULT if any page is not
 * mapped with PTE_U and the permission the copy needs.
 */
int space_copy_in(struct space *s, void *dst, vaddr_t src, uint64_t len);
/* Is [va, va + len) user memory of s mapped readable (va 0: never)? */
bool space_user_readable(struct space *s, vaddr_t va, uint64_t len);
int space_copy_out(struct space *s, vaddr_t dst, const void *src, uint64_t len);

#endif
