/// The view model as nested dictionaries and arrays, made once before rendering.
///
/// Mustache finds a key in a dictionary directly, but in a struct by reflecting on it at every lookup
/// (and again at every level of the context stack it searches): on a brand's page that was most of the
/// rendering time. One reflection per node here gives the same output, fast.
enum MustacheTree {
    static func from(_ value: Any) -> Any {
        switch value {
        case let s as String: return s
        case let b as Bool: return b
        case let i as Int: return i
        case let a as [Any]: return a.map(from)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return Optional<Any>.none as Any }
            return from(wrapped)
        case .collection, .set:
            return mirror.children.map { from($0.value) }
        case .struct, .class:
            var out: [String: Any] = [:]
            out.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label else { continue }
                let v = Mirror(reflecting: child.value)
                // An absent optional is an absent key, as Mustache treats a nil property.
                if v.displayStyle == .optional && v.children.isEmpty { continue }
                out[label] = from(child.value)
            }
            return out
        default:
            return value
        }
    }
}
