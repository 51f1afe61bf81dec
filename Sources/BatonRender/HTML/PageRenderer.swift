import BatonCore
import Dispatch

/// Prints a `PageProgram` over a view into UTF-8 bytes, as swift-mustache would render the same template
/// (same lookups up the context stack, same sections, same partial indentation, same HTML escaping), but
/// without building strings: template text is copied as bytes, values are escaped straight into the
/// buffer, and the buffer goes to a `ByteSink` in chunks of about a megabyte as the page is written.
///
/// A long list (the people's sections, the teams' tables) is rendered on all cores: each element's
/// output depends only on the element and the context around it, so contiguous runs of elements are
/// rendered independently and written in order, the same bytes as one after the other.
struct PageRenderer {
    /// The partials by name, as `{{> name}}` finds them (a missing one prints nothing, as in Mustache).
    let partials: [String: PageProgram]
    private(set) var out: [UInt8] = []
    private let sink: ByteSink?
    /// Whether long lists may be split over threads (false inside a worker).
    private let parallel: Bool
    private let sizes: Sizes

    /// How the work is cut: tests make every piece tiny to exercise every boundary.
    struct Sizes: Sendable {
        /// Bytes buffered before they go to the sink.
        var chunk = 1 << 20
        /// A list this long is worth splitting over threads.
        var parallelFrom = 48
        /// Elements rendered per round: enough to keep both cores busy, few enough that a round's output
        /// (a few megabytes for people's sections) is all that is held before it goes to the sink.
        var round = 256
        /// Contiguous pieces per round, shared out among the threads.
        var pieces = 8
    }

    init(partials: [String: PageProgram], sink: ByteSink?, parallel: Bool, sizes: Sizes = Sizes()) {
        self.partials = partials
        self.sink = sink
        self.parallel = parallel
        self.sizes = sizes
        out.reserveCapacity(sink == nil ? 1 << 16 : min(sizes.chunk, 1 << 20) + (1 << 16))
    }

    /// Renders `program` with `root` as the context; what is left in `out` is handed to the sink by `finish`.
    mutating func render(_ program: PageProgram, root: PageValue) {
        var stack: [PageValue] = [root]
        stack.reserveCapacity(16)
        run(program, &stack, indentation: [])
    }

    /// Hands what is buffered to the sink (with no sink, the bytes stay in `out`).
    mutating func flush() {
        guard let sink, !out.isEmpty else { return }
        out.withUnsafeBytes { sink.write($0) }
        out.removeAll(keepingCapacity: true)
    }

    // MARK: Running a program

    /// One template rendering, as Mustache's `render(context:)`. With an indentation (inside a standalone
    /// partial tag that was indented), every step that prints something right after a line break gets the
    /// indentation first; the bytes of this call must then stay in the buffer until it ends, so the buffer
    /// is only flushed between steps of calls without indentation (an outer call never has more).
    private mutating func run(_ program: PageProgram, _ stack: inout [PageValue], indentation: [UInt8]) {
        if indentation.isEmpty {
            for step in program.steps {
                perform(step, &stack, indentation: indentation)
                if out.count >= sizes.chunk, sink != nil { flush() }
            }
            return
        }
        let start = out.count
        for step in program.steps {
            // Mustache: `string.last == "\n"`, where a CR LF pair is one Character that is not "\n".
            let n = out.count
            let afterBreak = n > start && out[n - 1] == 0x0A && !(n - 2 >= start && out[n - 2] == 0x0D)
            perform(step, &stack, indentation: indentation)
            if afterBreak && out.count > n { out.insert(contentsOf: indentation, at: n) }
        }
    }

    @inline(__always)
    private mutating func perform(_ step: PageStep, _ stack: inout [PageValue], indentation: [UInt8]) {
        switch step {
        case .text(let bytes):
            out.append(contentsOf: bytes)
        case .value(let path, let escaped):
            if let v = Self.lookup(path, stack) { print(v, escaped: escaped) }
        case .section(let path, let program):
            switch Self.lookup(path, stack) {
            case nil:
                break
            case .flag(let on)?:
                if on { run(program, &stack, indentation: indentation) }
            case .list(let list)?:
                let n = list.count
                if parallel && n >= sizes.parallelFrom && indentation.isEmpty {
                    runInParallel(program, list, stack)
                } else {
                    for i in 0..<n {
                        stack.append(list.item(i))
                        run(program, &stack, indentation: indentation)
                        stack.removeLast()
                    }
                }
            case let value?:
                stack.append(value)
                run(program, &stack, indentation: indentation)
                stack.removeLast()
            }
        case .inverted(let path, let program):
            switch Self.lookup(path, stack) {
            case nil:
                run(program, &stack, indentation: indentation)
            case .flag(let on)?:
                if !on { run(program, &stack, indentation: indentation) }
            case .list(let list)? where list.count == 0:
                // Mustache renders an empty list's inverted section with the (empty) list as the context.
                stack.append(.list(list))
                run(program, &stack, indentation: indentation)
                stack.removeLast()
            default:
                break
            }
        case .partial(let name, let more):
            guard let program = partials[name] else { return }
            run(program, &stack, indentation: more.isEmpty ? indentation : indentation + more)
        }
    }

    /// Mustache's lookup: the first name up the context stack, the rest inside what it found.
    @inline(__always)
    static func lookup(_ path: PagePath, _ stack: [PageValue]) -> PageValue? {
        switch path {
        case .top:
            return stack[stack.count - 1]
        case .never:
            return nil
        case .local(let keys):
            var v = stack[stack.count - 1]
            for key in keys {
                guard let next = v.field(key) else { return nil }
                v = next
            }
            return v
        case .stack(let keys):
            var i = stack.count - 1
            while i >= 0 {
                if var v = stack[i].field(keys[0]) {
                    var k = 1
                    while k < keys.count {
                        guard let next = v.field(keys[k]) else { return nil }
                        v = next
                        k += 1
                    }
                    return v
                }
                i -= 1
            }
            return nil
        }
    }

    /// A value as `{{name}}` prints it: text escaped, a flag as `true`/`false`, a list or a struct as the
    /// description of its reflected tree (what Mustache printed for them before).
    private mutating func print(_ v: PageValue, escaped: Bool) {
        let text: String
        switch v {
        case .text(let s):
            if escaped { HTMLEscape.append(s, to: &out) } else { Self.appendRaw(s, to: &out) }
            return
        case .flag(let on):
            text = on ? "true" : "false"
        case .list(let list):
            text = String(describing: list.tree)
        case .item(let list, let i):
            text = String(describing: list.tree(i))
        }
        if escaped { HTMLEscape.append(text, to: &out) } else { Self.appendRaw(text, to: &out) }
    }

    @inline(__always)
    private static func appendRaw(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    // MARK: Long lists on all cores

    /// The list's sections, rendered in rounds: each round's elements are cut into contiguous pieces,
    /// rendered concurrently by workers (each with its own buffer and a copy of the context stack), and
    /// the pieces are written in order.
    private mutating func runInParallel(_ program: PageProgram, _ list: any PageList, _ stack: [PageValue]) {
        flush()
        let n = list.count
        let partials = self.partials, sizes = self.sizes
        var start = 0
        while start < n {
            let first = start, end = min(n, start + sizes.round)
            let pieces = min(sizes.pieces, end - start)
            var outputs = [[UInt8]](repeating: [], count: pieces)
            outputs.withUnsafeMutableBufferPointer { slots in
                let slots = UnsafeSlots(slots)
                DispatchQueue.concurrentPerform(iterations: pieces) { p in
                    let from = first + (end - first) * p / pieces
                    let to = first + (end - first) * (p + 1) / pieces
                    var worker = PageRenderer(partials: partials, sink: nil, parallel: false, sizes: sizes)
                    var stack = stack
                    for i in from..<to {
                        stack.append(list.item(i))
                        worker.run(program, &stack, indentation: [])
                        stack.removeLast()
                    }
                    slots.set(p, worker.out)
                }
            }
            for piece in outputs {
                if let sink { piece.withUnsafeBytes { sink.write($0) } } else { out.append(contentsOf: piece) }
            }
            start = end
        }
    }
}

/// Each worker writes its own slot of the round's outputs, and only that slot.
private struct UnsafeSlots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<[UInt8]>
    init(_ base: UnsafeMutableBufferPointer<[UInt8]>) { self.base = base }
    func set(_ i: Int, _ bytes: [UInt8]) { base[i] = bytes }
}

/// Mustache's HTML escaping, into bytes: `&` `<` `>` `"` `'` become `&amp;` `&lt;` `&gt;` `&quot;` `&#39;`.
///
/// swift-mustache compares whole Characters (grapheme clusters), so a `<` that a combining mark joins
/// (`<` U+0338) is not replaced. Text with none of the five bytes is copied as it is; ASCII text is escaped
/// byte by byte (each ASCII byte is its own Character, CR LF aside, which escaping leaves alone); any other
/// text with one of the five goes through the same Character-by-Character replacement as swift-mustache.
enum HTMLEscape {
    /// 1 for the five bytes escaping replaces, 2 for a byte of a non-ASCII character.
    private static let kind: [UInt8] = (0..<256).map { b in
        switch b {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27: return 1
        case 0x80...: return 2
        default: return 0
        }
    }
    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)
    private static let replacements: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]

    static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        let done: Bool = s.withUTF8 { bytes in
            var seen: UInt8 = 0
            kind.withUnsafeBufferPointer { kind in
                for b in bytes { seen |= kind[Int(b)] }
            }
            if seen & 1 == 0 { out.append(contentsOf: bytes); return true }
            if seen & 2 != 0 { return false }
            for b in bytes {
                switch b {
                case 0x26: out.append(contentsOf: amp)
                case 0x3C: out.append(contentsOf: lt)
                case 0x3E: out.append(contentsOf: gt)
                case 0x22: out.append(contentsOf: quot)
                case 0x27: out.append(contentsOf: apos)
                default: out.append(b)
                }
            }
            return true
        }
        if done { return }
        for c in s {
            if let r = replacements[c] { out.append(contentsOf: r.utf8) } else { out.append(contentsOf: c.utf8) }
        }
    }
}
