// expect-output: counters: 500 writes to new pages: 500 zero fills, 500 faults, frames
// expect-output: counters: all checks passed
/*
 * The VM counters count what happens. Writing N new anonymous pages takes
 * N faults (v_vm_faults and ru_minflt), N zero fills (v_zfod), N frames
 * (v_free_count) on the active queue (v_active_count), one new object
 * (v_objects - born at the first fault, not at mmap); reading N new pages
 * also zero-fills; touching resident pages again takes no faults; munmap
 * gives the frames and the object back. The program's own text came from
 * the image pager: ru_majflt and v_io_faults are not zero, and anonymous
 * faults do not add to ru_majflt. Pages zeroed ahead (vm_prezero) count as
 * v_ozfod when a zero fill takes them. After mprotect removes the mappings
 * of resident pages, touching them again maps neighbours ahead
 * (v_prefaults): fewer faults than pages. Throughout, v_page_count stays
 * put and free + wired <= pages.
 */
#include <sys/mman.h>
#define TEST_NAME "counters"
#include "systest.h"

#define PAGE 4096
#define N 500
#define SLACK 8		/* faults of our own code and stack between readings */
#define FRAME_SLACK 40	/* frames for the VM's own records: radix nodes, pv entries */

static struct vmmeter first;

static void meter(struct vmmeter *v, struct rusage *ru)
{
	if (getvmmeter(v) != 0 || getrusage(RUSAGE_SELF, ru) != 0)
		fail("getvmmeter or getrusage", errno, 0);
	if (v->v_page_count != first.v_page_count)
		fail("v_page_count changed", (long)v->v_page_count, (long)first.v_page_count);
	if (v->v_free_count + v->v_wire_count > v->v_page_count)
		fail("free + wired > pages", (long)(v->v_free_count + v->v_wire_count),
		     (long)v->v_page_count);
}

/* b - a must be in [lo, hi]. */
static void expect_delta(const char *what, long a, long b, long lo, long hi)
{
	if (b - a < lo || b - a > hi) {
		printf("counters: %s went from %ld to %ld: by %ld, want %ld..%ld\n", what, a, b,
		       b - a, lo, hi);
		fail(what, b - a, lo);
	}
}

int main(void)
{
	struct vmmeter v0, v1;
	struct rusage r0, r1;
	volatile char *p;
	int i;

	if (getvmmeter(&first) != 0)
		fail("getvmmeter", errno, 0);
	if (first.v_page_count < 1000 || first.v_free_count < 1000)
		fail("too few pages", (long)first.v_page_count, (long)first.v_free_count);
	meter(&v0, &r0);
	if (r0.ru_majflt < 1 || v0.v_io_faults < 1)
		fail("our text came from the image pager: want majflt, io faults",
		     r0.ru_majflt, (long)v0.v_io_faults);

	/* mmap alone: no object, no frame, no fault. */
	p = mmap(NULL, 2 * N * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED)
		fail("mmap", errno, 0);
	meter(&v1, &r1);
	expect_delta("v_objects after mmap", (long)v0.v_objects, (long)v1.v_objects, 0, 0);
	expect_delta("v_zfod after mmap", (long)v0.v_zfod, (long)v1.v_zfod, 0, 0);

	/* N writes to new pages. */
	meter(&v0, &r0);
	for (i = 0; i < N; i++)
		p[i * PAGE] = 1;
	meter(&v1, &r1);
	expect_delta("v_zfod", (long)v0.v_zfod, (long)v1.v_zfod, N, N + SLACK);
	expect_delta("v_vm_faults", (long)v0.v_vm_faults, (long)v1.v_vm_faults, N, N + SLACK);
	expect_delta("ru_minflt", r0.ru_minflt, r1.ru_minflt, N, N + SLACK);
	expect_delta("ru_majflt", r0.ru_majflt, r1.ru_majflt, 0, 0);
	expect_delta("frames in use", (long)v1.v_free_count, (long)v0.v_free_count, N,
		     N + FRAME_SLACK);
	expect_delta("v_objects", (long)v0.v_objects, (long)v1.v_objects, 1, 1);
	expect_delta("v_active_count", (long)v0.v_active_count, (long)v1.v_active_count, N,
		     N + SLACK);
	printf("counters: %d writes to new pages: %ld zero fills, %ld faults, frames %ld\n", N,
	       (long)(v1.v_zfod - v0.v_zfod), r1.ru_minflt - r0.ru_minflt,
	       (long)(v0.v_free_count - v1.v_free_count));

	/* N reads of new pages: zero fills too; they read zero. */
	meter(&v0, &r0);
	for (i = N; i < 2 * N; i++)
		if (p[i * PAGE] != 0)
			fail("a new page does not read zero", i, p[i * PAGE]);
	meter(&v1, &r1);
	expect_delta("v_zfod (reads)", (long)v0.v_zfod, (long)v1.v_zfod, N, N + SLACK);
	expect_delta("ru_minflt (reads)", r0.ru_minflt, r1.ru_minflt, N, N + SLACK);

	/* Resident pages again: no faults. */
	meter(&v0, &r0);
	for (i = 0; i < N; i++)
		p[i * PAGE] = 2;
	meter(&v1, &r1);
	expect_delta("ru_minflt (resident pages)", r0.ru_minflt, r1.ru_minflt, 0, SLACK);

	/* Mappings removed, pages kept: faults map neighbours ahead. */
	if (mprotect((void *)p, N * PAGE, PROT_NONE) != 0 ||
	    mprotect((void *)p, N * PAGE, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect", errno, 0);
	meter(&v0, &r0);
	for (i = 0; i < N; i++)
		if (p[i * PAGE] != 2)
			fail("data lost over mprotect", i, p[i * PAGE]);
	meter(&v1, &r1);
	expect_delta("v_zfod (resident pages remapped)", (long)v0.v_zfod, (long)v1.v_zfod, 0,
		     SLACK);
	expect_delta("v_prefaults", (long)v0.v_prefaults, (long)v1.v_prefaults, N / 2, N);
	expect_delta("ru_minflt (with prefault)", r0.ru_minflt, r1.ru_minflt, 1, N / 2);
	printf("counters: remapping %d resident pages took %ld faults, %ld prefaulted\n", N,
	       r1.ru_minflt - r0.ru_minflt, (long)(v1.v_prefaults - v0.v_prefaults));

	/* munmap: frames and object back. */
	meter(&v0, &r0);
	if (munmap((void *)p, 2 * N * PAGE) != 0)
		fail("munmap", errno, 0);
	meter(&v1, &r1);
	expect_delta("frames freed by munmap", (long)v0.v_free_count, (long)v1.v_free_count,
		     2 * N, 2 * N + FRAME_SLACK);
	expect_delta("v_objects after munmap", (long)v1.v_objects, (long)v0.v_objects, 1, 1);

	/* Pre-zeroed pages: a zero fill that takes one counts in v_ozfod. */
	if (vm_prezero(2 * N) < N)
		fail("vm_prezero", 0, 0);
	p = mmap(NULL, N * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED)
		fail("mmap", errno, 0);
	meter(&v0, &r0);
	for (i = 0; i < N; i++) {
		if (p[i * PAGE + 100] != 0)
			fail("a pre-zeroed page is not zero", i, p[i * PAGE + 100]);
		p[i * PAGE] = 3;
	}
	meter(&v1, &r1);
	expect_delta("v_ozfod", (long)v0.v_ozfod, (long)v1.v_ozfod, N, N + SLACK);
	printf("counters: all checks passed\n");
	return 0;
}
