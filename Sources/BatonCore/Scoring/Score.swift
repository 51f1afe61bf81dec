/// Where a target came from: the evidence when someone asks "says who?".
public enum TargetOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A targets.csv row (its scope and line).
    case targetsFile(scope: TargetScope, line: Int)
    /// A number fixed in the plan.
    case plan
    /// The mean of the KPI over earlier whole periods (each period with its value).
    case history([HistoryPoint])
    /// A team's target: the sum of its members' targets.
    case sumOfMembers(Int)
    /// A side's total target: the sum of its teams' targets.
    case sumOfTeams(Int)
    /// `completion_rate` scored with no target of its own: 100 %.
    case full

    public var description: String {
        switch self {
        case .targetsFile(let scope, let line): return "targets.csv line \(line) (\(scope))"
        case .plan: return "the plan"
        case .history(let points):
            // Appended to one string: a workbook and the results print one for every history target.
            var s = "the average of "
            s.reserveCapacity(16 + points.count * 28)
            for (k, point) in points.enumerated() {
                if k > 0 { s += ", " }
                s += point.period.description
                s += " ("
                s += point.value.shortDecimalString()
                s += ")"
            }
            return s
        case .sumOfMembers(let n): return n == 1 ? "its one member's target" : "the sum of \(n) members' targets"
        case .sumOfTeams(let n): return n == 1 ? "its one team's target" : "the sum of \(n) teams' targets"
        case .full: return "100% by default"
        }
    }
}

public struct HistoryPoint: Sendable, Hashable {
    public var period: Period
    public var value: Exact
}

/// A KPI's target and where it came from.
public struct Target: Sendable, Hashable {
    public var value: Exact
    public var origin: TargetOrigin
    public init(value: Exact, origin: TargetOrigin) { self.value = value; self.origin = origin }
}

/// How far a figure reached its target.
public enum Attainment: Sendable, Hashable {
    /// actual / target (target / actual for lower-is-better KPIs).
    case ratio(Exact)
    /// A lower-is-better KPI at 0: better than any target; takes the rule's top score.
    case unbounded
}

/// A scored KPI on a person's scorecard: value, target, attainment, score, weight, and the rule applied.
public struct KPIScore: Sendable {
    public let plan: KPIPlan
    public let value: KPIValue
    public let target: Target?
    public let attainment: Attainment?
    /// nil: no data (no value, no target, or nothing to score).
    public let score: Exact?
    /// The weight actually applied (the plan's, or rescaled under `no_data: reweight`; 0 when left out).
    public let appliedWeight: Exact
    /// weight × score / 100: what this KPI adds to the weighted total.
    public let points: Exact
    /// The rule and the arithmetic, in words.
    public let explanation: String
}

extension ScoringRule {
    /// The score for an attainment, with the words that say which part of the rule applied.
    func score(_ attainment: Attainment) -> (Exact?, String) {
        switch self {
        case .linear(let threshold, let cap):
            switch attainment {
            case .unbounded:
                guard let cap else { return (nil, "unbounded attainment and no cap: no score") }
                return (cap * .hundred, "unbounded attainment: the cap, \(percent(cap))")
            case .ratio(let a):
                if a < threshold { return (.zero, "below the \(percent(threshold)) threshold: 0") }
                if let cap, cap < a { return (cap * .hundred, "above the \(percent(cap)) cap: held at \(percent(cap))") }
                return (a * .hundred, "100 × attainment")
            }
        case .steps(let steps):
            let sorted = steps.sorted { $0.from < $1.from }
            switch attainment {
            case .unbounded:
                guard let top = sorted.last else { return (nil, "no steps") }
                return (top.score, "unbounded attainment: the top step")
            case .ratio(let a):
                guard let step = sorted.last(where: { $0.from <= a }) else {
                    return (.zero, "below the first step: 0")
                }
                return (step.score, "step from \(percent(step.from))")
            }
        }
    }
}

enum Scoring {
    static func attainment(value: Exact?, target: Target?, direction: Direction) -> Attainment? {
        guard let value, let target else { return nil }
        switch direction {
        case .higher:
            guard let a = Exact.ratio(value, target.value) else { return nil }
            return .ratio(a)
        case .lower:
            if value.isZero { return target.value.isZero ? nil : .unbounded }
            return .ratio(target.value / value)
        }
    }

    /// Scores each planned KPI and the weighted total under the scorecard's no-data policy.
    static func score(_ card: ScorecardPlan, values: [KPIValue], targets: [Target?]) -> ([KPIScore], Exact) {
        var raw: [(KPIPlan, KPIValue, Target?, Attainment?, Exact?, String)] = []
        for (i, kp) in card.kpis.enumerated() {
            let value = values.first { $0.kpi == kp.kpi }!
            let target = targets[i]
            let att = attainment(value: value.value, target: target, direction: kp.direction)
            var words: String
            var score: Exact?
            if value.value == nil {
                words = "no data"
            } else if target == nil {
                words = "no target"
            } else if let att {
                (score, words) = kp.scoring.score(att)
            } else {
                words = "target is 0: no attainment"
            }
            raw.append((kp, value, target, att, score, words))
        }
        let scoredWeight = raw.reduce(Exact.zero) { $0 + ($1.4 == nil ? .zero : $1.0.weight) }
        var out: [KPIScore] = []
        var total = Exact.zero
        for (kp, value, target, att, score, words) in raw {
            var weight = kp.weight
            var explanation = words
            if score == nil {
                switch card.noData {
                case .zero: explanation += "; scores 0"
                case .reweight: weight = .zero; explanation += "; left out, other weights scaled to 100"
                }
            } else if card.noData == .reweight, !scoredWeight.isZero {
                weight = kp.weight * .hundred / scoredWeight
            }
            let points = weight * (score ?? .zero) / .hundred
            total += points
            out.append(KPIScore(plan: kp, value: value, target: target, attainment: att, score: score,
                                appliedWeight: weight, points: points, explanation: explanation))
        }
        return (out, total)
    }
}
