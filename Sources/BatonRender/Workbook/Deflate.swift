// Our own raw deflate (RFC 1951) encoder, built for speed on the workbook's sheet XML (long runs of
// near-identical rows) rather than for the last percent of size. Pure Swift with no dependency, and
// deterministic by construction: the bytes depend only on the input (no SIMD-dependent paths, no
// timing, no state carried between calls but what the caller passes as dictionary).
//
// Design, in the order the bytes flow:
// - LZ77, greedy: a single-slot hash table of positions keyed by a multiplicative hash of the next
//   7 bytes; a candidate is taken if at least its first 4 bytes are equal and it lies within the
//   32 KB window; the match is extended 8 bytes at a time (XOR, trailing zero count). Inside a match
//   only three positions are hashed (its second and its last two), which costs little size on XML and
//   saves most of the time on long matches. The dictionary (the bytes before the input) is hashed first, so
//   matches reach back into it.
// - Symbols are kept per block (one 32-bit word each) with their frequencies counted as they come.
// - Each block is written the cheapest of three ways, counted exactly in bits: dynamic Huffman codes
//   (lengths at most 15 bits, 7 for the code-length code, built deterministically: Huffman's method
//   with ties broken by symbol, then lengths over the limit folded back by a fixed rule), the fixed
//   codes, or stored.
// - Bits go out through a 64-bit buffer written a whole word at a time.

/// The tables that depend on nothing: length and distance codes, their extra bits and bases.
private enum DeflateTables {
    /// Length symbol (257...285) for each match length minus 3 (0...255).
    static let lengthSymbol: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 256)
        for code in 0..<29 {
            let base = Int(lengthBase[code]) - 3
            let n = 1 << Int(lengthExtra[code])
            for l in base..<min(base + n, 256) { t[l] = UInt16(257 + code) }
        }
        t[255] = 285  // length 258 has its own code, not 284 with all extra bits set
        return t
    }()
    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                       67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                         1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// Distance code for distance minus 1: entries 0..<256 directly, then 256 + (d >> 7).
    static let distanceCode: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 512)
        for code in 0..<30 {
            let base = Int(distanceBase[code]) - 1
            let n = 1 << Int(distanceExtra[code])
            for d in base..<(base + n) {
                if d < 256 { t[d] = UInt8(code) } else { t[256 + (d >> 7)] = UInt8(code) }
            }
        }
        return t
    }()
    /// Order in which the code-length code's lengths are sent.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
}

/// Raw deflate encoder for one buffer at a time (with an optional preset dictionary right before it).
/// Holds its working memory, so one encoder is reused for many buffers; not thread-safe (one per worker).
final class DeflateEncoder {
    static let windowSize = 32 << 10
    static let hashBits = 16
    /// Symbols per block: big enough that the block headers are noise, small enough that the codes
    /// follow the data as it changes.
    static let blockSymbols = 1 << 15

    private let table: UnsafeMutablePointer<UInt32>
    private let symbols: UnsafeMutablePointer<UInt32>
    /// Frequencies of the literal/length (288) and distance (32) symbols, back to back.
    private let freq: UnsafeMutablePointer<UInt32>
    /// Code lengths and (bit-reversed) codes of the block being written, same layout as `freq`.
    private let lengths: UnsafeMutablePointer<UInt8>
    private let codes: UnsafeMutablePointer<UInt16>
    /// Per match length minus 3: the length symbol's code and extra bits as one bit string, and its size.
    private let lengthBits: UnsafeMutablePointer<UInt32>
    private let lengthCount: UnsafeMutablePointer<UInt8>
    /// Constant tables as pointers (no array bounds checks in the loops).
    private let lengthSymbol: UnsafeMutablePointer<UInt16>
    private let distanceCode: UnsafeMutablePointer<UInt8>
    private let distanceBase: UnsafeMutablePointer<UInt16>
    private let distanceExtra: UnsafeMutablePointer<UInt8>
    /// Scratch for the code builder.
    private let huffman: HuffmanBuilder

    init() {
        table = .allocate(capacity: 1 << Self.hashBits)
        symbols = .allocate(capacity: Self.blockSymbols)
        freq = .allocate(capacity: 320)
        lengths = .allocate(capacity: 320)
        codes = .allocate(capacity: 320)
        lengthBits = .allocate(capacity: 256)
        lengthCount = .allocate(capacity: 256)
        lengthSymbol = .allocate(capacity: 256)
        lengthSymbol.initialize(from: DeflateTables.lengthSymbol, count: 256)
        distanceCode = .allocate(capacity: 512)
        distanceCode.initialize(from: DeflateTables.distanceCode, count: 512)
        distanceBase = .allocate(capacity: 30)
        distanceBase.initialize(from: DeflateTables.distanceBase, count: 30)
        distanceExtra = .allocate(capacity: 30)
        distanceExtra.initialize(from: DeflateTables.distanceExtra, count: 30)
        huffman = HuffmanBuilder()
    }

    deinit {
        table.deallocate()
        symbols.deallocate()
        freq.deallocate()
        lengths.deallocate()
        codes.deallocate()
        lengthBits.deallocate()
        lengthCount.deallocate()
        lengthSymbol.deallocate()
        distanceCode.deallocate()
        distanceBase.deallocate()
        distanceExtra.deallocate()
    }

    /// Output capacity that `compress` never exceeds for `count` input bytes: no block is written larger
    /// than stored, which costs 5 bytes per block (of at least `blockSymbols` bytes but the last) and per
    /// 65535 bytes, plus a byte of padding; then the closing marker and 8 bytes of room for the
    /// whole-word writes.
    static func bound(_ count: Int) -> Int { count + 5 * (count / 65535 + 2) + (count >> 12) + 64 }

    /// Deflates `input[0..<count]` to `output`, matches reaching back into the `dictionaryCount` bytes
    /// before `input` (which must be readable). With `final`, the last block is marked final; without,
    /// the blocks end with an empty stored block (a sync flush), so that another stream may follow.
    /// Either way the output ends on a byte boundary. Returns the bytes written (at most `bound(count)`).
    func compress(_ input: UnsafePointer<UInt8>, count: Int, dictionaryCount: Int, final: Bool,
                  output: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(count >= 0 && dictionaryCount >= 0 && count <= Int(UInt32.max) / 2)
        let dictionary = min(dictionaryCount, Self.windowSize)
        let base = input - dictionary
        let end = dictionary + count
        let table = self.table, symbols = self.symbols, freq = self.freq
        let lengthSymbol = self.lengthSymbol, distanceCode = self.distanceCode
        let shift = UInt64(64 - Self.hashBits)
        table.initialize(repeating: 0, count: 1 << Self.hashBits)

        /// 8 bytes, the first in the low bits whatever the processor (so hashes and match lengths are).
        @inline(__always) func load64(_ i: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        }
        /// Hash of the 7 bytes at `i` (of the 8 read): a candidate must share them to be found, which
        /// keeps the table for matches long enough to pay (on sheet XML, 10% smaller than keying on 4).
        @inline(__always) func hash(_ i: Int) -> Int {
            Int(((load64(i) &<< 8) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
        }

        // Positions whose 8 bytes can be read. Position 0 is in the table from the start (all zeros),
        // harmlessly: a candidate is always checked.
        for i in 0..<max(0, min(dictionary, end - 7)) { table[hash(i)] = UInt32(i) }

        var writer = BitWriter(output)
        var p = dictionary
        var blockStart = p
        var n = 0
        freq.initialize(repeating: 0, count: 320)
        // The match finder reads 8 bytes at a time: the last 7 bytes go out as literals.
        let hashEnd = end - 8
        while true {
            if p <= hashEnd && n < Self.blockSymbols {
                let h = hash(p)
                let candidate = Int(table[h])
                table[h] = UInt32(truncatingIfNeeded: p)
                let distance = p &- candidate
                // A match needs 4 equal bytes; the first 8 are compared at once (candidate < p, readable).
                let first = load64(p) ^ load64(candidate)
                if UInt(bitPattern: distance &- 1) < UInt(Self.windowSize) && UInt32(truncatingIfNeeded: first) == 0 {
                    let limit = min(258, end &- p)
                    var length: Int
                    if first != 0 {
                        length = first.trailingZeroBitCount &>> 3
                    } else {
                        // Extend: 8 bytes at a time, then byte by byte at the end of the input.
                        length = 8
                        while true {
                            if length &+ 8 <= limit {
                                let x = load64(p &+ length) ^ load64(candidate &+ length)
                                if x != 0 {
                                    length &+= x.trailingZeroBitCount &>> 3
                                    break
                                }
                                length &+= 8
                            } else {
                                while length < limit && base[p &+ length] == base[candidate &+ length] { length &+= 1 }
                                break
                            }
                        }
                    }
                    if length > limit { length = limit }
                    let d = distance &- 1
                    symbols[n] = 0x8000_0000 | UInt32(truncatingIfNeeded: d << 8) | UInt32(truncatingIfNeeded: length &- 3)
                    n &+= 1
                    freq[Int(lengthSymbol[length &- 3])] &+= 1
                    let dc = d < 256 ? distanceCode[d] : distanceCode[256 &+ (d &>> 7)]
                    freq[288 &+ Int(dc)] &+= 1
                    // Hash three of the match's positions, not all: its second (a better match may
                    // start there next time) and its last two (the next rows' matches start where this
                    // one ends). On sheet XML this loses little size and saves most of the time.
                    let next = p &+ length
                    if next <= hashEnd {
                        table[hash(p &+ 1)] = UInt32(truncatingIfNeeded: p &+ 1)
                        table[hash(next &- 2)] = UInt32(truncatingIfNeeded: next &- 2)
                        table[hash(next &- 1)] = UInt32(truncatingIfNeeded: next &- 1)
                    }
                    p = next
                    continue
                }
                let byte = base[p]
                symbols[n] = UInt32(byte)
                n &+= 1
                freq[Int(byte)] &+= 1
                p &+= 1
                continue
            }
            // The tail that cannot be hashed goes out as literals (when the block has room).
            while p < end && n < Self.blockSymbols {
                let byte = base[p]
                symbols[n] = UInt32(byte)
                n &+= 1
                freq[Int(byte)] &+= 1
                p &+= 1
            }
            let isLast = p >= end
            writeBlock(&writer, count: n, bytes: base + blockStart, byteCount: p - blockStart, final: final && isLast)
            if isLast { break }
            n = 0
            blockStart = p
            freq.update(repeating: 0, count: 320)
        }
        if !final {
            // Sync flush: an empty stored block ends the output on a byte boundary.
            writer.put(0, 3)
            writer.flush()
            writer.alignToByte()
            writer.bytes([0, 0, 0xFF, 0xFF])
        } else {
            writer.alignToByte()
        }
        return writer.out - output
    }

    /// Writes one block holding `symbols[0..<count]` (which stand for `bytes[0..<byteCount]`), as
    /// dynamic Huffman, fixed Huffman or stored, whichever is smallest.
    private func writeBlock(_ w: inout BitWriter, count: Int, bytes: UnsafePointer<UInt8>, byteCount: Int, final: Bool) {
        let freq = self.freq, lengths = self.lengths, codes = self.codes
        freq[256] = 1  // end of block
        // Extra bits are the same for both Huffman kinds.
        var extraBits = 0
        for code in 0..<29 { extraBits += Int(freq[257 + code]) * Int(DeflateTables.lengthExtra[code]) }
        for code in 0..<30 { extraBits += Int(freq[288 + code]) * Int(distanceExtra[code]) }

        var fixedBits = 3 + extraBits
        for s in 0..<288 { fixedBits += Int(freq[s]) * Self.fixedLength(s) }
        for s in 0..<30 { fixedBits += Int(freq[288 + s]) * 5 }

        huffman.build(freq, count: 286, limit: 15, into: lengths)
        huffman.build(freq + 288, count: 30, limit: 15, into: lengths + 288)
        // Lengths actually sent: up to the last used symbol (at least 257 and 1).
        var literalCount = 286
        while literalCount > 257 && lengths[literalCount - 1] == 0 { literalCount -= 1 }
        var distanceCount = 30
        while distanceCount > 1 && lengths[288 + distanceCount - 1] == 0 { distanceCount -= 1 }
        let header = huffman.codeLengthHeader(lengths, literalCount: literalCount, distanceCount: distanceCount)
        var dynamicBits = 3 + header + extraBits
        for s in 0..<286 { dynamicBits += Int(freq[s]) * Int(lengths[s]) }
        for s in 0..<30 { dynamicBits += Int(freq[288 + s]) * Int(lengths[288 + s]) }

        // Stored: each piece of at most 65535 bytes costs a 3-bit header, the padding to a byte boundary
        // (at most 7 bits for the first, 5 for the others) and 4 bytes of length; counted at the most,
        // so the output never passes `bound`.
        let storedPieces = max(1, (byteCount + 65534) / 65535)
        let storedBits = (3 + 7) + (storedPieces - 1) * 8 + storedPieces * 32 + byteCount * 8

        if storedBits < dynamicBits && storedBits < fixedBits {
            var at = 0
            for i in 0..<storedPieces {
                let k = min(65535, byteCount - at)
                w.put(final && i == storedPieces - 1 ? 1 : 0, 3)
                w.flush()
                w.alignToByte()
                w.bytes([UInt8(k & 0xFF), UInt8(k >> 8), UInt8(~k & 0xFF), UInt8((~k >> 8) & 0xFF)])
                w.copy(bytes + at, k)
                at += k
            }
            return
        }
        if fixedBits <= dynamicBits {
            for s in 0..<288 { lengths[s] = UInt8(Self.fixedLength(s)) }
            for s in 0..<32 { lengths[288 + s] = 5 }
            Self.canonicalCodes(lengths, count: 288, into: codes)
            Self.canonicalCodes(lengths + 288, count: 32, into: codes + 288)
            w.put(final ? 1 : 0, 1)
            w.put(1, 2)
        } else {
            Self.canonicalCodes(lengths, count: 286, into: codes)
            Self.canonicalCodes(lengths + 288, count: 30, into: codes + 288)
            w.put(final ? 1 : 0, 1)
            w.put(2, 2)
            huffman.writeHeader(&w, literalCount: literalCount, distanceCount: distanceCount)
        }
        w.flush()
        writeSymbols(&w, count: count)
    }

    /// Writes the block's symbols with the codes in `codes`/`lengths`, then the end of block.
    private func writeSymbols(_ w: inout BitWriter, count: Int) {
        let lengths = self.lengths, codes = self.codes, symbols = self.symbols
        let lengthBits = self.lengthBits, lengthCount = self.lengthCount
        let distanceCode = self.distanceCode, distanceBase = self.distanceBase, distanceExtra = self.distanceExtra
        // Length symbol and its extra bits as one bit string per length.
        for l in 0..<256 {
            let s = Int(lengthSymbol[l])
            let code = s - 257
            let extra = UInt32(l + 3) - UInt32(DeflateTables.lengthBase[code])
            lengthBits[l] = UInt32(codes[s]) | extra << UInt32(lengths[s])
            lengthCount[l] = lengths[s] + DeflateTables.lengthExtra[code]
        }
        var i = 0
        while i < count {
            let s = symbols[i]
            i &+= 1
            if s & 0x8000_0000 == 0 {
                let b = Int(s)
                w.put(UInt64(codes[b]), Int(lengths[b]))
                // A second literal fits in the same word before the flush.
                if i < count {
                    let t = symbols[i]
                    if t & 0x8000_0000 == 0 {
                        i &+= 1
                        let c = Int(t)
                        w.put(UInt64(codes[c]), Int(lengths[c]))
                    }
                }
            } else {
                let l = Int(s & 0xFF)
                w.put(UInt64(lengthBits[l]), Int(lengthCount[l]))
                let d = Int((s &>> 8) & 0x7FFF)
                let dc = Int(d < 256 ? distanceCode[d] : distanceCode[256 &+ (d &>> 7)])
                let extra = UInt64(d &+ 1 &- Int(distanceBase[dc]))
                let cl = Int(lengths[288 &+ dc])
                w.put(UInt64(codes[288 &+ dc]) | extra &<< UInt64(cl), cl &+ Int(distanceExtra[dc]))
            }
            w.flush()
        }
        w.put(UInt64(codes[256]), Int(lengths[256]))
        w.flush()
    }

    @inline(__always)
    private static func fixedLength(_ s: Int) -> Int {
        s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8
    }

    /// Canonical Huffman codes (RFC 1951 3.2.2) for `lengths`, bit-reversed for LSB-first writing.
    static func canonicalCodes(_ lengths: UnsafeMutablePointer<UInt8>, count: Int, into codes: UnsafeMutablePointer<UInt16>) {
        var lengthCount = [Int](repeating: 0, count: 16)
        for s in 0..<count { lengthCount[Int(lengths[s])] += 1 }
        lengthCount[0] = 0
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1...15 {
            code = (code + lengthCount[bits - 1]) << 1
            next[bits] = code
        }
        for s in 0..<count {
            let len = Int(lengths[s])
            if len == 0 { codes[s] = 0; continue }
            var c = next[len]
            next[len] += 1
            var r = 0
            for _ in 0..<len { r = (r << 1) | (c & 1); c >>= 1 }
            codes[s] = UInt16(r)
        }
    }
}

/// LSB-first bit output through a 64-bit buffer: bits are added to the buffer and `flush` writes the
/// whole word and advances by the complete bytes in it (the output needs 8 bytes of room past the end).
/// At most 56 bits may be added between flushes.
struct BitWriter {
    var out: UnsafeMutablePointer<UInt8>
    var buffer: UInt64 = 0
    var count = 0

    init(_ out: UnsafeMutablePointer<UInt8>) { self.out = out }

    @inline(__always)
    mutating func put(_ bits: UInt64, _ n: Int) {
        buffer |= bits &<< UInt64(count)
        count &+= n
    }

    @inline(__always)
    mutating func flush() {
        UnsafeMutableRawPointer(out).storeBytes(of: buffer.littleEndian, as: UInt64.self)
        let bytes = count &>> 3
        out += bytes
        buffer = buffer &>> UInt64(bytes &<< 3)
        count &= 7
    }

    /// Pads with zero bits to the next byte boundary (after a flush).
    mutating func alignToByte() {
        if count > 0 {
            out.pointee = UInt8(truncatingIfNeeded: buffer)
            out += 1
            buffer = 0
            count = 0
        }
    }

    /// Bytes on a byte boundary (after `alignToByte`).
    mutating func bytes(_ b: [UInt8]) {
        for x in b { out.pointee = x; out += 1 }
    }

    mutating func copy(_ p: UnsafePointer<UInt8>, _ n: Int) {
        out.update(from: p, count: n)
        out += n
    }
}

/// Length-limited Huffman code lengths and the dynamic block header (the code-length code), with
/// scratch memory kept between blocks. Deterministic: ties are broken by symbol number.
final class HuffmanBuilder {
    /// (frequency << 16 | symbol) of the used symbols, sorted.
    private var keys = [UInt64](repeating: 0, count: 320)
    private var weight = [UInt64](repeating: 0, count: 640)
    private var parent = [Int](repeating: 0, count: 640)
    /// The code-length sequence of the current header: each entry symbol | extra value << 8.
    private var sequence = [UInt16](repeating: 0, count: 320)
    private var sequenceCount = 0
    private var clLengths = [UInt8](repeating: 0, count: 19)
    private var clCodes = [UInt16](repeating: 0, count: 19)
    private var clCount = 4

    /// Code lengths (at most `limit` bits) for `freq[0..<count]` into `lengths`; unused symbols get 0.
    /// At least two symbols get a code (a lone symbol is paired with symbol 0 or 1), as decoders expect.
    func build(_ freq: UnsafeMutablePointer<UInt32>, count: Int, limit: Int, into lengths: UnsafeMutablePointer<UInt8>) {
        var n = 0
        for s in 0..<count {
            lengths[s] = 0
            if freq[s] != 0 { keys[n] = UInt64(freq[s]) << 16 | UInt64(s); n += 1 }
        }
        if n < 2 {
            // Pad with the lowest symbols not used, at weight 0 (they get a code, never sent).
            var s = 0
            while n < 2 {
                if freq[s] == 0 { keys[n] = UInt64(s); n += 1 }
                s += 1
            }
        }
        keys.withUnsafeMutableBufferPointer { $0[0..<n].sort() }
        // Huffman's method with two queues: the sorted leaves, and the internal nodes in the order made
        // (their weights never decrease). A leaf is taken before a node of the same weight.
        var leaf = 0, node = n, made = n
        for i in 0..<n { weight[i] = keys[i] >> 16 }
        func takeLowest() -> Int {
            if leaf < n && (node >= made || weight[leaf] <= weight[node]) { leaf += 1; return leaf - 1 }
            node += 1
            return node - 1
        }
        while made < 2 * n - 1 {
            let a = takeLowest(), b = takeLowest()
            weight[made] = weight[a] + weight[b]
            parent[a] = made
            parent[b] = made
            made += 1
        }
        // Depths from the root down (a node's parent is made after it).
        var depth = [Int](repeating: 0, count: 2 * n)
        var i = 2 * n - 3
        while i >= 0 { depth[i] = depth[parent[i]] + 1; i -= 1 }
        var lengthCount = [Int](repeating: 0, count: 64)
        var longest = 0
        for i in 0..<n {
            lengthCount[min(depth[i], limit)] += 1
            longest = max(longest, depth[i])
        }
        if longest > limit {
            // Folded to the limit the code is over-full; move leaves down from the longest lengths below
            // the limit until it is exactly full (Kraft sum 1), as zlib and miniz do.
            var total = 0
            for b in 1...limit { total += lengthCount[b] << (limit - b) }
            while total > 1 << limit {
                lengthCount[limit] -= 1
                for b in stride(from: limit - 1, through: 1, by: -1) where lengthCount[b] != 0 {
                    lengthCount[b] -= 1
                    lengthCount[b + 1] += 2
                    break
                }
                total -= 1
            }
        }
        // Longest codes to the rarest symbols (the sorted order), ties by symbol.
        var at = 0
        for b in stride(from: limit, through: 1, by: -1) {
            for _ in 0..<lengthCount[b] {
                lengths[Int(keys[at] & 0xFFFF)] = UInt8(b)
                at += 1
            }
        }
    }

    /// Prepares the code-length code for the literal/length lengths `lengths[0..<literalCount]` and the
    /// distance lengths `lengths[288..<288 + distanceCount]`, and returns the header's size in bits.
    func codeLengthHeader(_ lengths: UnsafeMutablePointer<UInt8>, literalCount: Int, distanceCount: Int) -> Int {
        // The lengths in a row, run-length coded with 16 (repeat previous 3-6), 17 (3-10 zeros) and
        // 18 (11-138 zeros).
        let all = literalCount + distanceCount
        @inline(__always) func length(_ i: Int) -> Int { Int(i < literalCount ? lengths[i] : lengths[288 + i - literalCount]) }
        sequenceCount = 0
        var clFreq = [UInt32](repeating: 0, count: 19)
        func emit(_ symbol: Int, _ extra: Int) {
            sequence[sequenceCount] = UInt16(symbol | extra << 8)
            sequenceCount += 1
            clFreq[symbol] += 1
        }
        var i = 0
        while i < all {
            let v = length(i)
            var run = 1
            while i + run < all && length(i + run) == v { run += 1 }
            i += run
            if v == 0 {
                while run >= 11 { let k = min(run, 138); emit(18, k - 11); run -= k }
                if run >= 3 { emit(17, run - 3); run = 0 }
                while run > 0 { emit(0, 0); run -= 1 }
            } else {
                emit(v, 0)
                run -= 1
                while run >= 3 { let k = min(run, 6); emit(16, k - 3); run -= k }
                while run > 0 { emit(v, 0); run -= 1 }
            }
        }
        clFreq.withUnsafeMutableBufferPointer { f in
            clLengths.withUnsafeMutableBufferPointer { l in
                build(f.baseAddress!, count: 19, limit: 7, into: l.baseAddress!)
                clCodes.withUnsafeMutableBufferPointer { c in
                    DeflateEncoder.canonicalCodes(l.baseAddress!, count: 19, into: c.baseAddress!)
                }
            }
        }
        clCount = 19
        while clCount > 4 && clLengths[DeflateTables.codeLengthOrder[clCount - 1]] == 0 { clCount -= 1 }
        var bits = 5 + 5 + 4 + 3 * clCount
        for k in 0..<sequenceCount {
            let s = Int(sequence[k] & 0xFF)
            bits += Int(clLengths[s]) + (s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0)
        }
        return bits
    }

    /// Writes the header prepared by `codeLengthHeader` (after the block type).
    func writeHeader(_ w: inout BitWriter, literalCount: Int, distanceCount: Int) {
        w.put(UInt64(literalCount - 257), 5)
        w.put(UInt64(distanceCount - 1), 5)
        w.put(UInt64(clCount - 4), 4)
        w.flush()
        for k in 0..<clCount {
            w.put(UInt64(clLengths[DeflateTables.codeLengthOrder[k]]), 3)
            w.flush()
        }
        for k in 0..<sequenceCount {
            let s = Int(sequence[k] & 0xFF), extra = UInt64(sequence[k] >> 8)
            w.put(UInt64(clCodes[s]), Int(clLengths[s]))
            switch s {
            case 16: w.put(extra, 2)
            case 17: w.put(extra, 3)
            case 18: w.put(extra, 7)
            default: break
            }
            w.flush()
        }
    }
}
