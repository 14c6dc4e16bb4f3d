/*
 * How a process begins: crt0 calls __start_c with the argument block its
 * creator left on the stack - argc, then argv[0..argc-1], then NULL - and
 * we call main. A root task (no VM server above it) defines its own
 * __start_c instead.
 */
#include <stdlib.h>
#include "libuser.h"

int main(int argc, char **argv);

__attribute__((weak)) void __start_c(long *block)
{
	int argc = (int)block[0];
	char **argv = (char **)&block[1];

	ipc_buffer_init();
	ipc_buffer_wire();
	exit(main(argc, argv));
}
