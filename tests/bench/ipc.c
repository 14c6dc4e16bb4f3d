/*
 * BENCH ipc_roundtrip: call + reply-and-wait between two address spaces,
 * empty messages. This process makes an endpoint; its child (the same
 * program, started with "serve") inherits the cap and answers.
 */
#include <string.h>
#include <sys/wait.h>
#include "bench.h"
#include "proc.h"

#define N 4096

/* The server: answer each call with an empty reply, until label 2. */
static int serve(long slot)
{
	uint64_t peer = 0;

	while (TAG_LABEL(ipc_reply_wait_empty((uint64_t)slot, &peer, 0)) != 2)
		;
	return 0;
}

int main(int argc, char **argv)
{
	char slot_text[8], *child_argv[] = { "bench_ipc", "serve", slot_text, NULL };
	uint64_t t0, t1;
	long slot;
	int i, status;

	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2][0] - '0');
	slot = k_endpoint_create();
	if (slot < 0 || slot > 9)
		return 1;
	slot_text[0] = (char)('0' + slot);
	slot_text[1] = '\0';
	if (spawn("bench_ipc", child_argv) < 0)
		return 2;
	for (i = 0; i < 16; i++)	/* warm up: the server is waiting after this */
		ipc_call_empty((uint64_t)slot, 1);
	profile_begin();
	t0 = rdinstret();
	for (i = 0; i < N; i++)
		ipc_call_empty((uint64_t)slot, 1);
	t1 = rdinstret();
	profile_end();
	bench_report("ipc_roundtrip", (double)(t1 - t0) / N, "instructions");
	ipc_call_empty((uint64_t)slot, 2);
	wait(&status);
	return 0;
}
