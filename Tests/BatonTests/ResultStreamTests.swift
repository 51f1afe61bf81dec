import BatonCore
import BatonIO
import Testing

/// The result files are written by streaming writers that work on bytes (numbers in 64-bit arithmetic,
/// ids rendered once, CSV fields encoded in place). Each piece must print exactly what the plain `String`
/// forms print, whatever the value: these compare the two over many values, hostile ones included.
@Suite("Streamed result files print what the plain forms print")
struct ResultStreamTests {
    /// A small seeded generator, so a failure repeats.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    /// Fractions of every kind: small, money-like, rates, ones past 64 bits, negatives, zero.
    static func fractions() -> [Exact] {
        var g = Seeded(state: 0x9E37_79B9_7F4A_7C15)
        var out: [Exact] = [.zero, .one, .hundred, Exact(-1), Exact(1) / Exact(3), Exact(-2) / Exact(3), Exact(5) / Exact(100_000_000_000),
                            Exact(4) / Exact(100_000_000_000), Exact(-4) / Exact(100_000_000_000), Exact(1) / Exact(1 << 62),
                            Exact(Int64.max), Exact(Int64.min + 1), Exact(Int64.max) * Exact(Int64.max),
                            Exact(1) / (Exact(Int64.max) * Exact(3)), Exact(Int64.max) / Exact(7), Exact(7) / Exact(Int64.max),
                            Exact(decimal: "123456789012345678901234567890.125")!, Exact(decimal: "-0.00000000005")!,
                            Exact(decimal: "0.00000000005")!, Exact(decimal: "99999999999.99999999995")!]
        let denominators = [1, 2, 3, 4, 5, 7, 8, 10, 16, 20, 25, 100, 125, 1000, 1024, 3125, 10_000_000_000, 99_991]
        for _ in 0..<3000 {
            let scale = [10, 1000, 1_000_000, 10_000_000_000, 1 << 40, Int.max >> 2][Int(g.next() % 6)]
            let n = Int(truncatingIfNeeded: g.next()) % scale
            let d = g.next() % 3 == 0 ? denominators[Int(g.next() % UInt64(denominators.count))] : 1 + Int(g.next() % UInt64(scale))
            out.append(Exact(n) / Exact(d))
        }
        return out
    }

    @Test("exact numbers: decimals, short decimals, fractions, figures and money")
    func exactNumbers() {
        let cny = Currency.cny, jpy = Currency(code: "JPY"), bhd = Currency(code: "BHD", decimals: 3)
        for x in Self.fractions() {
            for places in [0, 1, 2, 3, 4, 10, 12, 19, 20] {
                #expect(ResultStreamProbe.decimal(x, places: places) == x.decimalString(places: places), "\(x) at \(places)")
            }
            for maxPlaces in [0, 1, 4, 10, 19, 20] {
                #expect(ResultStreamProbe.short(x, maxPlaces: maxPlaces) == x.shortDecimalString(maxPlaces: maxPlaces), "\(x) up to \(maxPlaces)")
            }
            #expect(ResultStreamProbe.fraction(x) == x.description)
            #expect(ResultStreamProbe.printsExactly(x) == (Exact(decimal: Printing.exact(x)) == x), "\(x)")
            for unit in [KPIUnit.count, .money, .moneyRatio, .rate] {
                for c in [cny, jpy, bhd] {
                    #expect(ResultStreamProbe.number(x, unit: unit, currency: c) == Printing.number(x, unit: unit, currency: c))
                }
            }
        }
        var g = Seeded(state: 42)
        for m in [Int64.min + 1, Int64.max, 0, -1, 1, -99, 100, -100_000] + (0..<500).map({ _ in Int64(truncatingIfNeeded: g.next()) >> Int64(g.next() % 60) }) {
            for c in [cny, jpy, bhd] {
                #expect(ResultStreamProbe.money(Money(minorUnits: m), c) == c.format(Money(minorUnits: m)))
            }
        }
    }

    /// The JSON string escaping the result files always had, one scalar at a time: the specification.
    static func reference(_ s: String) -> [UInt8] {
        var out: [UInt8] = [34]
        let hex = Array("0123456789abcdef".utf8)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += [92, 34]
            case 0x5C: out += [92, 92]
            case 0x0A: out += [92, 110]
            case 0x0D: out += [92, 114]
            case 0x09: out += [92, 116]
            case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029, 0x7F:
                let v = scalar.value
                out += [92, 117, hex[Int(v >> 12 & 15)], hex[Int(v >> 8 & 15)], hex[Int(v >> 4 & 15)], hex[Int(v & 15)]]
            default:
                out += Array(String(scalar).utf8)
            }
        }
        out.append(34)
        return out
    }

    /// Text with every kind of character the escaping cares about, in random runs.
    static func hostileStrings(_ count: Int) -> [String] {
        let pieces = ["a", "L0666774", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "<", ">", "&",
                      "\u{2028}", "\u{2029}", "\u{2027}", "\u{202A}", "—", "→", "王建儒", "😀", "=1+1", "-12.50", "+86",
                      ",", "'", "@", "é", "\u{FEFF}"]
        var g = Seeded(state: 7)
        var out = ["", " ", "plain", "=HYPERLINK(\"x\")", "-12.50", "+8613800138000", "\u{2028}"]
        for _ in 0..<count {
            var s = ""
            for _ in 0..<Int(g.next() % 12) { s += pieces[Int(g.next() % UInt64(pieces.count))] }
            out.append(s)
        }
        return out
    }

    @Test("JSON strings are escaped as before: controls, quotes, <>&, U+2028/2029, the rest as UTF-8")
    func jsonEscaping() {
        for s in Self.hostileStrings(3000) {
            #expect(ResultStreamProbe.jsonString(s) == Self.reference(s), "\(s.debugDescription)")
        }
    }

    @Test("CSV records streamed field by field are the bytes CSVWriter writes")
    func csvRecords() {
        var g = Seeded(state: 99)
        let strings = Self.hostileStrings(800)
        var rows: [[String]] = [[""], ["", ""], [" "], ["a"]]
        for _ in 0..<600 {
            rows.append((0..<(1 + Int(g.next() % 6))).map { _ in strings[Int(g.next() % UInt64(strings.count))] })
        }
        for neutralize in [false, true] {
            var w = CSVWriter(neutralizeFormulas: neutralize)
            for r in rows { w.writeRow(r) }
            #expect(ResultStreamProbe.csv(rows, neutralizeFormulas: neutralize) == w.bytes)
        }
    }

    @Test("interned texts encoded once and copied are the fields CSVWriter writes, however many and mixed")
    func symbolFields() {
        var g = Seeded(state: 17)
        let hostile = Self.hostileStrings(300)
        // Few texts met again and again, hostile ones, and enough distinct long ones that the table's
        // slots are shared and its bytes start over.
        let many = (0..<40_000).map { "campaign-\($0)-" + String(repeating: "x", count: $0 % 23) }
        var texts = ["", "autohome", "=HYPERLINK()", "a,b", " padded ", "-5", "autohome", ""]
        for _ in 0..<3000 { texts.append(hostile[Int(g.next() % UInt64(hostile.count))]) }
        texts += many
        for _ in 0..<3000 { texts.append(many[Int(g.next() % UInt64(many.count))]) }
        for neutralize in [false, true] {
            var w = CSVWriter(neutralizeFormulas: neutralize)
            for t in texts { w.writeRow(["x", t]) }
            #expect(ResultStreamProbe.symbolFields(texts, neutralizeFormulas: neutralize) == w.bytes)
        }
    }

    @Test("timestamps written from their bytes are the texts CSVWriter writes, kept texts included")
    func timestampFields() throws {
        let texts = ["2026-10-03", "2026-10-03T14:05", "2026-10-03T14:05:00", "2026-10-03 14:05:00.250",
                     "2026-10-03T14:05:00Z", "2026-10-03T14:05:00+08:00", "2026-10-03T14:05:00+0800",
                     "2026-10-03T14:05:00-05", "2026-01-31T23:59:59.999", "2024-02-29T00:00:00", "1999-12-31",
                     "2026-10-03T14:05:00.5+05:30", "  2026-10-03T14:05  "]
        var times: [Timestamp] = []
        for t in texts {
            times.append(try Timestamp.parse(Substring(t)).get())
        }
        // Texts no layout prints (kept as written), hostile ones among them.
        let day = times[0].day
        for t in ["=2026-10-03", "-2026-10-03", "2026,10,03", "\"2026\"", " 2026-10-03 ", "二〇二六年十月三日", ""] {
            times.append(Timestamp(day: day, instant: 1_790_000_000, text: t))
        }
        // A day or instant changed afterwards keeps the text as it was.
        var moved = times[5]
        moved.instant += 3600
        times.append(moved)
        for neutralize in [false, true] {
            var w = CSVWriter(neutralizeFormulas: neutralize)
            for t in times { w.writeRow([t.text]) }
            #expect(ResultStreamProbe.timestampFields(times, neutralizeFormulas: neutralize) == w.bytes)
        }
    }

    @Test("lists of ids and line numbers: repeated, long, hostile, prefilled or not")
    func rowLists() {
        var g = Seeded(state: 5)
        var ids = (0..<3000).map { "L\(1_000_000 + $0)" }
        // Ids that do not fit a slot or need escaping.
        ids[7] = "a-much-longer-lead-identifier"
        ids[8] = "A&B"
        ids[9] = ""
        ids[10] = "\u{2028}"
        ids[11] = "123456789012345"
        ids[12] = "1234567890123"
        ids[13] = "王建儒"
        let lines = (0..<3000).map { $0 * 3 + 2 } + [9_999_999, 10_000_000, 0, -5, Int.max]
        var lists: [[Int]] = [[], [7], [0, 1, 2], Array(0..<3000), Array(0..<3000), [8, 9, 10, 11, 12, 13, 7, 0]]
        for _ in 0..<40 {
            let l = (0..<Int(g.next() % 200)).map { _ in Int(g.next() % 3000) }
            lists.append(l)
            if g.next() % 2 == 0 { lists.append(l) }
        }
        lists.append(Array(0..<5000).map { $0 % 3000 })
        lists.append(lists.last!)
        // Long lists whose texts all fit their slots (rendered straight into one array), and one again.
        lists.append((0..<4500).map { 14 + $0 % 2986 })
        lists.append((0..<6000).map { 2999 - $0 % 2986 })
        lists.append(lists[lists.count - 2])
        func expected(_ texts: [[UInt8]]) -> [UInt8] {
            var out: [UInt8] = []
            for l in lists {
                out.append(91)
                for (k, i) in l.enumerated() {
                    if k > 0 { out += [44, 32] }
                    out += texts[i]
                }
                out += [93, 10]
            }
            return out
        }
        let idTexts = ids.map(Self.reference)
        for chunk in [64, 1 << 18] {
            #expect(ResultStreamProbe.idLists(ids, lists, chunk: chunk) == expected(idTexts))
            #expect(ResultStreamProbe.idLists(ids, lists, prefill: 0...2999, chunk: chunk) == expected(idTexts))
            #expect(ResultStreamProbe.idLists(ids, lists, prefill: 100...200, chunk: chunk) == expected(idTexts))
            #expect(ResultStreamProbe.idLists(ids, lists, chunk: chunk, joined: true) == expected(idTexts))
        }
        var lineLists = lists
        lineLists.append([3000, 3001, 3002, 3003, 3004, 3000, 0])
        lists = lineLists
        let lineTexts = lines.map { Array(String($0).utf8) }
        for chunk in [64, 1 << 18] {
            #expect(ResultStreamProbe.lineLists(lines, lists, chunk: chunk) == expected(lineTexts))
            #expect(ResultStreamProbe.lineLists(lines, lists, prefill: 0...3004, chunk: chunk) == expected(lineTexts))
            #expect(ResultStreamProbe.lineLists(lines, lists, chunk: chunk, joined: true) == expected(lineTexts))
        }
    }
}

@Suite("Row marks")
struct RowMarksTests {
    @Test("rows marked in any order, one by one or as lists, come back once each, lowest first")
    func marks() {
        var random = SplitMix64(seed: 5)
        for count in [1, 63, 64, 65, 1_000, 4_097] {
            var marks = RowMarks(count: count)
            var expected = Set<Int>()
            for _ in 0..<(count / 3 + 1) {
                let i = Int(random.next() % UInt64(count))
                marks.mark(i)
                expected.insert(i)
            }
            let list = RowList((0..<(count / 5 + 1)).map { _ in Int(random.next() % UInt64(count)) })
            marks.mark(list)
            expected.formUnion(list)
            var seen: [Int] = []
            marks.forEach { seen.append($0) }
            #expect(seen == expected.sorted(), "count \(count)")
            #expect((0..<count).filter(marks.contains) == seen)
        }
    }
}
