/* Helpers for benchmark programs: instruction counts under QEMU -icount. */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdio.h>
#include "kern.h"

/* Prints one result line in the format API.md fixes. */
static inline void bench_report(const char *name, double value, const char *unit)
{
	printf("BENCH %s %.1f %s\n", name, value, unit);
}

/*
 * tools/profile counts only what runs between the first calls of these two,
 * so a benchmark brackets the operations it measures with them.
 */
__attribute__((noinline)) void profile_begin(void) { __asm__ volatile(""); }
__attribute__((noinline)) void profile_end(void) { __asm__ volatile(""); }

#endif
