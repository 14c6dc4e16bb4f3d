// expect-output: exec_perm: PROT_EXEC mapping runs the code written into it
// expect-output: exec_perm: write, mprotect to R|X, run; and again with new code
// expect-output: exec_perm: no exec on the stack, the heap, .data, or R|X after the switch
// expect-output: exec_perm: all checks passed
/*
 * Execute permission. Code written into a PROT_READ|PROT_WRITE|PROT_EXEC
 * mapping runs. The way a JIT does it - write into a read-write mapping,
 * mprotect it to read+execute, call it - works, and works again after
 * switching back to write new code (the new code runs, not the old). What
 * was never made executable cannot run: code on the stack, on the heap, in
 * .data - each call kills a child with SIGSEGV. Nor can the switched
 * mapping be written while it is read+execute.
 */
#include <stdint.h>
#include <sys/mman.h>
#define TEST_NAME "exec_perm"
#include "systest.h"

#define PAGE 4096
#define LI_A0(n) (0x00000513u | ((uint32_t)(n) << 20))	/* addi a0, zero, n */
#define RET 0x00008067u					/* jalr zero, 0(ra) */

static uint32_t data_code[2] = { LI_A0(9), RET };

static void emit(uint32_t *at, int n)
{
	at[0] = LI_A0(n);
	at[1] = RET;
	__asm__ volatile("fence.i" ::: "memory");
}

static int call(const void *code)
{
	int (*fn)(void) = (int (*)(void))(uintptr_t)code;

	return fn();
}

static uint32_t *jit_buffer(void)
{
	uint32_t *code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);

	if (code == MAP_FAILED)
		fail("mmap", errno, 0);
	emit(code, 42);
	if (mprotect(code, PAGE, PROT_READ | PROT_EXEC) != 0)
		fail("mprotect to R|X", errno, 0);
	return code;
}

/* A child: runs (or writes) code where it may not; returns if it survives. */
static int child(const char *where)
{
	uint32_t stack_code[2];
	uint32_t *heap_code = malloc(64);

	if (heap_code == NULL)
		return 2;
	if (strcmp(where, "stack") == 0) {
		emit(stack_code, 1);
		return call(stack_code);
	}
	if (strcmp(where, "heap") == 0) {
		emit(heap_code, 2);
		return call(heap_code);
	}
	if (strcmp(where, "data") == 0) {
		__asm__ volatile("fence.i" ::: "memory");
		return call(data_code);
	}
	if (strcmp(where, "write-rx") == 0) {
		uint32_t *code = jit_buffer();

		if (call(code) != 42)
			return 3;
		code[0] = LI_A0(7);
		return 0;
	}
	return 4;
}

int main(int argc, char **argv)
{
	uint32_t *code;
	int got;

	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);

	code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANON, -1,
		    0);
	if (code == MAP_FAILED)
		fail("mmap R|W|X", errno, 0);
	emit(code + 100, 17);
	if ((got = call(code + 100)) != 17)
		fail("code in an R|W|X mapping", got, 17);
	emit(code + 100, 18);
	if ((got = call(code + 100)) != 18)
		fail("rewritten code in an R|W|X mapping", got, 18);
	printf("exec_perm: PROT_EXEC mapping runs the code written into it\n");

	code = jit_buffer();
	if ((got = call(code)) != 42)
		fail("code after mprotect to R|X", got, 42);
	if (mprotect(code, PAGE, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect back to R|W", errno, 0);
	emit(code, 43);
	if (mprotect(code, PAGE, PROT_READ | PROT_EXEC) != 0)
		fail("mprotect to R|X again", errno, 0);
	if ((got = call(code)) != 43)
		fail("new code after a second switch", got, 43);
	printf("exec_perm: write, mprotect to R|X, run; and again with new code\n");

	expect_signal(run_child(argv[0], "child", "stack", NULL), SIGSEGV, "stack");
	expect_signal(run_child(argv[0], "child", "heap", NULL), SIGSEGV, "heap");
	expect_signal(run_child(argv[0], "child", "data", NULL), SIGSEGV, "data");
	expect_signal(run_child(argv[0], "child", "write-rx", NULL), SIGSEGV, "write-rx");
	printf("exec_perm: no exec on the stack, the heap, .data, or R|X after the switch\n");
	printf("exec_perm: all checks passed\n");
	return 0;
}
