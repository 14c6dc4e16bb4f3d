// expect-status: 139
// expect-output: killed by SIGSEGV (SEGV_MAPERR) at address 0x1234
/*
 * A load from an address no entry maps: the VM server's vm_fault says
 * KERN_INVALID_ADDRESS, and the process dies of SIGSEGV (128 + 11 for init).
 */
#include <stdio.h>

int main(void)
{
	volatile int *p = (volatile int *)0x1234;

	printf("about to fault\n");
	return *p;
}
