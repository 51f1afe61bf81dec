/// One problem with the input, pointing at where it is: `leads.csv:14:3: 'created_at' is "2026-13-01", ...`.
public struct InputProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The content is wrong (exit 65).
        case badData
        /// A file or folder is missing or unreadable (exit 66).
        case missingInput
    }

    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public var kind: Kind

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, kind: Kind = .badData) {
        self.file = file; self.line = line; self.column = column; self.message = message; self.kind = kind
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return TerminalText.safe(s + ": " + message)
    }
}

/// Every problem found in one reading of the input, so a person can fix them in one go.
public struct InputProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [InputProblem]
    public init(_ problems: [InputProblem]) { self.problems = problems }

    /// How many problems are printed before "... and N more".
    public static let shown = 20

    public var description: String {
        var lines = problems.prefix(InputProblems.shown).map(\.description)
        if problems.count > InputProblems.shown {
            lines.append("... and \(problems.count - InputProblems.shown) more problem(s) of the same kinds.")
        }
        return lines.joined(separator: "\n")
    }

    public var isMissingInput: Bool { problems.contains { $0.kind == .missingInput } }
}
