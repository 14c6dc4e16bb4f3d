/*
 * The random tests' generator (xorshift64): each run draws the same
 * sequence from the same seed, so that a failure repeats. A test sets
 * rng_state (never 0) before its first draw. The host tests have theirs in
 * tests/host/seeded.h.
 */
#ifndef TESTS_RNG_H
#define TESTS_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#endif
