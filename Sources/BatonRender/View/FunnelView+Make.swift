import BatonCore

extension FunnelView {
    /// The drawing is 1000 units wide; a template scales it to the page.
    static let drawingWidth = 1000
    /// A stage with at least one lead gets at least this wide a bar, so it never vanishes.
    static let minimumBar = 4

    /// The funnel from the sides' totals, so every number on it is also in a table: marketing's leads and
    /// valid leads, then sales' assigned leads, converted leads and new-customer sales.
    ///
    /// Count stages share one scale: the longest count is the full width and each bar is proportional to
    /// its count, computed exactly and written to one decimal. The money stage has no bar: a sum of money
    /// has no common scale with counts of leads.
    static func make(_ e: Evaluation, format: DisplayFormat) -> FunnelView {
        let language = format.language
        let labels = format.labels
        func total(_ side: Side, _ name: String) -> KPIValue? {
            e.totals[side]?.first { $0.kpi.name == name }
        }
        func count(_ side: Side, _ name: String) -> Exact {
            total(side, name)?.value ?? .zero
        }
        func rate(_ side: Side, _ name: String) -> String? {
            guard let v = total(side, name) else { return nil }
            return language.name(v.kpi) + " " + format.value(v)
        }
        let counts: [(Side, String, String?)] = [
            (.marketing, "leads", nil),
            (.marketing, "valid_leads", rate(.marketing, "validity_rate")),
            (.sales, "assigned_leads", nil),
            (.sales, "converted_leads", rate(.sales, "conversion_rate")),
        ]
        let longest = counts.map { count($0.0, $0.1) }.max() ?? .zero
        var stages: [FunnelStageView] = counts.map { side, name, rate in
            let n = count(side, name)
            let (x, w) = bar(n, longest: longest)
            return FunnelStageView(
                side: side.rawValue, owner: side == .marketing ? labels.marketing : labels.sales,
                name: total(side, name).map { language.name($0.kpi) } ?? name,
                value: total(side, name).map { format.value($0) } ?? labels.noData,
                rate: rate, hasBar: true, barX: x, barWidth: w)
        }
        let money = total(.sales, "new_customer_sales")
        stages.append(FunnelStageView(
            side: Side.sales.rawValue, owner: labels.sales,
            name: money.map { language.name($0.kpi) } ?? "new_customer_sales",
            value: money.map { format.value($0) } ?? labels.noData,
            rate: nil, hasBar: false, barX: "0", barWidth: "0"))
        return FunnelView(stages: stages, marketingLegend: labels.funnelMarketingLegend, salesLegend: labels.funnelSalesLegend)
    }

    /// A centred bar for `n` when `longest` fills the drawing: its left edge and width, to one decimal.
    static func bar(_ n: Exact, longest: Exact) -> (x: String, width: String) {
        let full = Exact(drawingWidth)
        guard let share = Exact.ratio(n, longest), !n.isZero else {
            return ((full / Exact(2)).decimalString(places: 1), "0.0")
        }
        var width = full * share
        if width < Exact(minimumBar) { width = Exact(minimumBar) }
        let x = (full - width) / Exact(2)
        return (x.decimalString(places: 1), width.decimalString(places: 1))
    }
}
