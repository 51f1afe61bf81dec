import Foundation

/// Wall time of each stage of a run, for `--timings` (benchmarks read it). Lives at the edge: the core
/// never reads a clock.
struct Stopwatch {
    let enabled: Bool
    private var stages: [(name: String, seconds: Double, bytes: Int?, peakKB: Int?)] = []
    private let start = ContinuousClock.now

    init(enabled: Bool) { self.enabled = enabled }

    mutating func measure<T>(_ name: String, bytes: ((T) -> Int)? = nil, _ body: () throws -> T) rethrows -> T {
        let t0 = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - t0
        stages.append((name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, bytes?(value),
                       enabled ? Stopwatch.peakResidentKB() : nil))
        return value
    }

    /// A stage timed elsewhere (on a worker thread), reported as `  NAME` under the stage that ran it.
    mutating func record(_ name: String, seconds: Double, bytes: Int?) {
        stages.append(("  " + name, seconds, bytes, nil))
    }

    /// The process's peak resident memory so far, in KiB (`VmHWM` of /proc/self/status), where the system
    /// reports it.
    static func peakResidentKB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).filter(\.isNumber))
        }
        return nil
    }

    /// One line per stage, then the total, as `timing: STAGE SECONDS [BYTES] [PEAK_KB]` on standard error
    /// (PEAK_KB: the process's peak resident memory when the stage ended, for top-level stages).
    func report(leads: Int) {
        guard enabled else { return }
        let total = ContinuousClock.now - start
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        var lines = stages.map { s in
            "timing: \(s.name)\t\(String(format: "%.3f", s.seconds))\t\(s.bytes.map(String.init) ?? "")\t\(s.peakKB.map(String.init) ?? "")"
        }
        lines.append("timing: total\t\(String(format: "%.3f", seconds))\t")
        lines.append("timing: leads\t\(leads)\t")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// The parts of a stage, timed as the stage reports each one done.
struct Laps {
    private var last = ContinuousClock.now
    private(set) var done: [(String, Double)] = []

    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        let d = now - last
        done.append((name, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
        last = now
    }
}
