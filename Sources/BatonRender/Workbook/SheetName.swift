/// Excel worksheet-name rules, applied deterministically by both writers.
///
/// Excel rejects names longer than 31 characters, names containing `[ ] : * ? / \`,
/// names beginning or ending with `'`, empty names, the reserved name `History`, and
/// names equal to another sheet's name ignoring case.
public enum SheetName {
    /// Maximum length, counted in UTF-16 code units as Excel does.
    public static let maxLength = 31

    private static let forbidden: Set<Unicode.Scalar> = ["[", "]", ":", "*", "?", "/", "\\"]

    /// Makes one name legal on its own: forbidden characters and characters illegal in XML
    /// become `_`, surrounding `'` and whitespace are trimmed, the result is cut to 31 UTF-16
    /// units on a character boundary, and an empty result becomes `Sheet`.
    /// `History` (reserved by Excel) becomes `History_`.
    public static func clean(_ raw: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in raw.unicodeScalars {
            if forbidden.contains(s) || !XMLEscape.isLegalXMLChar(s) || s == "\t" || s == "\n" || s == "\r" {
                scalars.append("_")
            } else {
                scalars.append(s)
            }
        }
        var name = String(scalars)
        name = trimmed(name)
        name = truncated(name, to: maxLength)
        name = trimmed(name)  // truncation can expose a trailing ' or space
        if name.isEmpty { name = "Sheet" }
        if name.lowercased() == "history" { name += "_" }
        return name
    }

    /// `"NAME (n)"` with NAME shortened so the suffix always fits in 31 units.
    public static func numbered(_ raw: String, _ n: Int) -> String {
        let suffix = " (\(n))"
        let base = trimmed(truncated(clean(raw), to: maxLength - suffix.utf16.count))
        return base + suffix
    }

    /// Cleans every name and makes them unique ignoring case, in order: the first keeps its
    /// name, later duplicates get `" (2)"`, `" (3)"`, … (the first free number).
    public static func uniqued(_ names: [String]) -> [String] {
        var used = Set<String>()
        var result: [String] = []
        result.reserveCapacity(names.count)
        for raw in names {
            var candidate = clean(raw)
            var n = 2
            while used.contains(candidate.lowercased()) {
                candidate = numbered(raw, n)
                n += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }

    /// The name as it appears inside a formula or defined name: always quoted, `'` doubled.
    static func quotedForFormula(_ name: String) -> String {
        "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func trimmed(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == "'" || f.isWhitespace { sub = sub.dropFirst() }
        while let l = sub.last, l == "'" || l.isWhitespace { sub = sub.dropLast() }
        return String(sub)
    }

    /// Cuts on grapheme boundaries so a surrogate pair or combining sequence is never split.
    private static func truncated(_ s: String, to limit: Int) -> String {
        guard s.utf16.count > limit else { return s }
        var out = ""
        var units = 0
        for ch in s {
            let n = ch.utf16.count
            if units + n > limit { break }
            out.append(ch)
            units += n
        }
        return out
    }
}
