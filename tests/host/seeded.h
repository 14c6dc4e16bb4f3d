/*
 * Support for seeded random (model-based) host tests: a reproducible
 * generator, and failure reports that say which seed and step failed and
 * how to replay it - for a failed check, a VM assertion (abort) and a
 * sanitizer report alike.
 *
 * A test calls seeded_begin() before each seed's run and seeded_step() as
 * it goes; REQUIRE() stops the program at the first failure, since the VM
 * state after one is not worth testing further.
 */
#ifndef TESTS_HOST_SEEDED_H
#define TESTS_HOST_SEEDED_H

#include <stdbool.h>
#include <stdint.h>

/* The generator (splitmix64): the same seed, the same sequence. */
void rng_seed(uint64_t seed);
uint64_t rng_next(void);
/* Uniform in [0, n); n > 0. */
uint64_t rng_below(uint64_t n);
/* True with probability percent / 100. */
bool rng_chance(unsigned percent);

/* A seed's run starts: remembered for every report until the next one. */
void seeded_begin(const char *program, uint64_t seed);
void seeded_step(uint64_t step);
uint64_t seeded_current_step(void);

/* Reports the failure with the seed and step, and exits 1. */
void seeded_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

/*
 * Parses the optional seed argument: returns true and *seed when there is
 * one (decimal or 0x hex), false when none; exits on a malformed one.
 */
bool seeded_arg(int argc, char **argv, uint64_t *seed);

/*
 * Boots the simulated machine with npages frames, as sim_boot does; after
 * the first boot, in place over the same host memory (a fresh allocation
 * costs a host page fault per frame, which dominates short runs). The
 * machine is the same either way - frames filled with 0xa5, a fresh VM - so
 * a seed replays alike. No address space may be left from the last run.
 */
void seeded_boot(uint64_t npages);

/*
 * A seeded test's sanitizer reports end in abort(), not exit(), so that the
 * seed is printed (the sanitizers' death callback misses UBSan's reports).
 * Settings in ASAN_OPTIONS / UBSAN_OPTIONS still override these.
 */
#define SEEDED_SANITIZER_OPTIONS \
	const char *__asan_default_options(void); \
	const char *__ubsan_default_options(void); \
	const char *__asan_default_options(void) { return "abort_on_error=1"; } \
	const char *__ubsan_default_options(void) \
	{ \
		return "abort_on_error=1:print_stacktrace=1"; \
	}

#define REQUIRE(cond) do { \
	if (!(cond)) \
		seeded_fail(__FILE__, __LINE__, "%s", #cond); \
} while (0)

#define REQUIRE_EQ(a, b) do { \
	unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
	if (a_ != b_) \
		seeded_fail(__FILE__, __LINE__, "%s == %s (%#llx != %#llx)", #a, #b, a_, b_); \
} while (0)

#endif
