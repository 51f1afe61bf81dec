/// What is wrong with an HTML template folder, pointing at the file and place:
/// `index.html.mustache:12:5: section "people" is opened here and never closed. Add {{/people}} where it ends.`
public struct HTMLTemplateProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template's path inside the templates folder (`index.html.mustache`, `person.mustache`).
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
