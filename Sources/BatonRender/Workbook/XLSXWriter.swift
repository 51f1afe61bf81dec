import BatonCore
import Foundation
import Mustache

/// Renders a ``Workbook`` as an Office Open XML `.xlsx` package, streamed: each part is deflated while
/// it is rendered and written to the sink as it comes, so neither the package nor a sheet's XML is ever
/// whole in memory.
///
/// Every XML part comes from a Mustache template of the ``TemplateSet`` (`xlsx/…`). The rows of a sheet
/// and the entries of the shared-string table are written straight from the workbook as bytes when their
/// template section is the shipped one (``NativeRows``); an edited section is rendered through the
/// template engine, row by row. The output is a pure function of the workbook and the templates: no clock,
/// no temp files, fixed entry order (`[Content_Types].xml` first, the shared strings last, since they are
/// complete only once every sheet is written), fixed timestamps (1980-01-01 00:00) and fixed deflate
/// settings, so equal input gives byte-identical files.
public enum XLSXWriter {
    /// The small parts, rendered whole from their templates, in archive order.
    static let smallParts = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
                             "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/theme/theme1.xml", "xl/styles.xml"]

    /// Renders the package into memory (tests, small workbooks): the same code as ``render(_:templates:to:)``.
    /// - Throws: ``TemplateError`` (missing or malformed template), ``RenderError`` (invalid input),
    ///   ``ZipLimitError`` (a part over 4 GB).
    public static func render(_ wb: Workbook, templates: TemplateSet) throws -> [UInt8] {
        let sink = MemorySink()
        _ = try render(wb, templates: templates, to: sink)
        return sink.bytes
    }

    /// Renders the package into `sink` as it is produced; returns the number of bytes written.
    /// Nothing is written when the workbook or the templates are refused.
    public static func render(_ wb: Workbook, templates: TemplateSet, to sink: ByteSink) throws -> Int {
        try render(LaidOutWorkbook(wb), templates: templates, to: sink)
    }

    /// ``render(_:templates:to:)`` of a workbook already laid out (shared with the other writers).
    public static func render(_ laidOut: LaidOutWorkbook, templates: TemplateSet, to sink: ByteSink) throws -> Int {
        let prepared = laidOut.prepared
        let sheetTemplate = try templates.split("xlsx/xl/worksheets/sheet.xml", section: "rows")
        let sstTemplate = try templates.split("xlsx/xl/sharedStrings.xml", section: "strings")
        let model = workbookModel(prepared)
        var small: [(String, [UInt8])] = []
        for path in smallParts {
            var bytes: [UInt8] = []
            try templates.render("xlsx/" + path, model, into: &bytes)
            small.append((path, bytes))
        }

        let zip = ZipWriter(sink: sink)
        for (path, bytes) in small { try zip.add(path, bytes) }

        var styles = prepared.styles
        // Columns of inline texts, per sheet: none when the rows section does not know inline strings
        // (a user's older copy), which then gets every text as a shared string.
        let inlineAllowed = sheetTemplate.bodySource.contains("isInline")
        let inline = prepared.sheets.map { ps in
            (0..<ps.columnCount).map { c in inlineAllowed && c < ps.sheet.columns.count && ps.sheet.columns[c].texts == .inline }
        }
        // Distinct texts: a guess (one in 64 cells of shared columns) that sizes the table once for a lead
        // list, whose mostly distinct texts are inline: the shared ones repeat. Too big a table costs more
        // in cache misses and memory than growing it does.
        let expected = prepared.sheets.reduce(0) { sum, ps in
            sum + ps.rowCount * max(1, inline[ps.index].filter { !$0 }.count)
        } / 64
        var sst = SharedStringsWriter(template: sstTemplate, expected: expected)
        let nativeRows = NativeRows.allowed(sheetTemplate, NativeRows.xlsxRowsBody)
        for ps in prepared.sheets {
            let entry = zip.begin("xl/worksheets/sheet\(ps.index + 1).xml")
            var out = ByteOut(sink: entry)
            renderSheet(ps, inline: inline[ps.index], styles: &styles, sst: &sst, template: sheetTemplate, native: nativeRows,
                        into: &out)
            out.close()
            try zip.end()
        }
        let strings = sst.finish()
        try zip.add("xl/sharedStrings.xml", crc: strings.crc, uncompressed: strings.size, deflated: strings.deflated)
        try zip.finish()
        return zip.bytesWritten
    }

    // MARK: - Workbook-level view model

    /// One dictionary serves every small part; the template picks what it needs.
    static func workbookModel(_ wb: PreparedWorkbook) -> [String: Any] {
        let p = wb.properties
        let n = wb.sheets.count
        let sheets: [[String: Any]] = wb.sheets.map { s in
            [
                "name": XMLEscape.attribute(s.name),
                "sheetId": s.index + 1,
                "rId": "rId\(s.index + 1)",
                "partName": "sheet\(s.index + 1).xml",
                "isFirst": s.index == 0,
            ]
        }
        let definedNames: [[String: Any]] = wb.sheets.filter(\.hasAutoFilter).map { s in
            let range = "$A$1:$" + FormulaReferences.columnLetters(s.columnCount) + "$" + String(s.rowCount)
            return [
                "name": "_xlnm._FilterDatabase",
                "localSheetId": s.index,
                "hidden": true,
                "refersTo": XMLEscape.text(SheetName.quotedForFormula(s.name) + "!" + range),
            ]
        }
        let numFmts: [[String: Any]] = wb.styles.formats.enumerated().map { i, f in
            ["id": 164 + i, "code": XMLEscape.attribute(f)]
        }
        let cellXfs: [[String: Any]] = wb.styles.keys.map { k in
            let fmt = wb.styles.formatIndex(k).map { 164 + $0 } ?? 0
            return [
                "numFmtId": fmt,
                "fontId": k.bold ? 1 : 0,
                "applyNumberFormat": fmt != 0,
                "applyFont": k.bold,
            ]
        }
        return [
            "title": XMLEscape.text(p.title),
            "subject": XMLEscape.text(p.subject),
            "creator": XMLEscape.text(p.creator),
            "created": XMLEscape.text(p.created),
            "sheets": sheets,
            "sheetCount": n,
            "definedNames": definedNames,
            "hasDefinedNames": !definedNames.isEmpty,
            "stylesRId": "rId\(n + 1)",
            "sharedStringsRId": "rId\(n + 2)",
            "themeRId": "rId\(n + 3)",
            "numFmts": numFmts,
            "numFmtCount": numFmts.count,
            "hasNumFmts": !numFmts.isEmpty,
            "cellXfs": cellXfs,
            "cellXfCount": cellXfs.count,
        ]
    }

    // MARK: - Worksheets

    struct SheetModel: MustacheParent {
        let sheet: PreparedSheet
        let cols: [[String: Any]]

        func child(named name: String) -> Any? {
            switch name {
            case "name": return XMLEscape.attribute(sheet.name)
            case "dimension": return sheet.dimension
            case "tabSelected": return sheet.index == 0
            case "freezeHeader": return sheet.hasFreeze
            case "hasCols": return !cols.isEmpty
            case "cols": return cols
            case "autoFilter": return sheet.hasAutoFilter ? sheet.dimension : nil
            case "rows": return sheet.rowCount > 0
            default: return nil
            }
        }
    }

    struct RowModel: ShapedModel {
        let r: String
        let style: String?
        let isHeader: Bool
        let cells: [CellModel]

        func child(named name: String) -> Any? {
            switch name {
            case "r": return r
            case "rowStyle": return style
            case "isHeader": return isHeader
            case "cells": return cells
            default: return nil
            }
        }

        func appendShape(to shape: inout [UInt8]) {
            shape.append((style == nil ? 0 : 1) | (isHeader ? 2 : 0))
            shape.appendCount(cells.count)
            for c in cells { c.appendShape(to: &shape) }
        }

        func appendValues(to values: inout [String]) {
            values.append(r)
            if let style { values.append(style) }
            for c in cells { c.appendValues(to: &values) }
        }

        func withSentinels(_ next: inout Int) -> RowModel {
            let r = sentinel(&next)
            let style = self.style.map { _ in sentinel(&next) }
            var cells: [CellModel] = []
            for c in self.cells { cells.append(c.withSentinels(&next)) }
            return RowModel(r: r, style: style, isHeader: isHeader, cells: cells)
        }
    }

    struct CellModel: ShapedModel {
        enum Kind {
            case string(String)
            /// An inline string: its text escaped, and whether it needs `xml:space="preserve"`.
            case inline(String, preserve: Bool)
            case number(String)
            case formula(String, cached: String?)
        }
        /// Always the cell's reference (an older template prints it on every cell).
        let ref: String
        /// Whether a reader needs `ref` to place the cell (it does not follow the previous one directly).
        let needsRef: Bool
        let style: String?
        let kind: Kind

        func child(named name: String) -> Any? {
            switch (name, kind) {
            case ("ref", _): return ref
            case ("needsRef", _): return needsRef
            case ("style", _): return style
            case ("isString", .string): return true
            case ("isInline", .inline): return true
            case ("isNumber", .number): return true
            case ("isFormula", .formula): return true
            case ("isString", _), ("isInline", _), ("isNumber", _), ("isFormula", _): return false
            case ("stringIndex", .string(let i)): return i
            case ("text", .inline(let t, _)): return t
            case ("preserve", .inline(_, let p)): return p
            case ("number", .number(let v)): return v
            case ("formula", .formula(let f, _)): return f
            case ("cached", .formula(_, let c)): return c
            default: return nil
            }
        }

        func appendShape(to shape: inout [UInt8]) {
            var b: UInt8 = style == nil ? 0 : 1
            if needsRef { b |= 32 }
            switch kind {
            case .string: b |= 2
            case .inline(_, let preserve): b |= preserve ? 128 : 64
            case .number: b |= 4
            case .formula(_, let cached): b |= cached == nil ? 8 : 16
            }
            shape.append(b)
        }

        func appendValues(to values: inout [String]) {
            values.append(ref)
            if let style { values.append(style) }
            switch kind {
            case .string(let v), .number(let v), .inline(let v, _): values.append(v)
            case .formula(let f, let cached):
                values.append(f)
                if let cached { values.append(cached) }
            }
        }

        func withSentinels(_ next: inout Int) -> CellModel {
            let ref = sentinel(&next)
            let style = self.style.map { _ in sentinel(&next) }
            let kind: Kind
            switch self.kind {
            case .string: kind = .string(sentinel(&next))
            case .inline(_, let preserve): kind = .inline(sentinel(&next), preserve: preserve)
            case .number: kind = .number(sentinel(&next))
            case .formula(_, let cached):
                let f = sentinel(&next)
                kind = .formula(f, cached: cached.map { _ in sentinel(&next) })
            }
            return CellModel(ref: ref, needsRef: needsRef, style: style, kind: kind)
        }
    }

    /// One worksheet part. `inline[c]`: column `c`'s texts are inline strings (one entry per column).
    static func renderSheet(_ ps: PreparedSheet, inline: [Bool], styles: inout StyleTable, sst: inout SharedStringsWriter,
                            template: SplitTemplate, native: Bool, into out: inout ByteOut) {
        let sheet = ps.sheet
        var cols: [[String: Any]] = []
        for (i, c) in sheet.columns.enumerated() {
            var col: [String: Any] = ["min": i + 1, "max": i + 1, "width": formatWidth(min(c.width, 255))]  // Excel's maximum column width
            if c.format != .general { col["colStyle"] = styles.existingId(StyleKey(c.format, bold: false)) }
            cols.append(col)
        }
        let model = SheetModel(sheet: ps, cols: cols)
        var head: [UInt8] = []
        template.renderHead(model, into: &head)
        out.bytes(head)
        if native {
            NativeRows.xlsx(ps, inline: inline, styles: &styles, sst: &sst, into: &out)
        } else {
            engineRows(ps, inline: inline, styles: &styles, sst: &sst, template: template, model: model, into: &out)
        }
        var tail: [UInt8] = []
        template.renderTail(model, into: &tail)
        out.bytes(tail)
    }

    /// Rows through the template engine (an edited rows section), one view model per row.
    static func engineRows(_ ps: PreparedSheet, inline: [Bool], styles: inout StyleTable, sst: inout SharedStringsWriter,
                           template: SplitTemplate, model: SheetModel, into out: inout ByteOut) {
        let sheet = ps.sheet
        let letters = (0..<ps.columnCount).map { FormulaReferences.columnLetters($0 + 1) }
        var rows = SectionRenderer(template: template, parent: model)
        let styleText = styles.keys.indices.map { String($0) }
        let boldId = StyleTable.boldId
        let formats = sheet.columns.map(\.format)
        var bytes: [UInt8] = []
        func emit(_ row: RowModel) {
            bytes.removeAll(keepingCapacity: true)
            rows.render(row, into: &bytes)
            out.bytes(bytes)
        }
        if ps.headerRows > 0 {
            let cells = sheet.columns.enumerated().map { i, c in
                CellModel(ref: letters[i] + "1", needsRef: false, style: styleText[boldId],
                          kind: .string(String(sst.index(of: c.header))))
            }
            emit(RowModel(r: "1", style: styleText[boldId], isHeader: true, cells: cells))
        }
        var cells: [CellModel] = []
        sheet.forEachRow { r, rowCells, rowStyle in
            let rowNumber = r + 1 + ps.headerRows
            let rowText = String(rowNumber)
            let bold = rowStyle.isBold
            cells.removeAll(keepingCapacity: true)
            var next = 0  // the column a cell without reference is in
            for (c, cell) in rowCells.enumerated() {
                guard let id = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: bold) else { continue }
                let style: String? = id == 0 ? nil : styleText[id]
                let ref = letters[c] + rowText
                let needsRef = c != next
                next = c + 1
                let kind: CellModel.Kind
                switch cell {
                case .empty: continue
                case .text(let t):
                    kind = inline[c] ? .inline(XMLEscape.ooxmlText(t), preserve: XMLEscape.needsPreserve(t)) : .string(String(sst.index(of: t)))
                case .number(let v, _): kind = .number(v)
                case .formula(let f, let cached, _): kind = .formula(XMLEscape.text(stripEquals(f)), cached: cached)
                }
                cells.append(CellModel(ref: ref, needsRef: needsRef, style: style, kind: kind))
            }
            let rowStyleText: String? = bold ? styleText[boldId] : nil
            emit(RowModel(r: rowText, style: rowStyleText, isHeader: false, cells: cells))
        }
    }

    static func stripEquals(_ f: String) -> String { f.hasPrefix("=") ? String(f.dropFirst()) : f }
}

/// The shared strings part, written while the sheets are: each new text's entry goes at once into a deflate
/// stream kept in memory (compressed: a few MB for a million leads; deflated on worker threads, see
/// ``ChunkedDeflater``). The part's head, which holds the counts, is known only at the end: it is deflated
/// on its own and put in front (two deflate streams back to back, the first ended on a byte boundary, are
/// one valid stream).
struct SharedStringsWriter {
    private var table: SharedStringTable
    private let template: SplitTemplate
    /// The entries' compressed stream, when the `strings` section is the shipped one.
    private let native: Bool
    private let bodySink = MemorySink()
    private let bodyDeflater: ChunkedDeflater
    private var body: ByteOut
    /// The escaped texts and whether each needs `xml:space="preserve"`, for an edited section (rendered
    /// through the engine at the end).
    private var texts: [TextItem] = []

    init(template: SplitTemplate, expected: Int) {
        self.template = template
        table = SharedStringTable(expected: min(expected, 1 << 21))
        native = NativeRows.allowed(template, NativeRows.sharedStringBody)
        bodyDeflater = ChunkedDeflater(output: bodySink)
        body = ByteOut(sink: bodyDeflater, capacity: 1 << 18)
    }

    /// The id of `text` in the table.
    @inline(__always)
    mutating func index(of text: String) -> Int {
        index(of: text, hash: SharedStringTable.hash(of: text))
    }

    /// See ``SharedStringTable/prefetch(_:)``.
    @inline(__always)
    mutating func prefetch(_ text: String) -> UInt64 { table.prefetch(text) }

    /// The id of `text`, whose hash ``prefetch(_:)`` gave.
    @inline(__always)
    mutating func index(of text: String, hash: UInt64) -> Int {
        // One pass to the bytes for the lookup and, for a new text, its entry.
        withUTF8Bytes(text) { utf8 in
            let (id, isNew) = table.index(of: text, utf8: utf8, hash: hash)
            if isNew { entry(utf8) }
            return id
        }
    }

    /// The id of a text given as its UTF-8 bytes, whose hash is `hash` (``SharedStringTable/hash(_:)``):
    /// the same id, and the same entry for a new text, as ``index(of:hash:)`` gives its `String`.
    @inline(__always)
    mutating func index(utf8: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let (id, isNew) = table.index(utf8: utf8, hash: hash)
        if isNew { entry(utf8) }
        return id
    }

    /// Counts one more reference to a text whose id the caller kept from ``index(utf8:hash:)``: its cell
    /// is written without a lookup.
    @inline(__always)
    mutating func countReference() { table.countReference() }

    /// A new text's entry (its UTF-8 bytes): written at once, or kept for the engine.
    @inline(__always)
    private mutating func entry(_ utf8: UnsafeBufferPointer<UInt8>) {
        if native {
            body.ascii("  <si>")
            body.ooxmlTextElement(utf8)
            body.ascii("</si>\n")
        } else {
            let text = String(decoding: utf8, as: UTF8.self)
            texts.append(TextItem(text: XMLEscape.ooxmlText(text), preserve: XMLEscape.needsPreserve(text)))
        }
    }

    /// Asks for the table slot of a text's bytes ahead, returning its hash (see ``prefetch(_:)``).
    @inline(__always)
    mutating func prefetch(utf8: UnsafeBufferPointer<UInt8>) -> UInt64 { table.prefetch(utf8: utf8) }

    /// The finished part: deflated pieces in order, CRC and uncompressed size.
    mutating func finish() -> (deflated: [[UInt8]], crc: UInt32, size: Int) {
        let scope: [String: Any] = ["count": table.references, "uniqueCount": table.uniqueCount, "strings": table.uniqueCount > 0]
        var head: [UInt8] = []
        template.renderHead(scope, into: &head)
        var tail: [UInt8] = []
        template.renderTail(scope, into: &tail)
        if !native {
            // An edited entry may use the counts, known only now: the entries are rendered at the end,
            // into the same stream the shipped entry is written to as it goes (same bytes for the same text).
            var items = SectionRenderer(template: template, parent: scope)
            var item: [UInt8] = []
            for text in texts {
                item.removeAll(keepingCapacity: true)
                items.render(text, into: &item)
                body.bytes(item)
            }
        }
        body.bytes(tail)
        body.close()
        bodyDeflater.finish()
        let headSink = MemorySink()
        let headDeflater = Deflater(output: headSink)
        headDeflater.write(head)
        headDeflater.syncFlush()
        let crc = CRC32.combine(headDeflater.crc, bodyDeflater.crc, lengthB: bodyDeflater.uncompressed)
        return ([headSink.bytes, bodySink.bytes], crc, headDeflater.uncompressed + bodyDeflater.uncompressed)
    }
}
