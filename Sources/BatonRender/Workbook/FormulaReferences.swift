/// A1 cell references: column letters, and a small formula scanner that finds the cell
/// references in an A1 formula so they can be rewritten (row shifts when a long sheet is
/// split; R1C1 notation for the Excel 2003 XML format, which only understands R1C1).
///
/// The scanner copies string literals (`"..."`), quoted sheet names (`'...'!`), bracketed
/// parts (structured/external references), function names (`LOG10(`) and error literals
/// (`#REF!`) untouched. It recognises cell references (`B7`, `$B$7`), whole-column ranges
/// (`A:C`) and whole-row ranges (`2:5`).
enum FormulaReferences {
    struct Reference {
        /// 1-based; nil for a whole-row reference.
        var column: Int?
        var columnAbsolute: Bool
        var columnText: Substring
        /// 1-based; nil for a whole-column reference.
        var row: Int?
        var rowAbsolute: Bool
    }

    /// `1 → A`, `27 → AA`, `16384 → XFD`.
    static func columnLetters(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `"B7"` for (row 7, column 2). Made in one small buffer: the builder makes one per formula reference.
    static func a1(row: Int, column: Int) -> String {
        guard column >= 1, row >= 0 else { return columnLetters(column) + String(row) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buf in
            // Letters, then digits, each written backwards from the end of its part.
            var letters = 0
            var n = column
            while n > 0 { letters += 1; n = (n - 1) / 26 }
            n = column
            var i = letters
            while n > 0 {
                i -= 1
                buf[i] = UInt8(ascii: "A") + UInt8((n - 1) % 26)
                n = (n - 1) / 26
            }
            var digits = 1
            var m = row / 10
            while m > 0 { digits += 1; m /= 10 }
            m = row
            i = letters + digits
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: 48 + m % 10)
                m /= 10
            } while m > 0
            return String(decoding: UnsafeBufferPointer(rebasing: buf[0..<letters + digits]), as: UTF8.self)
        }
    }

    /// Moves every unqualified, row-relative reference by `delta` rows (`#REF!` if it would leave the sheet).
    static func shiftingRows(_ formula: String, by delta: Int) -> String {
        guard delta != 0 else { return formula }
        return rewrite(formula) { ref, qualified in
            guard !qualified, let row = ref.row, !ref.rowAbsolute else { return nil }
            let newRow = row + delta
            guard newRow >= 1, newRow <= Workbook.excelMaxRows else { return "#REF!" }
            var s = ""
            if ref.column != nil {
                s += (ref.columnAbsolute ? "$" : "") + ref.columnText
            }
            return s + String(newRow)
        }
    }

    /// The formula in R1C1 notation as seen from the cell at (`row`, `column`), 1-based.
    static func r1c1(_ formula: String, row: Int, column: Int) -> String {
        rewrite(formula) { ref, _ in
            var s = ""
            if let r = ref.row {
                s += ref.rowAbsolute ? "R\(r)" : (r == row ? "R" : "R[\(r - row)]")
            }
            if let c = ref.column {
                s += ref.columnAbsolute ? "C\(c)" : (c == column ? "C" : "C[\(c - column)]")
            }
            return s
        }
    }

    /// ``r1c1(_:row:column:)`` of a formula given as UTF-8 bytes, appended to `out` as bytes: the same text,
    /// without a `String` or an array of scalars per formula. Only for ASCII formulas (the builder's): for
    /// any other it returns false, and the caller takes the `String` path.
    static func r1c1(_ f: UnsafeBufferPointer<UInt8>, row: Int, column: Int, into out: inout [UInt8]) -> Bool {
        for b in f where b >= 0x80 { return false }
        let n = f.count
        var i = 0
        func copy(_ from: Int, _ to: Int) { out.append(contentsOf: UnsafeBufferPointer(rebasing: f[from..<to])) }
        func number(_ v: Int) {
            if v < 0 { out.append(UInt8(ascii: "-")) }
            var m = v.magnitude
            let start = out.count
            repeat {
                out.append(UInt8(truncatingIfNeeded: 48 + m % 10))
                m /= 10
            } while m > 0
            out[start...].reverse()
        }
        func relative(_ letter: UInt8, _ v: Int, absolute: Bool, from here: Int) {
            out.append(letter)
            if absolute {
                number(v)
            } else if v != here {
                out.append(UInt8(ascii: "["))
                number(v - here)
                out.append(UInt8(ascii: "]"))
            }
        }
        // The same scan as ``rewrite(_:_:)`` (whose sheet qualification R1C1 does not use), on bytes.
        while i < n {
            let c = f[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                var j = i + 1
                while j < n {
                    if f[j] == c {
                        if j + 1 < n && f[j + 1] == c { j += 2; continue }
                        break
                    }
                    j += 1
                }
                j = min(j + 1, n)
                copy(i, j)
                i = j
                if c == UInt8(ascii: "'"), i < n, f[i] == UInt8(ascii: "!") {
                    out.append(UInt8(ascii: "!"))
                    i += 1
                }
                continue
            }
            if c == UInt8(ascii: "[") {
                var depth = 0
                var j = i
                while j < n {
                    if f[j] == UInt8(ascii: "[") { depth += 1 } else if f[j] == UInt8(ascii: "]") { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                j = min(j + 1, n)
                copy(i, j)
                i = j
                continue
            }
            if isTokenStart(Unicode.Scalar(c)) {
                var j = i
                while j < n && isTokenChar(Unicode.Scalar(f[j])) { j += 1 }
                let next: UInt8? = j < n ? f[j] : nil
                let prev: UInt8? = i > 0 ? f[i - 1] : nil
                if next == UInt8(ascii: "(") || prev == UInt8(ascii: "#") || prev == UInt8(ascii: ".") {
                    copy(i, j)
                } else if next == UInt8(ascii: "!") {
                    copy(i, j + 1)
                    i = j + 1
                    continue
                } else if let ref = parse(UnsafeBufferPointer(rebasing: f[i..<j]),
                                          inRange: next == UInt8(ascii: ":") || prev == UInt8(ascii: ":")) {
                    if let r = ref.row { relative(UInt8(ascii: "R"), r, absolute: ref.rowAbsolute, from: row) }
                    if let c = ref.column { relative(UInt8(ascii: "C"), c, absolute: ref.columnAbsolute, from: column) }
                } else {
                    copy(i, j)
                }
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        return true
    }

    /// ``parse(_:inRange:)`` of an ASCII token's bytes (the column letters are left out: R1C1 needs none).
    private static func parse(_ token: UnsafeBufferPointer<UInt8>, inRange: Bool) -> (column: Int?, columnAbsolute: Bool, row: Int?, rowAbsolute: Bool)? {
        var i = 0
        let end = token.count
        var colAbs = false
        if i < end && token[i] == UInt8(ascii: "$") { colAbs = true; i += 1 }
        let colStart = i
        while i < end && isLetter(Unicode.Scalar(token[i])) { i += 1 }
        let colEnd = i
        var rowAbs = false
        if i < end && token[i] == UInt8(ascii: "$") { rowAbs = true; i += 1 }
        let rowStart = i
        while i < end && isDigit(Unicode.Scalar(token[i])) { i += 1 }
        guard i == end else { return nil }

        let letters = colEnd - colStart
        let digits = end - rowStart
        guard letters <= 3 else { return nil }

        var column: Int?
        if letters > 0 {
            var v = 0
            for k in colStart..<colEnd { v = v * 26 + Int((token[k] & ~0x20) - 64) }
            guard v <= Workbook.excelMaxColumns else { return nil }
            column = v
        }
        var row: Int?
        if digits > 0 {
            guard digits <= 7 else { return nil }
            var v = 0
            for k in rowStart..<end { v = v * 10 + Int(token[k] - 48) }
            guard v >= 1, v <= Workbook.excelMaxRows else { return nil }
            row = v
        }
        if letters > 0 && digits > 0 {
            // cell reference
        } else if letters > 0 && digits == 0 && !rowAbs && inRange {
            // whole column, `A:C`
        } else if letters == 0 && digits > 0 && inRange {
            // whole row, `2:5`
            colAbs = false
            rowAbs = rowAbs || token.first == UInt8(ascii: "$")
        } else {
            return nil
        }
        return (column, colAbs, row, rowAbs)
    }

    /// Calls `transform` for each reference (with whether it is sheet-qualified); a nil result keeps the text.
    static func rewrite(_ formula: String, _ transform: (Reference, _ qualified: Bool) -> String?) -> String {
        let a = Array(formula.unicodeScalars)
        let n = a.count
        // UTF-8 out: appending to a String's scalar view one piece at a time is several times slower.
        var out: [UInt8] = []
        out.reserveCapacity(formula.utf8.count + 16)
        var i = 0
        var qualified = false

        func put(_ c: Unicode.Scalar) {
            if c.isASCII { out.append(UInt8(c.value)) } else { out.append(contentsOf: UTF8.encode(c)!) }
        }
        func copy(_ from: Int, _ to: Int) { for k in from..<to { put(a[k]) } }

        while i < n {
            let c = a[i]
            if c == "\"" || c == "'" {
                // string literal or quoted sheet name; a doubled quote is an escaped quote
                var j = i + 1
                while j < n {
                    if a[j] == c {
                        if j + 1 < n && a[j + 1] == c { j += 2; continue }
                        break
                    }
                    j += 1
                }
                j = min(j + 1, n)
                copy(i, j)
                i = j
                if c == "'", i < n, a[i] == "!" {
                    out.append(UInt8(ascii: "!"))
                    i += 1
                    qualified = true
                } else {
                    qualified = false
                }
                continue
            }
            if c == "[" {
                var depth = 0
                var j = i
                while j < n {
                    if a[j] == "[" { depth += 1 } else if a[j] == "]" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                j = min(j + 1, n)
                copy(i, j)
                i = j
                continue
            }
            if isTokenStart(c) {
                var j = i
                while j < n && isTokenChar(a[j]) { j += 1 }
                let token = a[i..<j]
                let next: Unicode.Scalar? = j < n ? a[j] : nil
                let prev: Unicode.Scalar? = i > 0 ? a[i - 1] : nil
                if next == "(" || prev == "#" || prev == "." {
                    copy(i, j)  // function name, error literal (#REF!), or part of a name
                    qualified = false
                } else if next == "!" {
                    copy(i, j + 1)  // unquoted sheet name
                    i = j + 1
                    qualified = true
                    continue
                } else if let ref = parse(token, inRange: next == ":" || prev == ":"),
                    let replacement = transform(ref, qualified)
                {
                    out.append(contentsOf: replacement.utf8)
                } else {
                    copy(i, j)
                }
                // `Sheet!A1:B2` - the second endpoint belongs to the same sheet
                if next != ":" { qualified = false }
                i = j
                continue
            }
            put(c)
            if c != ":" { qualified = false }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z")
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isTokenStart(_ c: Unicode.Scalar) -> Bool {
        isLetter(c) || isDigit(c) || c == "$" || c == "_" || c == "\\" || c.value > 0x7F
    }

    private static func isTokenChar(_ c: Unicode.Scalar) -> Bool {
        isTokenStart(c) || c == "."
    }

    /// Parses `$?COL$?ROW`, or (only next to `:`) `$?COL` / `$?ROW`.
    private static func parse(_ token: ArraySlice<Unicode.Scalar>, inRange: Bool) -> Reference? {
        var i = token.startIndex
        let end = token.endIndex
        var colAbs = false
        if i < end && token[i] == "$" { colAbs = true; i += 1 }
        let colStart = i
        while i < end && isLetter(token[i]) { i += 1 }
        let colEnd = i
        var rowAbs = false
        if i < end && token[i] == "$" { rowAbs = true; i += 1 }
        let rowStart = i
        while i < end && isDigit(token[i]) { i += 1 }
        guard i == end else { return nil }

        let letters = colEnd - colStart
        let digits = end - rowStart
        guard letters <= 3 else { return nil }

        var column: Int?
        if letters > 0 {
            var v = 0
            for s in token[colStart..<colEnd] {
                let u = s.value & ~0x20  // upper-case ASCII
                v = v * 26 + Int(u - 64)
            }
            guard v <= Workbook.excelMaxColumns else { return nil }
            column = v
        }
        var row: Int?
        if digits > 0 {
            guard digits <= 7 else { return nil }
            var v = 0
            for s in token[rowStart..<end] { v = v * 10 + Int(s.value - 48) }
            guard v >= 1, v <= Workbook.excelMaxRows else { return nil }
            row = v
        }
        if letters > 0 && digits > 0 {
            // cell reference
        } else if letters > 0 && digits == 0 && !rowAbs && inRange {
            // whole column, `A:C`
        } else if letters == 0 && digits > 0 && inRange {
            // whole row, `2:5`
            colAbs = false
            rowAbs = rowAbs || token.first == "$"
        } else {
            return nil
        }
        // At most three ASCII letters: a small string, no allocation.
        let columnText = Substring(String(decoding: token[colStart..<colEnd].map { UInt8($0.value) }, as: UTF8.self))
        return Reference(column: column, columnAbsolute: colAbs, columnText: columnText, row: row, rowAbsolute: rowAbs)
    }
}
