@testable import BatonCore
import BatonIO
@testable import BatonRender
import Testing

/// The page's fast paths against the plain ones they stand for: a struct printing its own texts against
/// `field` printed, figures written as bytes against `DisplayFormat.number`, the word-at-a-time scan of
/// `DisplayText` against the byte-by-byte one.
@Suite("The page's fast paths write what the plain paths write")
struct PageFastPathTests {
    /// What `{{key}}` prints through `field`, or nil when the field is absent.
    static func plain(_ list: any PageList, _ i: Int, _ key: PageKey, escaped: Bool) -> [UInt8]? {
        guard let v = list.field(i, key) else { return nil }
        var out = PageBytes()
        v.print(escaped: escaped, to: &out)
        return out.array
    }

    /// What `{{key}}` prints through the class's `print(of:)` (a struct's own `print`), or nil when it
    /// says the field is absent.
    static func fast(_ list: any PageList, _ i: Int, _ key: PageKey, escaped: Bool) -> [UInt8]? {
        var out = PageBytes()
        let pointer = UnsafeRawPointer(Unmanaged.passUnretained(list as AnyObject).toOpaque())
        let found = withExtendedLifetime(list) { type(of: list).print(of: pointer, i, key, escaped: escaped, to: &out) }
        if !found { #expect(out.count == 0, "nothing printed for an absent field") }
        return found ? out.array : nil
    }

    /// Every element of every list under `value`, with every name, escaped and not: the same bytes and
    /// the same absent fields both ways. Returns how many elements were compared.
    @discardableResult
    static func compareAll(_ value: PageValue, path: String) -> Int {
        switch value {
        case .list(let list):
            var n = 0
            for i in 0..<list.count { n += compareAll(list.item(i), path: "\(path)[\(i)]") }
            return n
        case .item(let list, let i):
            var n = 1
            for key in HTMLRendererTests.allKeys {
                for escaped in [true, false] {
                    let a = fast(list, i, key, escaped: escaped), b = plain(list, i, key, escaped: escaped)
                    switch list.field(i, key) {
                    case .text?, .flag?, nil:
                        if a != b { Issue.record("\(path).\(key.rawValue) escaped \(escaped): printed differently") }
                    case .list?, .item?:
                        // A struct prints as its reflected tree's description, whose dictionaries' order
                        // differs from one tree to the next: only whether it was found is compared.
                        if (a == nil) != (b == nil) { Issue.record("\(path).\(key.rawValue): found one way only") }
                    }
                }
                // Down into lists and structs (the root's `people` made person by person too).
                if let child = list.field(i, key) {
                    switch child {
                    case .list, .item: n += compareAll(child, path: "\(path).\(key.rawValue)")
                    default: break
                    }
                }
            }
            return n
        default:
            return 0
        }
    }

    @Test("every view struct prints each name as its field prints, every fixture and language",
          arguments: HTMLRendererTests.fixtures)
    func structsPrintAsFieldsDo(_ fixture: String) throws {
        let e = try HTMLRendererTests.evaluate(fixture)
        for language in Language.allCases {
            let view = ScorecardView.make(e, language: language)
            let n = Self.compareAll(.item(PageRoot.List([PageRoot(view)]), 0), path: "view")
            #expect(n > view.people.count, "every person's section is compared")
            Self.compareAll(.item(PageRoot.List([ScorecardView.page(e, language: language)]), 0), path: "page")
        }
    }

    @Test("hostile texts print the same through a struct's own print and through its field")
    func hostileTexts() {
        let texts = ["<script>alert(1)</script>", "AT&T's \"best\"", "<\u{338} ≮", "e\u{301}<b>", "王建儒 <b>", "", "plain",
                     "a\r\n<b>", "🇨🇳<🇨🇳>", String(repeating: "x<", count: 40)]
        for t in texts {
            let rows = [FigureRowView(kpi: t, definition: t, value: t, madeOf: t)]
            let list = FigureRowView.List(rows)
            for key in [PageKey.kpi, .definition, .value, .madeOf, .name] {
                for escaped in [true, false] {
                    #expect(Self.fast(list, 0, key, escaped: escaped) == Self.plain(list, 0, key, escaped: escaped), "\(t.debugDescription)")
                }
            }
        }
    }

    static let units: [KPIUnit] = [.count, .money, .moneyRatio, .rate]
    static let currencies = [Currency.cny, Currency(code: "JPY", decimals: 0), Currency(code: "KWD", decimals: 3),
                             Currency(code: "X", decimals: 14), Currency(code: "", decimals: 2), Currency(code: "A<B&C", decimals: 2)]

    @Test("a figure written as bytes is the figure as text, or left to the text")
    func figuresAsBytes() {
        for currency in Self.currencies {
            let f = DisplayFormat(currency: currency, language: .en)
            var written = 0
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: f.figureRoom) { buffer in
                for x in DisplayFormatTests.samples {
                    for unit in Self.units {
                        for withCode in [true, false] {
                            let text = f.number(x, unit: unit, withCode: withCode)
                            guard let n = f.write(x, unit: unit, withCode: withCode, to: buffer.baseAddress!) else { continue }
                            written += 1
                            #expect(n <= f.figureRoom)
                            #expect(Array(buffer[..<n]) == Array(text.utf8), "\(x) \(unit) \(withCode) \(currency.code)")
                        }
                    }
                }
            }
            #expect(written > 1000, "most samples take the byte path")
        }
        // Every scaled integer's length and text, at its extremes.
        for scaled in [0, 1, -1, 9, 10, 999, 1000, -1000, 123_456_789, Int.max, Int.min, Int.min + 1] {
            for places in 0...DisplayFormat.maxPlaces {
                for grouped in [true, false] {
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DisplayFormat.writtenRoom) { buffer in
                        let n = DisplayFormat.write(scaled: scaled, places: places, grouped: grouped, to: buffer.baseAddress!)
                        #expect(n <= DisplayFormat.writtenRoom)
                        let exact = Exact(scaled) / Exact(Int(Self.pow10(places)))
                        let text = grouped ? Printing.grouped(exact.decimalString(places: places)) : exact.decimalString(places: places)
                        #expect(Array(buffer[..<n]) == Array(text.utf8), "\(scaled) \(places) \(grouped)")
                        #expect(DisplayFormat.written(scaled: scaled, places: places, grouped: grouped) == text)
                    }
                }
            }
        }
    }

    static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(Int64(1)) { p, _ in p * 10 } }

    @Test("history targets and ratios written as bytes are the texts appended one by one")
    func historyAndRatios() throws {
        var rng = SplitMix64(seed: 20261124)
        let samples = DisplayFormatTests.samples
        let periods: [Period] = [Period.month(2026, 8)!, Period.month(1, 1)!, Period.quarter(2026, 3)!,
                                 Period(first: Day(year: 2026, month: 9, day: 1)!, last: Day(year: 2026, month: 9, day: 30)!)]
        for currency in Self.currencies {
            for language in Language.allCases {
                let f = DisplayFormat(currency: currency, language: language)
                let words = ScoreWords(format: f)
                for round in 0..<600 {
                    let count = round % 7
                    let points = (0..<count).map { _ in
                        HistoryPoint(period: periods[Int(rng.next() % UInt64(periods.count))],
                                     value: samples[Int(rng.next() % UInt64(samples.count))])
                    }
                    let unit = Self.units[round % Self.units.count]
                    for (start, open, close, separator) in [("average of ", " (", ")", ", "), ("历史平均：", "（", "）", "、")] {
                        let text = words.historyText(points, unit: unit, start: start, open: open, close: close, separator: separator)
                        if let bytes = words.historyBytes(points, unit: unit, start: start, open: open, close: close, separator: separator) {
                            #expect(bytes == text, "\(points) \(unit)")
                        }
                    }
                    let shown = language == .en
                        ? words.historyText(points, unit: unit, start: "average of ", open: " (", close: ")", separator: ", ")
                        : words.historyText(points, unit: unit, start: "历史平均：", open: "（", close: "）", separator: "、")
                    #expect(words.origin(.history(points), unit: unit) == shown)
                }
            }
        }
        // Ratios: a builder for each currency's plan is not needed, only its format.
        let e = try HTMLRendererTests.evaluate("hand")
        let b = ScorecardViewBuilder(e: e, format: DisplayFormat(currency: .cny, language: .en))
        for _ in 0..<20_000 {
            let n = samples[Int(rng.next() % UInt64(samples.count))], d = samples[Int(rng.next() % UInt64(samples.count))]
            let parts = (Self.units[Int(rng.next() % 4)], Self.units[Int(rng.next() % 4)])
            if let bytes = b.ratioBytes(n, d, parts: parts) { #expect(bytes == b.ratioText(n, d, parts: parts), "\(n) \(d)") }
        }
        // Every figure of every fixture's people, as the page shows it.
        for fixture in HTMLRendererTests.fixtures {
            let e = try HTMLRendererTests.evaluate(fixture)
            let b = ScorecardViewBuilder(e: e, format: DisplayFormat(currency: e.plan.currency, language: .en))
            for card in e.people {
                for v in card.figures {
                    guard let d = v.denominator else { continue }
                    let parts = ScorecardViewBuilder.parts[v.kpi.name] ?? (.rate, .rate)
                    #expect(b.ratioBytes(v.numerator, d, parts: parts) == b.ratioText(v.numerator, d, parts: parts), "\(fixture) \(v.kpi.name)")
                }
            }
        }
    }

    @Test("DisplayText's word-at-a-time scan says what the byte-by-byte scan says, every byte at every place")
    func cleanScan() {
        let fillers: [UInt8] = [0x61, 0x20, 0x7E, 0xE4, 0xB8, 0x80]
        for length in 0..<20 {
            for place in 0..<max(length, 1) {
                for b in UInt8.min...UInt8.max {
                    for filler in fillers {
                        var bytes = [UInt8](repeating: filler, count: length)
                        if place < length { bytes[place] = b }
                        bytes.withUnsafeBufferPointer { p in
                            if DisplayText.mayChange(p) != DisplayText.mayChangeByteByByte(p) { Issue.record("\(bytes)") }
                        }
                    }
                }
                // E2 80 / E2 81 across every place, a word's end included.
                if place + 1 < length {
                    for second: UInt8 in [0x80, 0x81, 0x82, 0xBF] {
                        var bytes = [UInt8](repeating: 0x61, count: length)
                        bytes[place] = 0xE2
                        bytes[place + 1] = second
                        bytes.withUnsafeBufferPointer { p in
                            #expect(DisplayText.mayChange(p) == DisplayText.mayChangeByteByByte(p), "\(bytes)")
                            #expect(DisplayText.mayChange(p) == (second <= 0x81))
                        }
                    }
                }
            }
        }
    }
}
