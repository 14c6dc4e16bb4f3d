/*
 * Standard output and error: picolibc's stdio over the kernel console.
 * Characters collect in a line buffer that goes out at each newline, when
 * full, and on exit, so a line costs one system call.
 */
#include <stdio.h>
#include <string.h>
#include "kern.h"
#include "libuser.h"

static char line[256];
static size_t line_len;

/* Makes every page of [p, p + len) resident, by reading a byte of each. */
void touch_pages(const void *p, size_t len)
{
	const volatile char *c = p;
	uintptr_t page;

	if (len == 0)
		return;
	for (page = (uintptr_t)c & ~4095UL; page < (uintptr_t)c + len; page += 4096)
		(void)*(const volatile char *)(page < (uintptr_t)c ? (uintptr_t)c : page);
}

/*
 * The kernel never takes a page fault for us: a buffer not yet mapped
 * fails with E_FAULT, and we touch it (faulting it in) and try again.
 */
long console_write(const void *buf, size_t len)
{
	long n = k_console_write(buf, len);

	if (n == -E_FAULT) {
		touch_pages(buf, len);
		n = k_console_write(buf, len);
	}
	return n;
}

static int console_flush(FILE *f)
{
	(void)f;
	if (line_len > 0)
		console_write(line, line_len);
	line_len = 0;
	return 0;
}

static int console_putc(char c, FILE *f)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		console_flush(f);
	return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(console_putc, NULL, console_flush, _FDEV_SETUP_WRITE);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

void console_flush_all(void)
{
	console_flush(&console);
}
