import BatonIO
import Testing

/// Parses a CSV given as text (UTF-8).
private func parseCSV(_ text: String) throws -> CSVTable {
    try CSVReader.parse(Array(text.utf8))
}

/// The error CSVReader throws for `bytes`, or nil when it parses.
private func syntaxError(_ bytes: [UInt8]) -> CSVSyntaxError? {
    do {
        _ = try CSVReader.parse(bytes)
        return nil
    } catch {
        return error
    }
}

private func syntaxError(_ text: String) -> CSVSyntaxError? {
    syntaxError(Array(text.utf8))
}

private func allRows(_ table: CSVTable) -> [[String]] {
    (0..<table.rowCount).map { table.row($0).fields }
}

private let unclosedQuoteMessage =
    "a quoted field opened here is never closed; close it with \" or remove the stray quote"
private let textAfterQuoteMessage =
    "unexpected text after a closing quote; to put a quote inside a field, double it: \"\""
private let quoteInUnquotedFieldMessage =
    "a quote in the middle of a field that does not start with a quote; to put a quote inside a field, enclose the whole field in quotes and double it: \"\""
private let notUTF8Message = "not valid UTF-8; save the file as UTF-8"

@Suite("Reading dealer CSV exports")
struct CSVReaderTests {
    @Test("a dealer name with a comma stays one field when quoted")
    func quotedComma() throws {
        let table = try parseCSV("dealer,city\n\"Star Motors, Ltd.\",Beijing\n")
        #expect(table.header == ["dealer", "city"])
        #expect(table.rowCount == 1)
        #expect(table.row(0).fieldCount == 2)
        #expect(table.row(0).field(0) == "Star Motors, Ltd.")
        #expect(table.row(0).field(1) == "Beijing")
    }

    @Test("doubled quotes inside a quoted field become one quote")
    func doubledQuote() throws {
        let table = try parseCSV("note,x,y\n\"He said \"\"call me\"\"\",\"\"\"\"\"\",\"\"\n")
        let row = table.row(0)
        #expect(row.field(0) == "He said \"call me\"")
        #expect(row.field(1) == "\"\"")
        #expect(row.field(2) == "")
        #expect(row.withFieldBytes(1) { Array($0) } == [0x22, 0x22])
    }

    @Test("a line break inside quotes stays in the field and later records keep their real line numbers")
    func lineBreakInsideQuotes() throws {
        let table = try parseCSV("id,note,owner\n1,\"first\nsecond\nthird\",王建儒\n2,after,李娜\n")
        #expect(table.rowCount == 2)
        let first = table.row(0)
        #expect(first.line == 2)
        #expect(first.field(1) == "first\nsecond\nthird")
        #expect(first.fieldLine(0) == 2)
        #expect(first.fieldLine(1) == 2)
        #expect(first.fieldLine(2) == 4)
        let second = table.row(1)
        #expect(second.line == 5)
        #expect(second.fieldLine(1) == 5)
        #expect(second.fields == ["2", "after", "李娜"])
    }

    @Test("a CRLF inside quotes counts as one line and is kept in the value")
    func crlfInsideQuotes() throws {
        let table = try parseCSV("a,b\r\n\"x\r\ny\",z\r\nnext,row\r\n")
        #expect(table.row(0).field(0) == "x\r\ny")
        #expect(table.row(0).fieldLine(1) == 3)
        #expect(table.row(1).line == 4)
    }

    @Test("a UTF-8 byte-order mark is not part of the first header name")
    func byteOrderMark() throws {
        let table = try CSVReader.parse([0xEF, 0xBB, 0xBF] + Array("id,name\n7,王建儒\n".utf8))
        #expect(table.header == ["id", "name"])
        #expect(table.columnIndex("id") == 0)
        #expect(table.headerLine == 1)
        #expect(table.row(0).line == 2)
        #expect(table.row(0).field(1) == "王建儒")
    }

    @Test("CRLF line endings leave no carriage returns in values")
    func crlfLineEndings() throws {
        let table = try parseCSV("a,b\r\n1,2\r\n3,4\r\n")
        #expect(table.header == ["a", "b"])
        #expect(allRows(table) == [["1", "2"], ["3", "4"]])
        #expect(table.row(1).line == 3)
    }

    @Test("LF line endings")
    func lfLineEndings() throws {
        let table = try parseCSV("a,b\n1,2\n3,4\n")
        #expect(allRows(table) == [["1", "2"], ["3", "4"]])
        #expect(table.row(0).line == 2)
        #expect(table.row(1).line == 3)
    }

    @Test("lone CR line endings from old Mac exports")
    func loneCRLineEndings() throws {
        let table = try parseCSV("a,b\r1,2\r3,\"x\ry\"\r4,5")
        #expect(allRows(table) == [["1", "2"], ["3", "x\ry"], ["4", "5"]])
        #expect(table.row(0).line == 2)
        #expect(table.row(1).fieldLine(1) == 3)
        #expect(table.row(2).line == 5)
    }

    @Test("mixed line endings in one file")
    func mixedLineEndings() throws {
        let table = try parseCSV("a\r\n1\n2\r3\r\n")
        #expect(allRows(table) == [["1"], ["2"], ["3"]])
        #expect(table.row(2).line == 4)
    }

    @Test("Chinese sales consultant names and headers")
    func chineseText() throws {
        let table = try parseCSV("销售顾问,电话,门店\n王建儒,13800138000,\"北京东方, 4S店\"\n")
        #expect(table.header == ["销售顾问", "电话", "门店"])
        #expect(table.columnIndex("电话") == 1)
        let row = table.row(0)
        #expect(row.field(0) == "王建儒")
        #expect(row.field(2) == "北京东方, 4S店")
        #expect(row.withFieldBytes(0) { Array($0) } == Array("王建儒".utf8))
    }

    @Test("completely empty lines are skipped and do not shift line numbers")
    func emptyLinesSkipped() throws {
        let table = try parseCSV("\n\r\nlead,score\n\n1,80\r\n\r\n\n2,95\n\n")
        #expect(table.headerLine == 3)
        #expect(table.header == ["lead", "score"])
        #expect(table.rowCount == 2)
        #expect(table.row(0).line == 5)
        #expect(table.row(1).line == 8)
        #expect(allRows(table) == [["1", "80"], ["2", "95"]])
    }

    @Test("a line of spaces is a record, not an empty line")
    func blankLineIsARecord() throws {
        let table = try parseCSV("a,b\n  \n1,2\n")
        #expect(table.rowCount == 2)
        #expect(table.row(0).fields == ["  "])
    }

    @Test("the last record may lack a trailing newline")
    func missingTrailingNewline() throws {
        #expect(allRows(try parseCSV("a,b\n1,2")) == [["1", "2"]])
        #expect(allRows(try parseCSV("a,b\n1,\"x,y\"")) == [["1", "x,y"]])
        #expect(allRows(try parseCSV("a,b\n1,")) == [["1", ""]])
        #expect(try parseCSV("a,b\n1,").row(0).fieldCount == 2)
    }

    @Test("a trailing newline does not make an extra record")
    func trailingNewline() throws {
        #expect(try parseCSV("a\n1\n").rowCount == 1)
        #expect(try parseCSV("a\n1\r\n\r\n").rowCount == 1)
    }

    @Test("a short row gives empty strings for its missing fields")
    func shortRow() throws {
        let table = try parseCSV("lead,dealer,score\n1\n2,Star\n")
        let row = table.row(0)
        #expect(row.fieldCount == 1)
        #expect(row.field(0) == "1")
        #expect(row.field(1) == "")
        #expect(row.field(2) == "")
        #expect(row.field(99) == "")
        #expect(row.withFieldBytes(2) { $0.count } == 0)
        #expect(row.fieldLine(2) == 2)
        #expect(table.row(1).fieldCount == 2)
    }

    @Test("field values keep their spaces; only header names are trimmed")
    func valuesAreNotTrimmed() throws {
        let table = try parseCSV(" lead , score \n 1 ,\" 2 \"\n")
        #expect(table.header == ["lead", "score"])
        #expect(table.row(0).fields == [" 1 ", " 2 "])
    }

    @Test("header lookup ignores case and surrounding spaces, and the first duplicate wins")
    func headerLookup() throws {
        let table = try parseCSV(" Dealer Name ,PHONE,phone,\u{3000}门店\u{3000}\nStar,1,2,3\n")
        #expect(table.header == ["Dealer Name", "PHONE", "phone", "门店"])
        #expect(table.columnIndex("dealer name") == 0)
        #expect(table.columnIndex("  DEALER NAME ") == 0)
        #expect(table.columnIndex("Phone") == 1)
        #expect(table.columnIndex("门店") == 3)
        #expect(table.columnIndex("email") == nil)
        #expect(table.columnIndex("") == nil)
    }

    @Test("a file with only a header has no rows")
    func headerOnly() throws {
        let table = try parseCSV("lead,score\n")
        #expect(table.header == ["lead", "score"])
        #expect(table.rowCount == 0)
    }

    @Test("an empty or blank file has no header, so the caller can report it")
    func emptyFile() throws {
        for bytes: [UInt8] in [[], [0xEF, 0xBB, 0xBF], Array(" \r\n\t\n ".utf8), [0xEF, 0xBB, 0xBF, 0x0A]] {
            let table = try CSVReader.parse(bytes)
            #expect(table.header == [])
            #expect(table.rowCount == 0)
            #expect(table.columnIndex("lead") == nil)
        }
    }

    @Test("bytes the caller keeps can be parsed without handing them over")
    func parseBorrowedBytes() throws {
        let bytes = Array("a,b\n\"x\"\"y\",2\n".utf8)
        let table = try bytes.withUnsafeBytes { try CSVReader.parse($0) }
        #expect(table.row(0).fields == ["x\"y", "2"])
        #expect(bytes == Array("a,b\n\"x\"\"y\",2\n".utf8))
    }

    @Test("row access by index keeps the order of the file")
    func manyRows() throws {
        var text = "n,square\n"
        for n in 0..<5000 { text += "\(n),\(n * n)\n" }
        let table = try parseCSV(text)
        #expect(table.rowCount == 5000)
        #expect(table.row(4321).fields == ["4321", "18671041"])
        #expect(table.row(4321).line == 4323)
    }
}

@Suite("CSV syntax errors point at the problem")
struct CSVSyntaxErrorTests {
    @Test("a quote that is never closed is reported where the field opened")
    func unclosedQuote() {
        #expect(syntaxError("a,b\n1,\"open\n2,3\n")
            == CSVSyntaxError(line: 2, column: 2, message: unclosedQuoteMessage))
        // Line counting includes the line breaks of an earlier multi-line field.
        #expect(syntaxError("a\n\"x\ny\"\n\"never")
            == CSVSyntaxError(line: 4, column: 1, message: unclosedQuoteMessage))
    }

    @Test("text after a closing quote is reported on its own line")
    func textAfterClosingQuote() {
        #expect(syntaxError("a,b\n1,\"x\"y\n")
            == CSVSyntaxError(line: 2, column: 2, message: textAfterQuoteMessage))
        #expect(syntaxError("a,b,c\n1,\"x\ny\"z,3\n")
            == CSVSyntaxError(line: 3, column: 2, message: textAfterQuoteMessage))
        #expect(syntaxError("a,b\n1,\"x\" \n")
            == CSVSyntaxError(line: 2, column: 2, message: textAfterQuoteMessage))
    }

    @Test("a quote in the middle of an unquoted field")
    func quoteInUnquotedField() {
        #expect(syntaxError("a,b,c\n1,2,3\n4,5 inch \"wide\",6\n")
            == CSVSyntaxError(line: 3, column: 2, message: quoteInUnquotedFieldMessage))
        // A space before the opening quote makes the field unquoted.
        #expect(syntaxError("a,b\n1, \"x\"\n")
            == CSVSyntaxError(line: 2, column: 2, message: quoteInUnquotedFieldMessage))
        #expect(syntaxError("na\"me,b\n")
            == CSVSyntaxError(line: 1, column: 1, message: quoteInUnquotedFieldMessage))
    }

    @Test("a GBK-encoded export is reported as not UTF-8 at the first bad byte")
    func gbkIsNotUTF8() {
        // 王 in GBK is CD F5.
        let bytes = Array("name,phone\n".utf8) + [0xCD, 0xF5] + Array(",1\n".utf8)
        #expect(syntaxError(bytes) == CSVSyntaxError(line: 2, column: 1, message: notUTF8Message))
    }

    @Test("invalid UTF-8 is located by line and column")
    func invalidUTF8Positions() {
        let header = Array("a,b,c\n".utf8)
        // A stray byte in the third field.
        #expect(syntaxError(header + Array("1,2,x".utf8) + [0xFF] + Array("\n".utf8))
            == CSVSyntaxError(line: 2, column: 3, message: notUTF8Message))
        // Overlong encoding of "/".
        #expect(syntaxError(header + [0xC0, 0xAF])
            == CSVSyntaxError(line: 2, column: 1, message: notUTF8Message))
        // UTF-16 surrogate encoded as UTF-8.
        #expect(syntaxError(header + Array("1,".utf8) + [0xED, 0xA0, 0x80])
            == CSVSyntaxError(line: 2, column: 2, message: notUTF8Message))
        // A sequence cut off by a comma, inside a quoted field after a line break.
        #expect(syntaxError(header + Array("1,\"x\ny".utf8) + [0xE7, 0x8E] + Array(",z\"\n".utf8))
            == CSVSyntaxError(line: 3, column: 2, message: notUTF8Message))
        // A sequence cut off by the end of the file, after empty lines.
        #expect(syntaxError(header + Array("\n\n".utf8) + [0xE7, 0x8E])
            == CSVSyntaxError(line: 4, column: 1, message: notUTF8Message))
        // In the header itself, straight after a byte-order mark.
        #expect(syntaxError([0xEF, 0xBB, 0xBF, 0x80])
            == CSVSyntaxError(line: 1, column: 1, message: notUTF8Message))
    }

    @Test("every valid UTF-8 length is accepted, at the edges of each range")
    func validUTF8Edges() throws {
        // U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF.
        let edges = "\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}"
        let long = String(repeating: "王建儒" + edges, count: 3)
        let table = try parseCSV("a,b\n\(long),\(edges)")
        #expect(table.row(0).fields == [long, edges])
    }

    @Test("UTF-8 that decodes past U+10FFFF or overlong is rejected")
    func invalidUTF8Ranges() {
        let header = Array("a\n".utf8)
        for bad: [UInt8] in [[0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
                             [0xE4, 0xB8], [0x80]] {
            // Long ASCII before and after, so the bad bytes land between word-sized steps.
            #expect(syntaxError(header + Array("12345678901".utf8) + bad + Array("12345678901\n".utf8))
                == CSVSyntaxError(line: 2, column: 1, message: notUTF8Message))
        }
    }

    @Test("the earliest problem in the file is the one reported")
    func earliestProblemWins() {
        let bytes = Array("a,b\n1,x\"y\n2,".utf8) + [0xFF]
        #expect(syntaxError(bytes) == CSVSyntaxError(line: 2, column: 2, message: quoteInUnquotedFieldMessage))
    }

    @Test("an error describes itself with its position")
    func errorDescription() {
        let error = CSVSyntaxError(line: 12, column: 3, message: notUTF8Message)
        #expect(error.description == "line 12, column 3: not valid UTF-8; save the file as UTF-8")
    }
}

@Suite("Writing CSV for people and spreadsheets")
struct CSVWriterTests {
    @Test("fields are quoted only when they must be")
    func quotingRules() {
        #expect(CSVWriter.escape("plain", neutralizeFormulas: false) == "plain")
        #expect(CSVWriter.escape("", neutralizeFormulas: false) == "")
        #expect(CSVWriter.escape("a,b", neutralizeFormulas: false) == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"", neutralizeFormulas: false) == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines", neutralizeFormulas: false) == "\"two\nlines\"")
        #expect(CSVWriter.escape("cr\rhere", neutralizeFormulas: false) == "\"cr\rhere\"")
        #expect(CSVWriter.escape(" lead", neutralizeFormulas: false) == "\" lead\"")
        #expect(CSVWriter.escape("trail ", neutralizeFormulas: false) == "\"trail \"")
        #expect(CSVWriter.escape("in side", neutralizeFormulas: false) == "in side")
        #expect(CSVWriter.escape("王建儒", neutralizeFormulas: false) == "王建儒")
    }

    @Test("rows end with LF and the output has no byte-order mark")
    func rowBytes() {
        var writer = CSVWriter()
        writer.writeRow(["销售顾问", "score"])
        writer.writeRow(["王建儒", "9,5"])
        #expect(writer.bytes == Array("销售顾问,score\n王建儒,\"9,5\"\n".utf8))
    }

    @Test("rows can be written from substrings")
    func substringRow() {
        var writer = CSVWriter()
        writer.writeRow("a,b c,d".split(separator: " "))
        writer.writeRow(["x"[...], "y"[...]])
        #expect(writer.bytes == Array("\"a,b\",\"c,d\"\nx,y\n".utf8))
    }

    @Test("taking the bytes empties the writer for the next chunk")
    func takeBytes() {
        var writer = CSVWriter()
        writer.writeRow(["1"])
        #expect(writer.takeBytes() == Array("1\n".utf8))
        writer.writeRow(["2"])
        #expect(writer.bytes == Array("2\n".utf8))
    }

    @Test("a row of one empty field is written as \"\" so it is not an empty line")
    func singleEmptyField() throws {
        var writer = CSVWriter()
        writer.writeRow(["note"])
        writer.writeRow([""])
        writer.writeRow(["x"])
        #expect(writer.bytes == Array("note\n\"\"\nx\n".utf8))
        #expect(allRows(try CSVReader.parse(writer.bytes)) == [[""], ["x"]])
    }

    @Test("awkward fields survive a round trip through writer and reader")
    func roundTrip() throws {
        let rows: [[String]] = [
            ["id", "dealer", "note", "owner"],
            ["1", "Star Motors, Ltd.", "said \"call back\"", "王建儒"],
            ["2", " leading", "trailing ", "two\nlines"],
            ["3", "crlf\r\ninside", "cr\ronly", ""],
            ["4", "\"", "\"\"", ",,,"],
            ["5", "=SUM(A1:A9)", "-12.50", "+86 138-0013-8000"],
        ]
        var writer = CSVWriter()
        for row in rows { writer.writeRow(row) }
        let table = try CSVReader.parse(writer.bytes)
        #expect(table.header == rows[0])
        #expect(allRows(table) == Array(rows.dropFirst()))
        #expect(table.row(1).line == 3)
        #expect(table.row(2).line == 5)
        #expect(table.row(2).fieldLine(2) == 6)
        #expect(table.row(2).fieldLine(3) == 7)
        #expect(table.row(3).line == 8)
    }

    @Test("random awkward fields of every length survive a round trip with the right line numbers")
    func randomRoundTrip() throws {
        // Fixed seed: lengths up to 40 cross the reader's 8-byte scanning steps
        // at every alignment.
        var random = SplitMix64(seed: 20_240_601)
        let alphabet: [String] = ["a", "Z", "7", " ", ",", "\"", "\n", "\r", "\r\n", "王", "建", "🚗", "=", "-", "é"]
        var rows: [[String]] = [["h1", "h2", "h3"]]
        for _ in 0..<400 {
            let fieldCount = 1 + Int(random.next() % 5)
            rows.append((0..<fieldCount).map { _ in
                let length = Int(random.next() % 41)
                return (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
            })
        }
        var writer = CSVWriter()
        for row in rows { writer.writeRow(row) }
        let table = try CSVReader.parse(writer.bytes)
        #expect(table.rowCount == rows.count - 1)
        var line = 2
        for (i, expected) in rows.dropFirst().enumerated() {
            let row = table.row(i)
            #expect(row.fields == expected)
            #expect(row.line == line)
            for (column, field) in expected.enumerated() {
                #expect(row.fieldLine(column) == line)
                line += lineBreaks(field)
            }
            line += 1
        }
    }

    @Test("formulas are neutralised with an apostrophe for spreadsheet users")
    func neutralizeFormulas() {
        func escaped(_ s: String) -> String { CSVWriter.escape(s, neutralizeFormulas: true) }
        #expect(escaped("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(escaped("=1+1") == "'=1+1")
        #expect(escaped("+86 138-0013-8000") == "'+86 138-0013-8000")
        #expect(escaped("@SUM(A1)") == "'@SUM(A1)")
        #expect(escaped("-cmd") == "'-cmd")
        #expect(escaped("\tx") == "'\tx")
        #expect(escaped("\rx") == "\"'\rx\"")
        #expect(escaped("-") == "'-")
        #expect(escaped("+") == "'+")
        #expect(escaped("-1.") == "'-1.")
        #expect(escaped("-.5") == "'-.5")
        #expect(escaped("+1e5") == "'+1e5")
        #expect(escaped("-1,5") == "\"'-1,5\"")
    }

    @Test("plain numbers and ordinary text are not neutralised")
    func plainNumbersStay() {
        func escaped(_ s: String) -> String { CSVWriter.escape(s, neutralizeFormulas: true) }
        #expect(escaped("-12.50") == "-12.50")
        #expect(escaped("+8613800138000") == "+8613800138000")
        #expect(escaped("-5") == "-5")
        #expect(escaped("12") == "12")
        #expect(escaped("3.14") == "3.14")
        #expect(escaped("1-2") == "1-2")
        #expect(escaped("王建儒") == "王建儒")
        #expect(escaped("") == "")
        #expect(escaped(" =1") == "\" =1\"")
    }

    @Test("without neutralising, formulas are written as they are")
    func neutralizingIsOptIn() {
        #expect(CSVWriter.escape("=1+1", neutralizeFormulas: false) == "=1+1")
        var writer = CSVWriter()
        writer.writeRow(["=1+1", "@x"])
        #expect(writer.bytes == Array("=1+1,@x\n".utf8))
    }

    @Test("a neutralising writer marks formulas and reads back as text")
    func neutralizingWriterRoundTrip() throws {
        var writer = CSVWriter(neutralizeFormulas: true)
        writer.writeRow(["phone", "amount", "link"])
        writer.writeRow(["+86 138-0013-8000", "-12.50", "=HYPERLINK(\"x\")"])
        #expect(writer.bytes == Array("phone,amount,link\n'+86 138-0013-8000,-12.50,\"'=HYPERLINK(\"\"x\"\")\"\n".utf8))
        let table = try CSVReader.parse(writer.bytes)
        #expect(table.row(0).fields == ["'+86 138-0013-8000", "-12.50", "'=HYPERLINK(\"x\")"])
    }
}

/// Physical line breaks in `text` (CRLF counts once), as a spreadsheet would count them.
private func lineBreaks(_ text: String) -> Int {
    let bytes = Array(text.utf8)
    var count = 0
    for (i, b) in bytes.enumerated() where b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
        count += 1
    }
    return count
}
