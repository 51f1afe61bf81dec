import Foundation
import Mustache
import ZIPFoundation

/// Renders a ``Workbook`` to the bytes of an Office Open XML `.xlsx` package.
///
/// Every XML part comes from a Mustache template of the ``TemplateSet`` (`xlsx/…`); this type
/// only prepares view models of already-escaped strings and numbers and zips the parts.
/// The output is a pure function of the workbook and the templates: no clock, no temp files,
/// fixed entry order (`[Content_Types].xml` first), fixed entry timestamps (1980-01-01 00:00)
/// and fixed deflate settings, so equal input gives byte-identical files.
public enum XLSXWriter {
    /// ZIP entry timestamp: the earliest date a ZIP (MS-DOS) header can hold.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01T00:00:00Z

    /// Renders the package.
    /// - Throws: ``TemplateError`` (missing or malformed template), ``RenderError`` (invalid input),
    ///   or an error from the ZIP library.
    public static func render(_ wb: Workbook, templates: TemplateSet) throws -> [UInt8] {
        try zip(parts(wb, templates: templates))
    }

    /// The package parts in archive order, uncompressed. Exposed to the module for tests.
    static func parts(_ wb: Workbook, templates: TemplateSet) throws -> [(path: String, bytes: [UInt8])] {
        let prepared = try PreparedWorkbook(wb)
        let sheetTemplate = try templates.split("xlsx/xl/worksheets/sheet.xml", section: "rows")
        let sstTemplate = try templates.split("xlsx/xl/sharedStrings.xml", section: "strings")

        var sst = SharedStrings()
        var sheetParts: [(String, [UInt8])] = []
        for sheet in prepared.sheets {
            let bytes = renderSheet(sheet, styles: prepared.styles, sst: &sst, template: sheetTemplate)
            sheetParts.append(("xl/worksheets/sheet\(sheet.index + 1).xml", bytes))
        }

        let model = workbookModel(prepared)
        func part(_ path: String) throws -> (String, [UInt8]) {
            var out: [UInt8] = []
            try templates.render("xlsx/" + path, model, into: &out)
            return (path, out)
        }

        var sstBytes: [UInt8] = []
        sstBytes.reserveCapacity(sst.byteEstimate)
        let sstScope: [String: Any] = ["count": sst.references, "uniqueCount": sst.strings.count, "strings": !sst.strings.isEmpty]
        sstTemplate.renderHead(sstScope, into: &sstBytes)
        var items = SectionRenderer(template: sstTemplate, parent: sstScope)
        for text in sst.strings {
            items.render(TextItem(text: text), into: &sstBytes)
        }
        sstTemplate.renderTail(sstScope, into: &sstBytes)

        var parts: [(path: String, bytes: [UInt8])] = []
        for path in ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
                     "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/theme/theme1.xml", "xl/styles.xml"] {
            let (p, b) = try part(path)
            parts.append((p, b))
        }
        parts.append(("xl/sharedStrings.xml", sstBytes))
        for (p, b) in sheetParts { parts.append((p, b)) }
        return parts
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
            case number(String)
            case formula(String, cached: String?)
        }
        let ref: String
        let style: String?
        let kind: Kind

        func child(named name: String) -> Any? {
            switch (name, kind) {
            case ("ref", _): return ref
            case ("style", _): return style
            case ("isString", .string): return true
            case ("isNumber", .number): return true
            case ("isFormula", .formula): return true
            case ("isString", _), ("isNumber", _), ("isFormula", _): return false
            case ("stringIndex", .string(let i)): return i
            case ("number", .number(let v)): return v
            case ("formula", .formula(let f, _)): return f
            case ("cached", .formula(_, let c)): return c
            default: return nil
            }
        }

        func appendShape(to shape: inout [UInt8]) {
            var b: UInt8 = style == nil ? 0 : 1
            switch kind {
            case .string: b |= 2
            case .number: b |= 4
            case .formula(_, let cached): b |= cached == nil ? 8 : 16
            }
            shape.append(b)
        }

        func appendValues(to values: inout [String]) {
            values.append(ref)
            if let style { values.append(style) }
            switch kind {
            case .string(let v), .number(let v): values.append(v)
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
            case .number: kind = .number(sentinel(&next))
            case .formula(_, let cached):
                let f = sentinel(&next)
                kind = .formula(f, cached: cached.map { _ in sentinel(&next) })
            }
            return CellModel(ref: ref, style: style, kind: kind)
        }
    }

    static func renderSheet(_ ps: PreparedSheet, styles: StyleTable, sst: inout SharedStrings, template: SplitTemplate) -> [UInt8] {
        let sheet = ps.sheet
        var cols: [[String: Any]] = []
        for (i, c) in sheet.columns.enumerated() {
            var col: [String: Any] = ["min": i + 1, "max": i + 1, "width": formatWidth(min(c.width, 255))]  // Excel's maximum column width
            if c.format != .general { col["colStyle"] = styles.existingId(StyleKey(c.format, bold: false)) }
            cols.append(col)
        }
        let model = SheetModel(sheet: ps, cols: cols)
        let letters = (0..<ps.columnCount).map { FormulaReferences.columnLetters($0 + 1) }

        var out: [UInt8] = []
        out.reserveCapacity(256 + ps.rowCount * (40 + ps.columnCount * 30))
        template.renderHead(model, into: &out)
        var rows = SectionRenderer(template: template, parent: model)
        let styleText = styles.keys.indices.map { String($0) }
        let boldId = styles.existingId(.bold)

        if ps.headerRows > 0 {
            let cells = sheet.columns.enumerated().map { i, c in
                CellModel(ref: letters[i] + "1", style: styleText[boldId], kind: .string(String(sst.index(of: c.header))))
            }
            rows.render(RowModel(r: "1", style: styleText[boldId], isHeader: true, cells: cells), into: &out)
        }
        var cells: [CellModel] = []
        for (r, row) in sheet.rows.enumerated() {
            let rowNumber = r + 1 + ps.headerRows
            let rowText = String(rowNumber)
            let bold = row.style.isBold
            cells.removeAll(keepingCapacity: true)
            for (c, cell) in row.cells.enumerated() {
                let column = c < sheet.columns.count ? sheet.columns[c] : nil
                guard let key = StyleTable.key(for: cell, column: column, bold: bold) else { continue }
                let id = styles.existingId(key)
                let style: String? = id == 0 ? nil : styleText[id]
                let ref = letters[c] + rowText
                switch cell {
                case .empty: continue
                case .text(let t): cells.append(CellModel(ref: ref, style: style, kind: .string(String(sst.index(of: t)))))
                case .number(let v, _): cells.append(CellModel(ref: ref, style: style, kind: .number(v)))
                case .formula(let f, let cached, _):
                    cells.append(CellModel(ref: ref, style: style, kind: .formula(XMLEscape.text(stripEquals(f)), cached: cached)))
                }
            }
            let rowStyle: String? = bold ? styleText[boldId] : nil
            rows.render(RowModel(r: rowText, style: rowStyle, isHeader: false, cells: cells), into: &out)
        }
        template.renderTail(model, into: &out)
        return out
    }

    static func stripEquals(_ f: String) -> String { f.hasPrefix("=") ? String(f.dropFirst()) : f }

    // MARK: - ZIP

    static func zip(_ parts: [(path: String, bytes: [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in parts {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count),
                modificationDate: entryDate, permissions: 0o644,
                compressionMethod: .deflate, bufferSize: 1 << 20,
                provider: { position, size in
                    let start = Int(position)
                    return bytes.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(rebasing: $0[start..<start + size])) }
                })
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return [UInt8](data)
    }
}

/// The shared-string table: each distinct text once, in order of first use, stored escaped.
struct SharedStrings {
    private(set) var strings: [String] = []
    private var ids: [String: Int] = [:]
    /// Number of string cells referring to the table (`count` attribute).
    private(set) var references = 0
    private(set) var byteEstimate = 64

    mutating func index(of text: String) -> Int {
        references += 1
        if let id = ids[text] { return id }
        let id = strings.count
        let escaped = XMLEscape.ooxmlText(text)
        strings.append(escaped)
        ids[text] = id
        byteEstimate += escaped.utf8.count + 40
        return id
    }
}
