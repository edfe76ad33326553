#ifndef FORKCHECK_SRC_CHILD_PATH_H_
#define FORKCHECK_SRC_CHILD_PATH_H_

// A forked child starts with none of the program's code mapped: fork()
// copies no page tables for file-backed mappings, so the child takes a page
// fault for every 64 KiB window of code it runs, once per connection. The
// functions a child runs are marked hot: GCC places hot functions side by
// side in .text.hot, and the child's own code then costs a single fault.
#define CHILD_PATH [[gnu::hot]]

#endif  // FORKCHECK_SRC_CHILD_PATH_H_
