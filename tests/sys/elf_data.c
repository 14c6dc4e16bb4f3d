// expect-output: elf_data: initial values right, .bss zero
// expect-output: elf_data: a child's writes stay in the child; a new child starts fresh
// expect-output: elf_data: all checks passed
/*
 * A program's data segment is private to each process: every spawn loads
 * it fresh from the boot image, and a write goes to the writer's own copy
 * (copy-on-write of the image's pages). Initialized globals must have their
 * initial values, .bss must be zero, and so must the rest of the page where
 * the file's bytes end: the image pager fills it with zeros, and what
 * follows in the file must not show there. A child changes the globals;
 * the parent's stay as they were. The parent changes its own, then spawns
 * another child: that child must see the initial values, not the parent's
 * nor the first child's. Read-only data reads the same in all of them.
 */
#include <stdint.h>
#include <unistd.h>
#define TEST_NAME "elf_data"
#include "systest.h"

#define BIG 3000

int counter = 12345;
char greeting[] = "hello from .data";
long table[BIG] = { [0] = 1, [BIG / 2] = 2, [BIG - 1] = 3 };	/* spans pages */
int last_data = 0x600d;
static char zeros[3 * 4096 + 123];	/* .bss, more than a page */
static int small_zero;
const char motto[] = "read-only data";

extern char end[];		/* the end of .bss (lib/user.ld) */
extern char __tls_base[];	/* .tdata, after .data (lib/user.ld) */

/* 0 if every global has its initial value, else which one does not. */
static int initial_values(void)
{
	size_t i;

	if (counter != 12345)
		return 1;
	if (strcmp(greeting, "hello from .data") != 0)
		return 2;
	for (i = 0; i < BIG; i++)
		if (table[i] != (i == 0 ? 1 : i == BIG / 2 ? 2 : i == BIG - 1 ? 3 : 0))
			return 3;
	if (last_data != 0x600d)
		return 4;
	for (i = 0; i < sizeof(zeros); i++)
		if (zeros[i] != 0)
			return 5;
	if (small_zero != 0)
		return 6;
	if (strcmp(motto, "read-only data") != 0)
		return 7;
	return 0;
}

static void scribble(int v)
{
	counter = v;
	strcpy(greeting, "scribbled");
	table[0] = table[BIG / 2] = table[BIG - 1] = v;
	last_data = v;
	memset(zeros, v, sizeof(zeros));
	small_zero = v;
}

/* Runs a child; returns its exit status. */
static int run(char *self, char *how)
{
	int status = run_child(self, "child", how, NULL);

	if (!WIFEXITED(status))
		fail("child killed", status, 0);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	const volatile char *tail;
	uintptr_t page_end;
	int bad;

	if (argc > 2 && strcmp(argv[1], "child") == 0) {
		if ((bad = initial_values()) != 0)
			return 10 + bad;
		scribble(strcmp(argv[2], "first") == 0 ? 77 : 88);
		return counter == 77 || counter == 88 ? 0 : 20;
	}

	if ((bad = initial_values()) != 0)
		fail("initial values in the parent (which)", bad, 0);
	/*
	 * The last page of the file's bytes: after .data comes the TLS block
	 * (errno: a few bytes), then padding to the page's end, past p_filesz.
	 * The pager must fill that with zeros, not with what follows in the file.
	 */
	tail = (const volatile char *)__tls_base + 64;
	page_end = ((uintptr_t)__tls_base + 4096) & ~(uintptr_t)4095;
	if ((uintptr_t)tail >= page_end)
		fail("the layout changed: no padding after the TLS block to check", 0, 0);
	for (; (uintptr_t)tail < page_end; tail++)
		if (*tail != 0)
			fail("a byte past the file's data is not zero",
			     (long)(uintptr_t)tail, *tail);
	if ((uintptr_t)end < (uintptr_t)(zeros + sizeof(zeros)))
		fail("end is below .bss", (long)(uintptr_t)end, 0);
	printf("elf_data: initial values right, .bss zero\n");

	if ((bad = run(argv[0], "first")) != 0)
		fail("the first child saw wrong values (10+which)", bad, 0);
	if ((bad = initial_values()) != 0)
		fail("the child's writes reached the parent (which)", bad, 0);
	scribble(55);
	if ((bad = run(argv[0], "second")) != 0)
		fail("the second child did not start fresh (10+which)", bad, 0);
	if (counter != 55 || table[BIG - 1] != 55 || zeros[7] != 55 ||
	    strcmp(greeting, "scribbled") != 0)
		fail("our own writes were lost", counter, 0);
	printf("elf_data: a child's writes stay in the child; a new child starts fresh\n");
	printf("elf_data: all checks passed\n");
	return 0;
}
