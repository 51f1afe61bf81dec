/// One figure on a scorecard, with what it is made of.
///
/// A count or a sum is its own numerator (no denominator). A rate or a cost per lead keeps its numerator,
/// its denominator and the rows behind each. A zero denominator gives no value ("no data"), never 0.
public struct KPIValue: Sendable {
    public let kpi: KPI
    /// nil: no data.
    public let value: Exact?
    public let numerator: Exact
    /// nil for counts and sums.
    public let denominator: Exact?
    public let numeratorRows: RowRefs
    public let denominatorRows: RowRefs
    /// Why a value is missing or how the denominator was found (the target behind a completion rate).
    public let note: String?

    public init(kpi: KPI, value: Exact?, numerator: Exact, denominator: Exact?,
                numeratorRows: RowRefs, denominatorRows: RowRefs = RowRefs(), note: String? = nil) {
        self.kpi = kpi; self.value = value; self.numerator = numerator; self.denominator = denominator
        self.numeratorRows = numeratorRows; self.denominatorRows = denominatorRows; self.note = note
    }
}

/// Which optional files the data folder had.
struct Coverage: Sendable {
    var spend: Bool
    var followups: Bool
}

extension Tally {
    /// The figures of a side for this tally. `salesTarget` is the total_sales target for completion_rate.
    func values(_ side: Side, currency: Currency, salesTarget: Target?, coverage: Coverage) -> [KPIValue] {
        func missing(_ kpi: String, _ why: String) -> KPIValue {
            KPIValue(kpi: KPI.named(kpi, side: side)!, value: nil, numerator: .zero, denominator: nil,
                     numeratorRows: RowRefs(), note: "no data: \(why)")
        }
        var out = unchecked(side, currency: currency, salesTarget: salesTarget)
        if !coverage.spend {
            for (i, v) in out.enumerated() where ["spend", "cost_per_lead", "cost_per_valid_lead", "marketing_roi"].contains(v.kpi.name) && side == .marketing {
                out[i] = missing(v.kpi.name, "no spend.csv in the data folder")
            }
        }
        if !coverage.followups {
            for (i, v) in out.enumerated() where ["followups", "contacted_24h_rate", "test_drive_rate"].contains(v.kpi.name) {
                out[i] = missing(v.kpi.name, "no followups.csv in the data folder")
            }
        }
        return out
    }

    private func unchecked(_ side: Side, currency: Currency, salesTarget: Target?) -> [KPIValue] {
        func money(_ m: Money) -> Exact { currency.major(m) }
        func count(_ kpi: String, _ rows: RowRefs, _ n: Int) -> KPIValue {
            KPIValue(kpi: KPI.named(kpi, side: side)!, value: Exact(n), numerator: Exact(n), denominator: nil,
                     numeratorRows: rows)
        }
        func sum(_ kpi: String, _ rows: RowRefs, _ m: Money) -> KPIValue {
            KPIValue(kpi: KPI.named(kpi, side: side)!, value: money(m), numerator: money(m), denominator: nil,
                     numeratorRows: rows)
        }
        func ratio(_ kpi: String, _ n: Exact, _ nRows: RowRefs, _ d: Exact, _ dRows: RowRefs, _ what: String) -> KPIValue {
            let v = Exact.ratio(n, d)
            return KPIValue(kpi: KPI.named(kpi, side: side)!, value: v, numerator: n, denominator: d,
                            numeratorRows: nRows, denominatorRows: dRows,
                            note: v == nil ? "no data: no \(what)" : nil)
        }
        switch side {
        case .marketing:
            let leadsN = Exact(leads.count), validN = Exact(validLeads.count), sp = money(spend)
            let leadRows = RowRefs(leads: leads), validRows = RowRefs(leads: validLeads)
            let spendRefs = RowRefs(spend: spendRows), ncsRefs = RowRefs(deals: marketingNewDeals)
            return [
                count("leads", leadRows, leads.count),
                count("valid_leads", validRows, validLeads.count),
                ratio("validity_rate", validN, validRows, leadsN, leadRows, "leads"),
                sum("spend", spendRefs, spend),
                ratio("cost_per_lead", sp, spendRefs, leadsN, leadRows, "leads"),
                ratio("cost_per_valid_lead", sp, spendRefs, validN, validRows, "valid leads"),
                sum("new_customer_sales", ncsRefs, marketingNewSales),
                ratio("marketing_roi", money(marketingNewSales), ncsRefs, sp, spendRefs, "spend"),
            ]
        case .sales:
            let assignedRows = RowRefs(leads: assigned), dealRows = RowRefs(deals: wonDeals)
            let newRows = RowRefs(deals: newDeals), total = money(totalSales)
            let completion: KPIValue
            if let t = salesTarget, !t.value.isZero {
                completion = KPIValue(kpi: KPI.named("completion_rate", side: .sales)!, value: total / t.value,
                                      numerator: total, denominator: t.value, numeratorRows: dealRows,
                                      note: "target \(t.value.shortDecimalString()) from \(t.origin)")
            } else {
                completion = KPIValue(kpi: KPI.named("completion_rate", side: .sales)!, value: nil,
                                      numerator: total, denominator: salesTarget?.value, numeratorRows: dealRows,
                                      note: salesTarget == nil ? "no data: no total_sales target" : "no data: the total_sales target is 0")
            }
            let assignedN = Exact(assigned.count)
            return [
                count("assigned_leads", assignedRows, assigned.count),
                sum("total_sales", dealRows, totalSales),
                sum("new_customer_sales", newRows, newSales),
                ratio("new_customer_share", money(newSales), newRows, total, dealRows, "sales"),
                count("deals", dealRows, wonDeals.count),
                count("converted_leads", RowRefs(deals: convertedLeadDeals), convertedLeadDeals.count),
                ratio("conversion_rate", Exact(convertedLeadDeals.count), RowRefs(deals: convertedLeadDeals),
                      assignedN, assignedRows, "assigned leads"),
                ratio("average_deal_value", total, dealRows, Exact(wonDeals.count), dealRows, "deals"),
                completion,
                count("disputed_invalid_labels", RowRefs(leads: disputed), disputed.count),
                count("followups", RowRefs(followups: followupRows), followupRows.count),
                ratio("contacted_24h_rate", Exact(contacted24h.count), RowRefs(leads: contacted24h),
                      assignedN, assignedRows, "assigned leads"),
                ratio("test_drive_rate", Exact(testDrive.count), RowRefs(leads: testDrive),
                      assignedN, assignedRows, "assigned leads"),
            ]
        }
    }
}
