import BatonCore
import Foundation
import Yams

/// Reads a plan from YAML, reporting every problem with the plan's file, line and column.
///
/// Numbers are read from the scalar's text, exactly, never through floating point.
public enum PlanFile {
    /// Reads the plan for a data folder: `explicit` when given, else `DATA_DIR/plan.yaml`, else the
    /// built-in default plan.
    public static func resolve(explicit: URL?, dataFolder: URL) throws(InputProblems) -> Plan {
        if let explicit {
            var plan = try load(explicit)
            plan.label = DataFolder.displayPath(explicit)
            return plan
        }
        let inFolder = dataFolder.appendingPathComponent("plan.yaml")
        if FileManager.default.fileExists(atPath: inFolder.path) {
            var plan = try load(inFolder)
            plan.label = "plan.yaml"
            return plan
        }
        return try parse(Plan.defaultYAML, origin: "(default plan)")
    }

    public static func load(_ url: URL) throws(InputProblems) -> Plan {
        let text: String
        do {
            let data = try Data(contentsOf: url)
            guard let s = String(data: data, encoding: .utf8) else {
                throw InputProblems([InputProblem(file: url.path, message: "is not valid UTF-8. Save the plan as UTF-8 text.")])
            }
            text = s
        } catch let e as InputProblems {
            throw e
        } catch {
            throw InputProblems([InputProblem(file: url.path, message: "cannot be read (\(error.localizedDescription)). Check the path given to --plan.", kind: .missingInput)])
        }
        return try parse(text, origin: DataFolder.displayPath(url))
    }

    public static func parse(_ text: String, origin: String) throws(InputProblems) -> Plan {
        var reader = PlanReader(origin: origin)
        let plan = reader.read(text)
        if !reader.problems.isEmpty { throw InputProblems(reader.problems) }
        return plan!
    }
}

private struct PlanReader {
    let origin: String
    var problems: [InputProblem] = []

    init(origin: String) { self.origin = origin }

    mutating func problem(_ node: Node?, _ message: String) {
        let mark = node?.mark
        problems.append(InputProblem(file: origin, line: mark?.line, column: mark?.column, message: message))
    }

    mutating func read(_ text: String) -> Plan? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _),
                let YamlError.composer(_, problem, mark, _) {
            problems.append(InputProblem(file: origin, line: mark.line, column: mark.column,
                                         message: "is not valid YAML: \(problem). Check the indentation and quoting near here."))
            return nil
        } catch {
            problems.append(InputProblem(file: origin, message: "is not valid YAML: \(error)."))
            return nil
        }
        guard let root, let top = root.mapping else {
            problems.append(InputProblem(file: origin, line: root?.mark?.line, column: root?.mark?.column,
                                         message: "is not a plan: expected a mapping with currency, validity and scorecards."))
            return nil
        }
        let keys = checkKeys(top, allowed: ["currency", "validity", "scorecards", "channel_teams", "rounding"], context: "the plan")

        var currency = Currency.cny
        if let c = keys["currency"] { currency = readCurrency(c) }

        var rounding = RoundingRule.halfAwayFromZero
        if let r = keys["rounding"] {
            if let v = r.scalar?.string, let rule = RoundingRule(rawValue: v) { rounding = rule } else {
                problem(r, "rounding is \"\(r.scalar?.string ?? "?")\"; write half_away_from_zero (the default) or half_even.")
            }
        }
        var validity = ValidityRules()
        if let v = keys["validity"] {
            if let m = v.mapping {
                let vk = checkKeys(m, allowed: ["phone_pattern", "dedupe_days"], context: "validity")
                if let p = vk["phone_pattern"] {
                    if let s = p.scalar?.string {
                        do {
                            _ = try PhoneRules(pattern: s)
                            validity.phonePattern = s
                        } catch {
                            problem(p, "validity.phone_pattern \"\(s)\" is not a valid regular expression (\(error)). Quote it in single quotes and check brackets and escapes, e.g. '^(\\+?86)?1[3-9][0-9]{9}$'.")
                        }
                    } else {
                        problem(p, "validity.phone_pattern must be a text (a regular expression).")
                    }
                }
                if let d = vk["dedupe_days"] {
                    if let s = d.scalar?.string, let n = Int(s), n >= 0, n <= 3650 {
                        validity.dedupeDays = n
                    } else {
                        problem(d, "validity.dedupe_days is \"\(d.scalar?.string ?? "not a number")\", not a whole number of days. Write a number such as 30.")
                    }
                }
            } else {
                problem(v, "validity must be a mapping with phone_pattern and dedupe_days.")
            }
        }

        var channelTeams: [String: String] = [:]
        if let ct = keys["channel_teams"] {
            if let m = ct.mapping {
                for (k, v) in m {
                    guard let ks = k.scalar?.string, let vs = v.scalar?.string else {
                        problem(k, "channel_teams maps a channel to a team name, like walk_in: Store 01.")
                        continue
                    }
                    channelTeams[ks] = vs
                }
            } else {
                problem(ct, "channel_teams must be a mapping of channel to team, like walk_in: Store 01.")
            }
        }

        var cards: [ScorecardPlan] = []
        if let s = keys["scorecards"] {
            if let seq = s.sequence {
                var roles: [String: Node] = [:]
                for item in seq {
                    guard let card = readScorecard(item) else { continue }
                    if roles[card.role] != nil {
                        problem(item, "a second scorecard for role '\(card.role)'. Each role has one scorecard; merge them or rename one.")
                    }
                    roles[card.role] = item
                    cards.append(card)
                }
                if seq.isEmpty { problem(s, "scorecards is empty: add a scorecard for at least one role.") }
            } else {
                problem(s, "scorecards must be a list of scorecards (each starting with '- name: ROLE').")
            }
        } else {
            problem(root, "has no scorecards: add a list under 'scorecards:' (see docs/plan.md).")
        }
        var plan = Plan(currency: currency, validity: validity, channelTeams: channelTeams, scorecards: cards, origin: origin)
        plan.rounding = rounding
        return plan
    }

    mutating func checkKeys(_ m: Node.Mapping, allowed: [String], context: String) -> [String: Node] {
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.scalar?.string else {
                problem(k, "\(context) has a key that is not a name.")
                continue
            }
            if !allowed.contains(key) {
                let hint = allowed.first { editDistance($0, key) <= 2 }.map { " Did you mean '\($0)'?" } ?? ""
                problem(k, "'\(key)' is not a key of \(context).\(hint) Allowed: \(allowed.joined(separator: ", ")).")
                continue
            }
            if out[key] != nil { problem(k, "'\(key)' appears twice in \(context). Keep one.") }
            out[key] = v
        }
        return out
    }

    mutating func readCurrency(_ node: Node) -> Currency {
        if let s = node.scalar?.string {
            let code = s.uppercased()
            guard code.count == 3, code.allSatisfy({ $0.isLetter && $0.isASCII }) else {
                problem(node, "currency \"\(s)\" is not a three-letter code such as CNY.")
                return .cny
            }
            return Currency(code: code)
        }
        if let m = node.mapping {
            let k = checkKeys(m, allowed: ["code", "decimals"], context: "currency")
            let code = k["code"]?.scalar?.string.uppercased() ?? "CNY"
            var decimals = Currency(code: code).decimals
            if let d = k["decimals"] {
                if let s = d.scalar?.string, let n = Int(s), (0...4).contains(n) { decimals = n } else {
                    problem(d, "currency.decimals must be a whole number from 0 to 4.")
                }
            }
            return Currency(code: code, decimals: decimals)
        }
        problem(node, "currency must be a code such as CNY, or {code: XYZ, decimals: 3}.")
        return .cny
    }

    func location(_ node: Node) -> PlanLocation? {
        node.mark.map { PlanLocation(file: origin, line: $0.line, column: $0.column) }
    }

    mutating func readScorecard(_ node: Node) -> ScorecardPlan? {
        guard let m = node.mapping else {
            problem(node, "a scorecard must be a mapping with name, side and kpis.")
            return nil
        }
        let k = checkKeys(m, allowed: ["name", "side", "no_data", "kpis", "pay"], context: "a scorecard")
        guard let nameNode = k["name"], let name = nameNode.scalar?.string, !name.isEmpty else {
            problem(node, "a scorecard has no name: add 'name: ROLE' with the role of people.csv it applies to.")
            return nil
        }
        var side = Side.sales
        if let s = k["side"] {
            if let v = s.scalar?.string, let sd = Side(rawValue: v) { side = sd } else {
                problem(s, "scorecard '\(name)': side is \"\(s.scalar?.string ?? "?")\"; write marketing or sales.")
                return nil
            }
        } else {
            problem(nameNode, "scorecard '\(name)' has no side: add 'side: marketing' or 'side: sales'.")
            return nil
        }
        var noData = NoDataPolicy.zero
        if let n = k["no_data"] {
            if let v = n.scalar?.string, let p = NoDataPolicy(rawValue: v) { noData = p } else {
                problem(n, "scorecard '\(name)': no_data is \"\(n.scalar?.string ?? "?")\"; write zero or reweight.")
            }
        }
        var kpis: [KPIPlan] = []
        guard let kn = k["kpis"], let seq = kn.sequence, !seq.isEmpty else {
            problem(k["kpis"] ?? nameNode, "scorecard '\(name)' has no kpis: add a list of KPIs with weights summing to 100.")
            return nil
        }
        var seen = Set<String>()
        var allRead = true
        for item in seq {
            if let kp = readKPI(item, card: name, side: side) {
                if !seen.insert(kp.kpi.name).inserted {
                    problem(item, "scorecard '\(name)' lists \(kp.kpi.name) twice. Keep one.")
                }
                kpis.append(kp)
            } else {
                allRead = false
            }
        }
        if allRead {
            let sum = kpis.reduce(Exact.zero) { $0 + $1.weight }
            if sum != Exact.hundred {
                problem(kn, "scorecard '\(name)': the weights sum to \(sum.shortDecimalString()), not 100. Change them so they add up to 100.")
            }
        }
        var pay: PayPlan?
        if let p = k["pay"] { pay = readPay(p, card: name, side: side, kpis: kpis) }
        return ScorecardPlan(role: name, side: side, noData: noData, kpis: kpis, pay: pay, location: location(node))
    }

    mutating func readKPI(_ node: Node, card: String, side: Side) -> KPIPlan? {
        guard let m = node.mapping else {
            problem(node, "scorecard '\(card)': each KPI is a mapping like {kpi: valid_leads, weight: 40}.")
            return nil
        }
        let k = checkKeys(m, allowed: ["kpi", "weight", "direction", "target", "scoring"], context: "a KPI of scorecard '\(card)'")
        guard let kn = k["kpi"], let name = kn.scalar?.string else {
            problem(node, "scorecard '\(card)': a KPI entry has no 'kpi:' name.")
            return nil
        }
        guard let kpi = KPI.named(name, side: side) else {
            let names = KPI.all(side).map(\.name)
            let hint = names.first { editDistance($0, name) <= 3 }.map { " Did you mean '\($0)'?" } ?? ""
            problem(kn, "scorecard '\(card)': '\(name)' is not a \(side.rawValue) KPI.\(hint) Known: \(names.joined(separator: ", ")).")
            return nil
        }
        guard let wn = k["weight"] else {
            problem(kn, "scorecard '\(card)': \(name) has no weight. Add 'weight: N' (weights sum to 100).")
            return nil
        }
        guard let weight = exactNumber(wn), !weight.isNegative else {
            problem(wn, "scorecard '\(card)': the weight of \(name) is \"\(wn.scalar?.string ?? "?")\", not a number. Write a number such as 40.")
            return nil
        }
        var direction: Direction?
        if let d = k["direction"] {
            if let s = d.scalar?.string, let v = Direction(rawValue: s) { direction = v } else {
                problem(d, "scorecard '\(card)': direction of \(name) must be higher or lower.")
            }
        }
        var target = TargetSource.targets
        if let t = k["target"] {
            let s = t.scalar?.string ?? ""
            switch s {
            case "targets": target = .targets
            case "history": target = .history
            default:
                if let v = exactNumber(t) { target = .fixed(v) } else {
                    problem(t, "scorecard '\(card)': target of \(name) is \"\(s)\"; write targets, history, or a number such as 120 or 85%.")
                }
            }
        }
        var scoring = ScoringRule.linear(threshold: .zero, cap: nil)
        if let s = k["scoring"] { scoring = readScoring(s, card: card, kpi: name) ?? scoring }
        return KPIPlan(kpi: kpi, weight: weight, direction: direction, target: target, scoring: scoring, location: location(node))
    }

    mutating func readScoring(_ node: Node, card: String, kpi: String) -> ScoringRule? {
        guard let m = node.mapping else {
            problem(node, "scorecard '\(card)': scoring of \(kpi) must be a mapping like {rule: linear, threshold: 50%, cap: 150%}.")
            return nil
        }
        let k = checkKeys(m, allowed: ["rule", "threshold", "cap", "steps"], context: "the scoring of \(kpi)")
        let rule = k["rule"]?.scalar?.string ?? "linear"
        switch rule {
        case "linear":
            var threshold = Exact.zero
            var cap: Exact?
            if let t = k["threshold"] {
                if let v = exactNumber(t), !v.isNegative { threshold = v } else {
                    problem(t, "scorecard '\(card)': threshold of \(kpi) must be a percentage such as 50%.")
                }
            }
            if let c = k["cap"] {
                if let v = exactNumber(c), !v.isNegative { cap = v } else {
                    problem(c, "scorecard '\(card)': cap of \(kpi) must be a percentage such as 150%.")
                }
            }
            if let cap, cap < threshold {
                problem(k["cap"], "scorecard '\(card)': the cap of \(kpi) (\(cap.shortDecimalString())) is below its threshold (\(threshold.shortDecimalString())). Raise the cap or lower the threshold.")
            }
            return .linear(threshold: threshold, cap: cap)
        case "steps":
            guard let sn = k["steps"], let seq = sn.sequence, !seq.isEmpty else {
                problem(node, "scorecard '\(card)': a steps rule for \(kpi) needs 'steps:', a list of {from: 80%, score: 60}.")
                return nil
            }
            var steps: [ScoreStep] = []
            for item in seq {
                guard let im = item.mapping else {
                    problem(item, "scorecard '\(card)': each step of \(kpi) is {from: 80%, score: 60}.")
                    continue
                }
                let sk = checkKeys(im, allowed: ["from", "score"], context: "a step of \(kpi)")
                guard let f = sk["from"].flatMap(exactNumber), let sc = sk["score"].flatMap(exactNumber) else {
                    problem(item, "scorecard '\(card)': a step of \(kpi) needs a numeric from (attainment, e.g. 80%) and score (e.g. 60).")
                    continue
                }
                if let last = steps.last {
                    if !(last.from < f) {
                        problem(item, "scorecard '\(card)': the steps of \(kpi) must be in increasing order of 'from'; \(f.shortDecimalString()) follows \(last.from.shortDecimalString()).")
                    } else if sc < last.score {
                        problem(item, "scorecard '\(card)': a step of \(kpi) scores less (\(sc.shortDecimalString())) than the one below it (\(last.score.shortDecimalString())): a higher attainment must not score lower.")
                    }
                }
                steps.append(ScoreStep(from: f, score: sc))
            }
            return .steps(steps)
        default:
            problem(k["rule"], "scorecard '\(card)': scoring rule \"\(rule)\" of \(kpi) is unknown; write linear or steps.")
            return nil
        }
    }

    mutating func readPay(_ node: Node, card: String, side: Side, kpis: [KPIPlan]) -> PayPlan? {
        guard let m = node.mapping else {
            problem(node, "scorecard '\(card)': pay must be a mapping with bonus, gates or commission (see docs/pay.md).")
            return nil
        }
        let k = checkKeys(m, allowed: ["target_incentive", "basis", "proration", "bonus", "gates", "commission"], context: "the pay of scorecard '\(card)'")
        var pay = PayPlan()
        if let t = k["target_incentive"] {
            if let v = exactNumber(t), !v.isNegative { pay.targetIncentive = v } else {
                problem(t, "scorecard '\(card)': pay.target_incentive must be an amount such as 6000.")
            }
        }
        if let b = k["basis"] {
            if let v = b.scalar?.string, let basis = PayBasis(rawValue: v) { pay.basis = basis } else {
                problem(b, "scorecard '\(card)': pay.basis is \"\(b.scalar?.string ?? "?")\"; write weighted_score, per_kpi or team.")
            }
        }
        if let pr = k["proration"] {
            if let v = pr.scalar?.string, let p = Proration(rawValue: v) { pay.proration = p } else {
                problem(pr, "scorecard '\(card)': pay.proration must be days or none.")
            }
        }
        if let b = k["bonus"] { pay.bonus = readCurve(b, card: card) }
        if let g = k["gates"] {
            if let seq = g.sequence {
                for item in seq {
                    guard let gm = item.mapping else { problem(item, "scorecard '\(card)': a gate is {kpi: validity_rate, below: 60%}."); continue }
                    let gk = checkKeys(gm, allowed: ["kpi", "below", "cap"], context: "a gate of '\(card)'")
                    guard let kn = gk["kpi"], let name = kn.scalar?.string else { problem(item, "scorecard '\(card)': a gate needs 'kpi:'."); continue }
                    guard let kpi = KPI.named(name, side: side) else {
                        problem(kn, "scorecard '\(card)': the gate's KPI '\(name)' is not a \(side.rawValue) KPI.")
                        continue
                    }
                    if !kpis.contains(where: { $0.kpi == kpi }) {
                        problem(kn, "scorecard '\(card)': a gate on \(name), which the scorecard does not have. Add \(name) to its kpis or gate on one of: \(kpis.map(\.kpi.name).joined(separator: ", ")).")
                        continue
                    }
                    guard let below = gk["below"].flatMap(exactNumber) else {
                        problem(item, "scorecard '\(card)': the gate on \(name) needs 'below:', the floor (e.g. 60%).")
                        continue
                    }
                    var cap: Exact?
                    if let c = gk["cap"] {
                        if let v = exactNumber(c), !v.isNegative { cap = v } else { problem(c, "scorecard '\(card)': a gate's cap is a payout percentage such as 50%.") }
                    }
                    pay.gates.append(Gate(kpi: kpi, below: below, cap: cap, location: location(item)))
                }
            } else {
                problem(g, "scorecard '\(card)': gates must be a list of {kpi: ..., below: ...}.")
            }
        }
        if let c = k["commission"] {
            if let seq = c.sequence {
                var names = Set<String>()
                for item in seq {
                    guard let rule = readCommission(item, card: card, side: side) else { continue }
                    if !names.insert(rule.name).inserted {
                        problem(item, "scorecard '\(card)': two commissions named '\(rule.name)'. Give each its own name.")
                    }
                    pay.commissions.append(rule)
                }
            } else {
                problem(c, "scorecard '\(card)': commission must be a list of commissions (each with base, method and tiers).")
            }
        }
        if pay.bonus == nil && pay.commissions.isEmpty {
            problem(node, "scorecard '\(card)': pay has neither a bonus nor a commission, so it pays nothing. Add one, or remove pay.")
        }
        return pay
    }

    mutating func readCurve(_ node: Node, card: String) -> PayoutCurve? {
        guard let m = node.mapping else {
            problem(node, "scorecard '\(card)': bonus must be a mapping with curve (and optional threshold, cap).")
            return nil
        }
        let k = checkKeys(m, allowed: ["curve", "threshold", "cap"], context: "the bonus of '\(card)'")
        guard let cn = k["curve"], let seq = cn.sequence, !seq.isEmpty else {
            problem(node, "scorecard '\(card)': bonus needs a curve: a list of {score: 100, payout: 100%} points.")
            return nil
        }
        var points: [CurvePoint] = []
        for item in seq {
            guard let pm = item.mapping else { problem(item, "scorecard '\(card)': a curve point is {score: 100, payout: 100%}."); continue }
            let pk = checkKeys(pm, allowed: ["score", "payout"], context: "a curve point")
            guard let sc = pk["score"].flatMap(exactNumber), let po = pk["payout"].flatMap(exactNumber), !po.isNegative else {
                problem(item, "scorecard '\(card)': a curve point needs a numeric score and a payout percentage, e.g. {score: 100, payout: 100%}.")
                continue
            }
            if let last = points.last {
                if !(last.score < sc) {
                    problem(item, "scorecard '\(card)': curve points must be in increasing order of score; \(sc.shortDecimalString()) follows \(last.score.shortDecimalString()).")
                } else if po < last.payout {
                    problem(item, "scorecard '\(card)': the payout curve goes down (\(percent(po)) after \(percent(last.payout))): a higher score must never pay less.")
                }
            }
            points.append(CurvePoint(score: sc, payout: po))
        }
        var curve = PayoutCurve(points: points)
        if let t = k["threshold"] {
            if let v = exactNumber(t), !v.isNegative { curve.threshold = v } else { problem(t, "scorecard '\(card)': the bonus threshold is a weighted score such as 60.") }
        }
        if let c = k["cap"] {
            if let v = exactNumber(c), !v.isNegative { curve.cap = v } else { problem(c, "scorecard '\(card)': the bonus cap is a payout percentage such as 150%.") }
        }
        if let cap = curve.cap, let first = points.first, cap < first.payout {
            problem(k["cap"], "scorecard '\(card)': the bonus cap (\(percent(cap))) is below the curve's first payout (\(percent(first.payout))): the curve would never matter.")
        }
        return curve
    }

    mutating func readCommission(_ node: Node, card: String, side: Side) -> CommissionRule? {
        guard let m = node.mapping else {
            problem(node, "scorecard '\(card)': a commission is a mapping with name, base, method and tiers.")
            return nil
        }
        let k = checkKeys(m, allowed: ["name", "base", "method", "tiers", "accelerator", "cap"], context: "a commission of '\(card)'")
        let name = k["name"]?.scalar?.string ?? "commission"
        guard let bn = k["base"], let baseName = bn.scalar?.string else {
            problem(node, "scorecard '\(card)': commission '\(name)' needs a base, e.g. base: total_sales.")
            return nil
        }
        guard let base = KPI.named(baseName, side: side), base.unit == .money else {
            let money = KPI.all(side).filter { $0.unit == .money }.map(\.name)
            problem(bn, "scorecard '\(card)': commission base '\(baseName)' is not a money KPI of the \(side.rawValue) side. Use one of: \(money.joined(separator: ", ")).")
            return nil
        }
        var method = CommissionMethod.marginal
        if let mn = k["method"] {
            if let v = mn.scalar?.string, let mm = CommissionMethod(rawValue: v) { method = mm } else {
                problem(mn, "scorecard '\(card)': commission method must be marginal or retroactive.")
            }
        }
        guard let tn = k["tiers"], let seq = tn.sequence, !seq.isEmpty else {
            problem(node, "scorecard '\(card)': commission '\(name)' needs tiers: a list of {from: 0, rate: 1%}.")
            return nil
        }
        var tiers: [CommissionTier] = []
        for item in seq {
            guard let tm = item.mapping else { problem(item, "scorecard '\(card)': a tier is {from: 0, rate: 1%}."); continue }
            let tk = checkKeys(tm, allowed: ["from", "rate"], context: "a tier")
            guard let from = tk["from"].flatMap(exactNumber), let rate = tk["rate"].flatMap(exactNumber) else {
                problem(item, "scorecard '\(card)': a tier needs a numeric from (an amount) and rate (e.g. 1%).")
                continue
            }
            if rate.isNegative { problem(tk["rate"], "scorecard '\(card)': a commission rate cannot be negative.") }
            if tiers.isEmpty && !from.isZero {
                problem(item, "scorecard '\(card)': the first tier of commission '\(name)' must start at 0, so every amount has a rate.")
            }
            if let last = tiers.last, !(last.from < from) {
                problem(item, "scorecard '\(card)': the tiers of commission '\(name)' overlap or are out of order: \(from.shortDecimalString()) after \(last.from.shortDecimalString()). Each tier must start above the one before.")
            }
            tiers.append(CommissionTier(from: from, rate: rate))
        }
        var accelerator: (above: Exact, rate: Exact)?
        if let an = k["accelerator"] {
            if let am = an.mapping {
                let ak = checkKeys(am, allowed: ["above", "rate"], context: "an accelerator")
                if let above = ak["above"].flatMap(exactNumber), let rate = ak["rate"].flatMap(exactNumber), !rate.isNegative {
                    accelerator = (above, rate)
                } else {
                    problem(an, "scorecard '\(card)': an accelerator is {above: 100%, rate: 2.5%}.")
                }
            } else {
                problem(an, "scorecard '\(card)': an accelerator is {above: 100%, rate: 2.5%}.")
            }
        }
        var cap: Exact?
        if let c = k["cap"] {
            if let v = exactNumber(c), !v.isNegative { cap = v } else { problem(c, "scorecard '\(card)': a commission cap is an amount such as 20000.") }
        }
        return CommissionRule(name: name, base: base, method: method, tiers: tiers, accelerator: accelerator, cap: cap, location: location(node))
    }

    /// A scalar read exactly: `40`, `0.6`, `60%`.
    func exactNumber(_ node: Node) -> Exact? {
        guard let s = node.scalar?.string else { return nil }
        return Exact(decimal: s)
    }
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys and KPI names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
