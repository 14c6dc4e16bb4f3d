#include "harness.h"

int harness_failures;

int user_access_info(vm_map_t map, vm_offset_t va, bool write, uint8_t *byte,
		     struct vm_fault_info *info)
{
	vm_prot_t access = write ? VM_PROT_WRITE : VM_PROT_READ;
	uint8_t *p = sim_translate(map->pmap->hw_id, va, access);
	int rv;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (p == NULL) {
		rv = vm_fault(map, va, access, VM_FAULT_NORMAL, info);
		if (rv != KERN_SUCCESS)
			return rv;
		p = sim_translate(map->pmap->hw_id, va, access);
		VM_ASSERT(p != NULL);	/* a successful fault maps the page */
	}
	if (write)
		*p = *byte;
	else
		*byte = *p;
	return KERN_SUCCESS;
}

int user_access(vm_map_t map, vm_offset_t va, bool write, uint8_t *byte)
{
	return user_access_info(map, va, write, byte, NULL);
}

int run_cases(const char *suite, const struct test_case *cases, int ncases)
{
	int i, failed = 0;

	for (i = 0; i < ncases; i++) {
		int before = harness_failures;

		sim_boot(4096);
		cases[i].fn();
		vm_page_validate();
		if (harness_failures != before) {
			printf("FAIL %s: %s\n", suite, cases[i].name);
			failed++;
		}
	}
	printf("%s: %d of %d cases passed\n", suite, ncases - failed, ncases);
	return failed == 0 ? 0 : 1;
}
