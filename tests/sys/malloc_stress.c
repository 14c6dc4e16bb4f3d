// expect-output: malloc_stress: 20000 operations, every block intact
// expect-output: malloc_stress: all checks passed
/*
 * malloc, realloc, calloc and free at random (a fixed seed: the run
 * repeats), sizes from a few bytes to 64 KiB, up to 512 blocks live. Every
 * block is filled with a pattern of its own and checked before it is freed
 * or resized: a heap that hands out overlapping memory, or a break that
 * loses pages as it moves, corrupts some block. calloc must give zeros even
 * for memory malloc used before. realloc keeps the old contents.
 */
#include <stdint.h>
#define TEST_NAME "malloc_stress"
#include "systest.h"

#define SLOTS 512
#define OPS 20000

struct block {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static struct block blocks[SLOTS];
static uint32_t seed = 12345;

static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static size_t random_size(void)
{
	switch (rnd() % 4) {
	case 0:
		return 1 + rnd() % 32;
	case 1:
		return 1 + rnd() % 512;
	case 2:
		return 1 + rnd() % 4096;
	}
	return 1 + rnd() % 65536;
}

static unsigned char byte_at(const struct block *b, size_t i)
{
	return (unsigned char)(b->tag + i * 7);
}

static void fill(struct block *b, size_t from)
{
	size_t i;

	for (i = from; i < b->size; i++)
		b->p[i] = byte_at(b, i);
}

static void check(const struct block *b, size_t upto, int slot)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (b->p[i] != byte_at(b, i))
			fail("a block's contents changed", slot, (long)i);
}

int main(void)
{
	unsigned long allocs = 0, peak = 0, live = 0;
	int op, slot;

	for (op = 0; op < OPS; op++) {
		struct block *b = &blocks[slot = (int)(rnd() % SLOTS)];
		size_t size, i;

		if (b->p == NULL) {
			size = random_size();
			if (rnd() % 4 == 0) {
				if ((b->p = calloc(1, size)) == NULL)
					fail("calloc", (long)size, op);
				for (i = 0; i < size; i++)
					if (b->p[i] != 0)
						fail("calloc memory not zero", (long)size, (long)i);
			} else if ((b->p = malloc(size)) == NULL) {
				fail("malloc", (long)size, op);
			}
			b->size = size;
			b->tag = (unsigned char)rnd();
			fill(b, 0);
			allocs++;
			live += size;
		} else if (rnd() % 3 == 0) {
			unsigned char *q;

			size = random_size();
			check(b, b->size, slot);
			if ((q = realloc(b->p, size)) == NULL)
				fail("realloc", (long)size, op);
			b->p = q;
			check(b, size < b->size ? size : b->size, slot);
			live += size - b->size;
			if (size > b->size) {
				size_t old = b->size;

				b->size = size;
				fill(b, old);
			}
			b->size = size;
		} else {
			check(b, b->size, slot);
			free(b->p);
			live -= b->size;
			b->p = NULL;
		}
		if (live > peak)
			peak = live;
	}
	for (slot = 0; slot < SLOTS; slot++) {
		if (blocks[slot].p != NULL) {
			check(&blocks[slot], blocks[slot].size, slot);
			free(blocks[slot].p);
		}
	}
	printf("malloc_stress: %d operations, every block intact (%lu allocations, peak %lu KiB)\n",
	       OPS, allocs, peak / 1024);
	printf("malloc_stress: all checks passed\n");
	return 0;
}
