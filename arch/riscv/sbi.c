/*
 * SBI calls. Arguments in a0..a5, the extension in a7, the function in a6;
 * the error comes back in a0 and a value in a1.
 */
#include "sbi.h"

#define SBI_EXT_LEGACY_PUTCHAR  0x01
#define SBI_EXT_TIME            0x54494d45	/* "TIME" */
#define SBI_EXT_SRST            0x53525354	/* "SRST" */

static long sbi_call(long ext, long fn, long arg0, long arg1)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a6 __asm__("a6") = fn;
	register long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a6), "r"(a7)
			 : "memory");
	return a0;
}

/* SBI 1.0 in OpenSBI 1.1 lacks the debug console: the legacy call it is. */
void sbi_console_putchar(int c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, c, 0);
}

void sbi_set_timer(uint64_t stime_value)
{
	sbi_call(SBI_EXT_TIME, 0, (long)stime_value, 0);
}

void sbi_shutdown(void)
{
	sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, 0 /* no reason */);
	for (;;)
		;
}
