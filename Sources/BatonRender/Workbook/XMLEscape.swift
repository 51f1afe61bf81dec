/// XML 1.0 escaping used for every string that reaches a template.
///
/// Templates insert these values with triple mustaches (`{{{name}}}`) on purpose: the
/// engine's own `{{name}}` escaping is HTML escaping and would neither remove characters
/// that are illegal in XML 1.0 nor protect whitespace in attributes.
///
/// Rules:
/// - `&` `<` `>` `"` `'` become `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` (in text and attributes alike).
/// - Characters illegal in XML 1.0 (C0 controls other than TAB, LF, CR; U+FFFE; U+FFFF) are
///   **replaced** by U+FFFD REPLACEMENT CHARACTER, so the loss is visible instead of silent.
///   (Lone surrogates cannot occur in a Swift `String`.)
/// - CR is written as `&#13;` so XML end-of-line normalisation does not turn it into LF.
/// - In attributes TAB and LF are also written as `&#9;` / `&#10;` (attribute-value
///   normalisation would otherwise turn them into spaces).
/// - Everything else, including bidi marks such as U+200F and C1 controls (legal in XML 1.0),
///   is kept as is.
public enum XMLEscape {
    /// What an illegal character is replaced with.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Whether `s` is a `Char` of XML 1.0 (surrogates cannot be a `Unicode.Scalar`).
    public static func isLegalXMLChar(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD: return true
        case 0x0..<0x20: return false
        case 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    /// Escapes for element content.
    public static func text(_ s: String) -> String { escape(s, attribute: false, ooxml: false) }

    /// Escapes for an attribute value (either quote style).
    public static func attribute(_ s: String) -> String { escape(s, attribute: true, ooxml: false) }

    /// Escapes text for an OOXML string item (`<t>` in shared or inline strings). On top of
    /// ``text(_:)`` it protects literal `_xHHHH_` sequences, which Excel would otherwise decode
    /// as an escaped character: the `_` is written as `_x005F_` (ECMA-376 ST_Xstring).
    public static func ooxmlText(_ s: String) -> String { escape(s, attribute: false, ooxml: true) }

    static func escape(_ s: String, attribute: Bool, ooxml: Bool) -> String {
        if !needsWork(s, ooxml: ooxml) { return s }
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            switch c {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\t" where attribute: out.append(contentsOf: "&#9;".unicodeScalars)
            case "\n" where attribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case "_" where ooxml && isHexEscape(scalars, at: i):
                out.append(contentsOf: "_x005F_".unicodeScalars)
            default:
                out.append(isLegalXMLChar(c) ? c : replacement)
            }
            i += 1
        }
        return String(out)
    }

    /// `_xHHHH_` starting at `i`.
    private static func isHexEscape(_ a: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < a.count, a[i + 1] == "x" || a[i + 1] == "X", a[i + 6] == "_" else { return false }
        return (i + 2...i + 5).allSatisfy { a[$0].properties.isASCIIHexDigit }
    }

    /// Whether an OOXML text item (`<t>` of a shared or inline string) is written with
    /// `xml:space="preserve"`: exactly when the text starts or ends with XML whitespace (space, TAB, LF,
    /// CR) or holds a TAB, LF or CR anywhere. Readers keep every other text as it is without the
    /// attribute, so it is left out there (most cells), which makes the part smaller.
    public static func needsPreserve(_ s: String) -> Bool {
        withUTF8Bytes(s) { needsPreserve($0, plain: false) }
    }

    /// ``needsPreserve(_:)`` on a text's UTF-8 bytes. `plain`: the caller knows ``isPlain(_:ooxml:)`` holds
    /// (no control character), so only the two ends need a look.
    @inline(__always)
    static func needsPreserve(_ utf8: UnsafeBufferPointer<UInt8>, plain: Bool) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        @inline(__always) func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        if space(first) || space(last) { return true }
        if plain { return false }
        return utf8.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// True when the UTF-8 bytes of a string come out of ``text(_:)`` (or ``ooxmlText(_:)`` with `ooxml`)
    /// unchanged, so a writer can copy them as they are.
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>, ooxml: Bool) -> Bool { !needsWork(utf8, ooxml: ooxml) }

    private static func needsWork(_ s: String, ooxml: Bool) -> Bool { needsWork(s.utf8, ooxml: ooxml) }

    /// Fast byte scan: most strings need no change at all.
    private static func needsWork<S: Sequence<UInt8>>(_ utf8: S, ooxml: Bool) -> Bool {
        var prev: UInt8 = 0
        var prev2: UInt8 = 0
        for b in utf8 {
            switch b {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                return true
            case 0..<0x20:
                return true  // control characters, TAB/LF/CR included (attributes, CR)
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                if ooxml && prev == UInt8(ascii: "_") { return true }
            case 0xBE, 0xBF:
                // U+FFFE / U+FFFF are EF BF BE / EF BF BF in UTF-8
                if prev == 0xBF && prev2 == 0xEF { return true }
            default:
                break
            }
            prev2 = prev
            prev = b
        }
        return false
    }
}
