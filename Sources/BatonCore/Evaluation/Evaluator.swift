/// Evaluates one period: verdicts, tallies, figures, targets and scores, per person and per team.
/// Pure: values in, values out.
public enum Evaluator {
    /// `paidCommissions`: deals' commission shares recorded in earlier periods' results, for clawbacks.
    /// `step` is told each part's name as it is done (the command line times them for `--timings`).
    public static func evaluate(_ data: PeriodData, plan: Plan, period: Period,
                                paidCommissions: [PaidCommission] = [], step: (String) -> Void = { _ in }) throws(EvaluationError) -> Evaluation {
        let phones: PhoneRules
        do {
            phones = try PhoneRules(pattern: plan.validity.phonePattern)
        } catch {
            throw EvaluationError(message: "\(plan.origin): validity.phone_pattern is not a valid regular expression: \(error)")
        }
        var derived = Derived(data, rules: plan.validity, phones: phones)
        step("verdicts and references")
        // The first dated day, found out while the rows were read for the derived facts (the same as
        // `data.earliestDay`, which would read every row once more).
        assert(derived.earliestDay == data.earliestDay)
        let earlier = Array((derived.earliestDay.map { period.earlierPeriods(backTo: $0) } ?? []).reversed())
        var tallies = PeriodTally.build(data, derived: derived, plan: plan, periods: earlier + [period])
        let current = tallies.removeLast()
        // The per-row references only the tallies needed: let their memory go before the rest is built.
        derived.releaseTallyInputs()
        step("tallies")
        let targets = TargetBook(data.targets)
        let currency = plan.currency
        let people = data.people
        let coverage = Coverage(spend: data.hasSpend, followups: data.hasFollowups)

        // Who is evaluated on which side; managers (pay basis `team`) are scored on their team's row.
        var cardOf: [Int: ScorecardPlan] = [:]
        var notEvaluated: [Int] = []
        for (i, person) in people.enumerated() {
            if let card = plan.scorecard(forRole: person.role) { cardOf[i] = card } else { notEvaluated.append(i) }
        }
        let isManager: (Int) -> Bool = { cardOf[$0]?.pay?.basis == .team }
        // Each team's people in people.csv order: all of them, and those evaluated on each side.
        var teamPeople: [String: [Int]] = [:]
        var teamSide: [Side: [String: [Int]]] = [.marketing: [:], .sales: [:]]
        for (i, p) in people.enumerated() {
            teamPeople[p.team, default: []].append(i)
            if let side = cardOf[i]?.side { teamSide[side]![p.team, default: []].append(i) }
        }
        /// Whose tallies make a team's row on a side (see `teamTally`).
        func tallyMembers(_ team: String, _ side: Side) -> [Int] {
            side == .marketing ? teamPeople[team] ?? [] : teamSide[.sales]![team] ?? []
        }

        // History averages are cached per subject in a `History`; each core gets its own (the people are
        // split in two halves below), so no cache is shared between threads.
        /// A person's target for a KPI: the plan's fixed number, targets.csv, or the history average.
        func personTarget(_ i: Int, _ side: Side, _ kpiName: String, source: TargetSource, _ history: History) -> Target? {
            let person = people[i]
            switch source {
            case .fixed(let v): return Target(value: v, origin: .plan)
            case .targets:
                if let t = targets.lookup(person: person, kpi: kpiName) { return t }
                return history.average(person: i, side: side, kpi: kpiName, start: person.startDate, currency: currency, coverage: coverage)
            case .history:
                return history.average(person: i, side: side, kpi: kpiName, start: person.startDate, currency: currency, coverage: coverage)
            }
        }
        /// A team's target for a KPI: for counts and money the sum of its (non-manager) members' targets
        /// when every member has one, else the team's history average.
        func teamTarget(_ team: String, _ side: Side, _ kpi: KPI, _ history: History) -> Target? {
            let members = (teamSide[side]![team] ?? []).filter { !isManager($0) }
            if kpi.unit == .count || kpi.unit == .money, !members.isEmpty {
                let ts = members.map { personTarget($0, side, kpi.name, source: .targets, history) }
                if ts.allSatisfy({ $0 != nil }) {
                    return Target(value: ts.reduce(Exact.zero) { $0 + $1!.value }, origin: .sumOfMembers(members.count))
                }
            }
            return history.teamAverage(team: team, side: side, kpi: kpi.name, members: tallyMembers(team, side), currency: currency, coverage: coverage)
        }
        /// A manager's target: their own targets.csv row, else the team's.
        func managerTarget(_ i: Int, _ side: Side, _ kpi: KPI, source: TargetSource, _ history: History) -> Target? {
            switch source {
            case .fixed(let v): return Target(value: v, origin: .plan)
            case .targets:
                if let t = targets.lookup(scope: .person(people[i].id), kpi: kpi.name) { return t }
                return teamTarget(people[i].team, side, kpi, history)
            case .history:
                return history.teamAverage(team: people[i].team, side: side, kpi: kpi.name, members: tallyMembers(people[i].team, side), currency: currency, coverage: coverage)
            }
        }

        /// Person `i`'s scorecard (they have a scorecard plan).
        func scorecard(_ i: Int, _ history: History) -> PersonScorecard {
            let person = people[i]
            let card = cardOf[i]!
            let side = card.side
            let salesTarget = side == .sales ? personTarget(i, side, "total_sales", source: .targets, history) : nil
            let figures = current.person[i].values(side, currency: currency, salesTarget: salesTarget, coverage: coverage)
            var scoredFigures = figures
            var scoredOn: String?
            let target: (KPIPlan) -> Target?
            if isManager(i) {
                scoredOn = person.team
                let total = KPI.named("total_sales", side: .sales)!
                let teamSalesTarget = side == .sales ? managerTarget(i, side, total, source: .targets, history) : nil
                let (tally, _, _) = teamTally(person.team, side: side, in: current, members: tallyMembers(person.team, side))
                scoredFigures = tally.values(side, currency: currency, salesTarget: teamSalesTarget, coverage: coverage)
                target = { kp in managerTarget(i, side, kp.kpi, source: kp.target, history) }
            } else {
                target = { kp in personTarget(i, side, kp.kpi.name, source: kp.target, history) }
            }
            let kpiTargets: [Target?] = card.kpis.map { kp in
                if kp.kpi.name == "completion_rate", case .targets = kp.target {
                    return targets.lookup(person: person, kpi: "completion_rate") ?? Target(value: .one, origin: .full)
                }
                return target(kp)
            }
            let (scores, total) = Scoring.score(card, values: scoredFigures, targets: kpiTargets)
            return PersonScorecard(person: i, side: side, plan: card, figures: figures, scores: scores,
                                   weightedTotal: total, scoredOnTeam: scoredOn, scoredFigures: scoredFigures)
        }

        // People are independent of each other: score the two halves of people.csv on both cores.
        let histories = (History(periods: earlier, tallies: tallies), History(periods: earlier, tallies: tallies))
        let evaluatedPeople = people.indices.filter { cardOf[$0] != nil }
        let halfway = evaluatedPeople.count / 2
        let (firstHalf, secondHalf) = Parallel.both(
            { evaluatedPeople[..<halfway].map { scorecard($0, histories.0) } },
            { evaluatedPeople[halfway...].map { scorecard($0, histories.1) } })
        let scorecards = firstHalf + secondHalf
        let history = histories.0
        // Teams: in order of first appearance in people.csv.
        var teamOrder: [String] = []
        var seenTeams = Set<String>()
        for p in people where seenTeams.insert(p.team).inserted { teamOrder.append(p.team) }
        for t in current.teamOwn.keys.sorted() where seenTeams.insert(t).inserted { teamOrder.append(t) }

        step("people's scorecards")
        // The team rows and the label disputes are independent: side by side on both cores.
        let ((teams, totals), (periodLeads, disputes)) = Parallel.both({ () -> ([TeamScorecard], [Side: [KPIValue]]) in
            var teams: [TeamScorecard] = []
            var totals: [Side: [KPIValue]] = [:]
            for side in Side.allCases {
                var sideTotal = Tally()
                for team in teamOrder {
                    let members = teamSide[side]![team] ?? []
                    let (tally, ownLeads, ownSpend) = teamTally(team, side: side, in: current, members: tallyMembers(team, side))
                    let hasData = side == .marketing ? !(tally.leads.isEmpty && tally.spendRows.isEmpty && tally.marketingNewDeals.isEmpty)
                                                     : !(tally.assigned.isEmpty && tally.wonDeals.isEmpty && tally.followupRows.isEmpty)
                    guard !members.isEmpty || hasData else { continue }
                    sideTotal.add(tally)
                    var target: Target?
                    if side == .sales {
                        target = teamTarget(team, .sales, KPI.named("total_sales", side: .sales)!, history)
                    }
                    teams.append(TeamScorecard(team: team, side: side, members: members,
                                               figures: tally.values(side, currency: currency, salesTarget: target, coverage: coverage),
                                               ownLeads: ownLeads, ownSpend: ownSpend))
                }
                if side == .marketing {
                    sideTotal.leads += current.unattributedLeads
                    sideTotal.validLeads += current.unattributedLeads.filter { derived.verdicts.isValid($0) }
                    sideTotal.spendRows += current.unownedSpend
                    sideTotal.spend += current.unownedSpendTotal
                }
                var totalTarget: Target?
                if side == .sales {
                    let teamTargets = teams.filter { $0.side == .sales }.map { $0.figure("completion_rate")?.denominator }
                    // Every team needs a usable (non-zero) target, or untargeted sales would pass for over-completion.
                    if !teamTargets.isEmpty, teamTargets.allSatisfy({ $0.map { !$0.isZero } ?? false }) {
                        totalTarget = Target(value: teamTargets.reduce(Exact.zero) { $0 + $1! }, origin: .sumOfTeams(teamTargets.count))
                    }
                }
                totals[side] = sideTotal.values(side, currency: currency, salesTarget: totalTarget, coverage: coverage)
            }
            return (teams, totals)
        }, { () -> ([Int], [LabelDispute]) in
            let periodLeads = data.leads.indices.filter { period.contains(data.leads[$0].createdAt.day) }
            var disputes: [LabelDispute] = []
            for i in periodLeads {
                guard let label = data.leads[i].salesLabel else { continue }
                let valid = derived.verdicts.isValid(i)
                if (label == .valid) != valid {
                    disputes.append(LabelDispute(lead: i, salesPerson: derived.leadAssignee[i] >= 0 ? Int(derived.leadAssignee[i]) : nil,
                                                 label: label, failedRule: derived.verdicts.failedRule(i)))
                }
            }
            return (periodLeads, disputes)
        })
        step("team rows, totals and disputes")

        var warnings: [EvaluationWarning] = []
        if !notEvaluated.isEmpty {
            let roles = Set(notEvaluated.map { people[$0].role }).sorted()
            warnings.append(EvaluationWarning("\(notEvaluated.count) \(notEvaluated.count == 1 ? "person is" : "people are") not evaluated: no scorecard in the plan for role \(roles.map { "'\($0)'" }.joined(separator: ", "))."))
        }
        if !current.unattributedLeads.isEmpty {
            warnings.append(EvaluationWarning("\(current.unattributedLeads.count) lead(s) of the period have no marketing_owner, no single channel owner on spend.csv and no assignee: they count only in the marketing total, credited to nobody."))
        }
        if !current.unownedSpend.isEmpty {
            warnings.append(EvaluationWarning("\(current.unownedSpend.count) spend row(s) (\(currency.formatGrouped(current.unownedSpendTotal)) \(currency.code)) have no marketing_owner and no channel_teams mapping in the plan: reported as unowned."))
        }
        if !current.dealsWithUnknownLead.isEmpty {
            let ids = current.dealsWithUnknownLead.prefix(5).map { data.deals[$0].id }.joined(separator: ", ")
            warnings.append(EvaluationWarning("\(current.dealsWithUnknownLead.count) won deal(s) of the period name a lead_id that is not in leads.csv (\(ids)\(current.dealsWithUnknownLead.count > 5 ? ", ..." : "")): they count for their salesperson but for no marketer."))
        }
        let roles = Set(people.map(\.role))
        for card in plan.scorecards where !roles.contains(card.role) {
            warnings.append(EvaluationWarning("The plan's scorecard '\(card.role)' names a role no one in people.csv has: check the spelling (roles in people.csv: \(roles.sorted().joined(separator: ", ")))."))
        }
        for report in Alignment.report(plan) {
            for f in report.findings where !f.mirrored {
                warnings.append(EvaluationWarning("Plan alignment: \(f.kpi) carries \(Printing.exact(f.weight))% of scorecard '\(f.role)' and depends on \(f.dependsOn), but no scorecard of the other side carries \(f.mirrors.joined(separator: " or ")) (run baton check for details)."))
            }
        }
        let orphanFollowups = derived.orphanFollowups
        if orphanFollowups > 0 {
            warnings.append(EvaluationWarning("\(orphanFollowups) follow-up(s) name a lead_id that is not in leads.csv: ignored for contact and test-drive rates."))
        }

        step("warnings")
        // Pay: each paid scorecard's lines, then adjustments and clawbacks, in people.csv order.
        let calc = PayCalculator(currency: currency, rounding: plan.rounding, period: period)
        /// A paid scorecard's pay lines, commission shares and warnings.
        func payOf(_ card: PersonScorecard, _ pay: PayPlan, _ history: History) -> (Int, [PayLine], [CommissionShare], [String]) {
            let i = card.person
            let input = PayCalculator.Input(
                person: people[i], pay: pay, scores: card.scores, weightedTotal: card.weightedTotal,
                figures: card.scoredFigures,
                target: { name in
                    guard let kpi = KPI.named(name, side: card.side) else { return nil }
                    return isManager(i) ? managerTarget(i, card.side, kpi, source: .targets, history)
                                        : personTarget(i, card.side, name, source: .targets, history)
                },
                dealAmount: { currency.major(data.deals[$0].amount) })
            let (lines, dealShares, payWarnings) = calc.lines(input)
            return (i, lines, dealShares.map { CommissionShare(deal: $0.deal, person: i, commission: $0.commission, share: $0.share) },
                    payWarnings)
        }
        // Each half of the scorecards on the core (and history cache) that scored it; merged in order.
        let (firstPay, secondPay) = Parallel.both(
            { scorecards[..<firstHalf.count].compactMap { c in c.plan.pay.map { payOf(c, $0, histories.0) } } },
            { scorecards[firstHalf.count...].compactMap { c in c.plan.pay.map { payOf(c, $0, histories.1) } } })
        var linesOf: [Int: [PayLine]] = [:]
        var shares: [CommissionShare] = []
        for (i, lines, dealShares, payWarnings) in firstPay + secondPay {
            linesOf[i, default: []] += lines
            shares += dealShares
            warnings += payWarnings.map(EvaluationWarning.init)
        }
        for a in data.adjustments {
            guard let i = derived.person(a.personID) else { continue }
            let exact = currency.major(a.amount)
            linesOf[i, default: []].append(calc.line(.adjustment, "adjustment", exact,
                rule: "adjustment: \(a.reason) (approved by \(a.approvedBy))",
                arithmetic: "adjustments.csv line \(a.source.line): \(currency.format(a.amount))"))
        }
        // Deals by id, for clawbacks only: not built when there are none to look up.
        var dealByID: [String: Int] = [:]
        if !paidCommissions.isEmpty {
            dealByID.reserveCapacity(data.deals.count)
            for (i, d) in data.deals.enumerated() where dealByID[d.id] == nil { dealByID[d.id] = i }
        }
        for paid in paidCommissions {
            guard let d = dealByID[paid.dealID] else { continue }
            let deal = data.deals[d]
            guard deal.status == .cancelled, let cancelled = deal.cancelledAt, period.contains(cancelled.day),
                  deal.closedAt.day < period.first else { continue }
            guard let i = derived.person(paid.personID) else {
                warnings.append(EvaluationWarning("Deal \(deal.id) was cancelled in the period, but \(paid.personID), who was paid its commission (\(paid.origin)), is not in people.csv: nothing clawed back."))
                continue
            }
            let exact = -currency.major(paid.share)
            linesOf[i, default: []].append(calc.line(.clawback, "clawback:\(deal.id)", exact,
                rule: "clawback: deal \(deal.id) closed \(deal.closedAt.day), cancelled \(cancelled.day); its \(paid.commission) commission share was paid earlier",
                arithmetic: "−\(currency.format(paid.share)) recorded in \(paid.origin)"))
        }
        let statements = people.indices.compactMap { i in linesOf[i].map { PayStatement(person: i, lines: $0) } }
        var payTeams: [String] = []
        var payTeamTotals: [String: Money] = [:]
        for st in statements {
            let team = people[st.person].team
            if payTeamTotals[team] == nil { payTeams.append(team) }
            payTeamTotals[team, default: .zero] += st.total
        }
        let payroll = Payroll(statements: statements, commissionShares: shares,
                              teamTotals: payTeams.map { ($0, payTeamTotals[$0]!) })

        step("pay")
        return Evaluation(period: period, plan: plan, data: data, verdicts: derived.verdicts, credits: current.credits,
                          dealIsNew: derived.dealIsNew, periodLeads: periodLeads, people: scorecards, teams: teams,
                          notEvaluated: notEvaluated, unattributedLeads: current.unattributedLeads,
                          unownedSpend: current.unownedSpend, unownedSpendTotal: current.unownedSpendTotal,
                          labelDisputes: disputes, warnings: warnings, totals: totals, payroll: payroll)
    }

    /// A team's tally on a side: every person of the team's part for that side, plus what is credited
    /// to the team itself. Also how many leads and how much spend the team holds in its own name.
    /// `members`: the team's people in people.csv order (all of them for marketing; for sales only those
    /// evaluated on the sales side: a receptionist's follow-ups or a manager's own deals are not the team's
    /// sales figures).
    static func teamTally(_ team: String, side: Side, in t: PeriodTally, members: [Int]) -> (Tally, Int, Money) {
        var tally = Tally()
        for i in members {
            let p = t.person[i]
            switch side {
            case .marketing:
                tally.leads += p.leads; tally.validLeads += p.validLeads; tally.spendRows += p.spendRows
                tally.spend += p.spend; tally.marketingNewDeals += p.marketingNewDeals
                tally.marketingNewSales += p.marketingNewSales
            case .sales:
                var s = p
                s.leads = []; s.validLeads = []; s.spendRows = []; s.spend = .zero
                s.marketingNewDeals = []; s.marketingNewSales = .zero
                tally.add(s)
            }
        }
        var ownLeads = 0
        var ownSpend = Money.zero
        if side == .marketing, let own = t.teamOwn[team] {
            tally.add(own)
            ownLeads = own.leads.count
            ownSpend = own.spend
        }
        return (tally, ownLeads, ownSpend)
    }

}

/// targets.csv, indexed by scope and KPI.
struct TargetBook: Sendable {
    private var rows: [String: TargetRow] = [:]

    init(_ rows: [TargetRow]) {
        for r in rows { self.rows["\(r.scope)\u{1}\(r.kpi)"] = r }
    }

    /// The row for exactly this scope.
    func lookup(scope: TargetScope, kpi: String) -> Target? {
        rows["\(scope)\u{1}\(kpi)"].map { Target(value: $0.target, origin: .targetsFile(scope: $0.scope, line: $0.source.line)) }
    }

    /// The most specific row for a person: person, then `team:`, then `role:`.
    func lookup(person: Person, kpi: String) -> Target? {
        for scope in [TargetScope.person(person.id), .team(person.team), .role(person.role)] {
            if let r = rows["\(scope)\u{1}\(kpi)"] {
                return Target(value: r.target, origin: .targetsFile(scope: r.scope, line: r.source.line))
            }
        }
        return nil
    }
}

/// Earlier whole periods and their tallies, oldest first, for the history-average target fallback.
/// A person's (or team's) figures in an earlier period are computed once and reused for every KPI and
/// every target that asks for them.
final class History {
    let periods: [Period]
    let tallies: [PeriodTally]
    /// Per period, by `person * 2 + side` (1: sales): the person's figures once computed.
    private var personValues: [[[KPIValue]?]]
    private var teamValues: [[String: [KPIValue]]]

    init(periods: [Period], tallies: [PeriodTally]) {
        self.periods = periods
        self.tallies = tallies
        personValues = tallies.map { [[KPIValue]?](repeating: nil, count: $0.person.count * 2) }
        teamValues = Array(repeating: [:], count: periods.count)
    }

    func average(person: Int, side: Side, kpi: String, start: Day?, currency: Currency, coverage: Coverage) -> Target? {
        var points: [HistoryPoint] = []
        for (k, q) in periods.enumerated() {
            if let start, q.last < start { continue }
            let values: [KPIValue]
            if let v = personValues[k][person * 2 + (side == .sales ? 1 : 0)] {
                values = v
            } else {
                values = tallies[k].person[person].values(side, currency: currency, salesTarget: nil, coverage: coverage)
                personValues[k][person * 2 + (side == .sales ? 1 : 0)] = values
            }
            if let v = values.first(where: { $0.kpi.name == kpi })?.value {
                points.append(HistoryPoint(period: q, value: v))
            }
        }
        return History.mean(points)
    }

    func teamAverage(team: String, side: Side, kpi: String, members: [Int], currency: Currency, coverage: Coverage) -> Target? {
        var points: [HistoryPoint] = []
        let key = "\(side)\u{1}\(team)"
        for (k, q) in periods.enumerated() {
            let values: [KPIValue]
            if let v = teamValues[k][key] {
                values = v
            } else {
                let (tally, _, _) = Evaluator.teamTally(team, side: side, in: tallies[k], members: members)
                values = tally.values(side, currency: currency, salesTarget: nil, coverage: coverage)
                teamValues[k][key] = values
            }
            if let v = values.first(where: { $0.kpi.name == kpi })?.value {
                points.append(HistoryPoint(period: q, value: v))
            }
        }
        return History.mean(points)
    }

    static func mean(_ points: [HistoryPoint]) -> Target? {
        guard !points.isEmpty else { return nil }
        let sum = points.reduce(Exact.zero) { $0 + $1.value }
        return Target(value: sum / Exact(points.count), origin: .history(points))
    }
}
