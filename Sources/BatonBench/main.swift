// baton-bench: the fixed synthetic workloads of BENCHMARKS.md, evaluated end to end by the real `baton`.
//
//   swift build -c release && .build/release/baton-bench [SIZE...] [--runs N]
//
// SIZE is a number of leads over three months (default: 100000 1000000 2000000); the last month is
// evaluated. Data is generated once per size and seed into .build/bench-data/ (seeded: the same bytes on
// every machine). Each run is a fresh `baton evaluate ... --timings` process; its stages' wall times and
// the peak resident memory at the end of each stage come from --timings, the whole run's peak resident
// memory from the kernel (wait4), and its output bytes from the folder.
import BatonIO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let seed: UInt64 = 20261001
var sizes: [Int] = []
var runs = 3
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--runs", let n = args.popFirst().flatMap(Int.init) { runs = max(1, n); continue }
    if a == "--help" || a == "-h" {
        print("usage: baton-bench [LEADS...] [--runs N]   (default sizes 100000 1000000 2000000, 3 runs each, best kept)")
        exit(0)
    }
    guard let n = Int(a.replacingOccurrences(of: "_", with: "")), n >= 3 else {
        FileHandle.standardError.write(Data("baton-bench: \(a) is not a number of leads\n".utf8))
        exit(64)
    }
    sizes.append(n)
}
if sizes.isEmpty { sizes = [100_000, 1_000_000, 2_000_000] }

let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let baton = exe.appendingPathComponent("baton")
guard FileManager.default.isExecutableFile(atPath: baton.path) else {
    FileHandle.standardError.write(Data("baton-bench: no baton beside \(exe.path); build both: swift build -c release\n".utf8))
    exit(66)
}
var root = exe
while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
    root.deleteLastPathComponent()
}
let dataRoot = root.appendingPathComponent(".build/bench-data")

/// Generates the workload for a size once; later runs reuse the folder.
func workload(_ leads: Int) throws -> (URL, Int) {
    let dir = dataRoot.appendingPathComponent("leads-\(leads)-seed-\(seed)")
    let marker = dir.appendingPathComponent("people.csv")
    if !FileManager.default.fileExists(atPath: marker.path) {
        try FileManager.default.createDirectory(at: dataRoot, withIntermediateDirectories: true)
        FileHandle.standardError.write(Data("generating \(leads) leads into \(dir.path)\n".utf8))
        let files = SyntheticPeriod.generate(.brandScale(leads: leads, seed: seed))
        try OutputFolder.write(files.map { OutputFile(name: $0.name, bytes: $0.bytes) }, to: dir)
    }
    var bytes = 0
    for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
        bytes += (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(f).path)[.size] as? Int) ?? 0
    }
    return (dir, bytes)
}

/// Times are whole microseconds, sizes whole bytes: integer arithmetic throughout.
struct Run {
    /// Name, wall microseconds, output bytes, peak resident KiB when the stage ended.
    var stages: [(String, Int, Int?, Int?)] = []
    var total = 0
    var wall = 0
    var peakKB = 0
    var outBytes = 0
    var leads = 0
}

/// One `baton evaluate` in a child process: its --timings lines, wall time and peak resident memory.
func evaluate(_ data: URL) throws -> Run {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(getpid())")
    try? FileManager.default.removeItem(at: out)
    let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(getpid()).err").path
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = [baton.path, "evaluate", data.path, "--period", "2026-10", "--out", out.path, "--quiet", "--timings"]
    var cargs = argv.map { strdup($0) } + [nil]
    var pid: pid_t = 0
    let t0 = ContinuousClock.now
    guard posix_spawn(&pid, baton.path, &actions, nil, &cargs, environ) == 0 else { throw CocoaError(.executableLoad) }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let elapsed = ContinuousClock.now - t0
    cargs.forEach { free($0) }
    posix_spawn_file_actions_destroy(&actions)
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    guard status == 0 else {
        FileHandle.standardError.write(Data("baton evaluate failed (status \(status)):\n\(err)".utf8))
        exit(1)
    }
    var run = Run()
    run.wall = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
    run.peakKB = usage.ru_maxrss
    for line in err.split(separator: "\n") where line.hasPrefix("timing: ") {
        let parts = line.dropFirst("timing: ".count).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let s = micros(parts[1]) else { continue }
        if parts[0] == "total" { run.total = s } else if parts[0] == "leads" { run.leads = s / 1_000_000 } else {
            run.stages.append((parts[0], s, parts.count > 2 ? Int(parts[2]) : nil, parts.count > 3 ? Int(parts[3]) : nil))
        }
    }
    for f in (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [] {
        run.outBytes += (try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(f).path)[.size] as? Int) ?? 0
    }
    try? FileManager.default.removeItem(at: out)
    return run
}

/// `"6.927"` (seconds, as --timings prints them) → 6_927_000 microseconds.
func micros(_ text: String) -> Int? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let whole = Int(parts[0]) else { return nil }
    var frac = parts.count > 1 ? String(parts[1].prefix(6)) : ""
    frac += String(repeating: "0", count: 6 - frac.count)
    guard let f = Int(frac) else { return nil }
    return whole * 1_000_000 + f
}

/// `value / divisor` with `places` decimals, rounded half up (non-negative values only).
func fixed(_ value: Int, _ divisor: Int, places: Int) -> String {
    var scale = 1
    for _ in 0..<places { scale *= 10 }
    let n = (value * scale * 2 + divisor) / (2 * max(divisor, 1))
    let whole = String(n / scale)
    guard places > 0 else { return whole }
    let f = String(n % scale)
    return whole + "." + String(repeating: "0", count: places - f.count) + f
}

func seconds(_ us: Int) -> String { fixed(us, 1_000_000, places: 3) }
func mb(_ bytes: Int) -> String { fixed(bytes, 1_000_000, places: 1) + " MB" }

print("# baton-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(mb(Int(ProcessInfo.processInfo.physicalMemory))) memory; best of \(runs) runs")
var results: [(Int, Run)] = []
for size in sizes {
    let data: URL, inBytes: Int
    do { (data, inBytes) = try workload(size) } catch {
        FileHandle.standardError.write(Data("baton-bench: cannot prepare the \(size)-lead workload: \(error)\n".utf8))
        exit(73)
    }
    var best: Run?
    for _ in 0..<runs {
        guard let r = try? evaluate(data) else {
            FileHandle.standardError.write(Data("baton-bench: cannot start \(baton.path)\n".utf8))
            exit(1)
        }
        if best == nil || r.wall < best!.wall { best = r }
    }
    let r = best!
    results.append((size, r))
    print("")
    print("## \(size) leads generated (\(r.leads) in the data, CSV \(mb(inBytes)))")
    print("")
    print("| stage | wall s | share | leads/s | peak RSS | output |")
    print("|---|---:|---:|---:|---:|---:|")
    var parent = ""
    for (name, s, bytes, peak) in r.stages {
        // Indented stages are parts of the stage above them (run side by side when that stage says
        // "parallel", one after another otherwise): their time is part of that stage's.
        let inner = name.hasPrefix(" ")
        if !inner { parent = name }
        let label = inner ? "↳ " + name.trimmingCharacters(in: .whitespaces) + (parent.contains("parallel") ? " (in parallel)" : "") : name
        let share = inner ? "" : fixed(100 * s, max(r.total, 1), places: 0) + "%"
        // Leads per second through this stage alone (stages shorter than a millisecond are left blank).
        let rate = s >= 1_000 ? fixed(r.leads * 1_000_000, s, places: 0) : ""
        print("| \(label) | \(seconds(s)) | \(share) | \(rate) | \(peak.map { fixed($0, 1024, places: 0) + " MB" } ?? "") | \(bytes.map(mb) ?? "") |")
    }
    print("| **end to end** (process wall) | **\(seconds(r.wall))** | | \(fixed(r.leads * 1_000_000, max(r.wall, 1), places: 0)) | \(fixed(r.peakKB, 1024, places: 0)) MB | \(mb(r.outBytes)) |")
    print("")
    print("leads/s: \(fixed(r.leads * 1_000_000, max(r.wall, 1), places: 0)); peak resident memory: \(fixed(r.peakKB, 1024, places: 0)) MB")
}
if results.count > 1 {
    print("")
    for i in 1..<results.count {
        let (a, ra) = results[i - 1], (b, rb) = results[i]
        print("growth \(a) → \(b) leads: time × \(fixed(rb.wall, max(ra.wall, 1), places: 2)) for data × \(fixed(b, a, places: 2))")
    }
}
