import BatonCore
import Foundation
import Mustache

/// A folder of Mustache templates for the HTML page, read and checked: `index.html.mustache` is the page,
/// every other `NAME.mustache` is a partial the page may include as `{{> NAME}}`.
///
/// A person may copy the folder and change it (a heading, the colours, the order of sections); the copy is
/// used as it is. Problems are reported with the file and line: a syntax error, a section never closed, a
/// partial that is not there.
public struct HTMLTemplates: Sendable {
    /// The page template's name (file `index.html.mustache`).
    public static let page = "index.html"
    static let fileExtension = ".mustache"

    let library: MustacheLibrary
    /// Every template made ready for `PageRenderer`; nil when one of them needs swift-mustache itself
    /// (see `PageProgram`), and then the whole page is rendered by swift-mustache, as before.
    let programs: [String: PageProgram]?

    /// Reads every `*.mustache` file under `folder` (subfolders too; a partial in `parts/row.mustache` is
    /// `{{> parts/row}}`).
    ///
    /// With a `fallback`, the two folders are overlaid file by file: a file in `folder` wins, any other
    /// comes from `fallback` (a user copies and edits only the templates they change).
    public static func load(from folder: URL, fallback: URL? = nil) throws(HTMLTemplateProblem) -> HTMLTemplates {
        var origin: [String: URL] = [:]
        for root in [fallback, folder].compactMap({ $0 }) {
            for file in templateFiles(in: root) { origin[file] = root }
        }
        let files = origin.keys.sorted()
        guard files.contains(page + fileExtension) else {
            throw HTMLTemplateProblem(file: page + fileExtension,
                                      message: "is not in \(folder.path). Give the folder that holds the page template.")
        }
        var templates: [String: MustacheTemplate] = [:]
        var sources: [(file: String, text: String)] = []
        for relative in files {
            let url = origin[relative]!.appendingPathComponent(relative)
            // Problems name the file a person would open: the user's copy, or the default one.
            let file = fallback == nil ? relative : url.path
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw HTMLTemplateProblem(file: file, message: "cannot be read.")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw HTMLTemplateProblem(file: file, message: "is not UTF-8 text. Save it as UTF-8.")
            }
            do {
                templates[String(relative.dropLast(fileExtension.count))] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                throw problem(error, file: file, text: text)
            } catch {
                throw HTMLTemplateProblem(file: file, message: "\(error)")
            }
            sources.append((file, text))
        }
        // Mustache renders a missing partial as nothing; a misspelt name should not silently drop a section.
        for (file, text) in sources {
            for tag in MustacheTagScan(text).partials where templates[tag.name] == nil {
                throw HTMLTemplateProblem(file: file, line: tag.line, column: tag.column,
                                          message: "includes the partial \"\(tag.name)\", but there is no \(tag.name)\(fileExtension) in the templates folder.")
            }
        }
        var programs: [String: PageProgram]? = [:]
        // Value steps are numbered across all the templates (see `PageOp.slot`).
        var slots = 0
        for (name, template) in templates {
            guard let program = PageProgram.compile(template, slots: &slots) else { programs = nil; break }
            programs?[name] = program
        }
        return HTMLTemplates(library: MustacheLibrary(templates: templates), programs: programs)
    }

    /// The page for a view. Every `{{name}}` is HTML-escaped as Mustache does (`& < > " '`).
    public func render(_ view: ScorecardView) -> [UInt8] {
        render(PageRoot(view), into: nil)
    }

    /// The page for a view, written into `sink` as it is rendered.
    public func render(_ view: ScorecardView, into sink: ByteSink) {
        _ = render(PageRoot(view), into: sink)
    }

    /// The page for an evaluation, written into `sink` as it is rendered: each person's section is made
    /// from the evaluation when the page reaches it, so neither the whole view nor the whole page is held
    /// in memory. The same bytes as rendering `ScorecardView.make(e, language:)`.
    public func render(_ e: Evaluation, language: Language, into sink: ByteSink) {
        _ = render(ScorecardView.page(e, language: language), into: sink)
    }

    /// Renders into `sink`, or with none returns the bytes. `sizes` are for tests.
    func render(_ root: PageRoot, into sink: ByteSink?, sizes: PageRenderer.Sizes = .init()) -> [UInt8] {
        guard let programs, let page = programs[HTMLTemplates.page] else {
            // A template beyond what PageRenderer prints: swift-mustache over the reflected tree.
            let bytes = Array((library.render(root.tree, withTemplate: HTMLTemplates.page) ?? "").utf8)
            guard let sink else { return bytes }
            sink.write(bytes)
            return []
        }
        var renderer = PageRenderer(partials: programs, sink: sink, parallel: true, sizes: sizes)
        renderer.render(page, root: .item(PageRoot.List([root]), 0))
        renderer.flush()
        return renderer.out.array
    }

    /// The `.mustache` files under the folder, as paths relative to it, sorted (so loading is repeatable).
    static func templateFiles(in folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: [String] = []
        while let path = walker.nextObject() as? String {
            if path.hasSuffix(fileExtension) { files.append(path) }
        }
        return files.sorted()
    }

    /// The parser's error with its place, in words a template author can act on.
    static func problem(_ error: MustacheTemplate.ParserError, file: String, text: String) -> HTMLTemplateProblem {
        let line = error.context.lineNumber, column = error.context.columnNumber
        switch error.error {
        case MustacheTemplate.Error.expectedSectionEnd:
            // The parser notices only at the end of the file; the useful place is where the section opened.
            if let open = MustacheTagScan(text).unclosed {
                return HTMLTemplateProblem(file: file, line: open.line, column: open.column,
                                           message: "section \"\(open.name)\" is opened here and never closed. Add {{/\(open.name)}} where it ends.")
            }
            return HTMLTemplateProblem(file: file, line: line, column: column,
                                       message: "a section is opened and never closed before the end of the file.")
        case MustacheTemplate.Error.sectionCloseNameIncorrect:
            return HTMLTemplateProblem(file: file, line: line, column: column,
                                       message: "this closing tag does not match the section open here. Close sections in the reverse order they were opened.")
        case MustacheTemplate.Error.unfinishedName:
            return HTMLTemplateProblem(file: file, line: line, column: column,
                                       message: "a tag is not finished or its name has characters a name cannot have. Write tags as {{name}}.")
        case MustacheTemplate.Error.invalidSetDelimiter:
            return HTMLTemplateProblem(file: file, line: line, column: column,
                                       message: "the set-delimiter tag is malformed. Write it as {{=<% %>=}}.")
        default:
            return HTMLTemplateProblem(file: file, line: line, column: column, message: "\(error.error)")
        }
    }
}

/// A light scan of a template's tags, for what the Mustache parser does not say: where an unclosed
/// section opened, and which partials are included. It understands the default `{{ }}` delimiters only;
/// a template that changes them is left to the parser's own report.
struct MustacheTagScan {
    struct Tag {
        var name: String
        var line: Int
        var column: Int
    }

    /// The innermost section still open at the end, if any.
    private(set) var unclosed: Tag?
    private(set) var partials: [Tag] = []

    init(_ text: String) {
        let chars = Array(text)
        var stack: [Tag] = []
        var i = 0, line = 1, column = 1
        func advance(_ n: Int) {
            for _ in 0..<n where i < chars.count {
                if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
            }
        }
        func closing(from start: Int, _ delimiter: [Character]) -> Int? {
            var j = start
            while j + delimiter.count <= chars.count {
                if Array(chars[j..<(j + delimiter.count)]) == delimiter { return j }
                j += 1
            }
            return nil
        }
        while i + 1 < chars.count {
            guard chars[i] == "{", chars[i + 1] == "{" else { advance(1); continue }
            let tagLine = line, tagColumn = column
            let sigil: Character? = i + 2 < chars.count ? chars[i + 2] : nil
            if sigil == "=" { return }  // new delimiters: leave it to the parser
            let triple = sigil == "{"
            guard let end = closing(from: i + 2, triple ? ["}", "}", "}"] : ["}", "}"]) else { return }
            let bodyStart = i + 2 + ((sigil.map { "#^/$<>!&{".contains($0) } ?? false) ? 1 : 0)
            let name = String(chars[min(bodyStart, end)..<end]).trimmingCharacters(in: .whitespaces)
            let tag = Tag(name: name, line: tagLine, column: tagColumn)
            switch sigil {
            case "#", "^", "$", "<": stack.append(tag)
            case "/":
                if stack.last?.name == name { stack.removeLast() } else { return }
            case ">": partials.append(Tag(name: name.hasPrefix("*") ? "" : name, line: tagLine, column: tagColumn))
            default: break
            }
            advance(end + (triple ? 3 : 2) - i)
        }
        unclosed = stack.last
        partials = partials.filter { !$0.name.isEmpty }
    }
}
