import BatonCore

/// The streaming writers' pieces rendered to bytes, for the package's tests: they compare each piece with
/// the plain `String` form it must equal (`Exact.decimalString`, `CSVWriter`, JSON escaping).
package enum ResultStreamProbe {
    private static func bytes(chunk: Int = 64, _ body: (inout SinkBuffer) -> Void) -> [UInt8] {
        let sink = MemorySink()
        var out = SinkBuffer(sink, chunk: chunk)
        body(&out)
        out.flush()
        return sink.bytes
    }

    private static func text(_ body: (inout SinkBuffer) -> Void) -> String {
        String(decoding: bytes(body), as: UTF8.self)
    }

    package static func decimal(_ x: Exact, places: Int) -> String { text { ExactText.decimal(x, places: places, into: &$0) } }
    package static func short(_ x: Exact, maxPlaces: Int) -> String { text { ExactText.short(x, maxPlaces: maxPlaces, into: &$0) } }
    package static func fraction(_ x: Exact) -> String { text { ExactText.fraction(x, into: &$0) } }
    package static func printsExactly(_ x: Exact) -> Bool { ExactText.printsExactly(x) }
    package static func number(_ x: Exact, unit: KPIUnit, currency: Currency) -> String {
        text { ExactText.number(x, unit: unit, currency: currency, into: &$0) }
    }
    package static func money(_ m: Money, _ currency: Currency) -> String { text { ExactText.money(m, currency, into: &$0) } }

    /// Records through `CSVStream`.
    package static func csv(_ rows: [[String]], neutralizeFormulas: Bool) -> [UInt8] {
        let sink = MemorySink()
        var w = CSVStream(sink, neutralizeFormulas: neutralizeFormulas)
        for r in rows { w.row(r) }
        _ = w.finish()
        return sink.bytes
    }

    /// Records of two fields, `x` and each text as leads.csv writes an interned text (its symbol's field
    /// encoded once and copied, `ResultFiles.EncodedSymbols`).
    package static func symbolFields(_ texts: [String], neutralizeFormulas: Bool) -> [UInt8] {
        let sink = MemorySink()
        var w = CSVStream(sink, neutralizeFormulas: neutralizeFormulas)
        var symbols = ResultFiles.EncodedSymbols(neutralizeFormulas: neutralizeFormulas)
        for t in texts {
            w.field("x")
            symbols.write(Symbol(t), &w)
            w.endRow()
        }
        _ = w.finish()
        return sink.bytes
    }

    /// Timestamps as leads.csv writes them: each one a record of its text's bytes (`Timestamp.withText`),
    /// with no String in between.
    package static func timestampFields(_ times: [Timestamp], neutralizeFormulas: Bool) -> [UInt8] {
        let sink = MemorySink()
        var w = CSVStream(sink, neutralizeFormulas: neutralizeFormulas)
        for t in times {
            t.withText { w.field($0) }
            w.endRow()
        }
        _ = w.finish()
        return sink.bytes
    }

    /// A JSON string as `JSONWriter` writes it.
    package static func jsonString(_ s: String) -> [UInt8] {
        let sink = MemorySink()
        var w = JSONWriter(sink)
        w.string(s)
        w.out.flush()
        return sink.bytes
    }

    /// Lists of rows of a table of ids, written one after the other (each `[...]`, newline-separated)
    /// through one `RowTexts`, as figures do. `prefill` renders those rows first; `chunk` is the size at
    /// which the writer hands its buffer over (small: lists are split between hand-overs).
    /// With `joined`, each list is made of pieces joined (as a team's or a total's list is).
    package static func idLists(_ ids: [String], _ lists: [[Int]], prefill: ClosedRange<Int>? = nil,
                                chunk: Int = 64, joined: Bool = false) -> [UInt8] {
        let table = RowTexts.ids(count: ids.count) { ids[$0] }
        if let prefill { table.prefill(prefill) }
        return bytes(chunk: chunk) { out in
            for l in lists { table.writeList(list(l, joined: joined), into: &out); out.byte(10) }
        }
    }

    /// The same for line numbers.
    package static func lineLists(_ lines: [Int], _ lists: [[Int]], prefill: ClosedRange<Int>? = nil,
                                  chunk: Int = 64, joined: Bool = false) -> [UInt8] {
        let table = RowTexts.lines(count: lines.count) { lines[$0] }
        if let prefill { table.prefill(prefill) }
        return bytes(chunk: chunk) { out in
            for l in lists { table.writeList(list(l, joined: joined), into: &out); out.byte(10) }
        }
    }

    /// `rows` as one list, or joined from pieces of 1, 2, 3, ... rows.
    static func list(_ rows: [Int], joined: Bool) -> RowList {
        guard joined else { return RowList(rows) }
        var list = RowList()
        var at = 0, size = 1
        while at < rows.count {
            list += RowList(rows[at ..< min(rows.count, at + size)])
            at += size
            size += 1
        }
        return list
    }
}
