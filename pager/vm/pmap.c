/*
 * The machine-independent half of the pmap: it records each mapping twice -
 * in its pmap's radix tree by page number, and on its page's pv list - and
 * passes the page-table work to the backend (pmap_hw.h). Ranges go to the
 * backend in runs of consecutive pages, one call per run.
 */
#include "pmap.h"
#include "pmap_hw.h"
#include "vm_object.h"
#include "vm_zone.h"

static struct vm_zone pmap_zone, pv_zone;

void pmap_startup(void)
{
	vm_zone_init(&pmap_zone, "pmap", sizeof(struct pmap));
	vm_zone_init(&pv_zone, "pv entry", sizeof(struct pv_entry));
}

pmap_t pmap_create(void)
{
	pmap_t pmap = vm_zone_alloc(&pmap_zone);

	if (pmap == NULL)
		return NULL;
	if (hw_space_create(&pmap->hw_id) != 0) {
		vm_zone_free(&pmap_zone, pmap);
		return NULL;
	}
	vm_radix_init(&pmap->pvs);
	return pmap;
}

static void pv_link(struct pv_entry *pv, vm_page_t m)
{
	pv->page = m;
	pv->next = m->pv_list;
	m->pv_list = pv;
}

static void pv_unlink(struct pv_entry *pv)
{
	struct pv_entry **pp = &pv->page->pv_list;

	while (*pp != pv)
		pp = &(*pp)->next;
	*pp = pv->next;
	pv->page = NULL;
}

/*
 * pv loses the right to write its page (lowered, replaced or removed): a
 * write the hardware saw through it - the dirty bit, which a mapping made
 * writable by a read fault is the only record of - is kept in m->dirty
 * first. Else the page would look clean, and the write never reach its
 * store: msync would skip it, MS_INVALIDATE free it. Only pages with a
 * store to write to, and not known dirty already, cost a backend call
 * (anonymous memory pays nothing). Nor does a busy page: under a page-in
 * its bytes are the store's whatever the pager wrote (the window's dirty
 * bits mean nothing), and under a page-out it is read-only everywhere, its
 * dirty bit kept when it was write-protected.
 */
static __attribute__((noinline)) void pv_keep_dirty_bit(struct pv_entry *pv, vm_page_t m)
{
	bool accessed, dirty;

	if (m->object == NULL || m->object->pager == NULL || m->object->pager->putpages == NULL)
		return;
	hw_read_ad(pv->pmap->hw_id, pv->va, &accessed, &dirty);
	if (dirty)
		m->dirty = true;
}

/* The quick part inline: a read-only mapping, a page known dirty or busy, pay a few loads. */
static inline void pv_keep_dirty(struct pv_entry *pv)
{
	if ((pv->prot & VM_PROT_WRITE) && !pv->page->dirty && !pv->page->busy)
		pv_keep_dirty_bit(pv, pv->page);
}

/* Forgets a mapping, keeping its dirty bit; the caller tells the backend after. */
static void pv_free(struct pv_entry *pv)
{
	pmap_t pmap = pv->pmap;

	pv_keep_dirty(pv);
	vm_radix_remove(&pmap->pvs, atop(pv->va));
	pmap->resident_count--;
	pv_unlink(pv);
	vm_zone_free(&pv_zone, pv);
}

int pmap_enter(pmap_t pmap, vm_offset_t va, vm_page_t m, vm_prot_t prot, bool wired)
{
	struct pv_entry *pv = vm_radix_lookup(&pmap->pvs, atop(va));

	if (pv != NULL) {
		/* The backend writes a new entry, its dirty bit clear, whatever it held. */
		pv_keep_dirty(pv);
		if (pv->page != m) {
			pv_unlink(pv);
			pv_link(pv, m);
		}
	} else {
		if ((pv = vm_zone_alloc_uninit(&pv_zone)) == NULL)
			return KERN_RESOURCE_SHORTAGE;
		if (vm_radix_insert(&pmap->pvs, atop(va), pv) != 0) {
			vm_zone_free(&pv_zone, pv);
			return KERN_RESOURCE_SHORTAGE;
		}
		pv->pmap = pmap;
		pv->va = va;
		pmap->resident_count++;
		pv_link(pv, m);	/* sets page and next; prot and wired follow */
	}
	pv->prot = prot;
	pv->wired = wired;
	VM_ASSERT(!pmap->hw_gone);
	if (hw_enter(pmap->hw_id, va, m->phys, prot) != 0) {
		pv_free(pv);
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

/*
 * Forgets every mapping in [sva, eva) and tells the backend with one call
 * per run of consecutive mapped pages.
 */
void pmap_remove(pmap_t pmap, vm_offset_t sva, vm_offset_t eva)
{
	vm_offset_t run_start = 0, run_end = 0;
	uint64_t key = atop(sva), found;
	struct pv_entry *pv;

	while (key < atop(eva) &&
	       (pv = vm_radix_lookup_range(&pmap->pvs, key, atop(eva) - 1, &found)) != NULL) {
		key = found + 1;
		pv_free(pv);
		if (ptoa(found) != run_end) {
			if (run_end != run_start)
				hw_remove(pmap->hw_id, run_start, run_end);
			run_start = ptoa(found);
		}
		run_end = ptoa(found) + PAGE_SIZE;
	}
	if (run_end != run_start)
		hw_remove(pmap->hw_id, run_start, run_end);
}

/*
 * Lowers the mappings in [sva, eva) to prot: the records one by one, through
 * the radix tree's bottom nodes directly, 64 slots at a time, jumping over
 * missing ones with lookup_range; then the hardware, in one backend call
 * (it keeps only the rights in prot, page by page), if a record changed.
 */
void pmap_protect(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot)
{
	uint64_t key = atop(sva), end = atop(eva), found;
	bool changed = false;

	if ((prot & VM_PROT_READ) == 0) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	while (key < end) {
		void **slots = vm_radix_leaf_slots(&pmap->pvs, key);
		uint64_t stop = (key | (VM_RADIX_LEAF_KEYS - 1)) + 1;

		if (slots == NULL) {
			if (vm_radix_lookup_range(&pmap->pvs, key, end - 1, &found) == NULL)
				break;
			key = found;
			continue;
		}
		void **slot = slots + key % VM_RADIX_LEAF_KEYS, **last;

		stop = stop < end ? stop : end;
		for (last = slot + (stop - key); slot < last; slot++) {
			struct pv_entry *pv = *slot;

			if (pv == NULL || (pv->prot & prot) == pv->prot)
				continue;
			pv_keep_dirty(pv);
			pv->prot &= prot;
			changed = true;
		}
		key = stop;
	}
	if (changed)
		hw_protect(pmap->hw_id, sva, eva, prot);
}

void pmap_protect_hw(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot)
{
	if ((prot & VM_PROT_READ) == 0)
		pmap_protect(pmap, sva, eva, prot);	/* removes: the records must know */
	else if (pmap->resident_count > 0)
		hw_protect(pmap->hw_id, sva, eva, prot);
}

void pmap_remove_pages(pmap_t pmap)
{
	struct pv_entry *pv;
	uint64_t found;

	/* The backend drops the whole space at once: only our records go one by one. */
	while ((pv = vm_radix_lookup_ge(&pmap->pvs, 0, &found)) != NULL)
		pv_free(pv);
	if (!pmap->hw_gone)
		hw_space_destroy(pmap->hw_id);
	pmap->hw_gone = true;
}

void pmap_destroy(pmap_t pmap)
{
	pmap_remove_pages(pmap);
	vm_zone_free(&pmap_zone, pmap);
}

int pmap_enter_unmanaged(pmap_t pmap, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot)
{
	/* Never over a managed mapping: its pv entry would outlive it. */
	VM_ASSERT(!pmap->hw_gone && vm_radix_lookup(&pmap->pvs, atop(va)) == NULL);
	return hw_enter(pmap->hw_id, va, pa, prot) == 0 ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

void pmap_remove_unmanaged(pmap_t pmap, vm_offset_t sva, vm_offset_t eva)
{
	if (!pmap->hw_gone)	/* else pmap_remove_pages took the whole space */
		hw_remove(pmap->hw_id, sva, eva);
}

vm_page_t pmap_lookup(pmap_t pmap, vm_offset_t va, vm_prot_t *prot)
{
	struct pv_entry *pv = vm_radix_lookup(&pmap->pvs, atop(va));

	if (pv == NULL)
		return NULL;
	if (prot != NULL)
		*prot = pv->prot;
	return pv->page;
}

bool pmap_unwire(pmap_t pmap, vm_offset_t va)
{
	struct pv_entry *pv = vm_radix_lookup(&pmap->pvs, atop(va));
	bool was = pv != NULL && pv->wired;

	if (pv != NULL)
		pv->wired = false;
	return was;
}

bool pmap_is_prefaultable(pmap_t pmap, vm_offset_t va)
{
	return vm_radix_lookup(&pmap->pvs, atop(va)) == NULL;
}

void pmap_remove_all(vm_page_t m)
{
	while (m->pv_list != NULL) {
		struct pv_entry *pv = m->pv_list;
		uint64_t hw_id = pv->pmap->hw_id;
		vm_offset_t va = pv->va;

		pv_free(pv);	/* first: it reads the dirty bit */
		hw_remove(hw_id, va, va + PAGE_SIZE);
	}
}

void pmap_remove_write(vm_page_t m)
{
	struct pv_entry *pv;

	for (pv = m->pv_list; pv != NULL; pv = pv->next) {
		if (pv->prot & VM_PROT_WRITE) {
			pv_keep_dirty(pv);
			pv->prot &= (vm_prot_t)~VM_PROT_WRITE;
			hw_protect(pv->pmap->hw_id, pv->va, pv->va + PAGE_SIZE, pv->prot);
		}
	}
}

/* Does any mapping of m have the accessed (or dirty) bit set? */
static bool any_bit(vm_page_t m, bool want_dirty)
{
	struct pv_entry *pv;
	bool accessed, dirty;

	for (pv = m->pv_list; pv != NULL; pv = pv->next) {
		if (want_dirty && !(pv->prot & VM_PROT_WRITE))
			continue;
		hw_read_ad(pv->pmap->hw_id, pv->va, &accessed, &dirty);
		if (want_dirty ? dirty : accessed)
			return true;
	}
	return false;
}

bool pmap_is_modified(vm_page_t m)
{
	return any_bit(m, true);
}

bool pmap_is_referenced(vm_page_t m)
{
	return any_bit(m, false);
}

void pmap_clear_modify(vm_page_t m)
{
	struct pv_entry *pv;

	for (pv = m->pv_list; pv != NULL; pv = pv->next)
		if (pv->prot & VM_PROT_WRITE)
			hw_clear_ad(pv->pmap->hw_id, pv->va, false, true);
}

void pmap_clear_reference(vm_page_t m)
{
	struct pv_entry *pv;

	for (pv = m->pv_list; pv != NULL; pv = pv->next)
		hw_clear_ad(pv->pmap->hw_id, pv->va, true, false);
}

int pmap_page_mapping_count(vm_page_t m)
{
	struct pv_entry *pv;
	int n = 0;

	for (pv = m->pv_list; pv != NULL; pv = pv->next)
		n++;
	return n;
}

void *pmap_page_address(vm_page_t m)
{
	return hw_frame_address(m->phys);
}

void pmap_zero_page(vm_page_t m)
{
	memset(pmap_page_address(m), 0, PAGE_SIZE);
}

void pmap_copy_page(vm_page_t src, vm_page_t dst)
{
	memcpy(pmap_page_address(dst), pmap_page_address(src), PAGE_SIZE);
}

void pmap_validate(pmap_t pmap)
{
	uint64_t key = 0, found, n = 0;
	struct pv_entry *pv, *p;

	while ((pv = vm_radix_lookup_ge(&pmap->pvs, key, &found)) != NULL) {
		VM_ASSERT(pv->pmap == pmap && atop(pv->va) == found && pv->page != NULL);
		for (p = pv->page->pv_list; p != NULL && p != pv; p = p->next)
			;
		VM_ASSERT(p == pv);	/* on its page's list */
		n++;
		key = found + 1;
	}
	VM_ASSERT(n == pmap->resident_count);
}
