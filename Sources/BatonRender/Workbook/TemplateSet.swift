import Foundation
import Mustache

/// Error loading or using a template. `description` reads like a compiler diagnostic:
/// `/path/templates/xlsx/xl/styles.xml.mustache:12:5: error: ...`.
public struct TemplateError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The Mustache parser rejected the file (the parser's error name, e.g. `sectionCloseNameIncorrect`).
        case syntax(String)
        /// No file with that name in the directory or the fallback.
        case missing
        /// The folder or file could not be read, or is not UTF-8.
        case unreadable(String)
        /// The file parses but lacks what the writer needs (e.g. a `{{#rows}}` section).
        case structure(String)
    }

    /// File path (or, for `.missing`, the template name such as `xlsx/xl/styles.xml`).
    public let file: String
    /// 1-based line and column, when known.
    public let line: Int?
    public let column: Int?
    public let reason: Reason

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let column { where_ += ":\(column)" }
        switch reason {
        case .syntax(let e): return "\(where_): error: Mustache syntax error (\(e))"
        case .missing: return "\(where_): error: template not found in the template directory or its fallback"
        case .unreadable(let e): return "\(where_): error: cannot read template: \(e)"
        case .structure(let e): return "\(where_): error: \(e)"
        }
    }
}

/// The Mustache templates the writers render, read at run time from a folder so users can
/// copy and edit them.
///
/// Layout (relative to the folder given to ``load(directory:fallback:)``):
/// `xlsx/[Content_Types].xml.mustache`, `xlsx/_rels/.rels.mustache`, `xlsx/docProps/core.xml.mustache`,
/// `xlsx/docProps/app.xml.mustache`, `xlsx/xl/workbook.xml.mustache`, `xlsx/xl/_rels/workbook.xml.rels.mustache`,
/// `xlsx/xl/styles.xml.mustache`, `xlsx/xl/theme/theme1.xml.mustache`, `xlsx/xl/worksheets/sheet.xml.mustache`,
/// `xlsx/xl/sharedStrings.xml.mustache` and `xml/scorecards.xml.mustache`. Every `*.mustache` file is
/// also registered as a partial under its name without the extension (e.g. `{{> xlsx/parts/cell.xml}}`).
///
/// Values reach templates already XML-escaped: insert them with `{{{name}}}`. The sheet template's
/// `{{#rows}}` section, the shared-strings `{{#strings}}` section and the flat template's
/// `{{#sheets}}`/`{{#rows}}` sections are rendered item by item; keep them plain sections (not
/// inside another section, no set-delimiter tags in those files). Inside them the list name itself
/// (`rows`, `strings`, `sheets`) stands for "the list is not empty".
public struct TemplateSet: Sendable {
    struct Loaded: Sendable {
        let url: URL
        let source: String
        let template: MustacheTemplate
    }

    private let loaded: [String: Loaded]
    let library: MustacheLibrary

    /// Loads every `*.mustache` file below `directory` and below `fallback`, file by file:
    /// a file present in `directory` wins, otherwise the one in `fallback` is used. Each file is
    /// parsed now, so a syntax error is reported here with its file and line.
    /// - Throws: ``TemplateError``.
    public static func load(directory: URL, fallback: URL?) throws -> TemplateSet {
        var found: [String: URL] = [:]
        for root in [fallback, directory].compactMap({ $0 }) {
            for (name, url) in try listTemplates(under: root) {
                found[name] = url  // directory comes last, so it overrides the fallback
            }
        }
        var loaded: [String: Loaded] = [:]
        var library = MustacheLibrary()
        for (name, url) in found.sorted(by: { $0.key < $1.key }) {
            let source = try read(url)
            let template = try parse(source, file: url.path, lineOffset: 0)
            loaded[name] = Loaded(url: url, source: source, template: template)
            library.register(template, named: name)
        }
        return TemplateSet(loaded: loaded, library: library)
    }

    /// Template names (relative path without `.mustache`), sorted.
    public var names: [String] { loaded.keys.sorted() }

    /// The file a template was loaded from (to tell whether an override is in effect).
    public func url(of name: String) -> URL? { loaded[name]?.url }

    // MARK: - Internals used by the writers

    func template(_ name: String) throws -> Loaded {
        guard let t = loaded[name] else { throw TemplateError(file: name, line: nil, column: nil, reason: .missing) }
        return t
    }

    /// Renders a whole template into `out`.
    func render(_ name: String, _ object: Any, into out: inout [UInt8]) throws {
        let t = try template(name)
        out.append(contentsOf: t.template.render(object, library: library).utf8)
    }

    /// Splits a template around one top-level `{{#section}}…{{/section}}` so the section body
    /// can be rendered item by item straight into a byte buffer (for 300k-row sheets)
    /// instead of building one giant String. Output is the same as Mustache would give for the
    /// whole template: standalone tag lines are removed as the spec says.
    func split(_ name: String, section: String) throws -> SplitTemplate {
        let t = try template(name)
        return try SplitTemplate.make(source: t.source, file: t.url.path, lineOffset: 0, section: section, library: library)
    }

    /// Relative name → URL of every `*.mustache` file below `root`. Hidden folders are skipped;
    /// hidden files are not, because `_rels/.rels.mustache` is one.
    private static func listTemplates(under root: URL) throws -> [(String, URL)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw TemplateError(file: root.path, line: nil, column: nil, reason: .unreadable("not a directory"))
        }
        guard let e = FileManager.default.enumerator(atPath: root.path) else {
            throw TemplateError(file: root.path, line: nil, column: nil, reason: .unreadable("cannot list directory"))
        }
        var result: [(String, URL)] = []
        for case let relative as String in e where relative.hasSuffix(".mustache") {
            let parts = relative.split(separator: "/")
            if parts.dropLast().contains(where: { $0.hasPrefix(".") }) { continue }
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            result.append((String(relative.dropLast(".mustache".count)), url))
        }
        return result
    }

    private static func read(_ url: URL) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TemplateError(file: url.path, line: nil, column: nil, reason: .unreadable("\(error)"))
        }
        guard var s = String(data: data, encoding: .utf8) else {
            throw TemplateError(file: url.path, line: nil, column: nil, reason: .unreadable("not valid UTF-8"))
        }
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }  // editors' BOM would land mid-document in partials
        return s
    }

    static func parse(_ source: String, file: String, lineOffset: Int) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: source)
        } catch let e as MustacheTemplate.ParserError {
            throw TemplateError(
                file: file,
                line: e.context.lineNumber + lineOffset,
                column: e.context.columnNumber,
                reason: .syntax("\(e.error)")
            )
        } catch {
            throw TemplateError(file: file, line: nil, column: nil, reason: .syntax("\(error)"))
        }
    }
}

/// A template cut into the part before a section, the section body and the part after it.
struct SplitTemplate: Sendable {
    let head: MustacheTemplate
    let bodySource: String
    let body: MustacheTemplate
    let tail: MustacheTemplate
    let file: String
    let bodyLineOffset: Int
    let library: MustacheLibrary

    static func make(source: String, file: String, lineOffset: Int, section: String, library: MustacheLibrary) throws -> SplitTemplate {
        if source.contains("{{=") {
            // the split works on the default delimiters only
            throw TemplateError(file: file, line: nil, column: nil,
                                reason: .structure("set-delimiter tags are not supported in this template (its \(section) section is streamed)"))
        }
        let s = Array(source.unicodeScalars)
        guard let open = findTag(s, kinds: ["#"], name: section, from: 0) else {
            throw TemplateError(file: file, line: nil, column: nil,
                                reason: .structure("template needs a {{#\(section)}}…{{/\(section)}} section"))
        }
        // matching close tag (inverted sections of the same name nest too)
        var depth = 1
        var pos = open.end
        var close: (start: Int, end: Int)?
        while let t = findTag(s, kinds: ["#", "^", "/"], name: section, from: pos) {
            if t.kind == "/" { depth -= 1 } else { depth += 1 }
            pos = t.end
            if depth == 0 { close = (t.start, t.end); break }
        }
        let openLine = lineOffset + s[0..<open.start].filter { $0 == "\n" }.count + 1
        guard let close else {
            throw TemplateError(file: file, line: openLine, column: nil, reason: .structure("{{#\(section)}} is never closed"))
        }
        let o = standalone(s, start: open.start, end: open.end)
        let c = standalone(s, start: close.start, end: close.end)
        func str(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(s[r])) }
        let headSource = str(0..<o.lineStart)
        let bodySource = str(o.afterLine..<c.lineStart)
        let tailSource = str(c.afterLine..<s.count)
        let bodyOffset = lineOffset + s[0..<o.afterLine].filter { $0 == "\n" }.count
        let tailOffset = lineOffset + s[0..<c.afterLine].filter { $0 == "\n" }.count
        do {
            return SplitTemplate(
                head: try TemplateSet.parse(headSource, file: file, lineOffset: lineOffset),
                bodySource: bodySource,
                body: try TemplateSet.parse(bodySource, file: file, lineOffset: bodyOffset),
                tail: try TemplateSet.parse(tailSource, file: file, lineOffset: tailOffset),
                file: file,
                bodyLineOffset: bodyOffset,
                library: library
            )
        } catch let e as TemplateError {
            throw TemplateError(file: file, line: e.line ?? openLine, column: nil,
                                reason: .structure("{{#\(section)}} must be a top-level section (\(e.reason))"))
        }
    }

    /// Splits the body again around an inner section (the flat XML's rows inside sheets).
    func splitBody(section: String) throws -> SplitTemplate {
        try SplitTemplate.make(source: bodySource, file: file, lineOffset: bodyLineOffset, section: section, library: library)
    }

    func renderHead(_ object: Any, into out: inout [UInt8]) {
        out.append(contentsOf: head.render(object, library: library).utf8)
    }

    func renderBody(_ object: Any, into out: inout [UInt8]) {
        out.append(contentsOf: body.render(object, library: library).utf8)
    }

    func renderTail(_ object: Any, into out: inout [UInt8]) {
        out.append(contentsOf: tail.render(object, library: library).utf8)
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    /// Finds `{{<kind> name}}` (whitespace allowed inside the braces) at or after `from`.
    private static func findTag(_ s: [Unicode.Scalar], kinds: Set<Unicode.Scalar>, name: String, from: Int)
        -> (start: Int, end: Int, kind: Unicode.Scalar)?
    {
        let nameScalars = Array(name.unicodeScalars)
        var i = from
        while i + 1 < s.count {
            if s[i] == "{" && s[i + 1] == "{" && (i + 2 >= s.count || s[i + 2] != "{") {
                var j = i + 2
                if j < s.count && s[j] == "!" {
                    // a comment ends at the first `}}`, as in the Mustache parser
                    var k = j + 1
                    while k + 1 < s.count && !(s[k] == "}" && s[k + 1] == "}") { k += 1 }
                    i = k + 2
                    continue
                }
                while j < s.count && (isSpace(s[j]) || s[j] == "\n" || s[j] == "\r") { j += 1 }
                if j < s.count, kinds.contains(s[j]) {
                    let kind = s[j]
                    j += 1
                    while j < s.count && isSpace(s[j]) { j += 1 }
                    if j + nameScalars.count <= s.count, Array(s[j..<j + nameScalars.count]) == nameScalars {
                        var k = j + nameScalars.count
                        while k < s.count && isSpace(s[k]) { k += 1 }
                        if k + 1 < s.count && s[k] == "}" && s[k + 1] == "}" {
                            return (i, k + 2, kind)
                        }
                    }
                }
                i += 2
                continue
            }
            i += 1
        }
        return nil
    }

    /// For a tag alone on its line, Mustache drops the whole line: returns where that line
    /// starts and where the next one begins. Otherwise the tag's own bounds.
    private static func standalone(_ s: [Unicode.Scalar], start: Int, end: Int) -> (lineStart: Int, afterLine: Int) {
        var ls = start
        while ls > 0 && isSpace(s[ls - 1]) { ls -= 1 }
        guard ls == 0 || s[ls - 1] == "\n" else { return (start, end) }
        var e = end
        while e < s.count && isSpace(s[e]) { e += 1 }
        if e == s.count { return (ls, e) }
        if s[e] == "\n" { return (ls, e + 1) }
        if s[e] == "\r" && e + 1 < s.count && s[e + 1] == "\n" { return (ls, e + 2) }
        return (start, end)
    }
}

/// Looks a name up in `top`, then in the enclosing scopes: what the Mustache context stack
/// does when a section body is rendered on its own.
struct Scope: MustacheParent {
    let top: any MustacheParent
    let parent: (any MustacheParent)?

    func child(named name: String) -> Any? {
        top.child(named: name) ?? parent?.child(named: name)
    }
}
