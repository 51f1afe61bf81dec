/// Where rendered bytes go, in order: a file being written (at the edge, in BatonIO) or memory.
///
/// Writers hand over chunks of about a megabyte through a `ByteWriter`, so no output has to be whole in
/// memory. A sink belongs to one writer on one thread at a time.
public protocol ByteSink: AnyObject {
    /// Takes the next chunk. A sink that fails (a full disk) keeps its first error for its owner to
    /// report when the file is closed; writers never see it.
    func write(_ chunk: UnsafeRawBufferPointer)
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }
}

/// A sink that keeps everything: for tests, `verify` and small outputs.
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
}

/// Appends text and numbers as UTF-8 into a buffer and hands the buffer to its sink whenever it passes
/// `chunk` bytes. `finish()` hands over the rest. No `String` is built for numbers.
public struct ByteWriter {
    public private(set) var buffer: [UInt8]
    public let sink: ByteSink
    public let chunk: Int
    /// Bytes handed to the sink so far, plus what is buffered.
    public private(set) var flushed: Int = 0

    public init(sink: ByteSink, chunk: Int = 1 << 20) {
        self.sink = sink
        self.chunk = chunk
        buffer = []
        buffer.reserveCapacity(chunk + 4096)
    }

    public var count: Int { flushed + buffer.count }

    @inline(__always)
    public mutating func byte(_ b: UInt8) {
        buffer.append(b)
        if buffer.count >= chunk { flush() }
    }

    @inline(__always)
    public mutating func bytes(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
        if buffer.count >= chunk { flush() }
    }

    @inline(__always)
    public mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: b)
        if buffer.count >= chunk { flush() }
    }

    public mutating func bytes(_ b: [UInt8]) {
        buffer.append(contentsOf: b)
        if buffer.count >= chunk { flush() }
    }

    /// A string's UTF-8, unescaped.
    @inline(__always)
    public mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= chunk { flush() }
    }

    @inline(__always)
    public mutating func text(_ s: Substring) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= chunk { flush() }
    }

    /// A decimal integer.
    public mutating func int<I: BinaryInteger>(_ v: I) {
        let n = Int64(v)
        if n == 0 { byte(48); return }
        if n < 0 { buffer.append(45) }
        var m = n < 0 ? UInt64(bitPattern: 0 &- n) : UInt64(n)
        // At most 20 digits, written backwards into a small stack buffer.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var count = 0
            while m > 0 { d[count] = UInt8(48 + m % 10); m /= 10; count += 1 }
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
        if buffer.count >= chunk { flush() }
    }

    /// Hands the buffer to the sink.
    public mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { sink.write($0) }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands over the rest; the writer may be dropped after.
    public mutating func finish() { flush() }
}
