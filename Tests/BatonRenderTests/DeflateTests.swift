import BatonCore
import BatonZlib
import Foundation
import Testing
@testable import BatonRender

/// Our deflate encoder checked against zlib's inflate: every kind of input must come back exactly, the
/// block kinds must be chosen as designed, and the bytes must depend on the input only.
@Suite("Deflate encoder")
struct DeflateTests {
    /// Deflates `bytes` with `dictionary` right before it in memory (as the pieces are laid out).
    static func deflate(_ bytes: [UInt8], dictionary: [UInt8] = [], final: Bool = true,
                        encoder: DeflateEncoder = DeflateEncoder()) -> [UInt8] {
        let all = dictionary + bytes
        let capacity = DeflateEncoder.bound(bytes.count)
        var out = [UInt8](repeating: 0, count: capacity)
        let n = all.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { o in
                encoder.compress(a.baseAddress! + dictionary.count, count: bytes.count, dictionaryCount: dictionary.count,
                                 final: final, output: o.baseAddress!)
            }
        }
        precondition(n <= capacity)
        return Array(out[..<n])
    }

    /// zlib's inflate of a whole raw stream (which must end with a final block and nothing after it), or
    /// nil when zlib finds it invalid or it holds more than `limit` bytes.
    static func inflate(_ deflated: [UInt8], limit: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: limit + 1)
        var produced = 0
        let rc = deflated.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                baton_inflate_raw(d.baseAddress, d.count, o.baseAddress, o.count, &produced)
            }
        }
        guard rc == Z_STREAM_END, produced <= limit else { return nil }
        return Array(out[..<produced])
    }

    /// A final empty block (fixed codes, end of block at once): ends a stream left open by a sync flush.
    static let finalEmptyBlock: [UInt8] = [0x03, 0x00]

    /// Checks that `bytes` deflate and inflate back, as a final stream and as one ended by a sync flush.
    static func roundTrip(_ bytes: [UInt8], dictionary: [UInt8] = [], _ label: String) {
        let whole = deflate(bytes, dictionary: dictionary)
        let open = deflate(bytes, dictionary: dictionary, final: false)
        // A sync flush ends with the empty stored block's length fields.
        #expect(Array(open.suffix(4)) == [0, 0, 0xFF, 0xFF], "\(label)")
        if dictionary.isEmpty {
            #expect(inflate(whole, limit: bytes.count) == bytes, "\(label)")
            #expect(inflate(open + finalEmptyBlock, limit: bytes.count) == bytes, "\(label), sync flush")
        } else {
            // The dictionary goes first as a stored block the stream after it may reach back into.
            let prefix = storedOpen(dictionary)
            #expect(inflate(prefix + whole, limit: dictionary.count + bytes.count) == dictionary + bytes, "\(label)")
            #expect(inflate(prefix + open + finalEmptyBlock, limit: dictionary.count + bytes.count) == dictionary + bytes, "\(label), sync flush")
        }
    }

    /// `bytes` as non-final stored blocks (a stream prefix that puts them in the inflater's window).
    static func storedOpen(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var at = 0
        repeat {
            let k = min(65535, bytes.count - at)
            out += [0x00, UInt8(k & 0xFF), UInt8(k >> 8), UInt8(~k & 0xFF), UInt8((~k >> 8) & 0xFF)]
            out += bytes[at..<(at + k)]
            at += k
        } while at < bytes.count
        return out
    }

    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return UInt8(truncatingIfNeeded: x >> 24)
        }
    }

    /// Sheet-like rows with varying numbers and texts, about `count` bytes.
    static func sheetXML(_ count: Int, seed: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 200)
        let noise = random(count / 8 + 64, seed: seed)
        var r = 0
        while out.count < count {
            let a = Int(noise[r % noise.count]), b = Int(noise[(r * 7 + 3) % noise.count])
            out += Array("    <row r=\"\(r + 2)\"><c t=\"inlineStr\"><is><t>L\(1_000_000 + r)</t></is></c><c t=\"s\"><v>\(a * 37 + b)</v></c>".utf8)
            if b % 3 == 0 { out += Array("<c r=\"E\(r + 2)\" t=\"inlineStr\"><is><t>+86\(a)\(b * 91)\(r % 997)</t></is></c>".utf8) }
            out += Array("<c s=\"\(b % 4)\"><v>\(a).\(b % 100)</v></c></row>\n".utf8)
            r += 1
        }
        return out
    }

    /// The block type of the first block (0 stored, 1 fixed, 2 dynamic).
    static func firstBlockType(_ deflated: [UInt8]) -> Int { Int(deflated[0] >> 1) & 3 }

    @Test("small and degenerate inputs round-trip through zlib's inflate")
    func smallInputs() {
        Self.roundTrip([], "empty")
        Self.roundTrip([0x41], "one byte")
        Self.roundTrip(Array(0...255), "all byte values")
        Self.roundTrip(Array((0...255).reversed()) + Array(0...255), "all byte values twice")
        for n in 1...40 { Self.roundTrip(Self.sheetXML(n, seed: UInt64(n)).prefix(n).map { $0 }, "\(n) bytes") }
        for n in [2, 3, 4, 5, 8, 9, 258, 259, 260, 1000] {
            Self.roundTrip([UInt8](repeating: 0x5A, count: n), "run of \(n)")
        }
        // An empty final stream is one fixed block holding only its end.
        #expect(Self.deflate([]) == Self.finalEmptyBlock)
        #expect(Self.firstBlockType(Self.deflate([0x41])) == 1)
    }

    @Test("long runs of one byte: maximum-length matches at distance 1")
    func longRuns() {
        let run = [UInt8](repeating: 0, count: 1_000_000)
        Self.roundTrip(run, "a million zeros")
        // 258 bytes per match: a few bits each.
        #expect(Self.deflate(run).count < 3_000)
        let pattern = Self.random(1000, seed: 9)
        let repeated = Array([[UInt8]](repeating: pattern, count: 60).joined())
        Self.roundTrip(repeated, "a random kilobyte 60 times")
        #expect(Self.deflate(repeated).count < 2_000)
    }

    @Test("every match length from 3 to 258 round-trips")
    func everyLength() {
        let source = Self.random(300, seed: 3)
        var bytes = source
        for length in 3...258 {
            bytes += source[0..<length]
            bytes += Self.random(5, seed: UInt64(length))
        }
        Self.roundTrip(bytes, "lengths 3...258")
    }

    @Test("matches reach exactly 32 KB back, never further")
    func maximumDistance() {
        let x = Self.random(32768, seed: 5)
        // The second copy can only be matched at distance 32768.
        let twice = x + x
        Self.roundTrip(twice, "distance 32768")
        #expect(Self.deflate(twice).count < 32768 + 4096)
        // One byte more apart is out of the window: the copy cannot be matched (and must not be).
        let apart = x + [0x00] + x
        Self.roundTrip(apart, "distance 32769")
        #expect(Self.deflate(apart).count > 2 * 32768)
        // Through a dictionary: the input starts 32768 bytes after the dictionary's start.
        Self.roundTrip(x, dictionary: x, "dictionary at distance 32768")
        #expect(Self.deflate(x, dictionary: x).count < 4096)
        // A longer dictionary counts only by its last 32 KB.
        Self.roundTrip(x, dictionary: Self.random(5000, seed: 6) + x, "long dictionary")
    }

    @Test("incompressible bytes go out as stored blocks, at most a few bytes larger")
    func incompressible() {
        for count in [100, 65535, 65536, 300_000] {
            let bytes = Self.random(count, seed: UInt64(count))
            Self.roundTrip(bytes, "\(count) random bytes")
            let d = Self.deflate(bytes)
            #expect(Self.firstBlockType(d) == 0, "\(count) random bytes")
            // 5 bytes per stored block, one (or more, of at most 64 KB) per block of 32K symbols.
            #expect(d.count <= count + 5 * (count / DeflateEncoder.blockSymbols + 2) + 8, "\(count) random bytes")
        }
        // Noise and text by turns: blocks of different kinds in one stream.
        var mixed: [UInt8] = []
        for i in 0..<12 { mixed += i % 2 == 0 ? Self.random(70_000, seed: UInt64(i)) : Self.sheetXML(300_000, seed: UInt64(i)) }
        Self.roundTrip(mixed, "noise and text")
    }

    @Test("sheet XML: dynamic blocks, round trip, size close to zlib's level 1")
    func sheetXML() {
        let bytes = Self.sheetXML(3_000_000, seed: 1)
        Self.roundTrip(bytes, "sheet XML")
        let ours = Self.deflate(bytes)
        #expect(Self.firstBlockType(ours) == 2)
        let zlib = MemorySink()
        let d = Deflater(output: zlib)
        d.write(bytes)
        d.finish()
        #expect(Double(ours.count) <= 1.15 * Double(zlib.bytes.count), "ours \(ours.count), zlib \(zlib.bytes.count)")
    }

    @Test("pieces with the previous piece's tail as dictionary, back to back, are one stream")
    func piecesBackToBack() {
        let bytes = Self.sheetXML(1_500_000, seed: 2) + Self.random(100_000, seed: 2) + Self.sheetXML(400_000, seed: 3)
        for pieceSize in [32768, 100_000, 1 << 20] {
            var stream: [UInt8] = []
            var at = 0
            let encoder = DeflateEncoder()
            bytes.withUnsafeBufferPointer { all in
                repeat {
                    let k = min(pieceSize, bytes.count - at)
                    let last = at + k == bytes.count
                    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: DeflateEncoder.bound(k))
                    let n = encoder.compress(all.baseAddress! + at, count: k, dictionaryCount: min(at, 32768), final: last, output: out)
                    stream += UnsafeBufferPointer(start: out, count: n)
                    out.deallocate()
                    at += k
                } while at < bytes.count
            }
            #expect(Self.inflate(stream, limit: bytes.count) == bytes, "pieces of \(pieceSize)")
        }
    }

    @Test("random inputs with random dictionaries round-trip")
    func randomInputs() {
        var seed: UInt64 = 1
        for _ in 0..<60 {
            seed &+= 1
            let r = Self.random(4, seed: seed)
            // Few symbols, so short matches abound; lengths and dictionaries of every size.
            let alphabet = Int(r[0] % 6) + 2
            let count = Int(r[1]) * Int(r[2]) / 4
            let bytes = Self.random(count, seed: seed &* 7).map { UInt8(Int($0) % alphabet) + 0x30 }
            let dictionary = Self.random(Int(r[3]) * 160, seed: seed &* 11).map { UInt8(Int($0) % alphabet) + 0x30 }
            Self.roundTrip(bytes, dictionary: dictionary, "seed \(seed)")
        }
    }

    @Test("the same input gives the same bytes: twice, after other inputs, on any number of lanes")
    func determinism() {
        let bytes = Self.sheetXML(600_000, seed: 4)
        let encoder = DeflateEncoder()
        let first = Self.deflate(bytes, encoder: encoder)
        _ = Self.deflate(Self.random(70_000, seed: 1), encoder: encoder)
        _ = Self.deflate(bytes.reversed(), dictionary: Self.random(32768, seed: 2), final: false, encoder: encoder)
        #expect(Self.deflate(bytes, encoder: encoder) == first)
        #expect(Self.deflate(bytes) == first)
        // In pieces on worker threads: the same bytes whatever the number of lanes.
        func chunked(lanes: Int) -> [UInt8] {
            let sink = MemorySink()
            let d = ChunkedDeflater(output: sink, pieceSize: 64 << 10, lanes: lanes)
            d.write(bytes)
            d.finish()
            return sink.bytes
        }
        let one = chunked(lanes: 1)
        #expect(Self.inflate(one, limit: bytes.count) == bytes)
        for lanes in [2, 3, 4] { #expect(chunked(lanes: lanes) == one, "\(lanes) lanes") }
    }

    @Test("a rendered workbook's parts round-trip through the encoder")
    func workbookParts() throws {
        let xlsx = try XLSXWriter.render(longWorkbook(rows: 20_000, lazy: true), templates: try shippedTemplates())
        let parts = try unzip(xlsx).parts
        #expect(parts.count >= 8)
        for (path, bytes) in parts.sorted(by: { $0.key < $1.key }) {
            Self.roundTrip(bytes, path)
        }
    }
}
