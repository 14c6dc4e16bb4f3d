/*
 * memset and memcpy a word at a time. picolibc is built to prefer size and
 * moves bytes; the VM server zeroes and copies whole pages, and the kernel
 * counts every instruction, so these replace picolibc's.
 */
/* Keep GCC from turning these loops back into calls of themselves. */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = (unsigned char)c * 0x0101010101010101UL;

	for (; n > 0 && ((uintptr_t)d & 7) != 0; n--)
		*d++ = (unsigned char)c;
	for (; n >= 32; n -= 32, d += 32) {
		((uint64_t *)d)[0] = word;
		((uint64_t *)d)[1] = word;
		((uint64_t *)d)[2] = word;
		((uint64_t *)d)[3] = word;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = word;
	for (; n > 0; n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n > 0 && ((uintptr_t)d & 7) != 0; n--)
			*d++ = *s++;
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			((uint64_t *)d)[0] = ((const uint64_t *)s)[0];
			((uint64_t *)d)[1] = ((const uint64_t *)s)[1];
			((uint64_t *)d)[2] = ((const uint64_t *)s)[2];
			((uint64_t *)d)[3] = ((const uint64_t *)s)[3];
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	for (; n > 0; n--)
		*d++ = *s++;
	return dst;
}
