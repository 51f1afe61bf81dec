import BatonCore

extension ScorecardViewBuilder {
    /// Whether the page has anything about pay: the plan pays someone, or someone has a pay line (an
    /// adjustment needs no `pay:` section). When false, no pay section appears at all.
    static func hasPay(_ e: Evaluation) -> Bool {
        e.plan.scorecards.contains { $0.pay != nil } || !e.payroll.statements.isEmpty
    }

    /// Where a person's pay is shown: their scorecard's section, or the "Other pay" section.
    func payLink(_ person: Int) -> String {
        hasSection[person] ? "#" + anchor(person) : "#" + payAnchor(person)
    }

    func payAnchor(_ person: Int) -> String { "pay-\(person)" }

    /// An amount as a table cell whose header names the currency: `12,100.00`, `-816.67`.
    func amount(_ m: Money) -> String { format.amount(m) }

    var amountColumn: String { "\(labels.amount) (\(text(e.plan.currency.code)))" }

    // MARK: Payroll

    func payroll() -> PayrollView {
        let statements = e.payroll.statements
        // Each team's statements, in order (a statement per team, as `filter` found them).
        var ofTeam: [String: [Int]] = [:]
        for (k, st) in statements.enumerated() { ofTeam[e.data.people[st.person].team, default: []].append(k) }
        let teams = e.payroll.teamTotals.map { team -> PayrollTeamView in
            let rows = (ofTeam[team.team] ?? []).map { statements[$0] }.map { st -> PayrollRowView in
                let p = e.data.people[st.person]
                return PayrollRowView(name: text(p.name), personID: text(p.id), role: text(p.role),
                                      link: payLink(st.person), amount: amount(st.total), isNegative: st.total < .zero)
            }
            return PayrollTeamView(team: text(team.team), people: rows, count: format.count(rows.count),
                                   total: amount(team.amount),
                                   isNegative: team.amount < .zero)
        }
        let n = statements.count
        let headcount: String
        switch language {
        case .en: headcount = n == 1 ? "1 person paid" : "\(n) people paid"
        case .zhHans: headcount = "发放 \(n) 人"
        }
        let grand = e.payroll.grandTotal
        return PayrollView(teams: teams, grandTotal: format.money(grand), grandTotalAmount: amount(grand),
                           amountColumn: amountColumn, rounding: roundingWords(), headcount: headcount,
                           count: format.count(n))
    }

    /// The plan's rounding rule, and why every total reconciles with the lines under it (docs/pay.md).
    func roundingWords() -> String {
        let currency = e.plan.currency
        let unit = currency.decimals == 0 ? "1" : "0." + String(repeating: "0", count: currency.decimals - 1) + "1"
        let code = text(currency.code)
        let rule = e.plan.rounding.rawValue
        switch language {
        case .en:
            let how = e.plan.rounding == .halfEven ? "half to even (banker's rounding)" : "half away from zero"
            return "Each pay line is rounded once, to \(unit) \(code), \(how) (plan rounding: \(rule)). "
                + "A person's pay is the sum of their rounded lines, a team's total the sum of its people's pay, "
                + "and the grand total the sum of the teams' totals: every total reconciles exactly with the lines under it."
        case .zhHans:
            let how = e.plan.rounding == .halfEven ? "逢半取偶（银行家舍入）" : "逢半远离零（四舍五入）"
            return "每个薪酬项目只取整一次，精确到 \(unit) \(code)，\(how)（方案 rounding：\(rule)）。"
                + "个人应发为其各项取整后金额之和，团队合计为其成员应发之和，总计为各团队合计之和：每一级合计都与其下各项分毫不差。"
        }
    }

    // MARK: Statements

    /// A person's pay lines and total; `card` is their scorecard, when they have one.
    func statement(_ person: Int, card: PersonScorecard?) -> PayStatementView {
        statement(person, side: card?.side, planPays: card?.plan.pay != nil)
    }

    /// `statement(person, card:)` with what it needs of the scorecard: its side, and whether its plan
    /// has a pay section (false without a scorecard).
    func statement(_ person: Int, side: Side?, planPays: Bool) -> PayStatementView {
        let st = statementIndex[person] >= 0 ? e.payroll.statements[statementIndex[person]] : nil
        let lines = st?.lines.map { payLine($0, side: side) } ?? []
        let total = st?.total ?? .zero
        var empty: String?
        if lines.isEmpty {
            switch (language, !planPays) {
            case (.en, true): empty = "Their scorecard has no pay section: no pay this period."
            case (.en, false): empty = "No pay lines this period."
            case (.zhHans, true): empty = "其记分卡未设薪酬：本期无薪酬。"
            case (.zhHans, false): empty = "本期无薪酬项目。"
            }
        }
        return PayStatementView(lines: lines, hasLines: !lines.isEmpty, amountColumn: amountColumn,
                                total: amount(total), totalWithCode: format.money(total),
                                isNegative: total < .zero, empty: empty)
    }

    func payLine(_ line: PayLine, side: Side?) -> PayLineView {
        let parts = line.name.split(separator: ":", maxSplits: 1).map(String.init)
        let after = parts.count == 2 ? parts[1] : nil
        var detail = after.map(text)
        if let after, line.kind == .bonus || line.kind == .gate, let side, let kpi = KPI.named(after, side: side) {
            detail = language.name(kpi)
        }
        return PayLineView(kind: line.kind.rawValue, label: payKind(line.kind), detail: detail, code: text(line.name),
                           amount: amount(line.amount), isNegative: line.amount < .zero,
                           isEvidence: line.kind == .gate, rule: text(line.rule), arithmetic: text(line.arithmetic))
    }

    func payKind(_ kind: PayLineKind) -> String {
        switch kind {
        case .bonus: return labels.bonus
        case .gate: return labels.gate
        case .commission: return labels.commission
        case .adjustment: return labels.adjustment
        case .clawback: return labels.clawback
        }
    }

    /// People with pay lines and no scorecard, in people.csv order.
    func otherPay() -> [OtherPayView] {
        return e.payroll.statements.filter { !hasSection[$0.person] }.map { st in
            let p = e.data.people[st.person]
            return OtherPayView(anchor: payAnchor(st.person), name: text(p.name), personID: text(p.id),
                                role: text(p.role), team: text(p.team), pay: statement(st.person, card: nil))
        }
    }
}
