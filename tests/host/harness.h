/*
 * A small harness for host tests of the VM core: named cases, checks that
 * report file and line, and a "user access" that faults through vm_fault
 * just as a thread's access does through the kernel and the VM server.
 */
#ifndef TESTS_HOST_HARNESS_H
#define TESTS_HOST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include "sim.h"
#include "vm_fault.h"
#include "vm_map.h"
#include "vm_page.h"

extern int harness_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		harness_failures++; \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { \
		fprintf(stderr, "  check failed at %s:%d: %s == %s (%lld != %lld)\n", \
			__FILE__, __LINE__, #a, #b, a_, b_); \
		harness_failures++; \
	} \
} while (0)

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* Runs the cases, each on a freshly booted VM; exits 0 if all passed. */
int run_cases(const char *suite, const struct test_case *cases, int ncases);

/*
 * Reads (write == false) or writes one byte of user memory at va in map, as a
 * user thread would: on a simulated fault, vm_fault runs and the access is
 * retried. Returns KERN_SUCCESS or the fault's error.
 */
int user_access(vm_map_t map, vm_offset_t va, bool write, uint8_t *byte);

/* Same, with the fault's details. */
int user_access_info(vm_map_t map, vm_offset_t va, bool write, uint8_t *byte,
		     struct vm_fault_info *info);

#define USER_MIN 0x10000UL
#define USER_MAX 0x4000000000UL

#endif
