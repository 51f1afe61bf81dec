// RFC 4180 CSV writer that appends UTF-8 bytes directly, so writing millions
// of rows does not create a String per field.

/// Builds CSV output in memory: one record per `writeRow`, `"\n"` line endings,
/// UTF-8 without a byte-order mark.
///
/// A field is quoted when it contains a comma, a quote, CR or LF, or starts or
/// ends with a space; quotes inside are doubled. With `neutralizeFormulas`, text
/// that a spreadsheet would run as a formula gets a leading apostrophe (see
/// `escape(_:neutralizeFormulas:)`).
public struct CSVWriter: Sendable {
    public let neutralizeFormulas: Bool
    private var output: [UInt8] = []

    public init(neutralizeFormulas: Bool = false) {
        self.neutralizeFormulas = neutralizeFormulas
    }

    /// The UTF-8 output written so far.
    public var bytes: [UInt8] { output }

    /// Returns the output written so far and starts empty again, e.g. to
    /// flush a large export to disk in chunks.
    public mutating func takeBytes() -> [UInt8] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    /// Appends one record.
    public mutating func writeRow(_ fields: [String]) {
        var first = true
        for field in fields {
            if !first { output.append(CSVWriterByte.comma) }
            first = false
            appendField(field)
        }
        output.append(CSVWriterByte.lf)
    }

    /// Appends one record from any sequence of strings or substrings.
    public mutating func writeRow<S: Sequence>(_ fields: S) where S.Element: StringProtocol {
        var first = true
        for field in fields {
            if !first { output.append(CSVWriterByte.comma) }
            first = false
            appendField(field)
        }
        output.append(CSVWriterByte.lf)
    }

    /// The field as it would be written, quoted and neutralised as needed.
    ///
    /// Neutralising: a field whose first character is `=`, `+`, `-`, `@`, TAB
    /// or CR, and which is not a plain number (optional sign, digits, optional
    /// `.digits`), gets a leading `'` so a spreadsheet shows it as text instead
    /// of evaluating it: `=HYPERLINK("x")` becomes `'=HYPERLINK("x")`, while
    /// `-12.50` and `+8613800138000` are left alone.
    public static func escape(_ field: String, neutralizeFormulas: Bool) -> String {
        var out: [UInt8] = []
        CSVWriter.append(field, neutralizeFormulas: neutralizeFormulas, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func appendField<T: StringProtocol>(_ field: T) {
        CSVWriter.append(field, neutralizeFormulas: neutralizeFormulas, to: &output)
    }

    private static func append<T: StringProtocol>(_ field: T, neutralizeFormulas: Bool, to out: inout [UInt8]) {
        let done: Void? = field.utf8.withContiguousStorageIfAvailable { utf8 in
            appendBytes(UnsafeRawBufferPointer(utf8), neutralizeFormulas: neutralizeFormulas, to: &out)
        }
        if done == nil {
            // Bridged or otherwise non-contiguous strings: copy once.
            let copy = Array(field.utf8)
            copy.withUnsafeBytes { appendBytes($0, neutralizeFormulas: neutralizeFormulas, to: &out) }
        }
    }

    private static func appendBytes(_ utf8: UnsafeRawBufferPointer, neutralizeFormulas: Bool, to out: inout [UInt8]) {
        let count = utf8.count
        let apostrophe = neutralizeFormulas && count > 0 && needsNeutralizing(utf8)
        var needsQuotes = count > 0 && (utf8[0] == CSVWriterByte.space || utf8[count - 1] == CSVWriterByte.space)
        var quotes = 0
        for b in utf8 where b <= CSVWriterByte.comma {
            if b == CSVWriterByte.quote {
                quotes += 1
                needsQuotes = true
            } else if b == CSVWriterByte.comma || b == CSVWriterByte.lf || b == CSVWriterByte.cr {
                needsQuotes = true
            }
        }
        if !needsQuotes {
            if apostrophe { out.append(CSVWriterByte.apostrophe) }
            out.append(contentsOf: utf8)
            return
        }
        out.reserveCapacity(out.count + count + quotes + 3)
        out.append(CSVWriterByte.quote)
        if apostrophe { out.append(CSVWriterByte.apostrophe) }
        if quotes == 0 {
            out.append(contentsOf: utf8)
        } else {
            for b in utf8 {
                out.append(b)
                if b == CSVWriterByte.quote { out.append(CSVWriterByte.quote) }
            }
        }
        out.append(CSVWriterByte.quote)
    }

    /// Starts like a formula and is not a plain number such as `-12.50`.
    private static func needsNeutralizing(_ utf8: UnsafeRawBufferPointer) -> Bool {
        switch utf8[0] {
        case UInt8(ascii: "="), UInt8(ascii: "@"), CSVWriterByte.tab, CSVWriterByte.cr:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isPlainNumber(utf8)
        default:
            return false
        }
    }

    /// Matches `[+-]?[0-9]+(\.[0-9]+)?` over the whole field.
    private static func isPlainNumber(_ utf8: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = utf8.count
        if i < n && (utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-")) { i += 1 }
        let integerStart = i
        while i < n && utf8[i] >= UInt8(ascii: "0") && utf8[i] <= UInt8(ascii: "9") { i += 1 }
        guard i > integerStart else { return false }
        if i == n { return true }
        guard utf8[i] == UInt8(ascii: ".") else { return false }
        i += 1
        let fractionStart = i
        while i < n && utf8[i] >= UInt8(ascii: "0") && utf8[i] <= UInt8(ascii: "9") { i += 1 }
        return i > fractionStart && i == n
    }
}

private enum CSVWriterByte {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let apostrophe: UInt8 = 0x27
    static let comma: UInt8 = 0x2C
}
