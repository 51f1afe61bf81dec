/// A JSON value whose objects keep their keys in the order written, so output is stable and readable.
public indirect enum JSONText: Sendable {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    /// A number written exactly as given (already formatted).
    case number(String)
    case bool(Bool)
    case null

    public static func str(_ s: String?) -> JSONText { s.map(JSONText.string) ?? .null }

    /// Pretty-printed with two-space indents and a final newline; arrays of scalars stay on one line.
    public func rendered() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(&out, indent: 0)
        out.append(10)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    private func write(_ out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .number(let n): out.append(contentsOf: Array(n.utf8))
        case .string(let s): JSONText.writeString(s, &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: [91, 93]); return }
            if items.allSatisfy(\.isScalar) {
                out.append(91)
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(contentsOf: [44, 32]) }
                    item.write(&out, indent: indent)
                }
                out.append(93)
                return
            }
            out.append(91)
            for (i, item) in items.enumerated() {
                out.append(contentsOf: i == 0 ? [10] : [44, 10])
                out.append(contentsOf: [UInt8](repeating: 32, count: indent + 2))
                item.write(&out, indent: indent + 2)
            }
            out.append(10)
            out.append(contentsOf: [UInt8](repeating: 32, count: indent))
            out.append(93)
        case .object(let pairs):
            if pairs.isEmpty { out.append(contentsOf: [123, 125]); return }
            out.append(123)
            for (i, (k, v)) in pairs.enumerated() {
                out.append(contentsOf: i == 0 ? [10] : [44, 10])
                out.append(contentsOf: [UInt8](repeating: 32, count: indent + 2))
                JSONText.writeString(k, &out)
                out.append(contentsOf: [58, 32])
                v.write(&out, indent: indent + 2)
            }
            out.append(10)
            out.append(contentsOf: [UInt8](repeating: 32, count: indent))
            out.append(125)
        }
    }

    /// JSON string escaping; also escapes `<`, `>`, `&` and U+2028/2029 so the text stays inert if a
    /// page embeds it.
    static func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(34)
        let hex = Array("0123456789abcdef".utf8)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [92, 34])
            case 0x5C: out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, 110])
            case 0x0D: out.append(contentsOf: [92, 114])
            case 0x09: out.append(contentsOf: [92, 116])
            case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029, 0x7F:
                let v = scalar.value
                out.append(contentsOf: [92, 117, hex[Int(v >> 12 & 15)], hex[Int(v >> 8 & 15)], hex[Int(v >> 4 & 15)], hex[Int(v & 15)]])
            default:
                if scalar.isASCII { out.append(UInt8(scalar.value)) } else { UTF8.encode(scalar) { out.append($0) } }
            }
        }
        out.append(34)
    }
}
