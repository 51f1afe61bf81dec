/// Whether each side is paid on what it controls: the share of a scorecard's weight on KPIs that depend
/// on the other side's work, and whether the other side is held to the same KPI (its "mirror").
///
/// The quarrel Baton settles: a marketer paid 40 % on new-customer sales while the sales scorecard pays
/// only on total sales has 40 % of their evaluation in hands that are not asked to deliver it.
public enum Alignment {
    /// A KPI whose result rests on the other side, and the KPIs that would hold that side to it.
    public struct Dependency: Sendable, Hashable {
        public let kpi: String
        public let side: Side
        public let dependsOn: String
        public let mirrors: [String]
    }

    public static let dependencies: [Dependency] = [
        Dependency(kpi: "new_customer_sales", side: .marketing, dependsOn: "sales converting the leads", mirrors: ["new_customer_sales"]),
        Dependency(kpi: "marketing_roi", side: .marketing, dependsOn: "sales converting the leads", mirrors: ["new_customer_sales"]),
        Dependency(kpi: "conversion_rate", side: .sales, dependsOn: "the quality of marketing's leads", mirrors: ["validity_rate", "valid_leads"]),
        Dependency(kpi: "converted_leads", side: .sales, dependsOn: "the quality of marketing's leads", mirrors: ["validity_rate", "valid_leads"]),
    ]

    public struct Finding: Sendable, Hashable {
        public let role: String
        public let side: Side
        public let kpi: String
        public let weight: Exact
        public let dependsOn: String
        public let mirrors: [String]
        /// Whether some scorecard of the other side carries one of the mirrors.
        public let mirrored: Bool
        public let location: PlanLocation?
    }

    public struct ScorecardReport: Sendable, Hashable {
        public let role: String
        public let side: Side
        /// Percent of the scorecard's weight on KPIs that depend on the other side.
        public let dependentWeight: Exact
        public let findings: [Finding]

        /// The report in words, one line per finding and a summary line.
        public var lines: [String] {
            guard !findings.isEmpty else { return ["\(role) (\(side.rawValue)): all of its weight is on KPIs its people control."] }
            let other = side == .marketing ? Side.sales : .marketing
            var out = ["\(role) (\(side.rawValue)): \(Printing.exact(dependentWeight))% of its weight depends on the \(other.rawValue) side's work."]
            for f in findings {
                let mirrorText = f.mirrors.joined(separator: " or ")
                if f.mirrored {
                    out.append("  \(f.kpi) (\(Printing.exact(f.weight))%) depends on \(f.dependsOn); mirrored: a \(other.rawValue) scorecard carries \(mirrorText).")
                } else {
                    out.append("  warning: \(f.kpi) (\(Printing.exact(f.weight))%) depends on \(f.dependsOn), and no \(other.rawValue) scorecard carries \(mirrorText): \(Printing.exact(f.weight))% of a \(role) person's evaluation is outside their control and unmirrored. Add \(f.mirrors[0]) to the \(other.rawValue) scorecard(s), or lower this weight.")
                }
            }
            return out
        }
    }

    public static func report(_ plan: Plan) -> [ScorecardReport] {
        plan.scorecards.map { card in
            let other = card.side == .marketing ? Side.sales : .marketing
            let otherKPIs = Set(plan.scorecards.filter { $0.side == other }.flatMap { $0.kpis.map(\.kpi.name) })
            var findings: [Finding] = []
            var dependent = Exact.zero
            for kp in card.kpis {
                guard let dep = dependencies.first(where: { $0.kpi == kp.kpi.name && $0.side == card.side }) else { continue }
                dependent += kp.weight
                findings.append(Finding(role: card.role, side: card.side, kpi: kp.kpi.name, weight: kp.weight,
                                        dependsOn: dep.dependsOn, mirrors: dep.mirrors,
                                        mirrored: dep.mirrors.contains { otherKPIs.contains($0) }, location: kp.location))
            }
            return ScorecardReport(role: card.role, side: card.side, dependentWeight: dependent, findings: findings)
        }
    }
}
