/// Each view struct's properties by template name, for the page renderer (`PageValue`): one `case` per
/// stored property, named as the property (the names docs/templates.md documents), and an array type per
/// struct so that looking a name up in a row of a list runs code made for that struct. A property added
/// to a view struct needs its line here; `PageValueTests` fails until it has one.
///
/// The structs whose texts a page prints most (a person's section, the team tables) also print them
/// from where they lie (`print`); a text property added there needs its line in `print` too, or it is
/// printed through `field` (`PageFastPathTests` holds the two to the same bytes).

extension ScorecardView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .lang: return .text(lang)
        case .labels: return .item(Labels.List([labels]), 0)
        case .period: return .text(period)
        case .periodDays: return .text(periodDays)
        case .plan: return .text(plan)
        case .currency: return .text(currency)
        case .sides: return .list(SideSummaryView.List(sides))
        case .funnel: return .item(FunnelView.List([funnel]), 0)
        case .teamTables: return .list(SideTablesView.List(teamTables))
        case .hasPay: return .flag(hasPay)
        case .payroll: return .item(PayrollView.List([payroll]), 0)
        case .people: return .list(PersonView.List(people))
        case .otherPay: return .list(OtherPayView.List(otherPay))
        case .hasOtherPay: return .flag(hasOtherPay)
        case .validity: return .item(ValidityView.List([validity]), 0)
        case .disputes: return .list(DisputeGroupView.List(disputes))
        case .hasDisputes: return .flag(hasDisputes)
        case .notEvaluated: return .list(PersonRefView.List(notEvaluated))
        case .hasNotEvaluated: return .flag(hasNotEvaluated)
        case .outside: return .list(LabelledTextView.List(outside))
        case .hasOutside: return .flag(hasOutside)
        case .warnings: return .list(Texts(warnings))
        case .hasWarnings: return .flag(hasWarnings)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([
        .lang, .labels, .period, .periodDays, .plan, .currency, .sides, .funnel, .teamTables, .hasPay,
        .payroll, .people, .otherPay, .hasOtherPay, .validity, .disputes, .hasDisputes, .notEvaluated,
        .hasNotEvaluated, .outside, .hasOutside, .warnings, .hasWarnings
    ])

    final class List: ItemList {
        let all: [ScorecardView]
        init(_ all: [ScorecardView]) { self.all = all }
    }
}

extension LabelledTextView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .label: return .text(label)
        case .text: return .text(text)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.label, .text])

    final class List: ItemList {
        let all: [LabelledTextView]
        init(_ all: [LabelledTextView]) { self.all = all }
    }
}

extension SideSummaryView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .side: return .text(side)
        case .title: return .text(title)
        case .headcount: return .text(headcount)
        case .figures: return .list(LabelledTextView.List(figures))
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.side, .title, .headcount, .figures])

    final class List: ItemList {
        let all: [SideSummaryView]
        init(_ all: [SideSummaryView]) { self.all = all }
    }
}

extension FunnelView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .stages: return .list(FunnelStageView.List(stages))
        case .marketingLegend: return .text(marketingLegend)
        case .salesLegend: return .text(salesLegend)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.stages, .marketingLegend, .salesLegend])

    final class List: ItemList {
        let all: [FunnelView]
        init(_ all: [FunnelView]) { self.all = all }
    }
}

extension FunnelStageView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .side: return .text(side)
        case .owner: return .text(owner)
        case .name: return .text(name)
        case .value: return .text(value)
        case .rate: return rate.map(PageValue.text)
        case .hasBar: return .flag(hasBar)
        case .barX: return .text(barX)
        case .barWidth: return .text(barWidth)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.side, .owner, .name, .value, .rate, .hasBar, .barX, .barWidth])

    final class List: ItemList {
        let all: [FunnelStageView]
        init(_ all: [FunnelStageView]) { self.all = all }
    }
}

extension SideTablesView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .side: return .text(side)
        case .title: return .text(title)
        case .columns: return .list(ColumnView.List(columns))
        case .teams: return .list(TeamTableView.List(teams))
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.side, .title, .columns, .teams])

    final class List: ItemList {
        let all: [SideTablesView]
        init(_ all: [SideTablesView]) { self.all = all }
    }
}

extension ColumnView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .label: return .text(label)
        case .definition: return .text(definition)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .label: out.print(row.pointee.label, escaped: escaped)
        case .definition: out.print(row.pointee.definition, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.label, .definition])

    final class List: ItemList {
        let all: [ColumnView]
        init(_ all: [ColumnView]) { self.all = all }
    }
}

extension TeamTableView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .team: return .text(team)
        case .note: return note.map(PageValue.text)
        case .rows: return .list(TableRowView.List(rows))
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.team, .note, .rows])

    final class List: ItemList {
        let all: [TeamTableView]
        init(_ all: [TeamTableView]) { self.all = all }
    }
}

extension TableRowView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .name: return .text(name)
        case .personID: return .text(personID)
        case .link: return link.map(PageValue.text)
        case .isTeam: return .flag(isTeam)
        case .total: return .text(total)
        case .cells: return .list(Texts(cells))
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .name: out.print(row.pointee.name, escaped: escaped)
        case .personID: out.print(row.pointee.personID, escaped: escaped)
        case .total: out.print(row.pointee.total, escaped: escaped)
        case .link:
            guard let link = row.pointee.link else { return false }
            out.print(link, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.name, .personID, .link, .isTeam, .total, .cells])

    final class List: ItemList {
        let all: [TableRowView]
        init(_ all: [TableRowView]) { self.all = all }
    }
}

extension PersonView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .anchor: return .text(anchor)
        case .side: return .text(side)
        case .sideTitle: return .text(sideTitle)
        case .name: return .text(name)
        case .personID: return .text(personID)
        case .role: return .text(role)
        case .team: return .text(team)
        case .total: return .text(total)
        case .scoredOnTeam: return scoredOnTeam.map(PageValue.text)
        case .scored: return .list(ScoredKPIView.List(scored))
        case .hasPay: return .flag(hasPay)
        case .pay: return pay.map { .item(PayStatementView.List([$0]), 0) }
        case .figures: return .list(FigureRowView.List(figures))
        case .validity: return .list(RuleCountView.List(validity))
        case .hasValidity: return .flag(hasValidity)
        case .disputes: return .list(DisputeView.List(disputes))
        case .hasDisputes: return .flag(hasDisputes)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .anchor: out.print(row.pointee.anchor, escaped: escaped)
        case .side: out.print(row.pointee.side, escaped: escaped)
        case .sideTitle: out.print(row.pointee.sideTitle, escaped: escaped)
        case .name: out.print(row.pointee.name, escaped: escaped)
        case .personID: out.print(row.pointee.personID, escaped: escaped)
        case .role: out.print(row.pointee.role, escaped: escaped)
        case .team: out.print(row.pointee.team, escaped: escaped)
        case .total: out.print(row.pointee.total, escaped: escaped)
        case .scoredOnTeam:
            guard let scoredOnTeam = row.pointee.scoredOnTeam else { return false }
            out.print(scoredOnTeam, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([
        .anchor, .side, .sideTitle, .name, .personID, .role, .team, .total, .scoredOnTeam, .scored,
        .hasPay, .pay, .figures, .validity, .hasValidity, .disputes, .hasDisputes
    ])

    final class List: ItemList {
        let all: [PersonView]
        init(_ all: [PersonView]) { self.all = all }
    }
}

extension ScoredKPIView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .kpi: return .text(kpi)
        case .value: return .text(value)
        case .target: return .text(target)
        case .targetFrom: return targetFrom.map(PageValue.text)
        case .attainment: return .text(attainment)
        case .score: return .text(score)
        case .weight: return .text(weight)
        case .points: return .text(points)
        case .rule: return .text(rule)
        case .why: return .text(why)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .kpi: out.print(row.pointee.kpi, escaped: escaped)
        case .value: out.print(row.pointee.value, escaped: escaped)
        case .target: out.print(row.pointee.target, escaped: escaped)
        case .attainment: out.print(row.pointee.attainment, escaped: escaped)
        case .score: out.print(row.pointee.score, escaped: escaped)
        case .weight: out.print(row.pointee.weight, escaped: escaped)
        case .points: out.print(row.pointee.points, escaped: escaped)
        case .rule: out.print(row.pointee.rule, escaped: escaped)
        case .why: out.print(row.pointee.why, escaped: escaped)
        case .targetFrom:
            guard let targetFrom = row.pointee.targetFrom else { return false }
            out.print(targetFrom, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([
        .kpi, .value, .target, .targetFrom, .attainment, .score, .weight, .points, .rule, .why
    ])

    final class List: ItemList {
        let all: [ScoredKPIView]
        init(_ all: [ScoredKPIView]) { self.all = all }
    }
}

extension FigureRowView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .kpi: return .text(kpi)
        case .definition: return .text(definition)
        case .value: return .text(value)
        case .madeOf: return .text(madeOf)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .kpi: out.print(row.pointee.kpi, escaped: escaped)
        case .definition: out.print(row.pointee.definition, escaped: escaped)
        case .value: out.print(row.pointee.value, escaped: escaped)
        case .madeOf: out.print(row.pointee.madeOf, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.kpi, .definition, .value, .madeOf])

    final class List: ItemList {
        let all: [FigureRowView]
        init(_ all: [FigureRowView]) { self.all = all }
    }
}

extension RuleCountView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .rule: return .text(rule)
        case .meaning: return .text(meaning)
        case .count: return .text(count)
        case .isTotal: return .flag(isTotal)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .rule: out.print(row.pointee.rule, escaped: escaped)
        case .meaning: out.print(row.pointee.meaning, escaped: escaped)
        case .count: out.print(row.pointee.count, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.rule, .meaning, .count, .isTotal])

    final class List: ItemList {
        let all: [RuleCountView]
        init(_ all: [RuleCountView]) { self.all = all }
    }
}

extension ValidityView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .columns: return .list(Texts(columns))
        case .rows: return .list(ValidityRowView.List(rows))
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.columns, .rows])

    final class List: ItemList {
        let all: [ValidityView]
        init(_ all: [ValidityView]) { self.all = all }
    }
}

extension ValidityRowView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .rule: return .text(rule)
        case .meaning: return .text(meaning)
        case .cells: return .list(Texts(cells))
        case .isTotal: return .flag(isTotal)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.rule, .meaning, .cells, .isTotal])

    final class List: ItemList {
        let all: [ValidityRowView]
        init(_ all: [ValidityRowView]) { self.all = all }
    }
}

extension DisputeGroupView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .salesperson: return .text(salesperson)
        case .link: return link.map(PageValue.text)
        case .disputes: return .list(DisputeView.List(disputes))
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.salesperson, .link, .disputes])

    final class List: ItemList {
        let all: [DisputeGroupView]
        init(_ all: [DisputeGroupView]) { self.all = all }
    }
}

extension DisputeView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .lead: return .text(lead)
        case .salesLabel: return .text(salesLabel)
        case .verdict: return .text(verdict)
        case .countsAgainst: return .flag(countsAgainst)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .lead: out.print(row.pointee.lead, escaped: escaped)
        case .salesLabel: out.print(row.pointee.salesLabel, escaped: escaped)
        case .verdict: out.print(row.pointee.verdict, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.lead, .salesLabel, .verdict, .countsAgainst])

    final class List: ItemList {
        let all: [DisputeView]
        init(_ all: [DisputeView]) { self.all = all }
    }
}

extension PersonRefView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .name: return .text(name)
        case .personID: return .text(personID)
        case .role: return .text(role)
        case .team: return .text(team)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.name, .personID, .role, .team])

    final class List: ItemList {
        let all: [PersonRefView]
        init(_ all: [PersonRefView]) { self.all = all }
    }
}

extension PayrollView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .teams: return .list(PayrollTeamView.List(teams))
        case .grandTotal: return .text(grandTotal)
        case .grandTotalAmount: return .text(grandTotalAmount)
        case .amountColumn: return .text(amountColumn)
        case .rounding: return .text(rounding)
        case .headcount: return .text(headcount)
        case .count: return .text(count)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([
        .teams, .grandTotal, .grandTotalAmount, .amountColumn, .rounding, .headcount, .count
    ])

    final class List: ItemList {
        let all: [PayrollView]
        init(_ all: [PayrollView]) { self.all = all }
    }
}

extension PayrollTeamView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .team: return .text(team)
        case .people: return .list(PayrollRowView.List(people))
        case .count: return .text(count)
        case .total: return .text(total)
        case .isNegative: return .flag(isNegative)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.team, .people, .count, .total, .isNegative])

    final class List: ItemList {
        let all: [PayrollTeamView]
        init(_ all: [PayrollTeamView]) { self.all = all }
    }
}

extension PayrollRowView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .name: return .text(name)
        case .personID: return .text(personID)
        case .role: return .text(role)
        case .link: return .text(link)
        case .amount: return .text(amount)
        case .isNegative: return .flag(isNegative)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .name: out.print(row.pointee.name, escaped: escaped)
        case .personID: out.print(row.pointee.personID, escaped: escaped)
        case .role: out.print(row.pointee.role, escaped: escaped)
        case .link: out.print(row.pointee.link, escaped: escaped)
        case .amount: out.print(row.pointee.amount, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.name, .personID, .role, .link, .amount, .isNegative])

    final class List: ItemList {
        let all: [PayrollRowView]
        init(_ all: [PayrollRowView]) { self.all = all }
    }
}

extension PayStatementView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .lines: return .list(PayLineView.List(lines))
        case .hasLines: return .flag(hasLines)
        case .amountColumn: return .text(amountColumn)
        case .total: return .text(total)
        case .totalWithCode: return .text(totalWithCode)
        case .isNegative: return .flag(isNegative)
        case .empty: return empty.map(PageValue.text)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .amountColumn: out.print(row.pointee.amountColumn, escaped: escaped)
        case .total: out.print(row.pointee.total, escaped: escaped)
        case .totalWithCode: out.print(row.pointee.totalWithCode, escaped: escaped)
        case .empty:
            guard let empty = row.pointee.empty else { return false }
            out.print(empty, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.lines, .hasLines, .amountColumn, .total, .totalWithCode, .isNegative, .empty])

    final class List: ItemList {
        let all: [PayStatementView]
        init(_ all: [PayStatementView]) { self.all = all }
    }
}

extension PayLineView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .kind: return .text(kind)
        case .label: return .text(label)
        case .detail: return detail.map(PageValue.text)
        case .code: return .text(code)
        case .amount: return .text(amount)
        case .isNegative: return .flag(isNegative)
        case .isEvidence: return .flag(isEvidence)
        case .rule: return .text(rule)
        case .arithmetic: return .text(arithmetic)
        default: return nil
        }
    }

    /// A text property printed from where it lies (see `PageFields.print`).
    static func print(_ row: UnsafePointer<Self>, _ key: PageKey, escaped: Bool, to out: inout PageBytes) -> Bool {
        switch key {
        case .kind: out.print(row.pointee.kind, escaped: escaped)
        case .label: out.print(row.pointee.label, escaped: escaped)
        case .code: out.print(row.pointee.code, escaped: escaped)
        case .amount: out.print(row.pointee.amount, escaped: escaped)
        case .rule: out.print(row.pointee.rule, escaped: escaped)
        case .arithmetic: out.print(row.pointee.arithmetic, escaped: escaped)
        case .detail:
            guard let detail = row.pointee.detail else { return false }
            out.print(detail, escaped: escaped)
        default: return printField(row, key, escaped: escaped, to: &out)
        }
        return true
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([
        .kind, .label, .detail, .code, .amount, .isNegative, .isEvidence, .rule, .arithmetic
    ])

    final class List: ItemList {
        let all: [PayLineView]
        init(_ all: [PayLineView]) { self.all = all }
    }
}

extension OtherPayView: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .anchor: return .text(anchor)
        case .name: return .text(name)
        case .personID: return .text(personID)
        case .role: return .text(role)
        case .team: return .text(team)
        case .pay: return .item(PayStatementView.List([pay]), 0)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([.anchor, .name, .personID, .role, .team, .pay])

    final class List: ItemList {
        let all: [OtherPayView]
        init(_ all: [OtherPayView]) { self.all = all }
    }
}

extension Labels: PageFields {
    func field(_ key: PageKey) -> PageValue? {
        switch key {
        case .title: return .text(title)
        case .subtitle: return .text(subtitle)
        case .period: return .text(period)
        case .plan: return .text(plan)
        case .currency: return .text(currency)
        case .marketing: return .text(marketing)
        case .sales: return .text(sales)
        case .funnelTitle: return .text(funnelTitle)
        case .funnelNote: return .text(funnelNote)
        case .funnelMarketingLegend: return .text(funnelMarketingLegend)
        case .funnelSalesLegend: return .text(funnelSalesLegend)
        case .teamsTitle: return .text(teamsTitle)
        case .person: return .text(person)
        case .teamTotal: return .text(teamTotal)
        case .peopleTitle: return .text(peopleTitle)
        case .scoredTitle: return .text(scoredTitle)
        case .figuresTitle: return .text(figuresTitle)
        case .kpi: return .text(kpi)
        case .value: return .text(value)
        case .target: return .text(target)
        case .targetFrom: return .text(targetFrom)
        case .attainment: return .text(attainment)
        case .score: return .text(score)
        case .weight: return .text(weight)
        case .points: return .text(points)
        case .rule: return .text(rule)
        case .why: return .text(why)
        case .definition: return .text(definition)
        case .madeOf: return .text(madeOf)
        case .weightedTotal: return .text(weightedTotal)
        case .role: return .text(role)
        case .team: return .text(team)
        case .id: return .text(id)
        case .validityTitle: return .text(validityTitle)
        case .validityNote: return .text(validityNote)
        case .failedRule: return .text(failedRule)
        case .meaning: return .text(meaning)
        case .validLeads: return .text(validLeads)
        case .allLeads: return .text(allLeads)
        case .everyone: return .text(everyone)
        case .disputesTitle: return .text(disputesTitle)
        case .disputesNote: return .text(disputesNote)
        case .lead: return .text(lead)
        case .salesLabel: return .text(salesLabel)
        case .verdict: return .text(verdict)
        case .salesperson: return .text(salesperson)
        case .noDisputes: return .text(noDisputes)
        case .notEvaluatedTitle: return .text(notEvaluatedTitle)
        case .notEvaluatedNote: return .text(notEvaluatedNote)
        case .outsideTitle: return .text(outsideTitle)
        case .unattributedLeads: return .text(unattributedLeads)
        case .unownedSpend: return .text(unownedSpend)
        case .warningsTitle: return .text(warningsTitle)
        case .footer: return .text(footer)
        case .noData: return .text(noData)
        case .noTarget: return .text(noTarget)
        case .valid: return .text(valid)
        case .invalid: return .text(invalid)
        case .none: return .text(none)
        case .unattributed: return .text(unattributed)
        case .unassigned: return .text(unassigned)
        case .leadCount: return .text(leadCount)
        case .pay: return .text(pay)
        case .payTitle: return .text(payTitle)
        case .payNote: return .text(payNote)
        case .payLine: return .text(payLine)
        case .amount: return .text(amount)
        case .payRule: return .text(payRule)
        case .arithmetic: return .text(arithmetic)
        case .payHow: return .text(payHow)
        case .payTotal: return .text(payTotal)
        case .payTotalNote: return .text(payTotalNote)
        case .evidence: return .text(evidence)
        case .bonus: return .text(bonus)
        case .commission: return .text(commission)
        case .gate: return .text(gate)
        case .adjustment: return .text(adjustment)
        case .clawback: return .text(clawback)
        case .payrollTitle: return .text(payrollTitle)
        case .grandTotal: return .text(grandTotal)
        case .peoplePaid: return .text(peoplePaid)
        case .otherPayTitle: return .text(otherPayTitle)
        case .otherPayNote: return .text(otherPayNote)
        case .scoredOnTeamBefore: return .text(scoredOnTeamBefore)
        case .scoredOnTeamAfter: return .text(scoredOnTeamAfter)
        default: return nil
        }
    }

    /// The names `field` answers: a lookup skips a row of this struct for any other name.
    static let keys = PageKeySet([
        .title, .subtitle, .period, .plan, .currency, .marketing, .sales, .funnelTitle, .funnelNote,
        .funnelMarketingLegend, .funnelSalesLegend, .teamsTitle, .person, .teamTotal, .peopleTitle,
        .scoredTitle, .figuresTitle, .kpi, .value, .target, .targetFrom, .attainment, .score, .weight,
        .points, .rule, .why, .definition, .madeOf, .weightedTotal, .role, .team, .id, .validityTitle,
        .validityNote, .failedRule, .meaning, .validLeads, .allLeads, .everyone, .disputesTitle,
        .disputesNote, .lead, .salesLabel, .verdict, .salesperson, .noDisputes, .notEvaluatedTitle,
        .notEvaluatedNote, .outsideTitle, .unattributedLeads, .unownedSpend, .warningsTitle, .footer,
        .noData, .noTarget, .valid, .invalid, .none, .unattributed, .unassigned, .leadCount, .pay,
        .payTitle, .payNote, .payLine, .amount, .payRule, .arithmetic, .payHow, .payTotal, .payTotalNote,
        .evidence, .bonus, .commission, .gate, .adjustment, .clawback, .payrollTitle, .grandTotal,
        .peoplePaid, .otherPayTitle, .otherPayNote, .scoredOnTeamBefore, .scoredOnTeamAfter
    ])

    final class List: ItemList {
        let all: [Labels]
        init(_ all: [Labels]) { self.all = all }
    }
}
