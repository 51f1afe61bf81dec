import Mustache

// Rendering 300k rows through the Mustache engine one by one costs ~15 µs per cell, almost
// all of it in the engine's dynamic casts. But the output of a row depends on the row's
// *shape* (which optional values are present, the booleans, how many cells) and otherwise
// only inserts the values. So for each new shape the row is rendered once with sentinel
// strings in place of the values; the result is cut at the sentinels into literal pieces
// and value slots, and every later row of that shape is written by splicing its values into
// those pieces. The first row of each shape is also rendered normally and the two outputs are
// compared: a shape whose spliced output differs is always rendered by the engine. Templates
// whose section uses transforms (other than the position transforms first/last/index/even/odd)
// or partials never take the shortcut, since those could look at a value's content.

/// A view model whose rendering depends only on its shape plus opaque inserted values.
protocol ShapedModel: MustacheParent {
    /// Everything except the values: presence of optional values, booleans, list lengths.
    func appendShape(to shape: inout [UInt8])
    /// The values, in a fixed order.
    func appendValues(to values: inout [String])
    /// The same model with the value at position `i` (in `appendValues` order) replaced by `sentinel(i)`.
    func withSentinels(_ next: inout Int) -> Self
}

func sentinel(_ i: inout Int) -> String {
    defer { i += 1 }
    // U+0001 and U+0002 never occur in escaped values or sane templates; the `&` shows
    // whether the engine HTML-escaped the insertion (`{{x}}`) or not (`{{{x}}}`).
    return "\u{1}&\(i)\u{2}"
}

/// Renders a split template's section body for many items, with the shape cache above.
struct SectionRenderer {
    private enum Piece {
        case literal([UInt8])
        case slot(Int, escaped: Bool)
    }

    private let template: SplitTemplate
    private let parent: any MustacheParent
    private let fastPathAllowed: Bool
    /// Shape → compiled pieces, or nil when that shape must go through the engine.
    private var cache: [[UInt8]: [Piece]?] = [:]
    private var shape: [UInt8] = []
    private var values: [String] = []
    private static let maxShapes = 4096
    /// Tests set this to compare the shortcut with plain engine rendering.
    @TaskLocal static var engineOnly = false

    init(template: SplitTemplate, parent: any MustacheParent) {
        self.template = template
        self.parent = parent
        self.fastPathAllowed = !Self.engineOnly && Self.valueOpaque(template.bodySource)
    }

    mutating func render<M: ShapedModel>(_ model: M, into out: inout [UInt8]) {
        guard fastPathAllowed else {
            template.renderBody(Scope(top: model, parent: parent), into: &out)
            return
        }
        shape.removeAll(keepingCapacity: true)
        model.appendShape(to: &shape)
        values.removeAll(keepingCapacity: true)
        model.appendValues(to: &values)
        if let cached = cache[shape] {
            if let pieces = cached {
                Self.splice(pieces, values, into: &out)
            } else {
                template.renderBody(Scope(top: model, parent: parent), into: &out)
            }
            return
        }
        // New shape: render for real, compile from sentinels, keep the compiled form only if it agrees.
        var real: [UInt8] = []
        template.renderBody(Scope(top: model, parent: parent), into: &real)
        if cache.count < Self.maxShapes {
            var next = 0
            let probe = model.withSentinels(&next)
            var marked: [UInt8] = []
            template.renderBody(Scope(top: probe, parent: parent), into: &marked)
            var pieces = Self.compile(marked)
            if let p = pieces {
                let inRange = p.allSatisfy { if case .slot(let i, _) = $0 { return i < values.count } else { return true } }
                var check: [UInt8] = []
                if inRange { Self.splice(p, values, into: &check) }
                if !inRange || check != real { pieces = nil }
            }
            cache[shape] = .some(pieces)
        }
        out.append(contentsOf: real)
    }

    private static func splice(_ pieces: [Piece], _ values: [String], into out: inout [UInt8]) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .slot(let i, let escaped):
                if escaped { appendHTMLEscaped(values[i], into: &out) } else { out.append(contentsOf: values[i].utf8) }
            }
        }
    }

    /// Cuts rendered output at sentinels; nil if a sentinel is malformed.
    private static func compile(_ bytes: [UInt8]) -> [Piece]? {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var i = 0
        let amp = Array("&amp;".utf8)
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x02 { return nil }
            guard b == 0x01 else { literal.append(b); i += 1; continue }
            var j = i + 1
            let escaped: Bool
            if j + amp.count <= bytes.count, Array(bytes[j..<j + amp.count]) == amp {
                escaped = true
                j += amp.count
            } else if j < bytes.count, bytes[j] == UInt8(ascii: "&") {
                escaped = false
                j += 1
            } else {
                return nil
            }
            var n = 0
            var digits = 0
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 9 {
                n = n * 10 + Int(bytes[j] - 0x30)
                j += 1
                digits += 1
            }
            guard digits > 0, j < bytes.count, bytes[j] == 0x02 else { return nil }
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
            pieces.append(.slot(n, escaped: escaped))
            i = j + 1
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    /// The engine's `{{x}}` escaping (swift-mustache `htmlEscape`), byte for byte.
    private static func appendHTMLEscaped(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(b)
            }
        }
    }

    /// True when no tag in `source` could depend on a value's content: no partials,
    /// inheritance, blocks, or transforms other than the sequence-position ones.
    static func valueOpaque(_ source: String) -> Bool {
        let positional: Set<Substring> = ["first()", "last()", "index()", "even()", "odd()"]
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = rest[..<close.lowerBound]
            rest = rest[close.upperBound...]
            if let f = tag.first, f == "!" { continue }
            if let f = tag.first, ">$<=".contains(f) { return false }
            tag = tag.drop { "{&#^/ ".contains($0) }
            tag = tag.prefix { $0 != "}" && $0 != " " }
            if tag.contains("(") && !positional.contains(tag) { return false }
        }
        return true
    }
}

extension Array where Element == UInt8 {
    /// Appends a count so that shapes of different list lengths never collide.
    mutating func appendCount(_ n: Int) {
        var n = n
        repeat {
            append(UInt8(n & 0x7F) | (n > 0x7F ? 0x80 : 0))
            n >>= 7
        } while n > 0
    }
}

/// One string of a streamed list (shared strings): the escaped text, and whether it needs
/// `xml:space="preserve"` (``XMLEscape/needsPreserve(_:)``).
struct TextItem: ShapedModel {
    let text: String
    let preserve: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "text": return text
        case "preserve": return preserve
        default: return nil
        }
    }
    func appendShape(to shape: inout [UInt8]) { shape.append(preserve ? 1 : 0) }
    func appendValues(to values: inout [String]) { values.append(text) }
    func withSentinels(_ next: inout Int) -> TextItem { TextItem(text: sentinel(&next), preserve: preserve) }
}
