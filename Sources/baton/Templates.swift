import BatonRender
import Foundation

/// Where templates are read from at run time: the user's folder (`--templates`), overlaid file by file
/// on the default templates that ship with Baton.
struct TemplateRoots {
    /// The user's copy (holding `html/`, `xlsx/`, `xml/`), if given.
    let user: URL?
    /// The default templates.
    let defaults: URL

    /// The environment variable naming the default templates folder when Baton is installed away from
    /// its source tree.
    static let variable = "BATON_TEMPLATES"

    /// Finds the default templates: `$BATON_TEMPLATES`, else a `templates/` folder beside or above the
    /// executable (the source tree, or an install prefix's `share/baton/templates`).
    static func locate(user: String?) throws -> TemplateRoots {
        let marker = "html/index.html.mustache"
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment[variable], !env.isEmpty { candidates.append(fileURL(env)) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if let exe = Bundle.main.executableURL { dir = exe.resolvingSymlinksInPath().deletingLastPathComponent() }
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("templates"))
            candidates.append(dir.appendingPathComponent("share/baton/templates"))
            dir.deleteLastPathComponent()
        }
        guard let defaults = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent(marker).path) }) else {
            throw TemplateLocationError(message: "the default templates were not found beside the baton executable. Set \(variable) to the folder that holds html/ and xlsx/ (the repository's templates/ folder).")
        }
        var userURL: URL?
        if let user {
            let u = fileURL(user)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: u.path, isDirectory: &isDir), isDir.boolValue else {
                throw TemplateLocationError(message: "--templates \(user): not a folder. Give a folder laid out like templates/ (html/, xlsx/, xml/), holding the templates you changed.")
            }
            userURL = u
        }
        return TemplateRoots(user: userURL, defaults: defaults)
    }

    /// The folder for one kind of template, with the default folder as fallback when the user has one.
    func folder(_ kind: String) -> (folder: URL, fallback: URL?) {
        let d = defaults.appendingPathComponent(kind)
        guard let user else { return (d, nil) }
        return (user.appendingPathComponent(kind), d)
    }
}

struct TemplateLocationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
