/*
 * Sv39 page tables: three levels of 512 eight-byte entries. A leaf maps a
 * 4 KiB page (level 0), a 2 MiB megapage (1) or a 1 GiB gigapage (2).
 */
#ifndef ARCH_RISCV_SV39_H
#define ARCH_RISCV_SV39_H

#include <stdbool.h>
#include <stddef.h>
#include "memlayout.h"

typedef uint64_t pte_t;

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)

#define PTES_PER_TABLE 512
#define LEVEL_SHIFT(level) (PAGE_SHIFT + 9 * (level))
#define LEVEL_SIZE(level)  (1UL << LEVEL_SHIFT(level))
#define PTE_INDEX(va, level) (((va) >> LEVEL_SHIFT(level)) & 511)

static inline paddr_t pte_to_pa(pte_t pte)
{
	return (pte >> 10) << PAGE_SHIFT;
}

static inline pte_t pa_to_pte(paddr_t pa, uint64_t flags)
{
	return ((pa >> PAGE_SHIFT) << 10) | flags;
}

/* A valid entry with any of R, W, X is a leaf; with none it points down. */
static inline bool pte_is_leaf(pte_t pte)
{
	return (pte & PTE_V) && (pte & PTE_RWX);
}

/*
 * The level-0 entry of va, if the tables above it exist (else NULL): the
 * walk the hardware does, for the common case where nothing is missing.
 */
static inline pte_t *sv39_find_pte(pte_t *root, vaddr_t va)
{
	pte_t pte = root[PTE_INDEX(va, 2)];
	pte_t *table;

	if ((pte & (PTE_V | PTE_RWX)) != PTE_V)
		return NULL;
	table = phys_to_virt(pte_to_pa(pte));
	pte = table[PTE_INDEX(va, 1)];
	if ((pte & (PTE_V | PTE_RWX)) != PTE_V)
		return NULL;
	table = phys_to_virt(pte_to_pa(pte));
	return &table[PTE_INDEX(va, 0)];
}

/*
 * Returns the level-0 table that holds va's entry, or NULL if a level above is
 * missing and alloc is NULL (or fails). alloc must return a zeroed page from
 * the direct map. Refuses (NULL) to descend through a leaf at level 1 or 2.
 */
pte_t *sv39_leaf_table(pte_t *root, vaddr_t va, void *(*alloc)(void));

/* Frees the user half's intermediate tables (never the frames they map). */
void sv39_free_user_tables(pte_t *root, void (*free_page)(void *));

#endif
