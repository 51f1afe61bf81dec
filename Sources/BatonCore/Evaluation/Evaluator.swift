/// Evaluates one period: verdicts, tallies, figures, targets and scores, per person and per team.
/// Pure: values in, values out.
public enum Evaluator {
    public static func evaluate(_ data: PeriodData, plan: Plan, period: Period) throws(EvaluationError) -> Evaluation {
        let phones: PhoneRules
        do {
            phones = try PhoneRules(pattern: plan.validity.phonePattern)
        } catch {
            throw EvaluationError(message: "\(plan.origin): validity.phone_pattern is not a valid regular expression: \(error)")
        }
        let derived = Derived(data, rules: plan.validity, phones: phones)
        let current = PeriodTally(data, derived: derived, plan: plan, period: period)
        let earlier = data.earliestDay.map { period.earlierPeriods(backTo: $0) } ?? []
        let history = History(periods: earlier.reversed(), tallies: earlier.reversed().map {
            PeriodTally(data, derived: derived, plan: plan, period: $0)
        })
        let targets = TargetBook(data.targets)
        let currency = plan.currency
        let people = data.people
        let coverage = Coverage(spend: data.hasSpend, followups: data.hasFollowups)

        var scorecards: [PersonScorecard] = []
        var notEvaluated: [Int] = []
        var resolvedSalesTargets: [Int: Target?] = [:]
        for (i, person) in people.enumerated() {
            guard let card = plan.scorecard(forRole: person.role) else {
                notEvaluated.append(i)
                continue
            }
            let side = card.side
            func personTarget(_ kpiName: String, source: TargetSource) -> Target? {
                switch source {
                case .fixed(let v): return Target(value: v, origin: .plan)
                case .targets:
                    if let t = targets.lookup(person: person, kpi: kpiName) { return t }
                    return history.average(person: i, side: side, kpi: kpiName, start: person.startDate, currency: currency, coverage: coverage)
                case .history:
                    return history.average(person: i, side: side, kpi: kpiName, start: person.startDate, currency: currency, coverage: coverage)
                }
            }
            var salesTarget: Target?
            if side == .sales {
                salesTarget = personTarget("total_sales", source: .targets)
                resolvedSalesTargets[i] = salesTarget
            }
            let figures = current.person[i].values(side, currency: currency, salesTarget: salesTarget, coverage: coverage)
            let kpiTargets: [Target?] = card.kpis.map { kp in
                if kp.kpi.name == "completion_rate", case .targets = kp.target {
                    return targets.lookup(person: person, kpi: "completion_rate") ?? Target(value: .one, origin: .full)
                }
                return personTarget(kp.kpi.name, source: kp.target)
            }
            let (scores, total) = Scoring.score(card, values: figures, targets: kpiTargets)
            scorecards.append(PersonScorecard(person: i, side: side, plan: card, figures: figures, scores: scores,
                                              weightedTotal: total))
        }

        // Teams: in order of first appearance in people.csv.
        var teamOrder: [String] = []
        var seenTeams = Set<String>()
        for p in people where seenTeams.insert(p.team).inserted { teamOrder.append(p.team) }
        for t in current.teamOwn.keys.sorted() where seenTeams.insert(t).inserted { teamOrder.append(t) }
        let sideOf: [Int: Side] = Dictionary(uniqueKeysWithValues: scorecards.map { ($0.person, $0.side) })
        let salesMembers = Set(scorecards.filter { $0.side == .sales }.map(\.person))

        var teams: [TeamScorecard] = []
        var totals: [Side: [KPIValue]] = [:]
        for side in Side.allCases {
            var sideTotal = Tally()
            for team in teamOrder {
                let members = people.indices.filter { people[$0].team == team && sideOf[$0] == side }
                let (tally, ownLeads, ownSpend) = teamTally(team, side: side, in: current, people: people, salesMembers: salesMembers)
                let hasData = side == .marketing ? !(tally.leads.isEmpty && tally.spendRows.isEmpty && tally.marketingNewDeals.isEmpty)
                                                 : !(tally.assigned.isEmpty && tally.wonDeals.isEmpty && tally.followupRows.isEmpty)
                guard !members.isEmpty || hasData else { continue }
                sideTotal.add(tally)
                var target: Target?
                if side == .sales {
                    target = teamSalesTarget(team: team, members: members, resolved: resolvedSalesTargets,
                                             targets: targets, history: history, people: people, salesMembers: salesMembers, currency: currency, coverage: coverage)
                }
                teams.append(TeamScorecard(team: team, side: side, members: members,
                                           figures: tally.values(side, currency: currency, salesTarget: target, coverage: coverage),
                                           ownLeads: ownLeads, ownSpend: ownSpend))
            }
            if side == .marketing {
                sideTotal.leads += current.unattributedLeads
                sideTotal.validLeads += current.unattributedLeads.filter { derived.verdicts[$0].isValid }
                sideTotal.spendRows += current.unownedSpend
                sideTotal.spend += current.unownedSpendTotal
            }
            var totalTarget: Target?
            if side == .sales {
                let teamTargets = teams.filter { $0.side == .sales }.map { $0.figure("completion_rate")?.denominator }
                if !teamTargets.isEmpty, teamTargets.allSatisfy({ $0 != nil }) {
                    totalTarget = Target(value: teamTargets.reduce(Exact.zero) { $0 + $1! }, origin: .sumOfMembers(teamTargets.count))
                }
            }
            totals[side] = sideTotal.values(side, currency: currency, salesTarget: totalTarget, coverage: coverage)
        }

        let periodLeads = data.leads.indices.filter { period.contains(data.leads[$0].createdAt.day) }
        var disputes: [LabelDispute] = []
        for i in periodLeads {
            guard let label = data.leads[i].salesLabel else { continue }
            let valid = derived.verdicts[i].isValid
            if (label == .valid) != valid {
                disputes.append(LabelDispute(lead: i, salesPerson: data.leads[i].assignedTo.flatMap { derived.personIndex[$0] },
                                             label: label, failedRule: derived.verdicts[i].failedRule))
            }
        }

        var warnings: [EvaluationWarning] = []
        if !notEvaluated.isEmpty {
            let roles = Set(notEvaluated.map { people[$0].role }).sorted()
            warnings.append(EvaluationWarning("\(notEvaluated.count) \(notEvaluated.count == 1 ? "person is" : "people are") not evaluated: no scorecard in the plan for role \(roles.map { "'\($0)'" }.joined(separator: ", "))."))
        }
        if !current.unattributedLeads.isEmpty {
            warnings.append(EvaluationWarning("\(current.unattributedLeads.count) lead(s) of the period have no marketing_owner, no single channel owner on spend.csv and no assignee: they count only in the marketing total, credited to nobody."))
        }
        if !current.unownedSpend.isEmpty {
            warnings.append(EvaluationWarning("\(current.unownedSpend.count) spend row(s) (\(currency.format(current.unownedSpendTotal)) \(currency.code)) have no marketing_owner and no channel_teams mapping in the plan: reported as unowned."))
        }
        if !current.dealsWithUnknownLead.isEmpty {
            let ids = current.dealsWithUnknownLead.prefix(5).map { data.deals[$0].id }.joined(separator: ", ")
            warnings.append(EvaluationWarning("\(current.dealsWithUnknownLead.count) won deal(s) of the period name a lead_id that is not in leads.csv (\(ids)\(current.dealsWithUnknownLead.count > 5 ? ", ..." : "")): they count for their salesperson but for no marketer."))
        }
        let orphanFollowups = data.followups.filter { derived.leadIndex[$0.leadID] == nil }.count
        if orphanFollowups > 0 {
            warnings.append(EvaluationWarning("\(orphanFollowups) follow-up(s) name a lead_id that is not in leads.csv: ignored for contact and test-drive rates."))
        }

        return Evaluation(period: period, plan: plan, data: data, verdicts: derived.verdicts, credits: current.credits,
                          dealIsNew: derived.dealIsNew, periodLeads: periodLeads, people: scorecards, teams: teams,
                          notEvaluated: notEvaluated, unattributedLeads: current.unattributedLeads,
                          unownedSpend: current.unownedSpend, unownedSpendTotal: current.unownedSpendTotal,
                          labelDisputes: disputes, warnings: warnings, totals: totals)
    }

    /// A team's tally on a side: every person of the team's part for that side, plus what is credited
    /// to the team itself. Also how many leads and how much spend the team holds in its own name.
    static func teamTally(_ team: String, side: Side, in t: PeriodTally, people: [Person], salesMembers: Set<Int>) -> (Tally, Int, Money) {
        var tally = Tally()
        for i in people.indices where people[i].team == team {
            let p = t.person[i]
            switch side {
            case .marketing:
                tally.leads += p.leads; tally.validLeads += p.validLeads; tally.spendRows += p.spendRows
                tally.spend += p.spend; tally.marketingNewDeals += p.marketingNewDeals
                tally.marketingNewSales += p.marketingNewSales
            case .sales:
                // Only the team's people evaluated on the sales side: a receptionist's follow-ups or a
                // manager's own deals are not the team's sales figures.
                guard salesMembers.contains(i) else { continue }
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

    static func teamSalesTarget(team: String, members: [Int], resolved: [Int: Target?], targets: TargetBook,
                                history: History, people: [Person], salesMembers: Set<Int>, currency: Currency, coverage: Coverage) -> Target? {
        let memberTargets = members.map { resolved[$0] ?? nil }
        if !members.isEmpty, memberTargets.allSatisfy({ $0 != nil }) {
            return Target(value: memberTargets.reduce(Exact.zero) { $0 + $1!.value }, origin: .sumOfMembers(members.count))
        }
        return history.teamAverage(team: team, people: people, salesMembers: salesMembers, currency: currency, coverage: coverage)
    }
}

/// targets.csv, indexed by scope and KPI.
struct TargetBook: Sendable {
    private var rows: [String: TargetRow] = [:]

    init(_ rows: [TargetRow]) {
        for r in rows { self.rows["\(r.scope)\u{1}\(r.kpi)"] = r }
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
struct History: Sendable {
    var periods: [Period]
    var tallies: [PeriodTally]

    func average(person: Int, side: Side, kpi: String, start: Day?, currency: Currency, coverage: Coverage) -> Target? {
        var points: [HistoryPoint] = []
        for (q, t) in zip(periods, tallies) {
            if let start, q.last < start { continue }
            let values = t.person[person].values(side, currency: currency, salesTarget: nil, coverage: coverage)
            if let v = values.first(where: { $0.kpi.name == kpi })?.value {
                points.append(HistoryPoint(period: q, value: v))
            }
        }
        return History.mean(points)
    }

    func teamAverage(team: String, people: [Person], salesMembers: Set<Int>, currency: Currency, coverage: Coverage) -> Target? {
        var points: [HistoryPoint] = []
        for (q, t) in zip(periods, tallies) {
            let (tally, _, _) = Evaluator.teamTally(team, side: .sales, in: t, people: people, salesMembers: salesMembers)
            if let v = tally.values(.sales, currency: currency, salesTarget: nil, coverage: coverage).first(where: { $0.kpi.name == "total_sales" })?.value {
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
