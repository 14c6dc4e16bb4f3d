#include "space.h"
#include "csr.h"
#include "frame.h"
#include "ipc.h"
#include "thread.h"
#include "uapi/abi.h"

static struct space spaces[NSPACES];
static pte_t *kernel_root;
static uint64_t asid_mask;		/* the ASID bits this hart implements */
static struct space *active_space;

/* Finds how many ASID bits the hart has: write all ones, read back. */
static uint64_t probe_asid_mask(void)
{
	uint64_t old = csr_read(satp), mask;

	csr_write(satp, old | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	mask = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, old);
	sfence_vma_all();
	return mask;
}

void space_init(pte_t *root)
{
	kernel_root = root;
	asid_mask = probe_asid_mask();
	if (asid_mask < NSPACES)
		kprintf("space: %lu ASIDs; address space switches flush the TLB\n", asid_mask + 1);
}


struct space *space_create(struct space *manager)
{
	struct space *s;

	for (s = spaces; s < spaces + NSPACES; s++) {
		if (s->in_use)
			continue;
		uint32_t generation = (s->id >> 16) + 1;
		pte_t *root = frame_alloc_kernel();

		if (root == NULL)
			return NULL;
		memset(s, 0, sizeof(*s));
		s->id = (uint32_t)(s - spaces + 1) | (generation & 0xffff) << 16;
		s->in_use = true;
		s->root = root;
		/* The kernel half is shared: the same global entries in every root. */
		memcpy(root + PTES_PER_TABLE / 2, kernel_root + PTES_PER_TABLE / 2,
		       PAGE_SIZE / 2);
		s->asid = asid_mask >= NSPACES ? (uint64_t)(s - spaces) + 1 : 0;
		s->satp = SATP_MODE_SV39 | s->asid << SATP_ASID_SHIFT |
			  virt_to_phys(root) >> PAGE_SHIFT;
		s->manager = manager != NULL ? manager : s;
		return s;
	}
	return NULL;
}

struct space *space_lookup(uint64_t id)
{
	uint64_t index = (id & 0xffff) - 1;

	if (id == 0 || id > UINT32_MAX || index >= NSPACES)
		return NULL;
	if (!spaces[index].in_use || spaces[index].id != id)
		return NULL;
	return &spaces[index];
}

void space_destroy(struct space *s)
{
	int i;

	thread_free_all_in(s);
	for (i = 0; i < NSLOTS; i++)
		cap_clear(&s->caps[i]);
	if (active_space == s)
		space_activate(current_thread()->space);
	sv39_free_user_tables(s->root, frame_free_kernel);
	frame_free_kernel(s->root);
	/* Its ASID will name another space: forget its translations. */
	sfence_vma_asid(s->asid);
	s->in_use = false;
}

void space_activate(struct space *s)
{
	if (s == active_space)
		return;
	csr_write(satp, s->satp);
	if (s->asid == 0)
		sfence_vma_all();	/* no ASIDs: nothing cached may survive */
	active_space = s;
}

/* Forgets any cached translation of va in s after its entry changed. */
static inline void flush_page(struct space *s, vaddr_t va)
{
	if (s->asid != 0)
		sfence_vma_page(va, s->asid);
	else
		sfence_vma_all();
}

/* Returns the leaf entry of va, or NULL if no level-0 table covers it. */
static pte_t *leaf_entry(struct space *s, vaddr_t va)
{
	return sv39_find_pte(s->root, va);
}

/*
 * Writes a leaf entry. Even over an invalid one, SFENCE.VMA follows: it is
 * what orders the store before the page-table walks after it (as Linux/riscv
 * does).
 */
static inline void write_pte(struct space *s, pte_t *pte, vaddr_t va, paddr_t pa,
			     uint64_t perm)
{
	*pte = pa_to_pte(pa, perm | PTE_U | PTE_V);
	flush_page(s, va);
}

/* space_map when tables above the entry are missing: make them first. */
static __attribute__((noinline)) int map_making_tables(struct space *s, vaddr_t va,
						       paddr_t pa, uint64_t perm)
{
	pte_t *table = sv39_leaf_table(s->root, va, frame_alloc_kernel);

	if (table == NULL)
		return -E_NOMEM;
	write_pte(s, &table[PTE_INDEX(va, 0)], va, pa, perm);
	return 0;
}

int space_map(struct space *s, vaddr_t va, paddr_t pa, uint64_t perm)
{
	pte_t *pte = sv39_find_pte(s->root, va);

	if (pte == NULL)
		return map_making_tables(s, va, pa, perm);
	write_pte(s, pte, va, pa, perm);
	return 0;
}

/*
 * Calls fn on every present leaf entry in [va, va + len), stepping over a
 * missing level-0 table (2 MiB) or level-1 table (1 GiB) at once; fn says
 * whether it changed the entry. Inlined with its fn into each caller: fork
 * write-protects every page of a process through here. Then one fence: for
 * the page, or for the whole ASID if the range is larger (fork
 * write-protects thousands of pages in one call).
 */
static inline __attribute__((always_inline)) void
for_each_leaf(struct space *s, vaddr_t va, uint64_t len, bool (*fn)(pte_t *, uint64_t),
	      uint64_t arg)
{
	vaddr_t start = va, end = va + len;
	uint64_t changed = 0;

	while (va < end) {
		pte_t *table = sv39_leaf_table(s->root, va, NULL);
		/* No table: a step over its 2 MiB - or its whole gigabyte, if that has none. */
		vaddr_t step = table == NULL && !(s->root[PTE_INDEX(va, 2)] & PTE_V) ?
				       LEVEL_SIZE(2) : LEVEL_SIZE(1);
		vaddr_t table_end = ROUND_DOWN(va, step) + step;

		if (table_end > end)
			table_end = end;
		if (table != NULL) {
			pte_t *pte = &table[PTE_INDEX(va, 0)];
			pte_t *last = pte + ((table_end - va) >> PAGE_SHIFT);

			for (; pte < last; pte++)
				if ((*pte & PTE_V) && fn(pte, arg))
					changed++;
		}
		va = table_end;
	}
	if (changed == 0)
		return;
	if (len == PAGE_SIZE)
		flush_page(s, start);
	else if (s->asid != 0)
		sfence_vma_asid(s->asid);
	else
		sfence_vma_all();
}

static bool unmap_one(pte_t *pte, uint64_t unused)
{
	(void)unused;
	*pte = 0;
	return true;
}

void space_unmap(struct space *s, vaddr_t va, uint64_t len)
{
	for_each_leaf(s, va, len, unmap_one, 0);
}

/*
 * Keeps only the rights in perm: protect lowers, it never adds one. A leaf
 * left with none goes (R = W = X = 0 would make it point to a table).
 */
static bool protect_one(pte_t *pte, uint64_t perm)
{
	pte_t kept = *pte & ~(PTE_RWX & ~perm);

	if (kept == *pte)
		return false;
	*pte = (kept & PTE_RWX) != 0 ? kept : 0;
	return true;
}

void space_protect(struct space *s, vaddr_t va, uint64_t len, uint64_t perm)
{
	for_each_leaf(s, va, len, protect_one, perm);
}

void space_read_ad(struct space *s, vaddr_t va, int pages,
		   uint64_t *accessed, uint64_t *dirty)
{
	int i;

	*accessed = *dirty = 0;
	for (i = 0; i < pages; i++) {
		pte_t *pte = leaf_entry(s, va + (uint64_t)i * PAGE_SIZE);

		if (pte == NULL || !(*pte & PTE_V))
			continue;
		*accessed |= (uint64_t)!!(*pte & PTE_A) << i;
		*dirty |= (uint64_t)!!(*pte & PTE_D) << i;
	}
}

static bool clear_ad_one(pte_t *pte, uint64_t bits)
{
	if (!(*pte & bits))
		return false;
	*pte &= ~bits;
	return true;
}

void space_clear_ad(struct space *s, vaddr_t va, int pages, uint64_t pte_bits)
{
	for_each_leaf(s, va, (uint64_t)pages * PAGE_SIZE, clear_ad_one, pte_bits);
}

/*
 * The kernel address of user va if mapped with PTE_U and `need`; else NULL.
 * Only RAM: a driver's device registers are never read or written by the
 * kernel on its behalf (a register access may have effects).
 */
static void *user_page(struct space *s, vaddr_t va, pte_t need)
{
	pte_t *pte;
	paddr_t pa;

	if (va >= USER_TOP)
		return NULL;
	pte = leaf_entry(s, va);
	if (pte == NULL || (*pte & (PTE_V | PTE_U | need)) != (PTE_V | PTE_U | need))
		return NULL;
	pa = pte_to_pa(*pte);
	if (pa - pool_ownership.ram_start >= pool_ownership.ram_size)
		return NULL;
	return (char *)phys_to_virt(pa) + (va & (PAGE_SIZE - 1));
}

static int copy_user(struct space *s, vaddr_t va, char *kbuf, uint64_t len,
		     bool to_user)
{
	while (len > 0) {
		uint64_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		char *p = user_page(s, va, to_user ? PTE_W : PTE_R);

		if (p == NULL)
			return -E_FAULT;
		if (chunk > len)
			chunk = len;
		if (to_user)
			memcpy(p, kbuf, chunk);
		else
			memcpy(kbuf, p, chunk);
		va += chunk;
		kbuf += chunk;
		len -= chunk;
	}
	return 0;
}

bool space_user_readable(struct space *s, vaddr_t va, uint64_t len)
{
	vaddr_t page;

	if (va == 0 || va >= USER_TOP || len > USER_TOP - va)
		return false;
	for (page = ROUND_DOWN(va, PAGE_SIZE); page < va + len; page += PAGE_SIZE)
		if (user_page(s, page, PTE_R) == NULL)
			return false;
	return true;
}

int space_copy_in(struct space *s, void *dst, vaddr_t src, uint64_t len)
{
	return copy_user(s, src, dst, len, false);
}

int space_copy_out(struct space *s, vaddr_t dst, const void *src, uint64_t len)
{
	return copy_user(s, dst, (char *)src, len, true);
}
