#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "seeded.h"
#include "pmap_hw.h"
#include "sim.h"
#include "vm_page.h"

static uint64_t rng_state;
static const char *current_program = "test";
static uint64_t current_seed, current_step;
static bool running;

void rng_seed(uint64_t seed)
{
	rng_state = seed;
}

uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_below(uint64_t n)
{
	return rng_next() % n;
}

bool rng_chance(unsigned percent)
{
	return rng_below(100) < percent;
}

/*
 * A VM assertion (vm_panic aborts) or a sanitizer report (which aborts, by
 * SEEDED_SANITIZER_OPTIONS): name the seed before dying. snprintf is not
 * async-signal-safe, but the abort comes from this one thread, outside stdio.
 */
static void on_abort(int sig)
{
	char note[512];
	int n;

	if (running) {
		n = snprintf(note, sizeof(note), "%s: died in seed %llu at step %llu; replay: %s %llu\n",
			     current_program, (unsigned long long)current_seed,
			     (unsigned long long)current_step, current_program,
			     (unsigned long long)current_seed);
		if (n > 0 && write(STDERR_FILENO, note, (size_t)n < sizeof(note) ? (size_t)n
										: sizeof(note) - 1) < 0)
			_exit(2);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void seeded_begin(const char *program, uint64_t seed)
{
	static bool installed;

	if (!installed) {
		/* Not SIGSEGV: ASan reports those itself (and then aborts). */
		signal(SIGABRT, on_abort);
		installed = true;
	}
	current_program = program;
	current_seed = seed;
	current_step = 0;
	running = true;
	rng_seed(seed);
}

void seeded_step(uint64_t step)
{
	current_step = step;
}

uint64_t seeded_current_step(void)
{
	return current_step;
}

void seeded_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "FAIL %s: seed %llu, step %llu: check failed at %s:%d: ",
		current_program, (unsigned long long)current_seed,
		(unsigned long long)current_step, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  replay: %s %llu\n", current_program,
		(unsigned long long)current_seed);
	running = false;
	exit(1);
}

bool seeded_arg(int argc, char **argv, uint64_t *seed)
{
	char *end;

	if (argc < 2)
		return false;
	*seed = strtoull(argv[1], &end, 0);
	if (argc > 2 || *argv[1] == '\0' || *end != '\0') {
		fprintf(stderr, "usage: %s [seed]\n", argv[0]);
		exit(2);
	}
	return true;
}

void seeded_boot(uint64_t npages)
{
	static uint64_t allocated;
	struct vm_phys_range range = { SIM_PHYS_BASE, SIM_PHYS_BASE + npages * PAGE_SIZE };

	if (npages > allocated) {
		sim_boot(npages);
		allocated = npages;
		return;
	}
	/* What sim_boot does, over the frames it allocated last time. */
	VM_ASSERT(sim_spaces_in_use() == 0 && sim_mapped_pages() == 0);
	memset(hw_frame_address(SIM_PHYS_BASE), 0xa5, npages * PAGE_SIZE);
	vm_page_startup(&range, 1, 0, 0);
}
