/*
 * What the model-based host tests (test_model, test_pager_model) share: the
 * step trace, random picks, "cells" - the bytes the model says process
 * pages show - and sorted sets of objects for the accounting checks.
 */
#ifndef TESTS_HOST_MODEL_H
#define TESTS_HOST_MODEL_H

#include "seeded.h"
#include "vm_object.h"

/* MODEL_TRACE=1 in the environment: each step is printed (to replay a seed). */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* i < n with probability weights[i] / (their sum, which must not be 0). */
int model_pick_weighted(const unsigned *weights, int n);
/* A random i < n with eligible[i]; -1 if there is none. */
int model_pick_eligible(const bool *eligible, int n);

/*
 * A cell: what one process page shows, held by that page alone or by
 * several (sharers of shared memory; copy-on-write holders after a fork,
 * until one writes). refs counts its holders; a cell with none is free.
 */
#define MODEL_MAX_CELLS 512

struct cell {
	int refs;
	uint8_t data[PAGE_SIZE];
};

extern struct cell cells[MODEL_MAX_CELLS];

void cells_reset(void);
/* A new cell with one holder, holding a copy of bytes (NULL: zeros). */
int cell_new(const uint8_t *bytes);
void cell_release(int c);
/* Are all cells free? */
bool cells_all_free(void);
/* Every cell's refs is holders[c], the model's own count, and every other cell is free. */
void cells_check(const int *holders);

/*
 * The end of a sequence, every process gone: no object, mapping, address
 * space, radix node or cell is left, and the free and wired page counts
 * are those at boot (taken by model_boot_counts).
 */
struct model_counts {
	uint64_t free, wired;
};

struct model_counts model_boot_counts(void);
void model_require_all_returned(const struct model_counts *at_boot);

/* Sorts objects[0..n) and drops repeats; returns how many are left. */
int objects_sort_unique(vm_object_t *objects, int n);
/* The index of o in a sorted set of n objects (it must be there). */
int objects_index(const vm_object_t *objects, int n, vm_object_t o);
/* Is o in the sorted set? */
bool objects_contain(const vm_object_t *objects, int n, vm_object_t o);

#endif
