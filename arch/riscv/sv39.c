#include "sv39.h"

pte_t *sv39_leaf_table(pte_t *root, vaddr_t va, void *(*alloc)(void))
{
	pte_t *table = root;
	int level;

	for (level = 2; level > 0; level--) {
		pte_t *pte = &table[PTE_INDEX(va, level)];

		if (!(*pte & PTE_V)) {
			void *page = alloc != NULL ? alloc() : NULL;

			if (page == NULL)
				return NULL;
			*pte = pa_to_pte(virt_to_phys(page), PTE_V);
		} else if (pte_is_leaf(*pte)) {
			return NULL;
		}
		table = phys_to_virt(pte_to_pa(*pte));
	}
	return table;
}

static void free_subtree(pte_t *table, int level, void (*free_page)(void *))
{
	int i;

	for (i = 0; i < PTES_PER_TABLE && level > 0; i++) {
		if ((table[i] & PTE_V) && !pte_is_leaf(table[i]))
			free_subtree(phys_to_virt(pte_to_pa(table[i])), level - 1, free_page);
	}
	free_page(table);
}

void sv39_free_user_tables(pte_t *root, void (*free_page)(void *))
{
	int i;

	for (i = 0; i < PTES_PER_TABLE / 2; i++) {
		if ((root[i] & PTE_V) && !pte_is_leaf(root[i]))
			free_subtree(phys_to_virt(pte_to_pa(root[i])), 1, free_page);
		root[i] = 0;
	}
}
