import BatonCore

/// One output file: its name inside the output folder and its bytes.
public struct OutputFile: Sendable {
    public let name: String
    public let bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
}

/// The result files of an evaluation: `scorecards.json` (everything), `kpis.csv` (long form, one figure a
/// row) and `leads.csv` (each lead of the period with its verdict). Same evaluation, same bytes.
public enum ResultFiles {
    public static func render(_ e: Evaluation) -> [OutputFile] {
        [
            OutputFile(name: "scorecards.json", bytes: scorecardsJSON(e).rendered()),
            OutputFile(name: "kpis.csv", bytes: kpisCSV(e)),
            OutputFile(name: "leads.csv", bytes: leadsCSV(e)),
            OutputFile(name: "payroll.csv", bytes: payrollCSV(e)),
            OutputFile(name: "pay.csv", bytes: payCSV(e)),
            OutputFile(name: PreviousResults.file, bytes: commissionDealsCSV(e)),
        ]
    }

    // MARK: pay

    /// `person_id,name,team,amount,currency`: one row per person with any pay line, in people.csv order.
    public static func payrollCSV(_ e: Evaluation) -> [UInt8] {
        var w = CSVWriter(neutralizeFormulas: true)
        w.writeRow(["person_id", "name", "team", "amount", "currency"])
        let c = e.plan.currency
        for s in e.payroll.statements {
            let p = e.data.people[s.person]
            w.writeRow([p.id, p.name, p.team, c.format(s.total), c.code])
        }
        return w.bytes
    }

    /// `person_id,line,amount,rule,arithmetic`: every pay line with the rule and numbers behind it.
    public static func payCSV(_ e: Evaluation) -> [UInt8] {
        var w = CSVWriter(neutralizeFormulas: true)
        w.writeRow(["person_id", "line", "amount", "rule", "arithmetic"])
        for s in e.payroll.statements {
            for l in s.lines {
                w.writeRow([e.data.people[s.person].id, l.name, e.plan.currency.format(l.amount), l.rule, l.arithmetic])
            }
        }
        return w.bytes
    }

    /// `deal_id,person_id,commission,share`: each deal's share of the commission paid this period, which a
    /// later period claws back if the deal is cancelled (`--previous`).
    public static func commissionDealsCSV(_ e: Evaluation) -> [UInt8] {
        var w = CSVWriter(neutralizeFormulas: true)
        w.writeRow(["deal_id", "person_id", "commission", "share"])
        for s in e.payroll.commissionShares {
            w.writeRow([e.data.deals[s.deal].id, e.data.people[s.person].id, s.commission, e.plan.currency.format(s.share)])
        }
        return w.bytes
    }

    static func payJSON(_ e: Evaluation) -> JSONText {
        let c = e.plan.currency
        let people = e.data.people
        return .object([
            ("people", .array(e.payroll.statements.map { s in
                let p = people[s.person]
                return .object([
                    ("person_id", .string(p.id)), ("name", .string(p.name)), ("team", .string(p.team)),
                    ("total", .string(c.format(s.total))),
                    ("lines", .array(s.lines.map { l in
                        .object([
                            ("line", .string(l.name)), ("amount", .string(c.format(l.amount))),
                            ("exact", .string(l.exact.description)), ("rule", .string(l.rule)),
                            ("arithmetic", .string(l.arithmetic)),
                        ])
                    })),
                ])
            })),
            ("teams", .array(e.payroll.teamTotals.map { .object([("team", .string($0.team)), ("total", .string(c.format($0.amount)))]) })),
            ("grand_total", .string(c.format(e.payroll.grandTotal))),
            ("rounding", .string(e.plan.rounding.rawValue)),
        ])
    }

    // MARK: kpis.csv

    /// `person_id,side,kpi,value`: each evaluated person's figures, then each team's (`team:NAME`).
    public static func kpisCSV(_ e: Evaluation) -> [UInt8] {
        var w = CSVWriter(neutralizeFormulas: true)
        w.writeRow(["person_id", "side", "kpi", "value"])
        let currency = e.plan.currency
        for side in Side.allCases {
            for card in e.scorecards(side) {
                let id = e.data.people[card.person].id
                for f in card.figures {
                    w.writeRow([id, side.rawValue, f.kpi.name, Printing.value(f, currency: currency) ?? ""])
                }
            }
            for team in e.teams(side) {
                for f in team.figures {
                    w.writeRow(["team:" + team.team, side.rawValue, f.kpi.name, Printing.value(f, currency: currency) ?? ""])
                }
            }
        }
        return w.bytes
    }

    // MARK: leads.csv

    public static let leadColumns = [
        "lead_id", "created_at", "channel", "campaign", "phone", "normalised_phone", "credited_to", "credit_rule",
        "assigned_to", "verdict", "failed_rule", "duplicate_of", "sales_label", "label_dispute",
    ]

    /// Each lead created in the period, in file order, with its verdict and the evidence for it.
    public static func leadsCSV(_ e: Evaluation) -> [UInt8] {
        var w = CSVWriter(neutralizeFormulas: true)
        w.writeRow(leadColumns)
        let leads = e.data.leads
        let people = e.data.people
        for i in e.periodLeads {
            let l = leads[i]
            let v = e.verdicts[i]
            let credited: String
            switch e.credits[i] {
            case .owner(let p), .channelOwner(let p): credited = people[p].id
            case .assigneeTeam(let t): credited = "team:" + t
            case .unattributed: credited = ""
            }
            var dispute = ""
            if let label = l.salesLabel, (label == .valid) != v.isValid {
                dispute = label == .invalid ? "labelled invalid, valid by the rules" : "labelled valid, invalid by the rules"
            }
            w.writeRow([
                l.id, l.createdAt.text, l.channel, l.campaign ?? "", l.phone, v.normalisedPhone, credited,
                e.credits[i].rule, l.assignedTo ?? "", v.isValid ? "valid" : "invalid", v.failedRule?.rawValue ?? "",
                v.duplicateOf.map { leads[$0].id } ?? "", l.salesLabel?.rawValue ?? "", dispute,
            ])
        }
        return w.bytes
    }

    // MARK: scorecards.json

    public static func scorecardsJSON(_ e: Evaluation) -> JSONText {
        let currency = e.plan.currency
        let people = e.data.people
        var sides: [(String, JSONText)] = []
        for side in Side.allCases {
            let cards = e.scorecards(side).map { card -> JSONText in
                let p = people[card.person]
                return .object([
                    ("person_id", .string(p.id)), ("name", .string(p.name)), ("role", .string(p.role)),
                    ("team", .string(p.team)),
                    ("figures", figures(card.figures, e)),
                    ("scored_on_team", .str(card.scoredOnTeam)),
                    ("scores", .array(card.scores.map { score($0, e) })),
                    ("weighted_total", .string(Printing.exact(card.weightedTotal))),
                    ("weighted_total_rounded", .string(card.weightedTotal.decimalString(places: Printing.places))),
                ])
            }
            let teams = e.teams(side).map { t -> JSONText in
                var pairs: [(String, JSONText)] = [
                    ("team", .string(t.team)),
                    ("members", .array(t.members.map { .string(people[$0].id) })),
                ]
                if side == .marketing {
                    pairs.append(("own_leads", .number(String(t.ownLeads))))
                    pairs.append(("own_spend", .string(currency.format(t.ownSpend))))
                }
                pairs.append(("figures", figures(t.figures, e)))
                return .object(pairs)
            }
            sides.append((side.rawValue, .object([
                ("people", .array(cards)),
                ("teams", .array(teams)),
                ("total", figures(e.totals[side] ?? [], e)),
            ])))
        }

        var failed: [(String, JSONText)] = []
        for rule in FailedRule.allCases {
            let n = e.periodLeads.filter { e.verdicts[$0].failedRule == rule }.count
            failed.append((rule.rawValue, .number(String(n))))
        }
        let valid = e.periodLeads.filter { e.verdicts[$0].isValid }.count

        var top: [(String, JSONText)] = [
            ("format", .number("1")),
            ("period", .object([
                ("label", .string(e.period.description)), ("first", .string(e.period.first.description)),
                ("last", .string(e.period.last.description)),
            ])),
            ("plan", plan(e.plan)),
            ("leads", .object([
                ("in_period", .number(String(e.periodLeads.count))), ("valid", .number(String(valid))),
                ("invalid_by_rule", .object(failed)),
            ])),
        ]
        top += sides
        top.append(("pay", payJSON(e)))
        top.append(("label_disputes", .array(e.labelDisputes.map { d in
            .object([
                ("lead_id", .string(e.data.leads[d.lead].id)),
                ("assigned_to", .str(d.salesPerson.map { people[$0].id })),
                ("sales_label", .string(d.label.rawValue)),
                ("verdict", .string(d.failedRule == nil ? "valid" : "invalid")),
                ("failed_rule", .str(d.failedRule?.rawValue)),
            ])
        })))
        top.append(("unattributed_leads", .array(e.unattributedLeads.map { .string(e.data.leads[$0].id) })))
        top.append(("unowned_spend", .object([
            ("amount", .string(currency.format(e.unownedSpendTotal))),
            ("spend_lines", .array(e.unownedSpend.map { .number(String(e.data.spend[$0].source.line)) })),
        ])))
        top.append(("not_evaluated", .array(e.notEvaluated.map { i in
            .object([("person_id", .string(people[i].id)), ("role", .string(people[i].role)), ("team", .string(people[i].team))])
        })))
        top.append(("warnings", .array(e.warnings.map { .string($0.message) })))
        return .object(top)
    }

    static func plan(_ p: Plan) -> JSONText {
        .object([
            ("plan", .string(p.label)),
            ("currency", .string(p.currency.code)),
            ("currency_decimals", .number(String(p.currency.decimals))),
            ("validity", .object([
                ("phone_pattern", .string(p.validity.phonePattern)),
                ("dedupe_days", .number(String(p.validity.dedupeDays))),
                ("rules_in_order", .array(FailedRule.allCases.map { .string($0.rawValue) })),
            ])),
            ("scorecards", .array(p.scorecards.map { c in
                .object([
                    ("role", .string(c.role)), ("side", .string(c.side.rawValue)), ("no_data", .string(c.noData.rawValue)),
                    ("kpis", .array(c.kpis.map { k in
                        .object([
                            ("kpi", .string(k.kpi.name)), ("weight", .string(Printing.exact(k.weight))),
                            ("direction", .string(k.direction.rawValue)), ("target", .string(k.target.description)),
                            ("scoring", .string(k.scoring.summary)),
                        ])
                    })),
                ])
            })),
        ])
    }

    static func figures(_ values: [KPIValue], _ e: Evaluation) -> JSONText {
        .object(values.map { v in (v.kpi.name, figure(v, e)) })
    }

    static func figure(_ v: KPIValue, _ e: Evaluation) -> JSONText {
        var pairs: [(String, JSONText)] = [("value", .str(Printing.value(v, currency: e.plan.currency)))]
        if let x = v.value, Exact(decimal: Printing.exact(x)) != x {
            // Not a finite decimal within the printed places: give the fraction too.
            pairs.append(("exact", .string(x.description)))
        }
        pairs.append(("numerator", .string(Printing.exact(v.numerator))))
        if let d = v.denominator { pairs.append(("denominator", .string(Printing.exact(d)))) }
        pairs.append(("rows", rows(v.numeratorRows, e)))
        if !v.denominatorRows.isEmpty && v.denominatorRows != v.numeratorRows {
            pairs.append(("denominator_rows", rows(v.denominatorRows, e)))
        }
        if let n = v.note { pairs.append(("note", .string(n))) }
        return .object(pairs)
    }

    static func rows(_ r: RowRefs, _ e: Evaluation) -> JSONText {
        var pairs: [(String, JSONText)] = []
        if !r.leads.isEmpty { pairs.append(("leads", .array(r.leads.map { .string(e.data.leads[$0].id) }))) }
        if !r.deals.isEmpty { pairs.append(("deals", .array(r.deals.map { .string(e.data.deals[$0].id) }))) }
        if !r.spend.isEmpty { pairs.append(("spend_lines", .array(r.spend.map { .number(String(e.data.spend[$0].source.line)) }))) }
        if !r.followups.isEmpty { pairs.append(("followup_lines", .array(r.followups.map { .number(String(e.data.followups[$0].source.line)) }))) }
        return .object(pairs)
    }

    static func score(_ s: KPIScore, _ e: Evaluation) -> JSONText {
        var target: JSONText = .null
        if let t = s.target {
            target = .object([("value", .string(Printing.exact(t.value))), ("from", .string(t.origin.description))])
        }
        var attainment: JSONText = .null
        switch s.attainment {
        case .ratio(let a)?: attainment = .string(a.decimalString(places: Printing.places))
        case .unbounded?: attainment = .string("unbounded")
        case nil: break
        }
        return .object([
            ("kpi", .string(s.plan.kpi.name)),
            ("value", .str(Printing.value(s.value, currency: e.plan.currency))),
            ("target", target),
            ("attainment", attainment),
            ("score", .str(s.score.map { $0.decimalString(places: Printing.places) })),
            ("weight", .string(Printing.exact(s.appliedWeight))),
            ("points", .string(s.points.decimalString(places: Printing.places))),
            ("rule", .string(s.plan.scoring.summary)),
            ("explanation", .string(s.explanation)),
        ])
    }
}
