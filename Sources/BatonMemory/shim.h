// How the C allocator treats large blocks, for the command line (the core never calls it).
#ifndef BATON_MEMORY_SHIM_H
#define BATON_MEMORY_SHIM_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Blocks of `bytes` and more are mapped from the system and given back to it when freed. glibc's default
/// raises this threshold after the first large free, so that later large blocks are carved from heaps
/// that keep their pages after they are freed. Returns 1 when the setting was applied.
static inline int baton_unpool_large_blocks(int bytes) {
#if defined(M_MMAP_THRESHOLD)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

#endif
