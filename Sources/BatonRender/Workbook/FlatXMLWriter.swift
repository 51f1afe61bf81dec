import BatonCore
import Mustache

/// Renders a ``Workbook`` as one Excel 2003 XML Spreadsheet (SpreadsheetML 2003) file from the
/// single template `xml/scorecards.xml.mustache`.
///
/// Text is always `ss:Type="String"` (never evaluated, whatever it starts with); formulas are
/// written as `ss:Formula` in R1C1 notation (the only notation the format defines) with the
/// cached value as `<Data ss:Type="Number">`.
public enum FlatXMLWriter {
    /// Template name inside the ``TemplateSet``.
    public static let templateName = "xml/scorecards.xml"

    /// Renders the document (UTF-8) into memory: the same code as ``render(_:templates:to:)``.
    /// - Throws: ``TemplateError``, ``RenderError``.
    public static func render(_ wb: Workbook, templates: TemplateSet) throws -> [UInt8] {
        let sink = MemorySink()
        _ = try render(wb, templates: templates, to: sink)
        return sink.bytes
    }

    /// Renders the document into `sink` as it is produced (in ~1 MB chunks); returns the bytes written.
    /// Nothing is written when the workbook or the templates are refused.
    public static func render(_ wb: Workbook, templates: TemplateSet, to sink: ByteSink) throws -> Int {
        try render(LaidOutWorkbook(wb), templates: templates, to: sink)
    }

    /// ``render(_:templates:to:)`` of a workbook already laid out (shared with the other writers).
    public static func render(_ laidOut: LaidOutWorkbook, templates: TemplateSet, to sink: ByteSink) throws -> Int {
        let prepared = laidOut.prepared
        let outer = try templates.split(templateName, section: "sheets")
        let inner = try outer.splitBody(section: "rows")
        let native = NativeRows.allowed(inner, NativeRows.flatRowsBody)

        let p = prepared.properties
        let styleList: [[String: Any]] = prepared.styles.keys.enumerated().dropFirst().map { i, k in
            var s: [String: Any] = ["id": styleId(i), "bold": k.bold]
            if !k.isGeneral { s["format"] = XMLEscape.attribute(k.code) }
            return s
        }
        let top: [String: Any] = [
            "title": XMLEscape.text(p.title),
            "subject": XMLEscape.text(p.subject),
            "creator": XMLEscape.text(p.creator),
            "created": XMLEscape.text(p.created),
            "styles": styleList,
            "sheets": !prepared.sheets.isEmpty,
        ]

        var styles = prepared.styles
        var out = ByteOut(sink: sink)
        defer { out.close() }
        var bytes: [UInt8] = []
        outer.renderHead(top, into: &bytes)
        out.bytes(bytes)
        for ps in prepared.sheets {
            let model = Scope(top: sheetModel(ps, styles: prepared.styles), parent: top)
            bytes.removeAll(keepingCapacity: true)
            inner.renderHead(model, into: &bytes)
            out.bytes(bytes)
            if native {
                NativeRows.flat(ps, styles: &styles, into: &out)
            } else {
                renderRows(ps, styles: &styles, template: inner, scope: model, into: &out)
            }
            bytes.removeAll(keepingCapacity: true)
            inner.renderTail(model, into: &bytes)
            out.bytes(bytes)
        }
        bytes.removeAll(keepingCapacity: true)
        outer.renderTail(top, into: &bytes)
        out.bytes(bytes)
        out.flush()
        return out.count
    }

    static func styleId(_ index: Int) -> String { "s\(index)" }

    static func sheetModel(_ ps: PreparedSheet, styles: StyleTable) -> [String: Any] {
        let columns: [[String: Any]] = ps.sheet.columns.map { c in
            // ss:Width is in points: a character of the default font is 7 px plus 5 px padding; 1 px = 0.75 pt.
            var col: [String: Any] = ["width": formatWidth((c.width * 7 + 5) * 0.75)]
            if c.format != .general { col["colStyle"] = styleId(styles.existingId(StyleKey(c.format, bold: false))) }
            return col
        }
        var model: [String: Any] = [
            "name": XMLEscape.attribute(ps.name),
            "columnCount": ps.columnCount,
            "rowCount": ps.rowCount,
            "columns": columns,
            "freezeHeader": ps.hasFreeze,
            "tabSelected": ps.index == 0,
            "rows": ps.rowCount > 0,
        ]
        if ps.hasAutoFilter {
            let range = "R1C1:R\(ps.rowCount)C\(ps.columnCount)"
            model["autoFilter"] = [
                "range": range,
                "refersTo": XMLEscape.attribute("=" + SheetName.quotedForFormula(ps.name) + "!" + range),
            ] as [String: Any]
        }
        return model
    }

    struct RowModel: ShapedModel {
        let rowStyle: String?
        let isHeader: Bool
        let cells: [CellModel]

        func child(named name: String) -> Any? {
            switch name {
            case "rowStyle": return rowStyle
            case "isHeader": return isHeader
            case "cells": return cells
            default: return nil
            }
        }

        func appendShape(to shape: inout [UInt8]) {
            shape.append((rowStyle == nil ? 0 : 1) | (isHeader ? 2 : 0))
            shape.appendCount(cells.count)
            for c in cells { c.appendShape(to: &shape) }
        }

        func appendValues(to values: inout [String]) {
            if let rowStyle { values.append(rowStyle) }
            for c in cells { c.appendValues(to: &values) }
        }

        func withSentinels(_ next: inout Int) -> RowModel {
            let rowStyle = self.rowStyle.map { _ in sentinel(&next) }
            var cells: [CellModel] = []
            for c in self.cells { cells.append(c.withSentinels(&next)) }
            return RowModel(rowStyle: rowStyle, isHeader: isHeader, cells: cells)
        }
    }

    struct CellModel: ShapedModel {
        /// 1-based column, only when cells were skipped before this one.
        let index: String?
        let style: String?
        let formula: String?
        /// "String" or "Number"; nil when there is no data (formula without cached value).
        let type: String?
        let value: String?

        func child(named name: String) -> Any? {
            switch name {
            case "index": return index
            case "style": return style
            case "formula": return formula
            case "hasData": return type != nil
            case "type": return type
            case "value": return value
            default: return nil
            }
        }

        private var optionals: [String?] { [index, style, formula, type, value] }

        func appendShape(to shape: inout [UInt8]) {
            var b: UInt8 = 0
            for (i, v) in optionals.enumerated() where v != nil { b |= 1 << i }
            shape.append(b)
        }

        func appendValues(to values: inout [String]) {
            for v in optionals { if let v { values.append(v) } }
        }

        func withSentinels(_ next: inout Int) -> CellModel {
            let index = self.index.map { _ in sentinel(&next) }
            let style = self.style.map { _ in sentinel(&next) }
            let formula = self.formula.map { _ in sentinel(&next) }
            let type = self.type.map { _ in sentinel(&next) }
            let value = self.value.map { _ in sentinel(&next) }
            return CellModel(index: index, style: style, formula: formula, type: type, value: value)
        }
    }

    /// Rows through the template engine (an edited rows section), one view model per row.
    static func renderRows(_ ps: PreparedSheet, styles: inout StyleTable, template: SplitTemplate, scope: Scope, into out: inout ByteOut) {
        let sheet = ps.sheet
        var renderer = SectionRenderer(template: template, parent: scope)
        let bold = styleId(StyleTable.boldId)
        let formats = sheet.columns.map(\.format)
        var bytes: [UInt8] = []
        func emit(_ row: RowModel) {
            bytes.removeAll(keepingCapacity: true)
            renderer.render(row, into: &bytes)
            out.bytes(bytes)
        }
        if ps.headerRows > 0 {
            let cells = sheet.columns.map { c in
                CellModel(index: nil, style: bold, formula: nil, type: "String", value: XMLEscape.text(c.header))
            }
            emit(RowModel(rowStyle: bold, isHeader: true, cells: cells))
        }
        var cells: [CellModel] = []
        sheet.forEachRow { r, rowCells, rowStyle in
            let rowNumber = r + 1 + ps.headerRows
            cells.removeAll(keepingCapacity: true)
            var previous = 0  // last written column, 1-based
            for (c, cell) in rowCells.enumerated() {
                guard let id = styles.id(for: cell, columnFormat: c < formats.count ? formats[c] : .general, bold: rowStyle.isBold) else { continue }
                let style = id == 0 ? nil : styleId(id)
                let index = c == previous ? nil : String(c + 1)
                previous = c + 1
                switch cell {
                case .empty:
                    continue
                case .text(let t):
                    cells.append(CellModel(index: index, style: style, formula: nil, type: "String", value: XMLEscape.text(t)))
                case .number(let v, _):
                    cells.append(CellModel(index: index, style: style, formula: nil, type: "Number", value: v))
                case .formula(let f, let cached, _):
                    let r1c1 = "=" + FormulaReferences.r1c1(XLSXWriter.stripEquals(f), row: rowNumber, column: c + 1)
                    cells.append(CellModel(index: index, style: style, formula: XMLEscape.attribute(r1c1),
                                           type: cached == nil ? nil : "Number", value: cached))
                }
            }
            emit(RowModel(rowStyle: rowStyle.isBold ? bold : nil, isHeader: false, cells: cells))
        }
    }
}
