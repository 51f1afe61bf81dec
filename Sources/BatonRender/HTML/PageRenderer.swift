import BatonCore
import Dispatch

/// Prints a `PageProgram` over a view into UTF-8 bytes, as swift-mustache would render the same template
/// (same lookups up the context stack, same sections, same partial indentation, same HTML escaping), but
/// without building strings: template text is copied as bytes, values are escaped straight into the
/// buffer, and the buffer goes to a `ByteSink` in chunks of about a megabyte as the page is written.
///
/// A long list (the people's sections, the teams' tables) is rendered on all cores: each element's
/// output depends only on the element and the context around it, so contiguous runs of elements are
/// rendered independently and written in order, the same bytes as one after the other. (When the page is
/// itself one of several jobs of a `concurrentPerform` that fills the cores, as in `baton evaluate`,
/// libdispatch runs these nested loops on the calling thread alone.)
struct PageRenderer {
    /// The partials by name, as `{{> name}}` finds them (a missing one prints nothing, as in Mustache).
    let partials: [String: PageProgram]
    private(set) var out = PageBytes()
    private let sink: ByteSink?
    /// Whether long lists may be split over threads (false inside a worker).
    private let parallel: Bool
    private let sizes: Sizes
    /// What each value step (`PageOp.slot`) printed when its name was found only at the bottom of the
    /// context stack, the page's root: the same bytes every time (the root does not change during a
    /// render), so they are copied instead of looked up and escaped again. Labels are most of the names
    /// a person's section prints; this also keeps the threads off the shared labels' reference counts.
    /// `rootSpans[2 * slot]` is where the bytes start in `rootBytes`, `rootSpans[2 * slot + 1]` how
    /// many there are (-1: not printed yet).
    private var rootBytes: [UInt8] = []
    private var rootSpans: [Int]

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

    /// `buffer`: memory to write into (emptied), kept from an earlier renderer.
    init(partials: [String: PageProgram], sink: ByteSink?, parallel: Bool, sizes: Sizes = Sizes(), buffer: PageBytes = PageBytes()) {
        self.partials = partials
        self.sink = sink
        self.parallel = parallel
        self.sizes = sizes
        out = buffer
        out.removeAll()
        out.reserve(sink == nil ? 1 << 16 : min(sizes.chunk, 1 << 20) + (1 << 16))
        rootSpans = [Int](repeating: -1, count: 2 * (partials.values.map(\.slotEnd).max() ?? 0))
    }

    /// Renders `program` with `root` as the context; what is left in `out` is handed to the sink by `finish`.
    mutating func render(_ program: PageProgram, root: PageValue) {
        var stack = PageStack(root)
        // A new root: nothing printed from the old one holds.
        let slots = max(rootSpans.count, 2 * program.slotEnd)
        rootSpans = [Int](repeating: -1, count: slots)
        rootBytes.removeAll(keepingCapacity: true)
        run(program, &stack, indentation: [])
    }

    /// Hands what is buffered to the sink (with no sink, the bytes stay in `out`).
    mutating func flush() {
        guard let sink, !out.isEmpty else { return }
        out.withBytes { sink.write(UnsafeRawBufferPointer($0)) }
        out.removeAll()
    }

    // MARK: Running a program

    /// One template rendering, as Mustache's `render(context:)`. With an indentation (inside a standalone
    /// partial tag that was indented), every step that prints something right after a line break gets the
    /// indentation first; the bytes of this call must then stay in the buffer until it ends, so the buffer
    /// is only flushed between steps of calls without indentation (an outer call never has more).
    private mutating func run(_ program: PageProgram, _ stack: inout PageStack, indentation: [UInt8]) {
        let ops = program.ops, text = program.text, keys = program.keys
        ops.withUnsafeBufferPointer { ops in
            text.withUnsafeBufferPointer { text in
                keys.withUnsafeBufferPointer { keys in
                    if indentation.isEmpty {
                        for op in ops {
                            perform(op, program, text, keys, &stack, indentation: indentation)
                            if out.count >= sizes.chunk, sink != nil { flush() }
                        }
                        return
                    }
                    let start = out.count
                    for op in ops {
                        // Mustache: `string.last == "\n"`, where a CR LF pair is one Character that is not "\n".
                        let n = out.count
                        let afterBreak = n > start && out[n - 1] == 0x0A && !(n - 2 >= start && out[n - 2] == 0x0D)
                        perform(op, program, text, keys, &stack, indentation: indentation)
                        if afterBreak && out.count > n { out.insert(indentation, at: n) }
                    }
                }
            }
        }
    }

    @inline(__always)
    private mutating func perform(_ op: PageOp, _ program: PageProgram, _ text: UnsafeBufferPointer<UInt8>,
                                  _ keys: UnsafeBufferPointer<PageKey>, _ stack: inout PageStack, indentation: [UInt8]) {
        let range = Int(op.start) ..< Int(op.start) + Int(op.count)
        if op.kind == .text { return out.append(UnsafeBufferPointer(rebasing: text[range])) }
        let names = UnsafeBufferPointer(rebasing: keys[range])
        switch op.kind {
        case .text:
            break
        case .value, .raw:
            let escaped = op.kind == .value
            if op.slot >= 0 {
                printClimbing(names, slot: Int(op.slot), escaped: escaped, stack)
            } else if let v = Self.lookup(op.path, names, stack) {
                print(v, escaped: escaped)
            }
        case .section:
            let inner = program.children[Int(op.child)]
            switch Self.lookup(op.path, names, stack) {
            case nil:
                break
            case .flag(let on)?:
                if on { run(inner, &stack, indentation: indentation) }
            case .list(let list)?:
                let n = list.count
                if parallel && n >= sizes.parallelFrom && indentation.isEmpty {
                    runInParallel(inner, list, stack)
                } else {
                    for i in 0..<n {
                        stack.push(list.item(i))
                        run(inner, &stack, indentation: indentation)
                        stack.pop()
                    }
                }
            case let value?:
                stack.push(value)
                run(inner, &stack, indentation: indentation)
                stack.pop()
            }
        case .inverted:
            let inner = program.children[Int(op.child)]
            switch Self.lookup(op.path, names, stack) {
            case nil:
                run(inner, &stack, indentation: indentation)
            case .flag(let on)?:
                if !on { run(inner, &stack, indentation: indentation) }
            case .list(let list)? where list.count == 0:
                // Mustache renders an empty list's inverted section with the (empty) list as the context.
                stack.push(.list(list))
                run(inner, &stack, indentation: indentation)
                stack.pop()
            default:
                break
            }
        case .partial:
            let (name, more) = program.partials[Int(op.child)]
            guard let target = partials[name] else { return }
            run(target, &stack, indentation: more.isEmpty ? indentation : indentation + more)
        }
    }

    /// `{{a.b}}` looked up the context stack (`PagePath.stack`): as `lookup`, but when `a` is found only
    /// in the root, what the step printed the first time is copied (see `rootBytes`).
    @inline(__always)
    private mutating func printClimbing(_ names: UnsafeBufferPointer<PageKey>, slot: Int, escaped: Bool, _ stack: borrowing PageStack) {
        var i = stack.count - 1
        if names.count == 1 {
            // A plain name (most of a page's values): printed by the struct that has it, from where it lies.
            while i > 0 {
                if stack.print(i, names[0], escaped: escaped, to: &out) { return }
                i -= 1
            }
        } else {
            while i > 0 {
                if let v = stack.field(i, names[0]) {
                    if let w = Self.inside(v, names) { print(w, escaped: escaped) }
                    return
                }
                i -= 1
            }
        }
        let length = rootSpans[2 * slot + 1]
        if length >= 0 {
            let from = rootSpans[2 * slot]
            rootBytes.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[from ..< from + length])) }
            return
        }
        let mark = out.count
        if let v = stack.field(0, names[0]), let w = Self.inside(v, names) { print(w, escaped: escaped) }
        rootSpans[2 * slot] = rootBytes.count
        rootSpans[2 * slot + 1] = out.count - mark
        out.withBytes { rootBytes.append(contentsOf: $0[mark...]) }
    }

    /// The rest of a name (`b.c` of `a.b.c`) inside `v`, what `a` was found to be.
    @inline(__always)
    static func inside(_ v: PageValue, _ names: UnsafeBufferPointer<PageKey>) -> PageValue? {
        var v = v
        var k = 1
        while k < names.count {
            guard let next = v.field(names[k]) else { return nil }
            v = next
            k += 1
        }
        return v
    }

    /// Mustache's lookup: the first name up the context stack, the rest inside what it found.
    @inline(__always)
    static func lookup(_ path: PageOp.Path, _ names: UnsafeBufferPointer<PageKey>, _ stack: borrowing PageStack) -> PageValue? {
        switch path {
        case .top:
            return stack.top
        case .never:
            return nil
        case .local:
            guard let first = stack.field(stack.count - 1, names[0]) else { return nil }
            return inside(first, names)
        case .stack:
            var i = stack.count - 1
            while i >= 0 {
                if let v = stack.field(i, names[0]) { return inside(v, names) }
                i -= 1
            }
            return nil
        }
    }

    /// A value as `{{name}}` prints it (`PageValue.print`).
    @inline(__always)
    private mutating func print(_ v: borrowing PageValue, escaped: Bool) {
        v.print(escaped: escaped, to: &out)
    }

    // MARK: Long lists on all cores

    /// The list's sections, rendered in rounds: each round's elements are cut into contiguous pieces,
    /// rendered concurrently by workers (each with its own buffer and a copy of the context stack), and
    /// the pieces are written in order.
    private mutating func runInParallel(_ program: PageProgram, _ list: any PageList, _ stack: PageStack) {
        flush()
        let n = list.count
        let partials = self.partials, sizes = self.sizes
        let rootBytes = self.rootBytes, rootSpans = self.rootSpans
        var start = 0
        // The pieces' buffers, kept from round to round: a round's piece is some hundreds of kilobytes, and
        // fresh memory each time would be grown, copied and faulted in again.
        var outputs = [PageBytes](repeating: PageBytes(), count: sizes.pieces)
        while start < n {
            let first = start, end = min(n, start + sizes.round)
            let pieces = min(sizes.pieces, end - start)
            outputs.withUnsafeMutableBufferPointer { slots in
                let slots = UnsafeSlots(slots)
                DispatchQueue.concurrentPerform(iterations: pieces) { p in
                    let from = first + (end - first) * p / pieces
                    let to = first + (end - first) * (p + 1) / pieces
                    var worker = PageRenderer(partials: partials, sink: nil, parallel: false, sizes: sizes, buffer: slots.take(p))
                    worker.rootBytes = rootBytes
                    worker.rootSpans = rootSpans
                    var stack = stack
                    for i in from..<to {
                        stack.push(list.item(i))
                        worker.run(program, &stack, indentation: [])
                        stack.pop()
                    }
                    slots.set(p, worker.out)
                }
            }
            for piece in outputs.prefix(pieces) {
                piece.withBytes { bytes in
                    if let sink { sink.write(UnsafeRawBufferPointer(bytes)) } else { out.append(bytes) }
                }
            }
            start = end
        }
    }
}

/// The context stack: the values (which keep what they refer to alive) and, beside each, its list and
/// index as lookups read them. The list is kept as its class and an unretained reference: climbing the
/// stack for a name (a person's section climbs it some 300 times) then calls into it without retaining
/// and releasing it (a call on `any PageList` does, even through `unowned(unsafe)`).
///
/// The entries live in memory of the stack's own (`Storage`): a page pushes and pops a few hundred
/// thousand of them, and an array's `append` and `removeLast` call out of line each time. A copy of the
/// stack shares the memory until either is changed (a worker's copy, in `runInParallel`). Sendable as
/// its values are: the raw references point at lists those values hold, which never change.
struct PageStack: @unchecked Sendable {
    /// A value and its fields: element `index` of `list` (of class `type`), or none (`index` -1) for
    /// text, flags and lists; and the names its elements may have, so that a name they never have is
    /// not asked for.
    private struct Entry {
        let value: PageValue
        let type: any PageList.Type
        let list: UnsafeRawPointer
        let index: Int
        let keys: PageKeySet

        init(_ v: PageValue) {
            value = v
            if case .item(let list, let i) = v {
                type = Swift.type(of: list)
                self.list = UnsafeRawPointer(Unmanaged.passUnretained(list as AnyObject).toOpaque())
                index = i
                keys = list.keys
            } else {
                type = Texts.self
                list = UnsafeRawPointer(Unmanaged.passUnretained(PageStack.none).toOpaque())
                index = -1
                keys = .none
            }
        }
    }

    /// The list of an entry without fields (never read).
    private static let none = Texts([])

    private final class Storage {
        var base: UnsafeMutablePointer<Entry>
        var capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        /// A storage of its own with the same entries.
        func copy() -> Storage {
            let other = Storage(capacity: capacity)
            other.base.initialize(from: base, count: count)
            other.count = count
            return other
        }

        @inline(never)
        func grow() {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: 2 * capacity)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    private var storage: Storage

    init(_ root: PageValue) {
        storage = Storage(capacity: 16)
        push(root)
    }

    var count: Int { storage.count }
    var top: PageValue { storage.base[storage.count - 1].value }

    @inline(__always)
    mutating func push(_ v: PageValue) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let s = storage
        if s.count == s.capacity { s.grow() }
        (s.base + s.count).initialize(to: Entry(v))
        s.count += 1
    }

    @inline(__always)
    mutating func pop() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let s = storage
        precondition(s.count > 0)
        s.count -= 1
        (s.base + s.count).deinitialize(count: 1)
    }

    /// Property `key` of the value at depth `i` (0: the root), as `values[i].field(key)`.
    @inline(__always)
    func field(_ i: Int, _ key: PageKey) -> PageValue? {
        let entry = storage.base + i
        return entry.pointee.keys.contains(key) ? entry.pointee.type.field(of: entry.pointee.list, entry.pointee.index, key) : nil
    }

    /// Prints property `key` of the value at depth `i` as `{{key}}` prints `field(i, key)`; false
    /// (nothing printed) when that is nil.
    @inline(__always)
    func print(_ i: Int, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        let entry = storage.base + i
        return entry.pointee.keys.contains(key)
            && entry.pointee.type.print(of: entry.pointee.list, entry.pointee.index, key, escaped: escaped, to: &out)
    }
}

/// Each worker writes its own slot of the round's outputs, and only that slot.
private struct UnsafeSlots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<PageBytes>
    init(_ base: UnsafeMutableBufferPointer<PageBytes>) { self.base = base }
    func set(_ i: Int, _ bytes: PageBytes) { base[i] = bytes }
    /// The slot's bytes, moved out (so that only the worker writes to their memory).
    func take(_ i: Int) -> PageBytes {
        let bytes = base[i]
        base[i] = PageBytes()
        return bytes
    }
}

/// Mustache's HTML escaping, into bytes: `&` `<` `>` `"` `'` become `&amp;` `&lt;` `&gt;` `&quot;` `&#39;`.
///
/// swift-mustache compares whole Characters (grapheme clusters), so a `<` that a combining mark joins
/// (`<` U+0338) is not replaced. Text with none of the five bytes is copied as it is; ASCII text is escaped
/// byte by byte (each ASCII byte is its own Character, CR LF aside, which escaping leaves alone); any other
/// text with one of the five goes through the same Character-by-Character replacement as swift-mustache.
enum HTMLEscape {
    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)
    private static let replacements: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]

    /// Escapes UTF-8 `bytes` into `out` when that can be done byte by byte (no special byte, or ASCII
    /// only); false (and nothing written) when it needs the Character-by-Character replacement.
    @inline(__always)
    private static func appendBytes<Out: ByteOutput>(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout Out) -> Bool {
        if !hasSpecial(bytes) { out.append(bytes); return true }
        var nonASCII: UInt8 = 0
        for b in bytes { nonASCII |= b }
        if nonASCII & 0x80 != 0 { return false }
        // ASCII with something to replace: runs between the specials are copied whole.
        var run = 0
        for (i, b) in bytes.enumerated() where isSpecial(b) {
            if i > run { out.append(UnsafeBufferPointer(rebasing: bytes[run ..< i])) }
            switch b {
            case 0x26: out.append(amp)
            case 0x3C: out.append(lt)
            case 0x3E: out.append(gt)
            case 0x22: out.append(quot)
            default: out.append(apos)
            }
            run = i + 1
        }
        if bytes.count > run { out.append(UnsafeBufferPointer(rebasing: bytes[run...])) }
        return true
    }

    /// The five bytes escaping replaces (`"` `&` `'` `<` `>`, all below 64) as bits of one constant.
    private static let specials: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E

    @inline(__always)
    static func isSpecial(_ b: UInt8) -> Bool { b < 64 && specials >> UInt64(b) & 1 != 0 }

    /// Whether any byte is one escaping replaces: eight bytes at a time (a word has a byte equal to `c`
    /// when `word ^ c…c` has a zero byte, and `(x - 0x01…01) & ~x & 0x80…80` is nonzero exactly when `x`
    /// has one), then the last few one by one. Long values (definitions, pay arithmetic) are most of
    /// the bytes a page escapes.
    @inline(__always)
    static func hasSpecial(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        if n >= 8, let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            @inline(__always) func zeroByte(_ x: UInt64) -> UInt64 { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 }
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if zeroByte(w ^ 0x2222_2222_2222_2222) | zeroByte(w ^ 0x2626_2626_2626_2626) | zeroByte(w ^ 0x2727_2727_2727_2727)
                    | zeroByte(w ^ 0x3C3C_3C3C_3C3C_3C3C) | zeroByte(w ^ 0x3E3E_3E3E_3E3E_3E3E) != 0 { return true }
                i += 8
            }
        }
        while i < n {
            if isSpecial(bytes[i]) { return true }
            i += 1
        }
        return false
    }

    static func append<Out: ByteOutput>(_ s: borrowing String, to out: inout Out) {
        // A native string's bytes are read where they are; copying the string to call `withUTF8` on it
        // would retain and release it for every value printed.
        let done = s.utf8.withContiguousStorageIfAvailable { appendBytes($0, to: &out) }
            ?? { var copy = copy s; return copy.withUTF8 { appendBytes($0, to: &out) } }()
        if done { return }
        for c in copy s {
            if let r = replacements[c] { out.append(Array(r.utf8)) } else { out.append(Array(c.utf8)) }
        }
    }
}
