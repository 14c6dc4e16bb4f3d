#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "model.h"
#include "sim.h"
#include "vm_radix.h"

struct cell cells[MODEL_MAX_CELLS];
static int free_cells[MODEL_MAX_CELLS], nfree_cells;

void trace(const char *fmt, ...)
{
	static int tracing = -1;
	va_list ap;

	if (tracing < 0)
		tracing = getenv("MODEL_TRACE") != NULL;
	if (!tracing)
		return;
	printf("  [%llu] ", (unsigned long long)seeded_current_step());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int model_pick_weighted(const unsigned *weights, int n)
{
	unsigned total = 0, r;
	int i;

	for (i = 0; i < n; i++)
		total += weights[i];
	r = (unsigned)rng_below(total);
	for (i = 0; r >= weights[i]; i++)
		r -= weights[i];
	return i;
}

int model_pick_eligible(const bool *eligible, int n)
{
	int i, count = 0, pick;

	for (i = 0; i < n; i++)
		count += eligible[i];
	if (count == 0)
		return -1;
	pick = (int)rng_below((uint64_t)count);
	for (i = 0; i < n; i++)
		if (eligible[i] && pick-- == 0)
			break;
	return i;
}

void cells_reset(void)
{
	int c;

	nfree_cells = 0;
	for (c = MODEL_MAX_CELLS - 1; c >= 0; c--) {
		cells[c].refs = 0;
		free_cells[nfree_cells++] = c;
	}
}

int cell_new(const uint8_t *bytes)
{
	int c;

	REQUIRE(nfree_cells > 0);
	c = free_cells[--nfree_cells];
	REQUIRE_EQ(cells[c].refs, 0);
	cells[c].refs = 1;
	if (bytes != NULL)
		memcpy(cells[c].data, bytes, PAGE_SIZE);
	else
		memset(cells[c].data, 0, PAGE_SIZE);
	return c;
}

void cell_release(int c)
{
	REQUIRE(cells[c].refs > 0);
	if (--cells[c].refs == 0)
		free_cells[nfree_cells++] = c;
}

bool cells_all_free(void)
{
	return nfree_cells == MODEL_MAX_CELLS;
}

void cells_check(const int *holders)
{
	int c, used = 0;

	for (c = 0; c < MODEL_MAX_CELLS; c++) {
		REQUIRE_EQ(cells[c].refs, holders[c]);
		used += holders[c] > 0;
	}
	REQUIRE_EQ(used + nfree_cells, MODEL_MAX_CELLS);
}

struct model_counts model_boot_counts(void)
{
	return (struct model_counts){ .free = vm_cnt.v_free_count, .wired = vm_cnt.v_wire_count };
}

void model_require_all_returned(const struct model_counts *at_boot)
{
	REQUIRE_EQ(vm_cnt.v_objects, 0);
	REQUIRE_EQ(vm_cnt.v_free_count, at_boot->free);
	REQUIRE_EQ(vm_cnt.v_wire_count, at_boot->wired);
	REQUIRE_EQ(sim_mapped_pages(), 0);
	REQUIRE_EQ(sim_spaces_in_use(), 0);
	REQUIRE_EQ(vm_radix_nodes_in_use(), 0);
	REQUIRE(cells_all_free());
	vm_page_validate();
}

static int compare_pointers(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

int objects_sort_unique(vm_object_t *objects, int n)
{
	int i, unique = 0;

	qsort(objects, (size_t)n, sizeof(objects[0]), compare_pointers);
	for (i = 0; i < n; i++)
		if (unique == 0 || objects[unique - 1] != objects[i])
			objects[unique++] = objects[i];
	return unique;
}

static const vm_object_t *objects_find(const vm_object_t *objects, int n, vm_object_t o)
{
	return bsearch(&o, objects, (size_t)n, sizeof(objects[0]), compare_pointers);
}

int objects_index(const vm_object_t *objects, int n, vm_object_t o)
{
	const vm_object_t *found = objects_find(objects, n, o);

	REQUIRE(found != NULL);
	return (int)(found - objects);
}

bool objects_contain(const vm_object_t *objects, int n, vm_object_t o)
{
	return objects_find(objects, n, o) != NULL;
}
