/// Where something in a plan file is, so a problem can point at it (`plan.yaml:12:9`).
public struct PlanLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

/// How people are evaluated: the currency, the agreed validity rules, and one scorecard per role.
public struct Plan: Sendable {
    public var currency: Currency
    public var validity: ValidityRules
    /// Spend with no owner counts for the team mapped to its channel; unmapped, it is reported unowned.
    public var channelTeams: [String: String]
    public var scorecards: [ScorecardPlan]
    /// How pay lines are rounded to the minor unit.
    public var rounding: RoundingRule = .halfAwayFromZero
    /// The file the plan came from, as problems are reported against it (`(default plan)` for the
    /// built-in one).
    public var origin: String
    /// How results name the plan: `plan.yaml` for the data folder's own, the path given to `--plan`,
    /// or `(default plan)`. Never an absolute path of this machine, so recorded results are portable.
    public var label: String

    public init(currency: Currency, validity: ValidityRules, channelTeams: [String: String] = [:],
                scorecards: [ScorecardPlan], origin: String, label: String? = nil) {
        self.currency = currency; self.validity = validity; self.channelTeams = channelTeams
        self.scorecards = scorecards; self.origin = origin; self.label = label ?? origin
    }

    /// The scorecard for a role, if the plan evaluates that role.
    public func scorecard(forRole role: String) -> ScorecardPlan? {
        scorecards.first { $0.role == role }
    }
}

/// The agreed criteria for a valid lead that a plan may override.
public struct ValidityRules: Sendable, Hashable {
    /// Matched against the whole normalised phone.
    public var phonePattern: String
    /// A lead is a duplicate of one with the same phone at most this many days earlier.
    public var dedupeDays: Int

    public static let defaultPhonePattern = #"^\+?[0-9]{7,15}$"#
    public init(phonePattern: String = ValidityRules.defaultPhonePattern, dedupeDays: Int = 30) {
        self.phonePattern = phonePattern
        self.dedupeDays = dedupeDays
    }
}

/// What a KPI with no score does to the weighted total.
public enum NoDataPolicy: String, Sendable, Hashable {
    /// The KPI scores 0.
    case zero
    /// The KPI is left out and the other weights are scaled up to 100.
    case reweight
}

/// The scorecard one role is evaluated on.
public struct ScorecardPlan: Sendable, Hashable {
    /// The `role` in people.csv this scorecard applies to.
    public var role: String
    public var side: Side
    public var noData: NoDataPolicy
    public var kpis: [KPIPlan]
    /// How the scorecard becomes pay; nil: scored, not paid.
    public var pay: PayPlan?
    public var location: PlanLocation?

    public init(role: String, side: Side, noData: NoDataPolicy = .zero, kpis: [KPIPlan], pay: PayPlan? = nil,
                location: PlanLocation? = nil) {
        self.role = role; self.side = side; self.noData = noData; self.kpis = kpis; self.pay = pay
        self.location = location
    }
}

/// Where a KPI's target comes from.
public enum TargetSource: Sendable, Hashable, CustomStringConvertible {
    /// targets.csv (person, team, role), else the history average.
    case targets
    /// The history average only.
    case history
    /// A number fixed in the plan.
    case fixed(Exact)

    public var description: String {
        switch self {
        case .targets: return "targets"
        case .history: return "history"
        case .fixed(let v): return v.shortDecimalString()
        }
    }
}

/// One step of a step table: from this attainment upward, this score.
public struct ScoreStep: Sendable, Hashable {
    public var from: Exact
    public var score: Exact
    public init(from: Exact, score: Exact) { self.from = from; self.score = score }
}

/// How an attainment becomes a score.
public enum ScoringRule: Sendable, Hashable {
    /// score = 100 × attainment; 0 below the threshold; held at 100 × cap above the cap.
    case linear(threshold: Exact, cap: Exact?)
    /// The score of the highest step whose `from` is at or below the attainment; 0 below the first.
    case steps([ScoreStep])

    /// The rule in words, for scorecards: `linear, 0 below 50%, capped at 150%`.
    public var summary: String {
        switch self {
        case .linear(let t, let c):
            var s = "linear: 100 points at 100% attainment"
            if !t.isZero { s += ", 0 below \(percent(t))" }
            if let c { s += ", capped at \(percent(c))" }
            return s
        case .steps(let steps):
            return "steps: " + steps.map { "from \(percent($0.from)) → \($0.score.shortDecimalString())" }.joined(separator: ", ")
        }
    }
}

/// A fraction as a percentage with up to four decimals: `0.875` → `87.5%`.
/// When four places do not hold it exactly, the text starts with `≈` (the exact fraction is what counts).
public func percent(_ v: Exact) -> String {
    let h = v * Exact.hundred
    // Four places hold it exactly when it is a whole number of 10^-4 (what reading the text back tells).
    return (h.isDecimal(places: 4) ? "" : "≈") + h.shortDecimalString(maxPlaces: 4) + "%"
}

/// One KPI on a scorecard: its weight, direction, target source and scoring rule.
public struct KPIPlan: Sendable, Hashable {
    public var kpi: KPI
    public var weight: Exact
    public var direction: Direction
    public var target: TargetSource
    public var scoring: ScoringRule
    public var location: PlanLocation?

    public init(kpi: KPI, weight: Exact, direction: Direction? = nil, target: TargetSource = .targets,
                scoring: ScoringRule = .linear(threshold: .zero, cap: nil), location: PlanLocation? = nil) {
        self.kpi = kpi; self.weight = weight; self.direction = direction ?? kpi.direction
        self.target = target; self.scoring = scoring; self.location = location
    }
}
