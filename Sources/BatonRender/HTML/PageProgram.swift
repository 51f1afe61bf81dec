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
    init(steps: [PageStep]) { self.steps = steps }

    /// The program of a parsed template, or nil when it needs swift-mustache itself.
    static func compile(_ template: MustacheTemplate) -> PageProgram? {
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
                      let program = compile(inner) else { return nil }
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
        return PageProgram(steps: steps)
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
