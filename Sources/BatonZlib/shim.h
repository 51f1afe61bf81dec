// zlib (Debian: zlib1g-dev, part of every machine the project builds on): raw deflate for the
// workbook's small ZIP entries, CRC-32 for all of them, and inflate for the tests of our own encoder.
#ifndef BATON_ZLIB_SHIM_H
#define BATON_ZLIB_SHIM_H

#include <zlib.h>

/// Starts a raw deflate stream (no zlib header: ZIP entries hold bare RFC 1951 data) at `level`.
/// `deflateInit2` is a macro, which Swift cannot call.
static inline int baton_deflate_init(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

/// Inflates the raw deflate stream `in[0..<inCount]` into `out` (room for `outCapacity` bytes), for the
/// tests of our own deflate encoder. Returns Z_STREAM_END when the stream ended with its final block,
/// having consumed all input; `*outCount` is set to the bytes produced.
static inline int baton_inflate_raw(const unsigned char *in, size_t inCount, unsigned char *out,
                                    size_t outCapacity, size_t *outCount) {
    z_stream s = {0};
    int rc = inflateInit2(&s, -15);
    if (rc != Z_OK) return rc;
    s.next_in = (unsigned char *)in;
    s.avail_in = (uInt)inCount;
    s.next_out = out;
    s.avail_out = (uInt)outCapacity;
    rc = inflate(&s, Z_FINISH);
    if (rc == Z_STREAM_END && s.avail_in != 0) rc = Z_DATA_ERROR;
    *outCount = (size_t)s.total_out;
    inflateEnd(&s);
    return rc;
}

/// Asks for the cache line at `p` ahead of use (not zlib, but this is the package's one C shim): the
/// shared-string table looks up a row's texts in a table too big for the cache, and fetching their slots
/// together overlaps the misses.
static inline void baton_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
