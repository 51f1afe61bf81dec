/// How a scorecard becomes pay (docs/pay.md): bonus on the score, gates, commission, proration.
public struct PayPlan: Sendable, Hashable {
    /// Used when people.csv leaves `target_incentive` empty.
    public var targetIncentive: Exact?
    public var basis: PayBasis
    public var proration: Proration
    public var bonus: PayoutCurve?
    public var gates: [Gate]
    public var commissions: [CommissionRule]

    public init(targetIncentive: Exact? = nil, basis: PayBasis = .weightedScore, proration: Proration = .days,
                bonus: PayoutCurve? = nil, gates: [Gate] = [], commissions: [CommissionRule] = []) {
        self.targetIncentive = targetIncentive; self.basis = basis; self.proration = proration
        self.bonus = bonus; self.gates = gates; self.commissions = commissions
    }
}

/// What the bonus is computed from.
public enum PayBasis: String, Sendable, Hashable {
    /// One payout from the weighted total.
    case weightedScore = "weighted_score"
    /// Each KPI pays its weight's share by its own score.
    case perKPI = "per_kpi"
    /// A manager: scored on the team's row of the side.
    case team
}

public enum Proration: String, Sendable, Hashable {
    /// Target incentive × days employed in the period / days in the period.
    case days
    case none
}

/// A point of a payout curve: at this score, this payout (a fraction of the target incentive).
public struct CurvePoint: Sendable, Hashable {
    public var score: Exact
    public var payout: Exact
    public init(score: Exact, payout: Exact) { self.score = score; self.payout = payout }
}

/// Score → payout %, piecewise linear between points; 0 below the threshold; flat after the last point.
public struct PayoutCurve: Sendable, Hashable {
    public var points: [CurvePoint]
    /// Below this score nothing is paid (default: the first point's score).
    public var threshold: Exact?
    /// The payout is never above this.
    public var cap: Exact?

    public init(points: [CurvePoint], threshold: Exact? = nil, cap: Exact? = nil) {
        self.points = points; self.threshold = threshold; self.cap = cap
    }

    /// The payout at a score, and which part of the curve decided it, in words.
    public func payout(at score: Exact) -> (Exact, String) {
        guard let first = points.first, let last = points.last else { return (.zero, "no curve") }
        let threshold = self.threshold ?? first.score
        var value: Exact
        var words: String
        if score < threshold {
            return (.zero, "score \(Printing.exact(score)) below the threshold \(Printing.exact(threshold)): 0%")
        } else if score < first.score {
            value = first.payout
            words = "score \(Printing.exact(score)) below the first point: \(percent(first.payout))"
        } else if !(score < last.score) {
            value = last.payout
            words = "score \(Printing.exact(score)) at or above the last point (\(Printing.exact(last.score))): \(percent(last.payout))"
        } else {
            let i = points.lastIndex { !(score < $0.score) }!
            let a = points[i], b = points[i + 1]
            value = a.payout + (score - a.score) * (b.payout - a.payout) / (b.score - a.score)
            if score == a.score {
                words = "score \(Printing.exact(score)) on the point (\(Printing.exact(a.score)), \(percent(a.payout)))"
            } else {
                words = "score \(Printing.exact(score)) between (\(Printing.exact(a.score)), \(percent(a.payout))) and (\(Printing.exact(b.score)), \(percent(b.payout))): \(percent(a.payout)) + (\(Printing.exact(score)) − \(Printing.exact(a.score))) × (\(percent(b.payout)) − \(percent(a.payout))) / (\(Printing.exact(b.score)) − \(Printing.exact(a.score))) = \(percent(value))"
            }
        }
        if let cap, cap < value {
            words += "; held at the \(percent(cap)) cap"
            value = cap
        }
        return (value, words)
    }
}

/// A floor on a KPI: below it (or with no data) the bonus is zeroed, or held at `cap`.
public struct Gate: Sendable, Hashable {
    public var kpi: KPI
    public var below: Exact
    public var cap: Exact?
    public var location: PlanLocation?
    public init(kpi: KPI, below: Exact, cap: Exact? = nil, location: PlanLocation? = nil) {
        self.kpi = kpi; self.below = below; self.cap = cap; self.location = location
    }
}

public enum CommissionMethod: String, Sendable, Hashable {
    /// Each slice of the base at its own tier's rate.
    case marginal
    /// The reached tier's rate on the whole base.
    case retroactive
}

public struct CommissionTier: Sendable, Hashable {
    public var from: Exact
    public var rate: Exact
    public init(from: Exact, rate: Exact) { self.from = from; self.rate = rate }
}

/// A commission on a money figure, with tiers, an optional accelerator above target, and a cap.
public struct CommissionRule: Sendable, Hashable {
    public var name: String
    public var base: KPI
    public var method: CommissionMethod
    public var tiers: [CommissionTier]
    /// Above `above` × the base KPI's target, the base earns `rate` instead of its tier rate.
    public var accelerator: (above: Exact, rate: Exact)?
    public var cap: Exact?
    public var location: PlanLocation?

    public init(name: String, base: KPI, method: CommissionMethod, tiers: [CommissionTier],
                accelerator: (above: Exact, rate: Exact)? = nil, cap: Exact? = nil, location: PlanLocation? = nil) {
        self.name = name; self.base = base; self.method = method; self.tiers = tiers
        self.accelerator = accelerator; self.cap = cap; self.location = location
    }

    public static func == (a: CommissionRule, b: CommissionRule) -> Bool {
        a.name == b.name && a.base == b.base && a.method == b.method && a.tiers == b.tiers
            && a.accelerator?.above == b.accelerator?.above && a.accelerator?.rate == b.accelerator?.rate
            && a.cap == b.cap && a.location == b.location
    }

    public func hash(into h: inout Hasher) {
        h.combine(name); h.combine(base); h.combine(method); h.combine(tiers); h.combine(cap)
        h.combine(accelerator?.above); h.combine(accelerator?.rate)
    }
}

/// How each pay line is rounded to the currency's minor unit (once, at the line).
public enum RoundingRule: String, Sendable, Hashable {
    case halfAwayFromZero = "half_away_from_zero"
    case halfEven = "half_even"
}
