// zlib (Debian: zlib1g-dev, part of every machine the project builds on): streaming raw deflate and
// CRC-32 for the workbook's ZIP entries.
#ifndef BATON_ZLIB_SHIM_H
#define BATON_ZLIB_SHIM_H

#include <zlib.h>

/// Starts a raw deflate stream (no zlib header: ZIP entries hold bare RFC 1951 data) at `level`.
/// `deflateInit2` is a macro, which Swift cannot call.
static inline int baton_deflate_init(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

/// Asks for the cache line at `p` ahead of use (not zlib, but this is the package's one C shim): the
/// shared-string table looks up a row's texts in a table too big for the cache, and fetching their slots
/// together overlaps the misses.
static inline void baton_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
