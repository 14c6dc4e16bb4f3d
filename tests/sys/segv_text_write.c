// expect-status: 139
// expect-output: readable; storing to 0x10000
// expect-output: (test_segv_text_write) killed by SIGSEGV (SEGV_ACCERR) at address 0x10000, pc
/*
 * The program itself stores into its own text, which is mapped read and
 * execute only: the entry exists, the right is missing, so SEGV_ACCERR (not
 * MAPERR), and the process dies - init turns that into status 128 + 11.
 * Reading the same byte first must work: text is readable.
 */
#include <stdint.h>
#include <stdio.h>

extern char _start[];	/* the first byte of text: 0x10000 (lib/user.ld) */

int main(void)
{
	volatile char *text = _start;
	char first = *text;

	printf("segv_text_write: text byte %#x readable; storing to %p\n",
	       (unsigned)(unsigned char)first, (void *)text);
	*text = (char)~first;
	printf("segv_text_write: FAIL: the store to text went through\n");
	return 1;
}
