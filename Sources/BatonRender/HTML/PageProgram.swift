import Mustache

/// A Mustache template made ready for the page renderer: its text as UTF-8 bytes, its names resolved to
/// `PageKey`s once, its sections as nested programs.
///
/// The program is read off the template swift-mustache has parsed (through `Mirror`: the library keeps its
/// tokens to itself), so whitespace, standalone lines, comments, set-delimiters and partial indentation
/// come out exactly as swift-mustache understands them; the renderer only has to print. A template using
/// anything beyond plain Mustache (transforms such as `{{uppercased(name)}}`, sequence functions such as
/// `{{#first()}}`, template inheritance, dynamic partials, `{{%CONTENT_TYPE}}`), or a library whose
/// tokens no longer look as expected, has no program: such a page is rendered by swift-mustache itself.
final class PageProgram: Sendable {
    let steps: [PageStep]
    /// The steps flattened for the renderer: plain values (no reference to retain and release per
    /// step), with the texts in one byte array, the names in one key array and the sections' programs
    /// by index.
    let ops: [PageOp]
    let text: [UInt8]
    let keys: [PageKey]
    let children: [PageProgram]
    let partials: [(name: String, indentation: [UInt8])]
    /// One past the highest `PageOp.slot` of this program and the programs inside it.
    let slotEnd: Int

    /// `slots`: where the numbering of value steps (`PageOp.slot`) goes on; templates loaded together
    /// are numbered together, so that a renderer can keep what a slot printed.
    init(steps: [PageStep], slots: inout Int) {
        self.steps = steps
        var ops: [PageOp] = [], text: [UInt8] = [], keys: [PageKey] = [], children: [PageProgram] = []
        var partials: [(name: String, indentation: [UInt8])] = []
        ops.reserveCapacity(steps.count)
        func path(_ p: PagePath) -> (PageOp.Path, Int32, Int32) {
            switch p {
            case .top: return (.top, 0, 0)
            case .never: return (.never, 0, 0)
            case .local(let k): keys += k; return (.local, Int32(keys.count - k.count), Int32(k.count))
            case .stack(let k): keys += k; return (.stack, Int32(keys.count - k.count), Int32(k.count))
            }
        }
        for step in steps {
            switch step {
            case .text(let bytes):
                text += bytes
                ops.append(PageOp(kind: .text, path: .never, start: Int32(text.count - bytes.count), count: Int32(bytes.count)))
            case .value(let p, let escaped):
                let (kind, start, count) = path(p)
                var op = PageOp(kind: escaped ? .value : .raw, path: kind, start: start, count: count)
                if kind == .stack { op.slot = Int32(slots); slots += 1 }
                ops.append(op)
            case .section(let p, let program), .inverted(let p, let program):
                let (kind, start, count) = path(p)
                var op = PageOp(kind: { if case .section = step { return .section } else { return .inverted } }(),
                                path: kind, start: start, count: count)
                op.child = Int32(children.count)
                children.append(program)
                ops.append(op)
            case .partial(let name, let indentation):
                var op = PageOp(kind: .partial, path: .never, start: 0, count: 0)
                op.child = Int32(partials.count)
                partials.append((name, indentation))
                ops.append(op)
            }
        }
        precondition(text.count < Int(Int32.max) && keys.count < Int(Int32.max), "template too large")
        self.ops = ops
        self.text = text
        self.keys = keys
        self.children = children
        self.partials = partials
        slotEnd = max(slots, children.map(\.slotEnd).max() ?? 0)
    }

    /// The program of a parsed template, or nil when it needs swift-mustache itself. Its value steps are
    /// numbered from `slots` on: the templates rendered together must be compiled with one counter, so
    /// that no two steps share a slot.
    static func compile(_ template: MustacheTemplate, slots: inout Int) -> PageProgram? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any]
        else { return nil }
        var steps: [PageStep] = []
        steps.reserveCapacity(tokens.count)
        for token in tokens {
            let m = Mirror(reflecting: token)
            guard m.displayStyle == .enum, let payload = m.children.first, let kind = payload.label else { return nil }
            let parts = Mirror(reflecting: payload.value).children.map(\.value)
            switch kind {
            case "text":
                guard let text = payload.value as? String else { return nil }
                if !text.isEmpty { steps.append(.text(Array(text.utf8))) }
            case "variable", "unescapedVariable":
                guard parts.count == 2, let name = parts[0] as? String, let transforms = parts[1] as? [String],
                      transforms.isEmpty else { return nil }
                steps.append(.value(PagePath(name), escaped: kind == "variable"))
            case "section", "invertedSection":
                guard parts.count == 3, let name = parts[0] as? String, let transforms = parts[1] as? [String],
                      transforms.isEmpty, let inner = parts[2] as? MustacheTemplate,
                      let program = compile(inner, slots: &slots) else { return nil }
                steps.append(kind == "section" ? .section(PagePath(name), program) : .inverted(PagePath(name), program))
            case "partial":
                guard parts.count == 3, let name = parts[0] as? String else { return nil }
                // Inheriting partials ({{<parent}}…{{/parent}}) carry blocks: left to swift-mustache.
                guard Mirror(reflecting: parts[2]).children.isEmpty else { return nil }
                let indentation = parts[1] as? String ?? ""
                steps.append(.partial(name, indentation: Array(indentation.utf8)))
            default:
                return nil
            }
        }
        return PageProgram(steps: steps, slots: &slots)
    }
}

/// A step as the renderer runs it: what to do, where its text or names are in the program's arrays,
/// the section's program or the partial, and for a value looked up the context stack, its slot (the
/// renderer keeps what a value found at the bottom of the stack printed: the same every time).
struct PageOp: Sendable {
    enum Kind: UInt8, Sendable { case text, value, raw, section, inverted, partial }
    enum Path: UInt8, Sendable { case top, never, local, stack }
    var kind: Kind
    var path: Path
    /// Text: its range in `text`; a name: its keys' range in `keys`.
    var start: Int32
    var count: Int32
    /// A section's program in `children`, a partial's place in `partials`.
    var child: Int32 = -1
    var slot: Int32 = -1

    init(kind: Kind, path: Path, start: Int32, count: Int32) {
        self.kind = kind
        self.path = path
        self.start = start
        self.count = count
    }
}

/// One step of a program.
enum PageStep: Sendable {
    /// Template text, printed as it is.
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}`.
    case value(PagePath, escaped: Bool)
    /// `{{#name}}…{{/name}}`.
    case section(PagePath, PageProgram)
    /// `{{^name}}…{{/name}}`.
    case inverted(PagePath, PageProgram)
    /// `{{> name}}`; a standalone tag's indentation is put before every line of the partial.
    case partial(String, indentation: [UInt8])
}

/// Where a name is looked up, as Mustache does: `.` is the current object; `a.b.c` finds `a` in the
/// nearest object on the context stack that has it, then `b` and `c` inside it only; `.a` looks in the
/// current object only.
enum PagePath: Sendable {
    case top
    /// A name no view struct has: never found, at any depth.
    case never
    case local([PageKey])
    case stack([PageKey])

    init(_ name: String) {
        if name == "." { self = .top; return }
        var keys: [PageKey] = []
        // As Mustache splits it: empty parts (`a..b`, a leading or trailing dot) are dropped.
        for part in name.split(separator: ".") {
            guard let key = PageKey(rawValue: String(part)) else { self = .never; return }
            keys.append(key)
        }
        if keys.isEmpty { self = .top } else if name.first == "." { self = .local(keys) } else { self = .stack(keys) }
    }
}
