import BatonCore

/// The words around a score, in the page's language: the rule in force, where a target came from, and
/// which part of the rule gave the score.
///
/// The core gives these as English sentences (`KPIScore.explanation`, `ScoringRule.summary`,
/// `TargetOrigin.description`). A page in another language needs them from the structured values, so they
/// are said again here; the English wording is kept identical to the core's, and a test holds it to that.
struct ScoreWords {
    let format: DisplayFormat
    var language: Language { format.language }

    /// `linear: 100 points at 100% attainment, 0 below 50%, capped at 150%`.
    func summary(_ rule: ScoringRule) -> String {
        func p(_ x: Exact) -> String { format.planPercent(x) }
        switch (rule, language) {
        case (.linear(let t, let c), .en):
            var s = "linear: 100 points at 100% attainment"
            if !t.isZero { s += ", 0 below \(p(t))" }
            if let c { s += ", capped at \(p(c))" }
            return s
        case (.linear(let t, let c), .zhHans):
            var s = "线性：达成 100% 得 100 分"
            if !t.isZero { s += "，低于 \(p(t)) 得 0 分" }
            if let c { s += "，封顶 \(p(c))" }
            return s
        case (.steps(let steps), .en):
            return "steps: " + steps.map { "from \(p($0.from)) → \($0.score.shortDecimalString())" }.joined(separator: ", ")
        case (.steps(let steps), .zhHans):
            return "阶梯：" + steps.map { "达成 \(p($0.from)) 起得 \($0.score.shortDecimalString()) 分" }.joined(separator: "，")
        }
    }

    /// Where a target came from: the answer to "says who?".
    func origin(_ origin: TargetOrigin, unit: KPIUnit) -> String {
        switch (origin, language) {
        case (.targetsFile(let scope, let line), .en):
            return "targets.csv line \(line) (\(DisplayText.clean(scope.description)))"
        case (.targetsFile(let scope, let line), .zhHans):
            return "targets.csv 第 \(line) 行（\(DisplayText.clean(scope.description))）"
        case (.plan, .en): return "fixed in the plan"
        case (.plan, .zhHans): return "考核方案设定"
        case (.history(let points), .en):
            return history(points, unit: unit, start: "average of ", open: " (", close: ")", separator: ", ")
        case (.history(let points), .zhHans):
            return history(points, unit: unit, start: "历史平均：", open: "（", close: "）", separator: "、")
        case (.sumOfMembers(let n), .en): return n == 1 ? "its one member's target" : "sum of \(n) members' targets"
        case (.sumOfMembers(let n), .zhHans): return "\(n) 名成员目标之和"
        case (.sumOfTeams(let n), .en): return n == 1 ? "its one team's target" : "sum of \(n) teams' targets"
        case (.sumOfTeams(let n), .zhHans): return "\(n) 个团队目标之和"
        case (.full, .en): return "100% by default"
        case (.full, .zhHans): return "默认 100%"
        }
    }

    /// `start`, then each point as `period open value close`, `separator` between: appended to one string
    /// (a page prints one for every history target, and mapping then joining made a string per point).
    private func history(_ points: [HistoryPoint], unit: KPIUnit, start: String, open: String, close: String,
                         separator: String) -> String {
        historyBytes(points, unit: unit, start: start, open: open, close: close, separator: separator)
            ?? historyText(points, unit: unit, start: start, open: open, close: close, separator: separator)
    }

    /// `history` appended text by text: what `historyBytes` writes, for any figure.
    func historyText(_ points: [HistoryPoint], unit: KPIUnit, start: String, open: String, close: String,
                     separator: String) -> String {
        var s = start
        s.reserveCapacity(start.utf8.count + points.count * 32)
        for (k, point) in points.enumerated() {
            if k > 0 { s += separator }
            s += point.period.description
            s += open
            s += format.number(point.value, unit: unit)
            s += close
        }
        return s
    }

    /// `history` written as bytes on the stack, each figure straight from machine integers
    /// (`DisplayFormat.write`) and each point read in place, then copied once into the text: nil when a
    /// figure goes the exact way or a period is written longer than usual.
    func historyBytes(_ points: [HistoryPoint], unit: KPIUnit, start: String, open: String, close: String,
                              separator: String) -> String? {
        let periodRoom = 32
        let room = start.utf8.count
            + points.count * (separator.utf8.count + periodRoom + open.utf8.count + format.figureRoom + close.utf8.count)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer -> String? in
            let base = buffer.baseAddress!
            var n = 0
            // `room` holds every part (a period up to `periodRoom` bytes, checked below).
            func put(_ s: String) {
                var s = s
                s.withUTF8 { b in
                    if let from = b.baseAddress { (base + n).initialize(from: from, count: b.count) }
                    n += b.count
                }
            }
            put(start)
            let written: Bool = points.withUnsafeBufferPointer { points in
                for k in points.indices {
                    let point = points.baseAddress! + k
                    if k > 0 { put(separator) }
                    let period = point.pointee.period.description
                    guard period.utf8.count <= periodRoom else { return false }
                    put(period)
                    put(open)
                    guard let w = format.write(point.pointee.value, unit: unit, to: base + n) else { return false }
                    n += w
                    put(close)
                }
                return true
            }
            guard written else { return nil }
            return String(unsafeUninitializedCapacity: n) { out in
                out.baseAddress!.initialize(from: base, count: n)
                return n
            }
        }
    }

    /// Which part of the rule gave the score, then what a missing score does to the total; the same
    /// decisions, in the same order, as the core's scoring.
    func explanation(_ s: KPIScore, noData: NoDataPolicy) -> String {
        withUnsafePointer(to: s) { explanation($0, noData: noData) }
    }

    /// `explanation` of a score read in place (passing the score itself copies it, with its references).
    func explanation(_ s: UnsafePointer<KPIScore>, noData: NoDataPolicy) -> String {
        let en = language == .en
        func p(_ x: Exact) -> String { format.planPercent(x) }
        var words: String
        if s.pointee.value.value == nil {
            words = en ? "no data" : "无数据"
        } else if s.pointee.target == nil {
            words = en ? "no target" : "无目标"
        } else if let att = s.pointee.attainment {
            switch (s.pointee.plan.scoring, att) {
            case (.linear(_, let cap), .unbounded):
                if let cap {
                    words = en ? "unbounded attainment: the cap, \(p(cap))" : "实际值为 0，达成无上限：按封顶 \(p(cap)) 计"
                } else {
                    words = en ? "unbounded attainment and no cap: no score" : "实际值为 0，达成无上限且无封顶：不计分"
                }
            case (.linear(let threshold, let cap), .ratio(let a)):
                if a < threshold {
                    words = en ? "below the \(p(threshold)) threshold: 0" : "低于 \(p(threshold)) 门槛：0 分"
                } else if let cap, cap < a {
                    words = en ? "above the \(p(cap)) cap: held at \(p(cap))" : "超过 \(p(cap)) 封顶：按 \(p(cap)) 计"
                } else {
                    words = en ? "100 × attainment" : "100 × 达成率"
                }
            case (.steps(let steps), .unbounded):
                words = steps.isEmpty ? (en ? "no steps" : "没有阶梯") : (en ? "unbounded attainment: the top step" : "实际值为 0，达成无上限：取最高阶梯")
            case (.steps(let steps), .ratio(let a)):
                if let step = steps.sorted(by: { $0.from < $1.from }).last(where: { $0.from <= a }) {
                    words = en ? "step from \(p(step.from))" : "达成 \(p(step.from)) 起的阶梯"
                } else {
                    words = en ? "below the first step: 0" : "低于第一级阶梯：0 分"
                }
            }
        } else {
            words = en ? "target is 0: no attainment" : "目标为 0：无法计算达成率"
        }
        if s.pointee.score == nil {
            switch noData {
            case .zero: words += en ? "; scores 0" : "；按 0 分计"
            case .reweight: words += en ? "; left out, other weights scaled to 100" : "；不计入，其余权重按比例折算为 100"
            }
        }
        return words
    }
}
