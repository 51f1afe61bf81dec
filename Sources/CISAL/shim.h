// Intel ISA-L (Debian: libisal-dev): streaming raw deflate (igzip) and CRC-32, used to write the
// workbook's ZIP entries several times faster than zlib at a similar ratio.
#ifndef BATON_CISAL_SHIM_H
#define BATON_CISAL_SHIM_H

#include <stdint.h>
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

/// Size of the work buffer igzip needs for compression level 1 (a macro expression Swift cannot import).
static inline uint32_t baton_isal_level1_buffer_size(void) { return ISAL_DEF_LVL1_DEFAULT; }

/// Whether a stream given `end_of_stream` has written everything, final block included.
static inline int baton_isal_finished(const struct isal_zstream *s) { return s->internal_state.state == ZSTATE_END; }

/// Whether a SYNC_FLUSH call has written everything given so far (igzip's documented test).
static inline int baton_isal_flushed(const struct isal_zstream *s) { return s->internal_state.state == ZSTATE_NEW_HDR; }

/// Asks for the cache line at `p` ahead of use (not ISA-L, but this is the package's one C shim): the
/// shared-string table looks up a row's texts in a table too big for the cache, and fetching their slots
/// together overlaps the misses.
static inline void baton_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
