/* What every kernel file needs: console output, assertions, exit, memory. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "memlayout.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUND_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ROUND_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))

/* Status the machine exits with when the kernel itself gives up. */
#define EXIT_KERNEL_PANIC 254

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* State an invariant; a false one stops the machine with a message. */
#define KASSERT(cond) do { \
	if (!(cond)) \
		panic("%s:%d: assertion failed: %s", __FILE__, __LINE__, #cond); \
} while (0)

/* Ends QEMU with this status through the virt test device. */
void machine_exit(int status) __attribute__((noreturn));

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

#endif
