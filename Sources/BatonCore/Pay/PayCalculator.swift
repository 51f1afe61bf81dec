/// Turns one person's scorecard into bonus and commission lines (docs/pay.md). Pure arithmetic on exact
/// fractions; each line is rounded once.
struct PayCalculator {
    let currency: Currency
    let rounding: RoundingRule
    let period: Period

    struct Input {
        var person: Person
        var pay: PayPlan
        /// The scores the bonus is paid on (the team's for `basis: team`).
        var scores: [KPIScore]
        var weightedTotal: Exact
        /// The figures commission bases are read from.
        var figures: [KPIValue]
        /// The target of a KPI for this person (for accelerators).
        var target: (String) -> Target?
        /// A deal's amount in currency units.
        var dealAmount: (Int) -> Exact
    }

    func money(_ x: Exact) -> String { x.decimalString(places: currency.decimals) }

    func line(_ kind: PayLineKind, _ name: String, _ exact: Exact, rule: String, arithmetic: String) -> PayLine {
        let amount = currency.round(exact, rounding)
        let rounded = currency.major(amount)
        let tail = rounded == exact ? "" : " → \(money(rounded)) (rounded \(rounding == .halfEven ? "half to even" : "half away from zero"))"
        return PayLine(kind: kind, name: name, amount: amount, exact: exact, rule: rule,
                       arithmetic: arithmetic + " = " + Printing.exact(exact) + (exact.isDecimal(places: Printing.places) ? "" : "…") + tail)
    }

    /// Days of the period the person was employed, and the period's days.
    func employedDays(_ p: Person) -> (Int, Int) {
        let first = max(p.startDate ?? period.first, period.first)
        let last = min(p.endDate ?? period.last, period.last)
        return (last < first ? 0 : first.distance(to: last) + 1, period.dayCount)
    }

    func lines(_ input: Input) -> (lines: [PayLine], shares: [(deal: Int, commission: String, share: Money)], warnings: [String]) {
        var out: [PayLine] = []
        var shares: [(Int, String, Money)] = []
        var warnings: [String] = []
        let p = input.person
        let pay = input.pay

        if let curve = pay.bonus {
            var t = Exact.zero
            var tWords = ""
            if let ti = p.targetIncentive {
                t = currency.major(ti)
                tWords = "target incentive \(money(t)) (people.csv)"
            } else if let ti = pay.targetIncentive {
                t = ti
                tWords = "target incentive \(money(t)) (plan default)"
            } else {
                tWords = "target incentive 0 (none in people.csv or the plan)"
                warnings.append("\(p.id) has no target_incentive in people.csv and the plan gives no default: bonus is 0.")
            }
            var factor = Exact.one
            var proWords = ""
            if pay.proration == .days {
                let (d, total) = employedDays(p)
                if d != total {
                    factor = Exact(.init(d), .init(total))
                    proWords = " × \(d)/\(total) days employed"
                }
            }
            // Gates: evidence lines, and their effect on the payout.
            var zeroed = false
            var gateCap: Exact?
            var gateLines: [PayLine] = []
            for g in pay.gates {
                let v = input.figures.first { $0.kpi == g.kpi }?.value
                let fails = v.map { $0 < g.below } ?? true
                let shown = v.map { Printing.number($0, unit: g.kpi.unit, currency: currency) } ?? "no data"
                guard fails else { continue }
                if let c = g.cap {
                    gateCap = gateCap.map { Exact.min($0, c) } ?? c
                    gateLines.append(line(.gate, "gate:\(g.kpi.name)", .zero, rule: "gate: \(g.kpi.name) below \(Printing.exact(g.below)) holds the bonus payout at \(percent(c))",
                                          arithmetic: "\(g.kpi.name) \(shown) < \(Printing.exact(g.below))"))
                } else {
                    zeroed = true
                    gateLines.append(line(.gate, "gate:\(g.kpi.name)", .zero, rule: "gate: \(g.kpi.name) below \(Printing.exact(g.below)) zeroes the bonus",
                                          arithmetic: "\(g.kpi.name) \(shown) < \(Printing.exact(g.below))"))
                }
            }
            func applyGates(_ payout: Exact, _ words: String) -> (Exact, String) {
                if zeroed { return (.zero, words + "; gated to 0%") }
                if let c = gateCap, c < payout { return (c, words + "; gated at \(percent(c))") }
                return (payout, words)
            }
            switch pay.basis {
            case .weightedScore, .team:
                let (raw, words) = curve.payout(at: input.weightedTotal)
                let (payout, w2) = applyGates(raw, words)
                let exact = t * factor * payout
                out.append(line(.bonus, "bonus", exact,
                                rule: "bonus: \(pay.basis == .team ? "team " : "")weighted score \(Printing.exact(input.weightedTotal)) on the payout curve; \(w2)",
                                arithmetic: "\(money(t))\(proWords) × \(percent(payout))"))
            case .perKPI:
                for s in input.scores {
                    let score = s.score ?? .zero
                    let (raw, words) = curve.payout(at: score)
                    let (payout, w2) = applyGates(raw, words)
                    let share = s.plan.weight / .hundred
                    let exact = t * factor * share * payout
                    out.append(line(.bonus, "bonus:\(s.plan.kpi.name)", exact,
                                    rule: "bonus per KPI: \(s.plan.kpi.name) score \(s.score.map(Printing.exact) ?? "no data (0)") on the payout curve; \(w2)",
                                    arithmetic: "\(money(t))\(proWords) × weight \(Printing.exact(s.plan.weight))% × \(percent(payout))"))
                }
            }
            _ = tWords
            out += gateLines
        }

        for rule in pay.commissions {
            guard let figure = input.figures.first(where: { $0.kpi == rule.base }) else { continue }
            let base = figure.value ?? .zero
            let target = rule.accelerator != nil ? input.target(rule.base.name) : nil
            let (exact, words) = commission(rule, base: base, target: target)
            out.append(line(.commission, "commission:\(rule.name)", exact,
                            rule: "commission \(rule.name): \(rule.method.rawValue) tiers on \(rule.base.name)",
                            arithmetic: words))
            // Attribute the exact commission to the base's deals in proportion to their amounts.
            if !base.isZero, !exact.isZero {
                let deals = figure.numeratorRows.deals
                let paid = out.last!.amount
                for (d, share) in zip(deals, allocate(paid, by: deals.map(input.dealAmount))) {
                    shares.append((d, rule.name, share))
                }
            }
        }
        return (out, shares, warnings)
    }

    /// Splits a rounded amount over weights in whole minor units that add up to it exactly: each part
    /// gets the floor of its exact share, and the units left over go to the largest remainders (ties: the
    /// earlier part).
    func allocate(_ total: Money, by weights: [Exact]) -> [Money] {
        let sum = weights.reduce(Exact.zero, +)
        guard !sum.isZero else { return weights.map { _ in .zero } }
        let exact = weights.map { Exact(.init(total.minorUnits)) * $0 / sum }
        var parts = exact.map { x -> Int64 in
            if let (n, d) = x.small {
                // Floor division: truncation moves a negative fraction up, so one less.
                let q = n / d
                return n < 0 && n % d != 0 ? q - 1 : q
            }
            let (q, _) = x.numerator.quotientAndRemainder(dividingBy: x.denominator)
            return Int64(x.isNegative && !x.isInteger ? q - 1 : q)
        }
        var left = total.minorUnits - parts.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let ra = exact[a] - Exact(parts[a]), rb = exact[b] - Exact(parts[b])
            return ra != rb ? rb < ra : a < b
        }
        var k = 0
        while left > 0 && !order.isEmpty {
            parts[order[k % order.count]] += 1
            left -= 1
            k += 1
        }
        return parts.map { Money(minorUnits: $0) }
    }

    /// The exact commission on a base, and its arithmetic in words.
    func commission(_ rule: CommissionRule, base b: Exact, target: Target?) -> (Exact, String) {
        let tiers = rule.tiers.sorted { $0.from < $1.from }
        var accelFrom: Exact?
        var notes: [String] = []
        if let acc = rule.accelerator {
            if let target {
                accelFrom = acc.above * target.value
            } else {
                notes.append("no \(rule.base.name) target: no accelerator")
            }
        }
        let normalTop = accelFrom.map { Exact.min(b, $0) } ?? b
        var total = Exact.zero
        var parts: [String] = []
        switch rule.method {
        case .marginal:
            for (i, tier) in tiers.enumerated() {
                let upper = i + 1 < tiers.count ? Exact.min(tiers[i + 1].from, normalTop) : normalTop
                guard tier.from < upper else { continue }
                let slice = upper - tier.from
                total += slice * tier.rate
                parts.append("\(money(slice)) × \(percent(tier.rate))")
            }
        case .retroactive:
            if let tier = tiers.last(where: { !(b < $0.from) }) {
                total = normalTop * tier.rate
                parts.append("\(money(normalTop)) × \(percent(tier.rate)) (tier from \(money(tier.from)))")
            }
        }
        if let a = accelFrom, let acc = rule.accelerator, a < b {
            let above = b - a
            total += above * acc.rate
            parts.append("\(money(above)) above \(percent(acc.above)) of target \(money(target!.value)) × \(percent(acc.rate))")
        }
        var words = parts.isEmpty ? "0" : parts.joined(separator: " + ")
        if let cap = rule.cap, cap < total {
            words = "min(\(words), cap \(money(cap)))"
            total = cap
        }
        if !notes.isEmpty { words += " [\(notes.joined(separator: "; "))]" }
        return (total, "\(rule.base.name) \(money(b)): " + words)
    }
}
