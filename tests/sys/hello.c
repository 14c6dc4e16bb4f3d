// expect-output: hello, world 42
// expect-output: malloc: 100000 bytes ok
/* The smallest program: printf, and malloc through sbrk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *p = malloc(100000);

	printf("hello, world %d\n", 42);
	if (p == NULL)
		return 1;
	memset(p, 'x', 100000);
	printf("malloc: %d bytes %s\n", 100000, p[99999] == 'x' ? "ok" : "bad");
	free(p);
	return 0;
}
