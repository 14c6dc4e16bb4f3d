/*
 * kprintf: the kernel's formatted console output. Understands %d %i %u %x %p
 * %s %c %%, with the l, ll and z length modifiers, a field width and 0 or -
 * flags. Enough to print addresses, counters and names; no floating point.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"
#include "sbi.h"

static void put_padded(const char *s, int len, int width, bool left, char pad)
{
	int n;

	if (!left)
		for (n = len; n < width; n++)
			sbi_console_putchar(pad);
	for (n = 0; n < len; n++)
		sbi_console_putchar(s[n]);
	if (left)
		for (n = len; n < width; n++)
			sbi_console_putchar(' ');
}

/* Formats v in the given base into the end of buf; returns the first digit. */
static char *format_number(char *end, uint64_t v, unsigned base)
{
	char *p = end;

	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	return p;
}

static void print_int(uint64_t v, bool is_signed, unsigned base, int width,
		      bool left, char pad)
{
	char buf[24], *p, *end = buf + sizeof(buf);
	bool negative = is_signed && (int64_t)v < 0;

	p = format_number(end, negative ? 0 - v : v, base);
	if (negative) {
		if (pad == '0') {
			sbi_console_putchar('-');
			width--;
		} else {
			*--p = '-';
		}
	}
	put_padded(p, (int)(end - p), width, left, pad);
}

/* Reads one argument of the given size class (0: int, 1: long, 2: long long). */
static uint64_t next_arg(va_list *ap, int size, bool is_signed)
{
	if (size > 0)
		return va_arg(*ap, uint64_t);
	return is_signed ? (uint64_t)(int64_t)va_arg(*ap, int)
			 : (uint64_t)va_arg(*ap, unsigned);
}

void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt != '\0'; fmt++) {
		bool left = false;
		char pad = ' ';
		int width = 0, size = 0;

		if (*fmt != '%') {
			sbi_console_putchar(*fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			size++;
		switch (*fmt) {
		case 'd':
		case 'i':
			print_int(next_arg(&ap, size, true), true, 10, width, left, pad);
			break;
		case 'u':
			print_int(next_arg(&ap, size, false), false, 10, width, left, pad);
			break;
		case 'x':
			print_int(next_arg(&ap, size, false), false, 16, width, left, pad);
			break;
		case 'p':
			put_padded("0x", 2, 0, false, ' ');
			print_int(va_arg(ap, uint64_t), false, 16, width, left, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;

			if (s == NULL)
				s = "(null)";
			while (s[len] != '\0')
				len++;
			put_padded(s, len, width, left, ' ');
			break;
		}
		case 'c':
			sbi_console_putchar(va_arg(ap, int));
			break;
		case '\0':
			return;
		default:
			sbi_console_putchar(*fmt);
			break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	kprintf("\nkernel panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	machine_exit(EXIT_KERNEL_PANIC);
}
