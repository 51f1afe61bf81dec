/// The rows of both writers written straight from the workbook into bytes, for templates whose per-row
/// section is the shipped one: exactly the bytes the template engine gives for that section (a test
/// compares the two), at a small fraction of the cost. A user's edited section goes through the engine.
///
/// Values are written as the view models would hold them: shared-string ids, exact decimals as given,
/// text and formulas through ``XMLEscape`` (a fast path copies text with nothing to escape).
enum NativeRows {
    /// The shipped `{{#rows}}` body of `xlsx/xl/worksheets/sheet.xml`.
    static let xlsxRowsBody = #"    <row r="{{{r}}}"{{#rowStyle}} s="{{{.}}}" customFormat="1"{{/rowStyle}}>{{#cells}}<c{{#needsRef}} r="{{{ref}}}"{{/needsRef}}{{#style}} s="{{{.}}}"{{/style}}{{#isString}} t="s"><v>{{{stringIndex}}}</v></c>{{/isString}}{{#isInline}} t="inlineStr"><is><t{{#preserve}} xml:space="preserve"{{/preserve}}>{{{text}}}</t></is></c>{{/isInline}}{{#isNumber}}><v>{{{number}}}</v></c>{{/isNumber}}{{#isFormula}}><f>{{{formula}}}</f>{{#cached}}<v>{{{.}}}</v>{{/cached}}</c>{{/isFormula}}{{/cells}}</row>"# + "\n"
    /// The shipped `{{#strings}}` body of `xlsx/xl/sharedStrings.xml`.
    static let sharedStringBody = #"  <si><t{{#preserve}} xml:space="preserve"{{/preserve}}>{{{text}}}</t></si>"# + "\n"
    /// The shipped `{{#rows}}` body of `xml/scorecards.xml`.
    static let flatRowsBody = #"   <Row{{#rowStyle}} ss:StyleID="{{{.}}}"{{/rowStyle}}>{{#cells}}<Cell{{#index}} ss:Index="{{{.}}}"{{/index}}{{#style}} ss:StyleID="{{{.}}}"{{/style}}{{#formula}} ss:Formula="{{{.}}}"{{/formula}}>{{#hasData}}<Data ss:Type="{{{type}}}">{{{value}}}</Data>{{/hasData}}</Cell>{{/cells}}</Row>"# + "\n"

    /// Whether a section may be written natively: it is the shipped one, and tests did not ask for the engine.
    static func allowed(_ template: SplitTemplate, _ shipped: String) -> Bool {
        !SectionRenderer.engineOnly && template.bodySource == shipped
    }

    /// A sheet's constant byte strings (cell starts per column, style attributes per style) in one block,
    /// so writing one does not retain and release an array per cell. Freed by `close()`.
    struct Pieces {
        private let base: UnsafeMutablePointer<UInt8>
        private let offsets: UnsafeMutablePointer<Int>

        init(_ pieces: [[UInt8]]) {
            let total = pieces.reduce(0) { $0 + $1.count }
            base = .allocate(capacity: max(total, 1))
            offsets = .allocate(capacity: pieces.count + 1)
            var at = 0
            for (i, p) in pieces.enumerated() {
                offsets[i] = at
                p.withUnsafeBufferPointer { (base + at).update(from: $0.baseAddress!, count: p.count) }
                at += p.count
            }
            offsets[pieces.count] = at
        }

        @inline(__always)
        func write(_ i: Int, to out: inout ByteOut) {
            let start = offsets[i]
            out.raw(base + start, offsets[i + 1] - start)
        }

        func close() {
            base.deallocate()
            offsets.deallocate()
        }
    }

    /// Decimal digits of a row number, reused across a sheet's rows. Rows come in order, so the next row's
    /// number is mostly the last digit counted up in place.
    struct Digits {
        private(set) var bytes: [UInt8] = []
        private var value = -1

        mutating func set(_ n: Int) {
            if value >= 0, n > 0, n - 1 == value {
                value = n
                var i = bytes.count - 1
                while i >= 0 {
                    if bytes[i] != UInt8(ascii: "9") {
                        bytes[i] += 1
                        return
                    }
                    bytes[i] = UInt8(ascii: "0")
                    i -= 1
                }
                bytes.insert(UInt8(ascii: "1"), at: 0)
                return
            }
            value = n
            bytes.removeAll(keepingCapacity: true)
            var n = n
            repeat {
                bytes.append(UInt8(48 + n % 10))
                n /= 10
            } while n > 0
            bytes.reverse()
        }
    }

    // MARK: - xlsx

    /// `<row>` elements of one sheet, header first. `inline[c]`: column `c`'s texts are written as inline
    /// strings (else they go to the shared-string table); one entry per column of the sheet.
    ///
    /// A cell carries its reference (`r`) only when it does not directly follow the previous cell of its
    /// row (the first cell of a row: when it is not in column A): a cell without one is, for every reader,
    /// the next column.
    static func xlsx(_ ps: PreparedSheet, inline: [Bool], styles: inout StyleTable, sst: inout SharedStringsWriter,
                     into out: inout ByteOut) {
        let sheet = ps.sheet
        // `<c r="AB` per column, and ` s="N"` per style (none for the plain style 0).
        let cellRef = Pieces((0..<ps.columnCount).map { Array(("<c r=\"" + FormulaReferences.columnLetters($0 + 1)).utf8) })
        let styleAttribute = Pieces(styles.keys.indices.map { $0 == 0 ? [] : Array(" s=\"\($0)\"".utf8) })
        defer {
            cellRef.close()
            styleAttribute.close()
        }
        let formats = sheet.columns.map(\.format)
        var digits = Digits()

        if ps.headerRows > 0 {
            // Every column has its header: no gaps, no references.
            out.ascii("    <row r=\"1\" s=\"1\" customFormat=\"1\">")
            for column in sheet.columns {
                let id = sst.index(of: column.header)
                out.ascii("<c s=\"1\" t=\"s\"><v>")
                out.int(id)
                out.ascii("</v></c>")
            }
            out.ascii("</row>\n")
        }
        if case .source(let source) = sheet.storage, let texts = source.texts {
            xlsxTexts(source.count, texts, columns: ps.columnCount, inline: inline, headerRows: ps.headerRows,
                      cellRef: cellRef, sst: &sst, into: &out)
            return
        }
        if case .source(let source) = sheet.storage, let packed = source.packed {
            xlsxPacked(packed, formats: formats, inline: inline, headerRows: ps.headerRows, cellRef: cellRef,
                       styleAttribute: styleAttribute, styles: &styles, sst: &sst, into: &out)
            return
        }
        // The row's shared texts' hashes, in a block reused across rows (an Array would check its uniqueness
        // and capacity per append). Grown when a row has more cells than any before.
        var hashCapacity = max(ps.columnCount, 16)
        var hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: hashCapacity)
        defer { hashes.deallocate() }
        sheet.forEachRow { r, cells, rowStyle in
            if cells.count > hashCapacity {
                hashes.deallocate()
                hashCapacity = cells.count
                hashes = .allocate(capacity: hashCapacity)
            }
            // The row's shared texts' table slots are fetched together first: looked up one by one, each
            // would wait for its own cache miss.
            var texts = 0
            for (c, cell) in cells.enumerated() {
                if case .text(let t) = cell, !inline[c] {
                    hashes[texts] = sst.prefetch(t)
                    texts += 1
                }
            }
            var nextHash = 0
            digits.set(r + 1 + ps.headerRows)
            let bold = rowStyle.isBold
            out.ascii("    <row r=\"")
            out.bytes(digits.bytes)
            if bold { out.ascii("\" s=\"1\" customFormat=\"1\">") } else { out.ascii("\">") }
            var next = 0  // the column a cell without reference is in
            for (c, cell) in cells.enumerated() {
                guard let id = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: bold) else { continue }
                cellStart(c, next: &next, refs: cellRef, row: digits, into: &out)
                if id != 0 { styleAttribute.write(id, to: &out) }
                switch cell {
                case .empty:
                    break
                case .text(let t):
                    if inline[c] {
                        out.ascii(" t=\"inlineStr\"><is>")
                        withUTF8Bytes(t) { out.ooxmlTextElement($0) }
                        out.ascii("</is></c>")
                    } else {
                        let index = sst.index(of: t, hash: hashes[nextHash])
                        nextHash += 1
                        out.ascii(" t=\"s\"><v>")
                        out.int(index)
                        out.ascii("</v></c>")
                    }
                case .number(let v, _):
                    out.ascii("><v>")
                    out.string(v)
                    out.ascii("</v></c>")
                case .formula(let f, let cached, _):
                    out.ascii("><f>")
                    out.escapedText(XLSXWriter.stripEquals(f))
                    out.ascii("</f>")
                    if let cached {
                        out.ascii("<v>")
                        out.string(cached)
                        out.ascii("</v>")
                    }
                    out.ascii("</c>")
                }
            }
            out.ascii("</row>\n")
        }
    }

    /// The rows of packed rows, from their bytes: what the loop above writes for the same cells, without a
    /// `Cell` or a `String` each.
    private static func xlsxPacked(_ packed: PackedRows, formats: [NumberFormat], inline: [Bool], headerRows: Int,
                                   cellRef: Pieces, styleAttribute: Pieces, styles: inout StyleTable,
                                   sst: inout SharedStringsWriter, into out: inout ByteOut) {
        // The row's shared texts' hashes, in a block reused across rows, grown for a wider row.
        var hashCapacity = max(inline.count, 16)
        var hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: hashCapacity)
        defer { hashes.deallocate() }
        // The shared-string index of each repeated text (by its key; -1: not looked up yet): a person's team,
        // id and name on every line of theirs are looked up once, then only counted.
        var keyed = [Int](repeating: -1, count: packed.keyCount)
        var digits = Digits()
        for r in 0..<packed.count {
            packed.withRow(r) { rowStyle, cells in
                // The row's shared texts' table slots are asked for first, so their cache misses overlap.
                var texts = 0
                var first = cells
                var c = 0
                while let cell = first.next() {
                    // A repeated text already looked up needs no hash (a key is in one column: once a row).
                    if cell.kind == .text, !inline[c], cell.key < 0 || keyed[cell.key] < 0 {
                        if texts == hashCapacity {
                            let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: hashCapacity * 2)
                            grown.update(from: hashes, count: texts)
                            hashes.deallocate()
                            hashes = grown
                            hashCapacity *= 2
                        }
                        hashes[texts] = sst.prefetch(utf8: cell.bytes)
                        texts += 1
                    }
                    c += 1
                }
                var nextHash = 0
                digits.set(r + 1 + headerRows)
                let bold = rowStyle.isBold
                out.ascii("    <row r=\"")
                out.bytes(digits.bytes)
                if bold { out.ascii("\" s=\"1\" customFormat=\"1\">") } else { out.ascii("\">") }
                var next = 0  // the column a cell without reference is in
                c = -1
                while let cell = cells.next() {
                    c += 1
                    guard let id = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: bold) else { continue }
                    cellStart(c, next: &next, refs: cellRef, row: digits, into: &out)
                    if id != 0 { styleAttribute.write(id, to: &out) }
                    switch cell.kind {
                    case .empty:
                        break
                    case .text:
                        if inline[c] {
                            out.ascii(" t=\"inlineStr\"><is>")
                            out.ooxmlTextElement(cell.bytes)
                            out.ascii("</is></c>")
                        } else {
                            let index: Int
                            if cell.key >= 0, keyed[cell.key] >= 0 {
                                index = keyed[cell.key]
                                sst.countReference()
                            } else {
                                index = sst.index(utf8: cell.bytes, hash: hashes[nextHash])
                                nextHash += 1
                                if cell.key >= 0 { keyed[cell.key] = index }
                            }
                            out.ascii(" t=\"s\"><v>")
                            out.int(index)
                            out.ascii("</v></c>")
                        }
                    case .number:
                        out.ascii("><v>")
                        out.raw(cell.bytes)
                        out.ascii("</v></c>")
                    case .formula:
                        out.ascii("><f>")
                        if cell.bytes.first == UInt8(ascii: "=") {
                            // Rare (the builder writes none): the String path, which drops a leading `=`
                            // only when it is a character of its own.
                            out.escapedText(XLSXWriter.stripEquals(String(decoding: cell.bytes, as: UTF8.self)))
                        } else {
                            out.escapedText(cell.bytes)
                        }
                        out.ascii("</f>")
                        if let cached = cell.cached {
                            out.ascii("<v>")
                            out.raw(cached)
                            out.ascii("</v>")
                        }
                        out.ascii("</c>")
                    }
                }
                out.ascii("</row>\n")
            }
        }
    }

    /// `<c`, with the cell's reference only when it does not directly follow the previous cell written in
    /// its row (`next`: the column a cell without reference would be in).
    @inline(__always)
    private static func cellStart(_ c: Int, next: inout Int, refs: Pieces, row: Digits, into out: inout ByteOut) {
        if c == next {
            out.ascii("<c")
        } else {
            refs.write(c, to: &out)
            out.bytes(row.bytes)
            out.byte(UInt8(ascii: "\""))
        }
        next = c + 1
    }

    /// The rows of a text source, from each row's bytes: plain rows of plain text cells (what the loop
    /// above writes for `.text` and `.empty` cells in a `.normal` row, without a `Cell` or `String` each).
    private static func xlsxTexts(_ count: Int, _ texts: RowSource.TextProducer, columns: Int, inline: [Bool], headerRows: Int,
                                  cellRef: Pieces, sst: inout SharedStringsWriter, into out: inout ByteOut) {
        var row = TextRow(columns: columns)
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: max(columns, 1))
        // Keyed texts (see ``TextRow/set(_:key:_:)``): the end of each one's cell, ` t="s"><v>ID</v></c>`,
        // made once; a repeated text is then neither made, copied nor hashed again, only counted as a reference.
        let ids = KeyedTexts(columns: columns)
        var tails = ByteEntries()
        row.attach(ids)
        // The shared columns, so the loops below do not test each column's storage.
        let shared = inline.indices.filter { !inline[$0] }
        defer {
            row.close()
            ids.close()
            tails.close()
            hashes.deallocate()
        }
        var digits = Digits()
        for r in 0..<count {
            row.reset()
            texts(r, &row)
            // All of the row's table slots are asked for first, so their cache misses overlap.
            for c in shared {
                let b = row.bytes(c)
                if !b.isEmpty { hashes[c] = sst.prefetch(utf8: b) }
            }
            digits.set(r + 1 + headerRows)
            out.ascii("    <row r=\"")
            out.bytes(digits.bytes)
            out.ascii("\">")
            var next = 0  // the column a cell without reference is in
            for c in 0..<columns {
                let b = row.bytes(c)
                if b.isEmpty {
                    // Empty, or a keyed text whose cell end is known (only shared texts are kept).
                    let tail = row.cached(c)
                    guard tail >= 0 else { continue }
                    cellStart(c, next: &next, refs: cellRef, row: digits, into: &out)
                    sst.countReference()
                    tails.write(tail, to: &out)
                    continue
                }
                cellStart(c, next: &next, refs: cellRef, row: digits, into: &out)
                if inline[c] {
                    // What ``ByteOut/ooxmlTextElement(_:)`` writes, with the cell's constant parts joined.
                    let plain = XMLScan.isPlainOOXMLText(b)
                    if XMLEscape.needsPreserve(b, plain: plain) {
                        out.ascii(" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                    } else {
                        out.ascii(" t=\"inlineStr\"><is><t>")
                    }
                    if plain { out.raw(b) } else { out.string(XMLEscape.ooxmlText(String(decoding: b, as: UTF8.self))) }
                    out.ascii("</t></is></c>")
                } else {
                    let id = sst.index(utf8: b, hash: hashes[c])
                    let key = row.key(c)
                    if key >= 0 { ids.store(c, key, tails.add(Array(" t=\"s\"><v>\(id)</v></c>".utf8))) }
                    out.ascii(" t=\"s\"><v>")
                    out.int(id)
                    out.ascii("</v></c>")
                }
            }
            out.ascii("</row>\n")
        }
    }

    // MARK: - Excel 2003 XML

    /// `<Row>` elements of one sheet, header first.
    /// Opens column `c`'s `<Cell`: its `ss:Index` when a column was skipped since the last written one
    /// (`previous`, 1-based), then its style unless the default.
    @inline(__always)
    private static func cellOpen(_ c: Int, previous: inout Int, style id: Int, _ styleAttribute: Pieces, into out: inout ByteOut) {
        out.ascii("<Cell")
        if c != previous {
            out.ascii(" ss:Index=\"")
            out.int(c + 1)
            out.byte(UInt8(ascii: "\""))
        }
        previous = c + 1
        if id != 0 { styleAttribute.write(id, to: &out) }
    }

    static func flat(_ ps: PreparedSheet, styles: inout StyleTable, into out: inout ByteOut) {
        let sheet = ps.sheet
        // ` ss:StyleID="sN"` per style (none for the plain style 0).
        let styleAttribute = Pieces(styles.keys.indices.map { $0 == 0 ? [] : Array(" ss:StyleID=\"\(FlatXMLWriter.styleId($0))\"".utf8) })
        defer { styleAttribute.close() }
        let bold = StyleTable.boldId
        let formats = sheet.columns.map(\.format)

        if ps.headerRows > 0 {
            out.ascii("   <Row")
            styleAttribute.write(bold, to: &out)
            out.ascii(">")
            for column in sheet.columns {
                out.ascii("<Cell")
                styleAttribute.write(bold, to: &out)
                out.ascii("><Data ss:Type=\"String\">")
                out.escapedText(column.header)
                out.ascii("</Data></Cell>")
            }
            out.ascii("</Row>\n")
        }
        if case .source(let source) = sheet.storage, let texts = source.texts {
            flatTexts(source.count, texts, columns: ps.columnCount, into: &out)
            return
        }
        if case .source(let source) = sheet.storage, let packed = source.packed {
            flatPacked(packed, formats: formats, headerRows: ps.headerRows, styleAttribute: styleAttribute, styles: &styles,
                       into: &out)
            return
        }
        sheet.forEachRow { r, cells, rowStyle in
            let isBold = rowStyle.isBold
            out.ascii("   <Row")
            if isBold { styleAttribute.write(bold, to: &out) }
            out.ascii(">")
            var previous = 0  // last written column, 1-based
            for (c, cell) in cells.enumerated() {
                guard let id = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: isBold) else { continue }
                cellOpen(c, previous: &previous, style: id, styleAttribute, into: &out)
                switch cell {
                case .empty:
                    break
                case .text(let t):
                    out.ascii("><Data ss:Type=\"String\">")
                    out.escapedText(t)
                    out.ascii("</Data></Cell>")
                case .number(let v, _):
                    out.ascii("><Data ss:Type=\"Number\">")
                    out.string(v)
                    out.ascii("</Data></Cell>")
                case .formula(let f, let cached, _):
                    let rowNumber = r + 1 + ps.headerRows
                    let r1c1 = "=" + FormulaReferences.r1c1(XLSXWriter.stripEquals(f), row: rowNumber, column: c + 1)
                    out.ascii(" ss:Formula=\"")
                    out.string(XMLEscape.attribute(r1c1))
                    out.ascii("\">")
                    if let cached {
                        out.ascii("<Data ss:Type=\"Number\">")
                        out.string(cached)
                        out.ascii("</Data>")
                    }
                    out.ascii("</Cell>")
                }
            }
            out.ascii("</Row>\n")
        }
    }

    /// The rows of packed rows, from their bytes: what the loop above writes for the same cells, without a
    /// `Cell` or a `String` each (formulas turned into R1C1 on bytes, see ``FormulaReferences/r1c1(_:row:column:into:)``).
    private static func flatPacked(_ packed: PackedRows, formats: [NumberFormat], headerRows: Int, styleAttribute: Pieces,
                                   styles: inout StyleTable, into out: inout ByteOut) {
        let bold = StyleTable.boldId
        var formula: [UInt8] = []
        formula.reserveCapacity(256)
        for r in 0..<packed.count {
            packed.withRow(r) { rowStyle, cells in
                let isBold = rowStyle.isBold
                out.ascii("   <Row")
                if isBold { styleAttribute.write(bold, to: &out) }
                out.ascii(">")
                var previous = 0  // last written column, 1-based
                var c = -1
                while let cell = cells.next() {
                    c += 1
                    guard let id = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: isBold) else { continue }
                    cellOpen(c, previous: &previous, style: id, styleAttribute, into: &out)
                    switch cell.kind {
                    case .empty:
                        break
                    case .text:
                        out.ascii("><Data ss:Type=\"String\">")
                        out.escapedText(cell.bytes)
                        out.ascii("</Data></Cell>")
                    case .number:
                        out.ascii("><Data ss:Type=\"Number\">")
                        out.raw(cell.bytes)
                        out.ascii("</Data></Cell>")
                    case .formula:
                        out.ascii(" ss:Formula=\"")
                        let rowNumber = r + 1 + headerRows
                        formula.removeAll(keepingCapacity: true)
                        formula.append(UInt8(ascii: "="))
                        if cell.bytes.first != UInt8(ascii: "="),
                           FormulaReferences.r1c1(cell.bytes, row: rowNumber, column: c + 1, into: &formula) {
                            formula.withUnsafeBufferPointer { out.escapedAttribute($0) }
                        } else {
                            let f = String(decoding: cell.bytes, as: UTF8.self)
                            let r1c1 = "=" + FormulaReferences.r1c1(XLSXWriter.stripEquals(f), row: rowNumber, column: c + 1)
                            out.string(XMLEscape.attribute(r1c1))
                        }
                        out.ascii("\">")
                        if let cached = cell.cached {
                            out.ascii("<Data ss:Type=\"Number\">")
                            out.raw(cached)
                            out.ascii("</Data>")
                        }
                        out.ascii("</Cell>")
                    }
                }
                out.ascii("</Row>\n")
            }
        }
    }

    /// The rows of a text source, from each row's bytes: what the loop above writes for `.text` and
    /// `.empty` cells in a `.normal` row (text escaped as ``ByteOut/escapedText(_:)`` does).
    private static func flatTexts(_ count: Int, _ texts: RowSource.TextProducer, columns: Int, into out: inout ByteOut) {
        var row = TextRow(columns: columns)
        // Keyed texts (see ``TextRow/set(_:key:_:)``) escaped once each, with the cell's end.
        let known = KeyedTexts(columns: columns)
        row.attach(known)
        var tails = ByteEntries()
        defer {
            row.close()
            known.close()
            tails.close()
        }
        for r in 0..<count {
            row.reset()
            texts(r, &row)
            out.ascii("   <Row>")
            var previous = 0  // last written column, 1-based
            for c in 0..<columns {
                let b = row.bytes(c)
                let tail = row.cached(c)
                if b.isEmpty && tail < 0 { continue }
                if c != previous {
                    out.ascii("<Cell ss:Index=\"")
                    out.int(c + 1)
                    out.ascii("\"><Data ss:Type=\"String\">")
                } else {
                    out.ascii("<Cell><Data ss:Type=\"String\">")
                }
                previous = c + 1
                if tail >= 0 {
                    tails.write(tail, to: &out)
                    continue
                }
                let key = row.key(c)
                if key >= 0 {
                    // A keyed text met the first time: escaped as below, kept with the cell's end.
                    var made: [UInt8] = []
                    if XMLScan.isPlainText(b) {
                        made.append(contentsOf: b)
                    } else {
                        made.append(contentsOf: XMLEscape.text(String(decoding: b, as: UTF8.self)).utf8)
                    }
                    made.append(contentsOf: "</Data></Cell>".utf8)
                    let entry = tails.add(made)
                    known.store(c, key, entry)
                    tails.write(entry, to: &out)
                    continue
                }
                if XMLScan.isPlainText(b) {
                    out.raw(b)
                } else {
                    out.string(XMLEscape.text(String(decoding: b, as: UTF8.self)))
                }
                out.ascii("</Data></Cell>")
            }
            out.ascii("</Row>\n")
        }
    }

    /// Byte strings made once and written many times (a keyed text's cell end), numbered in order, in one
    /// block: writing one is a copy, without an `Array` retained per cell. Freed by `close()`.
    struct ByteEntries {
        private var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
        private var capacity = 4096
        /// Entry k is `base[ends[k]..<ends[k + 1]]`.
        private var ends: [Int] = [0]

        /// Keeps `bytes`, returning their number.
        mutating func add(_ bytes: [UInt8]) -> Int32 {
            let used = ends[ends.count - 1]
            if capacity - used < bytes.count {
                var size = capacity * 2
                while size - used < bytes.count { size *= 2 }
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
                grown.update(from: base, count: used)
                base.deallocate()
                base = grown
                capacity = size
            }
            bytes.withUnsafeBufferPointer { (base + used).update(from: $0.baseAddress!, count: bytes.count) }
            ends.append(used + bytes.count)
            return Int32(ends.count - 2)
        }

        @inline(__always)
        func write(_ k: Int32, to out: inout ByteOut) {
            let start = ends[Int(k)]
            out.raw(base + start, ends[Int(k) + 1] - start)
        }

        func close() {
            base.deallocate()
        }
    }
}
