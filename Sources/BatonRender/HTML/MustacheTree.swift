/// The view model as nested dictionaries and arrays, for swift-mustache's own rendering.
///
/// `PageRenderer` prints the page without it. It serves the templates `PageProgram` leaves to
/// swift-mustache (transforms, inheritance), the rare `{{name}}` that prints a whole struct or list (its
/// description, as Mustache prints it), and the tests that hold `PageRenderer` to swift-mustache's bytes.
/// Mustache finds a key in a dictionary directly, but in a struct by reflecting on it at every lookup, so
/// the view is reflected once here, node by node.
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
