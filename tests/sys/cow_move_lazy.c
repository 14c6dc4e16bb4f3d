// boot-args: collapse=lazy
// expect-output: cow_move: shared with a live child: the parent's 128 writes: all copies, no moves
// expect-output: cow_move: shared with a live child: the child's 128 writes: all copies, no moves
// expect-output: cow_move: after the child exited: the parent's 127 writes copied nothing
// expect-output: cow_move: after the parent exited: the child's 127 writes copied nothing
// expect-output: cow_move: one of two children exited: 63 writes copied; after both: 64 writes copied nothing
// expect-output: cow_move: child gone before any write: 128 writes, no copies
// expect-output: cow_move: all checks passed
/*
 * cow_move.c under the lazy collapse policy (boot option collapse=lazy):
 * where no copy is needed, the pages must now move up one by one as they
 * are written - v_cow_optim counting each - instead of being merged at once.
 */
#define TEST_NAME "cow_move"
#define WANT_HOW "moved"
#include "cow_move.c"
