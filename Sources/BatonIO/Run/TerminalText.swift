/// Text from the data made safe to print on a terminal: control characters (which can move the cursor or
/// ring the bell) and bidirectional controls (which can reorder what a person reads) are shown as
/// `\u{7}`-style escapes instead of being sent to the terminal.
public enum TerminalText {
    public static func safe(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            let v = s.value
            let control = v < 0x20 && v != 0x0A && v != 0x09 || (0x7F...0x9F).contains(v)
            let bidi = (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
            if control || bidi {
                out += "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
